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
#include <vector>

#include "patter/session.hpp"
#include "text/fnv1a.hpp"
#include "runtime/session_state.hpp"

namespace patter {

namespace {

constexpr char kMagic[4] = {'P', 'T', 'R', 'S'};
constexpr std::uint16_t kVersion = 2;  // 2: the host's understanding, the line to say on
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

/// The last line's owner is one the script has, of its kind.
bool line_owned(const Script& sc, std::uint8_t kind, std::uint32_t owner) noexcept {
  switch (static_cast<LineKind>(kind)) {
    case LineKind::none:
    case LineKind::hold:
      return true;
    case LineKind::node:
    case LineKind::no_match:
    case LineKind::no_input:
      return owner < sc.nodes().size();
    case LineKind::handler:
      return owner < sc.globals().size();
  }
  return false;  // past kLastLineKind
}

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
                                    (s.person_joined_ ? 16 : 0) | (s.asking_ ? 32 : 0)));
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
    w.num(SessionAccess::nodes_passed(s));
    w.num(s.transcript_ ? s.transcript_->cap : std::uint32_t{0});
    w.num(s.no_match_run_);
    w.num(s.no_input_run_);
    w.num(s.escalations_);
    w.num(s.hold_said_);
    w.num(s.person_turns_);
    w.num(s.no_match_tries_);
    w.num(s.no_input_tries_);
    w.num(s.ask_deadline_);
    w.num(s.ask_length_);
    w.num(s.line_kind_);
    w.num(s.line_phrasing_);
    w.num(s.line_owner_);

    const SessionLayout layout(*s.script_);
    const std::size_t counts = layout.counts();
    w.num(static_cast<std::uint32_t>(counts));
    const std::uint16_t* count = SessionAccess::counts(s, layout);
    for (std::size_t i = 0; i < counts; ++i) w.num(count[i]);
    w.num(layout.vars);
    for (VariableId v = 0; v < layout.vars; ++v) {
      // A text variable: its own text, if any. Otherwise the number.
      const bool text = SessionAccess::is_text(*s.script_, v);
      const OwnText* own = text ? SessionAccess::text(s, v) : nullptr;
      w.num(static_cast<std::uint8_t>(own != nullptr));
      w.real(text ? 0.0 : SessionAccess::number(s, v));
      w.text(own ? own->view() : std::string_view());
    }
    // The log, as the path and then the tags.
    const std::uint32_t* log = SessionAccess::log(s, layout);
    const std::uint32_t nodes = SessionAccess::nodes_passed(s);
    w.num(nodes);
    for (std::uint32_t i = 0; i < s.log_size_; ++i)
      if (!(log[i] & kTagEntry)) w.num(static_cast<NodeId>(log[i]));
    w.num(s.log_size_ - nodes);
    for (std::uint32_t i = 0; i < s.log_size_; ++i)
      if (log[i] & kTagEntry) w.num(static_cast<TagId>(log[i] & ~kTagEntry));
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
    w.num(detail::fnv1a(out));
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
    if (tail.num<std::uint64_t>() != detail::fnv1a(bytes.substr(0, total - kTrailer)))
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
    check((s.phase_ == Phase::ended) == (s.outcome_ != Outcome::none));  // an outcome exactly when ended
    const auto flags = in.num<std::uint8_t>();
    check(flags < 64);
    s.escalated_ = flags & 1;
    s.score_escalated_ = flags & 2;
    s.line_barge_in_ = flags & 4;
    s.awaiting_ = flags & 8;
    s.person_joined_ = flags & 16;
    s.asking_ = flags & 32;
    check(!s.asking_ ||
          s.phase_ == Phase::robot);  // the host is asked only while the robot has the call
    s.grade_ = static_cast<char>(in.num<std::uint8_t>());
    check(s.grade_ == 0 || (s.grade_ >= 'A' && s.grade_ <= 'E'));
    s.node_ = in.num<NodeId>();
    check(s.node_ == kNone || s.node_ < sc.nodes().size());
    s.last_listen_ = in.num<NodeId>();
    check(s.last_listen_ == kNone || s.last_listen_ < sc.nodes().size());
    check(s.phase_ == Phase::dialing || s.node_ != kNone || s.phase_ == Phase::ended);
    if (s.phase_ == Phase::robot)
      check(s.node_ < sc.nodes().size() && sc.nodes()[s.node_].kind == NodeKind::listen);
    s.answered_at_ = in.num<std::uint64_t>();
    s.last_at_ = in.num<std::uint64_t>();
    s.waiting_since_ = in.num<std::uint64_t>();
    s.score_ = in.real();
    s.turns_ = in.num<std::uint32_t>();
    s.silences_ = in.num<std::uint32_t>();
    s.no_matches_ = in.num<std::uint32_t>();
    const auto nodes_passed = in.num<std::uint32_t>();
    if (const auto cap = in.num<std::uint32_t>()) {
      s.transcript_ = std::make_unique<Session::Transcript>();
      s.transcript_->cap = cap;
    }
    s.no_match_run_ = in.num<std::uint16_t>();
    s.no_input_run_ = in.num<std::uint16_t>();
    s.escalations_ = in.num<std::uint16_t>();
    s.hold_said_ = in.num<std::uint16_t>();
    s.person_turns_ = in.num<std::uint16_t>();
    s.no_match_tries_ = in.num<std::uint8_t>();
    s.no_input_tries_ = in.num<std::uint8_t>();
    s.ask_deadline_ = in.num<std::uint64_t>();
    s.ask_length_ = in.num<std::uint32_t>();
    s.line_kind_ = in.num<std::uint8_t>();
    s.line_phrasing_ = in.num<std::uint16_t>();
    s.line_owner_ = in.num<std::uint32_t>();
    check(line_owned(sc, s.line_kind_, s.line_owner_));

    const SessionLayout layout(sc);
    const std::size_t counts = layout.counts();
    check(in.num<std::uint32_t>() == counts);
    std::uint16_t* count = SessionAccess::counts(s, layout);
    for (std::size_t i = 0; i < counts && in.ok() && !bad; ++i) count[i] = in.num<std::uint16_t>();
    check(in.num<std::uint32_t>() == layout.vars);
    for (VariableId v = 0; v < layout.vars && in.ok() && !bad; ++v) {
      const auto own = in.num<std::uint8_t>();
      check(own <= 1);
      const double number = in.real();
      const std::string_view text = in.text();
      if (!SessionAccess::is_text(sc, v))
        SessionAccess::set_number(s, v, number);
      else if (own == 1)
        SessionAccess::set_text(s, v, text);
    }
    const auto path = in.num<std::uint32_t>();
    check(path <= in.left() / sizeof(NodeId) && path == nodes_passed);
    for (std::uint32_t i = 0; i < path && in.ok() && !bad; ++i) {
      const auto n = in.num<NodeId>();
      check(n < sc.nodes().size());
      SessionAccess::log_push(s, layout, n);
    }
    const auto tags = in.num<std::uint32_t>();
    check(tags <= sc.tags().size());
    // The tags listed are the tags held (the tag bits among the counts),
    // each listed once: tags() and tagged() must agree.
    std::vector<std::uint16_t> listed(layout.tag_words);
    for (std::uint32_t i = 0; i < tags && in.ok() && !bad; ++i) {
      const auto t = in.num<TagId>();
      check(t < sc.tags().size());
      if (bad) break;
      const auto bit = static_cast<std::uint16_t>(1u << (t % 16));
      check(!(listed[t / 16] & bit));
      listed[t / 16] = static_cast<std::uint16_t>(listed[t / 16] | bit);
      SessionAccess::log_push(s, layout, kTagEntry | t);
    }
    const std::uint16_t* held = SessionAccess::counts(s, layout);  // the log may have moved the block
    for (std::size_t w = 0; w < layout.tag_words && in.ok() && !bad; ++w) check(listed[w] == held[layout.tags() + w]);
    const auto entries = in.num<std::uint32_t>();
    check(entries <= (s.transcript_ ? s.transcript_->cap : 0u) && entries <= in.left() / 16);
    for (std::uint32_t i = 0; i < entries && in.ok() && !bad; ++i) {
      TranscriptEntry& e = s.transcript_->lines.emplace_back();
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
