// Ending a call: hang up, and the grade and tags the grading rules give it.

#include "runtime/session_engine.hpp"

namespace patter {

void SessionEngine::end_call(Outcome outcome, HangupReason reason) {
  s.st_.phase = Phase::ended;
  s.st_.set(detail::kAwaiting, false);
  s.st_.set(detail::kAsking, false);
  s.st_.set(detail::kFetching, false);
  s.st_.outcome = s.st_.has(detail::kPersonJoined) ? Outcome::escalated : outcome;
  s.st_.hangup = reason;
  SessionEnv env(s);
  std::uint8_t grade = sc.default_grade();
  for (const GradeRule& rule : sc.grading()) {
    if (rule.when.test(env)) {
      grade = rule.grade;
      tags(rule.tag_ids, s.st_.node);
      break;
    }
  }
  s.st_.grade = static_cast<std::uint8_t>(grade + 1u);
  push(ActionType::end, s.st_.node);
}

void SessionEngine::hangup(HangupReason reason, NodeId node, std::optional<Outcome> outcome) {
  Action& a = push(ActionType::hangup, node);
  a.hangup = reason;
  end_call(outcome.value_or(reason == HangupReason::completed ? Outcome::completed
                            : reason == HangupReason::error   ? Outcome::error
                                                              : Outcome::hangup),
           reason);
}

}  // namespace patter
