// Escalations (patter/desk.hpp): to the supervising person when free, else
// the queue by priority, score and waiting time; a person joining a call;
// the head of the queue to whoever takes it.
#include "desk_impl.hpp"

namespace patter {

/// An escalation from the script: to the supervisor if free, else the queue.
void Desk::Impl::route(DeskCall& c, const Action& a, std::uint64_t at, Later& later,
                       std::string* assigned) {
  const detail::Escalated e = router.escalate(c.id, static_cast<int>(a.priority), a.score, at);
  if (e.status != DeskStatus::ok) return;
  if (c.trainee) {
    // Training: the trainee decides; the call waits for their grab.
    c.script_escalated = true;
    return;
  }
  if (!e.to) {
    // Another free person may take it at once.
    if (e.free) later([this, who = e.free->id, at] { assign_next(who, at); });
    publish(c, ListenEvent{0, ListenEventType::queued, at, {}, {}, c.session.node(), kNone});
    return;
  }
  if (!join(c, *e.to, at, later)) {
    detail::Router::release(*e.to, c.id);
    return;
  }
  if (assigned) *assigned = e.to->id;
  if (opt.on_assigned) later([this, to = e.to->id, id = c.id] { opt.on_assigned(to, id); });
}

/// A person joins the call (call lock held; the person is reserved).
/// False when the call ended instead: a robot still talking (hold mode
/// `script`) was past the call's duration limit, which comes first, and
/// closed the call; the caller gives the person back.
bool Desk::Impl::join(DeskCall& c, detail::RouterAgent& who, std::uint64_t at, Later& later) {
  const bool waiting = c.session.awaiting_person();
  Turn scratch;
  // A deferred assignment may carry an older time than the call's last
  // event; the session's clock never goes back.
  at = std::max(at, c.session.last_event_ms());
  c.session.step(Event::agent_joined(at), scratch);
  if (c.session.ended()) {
    after_step(c, nullptr, scratch, at, waiting, later, nullptr);
    return false;
  }
  c.with = who.id;
  router.commit(who, c.id, at, /*grab=*/false);
  publish(c, ListenEvent{0, ListenEventType::joined, at, {}, who.id, c.session.node(), kNone});
  return true;
}

/// Give the head of the queue to a free agent (auto-assignment).
void Desk::Impl::assign_next(const std::string& who, std::uint64_t at) {
  Turn t;
  take(who, at, t, nullptr, /*automatic=*/true);
}

DeskStatus Desk::Impl::take(std::string_view who, std::uint64_t at, Turn& t, CallId* out,
                            bool automatic, Routing* routed) {
  Later later;  // for calls that end instead of being taken
  const DeskStatus status = take_head(who, at, t, out, automatic, later, routed);
  later.run();
  return status;
}

DeskStatus Desk::Impl::take_head(std::string_view who, std::uint64_t at, Turn& t, CallId* out,
                                 bool automatic, Later& later, Routing* routed) {
  for (;;) {
    detail::RouterAgent* a = nullptr;  // reserved for the head of the queue
    CallId id = 0;
    if (const DeskStatus s = router.reserve_head(who, automatic, &a, &id); s != DeskStatus::ok)
      return s;
    bool ok = false;
    if (is_remote_call(id)) {
      // Its session is the host's: the person is given the call, the host bridges them.
      ok = router.commit(*a, id, at, /*grab=*/false) == DeskStatus::ok;
      t.clear();
    } else if (std::shared_ptr<DeskCall> c = find(id)) {
      std::lock_guard lock(c->m);
      if (c->with.empty() && !c->session.ended() && c->session.awaiting_person()) {
        ok = join(*c, *a, at, later);
        t.clear();
      }
    }
    if (!ok) {
      detail::Router::release(*a, id);
      continue;  // it ended or was taken meanwhile: try the next
    }
    if (out) *out = id;
    if (routed) routed->assigned.push_back({id, a->id});
    if (opt.on_assigned && automatic) opt.on_assigned(who, id);
    return DeskStatus::ok;
  }
}

DeskStatus Desk::take_next(std::string_view agent, std::uint64_t at_ms, Turn& turn, CallId* call) {
  return impl_->take(agent, at_ms, turn, call, /*automatic=*/false);
}

std::vector<CallId> Desk::queue() const {
  return impl_->router.queue();
}

}  // namespace patter
