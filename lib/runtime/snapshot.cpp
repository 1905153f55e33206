// Session snapshots: the whole state of a call as bytes, and back.
//
// Layout (little-endian):
//   "PTRS"  magic, 4 bytes
//   u16     format version (kVersion)
//   u64     the script's fingerprint
//   u32     payload length
//   ...     payload: every field of the session's state, in the order of
//           detail::SessionState::fields (patter/session.hpp): numbers
//           little-endian, flags and enums a byte, a Buffer as its u32
//           length then its elements, the transcript as a presence byte,
//           its capacity, its length and its entries
//   u64     FNV-1a of everything before it
// Restoring checks each part in turn and every value against the script, so
// bytes from another script, a cut-off write or a flipped bit give an error,
// never a session that is quietly wrong.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <optional>
#include <tuple>
#include <type_traits>
#include <vector>

#include "patter/session.hpp"
#include "runtime/session_state.hpp"
#include "text/fnv1a.hpp"

namespace patter {

namespace {

constexpr char kMagic[4] = {'P', 'T', 'R', 'S'};
// 2: the host's understanding, the line to say on. 3: the state's fields in
// one list (detail::SessionState::fields), with the fingerprint of the whole
// compiled script. 4: the flags in a byte; the waiting state among the
// counts, once a call needs it; the flows running and the nodes that called
// them; the A/B test seed. 5: a fetch waiting; the A/B test seed and the
// flows' callers among the counts, only in scripts that have them. 6: a
// person's words in the transcript, with who said them (after the text of
// an `agent` entry, its speaker). Format 5 had no such entries, so it reads
// as 6 does: calls in flight survive the upgrade.
constexpr std::uint16_t kVersion = 6;
constexpr std::uint16_t kOldestRead = 5;
constexpr std::size_t kHeader = 4 + 2 + 8 + 4;
constexpr std::size_t kTrailer = 8;

/// The unsigned integer type that holds a T (an integer or an enum).
template <class T, bool = std::is_enum_v<T>>
struct Raw {
  using type = std::make_unsigned_t<T>;
};
template <class T>
struct Raw<T, true> {
  using type = std::make_unsigned_t<std::underlying_type_t<T>>;
};

std::uint64_t fingerprint_value(const Script& s) noexcept {
  std::uint64_t v = 0;
  const std::string& f = s.fingerprint();
  std::from_chars(f.data(), f.data() + f.size(), v, 16);
  return v;
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <class T>
  void num(T v) {
    static_assert(std::is_integral_v<T> || std::is_enum_v<T>);
    using U = typename Raw<T>::type;
    U u = static_cast<U>(v);
    char bytes[sizeof(U)];
    for (std::size_t i = 0; i < sizeof(U); ++i) bytes[i] = static_cast<char>((u >> (8 * i)) & 0xFF);
    out_.append(bytes, sizeof(U));
  }
  void real(double d) {
    std::uint64_t u;
    std::memcpy(&u, &d, sizeof u);
    num(u);
  }
  void text(std::string_view s) {
    num(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }

 private:
  std::string& out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const noexcept { return ok_; }
  std::size_t left() const noexcept { return in_.size() - pos_; }
  template <class T>
  T num() {
    using U = typename Raw<T>::type;
    if (left() < sizeof(U)) {
      ok_ = false;
      return T{};
    }
    U u = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i)
      u = static_cast<U>(u |
                         (static_cast<U>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i)));
    pos_ += sizeof(U);
    return static_cast<T>(u);
  }
  double real() {
    const auto u = num<std::uint64_t>();
    double d;
    std::memcpy(&d, &u, sizeof d);
    return d;
  }
  std::string_view text() {
    const auto n = num<std::uint32_t>();
    if (!ok_ || left() < n) {
      ok_ = false;
      return {};
    }
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  /// `n` bytes as they are; the caller checked they are there.
  void raw(void* p, std::size_t n) noexcept {
    if (n) std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
  }
  void fail() noexcept { ok_ = false; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

/// The last line's owner is one the script has, of its kind.
bool line_owned(const Script& sc, std::uint8_t kind, std::uint32_t owner) noexcept {
  switch (static_cast<LineKind>(kind)) {
    case LineKind::none:
    case LineKind::hold: return true;
    case LineKind::node:
    case LineKind::no_match:
    case LineKind::no_input: return owner < sc.nodes().size();
    case LineKind::handler: return owner < sc.globals().size();
    case LineKind::clarify: return owner < sc.nodes().size();
  }
  return false;  // past kLastLineKind
}

template <class E>
bool in_range(E v, E last) noexcept {
  return static_cast<unsigned>(v) <= static_cast<unsigned>(last);
}

/// Writes each field of the state as the snapshot holds it.
struct FieldWriter {
  Writer& w;
  template <class T>
  void operator()(const T& v) {
    if constexpr (std::is_same_v<T, bool>)
      w.num(static_cast<std::uint8_t>(v));
    else if constexpr (std::is_same_v<T, char>)
      w.num(static_cast<std::uint8_t>(v));
    else if constexpr (std::is_same_v<T, double>)
      w.real(v);
    else
      w.num(v);
  }
  template <class T>
  void operator()(const detail::Buffer<T>& b) {
    w.num(b.size());
    if constexpr (std::endian::native == std::endian::little)
      w.raw(b.data(), std::size_t{b.size()} * sizeof(T));  // already the snapshot's byte order
    else
      for (const T& x : b) (*this)(x);
  }
  void operator()(const detail::Boxed<detail::Transcript>& t) {
    w.num(static_cast<std::uint8_t>(t ? 1 : 0));
    if (!t) return;
    w.num(t->cap);
    w.num(static_cast<std::uint32_t>(t->lines.size()));
    for (const TranscriptEntry& e : t->lines) {
      w.num(e.who);
      w.num(e.at_ms);
      w.num(e.node);
      w.num(e.intent);
      w.text(e.text);
      if (e.who == TranscriptEntry::Who::agent) w.text(e.speaker);
    }
  }
};

/// Reads each field back; `bad` when a value cannot be one of its type.
struct FieldReader {
  Reader& in;
  bool bad = false;
  template <class T>
  void operator()(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      const auto b = in.num<std::uint8_t>();
      bad = bad || b > 1;
      v = b == 1;
    } else if constexpr (std::is_same_v<T, char>) {
      v = static_cast<char>(in.num<std::uint8_t>());
    } else if constexpr (std::is_same_v<T, double>) {
      v = in.real();
    } else {
      v = in.num<T>();
    }
  }
  template <class T>
  void operator()(detail::Buffer<T>& b) {
    const auto n = in.num<std::uint32_t>();
    if (!in.ok() || n > in.left() / sizeof(T)) return in.fail();
    b.resize(n);
    if constexpr (std::endian::native == std::endian::little)
      in.raw(b.data(), std::size_t{n} * sizeof(T));
    else
      for (std::uint32_t i = 0; i < n; ++i) (*this)(b[i]);
  }
  void operator()(detail::Boxed<detail::Transcript>& t) {
    const auto present = in.num<std::uint8_t>();
    bad = bad || present > 1;
    if (present != 1) return t.reset();
    detail::Transcript& tr = t.emplace();
    tr.cap = in.num<std::uint32_t>();
    const auto n = in.num<std::uint32_t>();
    if (!in.ok() || n > tr.cap || n > in.left() / 16) return in.fail();
    tr.lines.resize(n);
    for (TranscriptEntry& e : tr.lines) {
      e.who = in.num<TranscriptEntry::Who>();
      e.at_ms = in.num<std::uint64_t>();
      e.node = in.num<NodeId>();
      e.intent = in.num<IntentId>();
      e.text.assign(in.text());
      if (e.who == TranscriptEntry::Who::agent) e.speaker.assign(in.text());
    }
  }
};

/// The values a state read from bytes holds are ones this script can have.
class StateCheck {
 public:
  StateCheck(const detail::SessionState& st, const Script& sc) : st_(st), sc_(sc), l_(sc) {}
  bool ok() const {
    return shape() && scalars() && fetch() && texts() && log() && transcript() && flows();
  }

 private:
  /// The counts hold every word the layout and the flags say they do (the
  /// extras among them), before anything reads them.
  bool shape() const { return st_.counts.size() >= SessionAccess::log_start(st_, l_); }
  bool node_or_none(NodeId n) const noexcept { return n == kNone || n < sc_.nodes().size(); }

  bool scalars() const {
    const detail::SessionState& s = st_;
    return in_range(s.phase, Phase::ended) && in_range(s.outcome, Outcome::error) &&
           in_range(s.hangup, HangupReason::error) &&
           in_range(s.escalation, EscalationReason::other) &&
           (s.phase == Phase::ended) ==
               (s.outcome != Outcome::none) &&  // an outcome exactly when ended
           (s.flags & ~detail::kAllFlags) == 0 &&
           (!s.has(detail::kAsking) ||
            s.phase == Phase::robot) &&  // the host is asked only while the robot has the call
           s.grade <= sc_.grades().size() &&
           node_or_none(s.node) && node_or_none(s.last_listen) &&
           (s.phase == Phase::dialing || s.node != kNone || s.phase == Phase::ended) &&
           (s.phase != Phase::robot ||
            (s.node < sc_.nodes().size() && (sc_.nodes()[s.node].kind == NodeKind::listen ||
                                             sc_.nodes()[s.node].kind == NodeKind::fetch))) &&
           line_owned(sc_, s.line_kind, s.line_owner);
  }

  /// Each running flow was called by a node that calls it, inside the one
  /// before; the room past them is clear.
  bool flows() const {
    const std::uint32_t depth = SessionAccess::flow_depth(st_, l_);
    const std::uint16_t* callers = st_.counts.data() + l_.flows();
    std::uint16_t inside = kNoFlow;
    for (unsigned i = depth; i < l_.flow_words; ++i)
      if (callers[i] != 0) return false;
    for (unsigned i = 0; i < depth; ++i) {
      const NodeId c = callers[i] - 1u;
      if (c >= sc_.nodes().size()) return false;
      const Node& caller = sc_.nodes()[c];
      if (caller.kind != NodeKind::call || caller.flow != inside) return false;
      inside = caller.calls;
    }
    return true;
  }

  /// A fetch waits only at a fetch node the robot is at; a time variable's
  /// bytes hold at least its moment.
  bool fetch() const {
    const detail::SessionState& s = st_;
    if (s.has(detail::kFetching) &&
        (s.phase != Phase::robot || s.node >= sc_.nodes().size() ||
         sc_.nodes()[s.node].kind != NodeKind::fetch || SessionAccess::extras(s, l_).fetch_id == 0))
      return false;
    for (VariableId v = 0; v < l_.vars; ++v) {
      if (sc_.variables()[v].type != Variable::Type::time) continue;
      const TextSlot t = SessionAccess::slot(s, v);
      if (t.at != kNone && t.size < SessionAccess::kTimeBytes) return false;
    }
    return true;
  }

  /// The texts fill the bytes after the slots exactly, one after another.
  bool texts() const {
    if (st_.values.size() < l_.slots()) return false;
    std::vector<TextSlot> own;
    for (VariableId v = 0; v < l_.vars; ++v) {
      if (!SessionAccess::is_text(sc_, v)) continue;
      const TextSlot t = SessionAccess::slot(st_, v);
      if (t.at != kNone) own.push_back(t);
    }
    std::sort(own.begin(), own.end(),
              [](const TextSlot& a, const TextSlot& b) { return a.at < b.at; });
    std::uint64_t at = l_.slots();
    for (const TextSlot& t : own) {
      if (t.at != at) return false;
      at += t.size;
    }
    return at == st_.values.size();
  }

  /// Nodes and tags the script has; the tags logged are the tags held (the
  /// tag bits among the counts), each once, so tags() and tagged() agree.
  bool log() const {
    const std::uint32_t start = SessionAccess::log_start(st_, l_);
    if ((st_.counts.size() - start) % 2 != 0) return false;
    std::vector<std::uint16_t> listed(l_.tag_words);
    for (std::uint32_t i = 0, n = SessionAccess::log_size(st_, l_); i < n; ++i) {
      const std::uint32_t e = SessionAccess::log_entry(st_, l_, i);
      if (!(e & kTagEntry)) {
        if (e >= sc_.nodes().size()) return false;
        continue;
      }
      const std::uint32_t t = e & ~kTagEntry;
      if (t >= sc_.tags().size()) return false;
      const auto bit = static_cast<std::uint16_t>(1u << (t % 16));
      if (listed[t / 16] & bit) return false;
      listed[t / 16] = static_cast<std::uint16_t>(listed[t / 16] | bit);
    }
    for (std::size_t w = 0; w < l_.tag_words; ++w)
      if (listed[w] != st_.counts[l_.tags() + w]) return false;
    return true;
  }

  bool transcript() const {
    if (!st_.transcript) return true;
    for (const TranscriptEntry& e : st_.transcript->lines)
      if (!in_range(e.who, TranscriptEntry::Who::agent) || !node_or_none(e.node) ||
          (e.intent != kNone && e.intent >= sc_.intents().size()))
        return false;
    return true;
  }

  const detail::SessionState& st_;
  const Script& sc_;
  SessionLayout l_;
};

}  // namespace

struct SessionCodec {
  static void write(const Session& s, std::string& out) {
    out.clear();
    out.append(kMagic, 4);
    Writer w(out);
    w.num(kVersion);
    w.num(fingerprint_value(*s.script_));
    const std::size_t length_at = out.size();
    w.num(std::uint32_t{0});
    const std::size_t payload_at = out.size();
    FieldWriter put{w};
    std::apply([&](const auto&... f) { (put(f), ...); }, detail::SessionState::fields(s.st_));
    const auto length = static_cast<std::uint32_t>(out.size() - payload_at);
    for (std::size_t i = 0; i < 4; ++i)
      out[length_at + i] = static_cast<char>((length >> (8 * i)) & 0xFF);
    w.num(detail::fnv1a(out));
  }

  static Restored read(std::shared_ptr<const Script> script, std::string_view bytes) {
    std::string_view payload;
    if (auto refused = open(script, bytes, payload)) return std::move(*refused);
    Session s(script, SessionOptions{});
    Reader in(payload);
    FieldReader get{in};
    std::apply([&](auto&... f) { (get(f), ...); }, detail::SessionState::fields(s.st_));
    if (!in.ok())
      return Failure{RestoreError::corrupted,
                     "the snapshot's contents end early: the bytes were changed"};
    if (get.bad || in.left() != 0 || !StateCheck(s.st_, *script).ok())
      return Failure{RestoreError::corrupted,
                     "the snapshot holds values this script cannot have: the bytes were changed, "
                     "or written by another program"};
    return s;
  }

 private:
  /// The header, the script and the checksum: the payload, or why not.
  static std::optional<Failure<RestoreError>> open(const std::shared_ptr<const Script>& script,
                                                   std::string_view bytes,
                                                   std::string_view& payload) {
    auto fail = [](RestoreError e, std::string message) {
      return Failure<RestoreError>{e, std::move(message)};
    };
    if (!script)
      return fail(RestoreError::no_script, "no script: restore needs the script the call runs on");
    if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagic, 4) != 0)
      return fail(RestoreError::not_a_snapshot, "these bytes are not a patter session snapshot");
    if (bytes.size() < kHeader)
      return fail(RestoreError::truncated,
                  fmt::format("the snapshot is cut off: {} bytes, its header alone needs {}",
                              bytes.size(), kHeader));
    Reader head(bytes.substr(4, kHeader - 4));
    const auto version = head.num<std::uint16_t>();
    const auto fingerprint = head.num<std::uint64_t>();
    const auto length = head.num<std::uint32_t>();
    if (version < kOldestRead)
      return fail(
          RestoreError::version,
          fmt::format(
              "snapshot format {} was written by an earlier patter, and this one reads format {} "
              "(its scripts' fingerprints changed too); let calls that started before the "
              "upgrade finish on the patter version that wrote them",
              version, kVersion));
    if (version > kVersion)
      return fail(
          RestoreError::version,
          fmt::format(
              "snapshot format {} is not the format this patter reads ({}); restore it with the "
              "patter version that wrote it",
              version, kVersion));
    if (fingerprint != fingerprint_value(*script))
      return fail(
          RestoreError::other_script,
          fmt::format(
              "the snapshot was taken on script version {:016x}, not {} (`{}` {}); restore it "
              "with the script the call started on",
              fingerprint, script->fingerprint(), script->id(), script->version()));
    const std::size_t total = kHeader + std::size_t{length} + kTrailer;
    if (bytes.size() < total)
      return fail(RestoreError::truncated,
                  fmt::format("the snapshot is cut off: {} bytes of {}", bytes.size(), total));
    if (bytes.size() > total)
      return fail(RestoreError::corrupted,
                  fmt::format("the snapshot has {} bytes after its end", bytes.size() - total));
    Reader tail(bytes.substr(total - kTrailer));
    if (tail.num<std::uint64_t>() != detail::fnv1a(bytes.substr(0, total - kTrailer)))
      return fail(RestoreError::corrupted,
                  "the snapshot's checksum does not match: the bytes were changed");
    payload = bytes.substr(kHeader, length);
    return std::nullopt;
  }
};

void Session::snapshot(std::string& out) const {
  SessionCodec::write(*this, out);
}

std::string Session::snapshot() const {
  std::string out;
  SessionCodec::write(*this, out);
  return out;
}

Restored Session::restore(std::shared_ptr<const Script> script, std::string_view bytes) {
  return SessionCodec::read(std::move(script), bytes);
}

}  // namespace patter
