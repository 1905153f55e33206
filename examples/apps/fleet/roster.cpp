// The desk's people (roster.hpp), routed by patter::Desk: every call is a
// remote one, patter::remote_call(the fleet's id).
#include "roster.hpp"

#include <algorithm>
#include <iostream>

#include "rng.hpp"

namespace fleet {

namespace {
// A person here watches no robots of their own: any number of calls may
// name them as supervisor.
constexpr std::uint32_t kUnbounded = 0xFFFFFFFFu;
}  // namespace

Roster::Roster(std::uint64_t seed, std::uint32_t agents)
    : seed_(seed),
      agents_(std::max<std::uint32_t>(agents, 1)),
      desk_(std::make_unique<patter::Desk>()) {
  for (std::uint32_t i = 0; i < agents_; ++i) {
    std::string name = std::to_string(i + 1);
    desk_->add_agent("agent" + std::string(name.size() < 2 ? 2 - name.size() : 0, '0') + name,
                     {.capacity = kUnbounded});
  }
}

PersonPlan Roster::plan_of(std::uint64_t seed, CallId call, std::uint32_t seq, std::string agent) {
  Rng rng = stream_of(seed, call, Stream::person, seq);
  const std::uint64_t pickup = rng.between(kPickupMinMs, kPickupMaxMs);
  return {call, seq, std::move(agent), pickup, rng.between(kTalkMinMs, kTalkMaxMs)};
}

std::vector<PersonPlan> Roster::plans(const patter::Routing& r) {
  std::vector<PersonPlan> out;
  for (const patter::PersonAssignment& a : r.assigned) {
    const CallId call = patter::host_call_id(a.call);
    const auto it = last_.find(call);
    if (it == last_.end()) continue;  // not escalated through this roster
    out.push_back(plan_of(seed_, call, it->second.seq, a.agent));
    ++taken_;
  }
  return out;
}

patter::Routing Roster::escalated(const EscalationNote& note) {
  last_[note.call] = note;
  return desk_->escalated(patter::remote_call(note.call), note.priority, note.score, note.at_ms);
}

std::vector<PersonPlan> Roster::escalate(const EscalationNote& note) {
  if (!desk_->call(patter::remote_call(note.call))) {
    auto opened = desk_->open_remote(patter::remote_call(note.call));
    if (!opened) {
      std::cerr << "desk: call " << note.call
                << " cannot join the desk: " << patter::describe(opened.code()) << '\n';
      return {};
    }
  }
  // A person who already has the call (already_taken) makes a plan for it again.
  return plans(escalated(note));
}

std::vector<PersonPlan> Roster::adopt(const EscalationNote& note, std::string_view agent,
                                      bool* adopted) {
  *adopted = false;
  const patter::CallId id = patter::remote_call(note.call);
  if (desk_->call(id) || !desk_->open_remote(id, agent)) return escalate(note);
  const patter::Routing r = escalated(note);
  for (const patter::PersonAssignment& a : r.assigned)
    if (a.call == id && a.agent == agent) *adopted = true;
  if (*adopted) ++taken_;
  // Otherwise the person is busy with another call: this one waits, or
  // went to someone else (a plan to publish).
  return *adopted ? std::vector<PersonPlan>{} : plans(r);
}

std::vector<PersonPlan> Roster::release(CallId call) {
  if (!last_.erase(call)) return {};
  // A call can end while its escalation waits (the customer's patience ran
  // out): the desk drops it from the queue, so nobody takes it after that.
  return plans(desk_->ended(patter::remote_call(call), patter::Outcome::escalated, 0));
}

}  // namespace fleet
