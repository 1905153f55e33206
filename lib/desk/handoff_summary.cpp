// The handoff summary (patter/handoff.hpp): what the call learned, read
// from the script and the session. The text and JSON forms are in
// handoff_text.cpp.
#include "patter/handoff.hpp"

#include <algorithm>

#include "runtime/session_state.hpp"
#include "text/numbers.hpp"

namespace patter {

namespace {

/// Variables the call itself may write: captures (a node's `capture:`, a
/// pattern's named group), `set:` anywhere, and those the host may set
/// during the call. The others are the host's, given when the call started.
std::vector<bool> written_on_call(const Script& sc) {
  std::vector<bool> w(sc.variables().size(), false);
  auto mark = [&](VariableId v) {
    if (v < w.size()) w[v] = true;
  };
  auto mark_set = [&](const std::vector<Assignment>& set) {
    for (const Assignment& a : set) mark(a.variable);
  };
  for (VariableId v = 0; v < w.size(); ++v)
    if (sc.variables()[v].host_settable) mark(v);
  for (const Node& n : sc.nodes()) {
    mark(n.capture);
    mark_set(n.set);
    for (const Route& r : n.routes) mark_set(r.set);
    for (const Branch& b : n.branches) mark_set(b.set);
    for (const Variant& var : n.variants)
      for (const Route& r : var.routes) mark_set(r.set);
  }
  for (const GlobalHandler& g : sc.globals()) mark_set(g.set);
  for (const Intent& i : sc.intents())
    for (const std::string& p : i.patterns)
      for (std::size_t at = p.find("(?<"); at != std::string::npos; at = p.find("(?<", at + 3)) {
        const std::size_t end = p.find('>', at + 3);
        if (end == std::string::npos) break;
        if (auto v = sc.find_variable(std::string_view(p).substr(at + 3, end - at - 3))) mark(*v);
      }
  return w;
}

/// The variable differs from the script's default: the host gave it, or the
/// call learned it.
bool has_own_value(const Session& call, VariableId v) {
  const Variable& decl = call.script().variables()[v];
  switch (decl.type) {
    case Variable::Type::text:
    case Variable::Type::time: {
      const auto own = SessionAccess::text(call, v);
      return own && (!decl.default_value || *own != *decl.default_value);
    }
    case Variable::Type::number: {
      const double d =
          decl.default_value ? detail::parse_number(*decl.default_value).value_or(0) : 0;
      return SessionAccess::number(call, v) != d;
    }
    case Variable::Type::boolean: {
      const bool d =
          decl.default_value && (*decl.default_value == "true" || *decl.default_value == "yes" ||
                                 *decl.default_value == "1");
      return (SessionAccess::number(call, v) != 0) != d;
    }
  }
  return false;
}

void values(const Session& call, HandoffSummary& s) {
  const Script& sc = call.script();
  const std::vector<bool> written = written_on_call(sc);
  for (VariableId v = 0; v < sc.variables().size(); ++v) {
    if (!has_own_value(call, v)) continue;
    (written[v] ? s.learned : s.customer).push_back({sc.variables()[v].name, call.variable(v)});
  }
}

std::string node_name(const Script& sc, NodeId n) {
  return n < sc.nodes().size() ? sc.nodes()[n].name : std::string();
}

/// The intents of one customer entry: as the matcher reads its words, or
/// the host's intent when the words were the host's.
void intents_of(const Script& sc, const TranscriptEntry& e, Understanding& u,
                std::vector<IntentId>& out) {
  out.clear();
  sc.matcher().understand(e.text, u);
  for (const IntentMatch& m : u.intents()) out.push_back(m.intent);
  if (out.empty() && e.intent != kNone && e.intent < sc.intents().size()) out.push_back(e.intent);
}

/// What counts as something the customer asked: a question intent, or one a
/// global handler answered with a line during the call ("太贵了" answered
/// by the script's line on instalments).
std::vector<bool> asked(const Session& call) {
  const Script& sc = call.script();
  std::vector<bool> out(sc.intents().size(), false);
  for (IntentId i = 0; i < out.size(); ++i) out[i] = sc.intent(i).kind == IntentKind::question;
  const std::uint16_t* runs = SessionAccess::counts(call) + SessionLayout(sc).runs();
  for (std::uint32_t g = 0; g < sc.globals().size(); ++g) {
    const GlobalHandler& h = sc.globals()[g];
    if (runs[g] == 0 || h.lines.empty()) continue;
    for (const IntentId i : h.intents) out[i] = true;
  }
  return out;
}

/// Questions and intents, in the order the customer spoke (a transcript).
void from_transcript(const Session& call, HandoffSummary& s) {
  const Script& sc = call.script();
  std::vector<bool> listed(sc.intents().size(), false);
  const std::vector<bool> question = asked(call);
  Understanding u;
  std::vector<IntentId> heard;
  for (const TranscriptEntry& e : call.transcript()) {
    if (e.who != TranscriptEntry::Who::customer) continue;
    intents_of(sc, e, u, heard);
    for (const IntentId i : heard) {
      if (question[i])
        s.questions.push_back({sc.intent(i).name, e.text, node_name(sc, e.node), e.at_ms, 1});
      if (listed[i] || call.heard(i) == 0) continue;
      listed[i] = true;
      s.intents.push_back({sc.intent(i).name, call.heard(i)});
    }
  }
  // Heard before the transcript's oldest entry: after, in the script's order.
  for (IntentId i = 0; i < sc.intents().size(); ++i)
    if (!listed[i] && call.heard(i) > 0) s.intents.push_back({sc.intent(i).name, call.heard(i)});
}

/// Questions and intents from the counts alone (no transcript).
void from_counts(const Session& call, HandoffSummary& s) {
  const Script& sc = call.script();
  const std::vector<bool> question = asked(call);
  for (IntentId i = 0; i < sc.intents().size(); ++i) {
    const std::uint32_t n = call.heard(i);
    if (n == 0) continue;
    s.intents.push_back({sc.intent(i).name, n});
    if (question[i]) s.questions.push_back({sc.intent(i).name, {}, {}, 0, n});
  }
}

/// Why the call went to a person: the escalating node (the last one entered),
/// else a global handler that escalates for that reason and ran, else a
/// person took the call unasked.
void escalation(const Session& call, const CallResult& r, HandoffSummary& s) {
  const Script& sc = call.script();
  const detail::SessionState& st = SessionAccess::state(call);
  s.escalated = r.escalated;
  if (!s.escalated) return;
  s.reason = r.escalation;
  s.score_escalated = st.has(detail::kScoreEscalated);
  if (s.score_escalated) s.escalate_score = sc.limits().escalate_score;
  for (auto it = r.path.rbegin(); it != r.path.rend(); ++it) {
    const Node& n = sc.nodes()[*it];
    if (n.kind == NodeKind::escalate && n.escalation.reason == r.escalation) {
      s.priority = n.escalation.priority;
      s.escalation_node = n.name;
      return;
    }
  }
  s.escalation_node = node_name(sc, st.node);
  const std::uint16_t* runs = SessionAccess::counts(call) + SessionLayout(sc).runs();
  for (std::uint32_t g = 0; g < sc.globals().size(); ++g) {
    const GlobalHandler& h = sc.globals()[g];
    if (runs[g] > 0 && h.then == GlobalHandler::Then::escalate &&
        h.escalation.reason == r.escalation) {
      s.priority = h.escalation.priority;
      s.handler = h.intents.empty() ? std::string() : sc.intent(h.intents.front()).name;
      return;
    }
  }
  s.grabbed = true;
}

/// The customer's words that led to the escalation: the last before it.
std::string trigger(const Session& call, std::uint64_t escalated_at) {
  const auto& lines = call.transcript();
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (it->who == TranscriptEntry::Who::customer &&
        (escalated_at == 0 || it->at_ms <= escalated_at))
      return it->text;
  return {};
}

}  // namespace

HandoffSummary handoff_summary(const Session& call, std::uint64_t now_ms) {
  const Script& sc = call.script();
  const detail::SessionState& st = SessionAccess::state(call);
  const CallResult r = call.result();
  HandoffSummary s;
  s.script = sc.id();
  s.version = sc.version();
  s.locale = sc.locale();
  s.transcript = static_cast<bool>(st.transcript);
  values(call, s);
  if (s.transcript)
    from_transcript(call, s);
  else
    from_counts(call, s);
  s.score = call.score();
  s.grade = std::string(call.grade_so_far());
  escalation(call, r, s);
  const std::uint64_t now =
      call.ended() ? call.last_event_ms() : std::max(now_ms, call.last_event_ms());
  const std::uint64_t escalated_at = call.escalated_at_ms();
  if (s.escalated && s.transcript) s.trigger = trigger(call, s.grabbed ? 0 : escalated_at);
  if (!r.path.empty()) s.duration_ms = now - std::min(now, st.answered_at);
  if (s.escalated && !s.grabbed && escalated_at != 0)
    s.waiting_ms = now - std::min(now, escalated_at);
  for (const NodeId n : r.path) s.path.push_back(node_name(sc, n));
  return s;
}

}  // namespace patter
