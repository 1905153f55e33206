// The script fingerprint: a hash of a canonical serialisation of the whole
// compiled script, taken while the serialisation is written.
//
// Each compiled structure has one visitor below that names its fields
// through a structured binding, so a field added to the structure stops
// this file from compiling until it is written here too: a snapshot taken
// under one script can never restore under another that differs in a field
// the fingerprint forgot. Source marks (`where`) and file names are left
// out on purpose: moving a line or renaming a file does not change what a
// call does, so a snapshot stays valid across such edits.
#include "compile/fingerprint.hpp"

#include <fmt/format.h>

#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "text/fnv1a.hpp"

namespace patter::detail {

namespace {

/// Writes values as bytes that only equal values share: fixed-size
/// little-endian numbers, length-prefixed texts and lists. The bytes are
/// hashed eight at a time as they are written (a multiply per word, where
/// byte-wise FNV-1a takes one per byte: the fingerprint is a tenth of a
/// script's load time otherwise), and kept only when asked for.
class Canon {
 public:
  explicit Canon(bool keep_bytes) : keep_(keep_bytes) {}
  template <class... T>
  void operator()(const T&... v) {
    (one(v), ...);
  }
  const std::string& bytes() const noexcept { return out_; }
  /// The hash of everything written, with its last bits mixed into all.
  std::uint64_t hash() const noexcept {
    std::uint64_t h = h_ ^ (h_ >> 33);
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
  }

 private:
  template <class T>
  void one(const T& v) {
    if constexpr (std::is_enum_v<T>) {
      word(static_cast<std::uint64_t>(v));
    } else if constexpr (std::is_floating_point_v<T>) {
      double d = v == 0 ? 0.0 : static_cast<double>(v);  // one zero, not two
      std::uint64_t u;
      std::memcpy(&u, &d, sizeof u);
      word(u);
    } else if constexpr (std::is_integral_v<T>) {
      word(static_cast<std::uint64_t>(v));
    } else {
      fields(*this, v);  // a compiled structure: its visitor below
    }
  }
  void one(const std::string& s) { text(s); }
  void one(const std::optional<std::string>& s) {
    one(s.has_value());
    if (s) text(*s);
  }
  void one(const Expr& e) { text(e.source()); }  // its code is compiled from the source alone
  template <class A, class B>
  void one(const std::pair<A, B>& p) {
    one(p.first);
    one(p.second);
  }
  template <class T>
  void one(const std::vector<T>& v) {
    word(v.size());
    for (const T& x : v) one(x);
  }

  void word(std::uint64_t u) {
    mix(u);
    if (!keep_) return;
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((u >> (8 * i)) & 0xFF);
    out_.append(b, 8);
  }
  void text(std::string_view s) {
    word(s.size());
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) mix(load(s.data() + i, 8));
    if (i < s.size()) mix(load(s.data() + i, s.size() - i));
    if (keep_) out_.append(s);
  }
  /// Up to eight bytes as a little-endian number (the length is hashed
  /// before the text, so a short last piece cannot be confused).
  static std::uint64_t load(const char* p, std::size_t n) noexcept {
    std::uint64_t u = 0;
    for (std::size_t i = 0; i < n; ++i)
      u |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    return u;
  }
  void mix(std::uint64_t u) noexcept {
    h_ = (((h_ << 23) | (h_ >> 41)) ^ u) * 0x9e3779b97f4a7c15ull;
  }

  bool keep_;
  std::uint64_t h_ = kFnvOffset;
  std::string out_;
};

// One visitor per structure. A `where` is a source position (see above).

void fields(Canon& c, const Template::Piece& p) {
  const auto& [offset, length, variable, type] = p;
  c(offset, length, variable, type);
}

void fields(Canon& c, const Template& t) {
  const auto& [source, pieces] = t;
  c(source, pieces);
}

void fields(Canon& c, const Escalation& e) {
  const auto& [reason, priority] = e;
  c(reason, priority);
}

void fields(Canon& c, const Assignment& a) {
  const auto& [variable, value, text] = a;
  c(variable, value, text);
}

void fields(Canon& c, const Route& r) {
  const auto& [intents, target, any, score, tag_ids, guard, keys, tags, where, set] = r;
  (void)where;
  c(intents, target, any, score, tag_ids, guard, keys, tags, set);
}

void fields(Canon& c, const Branch& b) {
  const auto& [guard, target, set, where] = b;
  (void)where;
  c(guard, target, set);
}

void fields(Canon& c, const Fallback& f) {
  const auto& [retries, reprompts, then, long_reply, at_total] = f;
  c(retries, reprompts, then, long_reply, at_total);
}

void fields(Canon& c, const Variant& v) {
  const auto& [name, weight, lines, recording, own_routes, routes, next, where] = v;
  (void)where;
  c(name, weight, lines, recording, own_routes, routes, next);
}

void fields(Canon& c, const Node& n) {
  const auto& [kind, barge_in, hangup, escalation, listen_ms, max_visits, next, min_confidence,
               understand, understand_ms, score, routes, lines, tag_ids, recording, name, tags,
               no_match, no_input, candidates, where, line_when, set, capture, branches,
               globals_limited, globals_allowed, variants, experiment, experiment_salt,
               variant_total, flow, calls, call_start, call_then, on_return, outcome, interrupt,
               interrupt_intents, fetch, rare] = n;
  (void)where;
  (void)rare;  // found from the fields above
  c(kind, barge_in, hangup, escalation, listen_ms, max_visits, next, min_confidence, understand,
    understand_ms, score, routes, lines, tag_ids, recording, name, tags, no_match, no_input,
    candidates, line_when, set, capture, branches, globals_limited, globals_allowed, variants,
    experiment, experiment_salt, variant_total, flow, calls, call_start, call_then, on_return,
    outcome, interrupt, interrupt_intents, fetch);
}

void fields(Canon& c, const Intent& in) {
  const auto& [name, phrases, patterns, examples, opposite, priority, score, opt_out, kind, where] =
      in;
  (void)where;
  c(name, phrases, patterns, examples, opposite, priority, score, opt_out, kind);
}

void fields(Canon& c, const Variable& v) {
  const auto& [name, type, default_value, required, host_settable] = v;
  c(name, type, default_value, required, host_settable);
}

void fields(Canon& c, const FetchRoute& r) {
  const auto& [guard, target, where] = r;
  (void)where;
  c(guard, target);
}

void fields(Canon& c, const Fetch& f) {
  const auto& [name, with, timeout_ms, routes, timeout, failed, where] = f;
  (void)where;
  c(name, with, timeout_ms, routes, timeout, failed);
}

void fields(Canon& c, const Voicemail& v) {
  const auto& [lines, recording, where] = v;
  (void)where;
  c(lines, recording);
}

void fields(Canon& c, const GlobalHandler& g) {
  const auto& [intents, lines, recording, tags, tag_ids, score, then, reprompt, target, hangup,
               escalation, max_times, where, set, repeat, interrupt, interrupt_intents] = g;
  (void)where;
  c(intents, lines, recording, tags, tag_ids, score, then, reprompt, target, hangup, escalation,
    max_times, set, repeat, interrupt, interrupt_intents);
}

void fields(Canon& c, const Limits& l) {
  const auto& [max_turns, max_duration_s, max_visits, no_match_consecutive, no_match_total,
               no_input_consecutive, no_input_total, close, escalate_score, escalate_node,
               close_max_turns, close_max_duration, close_max_visits, close_no_match_consecutive,
               close_no_match_total, close_no_input_consecutive, close_no_input_total] = l;
  c(max_turns, max_duration_s, max_visits, no_match_consecutive, no_match_total,
    no_input_consecutive, no_input_total, close, escalate_score, escalate_node, close_max_turns,
    close_max_duration, close_max_visits, close_no_match_consecutive, close_no_match_total,
    close_no_input_consecutive, close_no_input_total);
}

void fields(Canon& c, const Settings::Word& w) {
  const auto& [text, filler] = w;
  c(text, filler);
}

void fields(Canon& c, const Settings& s) {
  const auto& [listen_ms, barge_in, barge_in_opening, barge_in_closing, no_barge_ms,
               long_reply_chars, fillers, negation_window, similarity_threshold, backchannels,
               backchannel_intent, min_confidence, understand, understand_ms, clarify, interrupt,
               interrupt_intents] = s;
  c(listen_ms, barge_in, barge_in_opening, barge_in_closing, no_barge_ms, long_reply_chars, fillers,
    negation_window, similarity_threshold, backchannels, backchannel_intent, min_confidence,
    understand, understand_ms, clarify, interrupt, interrupt_intents);
}

void fields(Canon& c, const Hold& h) {
  const auto& [mode, lines, interval_s, resume, timeout_s, then, where] = h;
  (void)where;
  c(mode, lines, interval_s, resume, timeout_s, then);
}

void fields(Canon& c, const Flow& f) {
  const auto& [name, start, outcomes, where] = f;
  (void)where;
  c(name, start, outcomes);
}

void fields(Canon& c, const GradeRule& r) {
  const auto& [grade, when, tags, tag_ids] = r;
  c(grade, when, tags, tag_ids);
}

}  // namespace

#if defined(__x86_64__) && defined(__GLIBCXX__)
// Script is a class, so its fields cannot be bound like the structures
// above; its size stands in for the list. If this fails, a field was added
// to Script: write it below (or say why it stays out), then update the size.
// The fingerprint itself and its once-flag stay out.
static_assert(sizeof(Script) - sizeof(Matcher) == 944,
              "Script changed: add the new field to canonical_bytes");
#endif

namespace {

Canon canonical(const Script& s, bool keep_bytes) {
  Canon c(keep_bytes);
  // The script's own fields through its accessors. Left out: files() (see
  // above) and matcher(), which is built from the intents and settings.
  c(s.id(), s.version(), s.locale(), s.title(), s.start(), s.nodes(), s.intents(), s.variables(),
    s.globals(), s.grading(), s.default_grade(), s.limits(), s.settings(), s.hold(), s.tags(),
    s.opts_out(), s.grades(), s.flows());
  c(s.fetches(), s.voicemail().has_value(), s.time_zone());
  if (s.voicemail()) c(*s.voicemail());
  return c;
}

}  // namespace

std::string canonical_bytes(const Script& s) {
  return canonical(s, true).bytes();
}

std::string fingerprint(const Script& s) {
  return fmt::format("{:016x}", canonical(s, false).hash());
}

}  // namespace patter::detail

namespace patter {

// Here rather than in lib/script/: the canonical form is the compiler's.
const std::string& Script::fingerprint() const {
  std::call_once(fingerprint_once_, [this] { fingerprint_ = detail::fingerprint(*this); });
  return fingerprint_;
}

}  // namespace patter
