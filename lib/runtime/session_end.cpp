// Ending a call: hang up, and the grade and tags the grading rules give it.

#include "runtime/session_engine.hpp"

namespace patter {

void SessionEngine::end_call(Outcome outcome, HangupReason reason) {
  s.st_.phase = Phase::ended;
  s.st_.awaiting = false;
  s.st_.asking = false;
  s.st_.fetching = false;
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

void SessionEngine::hangup(HangupReason reason, NodeId node, std::optional<Outcome> outcome) {
  Action& a = push(ActionType::hangup, node);
  a.hangup = reason;
  end_call(
      outcome.value_or(reason == HangupReason::completed ? Outcome::completed : Outcome::hangup),
      reason);
}

}  // namespace patter
