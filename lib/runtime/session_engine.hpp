// The engine of one step: what a session does with an event, by the rules
// of the script. Session::step (session.cpp) builds one per step; what a
// turn does on its usual way (a line, a listen, a route) is defined here, in
// the class, so that it is compiled into the step; the rest lives in the
// files named after what it does (session_end.cpp, session_hold.cpp,
// session_host.cpp, session_limits.cpp, session_barge_in.cpp).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "match/matcher_access.hpp"
#include "patter/session.hpp"
#include "runtime/session_env.hpp"
#include "runtime/session_state.hpp"
#include "text/numbers.hpp"
#include "text/utf8.hpp"

namespace patter {

/// What one turn does on its usual way (a line, a listen, a route) is
/// compiled into `Session::step` itself rather than called.
#define PATTER_TURN_INLINE [[gnu::always_inline]] inline

struct SessionEngine {
  Session& s;
  Turn& t;
  const Script& sc;
  std::uint64_t now;
  SessionLayout layout;
  int entries = 0;
  bool closing = false;  // entering the limits' close node
  HangupReason forced = HangupReason::completed;

  SessionEngine(Session& session, Turn& turn, std::uint64_t at)
      : s(session), t(turn), sc(*session.script_), now(at), layout(sc) {}

  std::uint16_t* counts() noexcept { return SessionAccess::counts(s); }
  /// The waiting state (zeros when the call has none yet), and changing it.
  Extras extras() const noexcept { return SessionAccess::extras(s.st_, layout); }
  template <class F>
  void edit_extras(F&& f) {
    SessionAccess::edit_extras(s.st_, layout, f);
  }
  std::uint16_t& visits(NodeId n) noexcept { return counts()[layout.visits() + n]; }
  std::uint16_t& heard(IntentId i) noexcept { return counts()[layout.heard() + i]; }
  std::uint16_t& runs(std::uint32_t g) noexcept { return counts()[layout.runs() + g]; }

  // ---- rules of thumb ------------------------------------------------------------

  static constexpr std::uint16_t kSaturated = 0xFFFF;
  /// Nodes one step may enter (pass-through chains, redirects); past it the
  /// call ends with `error`. Compiled scripts never come near it.
  static constexpr int kMaxEntriesPerStep = 256;
  /// Transcript lines an `understand` action carries, the reply last.
  static constexpr std::size_t kUnderstandContext = 6;

  /// Where a reply comes from, for the rules that differ.
  enum class ReplyFrom : std::uint8_t {
    words,   ///< an utterance: the matcher read it; the host may be asked
    host,    ///< the host's own NLU: candidates in order of confidence
    key,     ///< a DTMF key
    answer,  ///< the host's answer to `understand`: the turn was counted already
  };

  /// The `i`th of `n` phrasings, round and round. Most nodes have 1 to 4, so
  /// a division by a variable (dozens of cycles) is seldom needed; up to 32
  /// are allowed. `i` counts visits or runs, 16-bit counters that saturate.
  static std::size_t phrasing_of(std::size_t i, std::size_t n) noexcept {
    switch (n) {
      case 1: return 0;
      case 2: return i & 1;
      case 3: return i % 3;
      case 4: return i & 3;
      default: return i % n;
    }
  }

  /// One more, stopping at the most the counter holds.
  template <class T>
  static void bump(T& c) noexcept {
    if (c != std::numeric_limits<T>::max()) ++c;
  }

  static std::optional<bool> parse_bool(std::string_view v) noexcept {
    if (v == "true" || v == "yes" || v == "1" || v == "是") return true;
    if (v == "false" || v == "no" || v == "0" || v == "否") return false;
    return std::nullopt;
  }

  // ---- output ----------------------------------------------------------------

  PATTER_TURN_INLINE Action& push(ActionType type, NodeId node) {
    // Compared as pointers: the vector's size would divide by sizeof(Action).
    if (t.actions_.data() + t.actions_used_ == std::to_address(t.actions_.end())) [[unlikely]]
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
    // Never a null view here (memcpy must not see one): variables render
    // as "" when empty (SessionAccess), and put_line skips empty text.
    copy_short(room(v.size()), v.data(), v.size());
  }

  /// The next `n` bytes of the Turn's text, to write into.
  [[gnu::always_inline]] char* room(std::size_t n) {
    const std::size_t at = t.text_used_;
    if (at + n > t.text_.size()) [[unlikely]]
      grow(at + n);
    t.text_used_ = at + n;
    return t.text_.data() + at;
  }

  /// memcpy, with the short copies of a line's pieces (a name, a clause)
  /// done in place rather than by a call: up to 64 bytes as a first and a
  /// last block that overlap.
  [[gnu::always_inline]] static void copy_short(char* to, const char* from, std::size_t n) {
    struct B16 {
      std::uint64_t a, b;
    };
    struct B32 {
      B16 a, b;
    };
    if (n > 64) [[unlikely]]
      std::memcpy(to, from, n);
    else if (n > 32)
      copy_ends<B32>(to, from, n);
    else if (n >= 16)
      copy_ends<B16>(to, from, n);
    else if (n >= 8)
      copy_ends<std::uint64_t>(to, from, n);
    else if (n >= 4)
      copy_ends<std::uint32_t>(to, from, n);
    else if (n > 0) {
      to[0] = from[0];
      to[n / 2] = from[n / 2];
      to[n - 1] = from[n - 1];
    }
  }

  /// `n` bytes, sizeof(T) to twice that, as the first and the last
  /// sizeof(T): both read before either is written.
  template <class T>
  [[gnu::always_inline]] static void copy_ends(char* to, const char* from, std::size_t n) {
    T first, last;
    std::memcpy(&first, from, sizeof first);
    std::memcpy(&last, from + n - sizeof last, sizeof last);
    std::memcpy(to, &first, sizeof first);
    std::memcpy(to + n - sizeof last, &last, sizeof last);
  }

  /// Make room for `need` bytes of text. Lines put earlier in this step
  /// point into the buffer: if it moves, they move with it.
  [[gnu::noinline]] void grow(std::size_t need) {
    const auto old_base = reinterpret_cast<std::uintptr_t>(t.text_.data());
    const std::size_t old_size = t.text_.size();
    t.text_.resize(std::max<std::size_t>({need, old_size * 2, 256}));
    if (reinterpret_cast<std::uintptr_t>(t.text_.data()) != old_base) relocate(old_base, old_size);
  }

  /// A line's pieces, one after the other. The end of the text is kept in
  /// locals while the pieces are copied: every byte written could alias the
  /// Turn's own fields, which would otherwise be read again after each copy.
  PATTER_TURN_INLINE void render(const Template& line) {
    const char* const source = line.source.data();
    std::size_t used = t.text_used_;
    char* text = t.text_.data();
    std::size_t size = t.text_.size();
    for (const Template::Piece& p : line.pieces) {
      std::string_view v;
      if (p.variable == kNone) {
        v = std::string_view(source + p.offset, p.length);  // checked when compiled
      } else {
        switch (static_cast<Variable::Type>(p.type)) {
          case Variable::Type::text:
            if (const auto own = SessionAccess::text(s, p.variable))
              v = *own;
            else if (const auto& d = sc.variables()[p.variable].default_value)
              v = *d;
            break;
          case Variable::Type::number:
            t.text_used_ = used;
            put_number(p.variable);
            used = t.text_used_;
            text = t.text_.data();
            size = t.text_.size();
            continue;
          case Variable::Type::boolean:
            v = SessionAccess::number(s, p.variable) != 0 ? "true" : "false";
            break;
          case Variable::Type::time: v = SessionAccess::time_words(s, p.variable); break;
        }
      }
      if (used + v.size() > size) [[unlikely]] {
        grow(used + v.size());
        text = t.text_.data();
        size = t.text_.size();
      }
      copy_short(text + used, v.data(), v.size());
      used += v.size();
    }
    t.text_used_ = used;
  }

  /// A number variable's value, as text (apart: formatting needs a buffer
  /// and a frame that a line without numbers should not pay for).
  [[gnu::noinline]] void put_number(VariableId v) {
    char buf[32];
    const auto end = fmt::format_to_n(buf, sizeof buf, "{}", SessionAccess::number(s, v));
    const std::size_t n = std::min<std::size_t>(end.size, sizeof buf);
    std::memcpy(room(n), buf, n);
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
    if (line)
      render(*line);
    else if (!text.empty())
      put(text);
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
    s.st_.set(detail::kLineBargeIn, barge_in);
    s.st_.line_kind = static_cast<std::uint8_t>(kind);
    s.st_.line_owner = owner;
    s.st_.line_phrasing = static_cast<std::uint8_t>(std::min<std::size_t>(phrasing, 255));
    if (s.st_.transcript) s.record(TranscriptEntry::Who::robot, now, node, kNone, text);
  }

  PATTER_TURN_INLINE void say_node(NodeId n, std::uint32_t phrasing) {
    const Node& node = sc.nodes()[n];
    if (node.rare & (Node::kGuardedLines | Node::kVariants)) [[unlikely]] {
      if (node.uses(Node::kGuardedLines)) return say_guarded(n, phrasing);
      return say_variant(n, phrasing);
    }
    const Template* line =
        node.lines.empty() ? nullptr : &node.lines[phrasing_of(phrasing, node.lines.size())];
    say(line, node.recording, node.barge_in, n, LineKind::node, n, phrasing);
  }

  // ---- A/B tests (session_variants.cpp) ------------------------------------------

  /// The variant of `node` this call is in; kNone when the node has none.
  std::uint32_t variant_at(const Node& node) const noexcept {
    if (!node.uses(Node::kVariants)) [[likely]]
      return kNone;
    return node.variant_for(SessionAccess::seed(s.st_, layout));
  }
  /// The variant's own line, if it has one (else the node's is said).
  const Variant* variant_line(const Node& node) const noexcept;
  /// say_node for a node with variants: the call's variant's line.
  [[gnu::noinline]] void say_variant(NodeId n, std::uint32_t phrasing);

  /// The host paused the last line said for words that were no
  /// interruption: say it on from where it stopped.
  void resume_line(std::uint32_t offset_ms);

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

  void end_call(Outcome outcome, HangupReason reason);

  void hangup(HangupReason reason, NodeId node, std::optional<Outcome> outcome = std::nullopt);

  void escalate(const Escalation& e, NodeId node);

  bool hold_timed_out() const noexcept;

  /// Nobody took the escalated call in time: the hold policy's `then`, or
  /// hang up with `no_agent`.
  void no_person();

  /// A timer while waiting: the timeout, or the next hold line.
  void hold_timer();
  void timer();
  void person_joined();
  void person_left(NodeId node, HangupReason reason);

  /// A limit ends the call: the close node's line, then hang up for `reason`
  /// (`total`: a call-wide no_match / no_input count, see Limits::close_of).
  void close_for(HangupReason reason, bool total = false);

  /// The call's Nth miss of a kind goes where the node's `at_total` says.
  bool at_total(const Fallback& f, std::uint32_t count);

  /// Say again the line said last (`repeat: true` handlers).
  void say_again(std::uint8_t kind, std::uint32_t owner, std::uint32_t phrasing);

  // ---- moving through the graph -------------------------------------------------

  bool score_escalation_due() const noexcept {
    const Limits& lim = sc.limits();
    return lim.escalate_score > 0 && !closing && lim.escalate_node != kNone &&
           !s.st_.has(detail::kScoreEscalated) && !s.st_.has(detail::kEscalated) &&
           s.st_.score >= static_cast<double>(lim.escalate_score);
  }

  /// Enter node `n`, and go on through it to where the robot waits.
  void enter(NodeId n) {
    // A fetch left (handed back elsewhere, or routed on) waits no more.
    if (s.st_.has(detail::kFetching)) [[unlikely]]
      s.st_.set(detail::kFetching, false);
    for (;;) {
      if (++entries > kMaxEntriesPerStep) {
        hangup(HangupReason::error, s.st_.node);
        return;
      }
      const Node& node = sc.nodes()[n];
      if (score_escalation_due() && !node.terminal()) {
        s.st_.set(detail::kScoreEscalated, true);
        t.decision_ = Decision::score;
        n = sc.limits().escalate_node;
        continue;
      }
      if (layout.flow_words != 0 && counts()[layout.flows()] != 0) [[unlikely]]
        leave_flows(node.flow);
      std::uint16_t& v = visits(n);
      if (node.max_visits > 0 && v >= node.max_visits && !closing && !node.terminal()) {
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
      if (node.uses(Node::kSets)) [[unlikely]]
        assign(node.set);
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
        case NodeKind::pass: n = node.next_for(variant_at(node)); continue;
        case NodeKind::hangup: hangup(node.hangup, n); return;
        case NodeKind::escalate: escalate(node.escalation, n); return;
        case NodeKind::branch:
          if ((n = decide(n)) == kNone) return;
          continue;
        case NodeKind::call:
          if ((n = call_flow(n)) == kNone) return;
          continue;
        case NodeKind::ret:
          if ((n = return_from(n)) == kNone) return;
          continue;
        case NodeKind::fetch: start_fetch(n); return;
      }
      return;
    }
  }

  /// The robot has had its `max_turns` replies (those made to a person do
  /// not count).
  bool turns_over() const noexcept {
    const int max = sc.limits().max_turns;
    return max > 0 && s.st_.turns - std::min<std::uint32_t>(s.st_.turns, extras().person_turns) >=
                          static_cast<std::uint32_t>(max);
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
      s.st_.set(detail::kScoreEscalated, true);
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
    const auto [said_kind, said_owner, said_phrasing] =
        std::tuple(s.st_.line_kind, s.st_.line_owner, s.st_.line_phrasing);  // for `repeat`
    bump(runs(index));
    tags(g.tag_ids, at);
    s.st_.score += g.score;
    if (!g.set.empty()) [[unlikely]]
      assign(g.set);
    if (!g.lines.empty() || !g.recording.empty()) {
      const std::uint32_t phrasing = runs(index) - 1u;
      const Template* line =
          g.lines.empty() ? nullptr : &g.lines[phrasing_of(phrasing, g.lines.size())];
      say(line, g.recording, g.interrupt != Interrupt::never, at, LineKind::handler, index,
          phrasing);
    }
    switch (g.then) {
      case GlobalHandler::Then::resume:
        if (g.repeat && !turns_over())
          say_again(said_kind, said_owner, said_phrasing);
        else if (g.reprompt && !turns_over())
          say_node(at, current_phrasing(at));
        listen(at);
        return;
      case GlobalHandler::Then::go_to: enter(g.target); return;
      case GlobalHandler::Then::hangup: hangup(g.hangup, at); return;
      case GlobalHandler::Then::escalate: escalate(g.escalation, at); return;
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
        case Variable::Type::text: SessionAccess::set_text(s, c.variable, text); break;
        case Variable::Type::number:
          if (c.numeric)
            SessionAccess::set_number(s, c.variable, c.number);
          else if (auto n = detail::parse_number(text))
            SessionAccess::set_number(s, c.variable, *n);
          break;
        case Variable::Type::boolean:
          if (auto b = parse_bool(text)) SessionAccess::set_number(s, c.variable, *b ? 1 : 0);
          break;
        case Variable::Type::time: capture_time(c.variable, text, u); break;
      }
    }
  }

  /// An opt-out heard anywhere in the reply: the handler that ends the call.
  PATTER_TURN_INLINE std::optional<std::uint32_t> opt_out_handler(
      const Understanding& u) const noexcept {
    if (!sc.opts_out()) [[likely]]
      return std::nullopt;
    return opt_out_of(u);
  }

  /// Whether the node the call is at lets global handlers answer `intent`
  /// (its `globals:`), checked once per intent, not per handler.
  bool global_here(IntentId intent) const noexcept {
    return s.st_.node >= sc.nodes().size() || sc.nodes()[s.st_.node].global_allowed(intent);
  }

  [[gnu::noinline]] std::optional<std::uint32_t> opt_out_of(const Understanding& u) const noexcept {
    for (const IntentMatch& m : u.intents()) {
      if (!sc.intents()[m.intent].opt_out || !global_here(m.intent)) continue;
      for (std::uint32_t g = 0; g < sc.globals().size(); ++g) {
        const auto& in = sc.globals()[g].intents;
        if (std::find(in.begin(), in.end(), m.intent) != in.end()) return g;
      }
    }
    return std::nullopt;
  }

  /// A reply at a listening node: utterance, host intent, key, or the
  /// host's answer to `understand` (counted when it was asked).
  PATTER_TURN_INLINE void reply(const Understanding& u, char key,
                                std::optional<std::uint32_t> opt_out, ReplyFrom from,
                                std::string_view said = {}) {
    const Node& node = sc.nodes()[s.st_.node];
    if (from != ReplyFrom::answer) {
      ++s.st_.turns;
      s.st_.no_input_run = 0;
    }
    absorb(u);
    // The usual reply: one intent, a route of the node's own for it. Taken
    // here; everything else by the whole rule (route_reply).
    const auto found = u.intents();
    if (!key && !opt_out && found.size() == 1 && !(node.rare & (Node::kVariants | Node::kCaptures)))
        [[likely]] {
      if (auto r = route_for(node.routes, found)) return take(node.routes, kNone, *r);
    }
    route_reply(u, key, opt_out, from, said);
  }

  /// Take route `r` of `node_routes` (those of the call's `variant` at the
  /// node the call is at).
  PATTER_TURN_INLINE void take(const std::vector<Route>& node_routes, std::uint32_t variant,
                               std::uint32_t r) {
    const Route& route = node_routes[r];
    t.decision_ = Decision::route;
    t.index_ = r;
    t.variant_ = variant;
    s.st_.no_match_run = 0;
    tags(route.tag_ids, s.st_.node);
    s.st_.score += route.score;
    if (!route.set.empty()) [[unlikely]]
      assign(route.set);
    enter(route.target);
  }

  /// What a reply does, by the whole rule: the node's capture, an opt-out,
  /// keys, the host's candidates one by one, routes, global handlers,
  /// asking the host, `any` routes, no_match. The reply was counted.
  [[gnu::noinline]] void route_reply(const Understanding& u, char key,
                                     std::optional<std::uint32_t> opt_out, ReplyFrom from,
                                     std::string_view said) {
    const NodeId at = s.st_.node;
    const Node& node = sc.nodes()[at];
    const std::uint32_t variant = variant_at(node);
    const std::vector<Route>& node_routes = node.routes_for(variant);
    if (node.uses(Node::kCaptures) && from == ReplyFrom::words) [[unlikely]]
      capture(node, u, opt_out.has_value());
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
    const std::uint32_t routes = static_cast<std::uint32_t>(node_routes.size());
    const Route* route = node_routes.data();
    if (key) {
      for (std::uint32_t r = 0; r < routes; ++r)
        if (route[r].keys.find(key) != std::string::npos && route[r].guard.test(env))
          return take(node_routes, variant, r);
    }
    const auto found = u.intents();
    if ((from == ReplyFrom::host || from == ReplyFrom::answer) && found.size() > 1) {
      for (std::size_t i = 0; i < found.size(); ++i) {
        if (auto r = route_for(node_routes, found.subspan(i, 1)))
          return take(node_routes, variant, *r);
        if (handler_for(found.subspan(i, 1))) return;
      }
    } else {
      if (auto r = route_for(node_routes, found)) return take(node_routes, variant, *r);
      if (handler_for(found)) return;
    }
    if (from == ReplyFrom::words && node.understand && found.empty()) return ask(node, u, said);
    for (std::uint32_t r = 0; r < routes; ++r)
      if (route[r].any && route[r].guard.test(env)) return take(node_routes, variant, r);
    no_match(from == ReplyFrom::answer ? extras().ask_length : u.length(), node);
  }

  static bool has(const std::vector<IntentId>& v, IntentId i) noexcept {
    for (const IntentId x : v)  // a route names one or two intents
      if (x == i) return true;
    return false;
  }

  /// The first route, in the node's order, for the first of `found` that
  /// has one whose `when` holds (the call's values are read only for a
  /// route that has a `when`).
  PATTER_TURN_INLINE std::optional<std::uint32_t> route_for(
      const std::vector<Route>& node_routes, std::span<const IntentMatch> found) const {
    const Route* const first = node_routes.data();
    const Route* const end = std::to_address(node_routes.end());
    for (const IntentMatch& m : found)
      for (const Route* r = first; r != end; ++r)
        if (has(r->intents, m.intent) &&
            (r->guard.empty() || r->guard.evaluate(SessionEnv(s)).truthy()))
          return static_cast<std::uint32_t>(r - first);
    return std::nullopt;
  }

  /// Run the first global handler for the first of `found` that has one.
  bool handler_for(std::span<const IntentMatch> found) {
    for (const IntentMatch& m : found) {
      if (!global_here(m.intent)) continue;
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

  // ---- slots and decisions (session_slots.cpp) -----------------------------------

  /// `set:` in the order written, each value seeing the ones before it.
  void assign(const std::vector<Assignment>& set);

  /// A decision node: the target of the first branch whose guard holds,
  /// after its `set`; kNone when none holds (the call ended with `error`).
  NodeId decide(NodeId n);

  /// A node with guarded phrasings: the first guarded one that holds, else
  /// the plain ones in turn; nothing when neither.
  void say_guarded(NodeId n, std::uint32_t phrasing);

  /// A node's `capture:` takes the reply, unless a global handler (or an
  /// opt-out) answers it rather than the node.
  void capture(const Node& node, const Understanding& u, bool opt_out);

  // ---- asking the host ----------------------------------------------------------

  /// The matcher understood nothing: ask the host, and wait for its answer
  /// until the node's `understand_ms` have passed.
  void ask(const Node& node, const Understanding& u, std::string_view said);

  /// No answer that helps, or none in time: on as if the host had not been
  /// asked (the node's `any` routes, else no_match).
  void unanswered(Turn::Note why);

  /// The host's intents as an Understanding: best confidence first, those
  /// below the node's `min_confidence` set aside (they do not count).
  PATTER_TURN_INLINE void from_host(const Event& e, Understanding& u) {
    // The call was answered (Session::check), so it is at a node.
    const float min = sc.nodes()[s.st_.node].min_confidence;
    if (!e.ranked && std::isfinite(e.confidence) && e.confidence >= min) [[likely]] {
      MatcherAccess::from_host(u, e.intent, e.confidence);  // one intent that counts: the usual way
      return;
    }
    from_host_list(e, u, min);
  }

  [[gnu::noinline]] void from_host_list(const Event& e, Understanding& u, float min);

  void no_match(std::uint32_t length, const Node& node);

  void silence();

  void fallback(const Fallback& f, NodeId at, HangupReason limit, std::uint8_t& tries);

  // ---- sub-flows (session_flow.cpp) -------------------------------------------

  /// Run the flow node `c` calls: remember `c`, and go to the flow's start
  /// (kNone: the call ended, its flows nested too deep).
  NodeId call_flow(NodeId c);
  /// End the flow return node `r` is in: where its caller goes on.
  NodeId return_from(NodeId r);
  /// Entering a node of `flow` (or of none) from elsewhere (a global
  /// handler's goto, a limit, a hand-back) leaves the flows inside it.
  [[gnu::noinline]] void leave_flows(std::uint16_t flow) noexcept;

  // ---- interruptions (session_interrupt.cpp) -------------------------------------

  /// Whether words during the line being said cut it: with `interrupt:` a
  /// list of intents, only when one of them was heard.
  bool cuts_line(const Understanding& u) const noexcept;
  /// The line cut was `interrupt: clarify`: say the clarifying line and
  /// listen (the words that cut it are not taken as the reply).
  bool clarify_cut();

  // ---- host data (session_fetch.cpp, session_time.cpp, session_voicemail.cpp) ------

  /// A fetch node: ask the host for its data, and wait until the deadline.
  void start_fetch(NodeId n);
  /// The host's data event: a fetch's answer (routed on), or variables it sets.
  void data(const Event& e);
  /// No data by the fetch's deadline: the fetch's `timeout:`.
  void fetch_timed_out();
  /// A reply, silence or key while a fetch waits: heard, not acted on.
  /// False for events that are no reply (they go their usual way).
  bool while_fetching(const Event& e);
  /// A time variable's capture: kept when the reply names a moment.
  void capture_time(VariableId v, std::string_view words, const Understanding& u);
  /// An answering machine took the call: the script's voicemail line, if any.
  void leave_voicemail();

  bool duration_over() const noexcept {
    const int max_s = sc.limits().max_duration_s;
    return max_s > 0 && now - s.st_.answered_at >= static_cast<std::uint64_t>(max_s) * 1000u;
  }
};

/// The A/B tests `s` took part in, into `r.variants` (session_variants.cpp).
void variants_seen(const Session& s, CallResult& r);

}  // namespace patter
