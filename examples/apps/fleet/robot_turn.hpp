// robot_turn.hpp — one event applied to a call's session: the step each
// worker takes between loading a snapshot and writing it back, and the
// in-process reference takes on its live sessions. The same code on both
// sides is what makes their CallResults comparable.
//
//   patter::Started s = start_call(script, first_event);   // seq 1 only
//   AppliedTurn out;
//   apply(*s, event, turn, "worker1", out);
//   publish(out.report);
//   if (out.escalation) publish(*out.escalation);
//   if (out.report.ended) publish(out.result);              // CallResult JSON
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <patter/session.hpp>

#include "protocol.hpp"

namespace fleet {

struct AppliedTurn {
  TurnReport report;
  std::optional<EscalationNote> escalation;  ///< the turn escalated
  std::string result;  ///< the CallResult as JSON, when the turn ended the call
};

/// A session for a call's first event, with the CRM fields it carries.
patter::Started start_call(std::shared_ptr<const patter::Script> script, const LineEvent& first);

/// Step `session` with `event` and describe what happened in `out`.
void apply(patter::Session& session, const LineEvent& event, patter::Turn& turn,
           const std::string& worker, AppliedTurn& out);

}  // namespace fleet
