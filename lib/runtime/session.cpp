// The call runtime: a session's state and the rules that move it.
#include "patter/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "match/matcher_access.hpp"
#include "runtime/backchannel.hpp"
#include "runtime/call_life.hpp"
#include "runtime/session_env.hpp"
#include "runtime/session_state.hpp"
#include "text/numbers.hpp"
#include "text/suggest.hpp"
#include "text/utf8.hpp"

namespace patter {

/// What one turn does on its usual way (a line, a listen, a route) is
/// compiled into `Session::step` itself rather than called.
#define PATTER_TURN_INLINE [[gnu::always_inline]] inline

namespace {

constexpr std::uint16_t kSaturated = 0xFFFF;
/// Nodes one step may enter (pass-through chains, redirects); past it the
/// call ends with `error`. Compiled scripts never come near it.
constexpr int kMaxEntriesPerStep = 256;
/// Longest customer text kept in a transcript entry, in bytes.
constexpr std::size_t kTranscriptTextMax = 1024;
/// Transcript lines an `understand` action carries, the reply last.
constexpr std::size_t kUnderstandContext = 6;

/// Where a reply comes from, for the rules that differ.
enum class ReplyFrom : std::uint8_t {
  words,   ///< an utterance: the matcher read it; the host may be asked
  host,    ///< the host's own NLU: candidates in order of confidence
  key,     ///< a DTMF key
  answer,  ///< the host's answer to `understand`: the turn was counted already
};

/// The `i`th of `n` phrasings, round and round. Scripts have 1 to 4, so a
/// division by a variable (dozens of cycles) is never needed.
std::size_t phrasing_of(std::size_t i, std::size_t n) noexcept {
  switch (n) {
    case 1: return 0;
    case 2: return i & 1;
    case 3: return i % 3;
    case 4: return i & 3;
    default: return i % n;
  }
}

void bump(std::uint16_t& c) noexcept {
  if (c != kSaturated) ++c;
}

/// Longest text value a host may pass for a variable (Session::start).
constexpr std::size_t kMaxVariableBytes = std::size_t{1} << 20;

/// A name or value from the host as an error message quotes it: whole when
/// short, else its first 64 bytes (cut between characters) and "…".
std::string quoted(std::string_view v) {
  if (v.size() <= 64) return std::string(v);
  return std::string(detail::utf8_head(v, 64)) + "…";
}

std::optional<bool> parse_bool(std::string_view v) noexcept {
  if (v == "true" || v == "yes" || v == "1" || v == "是") return true;
  if (v == "false" || v == "no" || v == "0" || v == "否") return false;
  return std::nullopt;
}

}  // namespace

// ---- the engine: one step ---------------------------------------------------------

struct SessionEngine {
  Session& s;
  Turn& t;
  const Script& sc;
  std::uint64_t now;
  SessionLayout layout;
  int entries = 0;
  bool closing = false;              // entering the limits' close node
  HangupReason forced = HangupReason::completed;

  SessionEngine(Session& session, Turn& turn, std::uint64_t at)
      : s(session), t(turn), sc(*session.script_), now(at), layout(sc) {}

  std::uint16_t* counts() noexcept { return SessionAccess::counts(s); }
  std::uint16_t& visits(NodeId n) noexcept { return counts()[layout.visits() + n]; }
  std::uint16_t& heard(IntentId i) noexcept { return counts()[layout.heard() + i]; }
  std::uint16_t& runs(std::uint32_t g) noexcept { return counts()[layout.runs() + g]; }

  // ---- output ----------------------------------------------------------------

  PATTER_TURN_INLINE Action& push(ActionType type, NodeId node) {
    if (t.actions_used_ == t.actions_.size()) [[unlikely]]
      t.actions_.resize(std::max<std::size_t>(8, t.actions_.size() * 2));
    Action& a = t.actions_[t.actions_used_++];
    a = Action{};
    a.type = type;
    a.node = node;
    return a;
  }

  PATTER_TURN_INLINE void entered(NodeId n) {
    if (t.path_used_ == t.path_.size()) [[unlikely]]
      t.path_.resize(std::max<std::size_t>(8, t.path_.size() * 2));
    t.path_[t.path_used_++] = n;
  }

  /// Append to the Turn's text. The string is used as a plain buffer (its
  /// size is its capacity; `text_used_` bytes are the text), so appending is
  /// a copy, and grows it rarely.
  [[gnu::always_inline]] void put(std::string_view v) {
    const std::size_t at = t.text_used_;
    if (at + v.size() > t.text_.size()) [[unlikely]]
      grow(at + v.size());
    std::memcpy(t.text_.data() + at, v.data(), v.size());
    t.text_used_ = at + v.size();
  }

  [[gnu::noinline]] void grow(std::size_t need) {
    t.text_.resize(std::max<std::size_t>({need, t.text_.size() * 2, 256}));
  }

  PATTER_TURN_INLINE void render(const Template& line) {
    for (const Template::Piece& p : line.pieces) {
      if (p.variable == kNone) {
        put(std::string_view(line.source.data() + p.offset, p.length));  // checked when compiled
        continue;
      }
      switch (static_cast<Variable::Type>(p.type)) {
        case Variable::Type::text:
          if (const auto own = SessionAccess::text(s, p.variable))
            put(*own);
          else if (const auto& d = sc.variables()[p.variable].default_value)
            put(*d);
          break;
        case Variable::Type::number: {
          char buf[32];
          const auto end = fmt::format_to_n(buf, sizeof buf, "{}", SessionAccess::number(s, p.variable));
          put(std::string_view(buf, std::min<std::size_t>(end.size, sizeof buf)));
          break;
        }
        case Variable::Type::boolean:
          put(SessionAccess::number(s, p.variable) != 0 ? "true" : "false");
          break;
      }
    }
  }

  /// Lines put earlier in this step point into the Turn's buffer: if it
  /// moved while growing, they move with it.
  [[gnu::noinline]] void relocate(std::uintptr_t old_base, std::size_t old_size) {
    for (Action& earlier : std::span<Action>(t.actions_.data(), t.actions_used_)) {
      const auto at = reinterpret_cast<std::uintptr_t>(earlier.text.data());
      if (earlier.type != ActionType::tag && at >= old_base && at < old_base + old_size)
        earlier.text = std::string_view(t.text_).substr(at - old_base, earlier.text.size());
    }
  }

  /// Render a line (or copy a text) into the Turn's buffer.
  PATTER_TURN_INLINE std::string_view put_line(const Template* line, std::string_view text = {}) {
    const std::size_t begin = t.text_used_;
    const auto old_base = reinterpret_cast<std::uintptr_t>(t.text_.data());
    const std::size_t old_size = t.text_.size();
    if (line)
      render(*line);
    else
      put(text);
    if (reinterpret_cast<std::uintptr_t>(t.text_.data()) != old_base) [[unlikely]]
      relocate(old_base, old_size);
    return std::string_view(t.text_.data() + begin, t.text_used_ - begin);
  }

  PATTER_TURN_INLINE void say(const Template* line, std::string_view recording, bool barge_in,
                              NodeId node, LineKind kind, std::uint32_t owner,
                              std::uint32_t phrasing) {
    if (!line && recording.empty()) return;
    const std::string_view text = put_line(line);
    Action& a = push(ActionType::say, node);
    a.recording = recording;
    a.barge_in = barge_in;
    a.no_barge_ms = sc.settings().no_barge_ms;
    a.text = text;
    s.st_.line_barge_in = barge_in;
    s.st_.line_kind = static_cast<std::uint8_t>(kind);
    s.st_.line_owner = owner;
    s.st_.line_phrasing = static_cast<std::uint16_t>(phrasing);
    if (s.st_.transcript) s.record(TranscriptEntry::Who::robot, now, node, kNone, text);
  }

  PATTER_TURN_INLINE void say_node(NodeId n, std::uint32_t phrasing) {
    const Node& node = sc.nodes()[n];
    const Template* line = node.lines.empty() ? nullptr : &node.lines[phrasing_of(phrasing, node.lines.size())];
    say(line, node.recording, node.barge_in, n, LineKind::node, n, phrasing);
  }

  /// The host paused the last line said for words that were no
  /// interruption: say it on from where it stopped.
  void resume_line(std::uint32_t offset_ms) {
    const Template* line = nullptr;
    std::string_view recording;
    bool barge_in = sc.settings().barge_in;
    NodeId node = s.st_.node;
    const std::uint32_t owner = s.st_.line_owner;
    const std::uint32_t p = s.st_.line_phrasing;
    auto pick = [&](const std::vector<Template>& lines) {
      if (!lines.empty()) line = &lines[phrasing_of(p, lines.size())];
    };
    switch (static_cast<LineKind>(s.st_.line_kind)) {
      case LineKind::none:
        return;
      case LineKind::node:
        pick(sc.nodes()[owner].lines);
        recording = sc.nodes()[owner].recording;
        barge_in = sc.nodes()[owner].barge_in;
        node = owner;
        break;
      case LineKind::no_match:
      case LineKind::no_input: {
        const Node& n = sc.nodes()[owner];
        pick(static_cast<LineKind>(s.st_.line_kind) == LineKind::no_match ? n.no_match.reprompts
                                                                       : n.no_input.reprompts);
        barge_in = n.barge_in;
        node = owner;
        break;
      }
      case LineKind::handler:
        pick(sc.globals()[owner].lines);
        recording = sc.globals()[owner].recording;
        break;
      case LineKind::hold:
        pick(sc.hold().lines);
        break;
    }
    const std::string_view text = line ? put_line(line) : std::string_view();
    Action& a = push(ActionType::resume_line, node);
    a.text = text;
    a.recording = recording;
    a.barge_in = barge_in;
    a.offset_ms = offset_ms;
  }

  /// The phrasing of the node's current visit.
  std::uint32_t current_phrasing(NodeId n) noexcept {
    const std::uint16_t v = visits(n);
    return v == 0 ? 0 : v - 1u;
  }

  void tag(TagId id, NodeId node) {
    std::uint16_t& word = counts()[layout.tags() + id / 16];
    const auto bit = static_cast<std::uint16_t>(1u << (id % 16));
    if (word & bit) return;
    word = static_cast<std::uint16_t>(word | bit);
    SessionAccess::log_push(s, layout, kTagEntry | id);
    Action& a = push(ActionType::tag, node);
    a.text = sc.tags()[id];
  }

  void tags(const std::vector<TagId>& ids, NodeId node) {
    for (TagId id : ids) tag(id, node);
  }

  // ---- ending and handing over --------------------------------------------------

  void end_call(Outcome outcome, HangupReason reason) {
    s.st_.phase = Phase::ended;
    s.st_.awaiting = false;
    s.st_.asking = false;
    s.st_.outcome = s.st_.person_joined ? Outcome::escalated : outcome;
    s.st_.hangup = reason;
    SessionEnv env(s);
    char grade = sc.default_grade();
    for (const GradeRule& rule : sc.grading()) {
      if (rule.when.test(env)) {
        grade = rule.grade;
        tags(rule.tag_ids, s.st_.node);
        break;
      }
    }
    s.st_.grade = grade;
    push(ActionType::end, s.st_.node);
  }

  void hangup(HangupReason reason, NodeId node, std::optional<Outcome> outcome = std::nullopt) {
    Action& a = push(ActionType::hangup, node);
    a.hangup = reason;
    end_call(outcome.value_or(reason == HangupReason::completed ? Outcome::completed : Outcome::hangup), reason);
  }

  void escalate(const Escalation& e, NodeId node) {
    const Hold& hold = sc.hold();
    if (s.st_.awaiting) {  // already waiting (the robot kept talking): no second escalation
      s.st_.phase = Phase::waiting;
      return;
    }
    s.st_.escalated = true;
    s.st_.escalation = e.reason;
    if (s.st_.escalations != kSaturated) ++s.st_.escalations;
    s.st_.awaiting = true;
    s.st_.waiting_since = now;
    s.st_.hold_said = 0;
    s.st_.phase = Phase::waiting;
    Action& a = push(ActionType::escalate, node);
    a.escalation = e.reason;
    a.priority = e.priority;
    a.score = s.st_.score;
    if (hold.mode == Hold::While::script && hold.resume != kNone) {
      s.st_.phase = Phase::robot;  // the robot carries on until a person comes
      enter(hold.resume);
    }
  }

  bool hold_timed_out() const noexcept {
    return s.st_.awaiting && now - s.st_.waiting_since >= std::uint64_t{sc.hold().timeout_s} * 1000u;
  }

  /// Nobody took the escalated call in time: the hold policy's `then`, or
  /// hang up with `no_agent`.
  void no_person() {
    s.st_.awaiting = false;
    t.decision_ = Decision::no_person;
    s.st_.phase = Phase::robot;
    const NodeId then = sc.hold().then;
    if (then != kNone)
      enter(then);
    else
      hangup(HangupReason::no_agent, s.st_.node);
  }

  /// A timer while waiting: the timeout, or the next hold line.
  void hold_timer() {
    const Hold& hold = sc.hold();
    if (hold_timed_out()) {
      no_person();
      return;
    }
    const std::uint64_t next = s.st_.waiting_since + std::uint64_t{hold.interval_s} * 1000u * (s.st_.hold_said + 1u);
    if (s.st_.phase == Phase::waiting && hold.mode == Hold::While::lines && !hold.lines.empty() && now >= next) {
      t.decision_ = Decision::hold;
      say(&hold.lines[phrasing_of(s.st_.hold_said, hold.lines.size())], {}, sc.settings().barge_in,
          s.st_.node, LineKind::hold, kNone, s.st_.hold_said);
      if (s.st_.hold_said != kSaturated) ++s.st_.hold_said;
      return;
    }
    t.status_ = Status::ignored;
  }

  /// A limit ends the call: the close node's line, then hang up for `reason`.
  void close_for(HangupReason reason) {
    t.decision_ = Decision::limit;
    t.limit_ = reason;
    const NodeId close = sc.limits().close;
    if (close == kNone || closing) {
      hangup(reason, s.st_.node);
      return;
    }
    closing = true;
    forced = reason;
    enter(close);
  }

  // ---- moving through the graph -------------------------------------------------

  bool score_escalation_due() const noexcept {
    const Limits& lim = sc.limits();
    return !closing && lim.escalate_score > 0 && lim.escalate_node != kNone && !s.st_.score_escalated &&
           !s.st_.escalated && s.st_.score >= static_cast<double>(lim.escalate_score);
  }

  void enter(NodeId n) {
    for (;;) {
      if (++entries > kMaxEntriesPerStep) {
        hangup(HangupReason::error, s.st_.node);
        return;
      }
      const Node& node = sc.nodes()[n];
      if (!closing && !node.terminal() && score_escalation_due()) {
        s.st_.score_escalated = true;
        t.decision_ = Decision::score;
        n = sc.limits().escalate_node;
        continue;
      }
      std::uint16_t& v = visits(n);
      if (!closing && !node.terminal() && node.max_visits > 0 && v >= node.max_visits) {
        close_for(HangupReason::max_visits);
        return;
      }
      // Past the turn limit the robot asks nothing more: close before the
      // line, not after it.
      if (!closing && node.kind == NodeKind::listen && turns_over()) {
        close_for(HangupReason::max_turns);
        return;
      }
      bump(v);
      const std::uint32_t phrasing = v - 1u;  // v moves when the log grows
      s.st_.node = n;
      SessionAccess::log_push(s, layout, n);
      entered(n);
      s.st_.no_match_tries = s.st_.no_input_tries = 0;
      tags(node.tag_ids, n);
      s.st_.score += node.score;
      say_node(n, phrasing);
      if (closing) {
        hangup(forced, n);
        return;
      }
      switch (node.kind) {
        case NodeKind::listen:
          // Just checked above: the turn limit; the score only moved by the node's own.
          listen(n, /*entered=*/true, node.score != 0);
          return;
        case NodeKind::pass:
          n = node.next;
          continue;
        case NodeKind::hangup:
          hangup(node.hangup, n);
          return;
        case NodeKind::escalate:
          escalate(node.escalation, n);
          return;
      }
      return;
    }
  }

  /// The robot has had its `max_turns` replies (those made to a person do
  /// not count).
  bool turns_over() const noexcept {
    const int max = sc.limits().max_turns;
    return max > 0 && s.st_.turns - std::min<std::uint32_t>(s.st_.turns, s.st_.person_turns) >= static_cast<std::uint32_t>(max);
  }

  /// Wait for the customer at `n` (the node the call is at), unless a limit
  /// or the score says otherwise.
  PATTER_TURN_INLINE void listen(NodeId n, bool entered = false, bool scored = true) {
    const Limits& lim = sc.limits();
    if (!entered && turns_over()) {
      close_for(HangupReason::max_turns);
      return;
    }
    if (scored && score_escalation_due()) {
      s.st_.score_escalated = true;
      t.decision_ = Decision::score;
      enter(lim.escalate_node);
      return;
    }
    s.st_.phase = Phase::robot;
    s.st_.last_listen = n;
    Action& a = push(ActionType::listen, n);
    a.timeout_ms = sc.nodes()[n].listen_ms;
  }

  // ---- what the customer did ------------------------------------------------------

  void run_handler(std::uint32_t index) {
    const GlobalHandler& g = sc.globals()[index];
    const NodeId at = s.st_.node;
    bump(runs(index));
    tags(g.tag_ids, at);
    s.st_.score += g.score;
    if (!g.lines.empty() || !g.recording.empty()) {
      const std::uint32_t phrasing = runs(index) - 1u;
      const Template* line =
          g.lines.empty() ? nullptr : &g.lines[phrasing_of(phrasing, g.lines.size())];
      say(line, g.recording, sc.settings().barge_in, at, LineKind::handler, index, phrasing);
    }
    switch (g.then) {
      case GlobalHandler::Then::resume:
        if (g.reprompt && !turns_over()) say_node(at, current_phrasing(at));
        listen(at);
        return;
      case GlobalHandler::Then::go_to:
        enter(g.target);
        return;
      case GlobalHandler::Then::hangup:
        hangup(g.hangup, at);
        return;
      case GlobalHandler::Then::escalate:
        escalate(g.escalation, at);
        return;
    }
  }

  /// Count the intents heard (once each per turn), their score, captures.
  PATTER_TURN_INLINE void absorb(const Understanding& u) {
    const auto found = u.intents();
    for (std::size_t i = 0; i < found.size(); ++i) {
      const IntentId id = found[i].intent;
      bool seen = false;
      for (std::size_t j = 0; j < i && !seen; ++j) seen = found[j].intent == id;
      if (seen) continue;
      bump(heard(id));
      s.st_.score += sc.intents()[id].score;
    }
    for (const Capture& c : u.captures()) {
      if (c.variable >= layout.vars) continue;
      const std::string_view text = u.capture_text(c);
      switch (sc.variables()[c.variable].type) {
        case Variable::Type::text:
          SessionAccess::set_text(s, c.variable, text);
          break;
        case Variable::Type::number:
          if (c.numeric)
            SessionAccess::set_number(s, c.variable, c.number);
          else if (auto n = detail::parse_number(text))
            SessionAccess::set_number(s, c.variable, *n);
          break;
        case Variable::Type::boolean:
          if (auto b = parse_bool(text)) SessionAccess::set_number(s, c.variable, *b ? 1 : 0);
          break;
      }
    }
  }

  /// An opt-out heard anywhere in the reply: the handler that ends the call.
  PATTER_TURN_INLINE std::optional<std::uint32_t> opt_out_handler(const Understanding& u) const noexcept {
    if (!sc.opts_out()) [[likely]]
      return std::nullopt;
    return opt_out_of(u);
  }

  [[gnu::noinline]] std::optional<std::uint32_t> opt_out_of(const Understanding& u) const noexcept {
    for (const IntentMatch& m : u.intents()) {
      if (!sc.intents()[m.intent].opt_out) continue;
      for (std::uint32_t g = 0; g < sc.globals().size(); ++g) {
        const auto& in = sc.globals()[g].intents;
        if (std::find(in.begin(), in.end(), m.intent) != in.end()) return g;
      }
    }
    return std::nullopt;
  }

  /// A reply at a listening node: utterance, host intent, key, or the
  /// host's answer to `understand` (counted when it was asked).
  void reply(const Understanding& u, char key, std::optional<std::uint32_t> opt_out, ReplyFrom from,
             std::string_view said = {}) {
    const NodeId at = s.st_.node;
    const Node& node = sc.nodes()[at];
    if (from != ReplyFrom::answer) {
      ++s.st_.turns;
      s.st_.no_input_run = 0;
    }
    absorb(u);
    SessionEnv env(s);

    if (auto g = opt_out) {
      t.decision_ = Decision::opt_out;
      t.index_ = *g;
      s.st_.no_match_run = 0;
      if (auto dnc = sc.find_tag("dnc")) tag(*dnc, at);
      run_handler(*g);
      return;
    }
    // The intents heard, best first: the first route (in the node's order)
    // for one of them whose `when` holds; then the global handlers, the same
    // way; then routes for `any` reply. A key takes the routes for it. The
    // host's candidates are taken one by one, in order of confidence: each
    // by the routes and then the handlers, before the next.
    auto take = [&](std::uint32_t r) __attribute__((always_inline)) {
      const Route& route = node.routes[r];
      t.decision_ = Decision::route;
      t.index_ = r;
      s.st_.no_match_run = 0;
      tags(route.tag_ids, at);
      s.st_.score += route.score;
      enter(route.target);
    };
    const std::uint32_t routes = static_cast<std::uint32_t>(node.routes.size());
    const Route* route = node.routes.data();
    if (key) {
      for (std::uint32_t r = 0; r < routes; ++r)
        if (route[r].keys.find(key) != std::string::npos && route[r].guard.test(env)) return take(r);
    }
    const auto found = u.intents();
    if ((from == ReplyFrom::host || from == ReplyFrom::answer) && found.size() > 1) {
      for (std::size_t i = 0; i < found.size(); ++i) {
        if (auto r = route_for(node, found.subspan(i, 1), env)) return take(*r);
        if (handler_for(found.subspan(i, 1))) return;
      }
    } else {
      if (auto r = route_for(node, found, env)) return take(*r);
      if (handler_for(found)) return;
    }
    if (from == ReplyFrom::words && node.understand && found.empty()) return ask(node, u, said);
    for (std::uint32_t r = 0; r < routes; ++r)
      if (route[r].any && route[r].guard.test(env)) return take(r);
    no_match(from == ReplyFrom::answer ? s.st_.ask_length : u.length(), node);
  }

  static bool has(const std::vector<IntentId>& v, IntentId i) noexcept {
    for (const IntentId x : v)  // a route names one or two intents
      if (x == i) return true;
    return false;
  }

  /// The first route, in the node's order, for the first of `found` that
  /// has one whose `when` holds.
  PATTER_TURN_INLINE std::optional<std::uint32_t> route_for(const Node& node,
                                                            std::span<const IntentMatch> found,
                                                            const SessionEnv& env) const {
    const std::uint32_t routes = static_cast<std::uint32_t>(node.routes.size());
    const Route* route = node.routes.data();
    for (const IntentMatch& m : found)
      for (std::uint32_t r = 0; r < routes; ++r)
        if (has(route[r].intents, m.intent) && route[r].guard.test(env)) return r;
    return std::nullopt;
  }

  /// Run the first global handler for the first of `found` that has one.
  bool handler_for(std::span<const IntentMatch> found) {
    for (const IntentMatch& m : found) {
      for (std::uint32_t g = 0; g < sc.globals().size(); ++g) {
        const GlobalHandler& h = sc.globals()[g];
        if (h.max_times > 0 && runs(g) >= h.max_times) continue;
        if (!has(h.intents, m.intent)) continue;
        t.decision_ = Decision::global;
        t.index_ = g;
        s.st_.no_match_run = 0;
        run_handler(g);
        return true;
      }
    }
    return false;
  }

  // ---- asking the host ----------------------------------------------------------

  /// The matcher understood nothing: ask the host, and wait for its answer
  /// until the node's `understand_ms` have passed.
  void ask(const Node& node, const Understanding& u, std::string_view said) {
    s.st_.asking = true;
    s.st_.ask_deadline = now + node.understand_ms;
    s.st_.ask_length = static_cast<std::uint16_t>(std::min<std::uint32_t>(u.length(), 0xFFFF));
    t.decision_ = Decision::understand;
    // The words as recognised (their normalised form when not UTF-8), cut
    // where the matcher stopped reading.
    const std::string_view words =
        u.invalid_utf8() ? u.normalized() : detail::utf8_head(said, Normalizer::kMaxBytes);
    const std::string_view text = put_line(nullptr, words);
    Action& a = push(ActionType::understand, s.st_.node);
    a.text = text;
    a.timeout_ms = node.understand_ms;
    t.candidates_ = node.candidates;
    if (s.st_.transcript) {
      const std::vector<TranscriptEntry>& lines = s.st_.transcript->lines;
      const std::size_t n = std::min(lines.size(), kUnderstandContext);
      t.context_ = std::span<const TranscriptEntry>(lines.data() + (lines.size() - n), n);
    }
  }

  /// No answer that helps, or none in time: on as if the host had not been
  /// asked (the node's `any` routes, else no_match).
  void unanswered(Turn::Note why) {
    s.st_.asking = false;
    t.note_ = why;
    const Node& node = sc.nodes()[s.st_.node];
    SessionEnv env(s);
    for (std::uint32_t r = 0; r < node.routes.size(); ++r) {
      const Route& route = node.routes[r];
      if (!route.any || !route.guard.test(env)) continue;
      t.decision_ = Decision::route;
      t.index_ = r;
      s.st_.no_match_run = 0;
      tags(route.tag_ids, s.st_.node);
      s.st_.score += route.score;
      enter(route.target);
      return;
    }
    no_match(s.st_.ask_length, node);
  }

  /// The host's intents as an Understanding: best confidence first, those
  /// below the node's `min_confidence` set aside (they do not count).
  PATTER_TURN_INLINE void from_host(const Event& e, Understanding& u) {
    const float min = s.st_.node < sc.nodes().size() ? sc.nodes()[s.st_.node].min_confidence
                                                  : sc.settings().min_confidence;
    if (!e.ranked && std::isfinite(e.confidence) && e.confidence >= min) [[likely]] {
      MatcherAccess::from_host(u, e.intent, e.confidence);  // one intent that counts: the usual way
      return;
    }
    from_host_list(e, u, min);
  }

  [[gnu::noinline]] void from_host_list(const Event& e, Understanding& u, float min) {
    u.clear();
    std::vector<IntentMatch>& in = MatcherAccess::intents(u);
    auto add = [&](IntentId id, float c) __attribute__((always_inline)) {
      IntentMatch m;
      m.intent = id;
      m.source = MatchSource::host;
      m.confidence = std::isfinite(c) ? std::clamp(c, 0.0f, 1.0f) : 0.0f;
      if (m.confidence < min) {
        MatcherAccess::suppressed(u).push_back({m, Suppression::below_threshold});
        return;
      }
      in.push_back(m);
      // Insertion: at most kMaxHostIntents, and equal confidences keep the host's order.
      for (std::size_t i = in.size() - 1; i > 0 && in[i - 1].confidence < in[i].confidence; --i)
        std::swap(in[i - 1], in[i]);
    };
    if (e.ranked)
      for (const HostIntent& h : e.candidates) add(h.intent, h.confidence);
    else
      add(e.intent, e.confidence);
    if (in.empty() && !u.suppressed().empty()) t.note_ = Turn::Note::below_confidence;
  }

  void no_match(std::uint32_t length, const Node& node) {
    const NodeId at = s.st_.node;
    const Limits& lim = sc.limits();
    ++s.st_.no_matches;
    if (s.st_.no_match_run != kSaturated) ++s.st_.no_match_run;
    t.decision_ = Decision::no_match;
    if ((lim.no_match_consecutive > 0 && s.st_.no_match_run >= lim.no_match_consecutive) ||
        (lim.no_match_total > 0 && s.st_.no_matches >= static_cast<std::uint32_t>(lim.no_match_total))) {
      close_for(HangupReason::no_match);
      return;
    }
    if (node.no_match.long_reply != kNone &&
        length > static_cast<std::uint32_t>(sc.settings().long_reply_chars)) {
      t.decision_ = Decision::long_reply;
      enter(node.no_match.long_reply);
      return;
    }
    fallback(node.no_match, at, HangupReason::no_match, s.st_.no_match_tries);
  }

  void silence() {
    const NodeId at = s.st_.node;
    const Node& node = sc.nodes()[at];
    const Limits& lim = sc.limits();
    ++s.st_.silences;
    if (s.st_.no_input_run != kSaturated) ++s.st_.no_input_run;
    t.decision_ = Decision::no_input;
    if (s.st_.transcript) s.record(TranscriptEntry::Who::silence, now, at, kNone, {});
    if ((lim.no_input_consecutive > 0 && s.st_.no_input_run >= lim.no_input_consecutive) ||
        (lim.no_input_total > 0 && s.st_.silences >= static_cast<std::uint32_t>(lim.no_input_total))) {
      close_for(HangupReason::no_input);
      return;
    }
    fallback(node.no_input, at, HangupReason::no_input, s.st_.no_input_tries);
  }

  void fallback(const Fallback& f, NodeId at, HangupReason limit, std::uint8_t& tries) {
    if (tries < f.retries) {
      if (turns_over()) {
        close_for(HangupReason::max_turns);
        return;
      }
      ++tries;
      if (f.reprompts.empty())
        say_node(at, current_phrasing(at));
      else
        say(&f.reprompts[phrasing_of(tries - 1u, f.reprompts.size())], {}, sc.nodes()[at].barge_in,
            at, &f == &sc.nodes()[at].no_match ? LineKind::no_match : LineKind::no_input, at,
            tries - 1u);
      listen(at);
      return;
    }
    if (f.then != kNone) {
      enter(f.then);
      return;
    }
    close_for(limit);
  }

  bool duration_over() const noexcept {
    const int max_s = sc.limits().max_duration_s;
    return max_s > 0 && now - s.st_.answered_at >= static_cast<std::uint64_t>(max_s) * 1000u;
  }
};

// ---- Session ---------------------------------------------------------------------

Session::Session(std::shared_ptr<const Script> script, SessionOptions options) : script_(std::move(script)) {
  SessionAccess::init(st_, *script_);
  if (options.transcript) st_.transcript.emplace().cap = options.transcript;
}

const std::vector<TranscriptEntry>& Session::transcript() const noexcept {
  static const std::vector<TranscriptEntry> none;
  return st_.transcript ? st_.transcript->lines : none;
}

Started Session::start(std::shared_ptr<const Script> script, std::initializer_list<VariableValue> variables,
                       SessionOptions options) {
  return start(std::move(script), std::span<const VariableValue>(variables.begin(), variables.size()), options);
}

Started Session::start(std::shared_ptr<const Script> script, std::span<const VariableValue> variables,
                       SessionOptions options) {
  Started out;
  if (!script) {
    out.error = "no script: load one first (patter::load_file) and check LoadResult::ok()";
    return out;
  }
  Session s(script, options);
  const auto& decl = script->variables();
  std::vector<bool> given(decl.size(), false);
  for (VariableId i = 0; i < decl.size(); ++i) {
    const Variable& v = decl[i];
    if (!v.default_value) continue;
    if (v.type == Variable::Type::number) {
      if (auto n = detail::parse_number(*v.default_value)) SessionAccess::set_number(s, i, *n);
    } else if (v.type == Variable::Type::boolean) {
      if (auto b = parse_bool(*v.default_value)) SessionAccess::set_number(s, i, *b ? 1 : 0);
    }
  }
  for (const auto& [name, value] : variables) {
    auto id = script->find_variable(name);
    if (!id) {
      std::vector<std::string> names;
      for (const Variable& v : decl) names.push_back(v.name);
      // A name longer than any declared one by far is no typo of one.
      std::string hint = name.size() <= 256 ? detail::did_you_mean(name, names) : std::string();
      out.error = fmt::format("variable `{}` is not declared in script `{}`{}", quoted(name), script->id(),
                              hint.empty() ? std::string("; declare it under `variables:` or leave it out")
                                           : "; " + hint);
      return out;
    }
    const Variable& v = decl[*id];
    switch (v.type) {
      case Variable::Type::text:
        if (value.size() > kMaxVariableBytes) {
          out.error = fmt::format("variable `{}` is {} bytes long; a text value is at most {} bytes (1 MiB): "
                                  "pass a shorter one",
                                  name, value.size(), kMaxVariableBytes);
          return out;
        }
        if (const std::size_t bad = detail::find_invalid_utf8(value); bad != std::string_view::npos) {
          out.error = fmt::format("variable `{}` is not UTF-8 (byte {} of its value); the robot would say those "
                                  "bytes: convert the text to UTF-8 first",
                                  name, bad);
          return out;
        }
        SessionAccess::set_text(s, *id, value);
        break;
      case Variable::Type::number:
        if (auto n = detail::parse_number(value)) {
          SessionAccess::set_number(s, *id, *n);
        } else {
          out.error = fmt::format("variable `{}` is a number, and `{}` is not one; pass digits such as `320`",
                                  name, quoted(value));
          return out;
        }
        break;
      case Variable::Type::boolean:
        if (auto b = parse_bool(value)) {
          SessionAccess::set_number(s, *id, *b ? 1 : 0);
        } else {
          out.error = fmt::format("variable `{}` is true or false, and `{}` is neither; pass `true` or `false`",
                                  name, quoted(value));
          return out;
        }
        break;
    }
    given[*id] = true;
  }
  for (VariableId i = 0; i < decl.size(); ++i) {
    if (decl[i].required && !given[i]) {
      out.error = fmt::format("variable `{}` is required by script `{}` and was not given; pass it when the call starts",
                              decl[i].name, script->id());
      return out;
    }
  }
  out.session.emplace(std::move(s));
  return out;
}

void Session::record(TranscriptEntry::Who who, std::uint64_t at, NodeId node, IntentId intent,
                     std::string_view text) {
  if (!st_.transcript) return;
  std::vector<TranscriptEntry>& lines = st_.transcript->lines;
  if (lines.size() >= st_.transcript->cap) lines.erase(lines.begin());
  TranscriptEntry& e = lines.emplace_back();
  e.who = who;
  e.at_ms = at;
  e.node = node;
  e.intent = intent;
  e.text.assign(detail::utf8_head(text, kTranscriptTextMax));
}

namespace {

bool valid_key(char k) noexcept { return (k >= '0' && k <= '9') || k == '*' || k == '#'; }

/// A host intent as the transcript writes it: the best one that counts,
/// else the host's first.
std::string_view host_said(const Script& sc, const Event& e, const Understanding& u) {
  if (u.matched()) return sc.intents()[u.best().intent].name;
  if (!e.ranked) return sc.intents()[e.intent].name;
  return e.candidates.empty() ? std::string_view()
                              : std::string_view(sc.intents()[e.candidates[0].intent].name);
}

/// An intent the author's phrases or patterns (or the host) found: words
/// that mean more than a backchannel.
bool explicit_intent(const Understanding& u) noexcept {
  for (const IntentMatch& m : u.intents())
    if (m.source != MatchSource::example && m.source != MatchSource::none) return true;
  return false;
}

/// A backchannel after a question: the reply is `answer`, over all of it.
void as_backchannel(Understanding& u, IntentId answer) {
  std::vector<IntentMatch>& in = MatcherAccess::intents(u);
  in.clear();
  MatcherAccess::captures(u).clear();
  IntentMatch m;
  m.intent = answer;
  m.source = MatchSource::none;
  m.confidence = 1;
  m.end = static_cast<std::uint32_t>(u.normalized().size());
  in.push_back(m);
}

}  // namespace

PATTER_TURN_INLINE void Turn::reset() noexcept {
  status_ = Status::ok;
  note_ = Note::none;
  decision_ = Decision::none;
  index_ = 0;
  from_ = kNone;
  limit_ = HangupReason::completed;
  if (!candidates_.empty()) {
    candidates_ = {};
    context_ = {};
  }
  actions_used_ = 0;
  path_used_ = 0;
  text_used_ = 0;
  if (hook_error_) hook_error_ = nullptr;  // exception_ptr's assignment is not inline
  hook_message_.clear();
}

PATTER_TURN_INLINE Status Session::check(const Event& e) const noexcept {
  if (static_cast<std::uint8_t>(e.type) > static_cast<std::uint8_t>(EventType::not_understood))
    return Status::unknown_event;
  const Status rule = detail::call_life(e.type, st_.phase);
  if (rule == Status::call_ended) return rule;
  if (e.at_ms < st_.last_at) return Status::time_went_back;
  if (rule != Status::ok) return rule;
  // The phase takes the event: now what it carries, and the question to the host.
  switch (e.type) {
    case EventType::intent:
      if (!e.ranked) return e.intent < script_->intents().size() ? Status::ok : Status::unknown_intent;
      if (e.candidates.size() > kMaxHostIntents) return Status::too_many_intents;
      for (const HostIntent& h : e.candidates)
        if (h.intent >= script_->intents().size()) return Status::unknown_intent;
      return Status::ok;
    case EventType::not_understood:
      return st_.asking ? Status::ok : Status::not_asked;
    case EventType::no_input:
      return st_.asking ? Status::wrong_phase : Status::ok;
    case EventType::dtmf:
      return valid_key(e.key) ? Status::ok : Status::bad_key;
    case EventType::agent_left:
      return (e.node == kNone || e.node < script_->nodes().size()) ? Status::ok : Status::unknown_node;
    default:
      return Status::ok;
  }
}

/// An utterance or the host's intents. Words during a line interrupt it
/// unless they are only backchannels or fillers, or the line may not be
/// interrupted; a backchannel after a question answers it.
void Session::hear_reply(const Event& e, SessionEngine& g) {
  Turn& t = g.t;
  Understanding& u = t.understanding_;  // understand() and from_host() replace it
  const bool words = e.type == EventType::utterance;
  if (words)
    script_->matcher().understand(e.text, u);
  else
    g.from_host(e, u);
  // The transcript keeps the customer's words as recognised (their
  // normalised form when they were not valid UTF-8).
  auto keep = [&] {
    if (!st_.transcript) return;
    const std::string_view said = !words             ? host_said(*script_, e, u)
                                  : u.invalid_utf8() ? std::string_view(u.normalized())
                                                     : e.text;
    record(TranscriptEntry::Who::customer, e.at_ms, st_.node, u.matched() ? u.best().intent : kNone,
           said);
  };
  if (st_.phase != Phase::robot) {  // a person has the call: understood and counted, not acted on
    t.decision_ = Decision::human;
    ++st_.turns;
    if (st_.person_turns != 0xFFFF) ++st_.person_turns;  // not the robot's: no turn limit for them
    g.absorb(u);
    keep();
    return;
  }
  if (st_.asking) {
    if (!words) {  // the host's answer
      if (e.at_ms >= st_.ask_deadline) return g.unanswered(Turn::Note::host_late);
      st_.asking = false;
      return g.reply(u, 0, g.opt_out_handler(u), ReplyFrom::answer);
    }
    st_.asking = false;  // the customer spoke again: that is the reply now
    t.note_ = Turn::Note::ask_dropped;
  }
  const std::optional<std::uint32_t> opt_out = g.opt_out_handler(u);
  // Only backchannels or fillers? Asked during a line, and after a question
  // when the author's phrases and patterns found nothing.
  detail::ReplyShape shape = detail::ReplyShape::words;
  if (words && !opt_out && (e.during_line || !explicit_intent(u)))
    shape = detail::reply_shape(u.normalized(), e.text, *script_, t.scratch_);
  if (!opt_out && e.during_line &&
      (shape != detail::ReplyShape::words || !st_.line_barge_in ||
       e.line_elapsed_ms < script_->settings().no_barge_ms)) {
    // Not an interruption: the line goes on (said on, if the host paused it).
    t.decision_ =
        shape == detail::ReplyShape::backchannel ? Decision::backchannel : Decision::not_now;
    t.status_ = Status::ignored;
    if (e.line_paused) g.resume_line(e.line_elapsed_ms);
    return;
  }
  const IntentId answer = script_->settings().backchannel_intent;
  if (shape == detail::ReplyShape::backchannel && answer != kNone) {
    as_backchannel(u, answer);
    t.note_ = Turn::Note::backchannel_answer;
  } else if (words && !opt_out && u.normalized().empty()) {  // only fillers: not a reply
    t.decision_ = Decision::not_now;
    t.status_ = Status::ignored;
    return;
  }
  keep();
  if (e.during_line) {
    g.push(ActionType::stop_line, st_.node);
    t.decision_ = Decision::barge_in;
  }
  g.reply(u, 0, opt_out, words ? ReplyFrom::words : ReplyFrom::host, e.text);
}

Status Session::step(const Event& e, Turn& t) {
  t.reset();
  t.from_ = st_.node;
  t.status_ = check(e);
  // Utterances and host intents replace the understanding; nothing else has one.
  if (is_error(t.status_) || (e.type != EventType::utterance && e.type != EventType::intent))
    t.understanding_.clear();
  if (is_error(t.status_)) return t.status_;
  st_.last_at = e.at_ms;

  SessionEngine g(*this, t, e.at_ms);
  const bool robot = st_.phase == Phase::robot;

  // The call-duration limit comes before anything else the robot would do.
  if (robot && e.type != EventType::customer_hangup && g.duration_over()) {
    g.close_for(HangupReason::max_duration);
  } else {
    switch (e.type) {
      case EventType::answered:
        st_.answered_at = e.at_ms;
        t.decision_ = Decision::start;
        g.enter(script_->start());
        break;
      case EventType::customer_hangup:
        t.decision_ = Decision::ended;
        g.end_call(st_.phase == Phase::dialing ? Outcome::no_answer : Outcome::customer_hangup,
                   st_.phase == Phase::dialing ? HangupReason::no_answer : HangupReason::customer_hangup);
        break;
      case EventType::voicemail:
        t.decision_ = Decision::ended;
        g.hangup(HangupReason::voicemail, st_.node, Outcome::voicemail);
        break;
      case EventType::timer:
        if (st_.asking && e.at_ms >= st_.ask_deadline)
          g.unanswered(Turn::Note::host_timeout);
        else if (st_.awaiting)
          g.hold_timer();
        else
          t.status_ = Status::ignored;  // not due yet (a due duration limit was handled above)
        break;
      case EventType::intent:
        if (robot && !st_.asking && !e.during_line) {  // the host's NLU, on its usual way
          Understanding& u = t.understanding_;
          g.from_host(e, u);
          if (st_.transcript)
            record(TranscriptEntry::Who::customer, e.at_ms, st_.node, u.matched() ? u.best().intent : kNone,
                   host_said(*script_, e, u));
          g.reply(u, 0, g.opt_out_handler(u), ReplyFrom::host);
          break;
        }
        [[fallthrough]];
      case EventType::utterance:
        hear_reply(e, g);
        break;
      case EventType::not_understood:  // checked: asked
        g.unanswered(Turn::Note::host_none);
        break;
      case EventType::no_input:
        g.silence();
        break;
      case EventType::dtmf: {
        t.understanding_.clear();
        if (st_.asking) {  // a new reply: the question to the host is dropped
          st_.asking = false;
          t.note_ = Turn::Note::ask_dropped;
        }
        const char key[2] = {e.key, 0};
        record(TranscriptEntry::Who::key, e.at_ms, st_.node, kNone, std::string_view(key, 1));
        g.reply(t.understanding_, e.key, std::nullopt, ReplyFrom::key);
        break;
      }
      case EventType::agent_joined:
        st_.person_joined = true;
        st_.awaiting = false;
        st_.asking = false;
        if (st_.phase == Phase::robot) {
          g.push(ActionType::stop_line, st_.node);  // a grab: the robot falls silent
          if (!st_.escalated) {
            st_.escalated = true;
            st_.escalation = EscalationReason::other;
            if (st_.escalations != 0xFFFF) ++st_.escalations;
          }
        }
        st_.phase = Phase::human;
        t.decision_ = Decision::human;
        break;
      case EventType::agent_left:
        if (e.node != kNone) {
          t.decision_ = Decision::hand_back;
          st_.phase = Phase::robot;
          st_.awaiting = false;
          g.enter(e.node);
        } else {
          t.decision_ = Decision::ended;
          g.hangup(e.reason <= HangupReason::error ? e.reason : HangupReason::agent_ended, st_.node);
        }
        break;
    }
  }

  if (observer_) notify(t);
  return t.status_;
}

void Session::notify(Turn& t) {
  auto guarded = [&](auto&& hook) {
    try {
      hook();
    } catch (const std::exception& ex) {
      if (!t.hook_error_) {
        t.hook_error_ = std::current_exception();
        t.hook_message_ = ex.what();
      }
    } catch (...) {
      if (!t.hook_error_) {
        t.hook_error_ = std::current_exception();
        t.hook_message_ = "an observer threw a non-standard exception";
      }
    }
  };
  Observer& o = *observer_;
  for (NodeId n : t.path()) guarded([&] { o.node_entered(*this, n); });
  for (const Action& a : t.actions()) {
    switch (a.type) {
      case ActionType::say: guarded([&] { o.said(*this, a); }); break;
      case ActionType::tag: guarded([&] { o.tagged(*this, a.text); }); break;
      case ActionType::escalate: guarded([&] { o.escalated(*this, a); }); break;
      case ActionType::end: guarded([&] { o.call_ended(*this, result()); }); break;
      default: break;
    }
  }
  guarded([&] { o.turn(*this, t); });
}

// ---- reading the state --------------------------------------------------------------

std::uint32_t Session::visits(NodeId node) const noexcept {
  const SessionLayout l(*script_);
  return node < l.nodes ? SessionAccess::counts(*this)[l.visits() + node] : 0;
}

std::uint32_t Session::heard(IntentId intent) const noexcept {
  const SessionLayout l(*script_);
  return intent < l.intents ? SessionAccess::counts(*this)[l.heard() + intent] : 0;
}

bool Session::tagged(std::string_view tag) const noexcept {
  auto id = script_->find_tag(tag);
  if (!id) return false;
  const SessionLayout l(*script_);
  return (SessionAccess::counts(*this)[l.tags() + *id / 16] >> (*id % 16)) & 1u;
}

std::vector<std::string_view> Session::tags() const {
  std::vector<std::string_view> out;
  SessionAccess::each_logged(*this, [&](std::uint32_t e) {
    if (e & kTagEntry) out.push_back(script_->tags()[e & ~kTagEntry]);
  });
  return out;
}

std::string Session::variable(VariableId id) const {
  if (id >= script_->variables().size()) return {};
  const Variable& v = script_->variables()[id];
  switch (v.type) {
    case Variable::Type::text:
      if (const auto own = SessionAccess::text(*this, id)) return std::string(*own);
      return v.default_value.value_or(std::string());
    case Variable::Type::number:
      return fmt::format("{}", SessionAccess::number(*this, id));
    case Variable::Type::boolean:
      return SessionAccess::number(*this, id) != 0 ? "true" : "false";
  }
  return {};
}

std::optional<std::string> Session::variable(std::string_view name) const {
  auto id = script_->find_variable(name);
  if (!id) return std::nullopt;
  return variable(*id);
}

std::uint64_t Session::deadline_ms() const noexcept {
  std::uint64_t at = 0;
  auto sooner = [&](std::uint64_t t) {
    if (at == 0 || t < at) at = t;
  };
  const Hold& hold = script_->hold();
  if (st_.awaiting && (st_.phase == Phase::robot || st_.phase == Phase::waiting)) {
    sooner(st_.waiting_since + std::uint64_t{hold.timeout_s} * 1000u);
    if (st_.phase == Phase::waiting && hold.mode == Hold::While::lines && !hold.lines.empty())
      sooner(st_.waiting_since + std::uint64_t{hold.interval_s} * 1000u * (st_.hold_said + 1u));
  }
  const int max_s = script_->limits().max_duration_s;
  if (max_s > 0 && st_.phase == Phase::robot) sooner(st_.answered_at + static_cast<std::uint64_t>(max_s) * 1000u);
  if (st_.asking && st_.phase == Phase::robot) sooner(st_.ask_deadline);
  return at;
}

Status Session::preview(const Event& event, Turn& out) const {
  Session copy(*this);
  copy.observer_ = nullptr;
  copy.st_.transcript.reset();
  if ((copy.st_.phase == Phase::human || copy.st_.phase == Phase::waiting) && copy.st_.last_listen != kNone) {
    copy.st_.phase = Phase::robot;
    copy.st_.node = copy.st_.last_listen;
    copy.st_.awaiting = false;
  }
  return copy.step(event, out);
}

CallResult Session::result() const {
  CallResult r;
  r.outcome = st_.outcome;
  r.hangup = st_.hangup;
  r.escalated = st_.escalated;
  r.escalation = st_.escalation;
  r.grade = st_.grade ? st_.grade : script_->default_grade();
  SessionAccess::each_logged(*this, [&](std::uint32_t e) {
    if (e & kTagEntry)
      r.tags.push_back(script_->tags()[e & ~kTagEntry]);
    else
      r.path.push_back(e);
  });
  r.score = st_.score;
  r.turns = st_.turns;
  r.silences = st_.silences;
  r.no_matches = st_.no_matches;
  if (!r.path.empty()) {  // answered: the start node was entered
    r.duration_ms = st_.last_at >= st_.answered_at ? st_.last_at - st_.answered_at : 0;
  }
  r.transcript = transcript();
  return r;
}

char Session::grade_so_far() const {
  if (st_.phase == Phase::ended && st_.grade) return st_.grade;
  SessionEnv env(*this);
  for (const GradeRule& rule : script_->grading())
    if (rule.when.test(env)) return rule.grade;
  return script_->default_grade();
}

std::size_t Session::memory_bytes() const noexcept { return sizeof(Session) + SessionAccess::heap_bytes(st_); }

void Turn::clear() noexcept {
  reset();
  understanding_.clear();
}


}  // namespace patter
