// Escalations (patter/desk.hpp): to the supervising person when free, else
// the queue by priority, score and waiting time; a person joining a call;
// the head of the queue to whoever takes it.
#include "desk_impl.hpp"

namespace patter {

/// An escalation from the script: to the supervisor if free, else the queue.
void Desk::Impl::route(DeskCall& c, const Action& a, std::uint64_t at, Later& later,
                       std::string* assigned) {
  std::string to;
  {
    std::lock_guard lock(m);
    ++counters.raised;
    if (c.trainee) {
      // Training: the trainee decides; the call waits for their grab.
      if (!c.script_escalated) {
        c.script_escalated = true;
        c.script_escalated_at = at;
      }
      return;
    }
    AgentState* sup = agent(c.supervisor);
    if (sup && sup->talking == 0 && sup->options.auto_answer) {
      sup->talking = c.id;
      to = sup->id;
    } else {
      const QueueKey key{static_cast<int>(a.priority), a.score, at, seq++, c.id};
      queue.insert(key);
      in_queue[c.id] = key;
      ++counters.queued;
      // Another free person may take it at once.
      if (opt.auto_assign) {
        const AgentState* best = nullptr;
        for (const auto& [id, ag] : agents) {
          const bool answers = ag.talking == 0 && !ag.options.trainee && ag.options.auto_answer;
          if (answers && (!best || ag.supervising < best->supervising)) best = &ag;
        }
        if (best) {
          const std::string who = best->id;
          later([this, who, at] { assign_next(who, at); });
        }
      }
    }
  }
  if (to.empty()) {
    publish(c, ListenEvent{0, ListenEventType::queued, at, {}, {}, c.session.node(), kNone});
    return;
  }
  if (!join(c, to, at, /*taken=*/true, later)) {
    std::lock_guard lock(m);
    release(to, c.id);
    return;
  }
  if (assigned) *assigned = to;
  if (opt.on_assigned) later([this, to, id = c.id] { opt.on_assigned(to, id); });
}

/// A person joins the call (call lock held; the person is reserved).
/// False when the call ended instead: a robot still talking (hold mode
/// `script`) was past the call's duration limit, which comes first, and
/// closed the call; the caller gives the person back.
bool Desk::Impl::join(DeskCall& c, const std::string& who, std::uint64_t at, bool taken,
                      Later& later) {
  const bool waiting = c.session.awaiting_person();
  const std::uint64_t since = c.session.escalated_at_ms();
  Turn scratch;
  // A deferred assignment may carry an older time than the call's last
  // event; the session's clock never goes back.
  at = std::max(at, c.session.last_event_ms());
  c.session.step(Event::agent_joined(at), scratch);
  if (c.session.ended()) {
    after_step(c, nullptr, scratch, at, waiting, later, nullptr);
    return false;
  }
  c.with = who;
  {
    std::lock_guard lock(m);
    unqueue(c.id);
    if (AgentState* a = agent(who)) {
      if (taken) ++a->escalations;
      if (waiting) {
        ++a->takes;
        a->take_ms += static_cast<double>(at >= since ? at - since : 0);
      }
    }
    if (waiting) ++counters.taken;
  }
  publish(c, ListenEvent{0, ListenEventType::joined, at, {}, who, c.session.node(), kNone});
  return true;
}

/// Give the head of the queue to a free agent (auto-assignment).
void Desk::Impl::assign_next(const std::string& who, std::uint64_t at) {
  Turn t;
  take(who, at, t, nullptr, /*automatic=*/true);
}

DeskStatus Desk::Impl::take(std::string_view who, std::uint64_t at, Turn& t, CallId* out,
                            bool automatic) {
  Later later;  // for calls that end instead of being taken
  const DeskStatus status = take_head(who, at, t, out, automatic, later);
  later.run();
  return status;
}

DeskStatus Desk::Impl::take_head(std::string_view who, std::uint64_t at, Turn& t, CallId* out,
                                 bool automatic, Later& later) {
  for (;;) {
    CallId id = 0;
    {
      std::lock_guard lock(m);
      AgentState* a = agent(who);
      if (!a) return DeskStatus::unknown_agent;
      if (a->talking) return DeskStatus::agent_busy;
      if ((a->options.trainee || !a->options.auto_answer) && automatic)
        return DeskStatus::queue_empty;
      if (queue.empty()) return DeskStatus::queue_empty;
      id = queue.begin()->call;
      unqueue(id);
      a->talking = id;  // reserved
    }
    std::shared_ptr<DeskCall> c = find(id);
    bool ok = false;
    if (c) {
      std::lock_guard lock(c->m);
      if (c->with.empty() && !c->session.ended() && c->session.awaiting_person()) {
        ok = join(*c, std::string(who), at, /*taken=*/true, later);
        t.clear();
      }
    }
    if (!ok) {
      std::lock_guard lock(m);
      release(who, id);
      continue;  // it ended or was taken meanwhile: try the next
    }
    if (out) *out = id;
    if (opt.on_assigned && automatic) opt.on_assigned(who, id);
    return DeskStatus::ok;
  }
}

DeskStatus Desk::take_next(std::string_view agent, std::uint64_t at_ms, Turn& turn, CallId* call) {
  return impl_->take(agent, at_ms, turn, call, /*automatic=*/false);
}

std::vector<CallId> Desk::queue() const {
  std::lock_guard lock(impl_->m);
  std::vector<CallId> out;
  out.reserve(impl_->queue.size());
  for (const QueueKey& k : impl_->queue) out.push_back(k.call);
  return out;
}

}  // namespace patter
