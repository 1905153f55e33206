// Interruption policies: which words cut the line being said, and the
// clarifying line of `interrupt: clarify`.

#include "runtime/session_engine.hpp"

namespace patter {

namespace {

struct LinePolicy {
  Interrupt mode = Interrupt::any;
  const std::vector<IntentId>* intents = nullptr;
};

/// The policy of the last line said, from whose line it was.
LinePolicy policy_of(const Script& sc, const detail::SessionState& st) noexcept {
  const std::uint32_t owner = st.line_owner;
  switch (static_cast<LineKind>(st.line_kind)) {
    case LineKind::node:
    case LineKind::no_match:
    case LineKind::no_input:
      if (owner < sc.nodes().size())
        return {sc.nodes()[owner].interrupt, &sc.nodes()[owner].interrupt_intents};
      break;
    case LineKind::handler:
      if (owner < sc.globals().size())
        return {sc.globals()[owner].interrupt, &sc.globals()[owner].interrupt_intents};
      break;
    case LineKind::none:
    case LineKind::hold:
    case LineKind::clarify: break;
  }
  return {};
}

}  // namespace

bool SessionEngine::cuts_line(const Understanding& u) const noexcept {
  const LinePolicy p = policy_of(sc, s.st_);
  if (p.mode != Interrupt::only) return true;
  for (const IntentMatch& m : u.intents())
    if (has(*p.intents, m.intent)) return true;
  return false;
}

bool SessionEngine::clarify_cut() {
  if (policy_of(sc, s.st_).mode != Interrupt::clarify) return false;
  const NodeId at = s.st_.node;
  say(&sc.settings().clarify, {}, true, at, LineKind::clarify, at, 0);
  listen(at);
  return true;
}

}  // namespace patter
