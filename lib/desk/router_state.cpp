// What the desk's routing can tell (router.hpp): calls, the queue, the
// counters summed over the shards, people's statistics and assessments.
#include "router.hpp"

namespace patter::detail {

std::optional<RoutedCall> Router::call(CallId id) const {
  const Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return std::nullopt;
  const RouterCall& c = it->second;
  RoutedCall out;
  out.id = id;
  out.supervisor = c.supervisor->id;
  if (c.with) out.with = c.with->id;
  if (c.barged) out.barged = c.barged->id;
  out.waiting = c.waiting;
  out.queued = c.queued;
  if (c.waiting) out.escalated_at_ms = c.since;
  return out;
}

std::vector<CallId> Router::queue() const {
  std::lock_guard lock(queue_m_);
  std::vector<CallId> out;
  out.reserve(queue_.size());
  for (const QueueKey& k : queue_) out.push_back(k.call);
  return out;
}

std::size_t Router::open_calls() const {
  std::size_t n = 0;
  for (const Shard& sh : shards_) {
    std::lock_guard lock(sh.m);
    n += sh.calls.size();
  }
  return n;
}

DeskCounters Router::counters() const {
  DeskCounters n;
  for (const Shard& sh : shards_) {
    std::lock_guard lock(sh.m);
    const DeskCounters& s = sh.counters;
    n.calls_opened += s.calls_opened;
    n.calls_ended += s.calls_ended;
    n.raised += s.raised;
    n.taken += s.taken;
    n.gave_up += s.gave_up;
    n.ended_waiting += s.ended_waiting;
    n.queued += s.queued;
    n.grabs += s.grabs;
    n.take_overs += s.take_overs;
    n.barges += s.barges;
    n.reassigned += s.reassigned;
  }
  return n;
}

AgentStats stats_of(const RouterAgent& a) {
  AgentStats s;
  s.agent = a.id;
  s.calls_supervised = a.calls.load();
  s.escalations = a.escalations.load();
  s.grabs = a.grabs.load();
  s.hand_backs = a.hand_backs.load();
  const std::uint64_t takes = a.takes.load();
  s.mean_time_to_take_ms =
      takes ? static_cast<double>(a.take_ms.load()) / static_cast<double>(takes) : 0;
  s.take_overs = a.take_overs.load();
  s.barges = a.barges.load();
  s.reassigned = a.reassigns.load();
  for (std::size_t o = 1; o < a.outcomes.size(); ++o)
    if (const std::uint64_t n = a.outcomes[o].load())
      s.outcomes.emplace_back(static_cast<Outcome>(o), n);
  return s;
}

std::optional<AgentStats> Router::stats(std::string_view id) const {
  const RouterAgent* a = agent(id);
  if (!a) return std::nullopt;
  return stats_of(*a);
}

std::vector<AgentStats> Router::all_stats() const {
  std::vector<AgentStats> out;
  for (const auto& [id, a] : table()) out.push_back(stats_of(*a));
  return out;
}

std::optional<TrainingAssessment> Router::assessment(std::string_view trainee) const {
  RouterAgent* a = agent(trainee);
  if (!a || !a->options.trainee) return std::nullopt;
  std::lock_guard lock(a->m);
  return a->assessment;
}

}  // namespace patter::detail
