// What the slots add to a step: `set:`, a node's `capture:`, decision
// nodes' branches and phrasings chosen by a guard.
#include "runtime/session_engine.hpp"

namespace patter {

void SessionEngine::assign(const std::vector<Assignment>& set) {
  for (const Assignment& a : set) {
    if (a.variable >= layout.vars) continue;
    if (SessionAccess::is_text(sc, a.variable)) {
      // Rendered where lines are, then copied: the Turn's text stays as it was.
      const std::size_t begin = t.text_used_;
      SessionAccess::set_text(s, a.variable, put_line(&a.text));
      t.text_used_ = begin;
      continue;
    }
    const Value v = a.value.evaluate(SessionEnv(s));
    SessionAccess::set_number(s, a.variable,
                              v.type == Value::Type::number ? v.number : (v.truthy() ? 1 : 0));
  }
}

NodeId SessionEngine::decide(NodeId n) {
  const SessionEnv env(s);
  for (const Branch& b : sc.nodes()[n].branches) {
    if (!b.guard.test(env)) continue;
    if (!b.set.empty()) assign(b.set);
    return b.target;
  }
  // The compiler asks for an otherwise branch; a spec built around it
  // still ends the call in a defined way.
  hangup(HangupReason::error, n);
  return kNone;
}

void SessionEngine::say_guarded(NodeId n, std::uint32_t phrasing) {
  const Node& node = sc.nodes()[n];
  const SessionEnv env(s);
  std::size_t plain = 0;
  for (std::size_t i = 0; i < node.lines.size(); ++i) {
    if (node.line_when[i].empty()) {
      ++plain;
      continue;
    }
    if (node.line_when[i].test(env))
      return say(&node.lines[i], node.recording, node.barge_in, n, LineKind::node, n,
                 static_cast<std::uint32_t>(i));
  }
  if (plain == 0) return;
  // The plain phrasings in turn, by the visit, as a node without guards.
  std::size_t k = phrasing_of(phrasing, plain);
  for (std::size_t i = 0; i < node.lines.size(); ++i) {
    if (!node.line_when[i].empty()) continue;
    if (k-- == 0)
      return say(&node.lines[i], node.recording, node.barge_in, n, LineKind::node, n,
                 static_cast<std::uint32_t>(i));
  }
}

void SessionEngine::capture(const Node& node, const Understanding& u, bool opt_out) {
  if (opt_out) return;
  // The best intent the node or a handler acts on decides: a question the
  // knowledge base answers ("who is this?") is not the answer asked for.
  for (const IntentMatch& m : u.intents()) {
    bool routed = false;
    for (const Route& r : node.routes) routed = routed || has(r.intents, m.intent);
    if (routed) break;
    for (std::uint32_t g = 0; g < sc.globals().size(); ++g) {
      const GlobalHandler& h = sc.globals()[g];
      if (has(h.intents, m.intent) && !(h.max_times > 0 && runs(g) >= h.max_times)) return;
    }
  }
  std::string_view said = u.original();
  while (!said.empty() && (said.front() == ' ' || said.front() == '\t')) said.remove_prefix(1);
  while (!said.empty() && (said.back() == ' ' || said.back() == '\t')) said.remove_suffix(1);
  if (said.empty()) return;
  if (sc.variables()[node.capture].type == Variable::Type::time) {
    capture_time(node.capture, said, u);  // the moment as well as the words
  } else if (SessionAccess::is_text(sc, node.capture)) {
    SessionAccess::set_text(s, node.capture, said);
  } else if (auto found = detail::find_number(said)) {
    SessionAccess::set_number(s, node.capture, found->value);
  }
}

}  // namespace patter
