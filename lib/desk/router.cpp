// The desk's routing (router.hpp, patter/desk_router.hpp): people, calls,
// the queue, grabs and training verdicts, without sessions.
#include "router.hpp"

#include <algorithm>
#include <utility>

namespace patter::detail {

namespace {
// `talking` while a person is being claimed for the head of the queue.
constexpr CallId kClaiming = ~CallId{0};

void bump(std::atomic<std::uint64_t>& n, std::uint64_t by = 1) {
  n.fetch_add(by, std::memory_order_relaxed);
}
}  // namespace

Router::Router(RouterOptions o) : opt_(o) {
  tables_.push_back(std::make_unique<AgentTable>());
  table_.store(tables_.back().get(), std::memory_order_release);
}
Router::~Router() = default;

RouterAgent* Router::agent(std::string_view id) const {
  const AgentTable& t = table();
  auto it = t.find(id);
  return it == t.end() ? nullptr : it->second;
}

DeskStatus Router::add_agent(std::string id, AgentOptions options) {
  std::lock_guard lock(write_m_);
  if (table().count(id)) return DeskStatus::agent_exists;
  auto a = std::make_unique<RouterAgent>();
  a->id = id;
  a->options = std::move(options);
  a->assessment.trainee = id;
  auto t = std::make_unique<AgentTable>(table());
  t->emplace(std::move(id), a.get());
  all_agents_.push_back(std::move(a));
  tables_.push_back(std::move(t));
  table_.store(tables_.back().get(), std::memory_order_release);
  return DeskStatus::ok;
}

DeskStatus Router::remove_agent(std::string_view id) {
  std::lock_guard lock(write_m_);
  RouterAgent* a = agent(id);
  if (!a) return DeskStatus::unknown_agent;
  // Seen by claim_room (which checks it after taking room), or it sees the room taken.
  a->removed.store(true);
  if (a->supervising.load() || a->talking.load()) {
    a->removed.store(false);
    return DeskStatus::agent_has_calls;
  }
  auto t = std::make_unique<AgentTable>(table());
  t->erase(t->find(id));
  tables_.push_back(std::move(t));
  table_.store(tables_.back().get(), std::memory_order_release);
  return DeskStatus::ok;
}

std::vector<std::string> Router::agents() const {
  std::vector<std::string> out;
  for (const auto& [id, a] : table()) out.push_back(id);
  return out;
}

bool Router::claim_room(RouterAgent& a) {
  std::uint32_t n = a.supervising.load();
  do {
    if (n >= a.options.capacity || a.removed.load()) return false;
  } while (!a.supervising.compare_exchange_weak(n, n + 1));
  if (a.removed.load()) {  // removed meanwhile: give the room back
    a.supervising.fetch_sub(1);
    return false;
  }
  return true;
}

RouterAgent* Router::least_loaded() const {
  // Least loaded relative to capacity; ties: fewer calls, then the id.
  RouterAgent* chosen = nullptr;
  std::uint32_t chosen_n = 0;
  for (const auto& [id, a] : table()) {
    const std::uint32_t n = a->supervising.load(std::memory_order_relaxed);
    if (n >= a->options.capacity) continue;
    if (!chosen || std::uint64_t{n} * chosen->options.capacity <
                       std::uint64_t{chosen_n} * a->options.capacity) {
      chosen = a;
      chosen_n = n;
    }
  }
  return chosen;
}

RouterAgent* Router::free_answerer() const {
  RouterAgent* best = nullptr;
  for (const auto& [id, a] : table()) {
    const bool answers = a->talking.load() == 0 && !a->options.trainee && a->options.auto_answer;
    if (answers && (!best || a->supervising.load(std::memory_order_relaxed) <
                                 best->supervising.load(std::memory_order_relaxed)))
      best = a;
  }
  return best;
}

DeskStatus Router::open(CallId id, std::string_view name, RouterAgent** supervisor) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  if (sh.calls.count(id)) return DeskStatus::call_exists;
  RouterAgent* chosen = nullptr;
  if (!name.empty()) {
    chosen = agent(name);
    if (!chosen) return DeskStatus::unknown_agent;
    if (!claim_room(*chosen)) return DeskStatus::no_capacity;
  } else {
    // Another thread may fill the one chosen first: choose again.
    for (int tries = 0; tries < 64 && !chosen; ++tries) {
      RouterAgent* a = least_loaded();
      if (!a) break;
      if (claim_room(*a)) chosen = a;
    }
    if (!chosen) return DeskStatus::no_capacity;
  }
  bump(chosen->calls);
  RouterCall& c = sh.calls[id];
  c.supervisor = chosen;
  ++sh.counters.calls_opened;
  if (supervisor) *supervisor = chosen;
  return DeskStatus::ok;
}

void Router::enqueue(RouterCall& c, CallId id, int priority, double score, std::uint64_t at,
                     Shard& sh) {
  std::lock_guard lock(queue_m_);
  c.key = QueueKey{priority, score, at, queue_seq_++, id};
  c.queued = true;
  queue_.insert(c.key);
  queued_n_.fetch_add(1);
  ++sh.counters.queued;
}

void Router::unqueue(RouterCall& c) {
  if (!c.queued) return;
  c.queued = false;
  std::lock_guard lock(queue_m_);
  if (queue_.erase(c.key)) queued_n_.fetch_sub(1);
}

Escalated Router::escalate(CallId id, int priority, double score, std::uint64_t at) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return {DeskStatus::unknown_call};
  RouterCall& c = it->second;
  if (c.with) return {DeskStatus::already_taken, c.with};
  if (c.waiting) return {DeskStatus::ok, nullptr, nullptr, c.queued};  // keeps its place
  ++sh.counters.raised;
  c.waiting = true;
  c.since = at;
  RouterAgent& sup = *c.supervisor;
  if (sup.options.trainee) {
    // Training: the trainee decides; the call waits for their grab.
    if (!c.script_escalated) {
      c.script_escalated = true;
      c.script_escalated_at = at;
    }
    return {};
  }
  CallId free = 0;
  if (sup.options.auto_answer && sup.talking.compare_exchange_strong(free, id))
    return {DeskStatus::ok, &sup};
  enqueue(c, id, priority, score, at, sh);
  return {DeskStatus::ok, nullptr, opt_.auto_assign ? free_answerer() : nullptr, true};
}

bool Router::stopped_waiting(CallId id, bool gave_up) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end() || !it->second.waiting || it->second.with) return false;
  it->second.waiting = false;
  unqueue(it->second);
  ++(gave_up ? sh.counters.gave_up : sh.counters.ended_waiting);
  return true;
}

DeskStatus Router::ended(CallId id, Outcome outcome, RouterAgent** freed,
                         RouterAgent** freed_barged) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  RouterCall& c = it->second;
  if (c.supervisor->options.trainee && !c.decided) {
    if (c.grabbed)
      decide(c, id, GrabVerdict::needless, 0);
    else if (c.script_escalated)
      decide(c, id, GrabVerdict::missed, 0);
  }
  if (c.waiting && !c.with) ++sh.counters.ended_waiting;
  unqueue(c);
  ++sh.counters.calls_ended;
  c.supervisor->supervising.fetch_sub(1);
  bump(c.supervisor->outcomes[std::min(static_cast<std::size_t>(outcome), kOutcomeCount - 1)]);
  RouterAgent* with = c.with;
  RouterAgent* barged = c.barged;
  sh.calls.erase(it);
  CallId mine = id;
  if (freed) *freed = with && with->talking.compare_exchange_strong(mine, 0) ? with : nullptr;
  mine = id;
  const bool barged_freed = barged && barged->talking.compare_exchange_strong(mine, 0);
  if (freed_barged) *freed_barged = barged_freed ? barged : nullptr;
  return DeskStatus::ok;
}

DeskStatus Router::reserve_grab(std::string_view name, CallId id, RouterAgent** out) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  RouterAgent* a = agent(name);
  if (!a) return DeskStatus::unknown_agent;
  if (it->second.supervisor != a) return DeskStatus::not_supervisor;
  CallId free = 0;
  if (a->talking.load() != 0) return DeskStatus::agent_busy;
  if (it->second.with) return DeskStatus::already_taken;
  if (!a->talking.compare_exchange_strong(free, id)) return DeskStatus::agent_busy;
  *out = a;
  return DeskStatus::ok;
}

DeskStatus Router::reserve_head(std::string_view name, bool automatic, RouterAgent** out,
                                CallId* call) {
  RouterAgent* a = agent(name);
  if (!a) return DeskStatus::unknown_agent;
  if (a->talking.load() != 0) return DeskStatus::agent_busy;
  if ((a->options.trainee || !a->options.auto_answer) && automatic) return DeskStatus::queue_empty;
  for (;;) {
    if (queued_n_.load() == 0) return DeskStatus::queue_empty;
    CallId free = 0;
    if (!a->talking.compare_exchange_strong(free, kClaiming)) return DeskStatus::agent_busy;
    CallId id = 0;
    {
      std::lock_guard lock(queue_m_);
      if (queue_.empty()) {
        a->talking.store(0);
        return DeskStatus::queue_empty;
      }
      id = queue_.begin()->call;
      queue_.erase(queue_.begin());
      queued_n_.fetch_sub(1);
    }
    a->talking.store(id);
    Shard& sh = shard(id);
    std::lock_guard lock(sh.m);
    auto it = sh.calls.find(id);
    if (it != sh.calls.end() && !it->second.with && it->second.waiting) {
      it->second.queued = false;
      *out = a;
      *call = id;
      return DeskStatus::ok;
    }
    a->talking.store(0);  // it ended or was taken meanwhile: the next
  }
}

void Router::release(RouterAgent& a, CallId id) {
  a.talking.compare_exchange_strong(id, 0);
}

DeskStatus Router::commit(RouterAgent& a, CallId id, std::uint64_t at, bool grab) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  RouterCall& c = it->second;
  if (c.with) return DeskStatus::already_taken;
  const bool waiting = c.waiting;
  if (!grab && !waiting) return DeskStatus::not_waiting;
  c.with = &a;
  c.waiting = false;
  unqueue(c);
  ++sh.counters.taken;
  if (waiting) {
    bump(a.takes);
    bump(a.take_ms, at >= c.since ? at - c.since : 0);
  }
  if (!grab) {
    bump(a.escalations);
    return DeskStatus::ok;
  }
  ++sh.counters.grabs;
  if (!waiting) ++sh.counters.raised;  // a robot call grabbed: raised and taken at once
  bump(a.grabs);
  if (a.options.trainee) {
    c.grabbed = true;
    c.grabbed_at = at;
    if (c.script_escalated && !c.decided) {
      const auto offset =
          static_cast<std::int64_t>(at) - static_cast<std::int64_t>(c.script_escalated_at);
      decide(c, id,
             offset <= static_cast<std::int64_t>(opt_.on_time_ms) ? GrabVerdict::on_time
                                                                  : GrabVerdict::late,
             offset);
    }
  }
  return DeskStatus::ok;
}

DeskStatus Router::handed_back(std::string_view name, CallId id, RouterAgent** out,
                               RouterAgent** out_barged) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  RouterAgent* a = it->second.with;
  if (!a || a->id != name) return DeskStatus::not_with_agent;
  it->second.with = nullptr;
  bump(a->hand_backs);
  release(*a, id);
  *out = a;
  if (RouterAgent* b = std::exchange(it->second.barged, nullptr)) {  // leaves with them
    release(*b, id);
    if (out_barged) *out_barged = b;
  }
  return DeskStatus::ok;
}

DeskStatus Router::script_escalated(CallId id, std::uint64_t at) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  RouterCall& c = it->second;
  if (c.supervisor->options.trainee && c.grabbed && !c.decided)
    // The script would have escalated only now: the grab was early.
    decide(c, id, GrabVerdict::early,
           static_cast<std::int64_t>(c.grabbed_at) - static_cast<std::int64_t>(at));
  return DeskStatus::ok;
}

void Router::decide(RouterCall& c, CallId id, GrabVerdict v, std::int64_t offset) {
  c.decided = true;
  RouterAgent& a = *c.supervisor;
  std::lock_guard lock(a.m);
  TrainingAssessment& as = a.assessment;
  as.decisions.push_back({id, v, offset});
  switch (v) {
    case GrabVerdict::on_time: ++as.on_time; break;
    case GrabVerdict::early: ++as.early; break;
    case GrabVerdict::late: ++as.late; break;
    case GrabVerdict::missed: ++as.missed; break;
    case GrabVerdict::needless: ++as.needless; break;
  }
  if (v == GrabVerdict::on_time || v == GrabVerdict::early || v == GrabVerdict::late) {
    a.offset_sum += static_cast<double>(offset);
    ++a.offset_n;
    as.mean_offset_ms = a.offset_sum / static_cast<double>(a.offset_n);
  }
}

}  // namespace patter::detail
