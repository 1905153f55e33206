// The desk's names and reports: statuses and what they mean, listen-in events, training
// verdicts, and the JSON of agent statistics and assessments.
#include "patter/desk.hpp"
#include "patter/json_writer.hpp"

namespace patter {

std::string_view to_string(DeskStatus s) noexcept {
  switch (s) {
    case DeskStatus::ok: return "ok";
    case DeskStatus::unknown_agent: return "unknown_agent";
    case DeskStatus::agent_exists: return "agent_exists";
    case DeskStatus::agent_has_calls: return "agent_has_calls";
    case DeskStatus::no_capacity: return "no_capacity";
    case DeskStatus::unknown_call: return "unknown_call";
    case DeskStatus::not_supervisor: return "not_supervisor";
    case DeskStatus::already_taken: return "already_taken";
    case DeskStatus::not_with_agent: return "not_with_agent";
    case DeskStatus::unknown_node: return "unknown_node";
    case DeskStatus::agent_busy: return "agent_busy";
    case DeskStatus::queue_empty: return "queue_empty";
    case DeskStatus::session_error: return "session_error";
    case DeskStatus::bad_script: return "bad_script";
    case DeskStatus::call_exists: return "call_exists";
    case DeskStatus::not_waiting: return "not_waiting";
    case DeskStatus::not_permitted: return "not_permitted";
    case DeskStatus::bad_text: return "bad_text";
    case DeskStatus::notes_full: return "notes_full";
  }
  return "unknown";
}

std::string_view describe(DeskStatus s) noexcept {
  switch (s) {
    case DeskStatus::ok: return "done";
    case DeskStatus::unknown_agent: return "no agent with that id: add it first (add_agent)";
    case DeskStatus::agent_exists: return "an agent with that id already exists: pick another id";
    case DeskStatus::agent_has_calls:
      return "the agent still supervises calls: remove it once they have ended";
    case DeskStatus::no_capacity:
      return "no agent (or not the named one) has room for another call: add an agent or wait "
             "for a call to end";
    case DeskStatus::unknown_call: return "no such call, or it has ended and was closed";
    case DeskStatus::not_supervisor:
      return "the agent does not supervise that call: only its supervisor may grab it";
    case DeskStatus::already_taken:
      return "a person already has the call (another grab came first)";
    case DeskStatus::not_with_agent:
      return "the agent does not have the call; people join and leave through grab, take_next, "
             "hand_back and finish, not step";
    case DeskStatus::unknown_node:
      return "the script has no such node: take ids from Script::find_node";
    case DeskStatus::agent_busy: return "the agent is already talking to a customer";
    case DeskStatus::queue_empty: return "no call is waiting for a person";
    case DeskStatus::session_error:
      return "the session refused the event and is as it was: see Turn::status()";
    case DeskStatus::bad_script:
      return "the call could not start: no script, or its variables were wrong";
    case DeskStatus::call_exists:
      return "a call with that id is already open: give each call its own id";
    case DeskStatus::not_waiting:
      return "the call waits for no person: only a waiting escalation can be given up or "
             "reassigned (tell the router of an escalation first: escalated)";
    case DeskStatus::not_permitted:
      return "the person's role does not allow this: whisper, barge, take over, reassign and "
             "leave are for supervisors (add_agent with supervisor = true)";
    case DeskStatus::bad_text:
      return "the words are empty or not UTF-8: send the text as UTF-8, with something in it";
    case DeskStatus::notes_full:
      return "the call keeps at most kMaxNotes notes and has them: keep further notes in your "
             "own store";
  }
  return "unknown desk status";
}

std::string_view to_string(ListenEventType t) noexcept {
  switch (t) {
    case ListenEventType::robot_said: return "robot_said";
    case ListenEventType::customer_said: return "customer_said";
    case ListenEventType::key: return "key";
    case ListenEventType::silence: return "silence";
    case ListenEventType::escalated: return "escalated";
    case ListenEventType::queued: return "queued";
    case ListenEventType::joined: return "joined";
    case ListenEventType::handed_back: return "handed_back";
    case ListenEventType::ended: return "ended";
    case ListenEventType::whispered: return "whispered";
    case ListenEventType::barged: return "barged";
    case ListenEventType::taken_over: return "taken_over";
    case ListenEventType::noted: return "noted";
    case ListenEventType::reassigned: return "reassigned";
    case ListenEventType::person_said: return "person_said";
    case ListenEventType::left: return "left";
  }
  return "unknown";
}

std::string_view to_string(GrabVerdict v) noexcept {
  switch (v) {
    case GrabVerdict::on_time: return "on_time";
    case GrabVerdict::early: return "early";
    case GrabVerdict::late: return "late";
    case GrabVerdict::missed: return "missed";
    case GrabVerdict::needless: return "needless";
  }
  return "unknown";
}

double TrainingAssessment::score() const noexcept {
  const std::size_t n = decisions.size();
  return n == 0 ? 1.0 : static_cast<double>(on_time) / static_cast<double>(n);
}

std::string TrainingAssessment::to_json() const {
  JsonWriter w;
  w.object()
      .field("trainee", trainee)
      .field("decisions", decisions.size())
      .field("on_time", on_time);
  w.field("early", early).field("late", late).field("missed", missed).field("needless", needless);
  w.field("mean_offset_ms", mean_offset_ms).field("score", score()).key("calls").array();
  for (const GrabDecision& d : decisions)
    w.object()
        .field("call", d.call)
        .field("verdict", to_string(d.verdict))
        .field("offset_ms", d.offset_ms)
        .end();
  return w.end().end().take();
}

std::string AgentStats::to_json() const {
  JsonWriter w;
  w.object().field("agent", agent).field("calls_supervised", calls_supervised);
  w.field("escalations", escalations).field("grabs", grabs).field("hand_backs", hand_backs);
  w.field("mean_time_to_take_ms", mean_time_to_take_ms);
  w.field("take_overs", take_overs).field("barges", barges).field("reassigned", reassigned);
  w.key("outcomes").object();
  for (const auto& [outcome, n] : outcomes) w.field(to_string(outcome), n);
  return w.end().end().take();
}

}  // namespace patter
