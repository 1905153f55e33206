// roster.hpp — the desk's people: who takes each escalation, and when.
//
//   Roster roster(seed, 8);                          // 8 people at the desk
//   if (auto plan = roster.escalate(note)) send(*plan);   // someone was free
//   for (const PersonPlan& p : roster.release(call)) send(p);  // a call ended
//
// An escalation goes to a free person (the one who took the fewest so far)
// or waits in one queue, by priority, then interest score, then arrival.
// A person stays with a call until it ends. Which person takes a call
// depends on who is free, so on timing; how long they take to pick up and
// how long they talk come from the call's own stream (rng.hpp), so the
// call's CallResult does not depend on who it was.
//
// patter::Desk is not used here: it owns the sessions of its calls, and in
// a fleet the sessions live in Redis. The routing rule is the Desk's.
#pragma once

#include <cstdint>
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

  /// The plan at once when a person is free (or already has this call),
  /// else nothing: the escalation waits in the queue.
  std::optional<PersonPlan> escalate(const EscalationNote& note);
  /// The call ended: its person is free again, and takes the head of the
  /// queue; an escalation of it still queued is dropped. Returns the plans made.
  std::vector<PersonPlan> release(CallId call);
  /// A restarted desk: `agent` took this escalation before the restart (its
  /// plan was published then), so they are busy with the call again and no
  /// plan is made. False when no person has that name here.
  bool adopt(const EscalationNote& note, std::string_view agent);

  /// The plan `agent` makes for escalation `seq` of `call`: its times come
  /// from the call's own stream, so a restarted dialer can rebuild the plans
  /// of a call it replays.
  static PersonPlan plan_of(std::uint64_t seed, CallId call, std::uint32_t seq, std::string agent);

  std::size_t queued() const { return queue_.size(); }
  std::uint64_t taken() const { return taken_; }
  std::uint64_t waited() const { return waited_; }  ///< escalations that went through the queue
  std::uint32_t agents() const { return static_cast<std::uint32_t>(agents_.size()); }

  /// How long a person takes to pick up after an escalation, and how long
  /// they talk: drawn from the call's own stream for that escalation.
  static constexpr std::uint64_t kPickupMinMs = 3000, kPickupMaxMs = 75000;
  static constexpr std::uint64_t kTalkMinMs = 60000, kTalkMaxMs = 240000;

 private:
  struct Agent {
    std::string name;
    CallId call = 0;  // 0: free
    std::uint64_t taken = 0;
  };
  PersonPlan plan(const EscalationNote& note, Agent& agent);
  Agent* free_agent();

  std::uint64_t seed_;
  std::vector<Agent> agents_;
  std::unordered_map<CallId, std::size_t> with_;                 // call -> agent
  std::vector<std::pair<EscalationNote, std::uint64_t>> queue_;  // with arrival order
  std::uint64_t arrivals_ = 0, taken_ = 0, waited_ = 0;
};

}  // namespace fleet
