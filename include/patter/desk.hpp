// patter/desk.hpp — people and robots together: supervise, grab, hand back,
// listen in, train.
//
//   patter::Desk desk;
//   desk.add_agent("li", {.capacity = 3});            // supervises up to 3 robots
//   desk.add_agent("wang", {.capacity = 3});
//
//   // The dialer opens each call on the desk; it goes to the least loaded agent.
//   patter::Desk::Opened call = desk.open_call(script, {{"customer_name", "张先生"}});
//   if (!call) return log(call.message());            // patter/result.hpp
//   patter::Turn turn;
//   desk.step(call->id, patter::Event::answered(now), turn);      // act on turn.actions()
//   desk.step(call->id, patter::Event::utterance(text, now), turn);
//   // An `escalate` action: the desk gives the call to its agent if free, else
//   // queues it; the agent joins (the session goes quiet) and the dialer
//   // bridges the line. Agents may also grab any call they supervise:
//   desk.grab("li", call->id, now, turn);
//   for (const patter::Suggestion& s : desk.assist(call->id)->lines) show(s.text);
//   desk.hand_back("li", call->id, node, now, turn);         // or finish(...)
//
//   // Trainees and supervisors listen in, read-only, never slowing the call:
//   auto sub = desk.listen(call->id);
//   std::vector<patter::ListenEvent> events;
//   sub->poll(events);
//
//   // Supervisors (AgentOptions::supervisor) coach and step in:
//   desk.add_agent("chen", {.capacity = 0, .supervisor = true});
//   desk.whisper("chen", call->id, "ask about the budget", now);  // li hears it, the customer not
//   desk.note("chen", call->id, "good rapport; too fast on price", now);
//   desk.barge("chen", call->id, now, turn);      // three-way: li and chen on the call
//   desk.take_over("chen", call->id, now, turn);  // chen alone; li is free for the next
//   desk.say("chen", call->id, "我是李老师的主管。", now, turn);   // in the transcript
//
// A Desk owns the sessions of the calls opened on it and routes escalations
// between people:
//   - each call has a supervising agent (least loaded with room, or the one
//     the host names); an agent supervises at most `capacity` calls;
//   - an escalation goes to the supervising agent when that agent is free
//     (not talking to a customer), otherwise into one shared queue ordered by
//     priority, then interest score, then waiting time; a free agent takes
//     the head with `take_next` (or at once when `auto_assign` is on);
//   - while a call waits, its session follows the script's `hold` policy;
//     `due(now)` lists the calls whose timers are due, for the host to send
//     `Event::timer`;
//   - every escalation ends exactly once: a person took it, the hold policy
//     gave up, or the call ended.
//
// Calls whose sessions live elsewhere (in Redis, in another process) are
// routed by the same desk, next to the ones it owns: the host opens them
// with `open_remote` and tells the desk what their sessions did; the desk
// answers with the people to bridge in (patter::Routing).
//
//   patter::CallId id = patter::remote_call(42);     // the host's call 42
//   desk.open_remote(id);                             // supervised, like open_call
//   patter::Routing r = desk.escalated(id, patter::Priority::normal, score, now);
//   for (const patter::PersonAssignment& a : r.assigned)  // owned or remote calls
//     bridge(patter::host_call_id(a.call), a.agent);  // its session: agent_joined
//   // r.queued: nobody free; a later answer (or on_assigned) gives it to someone.
//   desk.grab("li", id, now, turn);                   // grab, take_next, hand_back and
//   r = desk.ended(id, patter::Outcome::escalated, now);  // finish work on it too
//
// Ids: the desk numbers the calls it owns below kRemoteCall; a remote call
// is named by the host, `remote_call(host id)`, which sets that top bit. The
// two never collide, and the host maps back with `host_call_id`. A remote
// call has no session here: step, assist, session, listen and the
// supervisors' operations on a call (whisper, barge, take_over, leave,
// note, reassign, say; summary and notes) answer `remote_call` (or
// nothing): they act on the session, which is the host's; hand_back's node and finish's reason are
// for the host's own session; on_call_ended is not called for it (the host has its CallResult).
// Queue, counters, people's statistics and training verdicts count both kinds alike.
//
// The routing alone, without sessions, is patter::DeskRouter
// (patter/desk_router.hpp); the Desk adds the sessions, listen-in and
// assistance.
//
// Sans-I/O like the Session: times come from the host; the desk starts no
// thread and reads no clock. Thread-safe: any number of dialer and UI
// threads may call any method at once, and threads on different calls and
// people do not wait for each other (each call has its own lock; a thread
// opens its calls in a shard of the desk's tables of its own, so the ids
// of owned calls are unique, consecutive only within a thread; the
// routing's locks are sharded: see patter/desk_router.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patter/desk_router.hpp"
#include "patter/handoff.hpp"
#include "patter/ids.hpp"
#include "patter/session.hpp"

namespace patter {

/// A line the script would say next, for the person who has the call.
struct Suggestion {
  std::string text;      ///< the rendered line
  NodeId node = kNone;   ///< the node it belongs to (kNone: a global handler's answer)
  std::string why = {};  ///< for the person: "answers ask_price (global handler 7)"
  double score = 0;      ///< 0..1, best first (patter/suggestions.hpp ranks them)
};

/// Help for the person on a call, from the script.
struct Assist {
  std::string heard;              ///< the customer's last words
  std::vector<IntentId> intents;  ///< what they meant, best first
  /// What to say now, best first: the script's answer to the customer's
  /// question, what the robot would say to those words, the lines of the
  /// node's routes, the lines on the way to the goal (patter/suggestions.hpp).
  std::vector<Suggestion> lines;
  Decision decision = Decision::none;  ///< why: a route, a global handler, no match...
  std::string grade = "E";             ///< the grade the call has so far (its code)
  double score = 0;
};

/// What listen-in subscribers see of a live call.
enum class ListenEventType : std::uint8_t {
  robot_said,     ///< text: the line
  customer_said,  ///< text: the words as recognised; intent: the best intent, if any
  key,            ///< text: the DTMF key
  silence,
  escalated,    ///< text: the reason
  queued,       ///< no free person: the call waits in the queue
  joined,       ///< agent: who took the call (a grab or an assignment)
  handed_back,  ///< node: where the robot resumes
  ended,        ///< text: the outcome
  // Supervisors and people on the call (Desk::whisper ... Desk::say):
  whispered,    ///< agent: the supervisor; text: the words (the customer does not hear them)
  barged,       ///< agent: the supervisor who joined; text: the person beside them
  taken_over,   ///< agent: the supervisor who has the call now; text: who had it (empty: robot)
  noted,        ///< agent: the author; text: the coaching note
  reassigned,   ///< agent: the person given the call; text: the supervisor who gave it
  person_said,  ///< agent: the person; text: their words to the customer (in the transcript)
  left,         ///< agent: a barged-in supervisor who left the call (Desk::leave)
};
std::string_view to_string(ListenEventType t) noexcept;

struct ListenEvent {
  CallId call = 0;
  ListenEventType type = ListenEventType::robot_said;
  std::uint64_t at_ms = 0;
  std::string text;
  std::string agent;
  NodeId node = kNone;
  IntentId intent = kNone;
};

/// A read-only view of one live call. The call never waits for it: events
/// go into a bounded buffer and, when it is full, the oldest are dropped and
/// counted.
class Subscription {
 public:
  explicit Subscription(std::size_t capacity);
  /// Move buffered events into `out` (appending), at most `max`; never blocks.
  std::size_t poll(std::vector<ListenEvent>& out, std::size_t max = SIZE_MAX);
  /// Events dropped because the buffer was full.
  std::uint64_t dropped() const;
  /// True once the call has ended (the last event is `ended`) or close() was called.
  bool closed() const;
  void close();

  // Used by the desk.
  void push(const ListenEvent& e);
  void finish();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

/// A coaching note on a call (Desk::note): kept with the call, at most
/// kMaxNotes of them, each at most kNoteTextMax bytes.
struct CoachingNote {
  std::string author;
  std::string text;
  std::uint64_t at_ms = 0;
};
/// Most notes one call keeps; the next get DeskStatus::notes_full.
inline constexpr std::size_t kMaxNotes = 32;
/// Longest note or whisper, in bytes: longer words are cut there, between characters.
inline constexpr std::size_t kNoteTextMax = 1024;

struct DeskOptions {
  /// Give the head of the queue to an agent the moment it is free.
  bool auto_assign = true;
  /// Listen-in buffer per subscriber, in events.
  std::size_t listen_buffer = 256;
  /// Training: a takeover within this long of the escalation point is on time.
  std::uint32_t on_time_ms = 5000;
  /// Called once per call when it ends (outside the desk's locks); the
  /// call's notes(id) are still there while it runs.
  std::function<void(CallId, const CallResult&)> on_call_ended;
  /// Called when a call is given to an agent: an escalation assigned at once,
  /// from the queue, or reassigned by a supervisor (outside the desk's
  /// locks). Grabs and take-overs are the person's own: not called. Remote
  /// calls too (open_remote): the host bridges the person in.
  std::function<void(std::string_view agent, CallId)> on_assigned;
};

/// The top bit of a CallId: set in the ids of remote calls (named by the
/// host), clear in the ids of the calls a Desk owns (numbered by the desk).
inline constexpr CallId kRemoteCall = CallId{1} << 63;
/// The desk's id of the host's call `host_id` (below 2^63), for open_remote.
constexpr CallId remote_call(std::uint64_t host_id) noexcept {
  return host_id | kRemoteCall;
}
constexpr bool is_remote_call(CallId id) noexcept {
  return (id & kRemoteCall) != 0;
}
/// The host's id of a remote call.
constexpr std::uint64_t host_call_id(CallId id) noexcept {
  return id & ~kRemoteCall;
}

class Desk {
 public:
  explicit Desk(DeskOptions options = {});
  ~Desk();
  Desk(const Desk&) = delete;
  Desk& operator=(const Desk&) = delete;

  // ---- agents -------------------------------------------------------------------
  DeskStatus add_agent(std::string id, AgentOptions options = {});
  DeskStatus remove_agent(std::string_view id);
  std::vector<std::string> agents() const;

  // ---- calls ----------------------------------------------------------------------
  /// open_call's answer: the call and its supervisor, or why not (for
  /// bad_script, the message says which variable and what to pass).
  using Opened = Result<OpenedCall, DeskStatus>;
  /// Open a call (not yet answered) under `agent`, or the least loaded agent
  /// with room when `agent` is empty.
  /// (The desk keeps a handle on the script; a reference is taken so that
  /// threads opening calls never copy one shared_ptr.)
  Opened open_call(const std::shared_ptr<const Script>& script,
                   std::span<const VariableValue> variables, std::string_view agent = {},
                   SessionOptions options = {});
  Opened open_call(const std::shared_ptr<const Script>& script,
                   std::initializer_list<VariableValue> variables = {}, std::string_view agent = {},
                   SessionOptions options = {}) {
    return open_call(script, std::span<const VariableValue>(variables.begin(), variables.size()),
                     agent, options);
  }

  /// The dialer's events for a call. An escalation in the actions is routed
  /// before this returns: to the supervising agent when free (then
  /// `*assigned` names them and the session has them joined), else into the
  /// queue. Calls supervised by a trainee wait for the trainee's own grab.
  DeskStatus step(CallId call, const Event& event, Turn& turn, std::string* assigned = nullptr);

  /// An agent takes a call it supervises, escalated or not. Of two agents
  /// grabbing one call, exactly one gets `ok`. A call past its duration
  /// limit is closed by the robot instead (the turn has its closing lines;
  /// `unknown_call`), and the agent stays free.
  DeskStatus grab(std::string_view agent, CallId call, std::uint64_t at_ms, Turn& turn);
  /// A free agent takes the head of the queue; `call` says which. A call
  /// whose robot talked past the duration limit while it waited ends
  /// instead, and the next in the queue is taken.
  DeskStatus take_next(std::string_view agent, std::uint64_t at_ms, Turn& turn,
                       CallId* call = nullptr);
  /// The agent gives the call back to the robot at `node`. Here and in
  /// finish, a time before the call's last event counts as that event's: a
  /// person given a call from another thread may have joined at that
  /// thread's later time.
  DeskStatus hand_back(std::string_view agent, CallId call, NodeId node, std::uint64_t at_ms,
                       Turn& turn);
  /// The agent ends the call, with their verdict as the hang-up reason
  /// (completed, not_interested, callback...); the outcome is `escalated`.
  DeskStatus finish(std::string_view agent, CallId call, std::uint64_t at_ms, Turn& turn,
                    HangupReason reason = HangupReason::agent_ended);

  /// For the person on a call: what the script would say next to the
  /// customer's last words, the intents heard and the grade so far.
  std::optional<Assist> assist(CallId call) const;
  /// The handoff summary of a live call (patter/handoff.hpp), for the person
  /// taking it; `now_ms` dates the call and the wait (0: the last event).
  std::optional<HandoffSummary> summary(CallId call, std::uint64_t now_ms = 0) const;

  // ---- supervisors and people on the call ------------------------------------------
  // Who may do what (AgentOptions::supervisor is the role):
  //   whisper, barge, take_over, reassign, leave   a supervisor (not_permitted otherwise)
  //   note                                          anyone on the desk
  //   say                                           the person who has the call, or the
  //                                                 supervisor barged in beside them
  // Refusals change nothing: unknown_call (no such call, or ended),
  // unknown_agent (no such person), not_permitted, bad_text (words empty,
  // only spaces, or not UTF-8), and those each operation names. Two
  // supervisors never fight over a call: taking over or barging into a call
  // a supervisor already has (or is barged into) is `already_taken`, so of
  // two supervisors taking one call at once exactly one gets `ok`. As in
  // hand_back, a time before the call's last event counts as that event's.
  // docs/desk.md "Supervisors" has the rules in full, with the counting.

  /// Words for the person on the call only (the customer does not hear
  /// them): a supervisor coaching. Subscribers see `whispered`; not in the
  /// customer transcript. not_with_agent when no person has the call.
  DeskStatus whisper(std::string_view supervisor, CallId call, std::string_view text,
                     std::uint64_t at_ms);
  /// The supervisor joins the call beside the person who has it (three-way:
  /// both may `say`; the person still hands back or finishes, which takes
  /// the supervisor off the call too); or, when only the robot is on it (or
  /// it waits), takes it, as take_over. already_taken: they have it already,
  /// a supervisor has it, or another is barged in; agent_busy: they are on
  /// another call.
  DeskStatus barge(std::string_view supervisor, CallId call, std::uint64_t at_ms, Turn& turn);
  /// The supervisor replaces whoever has the call: that person is freed and
  /// (auto_assign) given the next waiting call; the session stays with a
  /// person, so the turn is empty. Or takes it from the robot or the queue,
  /// as a grab does (the robot goes quiet). A barged-in supervisor may take
  /// over the call they are on. Not a new escalation (DeskCounters).
  /// already_taken: a supervisor has the call; agent_busy: on another call;
  /// unknown_call also when the robot closed the call past its duration
  /// limit instead (the turn has its lines).
  DeskStatus take_over(std::string_view supervisor, CallId call, std::uint64_t at_ms, Turn& turn);
  /// A barged-in supervisor leaves the call; its person keeps it.
  /// not_with_agent when they are not barged into it.
  DeskStatus leave(std::string_view supervisor, CallId call, std::uint64_t at_ms);
  /// A coaching note on a call, by anyone on the desk; kept with the call
  /// (notes(), CallInfo::notes), seen as `noted`. notes_full past kMaxNotes.
  DeskStatus note(std::string_view author, CallId call, std::string_view text, std::uint64_t at_ms);
  /// The call's notes, oldest first; empty for an unknown or ended call
  /// (except inside DeskOptions::on_call_ended for the call ending).
  std::vector<CoachingNote> notes(CallId call) const;
  /// A waiting escalation (queued, or waiting for a trainee or a person who
  /// does not auto-answer) given to `to`, a free person, now: counted as
  /// taken, and as an escalation given to `to`; `on_assigned` is called.
  /// not_waiting: the robot has the call and it waits for nobody;
  /// already_taken: a person has it; agent_busy: `to` is on a call.
  DeskStatus reassign(std::string_view supervisor, CallId call, std::string_view to,
                      std::uint64_t at_ms, Turn& turn);
  /// What a person on the call said to the customer: in the transcript with
  /// who said it (Event::agent_said), seen as `person_said`. not_with_agent:
  /// `person` is not on the call; bad_text: empty or not UTF-8 words (the
  /// turn's status says which). Words past 1024 bytes are kept cut there.
  DeskStatus say(std::string_view person, CallId call, std::string_view text, std::uint64_t at_ms,
                 Turn& turn);

  /// Calls whose session asks for a timer at or before `now_ms` (hold lines,
  /// hold timeouts, the duration limit). Send them Event::timer.
  std::vector<CallId> due(std::uint64_t now_ms) const;

  /// Subscribe to a live call, read-only. Null for an unknown call.
  std::shared_ptr<Subscription> listen(CallId call);
  std::shared_ptr<Subscription> listen(CallId call, std::size_t buffer);

  // ---- calls whose sessions live elsewhere ------------------------------------------
  // The remote call's events, as patter::DeskRouter takes them (same rules),
  // answered with the calls to give to people now, remote or owned (an owned
  // one is already joined: the host bridges the person in). An id without
  // kRemoteCall's bit is refused with `owned_call`.
  /// A new remote call, `call` = remote_call(host id), supervised by `agent`
  /// or the least loaded agent with room. call_exists when open already.
  Opened open_remote(CallId call, std::string_view agent = {});
  /// Its session escalated: to the supervisor, another free person, or queued.
  Routing escalated(CallId call, Priority priority, double score, std::uint64_t at_ms);
  /// Its hold policy gave up waiting (not_waiting when it waited for nobody).
  Routing gave_up(CallId call, std::uint64_t at_ms);
  /// It is over: out of the queue, its person free (and given the next).
  Routing ended(CallId call, Outcome outcome, std::uint64_t at_ms);
  /// Training: after a trainee's early grab, the script (on the host's
  /// shadow of the session) would have escalated only now.
  DeskStatus script_escalated(CallId call, std::uint64_t at_ms);

  // ---- state --------------------------------------------------------------------
  /// For a remote call, as the routing sees it: phase robot, waiting or
  /// human; node and score unknown.
  struct CallInfo {
    CallId id = 0;
    std::string supervisor;
    std::string with;    ///< the person who has the call, if any
    std::string barged;  ///< a supervisor on the call beside them (barge)
    Phase phase = Phase::dialing;
    NodeId node = kNone;
    double score = 0;
    bool queued = false;
    std::uint64_t escalated_at_ms = 0;  ///< when waiting for a person
    std::vector<CoachingNote> notes;    ///< oldest first
    bool remote = false;                ///< its session lives elsewhere (open_remote)
  };
  std::optional<CallInfo> call(CallId id) const;
  /// Copy of a live call's session (for inspection; the desk's own goes on).
  std::optional<Session> session(CallId id) const;
  /// Calls waiting for a person, head first.
  std::vector<CallId> queue() const;
  /// Open calls, owned and remote.
  std::size_t live_calls() const;
  DeskCounters counters() const;

  std::optional<AgentStats> stats(std::string_view agent) const;
  std::vector<AgentStats> all_stats() const;
  /// A trainee's takeover decisions so far, graded against the script.
  std::optional<TrainingAssessment> assessment(std::string_view trainee) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace patter
