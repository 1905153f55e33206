// Ranked suggestions for the person on a call (patter/suggestions.hpp):
// the script's answers to what the customer asked, the robot's own reply,
// the next lines of the listening node's routes, and the way to the goal.
#include "patter/suggestions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "runtime/session_env.hpp"
#include "runtime/session_state.hpp"

namespace patter {

std::string_view to_string(SuggestionKind k) noexcept {
  switch (k) {
    case SuggestionKind::answer: return "answer";
    case SuggestionKind::reply: return "reply";
    case SuggestionKind::next: return "next";
    case SuggestionKind::goal: return "goal";
  }
  return "unknown";
}

namespace {

/// A line with the call's values in its holes, as the robot would say it.
std::string rendered(const Session& call, const Template& line) {
  std::string out;
  for (const Template::Piece& p : line.pieces)
    out += p.variable == kNone ? std::string(line.literal(p)) : call.variable(p.variable);
  return out;
}

/// The phrasing said on the `said`th time (visits or runs), round and round.
const Template& phrasing(const std::vector<Template>& lines, std::uint32_t said) {
  return lines[said % lines.size()];
}

/// Where the robot listens: after a person joined, the node it would take
/// the call back at (as Session::preview does).
NodeId listening_node(const Session& call) {
  const detail::SessionState& st = SessionAccess::state(call);
  const bool person = call.phase() == Phase::human || call.phase() == Phase::waiting;
  return person && st.last_listen != kNone ? st.last_listen : call.node();
}

/// The customer's last words in the transcript, or nothing.
std::string_view last_words(const Session& call) {
  const auto& lines = call.transcript();
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (it->who == TranscriptEntry::Who::customer) return it->text;
  return {};
}

class Ranking {
 public:
  explicit Ranking(const Session& call)
      : call_(call),
        sc_(call.script()),
        person_(call.phase() == Phase::human || call.phase() == Phase::waiting) {}

  void add(RankedSuggestion s) {
    if (s.text.empty()) return;
    for (const RankedSuggestion& have : out_)
      if (have.text == s.text) return;  // said once, under its best (first) reason
    out_.push_back(std::move(s));
  }

  /// The handlers that answer the intents heard, best intent first.
  void answers(const Understanding& u, NodeId at) {
    const SessionLayout l(sc_);
    const std::uint16_t* runs = SessionAccess::counts(call_) + l.runs();
    std::uint32_t rank = 0;
    for (const IntentMatch& m : u.intents()) {
      if (at != kNone && !sc_.nodes()[at].global_allowed(m.intent)) continue;
      for (std::uint32_t g = 0; g < sc_.globals().size(); ++g) {
        const GlobalHandler& h = sc_.globals()[g];
        if (h.lines.empty() ||
            std::find(h.intents.begin(), h.intents.end(), m.intent) == h.intents.end())
          continue;
        if (h.max_times > 0 && runs[g] >= static_cast<std::uint32_t>(h.max_times))
          continue;  // the session skips it too
        add({rendered(call_, phrasing(h.lines, runs[g])), kNone, SuggestionKind::answer, m.intent,
             g, std::max(0.7, 1.0 - 0.05 * rank++),
             fmt::format("answers {} (global handler {})", sc_.intent(m.intent).name, g)});
        break;  // the first handler that applies is the one the session runs
      }
    }
  }

  /// What the robot itself would say to `heard`.
  void reply(std::string_view heard) {
    Turn t;
    if (is_error(call_.preview(Event::utterance(heard, call_.last_event_ms()), t))) return;
    std::string why;
    if (t.decision() == Decision::route && t.from() != kNone)
      why = fmt::format("what the robot would say: route {} of {}", t.index(),
                        sc_.nodes()[t.from()].name);
    else if (t.decision() == Decision::global)
      why = fmt::format("what the robot would say: global handler {}", t.index());
    else
      why = fmt::format("what the robot would say ({})", to_string(t.decision()));
    double score = 0.68;
    for (const Action& a : t.actions())
      if (a.type == ActionType::say && !a.text.empty() && !hand_over(a.node)) {
        add({std::string(a.text), a.node, SuggestionKind::reply, kNone, t.index(), score, why});
        score -= 0.01;
      }
  }

  /// A line that hands the call to a person: no use to the person who has it.
  bool hand_over(NodeId n) const {
    return person_ && n != kNone && sc_.nodes()[n].kind == NodeKind::escalate;
  }

  /// The lines the node's routes lead to; those whose intents were heard first.
  void next_lines(NodeId at, const Understanding& u) {
    if (at == kNone) return;
    const Node& node = sc_.nodes()[at];
    const std::vector<Route>& routes = node.routes_for(node.variant_for(call_.variant_seed()));
    SessionEnv env(call_);
    for (std::uint32_t i = 0; i < routes.size(); ++i) {
      const Route& r = routes[i];
      if (r.target == kNone || (!r.guard.empty() && !r.guard.test(env))) continue;
      const Node& to = sc_.nodes()[r.target];
      if (to.lines.empty() || hand_over(r.target)) continue;
      bool heard = false;
      for (const IntentMatch& m : u.intents())
        heard = heard || std::find(r.intents.begin(), r.intents.end(), m.intent) != r.intents.end();
      std::string when = r.any ? "any reply" : std::string();
      for (IntentId id : r.intents) when += (when.empty() ? "" : "/") + sc_.intent(id).name;
      add({rendered(call_, phrasing(to.lines, call_.visits(r.target))), r.target,
           SuggestionKind::next, r.intents.empty() ? kNone : r.intents.front(), i,
           heard ? 0.65 - 0.01 * i : std::max(0.4, 0.6 - 0.02 * i),
           fmt::format("route {} of {}: {} → {}", i, node.name, when, to.name)});
    }
  }

  void goal_path(NodeId at);

  std::vector<RankedSuggestion> take(std::size_t max) {
    std::stable_sort(out_.begin(), out_.end(),
                     [](const auto& a, const auto& b) { return a.score > b.score; });
    if (out_.size() > max) out_.resize(max);
    return std::move(out_);
  }

 private:
  const Session& call_;
  const Script& sc_;
  const bool person_;  // a person has (or is about to take) the call
  std::vector<RankedSuggestion> out_;
};

/// A node the script means to reach: one that hands an interested customer
/// to a person, else (`completed`) one that completes the call.
bool goal(const Node& n, bool completed) {
  if (completed) return n.kind == NodeKind::hangup && n.hangup == HangupReason::completed;
  return n.kind == NodeKind::escalate && (n.escalation.reason == EscalationReason::interested ||
                                          n.escalation.reason == EscalationReason::high_score);
}

struct Step {
  NodeId to = kNone;
  std::uint32_t cost = 1;
};

/// The ways on from each node: routes, `next`, branches. Out of `at`, only
/// the routes whose guard holds now; further on, the call will have changed,
/// so every route may be taken. A route that raises the interest score is
/// the author's way forward and costs 1; another costs 3.
std::vector<std::vector<Step>> ways(const Script& sc, const ExprEnv& env, NodeId at) {
  std::vector<std::vector<Step>> out(sc.nodes().size());
  for (const Edge& e : sc.edges()) {
    if (e.from == kNone || e.to == kNone) continue;
    const Node& from = sc.nodes()[e.from];
    const Route* r = nullptr;
    if (e.kind == EdgeKind::route && e.index < from.routes.size())
      r = &from.routes[e.index];
    else if (e.kind == EdgeKind::variant && e.variant < from.variants.size() &&
             e.index < from.variants[e.variant].routes.size())
      r = &from.variants[e.variant].routes[e.index];
    else if (e.kind != EdgeKind::next && e.kind != EdgeKind::branch && e.kind != EdgeKind::variant)
      continue;
    if (r && e.from == at && !r->guard.empty() && !r->guard.test(env)) continue;
    out[e.from].push_back({e.to, r && r->score <= 0 ? 3u : 1u});
  }
  return out;
}

/// The cheapest way from `at` to a goal: the nodes after `at`, the goal last;
/// empty when there is none.
std::vector<NodeId> cheapest_way(const Script& sc, const std::vector<std::vector<Step>>& out,
                                 NodeId at, bool completed) {
  const std::size_t n = sc.nodes().size();
  std::vector<std::uint32_t> cost(n, UINT32_MAX);
  std::vector<NodeId> from(n, kNone);
  std::vector<bool> done(n, false);
  cost[at] = 0;
  for (;;) {  // Dijkstra, plainly: scripts have tens of nodes
    NodeId x = kNone;
    for (NodeId i = 0; i < n; ++i)
      if (!done[i] && cost[i] != UINT32_MAX && (x == kNone || cost[i] < cost[x])) x = i;
    if (x == kNone) return {};
    done[x] = true;
    if (x != at && goal(sc.nodes()[x], completed)) {
      std::vector<NodeId> path;
      for (NodeId y = x; y != at; y = from[y]) path.push_back(y);
      std::reverse(path.begin(), path.end());
      return path;
    }
    if (x != at && sc.nodes()[x].terminal()) continue;
    for (const Step& s : out[x])
      if (cost[x] + s.cost < cost[s.to]) {
        cost[s.to] = cost[x] + s.cost;
        from[s.to] = x;
      }
  }
}

/// The lines on the way from `at` to a goal. A person on the call does not
/// need the robot's hand-over line at its end.
void Ranking::goal_path(NodeId at) {
  if (at == kNone) return;
  SessionEnv env(call_);
  const auto out = ways(sc_, env, at);
  for (const bool completed : {false, true}) {
    std::vector<NodeId> path = cheapest_way(sc_, out, at, completed);
    if (path.empty()) continue;
    const std::string& to = sc_.nodes()[path.back()].name;
    if (!completed) path.pop_back();
    for (std::uint32_t step = 0; step < path.size(); ++step) {
      const Node& node = sc_.nodes()[path[step]];
      if (node.lines.empty()) continue;
      add({rendered(call_, phrasing(node.lines, call_.visits(path[step]))), path[step],
           SuggestionKind::goal, kNone, step, std::max(0.05, 0.35 - 0.05 * step),
           fmt::format("on the way to {} (step {} of {})", to, step + 1, path.size())});
    }
    return;
  }
}

}  // namespace

std::vector<RankedSuggestion> suggestions(const Session& call, std::string_view heard,
                                          SuggestOptions options) {
  if (heard.empty()) heard = last_words(call);
  Ranking r(call);
  const NodeId at = listening_node(call);
  Understanding u;
  if (!heard.empty() && !call.ended()) {
    call.script().matcher().understand(heard, u);
    r.answers(u, at);
    r.reply(heard);
  }
  if (!call.ended()) {
    r.next_lines(at, u);
    r.goal_path(at);
  }
  return r.take(options.max);
}

}  // namespace patter
