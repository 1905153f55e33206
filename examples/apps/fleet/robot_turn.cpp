// One event applied to a session (robot_turn.hpp).
#include "robot_turn.hpp"

#include <vector>

namespace fleet {

patter::Started start_call(std::shared_ptr<const patter::Script> script, const LineEvent& first) {
  std::vector<patter::VariableValue> vars;
  vars.reserve(first.variables.size());
  for (const auto& [name, value] : first.variables) vars.emplace_back(name, value);
  return patter::Session::start(std::move(script), vars);
}

void apply(patter::Session& session, const LineEvent& event, patter::Turn& turn,
           const std::string& worker, AppliedTurn& out) {
  session.step(event.event(), turn);
  TurnReport& r = out.report;
  r.call = event.call;
  r.seq = event.seq;
  r.status = turn.status();
  r.phase = session.phase();
  r.awaiting = session.awaiting_person();
  r.ended = session.ended();
  r.deadline_ms = session.deadline_ms();
  r.worker = worker;
  r.actions.clear();
  out.escalation.reset();
  for (const patter::Action& a : turn.actions()) {
    r.actions.push_back({a.type, a.node, std::string(a.text), a.timeout_ms, a.hangup, a.escalation,
                         a.priority, a.score});
    if (a.type == patter::ActionType::escalate)
      out.escalation =
          EscalationNote{event.call, event.seq, a.escalation, a.priority, a.score, event.at_ms};
  }
  out.result.clear();
  if (r.ended) out.result = session.result().to_json(session.script());
}

}  // namespace fleet
