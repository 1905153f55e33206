// Names of the runtime's enumerations, as they appear in JSON, logs and
// conditions.
#include "patter/session.hpp"

namespace patter {

std::string_view to_string(EventType t) noexcept {
  switch (t) {
    case EventType::answered: return "answered";
    case EventType::utterance: return "utterance";
    case EventType::intent: return "intent";
    case EventType::no_input: return "no_input";
    case EventType::dtmf: return "dtmf";
    case EventType::customer_hangup: return "customer_hangup";
    case EventType::voicemail: return "voicemail";
    case EventType::agent_joined: return "agent_joined";
    case EventType::agent_left: return "agent_left";
    case EventType::timer: return "timer";
    case EventType::not_understood: return "not_understood";
    case EventType::data: return "data";
    case EventType::agent_said: return "agent_said";
  }
  return "unknown";
}

std::string_view to_string(ActionType t) noexcept {
  switch (t) {
    case ActionType::say: return "say";
    case ActionType::listen: return "listen";
    case ActionType::stop_line: return "stop_line";
    case ActionType::tag: return "tag";
    case ActionType::hangup: return "hangup";
    case ActionType::escalate: return "escalate";
    case ActionType::end: return "end";
    case ActionType::resume_line: return "resume_line";
    case ActionType::understand: return "understand";
    case ActionType::fetch: return "fetch";
  }
  return "unknown";
}

std::string_view to_string(Status s) noexcept {
  switch (s) {
    case Status::ok: return "ok";
    case Status::ignored: return "ignored";
    case Status::not_answered: return "not_answered";
    case Status::already_answered: return "already_answered";
    case Status::call_ended: return "call_ended";
    case Status::wrong_phase: return "wrong_phase";
    case Status::unknown_intent: return "unknown_intent";
    case Status::unknown_node: return "unknown_node";
    case Status::bad_key: return "bad_key";
    case Status::time_went_back: return "time_went_back";
    case Status::unknown_event: return "unknown_event";
    case Status::not_asked: return "not_asked";
    case Status::too_many_intents: return "too_many_intents";
    case Status::not_fetching: return "not_fetching";
    case Status::late_data: return "late_data";
    case Status::unknown_variable: return "unknown_variable";
    case Status::bad_value: return "bad_value";
    case Status::not_settable: return "not_settable";
    case Status::no_text: return "no_text";
    case Status::bad_text: return "bad_text";
  }
  return "unknown";
}

std::string_view describe(Status s) noexcept {
  switch (s) {
    case Status::ok: return "the event was handled";
    case Status::ignored: return "the event was recorded, and there is nothing to do";
    case Status::not_answered:
      return "the call has not been answered: send `answered` first (only `customer_hangup` and "
             "`voicemail` "
             "come before it)";
    case Status::already_answered: return "`answered` came twice: send it once per call";
    case Status::call_ended: return "the call is over: start a new session for a new call";
    case Status::wrong_phase:
      return "the event does not apply now: silence and keys only while the robot talks (silence "
             "not while "
             "the host is asked to understand), `agent_left` and `agent_said` only while a person "
             "has the call, `voicemail` only "
             "before a transfer";
    case Status::unknown_intent:
      return "the intent id is not one of the script's: take ids from Script::find_intent";
    case Status::unknown_node:
      return "the node id is not one of the script's: take ids from Script::find_node";
    case Status::bad_key: return "a DTMF key is one of 0-9, * and #";
    case Status::time_went_back:
      return "the event's time is earlier than the previous event's: pass a monotonic clock";
    case Status::not_asked:
      return "`not_understood` answers an `understand` action, and none is waiting: send it only "
             "after one";
    case Status::too_many_intents:
      return "the n-best list is longer than kMaxHostIntents (8): pass the best 8";
    case Status::unknown_event:
      return "the event type is not one patter knows: build events with Event::...";
    case Status::not_fetching:
      return "no fetch waits for this data (none was asked, the id is another's, or it was "
             "answered): answer a `fetch` action once, with its `fetch` id";
    case Status::late_data:
      return "the data came at or after the fetch's deadline: send `timer` (the node's `timeout:` "
             "is taken)";
    case Status::unknown_variable:
      return "the data names a variable the script does not declare: take names from its "
             "`variables:`";
    case Status::bad_value:
      return "a value does not fit its variable: numbers as digits, booleans as true/false, times "
             "as ms since 1970 UTC, text as UTF-8";
    case Status::not_settable:
      return "outside a fetch, the host may only set variables the script declares "
             "`host_settable: true`";
    case Status::no_text:
      return "`agent_said` carries no words: send what the person said, or send nothing";
    case Status::bad_text:
      return "`agent_said` words and the person's id must be UTF-8, and the id at most "
             "kMaxSpeakerBytes (128) bytes: convert the text, and name people by a short id";
  }
  return "unknown status";
}

std::string_view to_string(Phase p) noexcept {
  switch (p) {
    case Phase::dialing: return "dialing";
    case Phase::robot: return "robot";
    case Phase::waiting: return "waiting";
    case Phase::human: return "human";
    case Phase::ended: return "ended";
  }
  return "unknown";
}

std::string_view to_string(Outcome o) noexcept {
  switch (o) {
    case Outcome::none: return "";
    case Outcome::completed: return "completed";
    case Outcome::hangup: return "hangup";
    case Outcome::escalated: return "escalated";
    case Outcome::customer_hangup: return "customer_hangup";
    case Outcome::no_answer: return "no_answer";
    case Outcome::voicemail: return "voicemail";
    case Outcome::error: return "error";
  }
  return "unknown";
}

std::string_view to_string(TranscriptEntry::Who w) noexcept {
  switch (w) {
    case TranscriptEntry::Who::robot: return "robot";
    case TranscriptEntry::Who::customer: return "customer";
    case TranscriptEntry::Who::key: return "key";
    case TranscriptEntry::Who::silence: return "silence";
    case TranscriptEntry::Who::agent: return "agent";
  }
  return "unknown";
}

std::string_view to_string(Decision d) noexcept {
  switch (d) {
    case Decision::none: return "none";
    case Decision::start: return "start";
    case Decision::route: return "route";
    case Decision::global: return "global";
    case Decision::opt_out: return "opt_out";
    case Decision::no_match: return "no_match";
    case Decision::long_reply: return "long_reply";
    case Decision::no_input: return "no_input";
    case Decision::limit: return "limit";
    case Decision::score: return "score";
    case Decision::barge_in: return "barge_in";
    case Decision::not_now: return "not_now";
    case Decision::human: return "human";
    case Decision::hand_back: return "hand_back";
    case Decision::ended: return "ended";
    case Decision::hold: return "hold";
    case Decision::no_person: return "no_person";
    case Decision::backchannel: return "backchannel";
    case Decision::understand: return "understand";
    case Decision::fetched: return "fetched";
    case Decision::fetch_timeout: return "fetch_timeout";
    case Decision::fetch_failed: return "fetch_failed";
    case Decision::data: return "data";
  }
  return "unknown";
}

std::string_view to_string(RestoreError e) noexcept {
  switch (e) {
    case RestoreError::ok: return "ok";
    case RestoreError::not_a_snapshot: return "not_a_snapshot";
    case RestoreError::version: return "version";
    case RestoreError::other_script: return "other_script";
    case RestoreError::truncated: return "truncated";
    case RestoreError::corrupted: return "corrupted";
    case RestoreError::no_script: return "no_script";
  }
  return "unknown";
}

std::string_view describe(RestoreError e) noexcept {
  switch (e) {
    case RestoreError::ok: return "the session was restored";
    case RestoreError::not_a_snapshot:
      return "the bytes are not a patter session snapshot: pass what Session::snapshot wrote";
    case RestoreError::version:
      return "the snapshot was written by another patter version: restore it with that version";
    case RestoreError::other_script:
      return "the snapshot was taken on another version of the script: restore it with the "
             "script the call started on";
    case RestoreError::truncated: return "the snapshot is cut off: store and pass all of its bytes";
    case RestoreError::corrupted:
      return "the snapshot's bytes were changed: its checksum or a value does not match";
    case RestoreError::no_script: return "no script: restore needs the script the call runs on";
  }
  return "unknown restore error";
}

std::string_view to_string(StartError e) noexcept {
  switch (e) {
    case StartError::ok: return "ok";
    case StartError::no_script: return "no_script";
    case StartError::unknown_variable: return "unknown_variable";
    case StartError::missing_variable: return "missing_variable";
    case StartError::bad_value: return "bad_value";
  }
  return "unknown";
}

std::string_view describe(StartError e) noexcept {
  switch (e) {
    case StartError::ok: return "the call started";
    case StartError::no_script:
      return "no script: load one first (patter::load_file) and check LoadResult::ok()";
    case StartError::unknown_variable:
      return "a variable the script does not declare: declare it under `variables:` or leave it "
             "out";
    case StartError::missing_variable:
      return "a variable the script requires was not given: pass it when the call starts";
    case StartError::bad_value:
      return "a value does not fit its variable: numbers as digits, booleans as true or false, "
             "text as UTF-8 of at most 1 MiB";
  }
  return "unknown start error";
}

}  // namespace patter
