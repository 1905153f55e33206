// The desk (patter/desk.hpp): calls and the people who supervise them. The
// queue, listen-in and training have files of their own; the locks are
// described in desk_impl.hpp.
#include "desk_impl.hpp"
#include "patter/suggestions.hpp"

#include "text/utf8.hpp"

namespace patter {

void Desk::Impl::after_step(DeskCall& c, const Event* event, Turn& t, std::uint64_t at,
                            bool was_awaiting, Later& later, std::string* assigned) {
  publish_turn(c, event, t, at);
  if (c.shadow && event) shadow_step(c, *event, at);

  bool escalated = false;
  for (const Action& a : t.actions())
    if (a.type == ActionType::escalate) {
      escalated = true;
      route(c, a, at, later, assigned);
    }
  // An escalation that stopped waiting without a person: the hold policy
  // gave up, or the call ended.
  if (was_awaiting && !escalated && !c.session.awaiting_person() && c.with.empty())
    router.stopped_waiting(c.id, t.decision() == Decision::no_person);
  if (c.session.ended()) ended(c, at, later);
}

/// The call is over (call lock held).
void Desk::Impl::ended(DeskCall& c, std::uint64_t at, Later& later) {
  if (c.closed) return;  // a call ends once, even when a join inside a step closed it
  c.closed = true;
  for (auto& s : c.subs) s->finish();
  c.subs.clear();
  {
    Shard& sh = shard(c.id);
    std::unique_lock lock(sh.m);
    sh.calls.erase(c.id);
  }
  // The router decides a trainee's missed or needless grab, and frees the person.
  detail::RouterAgent* freed = nullptr;
  detail::RouterAgent* barged = nullptr;  // a supervisor beside the person
  router.ended(c.id, c.session.outcome(), &freed, &barged);
  if (freed && opt.auto_assign) later([this, who = freed->id, at] { assign_next(who, at); });
  if (barged && opt.auto_assign) later([this, who = barged->id, at] { assign_next(who, at); });
  if (opt.on_call_ended) {
    keep_notes(c);  // notes(id) answers while the host is told
    later([this, id = c.id, r = c.session.result()] {
      opt.on_call_ended(id, r);
      drop_notes(id);
    });
  }
}

// ---- Desk ----------------------------------------------------------------------------

Desk::Desk(DeskOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Desk::~Desk() = default;

DeskStatus Desk::add_agent(std::string id, AgentOptions options) {
  return impl_->router.add_agent(std::move(id), std::move(options));
}

DeskStatus Desk::remove_agent(std::string_view id) {
  return impl_->router.remove_agent(id);
}

std::vector<std::string> Desk::agents() const {
  return impl_->router.agents();
}

Desk::Opened Desk::open_call(std::shared_ptr<const Script> script,
                             std::span<const VariableValue> variables, std::string_view agent,
                             SessionOptions options) {
  Started started = Session::start(std::move(script), variables, options);
  if (!started) return Failure{DeskStatus::bad_script, std::string(started.message())};
  auto call = std::make_shared<DeskCall>(std::move(*started));
  call->id = impl_->next_id.fetch_add(1, std::memory_order_relaxed);
  detail::RouterAgent* sup = nullptr;
  if (const DeskStatus s = impl_->router.open(call->id, agent, &sup); s != DeskStatus::ok)
    return Failure{s};
  call->supervisor = sup->id;
  call->trainee = sup->options.trainee;
  OpenedCall out{call->id, sup->id};
  Impl::Shard& sh = impl_->shard(out.id);
  std::unique_lock table(sh.m);
  sh.calls.emplace(out.id, std::move(call));
  return out;
}

DeskStatus Desk::step(CallId id, const Event& event, Turn& turn, std::string* assigned) {
  if (event.type == EventType::agent_joined || event.type == EventType::agent_left)
    return DeskStatus::not_with_agent;  // people come and go through grab / take_next / hand_back /
                                        // finish
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return DeskStatus::unknown_call;
  Later later;
  {
    std::lock_guard lock(c->m);
    const bool was_awaiting = c->session.awaiting_person();
    if (is_error(c->session.step(event, turn))) return DeskStatus::session_error;
    if (event.type == EventType::utterance || event.type == EventType::intent) {
      c->has_last = true;
      c->last = event;
      c->last_text.assign(
          detail::utf8_head(event.text, Normalizer::kMaxBytes));  // all the matcher reads
    }
    impl_->after_step(*c, &event, turn, event.at_ms, was_awaiting, later, assigned);
  }
  later.run();
  return DeskStatus::ok;
}

DeskStatus Desk::grab(std::string_view agent, CallId id, std::uint64_t at_ms, Turn& turn) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return DeskStatus::unknown_call;
  detail::RouterAgent* a = nullptr;  // reserved; given back if the grab loses
  if (const DeskStatus s = impl_->router.reserve_grab(agent, id, &a); s != DeskStatus::ok) return s;
  Later later;
  DeskStatus status = DeskStatus::ok;
  {
    std::lock_guard lock(c->m);
    if (!c->with.empty() || c->session.ended()) {
      status = c->session.ended() ? DeskStatus::unknown_call : DeskStatus::already_taken;
    } else {
      const bool waiting = c->session.awaiting_person();
      if (c->trainee && !c->script_escalated)
        c->shadow = c->session;  // the robot's course, for assessment
      if (is_error(c->session.step(Event::agent_joined(at_ms), turn))) {
        c->shadow.reset();
        status = DeskStatus::session_error;
      } else if (c->session.ended()) {
        // Past the call's duration limit, which comes first: the robot
        // closed the call (the turn has its lines) and nobody joins it.
        c->shadow.reset();
        impl_->after_step(*c, nullptr, turn, at_ms, waiting, later, nullptr);
        status = DeskStatus::unknown_call;
      } else {
        c->with = std::string(agent);
        impl_->router.commit(*a, id, at_ms, /*grab=*/true);
        Impl::publish(*c, ListenEvent{0,
                                      ListenEventType::joined,
                                      at_ms,
                                      {},
                                      std::string(agent),
                                      c->session.node(),
                                      kNone});
      }
    }
  }
  if (status != DeskStatus::ok) detail::Router::release(*a, id);
  later.run();
  return status;
}

DeskStatus Desk::hand_back(std::string_view agent, CallId id, NodeId node, std::uint64_t at_ms,
                           Turn& turn) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return DeskStatus::unknown_call;
  Later later;
  {
    std::lock_guard lock(c->m);
    if (c->with != agent) return DeskStatus::not_with_agent;
    if (node >= c->session.script().nodes().size()) return DeskStatus::unknown_node;
    // An assignment made on another thread's clock may have moved the
    // session's ahead of this person's: their leaving is never refused for it.
    at_ms = std::max(at_ms, c->session.last_event_ms());
    if (is_error(c->session.step(Event::agent_left(at_ms, node), turn)))
      return DeskStatus::session_error;
    c->with.clear();
    c->shadow.reset();
    detail::RouterAgent* a = nullptr;
    detail::RouterAgent* barged = nullptr;  // a supervisor beside them leaves too
    impl_->router.handed_back(agent, id, &a, &barged);
    c->barged.clear();
    if (barged && impl_->opt.auto_assign)
      later([this, who = barged->id, at_ms] { impl_->assign_next(who, at_ms); });
    Impl::publish(
        *c,
        ListenEvent{0, ListenEventType::handed_back, at_ms, {}, std::string(agent), node, kNone});
    impl_->after_step(*c, nullptr, turn, at_ms, false, later, nullptr);
    if (impl_->opt.auto_assign)
      later([this, who = std::string(agent), at_ms] { impl_->assign_next(who, at_ms); });
  }
  later.run();
  return DeskStatus::ok;
}

DeskStatus Desk::finish(std::string_view agent, CallId id, std::uint64_t at_ms, Turn& turn,
                        HangupReason reason) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return DeskStatus::unknown_call;
  Later later;
  {
    std::lock_guard lock(c->m);
    if (c->with != agent) return DeskStatus::not_with_agent;
    at_ms = std::max(at_ms, c->session.last_event_ms());  // as in hand_back
    if (is_error(c->session.step(Event::agent_left(at_ms, kNone, reason), turn)))
      return DeskStatus::session_error;
    impl_->after_step(*c, nullptr, turn, at_ms, false, later, nullptr);
  }
  later.run();
  return DeskStatus::ok;
}

std::optional<Assist> Desk::assist(CallId id) const {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return std::nullopt;
  std::lock_guard lock(c->m);
  Assist out;
  out.grade = c->session.grade_so_far();
  out.score = c->session.score();
  if (!c->has_last) return out;
  Event e = c->last;
  e.text = c->last_text;
  e.during_line = false;
  // The person joined after those words: the session's clock has moved on.
  e.at_ms = std::max(e.at_ms, c->session.last_event_ms());
  Turn t;
  if (is_error(c->session.preview(e, t))) return out;
  out.heard =
      e.type == EventType::utterance ? c->last_text : c->session.script().intent(e.intent).name;
  for (const IntentMatch& m : t.understanding().intents()) out.intents.push_back(m.intent);
  out.decision = t.decision();
  // Ranked: the script's answer to a question first, then what the robot
  // would say, the node's routes, the way to the goal.
  const std::string_view heard = e.type == EventType::utterance ? c->last_text : std::string_view();
  for (const RankedSuggestion& r : suggestions(c->session, heard))
    out.lines.push_back(r.suggestion());
  if (out.lines.empty())
    for (const Action& a : t.actions())
      if (a.type == ActionType::say) out.lines.push_back({std::string(a.text), a.node});
  return out;
}

std::vector<CallId> Desk::due(std::uint64_t now_ms) const {
  std::vector<std::shared_ptr<DeskCall>> all;
  {
    for (const Impl::Shard& sh : impl_->shards) {
      std::shared_lock lock(sh.m);
      for (const auto& [id, c] : sh.calls) all.push_back(c);
    }
  }
  std::vector<CallId> out;
  for (const auto& c : all) {
    std::lock_guard lock(c->m);
    const std::uint64_t d = c->session.deadline_ms();
    if (d != 0 && d <= now_ms && !c->session.ended()) out.push_back(c->id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<Desk::CallInfo> Desk::call(CallId id) const {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return std::nullopt;
  CallInfo info;
  {
    std::lock_guard lock(c->m);
    info.id = id;
    info.supervisor = c->supervisor;
    info.with = c->with;
    info.barged = c->barged;
    info.notes = c->notes;
    info.phase = c->session.phase();
    info.node = c->session.node();
    info.score = c->session.score();
    if (c->session.awaiting_person()) info.escalated_at_ms = c->session.escalated_at_ms();
  }
  const std::optional<RoutedCall> routed = impl_->router.call(id);
  info.queued = routed && routed->queued;
  return info;
}

std::optional<Session> Desk::session(CallId id) const {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return std::nullopt;
  std::lock_guard lock(c->m);
  return c->session;
}

std::size_t Desk::live_calls() const {
  std::size_t n = 0;
  for (const Impl::Shard& sh : impl_->shards) {
    std::shared_lock lock(sh.m);
    n += sh.calls.size();
  }
  return n;
}

DeskCounters Desk::counters() const {
  return impl_->router.counters();
}

std::optional<AgentStats> Desk::stats(std::string_view agent) const {
  return impl_->router.stats(agent);
}

std::vector<AgentStats> Desk::all_stats() const {
  return impl_->router.all_stats();
}

}  // namespace patter
