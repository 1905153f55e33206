// patter/desk_router.hpp — the desk's routing alone, for calls whose
// sessions live elsewhere (another process, a store such as Redis).
//
//   patter::DeskRouter router;
//   router.add_agent("li", {.capacity = 3});
//   router.add_agent("wang", {.capacity = 3});
//
//   // The host numbers its calls; the router picks each one's supervisor.
//   auto opened = router.open(call_id);               // opened->agent: "li"
//   // The call's session (wherever it runs) escalated:
//   patter::Routing r = router.escalated(call_id, patter::Priority::normal, score, now);
//   for (const patter::PersonAssignment& a : r.assigned) bridge(a.call, a.agent);  // agent_joined
//   // r.queued: nobody free; the call waits (its hold policy runs) until
//   // someone is, and a later answer of the router assigns it.
//   router.grab("li", other_call, now);               // a person takes a call at will
//   r = router.ended(call_id, patter::Outcome::escalated, now);  // frees its person,
//   for (const patter::PersonAssignment& a : r.assigned) bridge(a.call, a.agent);  // who takes the
//   next
//
// The router is told what happened to each call (opened, escalated, the
// hold policy gave up, grabbed, handed back, ended) and answers with the
// calls to give to people now. It holds no session and reads no clock:
// the rules are patter::Desk's, which is built on the same routing —
//   - each call has a supervising agent (least loaded with room, or the one
//     the host names); an agent supervises at most `capacity` calls;
//   - an escalation goes to the supervisor when free (not talking to a
//     customer, answering automatically), otherwise into one shared queue
//     ordered by priority, then interest score, then waiting time; with
//     `auto_assign` a free person takes the head at once;
//   - a trainee's calls wait for the trainee's own grab, and the grab is
//     graded against the point where the script escalated;
//   - every escalation ends exactly once: a person took it, the hold policy
//     gave up, or the call ended (DeskCounters);
//   - supervisors (AgentOptions::supervisor) may barge into any call, take
//     it over, or reassign a waiting one (the rules: patter/desk.hpp).
// An event the router cannot apply changes nothing and says why (a
// DeskStatus): an unknown call or agent, a call opened twice, an agent who
// is busy or does not have the call.
//
// Thread-safe, and built to scale with threads: each call's state is under
// the lock of its shard of the call table, each agent's under atomics of
// its own, the queue under a lock of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patter/ids.hpp"
#include "patter/result.hpp"
#include "patter/session.hpp"

namespace patter {

enum class DeskStatus : std::uint8_t {
  ok,
  unknown_agent,    ///< no agent with that id
  agent_exists,     ///< add_agent with an id already taken
  agent_has_calls,  ///< remove_agent while it still supervises calls
  no_capacity,      ///< no agent (or not the named one) has room for another call
  unknown_call,     ///< no such call, or it has ended and was closed
  not_supervisor,   ///< the agent does not supervise that call
  already_taken,    ///< a person already has the call (lost a grab race)
  not_with_agent,   ///< hand_back / finish by an agent who does not have the call; or
                    ///< agent events sent through step() (use grab, take_next, hand_back, finish)
  unknown_node,     ///< hand_back to a node the script does not have
  agent_busy,       ///< the agent is already talking to a customer
  queue_empty,      ///< take_next with nothing waiting
  session_error,    ///< the session refused the event: see Turn::status()
  bad_script,       ///< open_call: no script, or its variables were wrong (see message())
  call_exists,      ///< DeskRouter::open with the id of a call already open
  not_waiting,      ///< gave_up / reassign for a call that waits for nobody
  not_permitted,    ///< the person's role does not allow the operation (AgentOptions::supervisor)
  bad_text,         ///< whisper / note / say with no words, or words that are not UTF-8
  notes_full,       ///< note on a call that already has kMaxNotes notes
};
std::string_view to_string(DeskStatus s) noexcept;
/// A sentence for logs: what was wrong and what to do.
std::string_view describe(DeskStatus s) noexcept;

/// A call opened on a desk.
struct OpenedCall {
  CallId id = 0;
  std::string agent;  ///< who supervises it
};

struct AgentOptions {
  std::uint32_t capacity = 3;            ///< robot calls supervised at once
  std::vector<std::string> skills = {};  ///< free-form, for the host's own routing
  bool trainee = false;                  ///< training mode: grab decisions are assessed
  /// Escalations join this person at once when free (the dialer bridges the
  /// line). Off: they wait in the queue (hold policy running) until the
  /// person grabs them or calls `take_next`, for a screen that alerts people
  /// and lets them choose (examples/apps/web-desk); auto-assignment skips them.
  bool auto_answer = true;
  /// may whisper, barge, take over, reassign on any call (patter/desk.hpp
  /// "Supervisors"); a supervisor with `capacity = 0` supervises no robot.
  bool supervisor = false;
};

/// How a trainee's takeover compared with the script's escalation point.
enum class GrabVerdict : std::uint8_t {
  on_time,   ///< within the tolerance of the point where the script escalated
  early,     ///< before the script would have escalated (and it did, later)
  late,      ///< after the script had escalated, past the tolerance
  missed,    ///< the script escalated and the trainee never took the call
  needless,  ///< taken, and the script would never have escalated
};
std::string_view to_string(GrabVerdict v) noexcept;

struct GrabDecision {
  CallId call = 0;
  GrabVerdict verdict = GrabVerdict::on_time;
  std::int64_t offset_ms = 0;  ///< grab time minus escalation time (negative: early)
};

struct TrainingAssessment {
  std::string trainee;
  std::vector<GrabDecision> decisions;
  std::uint32_t on_time = 0, early = 0, late = 0, missed = 0, needless = 0;
  double mean_offset_ms = 0;  ///< over on_time, early and late
  /// Share of decisions that were on time, 0..1 (1 when there were none).
  double score() const noexcept;
  std::string to_json() const;
};

struct AgentStats {
  std::string agent;
  std::uint64_t calls_supervised = 0;
  std::uint64_t escalations = 0;  ///< escalations given to this agent
  std::uint64_t grabs = 0;        ///< calls taken without being given them
  std::uint64_t hand_backs = 0;
  double mean_time_to_take_ms = 0;  ///< escalation to a person joining, over escalations taken
  std::vector<std::pair<Outcome, std::uint64_t>> outcomes;  ///< of the calls it supervised
  std::uint64_t take_overs = 0;  ///< calls this supervisor took over (from a person, robot, queue)
  std::uint64_t barges = 0;      ///< calls this supervisor joined beside their person
  std::uint64_t reassigned = 0;  ///< waiting calls this supervisor gave to someone
  std::string to_json() const;
};

/// Where every escalation went. Once no call waits, `raised` equals
/// `taken + gave_up + ended_waiting`.
struct DeskCounters {
  std::uint64_t calls_opened = 0, calls_ended = 0;
  std::uint64_t raised = 0;         ///< escalations raised by scripts (and grabs of robot calls)
  std::uint64_t taken = 0;          ///< a person joined while it waited
  std::uint64_t gave_up = 0;        ///< the hold policy gave up (`hold.timeout_s`)
  std::uint64_t ended_waiting = 0;  ///< the call ended while it waited (customer hung up, ...)
  std::uint64_t queued = 0;         ///< went through the shared queue
  std::uint64_t grabs = 0;          ///< calls grabbed by their supervisor
  /// Supervisors' operations. A take-over of a call a person has is no new
  /// escalation (raised and taken do not move); one from the robot counts as
  /// raised and taken at once, like a grab; one of a waiting call, as taken.
  /// A reassignment is taken.
  std::uint64_t take_overs = 0, barges = 0, reassigned = 0;
};

struct RouterOptions {
  /// Give the head of the queue to an agent the moment it is free.
  bool auto_assign = true;
  /// Training: a takeover within this long of the escalation point is on time.
  std::uint32_t on_time_ms = 5000;
};

/// A call given to a person: the host bridges them in (Event::agent_joined).
struct PersonAssignment {
  CallId call = 0;
  std::string agent;
};

/// The router's answer to an event: whether it applied, and the calls to
/// give to people now (the event's own call, or others a freed person takes).
struct Routing {
  DeskStatus status = DeskStatus::ok;
  std::vector<PersonAssignment> assigned;
  bool queued = false;  ///< escalated: the call waits in the queue
  explicit operator bool() const noexcept { return status == DeskStatus::ok; }
};

/// A call as the router sees it.
struct RoutedCall {
  CallId id = 0;
  std::string supervisor;
  std::string with;                   ///< the person who has the call, if any
  std::string barged;                 ///< a supervisor on the call beside them (barge)
  bool waiting = false;               ///< escalated, no person yet
  bool queued = false;                ///< waiting in the shared queue
  std::uint64_t escalated_at_ms = 0;  ///< when waiting
};

namespace detail {
class Router;
}

class DeskRouter {
 public:
  explicit DeskRouter(RouterOptions options = {});
  ~DeskRouter();
  DeskRouter(const DeskRouter&) = delete;
  DeskRouter& operator=(const DeskRouter&) = delete;

  // ---- agents -------------------------------------------------------------------
  DeskStatus add_agent(std::string id, AgentOptions options = {});
  /// Only an agent with no call supervised or taken (agent_has_calls).
  DeskStatus remove_agent(std::string_view id);
  std::vector<std::string> agents() const;

  // ---- what happened to a call ----------------------------------------------------
  /// A new call, supervised by `agent`, or by the least loaded agent with
  /// room when `agent` is empty.
  Result<OpenedCall, DeskStatus> open(CallId call, std::string_view agent = {});
  /// The call's script escalated. To the supervisor, to another free person,
  /// or queued; escalating again while waiting keeps the call's place.
  /// already_taken when a person has the call (`assigned` names them).
  Routing escalated(CallId call, Priority priority, double score, std::uint64_t at_ms);
  /// The hold policy gave up waiting (the call goes on with the robot).
  Routing gave_up(CallId call, std::uint64_t at_ms);
  /// The call is over: out of the queue, its person free (and given the next).
  Routing ended(CallId call, Outcome outcome, std::uint64_t at_ms);
  /// A supervisor takes a call, escalated or not. Of two grabs, one wins.
  Routing grab(std::string_view agent, CallId call, std::uint64_t at_ms);
  /// A free agent takes the head of the queue.
  Routing take_next(std::string_view agent, std::uint64_t at_ms);
  /// The person gives the call back to the robot (and is given the next).
  Routing hand_back(std::string_view agent, CallId call, std::uint64_t at_ms);
  // ---- supervisors (AgentOptions::supervisor; rules: patter/desk.hpp) ----------
  /// The supervisor joins the call beside the person who has it; with no
  /// person on it, takes it (as take_over). `assigned`: the supervisor.
  Routing barge(std::string_view supervisor, CallId call, std::uint64_t at_ms);
  /// The supervisor replaces whoever has the call (freed, and given the
  /// next waiting call), or takes it from the robot or the queue.
  Routing take_over(std::string_view supervisor, CallId call, std::uint64_t at_ms);
  /// A waiting escalation given to `to`, a free person, now.
  Routing reassign(std::string_view supervisor, CallId call, std::string_view to,
                   std::uint64_t at_ms);
  /// A barged-in supervisor leaves the call; its person keeps it.
  Routing leave(std::string_view supervisor, CallId call, std::uint64_t at_ms);

  /// Training: after a trainee's early grab, the script (followed on a
  /// shadow of the session) would have escalated only now.
  DeskStatus script_escalated(CallId call, std::uint64_t at_ms);

  // ---- state --------------------------------------------------------------------
  std::optional<RoutedCall> call(CallId call) const;
  /// Calls waiting in the queue, head first.
  std::vector<CallId> queue() const;
  std::size_t open_calls() const;
  DeskCounters counters() const;
  std::optional<AgentStats> stats(std::string_view agent) const;
  std::vector<AgentStats> all_stats() const;
  std::optional<TrainingAssessment> assessment(std::string_view trainee) const;

 private:
  std::unique_ptr<detail::Router> router_;
};

}  // namespace patter
