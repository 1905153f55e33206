// The desk (patter/desk.hpp): calls and the people who supervise them. The
// queue, listen-in and training have files of their own; the locks are
// described in desk_impl.hpp.
#include "desk_impl.hpp"

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
  if (was_awaiting && !escalated && !c.session.awaiting_person() && c.with.empty()) {
    std::lock_guard lock(m);
    unqueue(c.id);
    if (t.decision() == Decision::no_person)
      ++counters.gave_up;
    else
      ++counters.ended_waiting;
  }
  if (c.session.ended()) ended(c, at, later);
}

/// The call is over (call lock held).
void Desk::Impl::ended(DeskCall& c, std::uint64_t at, Later& later) {
  if (c.closed) return;  // a call ends once, even when a join inside a step closed it
  c.closed = true;
  if (c.trainee && !c.decided) {
    if (c.grabbed)
      decide(c, GrabVerdict::needless, 0);
    else if (c.script_escalated)
      decide(c, GrabVerdict::missed, 0);
  }
  for (auto& s : c.subs) s->finish();
  c.subs.clear();
  {
    Shard& sh = shard(c.id);
    std::unique_lock lock(sh.m);
    sh.calls.erase(c.id);
  }
  std::string freed;
  {
    std::lock_guard lock(m);
    unqueue(c.id);
    ++counters.calls_ended;
    if (AgentState* sup = agent(c.supervisor)) {
      if (sup->supervising) --sup->supervising;
      ++sup->outcomes[static_cast<std::size_t>(c.session.outcome())];
    }
    if (!c.with.empty()) {
      if (AgentState* a = agent(c.with); a && a->talking == c.id) {
        a->talking = 0;
        freed = a->id;
      }
    }
  }
  if (!freed.empty() && opt.auto_assign) later([this, freed, at] { assign_next(freed, at); });
  if (opt.on_call_ended)
    later([this, id = c.id, r = c.session.result()] { opt.on_call_ended(id, r); });
}

// ---- Desk ----------------------------------------------------------------------------

Desk::Desk(DeskOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Desk::~Desk() = default;

DeskStatus Desk::add_agent(std::string id, AgentOptions options) {
  std::lock_guard lock(impl_->m);
  if (impl_->agents.count(id)) return DeskStatus::agent_exists;
  AgentState a;
  a.id = id;
  a.options = std::move(options);
  a.assessment.trainee = id;
  impl_->agents.emplace(std::move(id), std::move(a));
  return DeskStatus::ok;
}

DeskStatus Desk::remove_agent(std::string_view id) {
  std::lock_guard lock(impl_->m);
  auto it = impl_->agents.find(id);
  if (it == impl_->agents.end()) return DeskStatus::unknown_agent;
  if (it->second.supervising || it->second.talking) return DeskStatus::agent_has_calls;
  impl_->agents.erase(it);
  return DeskStatus::ok;
}

std::vector<std::string> Desk::agents() const {
  std::lock_guard lock(impl_->m);
  std::vector<std::string> out;
  for (const auto& [id, a] : impl_->agents) out.push_back(id);
  return out;
}

Desk::Opened Desk::open_call(std::shared_ptr<const Script> script,
                             std::span<const VariableValue> variables, std::string_view agent,
                             SessionOptions options) {
  Started started = Session::start(std::move(script), variables, options);
  if (!started) return Failure{DeskStatus::bad_script, std::string(started.message())};
  auto call = std::make_shared<DeskCall>(std::move(*started));
  std::unique_lock lock(impl_->m);
  AgentState* chosen = nullptr;
  if (!agent.empty()) {
    chosen = impl_->agent(agent);
    if (!chosen) return Failure{DeskStatus::unknown_agent};
    if (chosen->supervising >= chosen->options.capacity) chosen = nullptr;
  } else {
    // Least loaded relative to capacity; ties: fewer calls, then the id.
    for (auto& [id, a] : impl_->agents) {
      if (a.supervising >= a.options.capacity) continue;
      if (!chosen || std::uint64_t{a.supervising} * chosen->options.capacity <
                         std::uint64_t{chosen->supervising} * a.options.capacity)
        chosen = &a;
    }
  }
  if (!chosen) return Failure{DeskStatus::no_capacity};
  call->id = impl_->next_id++;
  call->supervisor = chosen->id;
  call->trainee = chosen->options.trainee;
  ++chosen->supervising;
  ++chosen->calls;
  ++impl_->counters.calls_opened;
  OpenedCall out{call->id, chosen->id};
  lock.unlock();
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
  {
    std::lock_guard lock(impl_->m);
    AgentState* a = impl_->agent(agent);
    if (!a) return DeskStatus::unknown_agent;
    if (c->supervisor != agent) return DeskStatus::not_supervisor;
    if (a->talking) return DeskStatus::agent_busy;
    a->talking = id;  // reserved; given back if the grab loses
  }
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
      const std::uint64_t since = c->session.escalated_at_ms();
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
        {
          std::lock_guard lock(impl_->m);
          impl_->unqueue(id);
          ++impl_->counters.grabs;
          // A robot call grabbed with no escalation waiting: raised and taken at once.
          if (!waiting) ++impl_->counters.raised;
          ++impl_->counters.taken;
          if (AgentState* a = impl_->agent(agent)) {
            ++a->grabs;
            if (waiting) {
              ++a->takes;
              a->take_ms += static_cast<double>(at_ms >= since ? at_ms - since : 0);
            }
          }
        }
        if (c->trainee) {
          c->grabbed = true;
          c->grabbed_at = at_ms;
          if (c->script_escalated && !c->decided) {
            const auto offset = static_cast<std::int64_t>(at_ms) -
                                static_cast<std::int64_t>(c->script_escalated_at);
            impl_->decide(*c,
                          offset <= static_cast<std::int64_t>(impl_->opt.on_time_ms)
                              ? GrabVerdict::on_time
                              : GrabVerdict::late,
                          offset);
          }
        }
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
  if (status != DeskStatus::ok) {
    std::lock_guard lock(impl_->m);
    impl_->release(agent, id);
  }
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
    if (is_error(c->session.step(Event::agent_left(at_ms, node), turn)))
      return DeskStatus::session_error;
    c->with.clear();
    c->shadow.reset();
    {
      std::lock_guard lock(impl_->m);
      if (AgentState* a = impl_->agent(agent)) {
        ++a->hand_backs;
        if (a->talking == id) a->talking = 0;
      }
    }
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
    info.phase = c->session.phase();
    info.node = c->session.node();
    info.score = c->session.score();
    if (c->session.awaiting_person()) info.escalated_at_ms = c->session.escalated_at_ms();
  }
  std::lock_guard lock(impl_->m);
  info.queued = impl_->in_queue.count(id) != 0;
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
  std::lock_guard lock(impl_->m);
  return impl_->counters;
}

namespace {
AgentStats stats_of(const AgentState& a) {
  AgentStats s;
  s.agent = a.id;
  s.calls_supervised = a.calls;
  s.escalations = a.escalations;
  s.grabs = a.grabs;
  s.hand_backs = a.hand_backs;
  s.mean_time_to_take_ms = a.takes ? a.take_ms / static_cast<double>(a.takes) : 0;
  for (std::size_t o = 1; o < a.outcomes.size(); ++o)
    if (a.outcomes[o]) s.outcomes.emplace_back(static_cast<Outcome>(o), a.outcomes[o]);
  return s;
}
}  // namespace

std::optional<AgentStats> Desk::stats(std::string_view agent) const {
  std::lock_guard lock(impl_->m);
  auto it = impl_->agents.find(agent);
  if (it == impl_->agents.end()) return std::nullopt;
  return stats_of(it->second);
}

std::vector<AgentStats> Desk::all_stats() const {
  std::lock_guard lock(impl_->m);
  std::vector<AgentStats> out;
  for (const auto& [id, a] : impl_->agents) out.push_back(stats_of(a));
  return out;
}

}  // namespace patter
