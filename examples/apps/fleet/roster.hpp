// roster.hpp — the desk's people: who takes each escalation, and when.
//
//   Roster roster(seed, 8);                               // 8 people at the desk
//   for (const PersonPlan& p : roster.escalate(note)) send(p);  // someone was free
//   for (const PersonPlan& p : roster.release(call)) send(p);   // a call ended
//
// The desk is the library's: a patter::Desk whose calls are all remote
// (their sessions live in Redis), told what happens to them. A call is
// opened on the desk at its first escalation as patter::remote_call(id),
// supervised by the least loaded person; an escalation goes to its
// supervisor when free, else to another free person, else waits in the
// queue by priority, interest score and arrival. A person stays with a call
// until it ends. Which person takes a call depends on who is free, so on
// timing; how long they take to pick up and how long they talk come from
// the call's own stream (rng.hpp), so the call's CallResult does not depend
// on who it was.
#pragma once

#include <patter/desk.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol.hpp"

namespace fleet {

class Roster {
 public:
  Roster(std::uint64_t seed, std::uint32_t agents);

  /// The plans made at once: this escalation's when a person is free (or
  /// already has the call), none when it waits in the queue.
  std::vector<PersonPlan> escalate(const EscalationNote& note);
  /// The call ended: its person is free again, and takes the head of the
  /// queue; an escalation of it still queued is dropped. Returns the plans made.
  std::vector<PersonPlan> release(CallId call);
  /// A restarted desk: `agent` took this escalation before the restart (its
  /// plan was published then), so they are busy with the call again and no
  /// plan is made (`*adopted`). When no free person has that name here, the
  /// escalation is routed as a new one: the plans made are returned.
  std::vector<PersonPlan> adopt(const EscalationNote& note, std::string_view agent, bool* adopted);

  /// The plan `agent` makes for escalation `seq` of `call`: its times come
  /// from the call's own stream, so a restarted dialer can rebuild the plans
  /// of a call it replays.
  static PersonPlan plan_of(std::uint64_t seed, CallId call, std::uint32_t seq, std::string agent);

  std::size_t queued() const { return desk_->queue().size(); }
  std::uint64_t taken() const { return taken_; }
  /// Escalations that went through the queue.
  std::uint64_t waited() const { return desk_->counters().queued; }
  std::uint32_t agents() const { return agents_; }

  /// How long a person takes to pick up after an escalation, and how long
  /// they talk: drawn from the call's own stream for that escalation.
  static constexpr std::uint64_t kPickupMinMs = 3000, kPickupMaxMs = 75000;
  static constexpr std::uint64_t kTalkMinMs = 60000, kTalkMaxMs = 240000;

 private:
  std::vector<PersonPlan> plans(const patter::Routing& r);
  patter::Routing escalated(const EscalationNote& note);

  std::uint64_t seed_;
  std::uint32_t agents_;
  std::unique_ptr<patter::Desk> desk_;
  // Each call's last escalation: the one a person's plan answers.
  std::unordered_map<CallId, EscalationNote> last_;
  std::uint64_t taken_ = 0;
};

}  // namespace fleet
