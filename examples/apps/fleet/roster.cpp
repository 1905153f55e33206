// The desk's people (roster.hpp).
#include "roster.hpp"

#include <algorithm>

#include "rng.hpp"

namespace fleet {

Roster::Roster(std::uint64_t seed, std::uint32_t agents) : seed_(seed) {
  for (std::uint32_t i = 0; i < std::max<std::uint32_t>(agents, 1); ++i) {
    std::string name = std::to_string(i + 1);
    agents_.push_back({"agent" + std::string(name.size() < 2 ? 2 - name.size() : 0, '0') + name});
  }
}

PersonPlan Roster::plan_of(std::uint64_t seed, CallId call, std::uint32_t seq, std::string agent) {
  Rng rng = stream_of(seed, call, Stream::person, seq);
  const std::uint64_t pickup = rng.between(kPickupMinMs, kPickupMaxMs);
  return {call, seq, std::move(agent), pickup, rng.between(kTalkMinMs, kTalkMaxMs)};
}

PersonPlan Roster::plan(const EscalationNote& note, Agent& agent) {
  agent.call = note.call;
  ++agent.taken;
  ++taken_;
  with_[note.call] = static_cast<std::size_t>(&agent - agents_.data());
  return plan_of(seed_, note.call, note.seq, agent.name);
}

bool Roster::adopt(const EscalationNote& note, std::string_view name) {
  for (Agent& a : agents_)
    if (a.name == name && (a.call == 0 || a.call == note.call)) {
      a.call = note.call;
      with_[note.call] = static_cast<std::size_t>(&a - agents_.data());
      return true;
    }
  return false;
}

Roster::Agent* Roster::free_agent() {
  Agent* best = nullptr;
  for (Agent& a : agents_)
    if (a.call == 0 && (!best || a.taken < best->taken)) best = &a;
  return best;
}

std::optional<PersonPlan> Roster::escalate(const EscalationNote& note) {
  if (const auto it = with_.find(note.call); it != with_.end())
    return plan(note, agents_[it->second]);
  if (Agent* a = free_agent()) return plan(note, *a);
  queue_.emplace_back(note, arrivals_++);
  ++waited_;
  return std::nullopt;
}

std::vector<PersonPlan> Roster::release(CallId call) {
  std::vector<PersonPlan> out;
  // A call can end while its escalation waits (the customer's patience ran
  // out): nobody must take it after that.
  std::erase_if(queue_, [call](const auto& q) { return q.first.call == call; });
  const auto it = with_.find(call);
  if (it == with_.end()) return out;
  agents_[it->second].call = 0;
  with_.erase(it);
  while (!queue_.empty()) {
    Agent* a = free_agent();
    if (!a) break;
    const auto head =
        std::min_element(queue_.begin(), queue_.end(), [](const auto& x, const auto& y) {
          if (x.first.priority != y.first.priority) return x.first.priority > y.first.priority;
          if (x.first.score != y.first.score) return x.first.score > y.first.score;
          return x.second < y.second;
        });
    out.push_back(plan(head->first, *a));
    queue_.erase(head);
  }
  return out;
}

}  // namespace fleet
