// Sub-flows: a node calls a flow, the flow's `return:` comes back to the
// node that called it. The callers are a stack of 16-bit words in the
// session's counts (SessionLayout::flows), each 1 + the caller's node id, so
// that the words in use are the depth: a running flow costs no allocation,
// and a script without flows no room at all.

#include "runtime/session_engine.hpp"

namespace patter {

NodeId SessionEngine::call_flow(NodeId c) {
  const std::uint32_t depth = SessionAccess::flow_depth(s.st_, layout);
  if (depth >= layout.flow_words) {  // the compiler refuses such scripts
    hangup(HangupReason::error, c);
    return kNone;
  }
  counts()[layout.flows() + depth] = static_cast<std::uint16_t>(c + 1);
  return sc.nodes()[c].call_start;
}

NodeId SessionEngine::return_from(NodeId r) {
  const std::uint32_t depth = SessionAccess::flow_depth(s.st_, layout);
  if (depth == 0) {  // entered without a call (a hand-back into a flow)
    hangup(HangupReason::error, r);
    return kNone;
  }
  std::uint16_t& top = counts()[layout.flows() + depth - 1];
  const NodeId caller = top - 1u;
  top = 0;
  const NodeId to = sc.nodes()[caller].after_return(sc.nodes()[r].outcome);
  if (to == kNone) hangup(HangupReason::error, r);  // the compiler refuses such scripts
  return to;
}

void SessionEngine::leave_flows(std::uint16_t flow) noexcept {
  for (std::uint32_t depth = SessionAccess::flow_depth(s.st_, layout); depth != 0; --depth) {
    std::uint16_t& top = counts()[layout.flows() + depth - 1];
    if (sc.nodes()[top - 1u].calls == flow) return;
    top = 0;
  }
}

}  // namespace patter
