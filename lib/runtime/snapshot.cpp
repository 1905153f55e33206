// Session snapshots: the whole state of a call as bytes, and back.
//
// Layout (little-endian):
//   "PTRS"  magic, 4 bytes
//   u16     format version (kVersion)
//   u64     the script's fingerprint
//   u32     payload length
//   ...     payload: every field of the session, in the order written below
//   u64     FNV-1a of everything before it
// Restoring checks each part in turn and every value against the script, so
// bytes from another script, a cut-off write or a flipped bit give an error,
// never a session that is quietly wrong.
#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <type_traits>

#include "patter/session.hpp"

namespace patter {

namespace {

constexpr char kMagic[4] = {'P', 'T', 'R', 'S'};
constexpr std::uint16_t kVersion = 1;
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

std::uint64_t fnv1a(std::string_view bytes) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

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
    for (std::size_t i = 0; i < sizeof(U); ++i) out_ += static_cast<char>((u >> (8 * i)) & 0xFF);
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
      u = static_cast<U>(u | (static_cast<U>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i)));
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
  void fail() noexcept { ok_ = false; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

template <class E>
bool in_range(E v, E last) noexcept {
  return static_cast<unsigned>(v) <= static_cast<unsigned>(last);
}

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

    w.num(s.phase_);
    w.num(s.outcome_);
    w.num(s.hangup_);
    w.num(s.escalation_);
    w.num(static_cast<std::uint8_t>((s.escalated_ ? 1 : 0) | (s.score_escalated_ ? 2 : 0) |
                                    (s.line_barge_in_ ? 4 : 0) | (s.awaiting_ ? 8 : 0) |
                                    (s.person_joined_ ? 16 : 0)));
    w.num(static_cast<std::uint8_t>(s.grade_));
    w.num(s.node_);
    w.num(s.last_listen_);
    w.num(s.answered_at_);
    w.num(s.last_at_);
    w.num(s.waiting_since_);
    w.real(s.score_);
    w.num(s.turns_);
    w.num(s.silences_);
    w.num(s.no_matches_);
    w.num(s.nodes_passed_);
    w.num(s.transcript_cap_);
    w.num(s.no_match_run_);
    w.num(s.no_input_run_);
    w.num(s.escalations_);
    w.num(s.hold_said_);
    w.num(s.no_match_tries_);
    w.num(s.no_input_tries_);

    const std::size_t counts = count_words(*s.script_);
    w.num(static_cast<std::uint32_t>(counts));
    for (std::size_t i = 0; i < counts; ++i) w.num(s.counts_[i]);
    w.num(static_cast<std::uint32_t>(s.vars_.size()));
    for (const Session::VarSlot& v : s.vars_) {
      w.num(static_cast<std::uint8_t>(v.own));
      w.real(v.number);
      w.text(v.own ? std::string_view(v.text) : std::string_view());
    }
    w.num(static_cast<std::uint32_t>(s.path_.size()));
    for (NodeId n : s.path_) w.num(n);
    w.num(static_cast<std::uint32_t>(s.tag_order_.size()));
    for (TagId t : s.tag_order_) w.num(t);
    w.num(static_cast<std::uint32_t>(s.transcript().size()));
    for (const TranscriptEntry& e : s.transcript()) {
      w.num(e.who);
      w.num(e.at_ms);
      w.num(e.node);
      w.num(e.intent);
      w.text(e.text);
    }

    const auto length = static_cast<std::uint32_t>(out.size() - payload_at);
    for (std::size_t i = 0; i < 4; ++i) out[length_at + i] = static_cast<char>((length >> (8 * i)) & 0xFF);
    w.num(fnv1a(out));
  }

  static std::size_t count_words(const Script& sc) noexcept {
    return sc.nodes().size() + sc.intents().size() + sc.globals().size() + (sc.tags().size() + 15) / 16;
  }

  static Restored read(std::shared_ptr<const Script> script, std::string_view bytes) {
    Restored r;
    auto fail = [&](RestoreError e, std::string message) {
      r.error = e;
      r.message = std::move(message);
      return std::move(r);
    };
    if (!script) return fail(RestoreError::not_a_snapshot, "no script: restore needs the script the call runs on");
    if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagic, 4) != 0)
      return fail(RestoreError::not_a_snapshot, "these bytes are not a patter session snapshot");
    if (bytes.size() < kHeader)
      return fail(RestoreError::truncated, fmt::format("the snapshot is cut off: {} bytes, its header alone needs {}",
                                                       bytes.size(), kHeader));
    Reader head(bytes.substr(4, kHeader - 4));
    const auto version = head.num<std::uint16_t>();
    const auto fingerprint = head.num<std::uint64_t>();
    const auto length = head.num<std::uint32_t>();
    if (version != kVersion)
      return fail(RestoreError::version,
                  fmt::format("snapshot format {} is not the format this patter reads ({}); restore it with the "
                              "patter version that wrote it",
                              version, kVersion));
    if (fingerprint != fingerprint_value(*script))
      return fail(RestoreError::other_script,
                  fmt::format("the snapshot was taken on script version {:016x}, not {} (`{}` {}); restore it "
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
    if (tail.num<std::uint64_t>() != fnv1a(bytes.substr(0, total - kTrailer)))
      return fail(RestoreError::corrupted, "the snapshot's checksum does not match: the bytes were changed");

    const Script& sc = *script;
    Session s(script, SessionOptions{});
    Reader in(bytes.substr(kHeader, length));
    bool bad = false;
    auto check = [&](bool cond) { bad = bad || !cond; };
    s.phase_ = in.num<Phase>();
    s.outcome_ = in.num<Outcome>();
    s.hangup_ = in.num<HangupReason>();
    s.escalation_ = in.num<EscalationReason>();
    check(in_range(s.phase_, Phase::ended) && in_range(s.outcome_, Outcome::voicemail) &&
          in_range(s.hangup_, HangupReason::error) && in_range(s.escalation_, EscalationReason::other));
    const auto flags = in.num<std::uint8_t>();
    check(flags < 32);
    s.escalated_ = flags & 1;
    s.score_escalated_ = flags & 2;
    s.line_barge_in_ = flags & 4;
    s.awaiting_ = flags & 8;
    s.person_joined_ = flags & 16;
    s.grade_ = static_cast<char>(in.num<std::uint8_t>());
    check(s.grade_ == 0 || (s.grade_ >= 'A' && s.grade_ <= 'E'));
    s.node_ = in.num<NodeId>();
    check(s.node_ == kNone || s.node_ < sc.nodes().size());
    s.last_listen_ = in.num<NodeId>();
    check(s.last_listen_ == kNone || s.last_listen_ < sc.nodes().size());
    check(s.phase_ == Phase::dialing || s.node_ != kNone || s.phase_ == Phase::ended);
    if (s.phase_ == Phase::robot) check(s.node_ != kNone && sc.nodes()[s.node_].kind == NodeKind::listen);
    s.answered_at_ = in.num<std::uint64_t>();
    s.last_at_ = in.num<std::uint64_t>();
    s.waiting_since_ = in.num<std::uint64_t>();
    s.score_ = in.real();
    s.turns_ = in.num<std::uint32_t>();
    s.silences_ = in.num<std::uint32_t>();
    s.no_matches_ = in.num<std::uint32_t>();
    s.nodes_passed_ = in.num<std::uint32_t>();
    s.transcript_cap_ = in.num<std::uint32_t>();
    s.no_match_run_ = in.num<std::uint16_t>();
    s.no_input_run_ = in.num<std::uint16_t>();
    s.escalations_ = in.num<std::uint16_t>();
    s.hold_said_ = in.num<std::uint16_t>();
    s.no_match_tries_ = in.num<std::uint8_t>();
    s.no_input_tries_ = in.num<std::uint8_t>();

    const std::size_t counts = count_words(sc);
    check(in.num<std::uint32_t>() == counts);
    for (std::size_t i = 0; i < counts && in.ok() && !bad; ++i) s.counts_[i] = in.num<std::uint16_t>();
    check(in.num<std::uint32_t>() == s.vars_.size());
    for (std::size_t i = 0; i < s.vars_.size() && in.ok() && !bad; ++i) {
      Session::VarSlot& v = s.vars_[i];
      const auto own = in.num<std::uint8_t>();
      check(own <= 1);
      v.own = own == 1;
      v.number = in.real();
      v.text.assign(in.text());
    }
    const auto path = in.num<std::uint32_t>();
    check(path <= in.left() / sizeof(NodeId));
    if (!bad) {
      s.path_.clear();
      s.path_.reserve(path);
      for (std::uint32_t i = 0; i < path && in.ok(); ++i) {
        const auto n = in.num<NodeId>();
        check(n < sc.nodes().size());
        s.path_.push_back(n);
      }
    }
    const auto tags = in.num<std::uint32_t>();
    check(tags <= sc.tags().size());
    for (std::uint32_t i = 0; i < tags && in.ok() && !bad; ++i) {
      const auto t = in.num<TagId>();
      check(t < sc.tags().size());
      s.tag_order_.push_back(t);
    }
    const auto entries = in.num<std::uint32_t>();
    check(entries <= s.transcript_cap_ && entries <= in.left() / 16);
    for (std::uint32_t i = 0; i < entries && in.ok() && !bad; ++i) {
      if (!s.transcript_) s.transcript_ = std::make_unique<std::vector<TranscriptEntry>>();
      TranscriptEntry& e = s.transcript_->emplace_back();
      e.who = in.num<TranscriptEntry::Who>();
      check(in_range(e.who, TranscriptEntry::Who::agent));
      e.at_ms = in.num<std::uint64_t>();
      e.node = in.num<NodeId>();
      e.intent = in.num<IntentId>();
      check((e.node == kNone || e.node < sc.nodes().size()) &&
            (e.intent == kNone || e.intent < sc.intents().size()));
      e.text.assign(in.text());
    }
    if (!in.ok())
      return fail(RestoreError::corrupted, "the snapshot's contents end early: the bytes were changed");
    if (bad || in.left() != 0)
      return fail(RestoreError::corrupted,
                  "the snapshot holds values this script cannot have: the bytes were changed, or written by "
                  "another program");
    r.session.emplace(std::move(s));
    return r;
  }
};

void Session::snapshot(std::string& out) const { SessionCodec::write(*this, out); }

std::string Session::snapshot() const {
  std::string out;
  SessionCodec::write(*this, out);
  return out;
}

Restored Session::restore(std::shared_ptr<const Script> script, std::string_view bytes) {
  return SessionCodec::read(std::move(script), bytes);
}

}  // namespace patter
