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
// call has no session here: step, assist, session and listen answer
// `remote_call` (or nothing); hand_back's node and finish's reason are for
// the host's own session; on_call_ended is not called for it (the host has
// its CallResult). Queue, counters, people's statistics and training
// verdicts count both kinds alike.
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

struct DeskOptions {
  /// Give the head of the queue to an agent the moment it is free.
  bool auto_assign = true;
  /// Listen-in buffer per subscriber, in events.
  std::size_t listen_buffer = 256;
  /// Training: a takeover within this long of the escalation point is on time.
  std::uint32_t on_time_ms = 5000;
  /// Called once per call when it ends (outside the desk's locks).
  std::function<void(CallId, const CallResult&)> on_call_ended;
  /// Called when a call is given to an agent: an escalation assigned at once
  /// or from the queue (outside the desk's locks). Grabs are the agent's own.
  /// Remote calls too (open_remote): the host bridges the person in.
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
    std::string with;  ///< the person who has the call, if any
    Phase phase = Phase::dialing;
    NodeId node = kNone;
    double score = 0;
    bool queued = false;
    std::uint64_t escalated_at_ms = 0;  ///< when waiting for a person
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
