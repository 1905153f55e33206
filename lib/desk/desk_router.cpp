// DeskRouter (patter/desk_router.hpp): the routing steps of router.hpp put
// together for a host whose sessions live elsewhere. A person the router
// reserves joins at once (the host bridges them), so each step commits.
#include "router.hpp"

namespace patter {

using detail::RouterAgent;

namespace {

// The head of the queue to `who`, and on to whoever is free after a call
// the router could not give (it ended or was taken meanwhile).
void take_head(detail::Router& r, std::string_view who, std::uint64_t at, bool automatic,
               Routing& out) {
  for (;;) {
    RouterAgent* a = nullptr;
    CallId id = 0;
    const DeskStatus s = r.reserve_head(who, automatic, &a, &id);
    if (s != DeskStatus::ok) {
      if (!automatic) out.status = s;
      return;
    }
    if (r.commit(*a, id, at, /*grab=*/false) == DeskStatus::ok) {
      out.assigned.push_back({id, a->id});
      return;
    }
    detail::Router::release(*a, id);
  }
}

void next_for(detail::Router& r, RouterAgent* freed, std::uint64_t at, Routing& out) {
  if (freed && r.options().auto_assign) take_head(r, freed->id, at, /*automatic=*/true, out);
}

// A supervisor's operation on `call`: the call first (unknown_call), then
// the person and their role (unknown_agent, not_permitted).
DeskStatus supervisor_on(const detail::Router& r, std::string_view supervisor, CallId call,
                         RouterAgent** s) {
  if (!r.has_call(call)) return DeskStatus::unknown_call;
  return r.supervisor(supervisor, s);
}

}  // namespace

DeskRouter::DeskRouter(RouterOptions options)
    : router_(std::make_unique<detail::Router>(options)) {}
DeskRouter::~DeskRouter() = default;

DeskStatus DeskRouter::add_agent(std::string id, AgentOptions options) {
  return router_->add_agent(std::move(id), std::move(options));
}
DeskStatus DeskRouter::remove_agent(std::string_view id) {
  return router_->remove_agent(id);
}
std::vector<std::string> DeskRouter::agents() const {
  return router_->agents();
}

Result<OpenedCall, DeskStatus> DeskRouter::open(CallId call, std::string_view agent) {
  RouterAgent* sup = nullptr;
  const DeskStatus s = router_->open(call, agent, &sup);
  if (s != DeskStatus::ok) return Failure{s};
  return OpenedCall{call, sup->id};
}

Routing DeskRouter::escalated(CallId call, Priority priority, double score, std::uint64_t at_ms) {
  Routing out;
  const detail::Escalated e = router_->escalate(call, static_cast<int>(priority), score, at_ms);
  out.status = e.status;
  if (e.status == DeskStatus::already_taken) {
    out.assigned.push_back({call, e.to->id});
    return out;
  }
  if (e.status != DeskStatus::ok) return out;
  out.queued = e.queued;
  if (e.to) {
    if (router_->commit(*e.to, call, at_ms, /*grab=*/false) == DeskStatus::ok)
      out.assigned.push_back({call, e.to->id});
    else
      detail::Router::release(*e.to, call);
  } else if (e.free) {
    take_head(*router_, e.free->id, at_ms, /*automatic=*/true, out);
  }
  if (!out.assigned.empty() && out.assigned.front().call == call) out.queued = false;
  return out;
}

Routing DeskRouter::gave_up(CallId call, std::uint64_t) {
  Routing out;
  if (!router_->stopped_waiting(call, /*gave_up=*/true))
    out.status = router_->has_call(call) ? DeskStatus::not_waiting : DeskStatus::unknown_call;
  return out;
}

Routing DeskRouter::ended(CallId call, Outcome outcome, std::uint64_t at_ms) {
  Routing out;
  RouterAgent* freed = nullptr;
  RouterAgent* barged = nullptr;  // a supervisor beside the person: free too
  out.status = router_->ended(call, outcome, &freed, &barged);
  next_for(*router_, freed, at_ms, out);
  next_for(*router_, barged, at_ms, out);
  return out;
}

Routing DeskRouter::grab(std::string_view agent, CallId call, std::uint64_t at_ms) {
  Routing out;
  RouterAgent* a = nullptr;
  out.status = router_->reserve_grab(agent, call, &a);
  if (out.status != DeskStatus::ok) return out;
  out.status = router_->commit(*a, call, at_ms, /*grab=*/true);
  if (out.status != DeskStatus::ok)
    detail::Router::release(*a, call);
  else
    out.assigned.push_back({call, a->id});
  return out;
}

Routing DeskRouter::take_next(std::string_view agent, std::uint64_t at_ms) {
  Routing out;
  take_head(*router_, agent, at_ms, /*automatic=*/false, out);
  return out;
}

Routing DeskRouter::hand_back(std::string_view agent, CallId call, std::uint64_t at_ms) {
  Routing out;
  RouterAgent* a = nullptr;
  RouterAgent* barged = nullptr;
  out.status = router_->handed_back(agent, call, &a, &barged);
  if (out.status == DeskStatus::ok) {
    next_for(*router_, a, at_ms, out);
    next_for(*router_, barged, at_ms, out);
  }
  return out;
}

// ---- supervisors (router_supervision.cpp has the rules' steps) -------------------

Routing DeskRouter::take_over(std::string_view supervisor, CallId call, std::uint64_t at_ms) {
  Routing out;
  RouterAgent* s = nullptr;
  out.status = supervisor_on(*router_, supervisor, call, &s);
  if (out.status != DeskStatus::ok) return out;
  RouterAgent* displaced = nullptr;
  out.status = router_->replace_person(*s, call, &displaced);
  if (out.status == DeskStatus::not_with_agent) {  // nobody has it: from the robot or the queue
    out.status = router_->reserve_take_over(*s, call);
    if (out.status != DeskStatus::ok) return out;
    out.status = router_->commit_take_over(*s, call, at_ms);
    if (out.status != DeskStatus::ok) {
      detail::Router::release(*s, call);
      return out;
    }
  }
  if (out.status != DeskStatus::ok) return out;
  out.assigned.push_back({call, s->id});
  next_for(*router_, displaced, at_ms, out);
  return out;
}

Routing DeskRouter::barge(std::string_view supervisor, CallId call, std::uint64_t at_ms) {
  Routing out;
  RouterAgent* s = nullptr;
  out.status = supervisor_on(*router_, supervisor, call, &s);
  if (out.status != DeskStatus::ok) return out;
  out.status = router_->barge(*s, call);
  if (out.status == DeskStatus::not_with_agent) return take_over(supervisor, call, at_ms);
  if (out.status == DeskStatus::ok) out.assigned.push_back({call, s->id});
  return out;
}

Routing DeskRouter::reassign(std::string_view supervisor, CallId call, std::string_view to,
                             std::uint64_t at_ms) {
  Routing out;
  RouterAgent* s = nullptr;
  out.status = supervisor_on(*router_, supervisor, call, &s);
  if (out.status != DeskStatus::ok) return out;
  RouterAgent* person = router_->agent(to);
  if (!person) {
    out.status = DeskStatus::unknown_agent;
    return out;
  }
  out.status = router_->reserve_reassign(*person, call);
  if (out.status != DeskStatus::ok) return out;
  out.status = router_->commit_reassign(*s, *person, call, at_ms);
  if (out.status != DeskStatus::ok)
    detail::Router::release(*person, call);
  else
    out.assigned.push_back({call, person->id});
  return out;
}

Routing DeskRouter::leave(std::string_view supervisor, CallId call, std::uint64_t at_ms) {
  Routing out;
  RouterAgent* s = nullptr;
  out.status = supervisor_on(*router_, supervisor, call, &s);
  if (out.status != DeskStatus::ok) return out;
  out.status = router_->leave(*s, call);
  if (out.status == DeskStatus::ok) next_for(*router_, s, at_ms, out);
  return out;
}

DeskStatus DeskRouter::script_escalated(CallId call, std::uint64_t at_ms) {
  return router_->script_escalated(call, at_ms);
}

std::optional<RoutedCall> DeskRouter::call(CallId call) const {
  return router_->call(call);
}
std::vector<CallId> DeskRouter::queue() const {
  return router_->queue();
}
std::size_t DeskRouter::open_calls() const {
  return router_->open_calls();
}
DeskCounters DeskRouter::counters() const {
  return router_->counters();
}
std::optional<AgentStats> DeskRouter::stats(std::string_view agent) const {
  return router_->stats(agent);
}
std::vector<AgentStats> DeskRouter::all_stats() const {
  return router_->all_stats();
}
std::optional<TrainingAssessment> DeskRouter::assessment(std::string_view trainee) const {
  return router_->assessment(trainee);
}

}  // namespace patter
