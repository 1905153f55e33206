// Remote calls (patter/desk.hpp): calls whose sessions live elsewhere,
// routed by the desk next to the ones it owns. They have no DeskCall and no
// call lock: their state is the router's alone, so each operation is one
// step of detail::Router, and a person freed takes the head of the queue,
// which may be a call the desk owns (escalation_routing.cpp joins it).
#include "desk_impl.hpp"

namespace patter {

namespace {
Routing refused(DeskStatus s) {
  Routing r;
  r.status = s;
  return r;
}
}  // namespace

DeskStatus Desk::Impl::remote_status(CallId id) const {
  return router.has_call(id) ? DeskStatus::remote_call : DeskStatus::unknown_call;
}

void Desk::Impl::next_for(detail::RouterAgent* freed, std::uint64_t at, Routing* routed) {
  if (!freed || !opt.auto_assign) return;
  Turn scratch;
  take(freed->id, at, scratch, nullptr, /*automatic=*/true, routed);
}

DeskStatus Desk::Impl::grab_remote(std::string_view agent, CallId id, std::uint64_t at) {
  detail::RouterAgent* a = nullptr;
  if (const DeskStatus s = router.reserve_grab(agent, id, &a); s != DeskStatus::ok) return s;
  const DeskStatus s = router.commit(*a, id, at, /*grab=*/true);
  if (s != DeskStatus::ok) detail::Router::release(*a, id);
  return s;
}

DeskStatus Desk::Impl::hand_back_remote(std::string_view agent, CallId id, std::uint64_t at) {
  detail::RouterAgent* a = nullptr;
  const DeskStatus s = router.handed_back(agent, id, &a);
  if (s == DeskStatus::ok) next_for(a, at, nullptr);
  return s;
}

DeskStatus Desk::Impl::finish_remote(std::string_view agent, CallId id, std::uint64_t at) {
  detail::RouterAgent* freed = nullptr;
  detail::RouterAgent* barged = nullptr;  // a supervisor beside the person: free too
  // The person ended the call: its outcome is `escalated`, as a session's is.
  const DeskStatus s = router.ended(id, Outcome::escalated, &freed, &barged, agent);
  if (s == DeskStatus::ok) {
    next_for(freed, at, nullptr);
    next_for(barged, at, nullptr);
  }
  return s;
}

std::optional<Desk::CallInfo> Desk::Impl::remote_info(CallId id) const {
  const std::optional<RoutedCall> r = router.call(id);
  if (!r) return std::nullopt;
  CallInfo info;
  info.id = id;
  info.supervisor = r->supervisor;
  info.with = r->with;
  info.phase = !r->with.empty() ? Phase::human : r->waiting ? Phase::waiting : Phase::robot;
  info.queued = r->queued;
  info.escalated_at_ms = r->escalated_at_ms;
  info.remote = true;
  return info;
}

// ---- Desk ----------------------------------------------------------------------------

Desk::Opened Desk::open_remote(CallId call, std::string_view agent) {
  if (!is_remote_call(call)) return Failure{DeskStatus::owned_call};
  detail::RouterAgent* sup = nullptr;
  if (const DeskStatus s = impl_->router.open(call, agent, &sup); s != DeskStatus::ok)
    return Failure{s};
  return OpenedCall{call, sup->id};
}

Routing Desk::escalated(CallId call, Priority priority, double score, std::uint64_t at_ms) {
  if (!is_remote_call(call)) return refused(DeskStatus::owned_call);
  const detail::Escalated e =
      impl_->router.escalate(call, static_cast<int>(priority), score, at_ms);
  Routing out = refused(e.status);
  if (e.status == DeskStatus::already_taken) {
    out.assigned.push_back({call, e.to->id});  // the person who has it, bridged already
    return out;
  }
  if (e.status != DeskStatus::ok) return out;
  out.queued = e.queued;
  if (e.to) {
    if (impl_->router.commit(*e.to, call, at_ms, /*grab=*/false) != DeskStatus::ok) {
      detail::Router::release(*e.to, call);  // it ended meanwhile
      return out;
    }
    out.assigned.push_back({call, e.to->id});
    if (impl_->opt.on_assigned) impl_->opt.on_assigned(e.to->id, call);
  } else if (e.free) {
    impl_->next_for(e.free, at_ms, &out);
  }
  for (const PersonAssignment& a : out.assigned)
    if (a.call == call) out.queued = false;
  return out;
}

Routing Desk::gave_up(CallId call, std::uint64_t) {
  if (!is_remote_call(call)) return refused(DeskStatus::owned_call);
  if (impl_->router.stopped_waiting(call, /*gave_up=*/true)) return {};
  return refused(impl_->router.has_call(call) ? DeskStatus::not_waiting : DeskStatus::unknown_call);
}

Routing Desk::ended(CallId call, Outcome outcome, std::uint64_t at_ms) {
  if (!is_remote_call(call)) return refused(DeskStatus::owned_call);
  detail::RouterAgent* freed = nullptr;
  detail::RouterAgent* barged = nullptr;
  Routing out = refused(impl_->router.ended(call, outcome, &freed, &barged));
  impl_->next_for(freed, at_ms, &out);
  impl_->next_for(barged, at_ms, &out);
  return out;
}

DeskStatus Desk::script_escalated(CallId call, std::uint64_t at_ms) {
  if (!is_remote_call(call)) return DeskStatus::owned_call;
  return impl_->router.script_escalated(call, at_ms);
}

}  // namespace patter
