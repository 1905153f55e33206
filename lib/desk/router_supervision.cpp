// Supervisors in the desk's routing (router.hpp, patter/desk_router.hpp):
// taking a call over, barging in beside its person, leaving, and giving a
// waiting escalation to a named person. Each step runs under the call's
// shard lock, so it sees the call's person and its barged-in supervisor as
// one; people are claimed by compare-and-swap as everywhere in the router.
#include "router.hpp"

namespace patter::detail {

namespace {
void bump(std::atomic<std::uint64_t>& n) {
  n.fetch_add(1, std::memory_order_relaxed);
}
// Claims `a` for `call`: agent_busy when they are on (or reserved for) another.
bool claim(RouterAgent& a, CallId call) {
  CallId free = 0;
  return a.talking.compare_exchange_strong(free, call);
}
}  // namespace

DeskStatus Router::supervisor(std::string_view name, RouterAgent** out) const {
  RouterAgent* a = agent(name);
  if (!a) return DeskStatus::unknown_agent;
  if (!a->options.supervisor) return DeskStatus::not_permitted;
  *out = a;
  return DeskStatus::ok;
}

DeskStatus Router::replace_person(RouterAgent& s, CallId id, RouterAgent** displaced) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  RouterCall& c = it->second;
  if (!c.with) return DeskStatus::not_with_agent;
  // Supervisors never take a call from each other: of two at once, one wins.
  if (c.with == &s || c.with->options.supervisor) return DeskStatus::already_taken;
  if (c.barged && c.barged != &s) return DeskStatus::already_taken;
  if (c.barged != &s && !claim(s, id)) return DeskStatus::agent_busy;
  RouterAgent* was = c.with;
  c.with = &s;
  c.barged = nullptr;
  release(*was, id);
  ++sh.counters.take_overs;
  bump(s.take_overs);
  *displaced = was;
  return DeskStatus::ok;
}

DeskStatus Router::reserve_take_over(RouterAgent& s, CallId id) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  if (it->second.with) return DeskStatus::already_taken;
  return claim(s, id) ? DeskStatus::ok : DeskStatus::agent_busy;
}

DeskStatus Router::commit_take_over(RouterAgent& s, CallId id, std::uint64_t at) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  RouterCall& c = it->second;
  if (c.with) return DeskStatus::already_taken;
  c.with = &s;
  // From the robot: an escalation raised and taken at once (as a grab);
  // from the queue: the waiting one taken.
  if (c.waiting) {
    bump(s.takes);
    s.take_ms.fetch_add(at >= c.since ? at - c.since : 0, std::memory_order_relaxed);
  } else {
    ++sh.counters.raised;
  }
  c.waiting = false;
  unqueue(c);
  ++sh.counters.taken;
  ++sh.counters.take_overs;
  bump(s.take_overs);
  return DeskStatus::ok;
}

DeskStatus Router::barge(RouterAgent& s, CallId id) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  RouterCall& c = it->second;
  if (!c.with) return DeskStatus::not_with_agent;
  if (c.with == &s || c.with->options.supervisor || c.barged) return DeskStatus::already_taken;
  if (!claim(s, id)) return DeskStatus::agent_busy;
  c.barged = &s;
  ++sh.counters.barges;
  bump(s.barges);
  return DeskStatus::ok;
}

DeskStatus Router::leave(RouterAgent& s, CallId id) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  if (it->second.barged != &s) return DeskStatus::not_with_agent;
  it->second.barged = nullptr;
  release(s, id);
  return DeskStatus::ok;
}

DeskStatus Router::reserve_reassign(RouterAgent& to, CallId id) {
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  auto it = sh.calls.find(id);
  if (it == sh.calls.end()) return DeskStatus::unknown_call;
  if (it->second.with) return DeskStatus::already_taken;
  if (!it->second.waiting) return DeskStatus::not_waiting;
  return claim(to, id) ? DeskStatus::ok : DeskStatus::agent_busy;
}

DeskStatus Router::commit_reassign(RouterAgent& by, RouterAgent& to, CallId id, std::uint64_t at) {
  const DeskStatus s = commit(to, id, at, /*grab=*/false);
  if (s != DeskStatus::ok) return s;
  Shard& sh = shard(id);
  std::lock_guard lock(sh.m);
  ++sh.counters.reassigned;
  bump(by.reassigns);
  return DeskStatus::ok;
}

}  // namespace patter::detail
