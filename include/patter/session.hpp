// patter/session.hpp — one call: events in, actions out.
//
//   auto script = patter::load_file("screening.zh-CN.yaml").script;
//
//   patter::Started started = patter::Session::start(script, {{"customer_name", "张先生"}});
//   if (!started) { std::cerr << started.message() << '\n'; return; }  // patter/result.hpp
//   patter::Session& call = *started;
//
//   patter::Turn turn;                     // reuse one per thread: it holds the output
//   call.step(patter::Event::answered(0), turn);
//   for (const patter::Action& a : turn.actions())
//     switch (a.type) {
//       case patter::ActionType::say:      tts.play(a.recording, a.text, a.barge_in); break;
//       case patter::ActionType::listen:   timers.listen(a.timeout_ms); break;
//       case patter::ActionType::hangup:   line.hang_up(); break;
//       case patter::ActionType::escalate: desk.transfer(call, a.escalation, a.priority); break;
//       default: break;
//     }
//   call.step(patter::Event::utterance("是的，我是", 4200), turn);
//   std::cout << turn.explain(*script);   // which intent, which route, why
//   ...
//   if (call.ended()) crm.save(call.result().to_json(*script));
//
// A Session is one call over a shared, immutable Script. It does no I/O and
// reads no clock: every event carries the host's time in milliseconds (any
// origin, never going back), and the session answers with actions, among
// them how long to listen. The host reports silence (`no_input`) when a
// listen times out and sends `timer` when `deadline_ms()` passes.
//
// The call's life:
//   dialing ──answered──▶ robot ──escalate──▶ waiting ──agent_joined──▶ human
//      │                  │  ▲                   │                       │
//      │                  │  └──── agent_left(node): hand back ──────────┘
//      └─customer_hangup, voicemail──▶ ended ◀── hangup, customer_hangup, agent_left()
// Which events each phase takes: ok, or the Status the event gets. Once
// ended, every event gets call_ended; what an event carries (an intent the
// script has, a valid key, a node) is checked next. A person may grab the
// call from the robot (agent_joined in robot).
//                     dialing           robot             waiting           human
//   answered          ok                already_answered  already_answered  already_answered
//   utterance         not_answered      ok                ok                ok
//   intent            not_answered      ok                ok                ok
//   no_input          not_answered      ok                wrong_phase       wrong_phase
//   dtmf              not_answered      ok                wrong_phase       wrong_phase
//   customer_hangup   ok                ok                ok                ok
//   voicemail         ok                ok                wrong_phase       wrong_phase
//   agent_joined      not_answered      ok                ok                wrong_phase
//   agent_left        not_answered      wrong_phase       ok                ok
//   timer             not_answered      ok                ok                ok
//   not_understood    not_answered      ok                ok                ok
//   data              ok                ok                ok                ok
//   agent_said        not_answered      wrong_phase       wrong_phase       ok
// An event that makes no sense in the current phase (an utterance after the
// end, `answered` twice, time going back, an intent the script does not
// have) returns an error Status and changes nothing, so a confused host can
// never corrupt a call.
//
// What a turn does (docs/runtime.md has the full rules):
//   1. Opt-out wins: if any intent heard is an opt-out intent (one whose
//      global handler ends the call with `opt_out`), the call is tagged
//      `dnc`, the handler runs and the call hangs up, whatever else was said.
//   2. The listening node's routes are tried in order; a route is taken when
//      one of its intents was heard (or its key pressed, or it is `any`) and
//      its `when` holds.
//   3. Otherwise the global handlers, in order (answer and resume, or go to
//      a node, hang up, escalate).
//   4. Otherwise no_match: long replies to `long_reply`, else re-prompt up to
//      `retries` times, then `then`. With `understand: host`, a reply the
//      matcher found no intent in is first sent to the host (an `understand`
//      action); its answer (`intent_of`, `intents`, `not_understood`, or a
//      `timer` at the deadline) decides.
//   Backchannels (嗯, 对, uh-huh) never interrupt a line, and answer a
//   question as `settings.backchannel_intent`. Host intents below
//   `min_confidence` do not count; an n-best list goes by confidence.
//   Limits (turns, duration, visits, no-match and silence counts) and the
//   interest-score escalation are checked as the call moves.
//
// Threads: a Script may be shared by any number of threads; a Session (and a
// Turn) is used by one thread at a time. Sessions may be copied (a fork of
// the call) and moved between threads, or snapshot to bytes and restored in
// another process against the same script (`snapshot`, `restore`).
//
// Cost: a warm step allocates nothing (text variables captured from speech
// and the optional transcript aside), and a session is a few hundred bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "patter/detail/buffer.hpp"
#include "patter/expr.hpp"
#include "patter/matcher.hpp"
#include "patter/result.hpp"
#include "patter/script.hpp"

namespace patter {

class JsonWriter;

// ---- events -----------------------------------------------------------------

enum class EventType : std::uint8_t {
  answered,         ///< the customer picked up: the robot starts talking
  utterance,        ///< the customer said something (recognised text)
  intent,           ///< the host's own NLU understood the customer: intent + confidence
  no_input,         ///< the listen timed out: silence
  dtmf,             ///< a keypad key: 0-9, * or #
  customer_hangup,  ///< the customer hung up (before answering: nobody answered)
  voicemail,        ///< an answering machine took the call
  agent_joined,     ///< a person took the call over (grabbed it, or took an escalation)
  agent_left,       ///< the person left: back to the robot at `node`, or the call ends
  timer,  ///< `deadline_ms()` passed: the call-duration limit, a hold line, the host's answer
  not_understood,  ///< the host's answer to `understand`: none of the intents
  data,        ///< the host's data: the answer to a `fetch` action, or variables it sets on its own
  agent_said,  ///< a person on the call said something: kept in the transcript, never routed
};
std::string_view to_string(EventType t) noexcept;

/// A value as given by the host: a variable name and its text.
using VariableValue = std::pair<std::string_view, std::string_view>;

/// One candidate of the host's NLU: an intent and its confidence (0..1).
struct HostIntent {
  IntentId intent = kNone;
  float confidence = 1;
};
/// Most candidates one `Event::intents` may carry.
inline constexpr std::size_t kMaxHostIntents = 8;
/// Longest person's id an `Event::agent_said` may carry, in bytes.
inline constexpr std::size_t kMaxSpeakerBytes = 128;

/// Something that happened on the call, at the host's time `at_ms`.
struct Event {
  EventType type = EventType::timer;
  std::uint64_t at_ms = 0;
  std::string_view text;    ///< utterance: the recognised text (borrowed)
  IntentId intent = kNone;  ///< intent: the host's intent
  float confidence = 1;     ///< intent: the host's confidence, 0..1
  char key = 0;             ///< dtmf
  NodeId node = kNone;      ///< agent_left: hand the call back at this node
  HangupReason reason =
      HangupReason::agent_ended;           ///< agent_left without a node: how the person ended it
  bool during_line = false;                ///< utterance/intent: the robot was still speaking
  bool line_paused = false;                ///< ... and the host paused the line to hear it
  bool ranked = false;                     ///< intent: `candidates` holds the host's n-best list
  std::uint32_t line_elapsed_ms = 0;       ///< ... and had been for this long
  std::span<const HostIntent> candidates;  ///< intent: the n-best list (borrowed), when `ranked`
  std::uint32_t fetch = 0;  ///< data: the `fetch` action answered (its Action::fetch); 0: none
  std::span<const VariableValue> values;  ///< data: variables to set, as text (borrowed)
  bool failed = false;                    ///< data: the host could not fetch it
  std::string_view speaker;               ///< agent_said: who said it, the person's id (borrowed)

  static Event answered(std::uint64_t at_ms) noexcept { return make(EventType::answered, at_ms); }
  static Event utterance(std::string_view text, std::uint64_t at_ms) noexcept {
    Event e = make(EventType::utterance, at_ms);
    e.text = text;
    return e;
  }
  static Event intent_of(IntentId intent, float confidence, std::uint64_t at_ms) noexcept {
    Event e = make(EventType::intent, at_ms);
    e.intent = intent;
    e.confidence = confidence;
    return e;
  }
  /// The host's n-best list, best or not: the session takes them in order of
  /// confidence (at most kMaxHostIntents; borrowed for the call to `step`).
  static Event intents(std::span<const HostIntent> candidates, std::uint64_t at_ms) noexcept {
    Event e = make(EventType::intent, at_ms);
    e.ranked = true;
    e.candidates = candidates;
    return e;
  }
  /// The host's answer to an `understand` action: none of the intents.
  static Event not_understood(std::uint64_t at_ms) noexcept {
    return make(EventType::not_understood, at_ms);
  }
  static Event no_input(std::uint64_t at_ms) noexcept { return make(EventType::no_input, at_ms); }
  static Event dtmf(char key, std::uint64_t at_ms) noexcept {
    Event e = make(EventType::dtmf, at_ms);
    e.key = key;
    return e;
  }
  static Event customer_hangup(std::uint64_t at_ms) noexcept {
    return make(EventType::customer_hangup, at_ms);
  }
  static Event voicemail(std::uint64_t at_ms) noexcept { return make(EventType::voicemail, at_ms); }
  static Event agent_joined(std::uint64_t at_ms) noexcept {
    return make(EventType::agent_joined, at_ms);
  }
  /// The person leaves. With a node, the robot takes the call back there;
  /// without, the call ends, for `reason` (the person's verdict: completed,
  /// not_interested, callback...; `agent_ended` when they give none).
  static Event agent_left(std::uint64_t at_ms, NodeId node = kNone,
                          HangupReason reason = HangupReason::agent_ended) noexcept {
    Event e = make(EventType::agent_left, at_ms);
    e.node = node;
    e.reason = reason;
    return e;
  }
  static Event timer(std::uint64_t at_ms) noexcept { return make(EventType::timer, at_ms); }
  /// The host's answer to the `fetch` action with id `fetch`: the variables
  /// it found (borrowed for the call to `step`), set before the node routes.
  static Event data(std::uint32_t fetch, std::span<const VariableValue> values,
                    std::uint64_t at_ms) noexcept {
    Event e = make(EventType::data, at_ms);
    e.fetch = fetch;
    e.values = values;
    return e;
  }
  /// The host could not fetch what `fetch` asked for: the node's `failed:`.
  static Event fetch_failed(std::uint32_t fetch, std::uint64_t at_ms) noexcept {
    Event e = make(EventType::data, at_ms);
    e.fetch = fetch;
    e.failed = true;
    return e;
  }
  /// Variables the host sets on its own, outside any fetch (only those the
  /// script declares `host_settable: true`).
  static Event set_variables(std::span<const VariableValue> values, std::uint64_t at_ms) noexcept {
    return data(0, values, at_ms);
  }

  /// What a person on the call said (`speaker`: their id, as the desk names
  /// them; may be empty), for the transcript: the call's route, counts and
  /// score do not change. Only while a person has the call (Phase::human).
  /// Empty words get `no_text`; words or an id that are not UTF-8, or an id
  /// longer than kMaxSpeakerBytes, get `bad_text`; words past the
  /// transcript's 1024 bytes per entry are cut there, between characters.
  static Event agent_said(std::string_view text, std::string_view speaker,
                          std::uint64_t at_ms) noexcept {
    Event e = make(EventType::agent_said, at_ms);
    e.text = text;
    e.speaker = speaker;
    return e;
  }

  /// Mark an utterance as heard while the robot's line was still playing,
  /// `elapsed_ms` into the line: it is a barge-in (打断).
  Event during(std::uint32_t elapsed_ms) const noexcept {
    Event e = *this;
    e.during_line = true;
    e.line_elapsed_ms = elapsed_ms;
    return e;
  }
  /// ... and the host paused the line when it heard the customer start (a
  /// voice-activity barge-in). If the session does not take the words as an
  /// interruption (a backchannel, a filler, a line that may not be
  /// interrupted), it answers with `resume_line`; otherwise `stop_line`.
  Event paused() const noexcept {
    Event e = *this;
    e.line_paused = e.during_line;
    return e;
  }

 private:
  static Event make(EventType t, std::uint64_t at) noexcept {
    Event e;
    e.type = t;
    e.at_ms = at;
    return e;
  }
};

// ---- actions ----------------------------------------------------------------

/// One line of the call, for the optional transcript.
struct TranscriptEntry {
  enum class Who : std::uint8_t { robot, customer, key, silence, agent };
  Who who = Who::robot;
  std::uint64_t at_ms = 0;
  NodeId node = kNone;
  IntentId intent = kNone;  ///< customer: the best intent heard, if any
  std::string text;
  std::string speaker;  ///< agent: who said it (Event::agent_said's person id); else empty
};
std::string_view to_string(TranscriptEntry::Who w) noexcept;

enum class ActionType : std::uint8_t {
  say,          ///< play `recording` if the host has it, else speak `text`
  listen,       ///< listen for up to `timeout_ms` after the line ends; then send no_input
  stop_line,    ///< the customer barged in: stop the line that is playing
  tag,          ///< `text` is a tag the call now has (for the CRM)
  hangup,       ///< hang up, for `hangup` reason
  escalate,     ///< transfer to a person: `escalation`, `priority`, `score`
  end,          ///< the call is over; `Session::result()` has the CallResult
  resume_line,  ///< the host paused the line for words that were no interruption: play it on
                ///< from `offset_ms` (`text`, `recording` and `barge_in` as it was said)
  understand,   ///< the matcher understood nothing: classify `text` among Turn::candidates() (with
                ///< Turn::context() before it) and answer within `timeout_ms` with an intent
                ///< event or `not_understood`
  fetch,  ///< fetch data `text` (the script's name for it) with Turn::fetch_arguments(); answer
          ///< within `timeout_ms` with Event::data(`fetch`, ...) or Event::fetch_failed(`fetch`)
};
std::string_view to_string(ActionType t) noexcept;

/// What the host should do. Text is borrowed from the Turn (valid until its
/// next use) or the Script.
struct Action {
  ActionType type = ActionType::end;
  bool barge_in = true;  ///< say, resume_line: may the customer interrupt it
  NodeId node = kNone;   ///< the node it comes from
  std::string_view
      text;  ///< say, resume_line: the rendered line; tag: the tag; understand: the reply
  std::string_view recording;     ///< say, resume_line: recording id, may be empty
  std::uint32_t no_barge_ms = 0;  ///< say: no interruption in the first ms of the line
  std::uint32_t timeout_ms = 0;   ///< listen; understand: how long the session waits for the answer
  std::uint32_t offset_ms = 0;    ///< resume_line: where to play the line on from
  HangupReason hangup = HangupReason::completed;               ///< hangup
  EscalationReason escalation = EscalationReason::interested;  ///< escalate
  Priority priority = Priority::normal;                        ///< escalate
  double score = 0;                                            ///< escalate: the interest score
  std::uint32_t fetch = 0;  ///< fetch: the id the host's answer names (Event::fetch)
};

// ---- status -----------------------------------------------------------------

/// The result of one step, bare (patter/result.hpp): a byte on the per-turn
/// path. Everything but `ok` and `ignored` is an error that left the session
/// exactly as it was.
enum class Status : std::uint8_t {
  ok,
  ignored,           ///< understood and recorded, but nothing to do (a filler, a barge-in
                     ///< into a line that may not be interrupted, a timer not yet due)
  not_answered,      ///< the call has not been answered yet
  already_answered,  ///< `answered` twice
  call_ended,        ///< the call is over; no more events
  wrong_phase,       ///< not possible in the call's phase: silence or a key while a person
                     ///< has the call, agent_left with no person on it, voicemail after a transfer
  unknown_intent,    ///< an intent id the script does not have
  unknown_node,      ///< a node id the script does not have (hand-back)
  bad_key,           ///< a DTMF key other than 0-9, * and #
  time_went_back,    ///< `at_ms` earlier than the previous event's
  unknown_event,     ///< an EventType value out of range
  not_asked,         ///< `not_understood` with no `understand` action waiting for an answer
  too_many_intents,  ///< an n-best list longer than kMaxHostIntents
  not_fetching,      ///< data for a fetch that is not waiting (none asked, another id, answered)
  late_data,         ///< data at or after the fetch's deadline: send `timer` instead
  unknown_variable,  ///< data names a variable the script does not declare
  bad_value,         ///< data with a value that does not fit its variable
  not_settable,      ///< data outside a fetch for a variable not declared `host_settable`
  no_text,           ///< agent_said with no words (empty, or only spaces)
  bad_text,          ///< agent_said whose words or person's id are not UTF-8, or an id past
                     ///< kMaxSpeakerBytes
};
std::string_view to_string(Status s) noexcept;
/// A sentence for logs: what was wrong and what to do.
std::string_view describe(Status s) noexcept;
inline bool is_error(Status s) noexcept {
  return s != Status::ok && s != Status::ignored;
}

// ---- call state and result --------------------------------------------------

enum class Phase : std::uint8_t {
  dialing,  ///< not answered yet
  robot,    ///< the robot runs the script
  waiting,  ///< escalated: waiting for a person to pick up
  human,    ///< a person has the call; the session listens silently
  ended,
};
std::string_view to_string(Phase p) noexcept;

/// How a call ended. The names are what `outcome` reads in conditions.
enum class Outcome : std::uint8_t {
  none,             ///< not ended
  completed,        ///< the robot hung up with reason `completed`
  hangup,           ///< the robot hung up with any other reason
  escalated,        ///< the call went to a person (whoever hung up afterwards)
  customer_hangup,  ///< the customer hung up on the robot
  no_answer,        ///< never answered
  voicemail,        ///< an answering machine took the call
  error,            ///< the robot hung up with reason `error` (`hangup: error`, or a fault)
};
std::string_view to_string(Outcome o) noexcept;

/// An A/B test a call took part in, and its variant there.
struct VariantSeen {
  std::string experiment;  ///< Node::experiment (the node's name by default)
  std::string variant;     ///< Variant::name
  friend bool operator==(const VariantSeen&, const VariantSeen&) = default;
};

/// Everything a CRM needs about a finished call.
struct CallResult {
  Outcome outcome = Outcome::none;
  HangupReason hangup = HangupReason::completed;  ///< why the line was closed
  bool escalated = false;
  EscalationReason escalation = EscalationReason::interested;  ///< when escalated
  std::string grade = "E";        ///< the grade's code, one of Script::grades()
  std::vector<std::string> tags;  ///< in the order they were added
  double score = 0;
  std::vector<NodeId> path;  ///< every node entered, in order
  std::uint32_t turns = 0;   ///< customer replies (utterances, intents, keys)
  std::uint32_t silences = 0;
  std::uint32_t no_matches = 0;
  std::uint64_t duration_ms = 0;            ///< from answer to end (0 if never answered)
  std::vector<TranscriptEntry> transcript;  ///< when SessionOptions::transcript > 0
  /// The A/B tests the call took part in (it entered a node with
  /// `variants`): each experiment once, in the order first entered.
  std::vector<VariantSeen> variants;
  /// Every declared variable's value at the end: given by the host, captured
  /// from the customer or set by the host's data.
  struct Variable {
    VariableId id = kNone;
    std::string value;         ///< as text (numbers without trailing zeros); a time's words
    bool has_time = false;     ///< a `time` variable that was filled
    std::int64_t time_ms = 0;  ///< ... the moment it names, ms since 1970 UTC
  };
  std::vector<Variable> variables;

  /// One JSON object, names resolved through the script.
  std::string to_json(const Script& script) const;

 private:
  void variables_json(const Script& script, JsonWriter& w) const;
};

// ---- a turn's output --------------------------------------------------------

/// How the session decided what to do with an event.
enum class Decision : std::uint8_t {
  none,
  start,       ///< answered: the start node
  route,       ///< a route of the node (`index`)
  global,      ///< a global handler (`index`)
  opt_out,     ///< an opt-out intent won (`index`: the handler)
  no_match,    ///< not understood: re-prompt or `then`
  long_reply,  ///< not understood and long: `long_reply`
  no_input,    ///< silence: re-prompt or `then`
  limit,       ///< a limit ended the call (`limit` says which)
  score,       ///< the interest score crossed `escalate_score`
  barge_in,    ///< the customer interrupted the line
  not_now,     ///< heard, but the line may not be interrupted / only fillers
  human,       ///< a person has the call: heard, not acted on
  hand_back,   ///< the person handed the call back
  ended,       ///< the customer or the person ended the call
  hold,        ///< waiting for a person: a hold line
  no_person,   ///< nobody took the escalated call in time (`hold.timeout_s`)
  backchannel,  ///< a backchannel (嗯, 对, uh-huh) during a line: no interruption, the line goes on
  understand,     ///< not understood: the host is asked (`understand`), the session waits
  fetched,        ///< the host's data came: an `on:` entry of the fetch (`index`)
  fetch_timeout,  ///< no data by the fetch's deadline: its `timeout:`
  fetch_failed,   ///< the host could not fetch it: the fetch's `failed:`
  data,           ///< the host set variables outside a fetch
};
std::string_view to_string(Decision d) noexcept;

/// The output of `Session::step`. Keep one per thread and reuse it: after a
/// few turns it has all the capacity it needs and a step allocates nothing.
class Turn {
 public:
  Status status() const noexcept { return status_; }
  bool ok() const noexcept { return !is_error(status_); }
  std::span<const Action> actions() const noexcept { return {actions_.data(), actions_used_}; }
  /// Nodes entered during this step, in order.
  std::span<const NodeId> path() const noexcept { return {path_.data(), path_used_}; }
  /// What was understood (utterances and host intents).
  const Understanding& understanding() const noexcept { return understanding_; }
  Decision decision() const noexcept { return decision_; }
  /// The route or handler index, for route / global / opt_out.
  std::uint32_t index() const noexcept { return index_; }
  /// The node the call was at when the event came.
  NodeId from() const noexcept { return from_; }
  /// The limit that ended the call, for Decision::limit.
  HangupReason limit() const noexcept { return limit_; }
  /// For Decision::route at a node with `variants`: the call's variant
  /// there, whose routes `index` counts in (Node::routes_for); else kNone.
  std::uint32_t variant() const noexcept { return variant_; }
  /// With an `understand` action: the intents a reply can act on at the
  /// node (its routes', then the global handlers'); their names,
  /// descriptions and examples are in the Script. Borrowed from the Script.
  std::span<const IntentId> candidates() const noexcept { return candidates_; }
  /// With an `understand` action: the last lines of the transcript, the
  /// reply last (empty unless SessionOptions::transcript > 0). Borrowed from
  /// the session until its next step.
  std::span<const TranscriptEntry> context() const noexcept { return context_; }
  /// With a `fetch` action: its arguments, `{variables}` rendered. Borrowed
  /// from the Turn until its next use.
  std::span<const VariableValue> fetch_arguments() const noexcept {
    return {fetch_args_.data(), fetch_args_used_};
  }
  /// An exception thrown by an Observer during this step (the first one);
  /// the step itself completed. Null when the hooks were quiet.
  std::exception_ptr hook_error() const noexcept { return hook_error_; }
  const std::string& hook_error_message() const noexcept { return hook_message_; }

  /// A few lines: what was heard, which route or handler was taken and why,
  /// the nodes entered and the actions.
  std::string explain(const Script& script) const;

  void clear() noexcept;

 private:
  friend class Session;
  friend struct SessionEngine;
  void reset() noexcept;  // all but the understanding
  void explain_decision(const Script& script, std::string& out) const;
  void explain_note(const Script& script, std::string& out) const;
  void explain_fetch(const Script& script, std::string& out) const;
  // Why a decision was taken, where the decision alone does not say.
  enum class Note : std::uint8_t {
    none,
    backchannel_answer,  // a backchannel after a question: taken as settings.backchannel_intent
    below_confidence,    // every host intent was below min_confidence
    host_none,           // the host answered `not_understood`
    host_late,           // the host's answer came at or after the deadline
    host_timeout,        // no answer from the host by the deadline
    ask_dropped,         // the customer spoke again: the question to the host was dropped
  };
  // What reset() clears is kept together, so that it is a few wide stores.
  Status status_ = Status::ok;
  Note note_ = Note::none;
  Decision decision_ = Decision::none;
  HangupReason limit_ = HangupReason::completed;
  std::uint32_t index_ = 0;
  std::uint32_t variant_ = kNone;
  NodeId from_ = kNone;
  std::uint32_t fetch_args_used_ = 0;
  std::span<const IntentId> candidates_;
  std::span<const TranscriptEntry> context_;
  // Buffers kept between steps: their sizes are their capacities, and the
  // first *_used_ elements are this step's, so adding one is a store.
  std::vector<Action> actions_;
  std::vector<NodeId> path_;
  std::string text_;     // rendered lines; actions point into it
  std::string scratch_;  // a reply normalised without filler removal, when needed
  std::uint32_t actions_used_ = 0;
  std::uint32_t path_used_ = 0;
  std::size_t text_used_ = 0;
  Understanding understanding_;
  std::exception_ptr hook_error_;
  std::string hook_message_;
  std::vector<VariableValue> fetch_args_;
};

// ---- hooks ------------------------------------------------------------------

class Session;

/// Optional hooks. Called at the end of each step, after the session's state
/// is complete: nodes entered, then each action in order, then the turn.
/// An exception from a hook is caught, kept in the Turn (`hook_error`) and
/// never affects the call.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void node_entered(const Session&, NodeId) {}
  virtual void said(const Session&, const Action&) {}
  virtual void tagged(const Session&, std::string_view) {}
  virtual void escalated(const Session&, const Action&) {}
  virtual void turn(const Session&, const Turn&) {}
  virtual void call_ended(const Session&, const CallResult&) {}
};

// ---- the session ------------------------------------------------------------

struct SessionOptions {
  /// Entries of transcript kept (robot lines, customer words, keys,
  /// silences, the words of people on the call); 0 keeps none. The oldest go first when it is full.
  std::uint32_t transcript = 0;
  /// What the call's A/B test variants are chosen from (`variants:` in the
  /// script): a stable id of the lead or call, e.g. the lead id. The same
  /// key gets the same variants in every process and after restarts. Empty:
  /// every node's first variant with a weight (the control). Not kept: the
  /// session keeps its 16-bit hash (patter::variant_seed).
  std::string_view variant_key = {};
};

struct SessionEngine;
class Session;

/// Why Session::start made no session.
enum class StartError : std::uint8_t {
  ok,
  no_script,         ///< the script pointer is null
  unknown_variable,  ///< a variable the script does not declare
  missing_variable,  ///< a required variable was not given
  bad_value,         ///< a value that does not fit its variable (number, boolean, UTF-8, size)
};
std::string_view to_string(StartError e) noexcept;
std::string_view describe(StartError e) noexcept;

/// Why snapshot bytes could not be restored.
enum class RestoreError : std::uint8_t {
  ok,
  not_a_snapshot,  ///< the bytes do not start like a patter snapshot
  version,         ///< written by an incompatible patter version
  other_script,    ///< taken against a script with another fingerprint
  truncated,       ///< shorter than it says
  corrupted,       ///< the checksum does not match, or a value is out of range
  no_script,       ///< the script pointer is null
};
std::string_view to_string(RestoreError e) noexcept;
std::string_view describe(RestoreError e) noexcept;

/// Session::start's answer: a session, or why not (the message names the
/// variable and says what to pass).
using Started = Result<Session, StartError>;
/// Session::restore's answer: the session back, or why not.
using Restored = Result<Session, RestoreError>;

namespace detail {

/// The transcript a session keeps (SessionOptions::transcript).
struct Transcript {
  std::uint32_t cap = 0;  ///< entries kept; the oldest go first
  std::vector<TranscriptEntry> lines;
};

inline bool operator==(const Transcript& a, const Transcript& b) {
  if (a.cap != b.cap || a.lines.size() != b.lines.size()) return false;
  for (std::size_t i = 0; i < a.lines.size(); ++i) {
    const TranscriptEntry &x = a.lines[i], &y = b.lines[i];
    if (x.who != y.who || x.at_ms != y.at_ms || x.node != y.node || x.intent != y.intent ||
        x.text != y.text || x.speaker != y.speaker)
      return false;
  }
  return true;
}

/// The session's yes/no facts, one bit each (SessionState::flags).
enum Flag : std::uint8_t {
  kEscalated = 1,       ///< the call was escalated at least once
  kScoreEscalated = 2,  ///< the score crossed limits.escalate_score
  kLineBargeIn = 4,     ///< the last line said may be interrupted
  kAwaiting = 8,        ///< an escalation waits for a person
  kPersonJoined = 16,   ///< a person is on the call
  kAsking = 32,         ///< an `understand` waits for the host
  kExtras = 64,         ///< the counts hold the extras (lib/runtime/session_state.hpp)
  kFetching = 128,      ///< a `fetch` waits for the host's data
};
inline constexpr std::uint8_t kAllFlags = 255;

/// Everything a call remembers, as plain values (internal: lib/runtime/
/// reads and writes it). `fields` lists them once; snapshots, memory
/// accounting and equality all go through that list. Ordered by size, so a
/// session stays a few hundred bytes.
struct SessionState {
  /// 8 bytes per declared variable (a number or boolean as a double, or
  /// where the text variable's own text is), then those texts' bytes.
  Buffer<char> values;
  /// Visits per node, replies heard per intent, runs per global handler,
  /// the tag bits (16 to a word), the variant seed (in a script with A/B
  /// tests) and the callers of the flows running (in a script with flows); once
  /// the call has escalated or asked the host, the extras (kExtras); then
  /// the log of nodes entered and tags added, in order, each a u32 written
  /// as two u16.
  Buffer<std::uint16_t> counts;
  Boxed<Transcript> transcript;                ///< when kept
  std::uint64_t answered_at = 0, last_at = 0;  ///< the host's clock; the call ends at last_at
  double score = 0;
  NodeId node = kNone;
  NodeId last_listen = kNone;  ///< the last node where the robot listened
  std::uint32_t turns = 0;
  std::uint16_t silences = 0, no_matches = 0;  ///< in the whole call (stop at 65,535)
  /// The last line said, to say it on after a false interruption: what it
  /// was (LineKind in lib/runtime), whose (node or handler), which phrasing.
  std::uint32_t line_owner = kNone;
  std::uint8_t line_phrasing = 0;  ///< (255 also stands for any later one)
  std::uint8_t line_kind = 0;
  std::uint8_t flags = kLineBargeIn;                    ///< Flag bits
  std::uint8_t no_match_run = 0, no_input_run = 0;      ///< consecutive (stop at 255)
  std::uint8_t no_match_tries = 0, no_input_tries = 0;  ///< at this node
  Phase phase = Phase::dialing;
  Outcome outcome = Outcome::none;
  HangupReason hangup = HangupReason::completed;
  EscalationReason escalation = EscalationReason::interested;
  std::uint8_t grade = 0;  ///< 1 + index into Script::grades(); 0: not graded yet

  bool has(Flag f) const noexcept { return (flags & f) != 0; }
  void set(Flag f, bool on = true) noexcept {
    flags = static_cast<std::uint8_t>((flags & ~f) | (on ? f : 0));  // no branch
  }
  /// Every field, in the snapshot's order, as a tuple of references.
  template <class Self>
  static auto fields(Self& s) {
    return std::tie(s.phase, s.outcome, s.hangup, s.escalation, s.grade, s.flags, s.node,
                    s.last_listen, s.answered_at, s.last_at, s.score, s.turns, s.silences,
                    s.no_matches, s.line_owner, s.line_phrasing, s.line_kind, s.no_match_run,
                    s.no_input_run, s.no_match_tries, s.no_input_tries, s.values, s.counts,
                    s.transcript);
  }
  friend bool operator==(const SessionState& a, const SessionState& b) {
    return fields(a) == fields(b);
  }
};
}  // namespace detail

class Session {
 public:
  /// A call over `script`, with the host's variables (CRM fields). Unknown
  /// names, numbers that do not parse and missing required variables are
  /// errors.
  static Started start(std::shared_ptr<const Script> script,
                       std::initializer_list<VariableValue> variables = {},
                       SessionOptions options = {});
  static Started start(std::shared_ptr<const Script> script,
                       std::span<const VariableValue> variables, SessionOptions options = {});

  Session(const Session&) = default;
  Session& operator=(const Session&) = default;
  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) noexcept = default;
  ~Session() = default;

  /// Handle one event; `out` receives the actions and the explanation.
  /// Returns `out.status()`.
  Status step(const Event& event, Turn& out);

  /// Hooks; not owned, may be null. Not part of snapshots.
  void set_observer(Observer* observer) noexcept { observer_ = observer; }

  // What the call looks like now.
  const Script& script() const noexcept { return *script_; }
  const std::shared_ptr<const Script>& shared_script() const noexcept { return script_; }
  Phase phase() const noexcept { return st_.phase; }
  bool ended() const noexcept { return st_.phase == Phase::ended; }
  /// How the call ended (Outcome::none while it runs).
  Outcome outcome() const noexcept { return st_.outcome; }
  NodeId node() const noexcept { return st_.node; }
  double score() const noexcept { return st_.score; }
  std::uint32_t turns() const noexcept { return st_.turns; }
  std::uint32_t visits(NodeId node) const noexcept;
  std::uint32_t heard(IntentId intent) const noexcept;
  bool tagged(std::string_view tag) const noexcept;
  /// Tags so far, in the order they were added.
  std::vector<std::string_view> tags() const;
  /// A variable's value as text (numbers without trailing zeros).
  std::string variable(VariableId id) const;
  std::optional<std::string> variable(std::string_view name) const;
  /// When the host must send `timer` if nothing else happens (the
  /// call-duration limit, the next hold line, the hold timeout), or 0 when
  /// there is none.
  std::uint64_t deadline_ms() const noexcept;
  /// An escalation is waiting for a person (in Phase::waiting, or in
  /// Phase::robot when the script's hold policy keeps the robot talking).
  bool awaiting_person() const noexcept { return st_.has(detail::kAwaiting); }
  /// When the escalation that is waiting (or last waited) was raised.
  std::uint64_t escalated_at_ms() const noexcept;
  /// A person has taken part in the call.
  bool person_joined() const noexcept { return st_.has(detail::kPersonJoined); }
  /// The time of the last event the session accepted.
  std::uint64_t last_event_ms() const noexcept { return st_.last_at; }
  /// An `understand` action waits for the host's answer (an intent event or
  /// `not_understood`) until `deadline_ms()`.
  bool asking_host() const noexcept { return st_.has(detail::kAsking); }
  /// The A/B test variant this call has at `node` (the same whether or not
  /// the call gets there), or empty when the node has no `variants`.
  std::string_view variant(NodeId node) const noexcept;
  /// SessionOptions::variant_key, hashed (0: no key, or a script without
  /// A/B tests, which keeps no seed).
  std::uint32_t variant_seed() const noexcept;
  /// A `fetch` action waits for the host's data (Event::data) until
  /// `deadline_ms()`; its id is `fetch_id()`.
  bool fetching() const noexcept { return st_.has(detail::kFetching); }
  std::uint32_t fetch_id() const noexcept;
  /// A `time` variable's moment (ms since 1970 UTC), once the customer named one.
  std::optional<std::int64_t> time_of(VariableId id) const noexcept;

  /// What the robot would do with `event` if it had the call now, without
  /// changing this session: after a grab, the script's suggestion for what
  /// the customer just said. The robot is put back at the last node where it
  /// listened.
  Status preview(const Event& event, Turn& out) const;
  /// The transcript so far (empty unless SessionOptions::transcript > 0).
  const std::vector<TranscriptEntry>& transcript() const noexcept;
  /// Complete once ended(); before that, the call so far.
  CallResult result() const;
  /// The grade the grading rules give the call as it stands now (for a
  /// person taking over: how promising is this lead so far?).
  std::string_view grade_so_far() const;

  /// The whole call state as bytes: versioned, bound to the script's
  /// fingerprint, checksummed. The observer is not included.
  std::string snapshot() const;
  void snapshot(std::string& out) const;  ///< into a reused buffer
  /// The session back from `snapshot` bytes, or why not.
  static Restored restore(std::shared_ptr<const Script> script, std::string_view bytes);

  /// Bytes this session uses, its own and on the heap (transcript included).
  std::size_t memory_bytes() const noexcept;

 private:
  friend struct SessionAccess;
  friend class SessionEnv;
  friend struct SessionEngine;
  friend struct SessionCodec;
  explicit Session(std::shared_ptr<const Script> script, SessionOptions options);
  Status check(const Event& e) const noexcept;
  Status check_data(const Event& e) const noexcept;
  void result_variables(CallResult& r) const;
  void hear_reply(const Event& e, SessionEngine& g);
  Status check_words(const Event& e) const noexcept;
  void person_said(const Event& e, Turn& t);
  void record(TranscriptEntry::Who who, std::uint64_t at, NodeId node, IntentId intent,
              std::string_view text);
  void notify(Turn& t);

  std::shared_ptr<const Script> script_;
  Observer* observer_ = nullptr;
  detail::SessionState st_;
};

}  // namespace patter
