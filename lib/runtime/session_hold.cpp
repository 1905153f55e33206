// Handing a call to a person: the escalation, the hold policy while it
// waits, and the person joining and leaving.

#include "runtime/session_engine.hpp"

namespace patter {

void SessionEngine::escalate(const Escalation& e, NodeId node) {
  const Hold& hold = sc.hold();
  if (s.st_.has(
          detail::kAwaiting)) {  // already waiting (the robot kept talking): no second escalation
    s.st_.phase = Phase::waiting;
    return;
  }
  s.st_.set(detail::kEscalated, true);
  s.st_.escalation = e.reason;
  s.st_.set(detail::kAwaiting, true);
  edit_extras([&](Extras& x) {
    bump(x.escalations);
    x.waiting_since = now;
    x.hold_said = 0;
  });
  s.st_.phase = Phase::waiting;
  Action& a = push(ActionType::escalate, node);
  a.escalation = e.reason;
  a.priority = e.priority;
  a.score = s.st_.score;
  if (hold.mode == Hold::While::script && hold.resume != kNone) {
    s.st_.phase = Phase::robot;  // the robot carries on until a person comes
    enter(hold.resume);
  }
}

bool SessionEngine::hold_timed_out() const noexcept {
  return s.st_.has(detail::kAwaiting) &&
         now - extras().waiting_since >= std::uint64_t{sc.hold().timeout_s} * 1000u;
}

/// Nobody took the escalated call in time: the hold policy's `then`, or
/// hang up with `no_agent`.
void SessionEngine::no_person() {
  s.st_.set(detail::kAwaiting, false);
  t.decision_ = Decision::no_person;
  s.st_.phase = Phase::robot;
  const NodeId then = sc.hold().then;
  if (then != kNone)
    enter(then);
  else
    hangup(HangupReason::no_agent, s.st_.node);
}

/// A timer while waiting: the timeout, or the next hold line.
void SessionEngine::hold_timer() {
  const Hold& hold = sc.hold();
  if (hold_timed_out()) {
    no_person();
    return;
  }
  const Extras x = extras();
  const std::uint64_t next =
      x.waiting_since + std::uint64_t{hold.interval_s} * 1000u * (x.hold_said + 1u);
  if (s.st_.phase == Phase::waiting && hold.mode == Hold::While::lines && !hold.lines.empty() &&
      now >= next) {
    t.decision_ = Decision::hold;
    say(&hold.lines[phrasing_of(x.hold_said, hold.lines.size())], {}, sc.settings().barge_in,
        s.st_.node, LineKind::hold, kNone, x.hold_said);
    edit_extras([](Extras& e) { bump(e.hold_said); });
    return;
  }
  t.status_ = Status::ignored;
}

/// A person took the call: after an escalation, or grabbed from the robot
/// (which then falls silent and counts as escalated).
void SessionEngine::person_joined() {
  detail::SessionState& st = s.st_;
  st.set(detail::kPersonJoined, true);
  st.set(detail::kAwaiting, false);
  st.set(detail::kAsking, false);
  st.set(detail::kFetching, false);
  if (st.phase == Phase::robot) {
    push(ActionType::stop_line, st.node);
    if (!st.has(detail::kEscalated)) {
      st.set(detail::kEscalated, true);
      st.escalation = EscalationReason::other;
      edit_extras([](Extras& x) { bump(x.escalations); });
    }
  }
  st.phase = Phase::human;
  t.decision_ = Decision::human;
}

/// The person left: the robot takes the call back at `node`, or it ends.
void SessionEngine::person_left(NodeId node, HangupReason reason) {
  if (node != kNone) {
    t.decision_ = Decision::hand_back;
    s.st_.phase = Phase::robot;
    s.st_.set(detail::kAwaiting, false);
    enter(node);
    return;
  }
  t.decision_ = Decision::ended;
  hangup(reason <= HangupReason::error ? reason : HangupReason::agent_ended, s.st_.node);
}

/// A deadline passed: the host's answer is overdue, or a hold line or the
/// hold timeout is due. A due duration limit was handled before.
void SessionEngine::timer() {
  if (s.st_.has(detail::kAsking) && now >= extras().ask_deadline)
    unanswered(Turn::Note::host_timeout);
  else if (s.st_.has(detail::kFetching) && s.st_.phase == Phase::robot &&
           now >= extras().ask_deadline)
    fetch_timed_out();
  else if (s.st_.has(detail::kAwaiting))
    hold_timer();
  else
    t.status_ = Status::ignored;  // not due yet
}

}  // namespace patter
