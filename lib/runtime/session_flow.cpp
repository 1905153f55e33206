// Sub-flows: a node calls a flow, the flow's `return:` comes back to the
// node that called it. The callers are a stack of 16-bit node ids in the
// session's counts (SessionLayout::flows), its depth in
// SessionState::flow_depth: a running flow costs no allocation, and a
// script without flows no room at all.

#include "runtime/session_engine.hpp"

namespace patter {

NodeId SessionEngine::call_flow(NodeId c) {
  detail::SessionState& st = s.st_;
  if (st.flow_depth >= layout.flow_words) {  // the compiler refuses such scripts
    hangup(HangupReason::error, c);
    return kNone;
  }
  counts()[layout.flows() + st.flow_depth++] = static_cast<std::uint16_t>(c);
  return sc.nodes()[c].call_start;
}

NodeId SessionEngine::return_from(NodeId r) {
  detail::SessionState& st = s.st_;
  if (st.flow_depth == 0) {  // entered without a call (a hand-back into a flow)
    hangup(HangupReason::error, r);
    return kNone;
  }
  std::uint16_t& top = counts()[layout.flows() + --st.flow_depth];
  const NodeId caller = top;
  top = 0;
  const NodeId to = sc.nodes()[caller].after_return(sc.nodes()[r].outcome);
  if (to == kNone) hangup(HangupReason::error, r);  // the compiler refuses such scripts
  return to;
}

void SessionEngine::leave_flows(std::uint16_t flow) noexcept {
  detail::SessionState& st = s.st_;
  while (st.flow_depth != 0) {
    std::uint16_t& top = counts()[layout.flows() + st.flow_depth - 1u];
    if (sc.nodes()[top].calls == flow) return;
    top = 0;
    --st.flow_depth;
  }
}

}  // namespace patter
