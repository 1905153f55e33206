// The desk: calls, the people who supervise them, and the queue between.
//
// Locks: each call has its own mutex (its session, its person, its
// subscribers); one desk mutex covers the agents, the queue and the
// counters; the table of calls has a reader-writer lock of its own, held
// only to look a call up, add or remove it. A thread may take the desk
// mutex while holding a call's, never the other way round, so they cannot
// deadlock. Callbacks to the host run after every lock is released.
#include "patter/desk.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "text/utf8.hpp"

namespace patter {

namespace {

struct QueueKey {
  int priority = 0;  // higher first
  double score = 0;  // higher first
  std::uint64_t since = 0;  // earlier first
  std::uint64_t seq = 0;
  CallId call = 0;
  bool operator<(const QueueKey& o) const noexcept {
    if (priority != o.priority) return priority > o.priority;
    if (score != o.score) return score > o.score;
    if (since != o.since) return since < o.since;
    return seq < o.seq;
  }
};

/// Work for after the locks are released: host callbacks, auto-assignment.
struct Later {
  std::vector<std::function<void()>> jobs;
  void operator()(std::function<void()> f) { jobs.push_back(std::move(f)); }
  void run() {
    for (auto& j : jobs) j();
  }
};

constexpr std::size_t kOutcomes = static_cast<std::size_t>(Outcome::voicemail) + 1;
/// Longest customer text a listen-in event carries, in bytes.
constexpr std::size_t kListenTextMax = 1024;

}  // namespace

struct DeskCall {
  explicit DeskCall(Session s) : session(std::move(s)) {}
  std::mutex m;
  CallId id = 0;
  Session session;
  std::string supervisor;  // fixed when the call opens
  bool trainee = false;    // supervised by a trainee: escalations wait for their grab
  std::string with;        // the person who has the call
  std::vector<std::shared_ptr<Subscription>> subs;
  // The customer's last words, for assist().
  bool has_last = false;
  Event last;
  std::string last_text;
  // Training: the script's escalation point and the trainee's decision.
  std::optional<Session> shadow;  // the robot's course after an early grab
  bool script_escalated = false, grabbed = false, decided = false;
  bool closed = false;  // ended() has run: out of the table, counted, its hooks queued
  std::uint64_t script_escalated_at = 0, grabbed_at = 0;
};

struct AgentState {
  std::string id;
  AgentOptions options;
  std::uint32_t supervising = 0;
  CallId talking = 0;  // the call this person is on; 0: free
  std::uint64_t calls = 0, escalations = 0, grabs = 0, hand_backs = 0, takes = 0;
  double take_ms = 0;
  std::array<std::uint64_t, kOutcomes> outcomes{};
  TrainingAssessment assessment;
  double offset_sum = 0;
  std::uint64_t offset_n = 0;
};

struct Desk::Impl {
  explicit Impl(DeskOptions o) : opt(std::move(o)) {}

  DeskOptions opt;
  mutable std::mutex m;
  // The table of calls, in shards by id, so threads working on different
  // calls rarely touch the same lock.
  struct Shard {
    mutable std::shared_mutex m;
    std::unordered_map<CallId, std::shared_ptr<DeskCall>> calls;
  };
  static constexpr std::size_t kShards = 16;
  std::array<Shard, kShards> shards;
  Shard& shard(CallId id) noexcept { return shards[id % kShards]; }
  const Shard& shard(CallId id) const noexcept { return shards[id % kShards]; }
  std::map<std::string, AgentState, std::less<>> agents;
  std::set<QueueKey> queue;
  std::unordered_map<CallId, QueueKey> in_queue;
  std::uint64_t seq = 0;
  CallId next_id = 1;
  DeskCounters counters;

  std::shared_ptr<DeskCall> find(CallId id) const {
    const Shard& sh = shard(id);
    std::shared_lock lock(sh.m);
    auto it = sh.calls.find(id);
    return it == sh.calls.end() ? nullptr : it->second;
  }

  AgentState* agent(std::string_view id) {
    auto it = agents.find(id);
    return it == agents.end() ? nullptr : &it->second;
  }

  void unqueue(CallId id) {  // desk lock held
    auto it = in_queue.find(id);
    if (it == in_queue.end()) return;
    queue.erase(it->second);
    in_queue.erase(it);
  }

  void release(std::string_view agent_id, CallId id) {  // desk lock held
    if (AgentState* a = agent(agent_id); a && a->talking == id) a->talking = 0;
  }

  // ---- listen-in ------------------------------------------------------------------

  static void publish(DeskCall& c, ListenEvent e) {
    e.call = c.id;
    for (auto& s : c.subs) s->push(e);
  }

  static void publish_turn(DeskCall& c, const Event* event, const Turn& t, std::uint64_t at) {
    if (c.subs.empty()) return;
    const Script& script = c.session.script();
    if (event) {
      ListenEvent e;
      e.at_ms = at;
      e.node = t.from();
      switch (event->type) {
        case EventType::utterance:
          e.type = ListenEventType::customer_said;
          e.text = t.understanding().invalid_utf8() ? std::string(t.understanding().normalized())
                                                     : std::string(detail::utf8_head(event->text, kListenTextMax));
          if (t.understanding().matched()) e.intent = t.understanding().best().intent;
          publish(c, std::move(e));
          break;
        case EventType::intent:
          e.type = ListenEventType::customer_said;
          e.text = script.intent(event->intent).name;
          e.intent = event->intent;
          publish(c, std::move(e));
          break;
        case EventType::dtmf:
          e.type = ListenEventType::key;
          e.text.assign(1, event->key);
          publish(c, std::move(e));
          break;
        case EventType::no_input:
          e.type = ListenEventType::silence;
          publish(c, std::move(e));
          break;
        default:
          break;
      }
    }
    for (const Action& a : t.actions()) {
      ListenEvent e;
      e.at_ms = at;
      e.node = a.node;
      if (a.type == ActionType::say) {
        e.type = ListenEventType::robot_said;
        e.text = std::string(a.text);
      } else if (a.type == ActionType::escalate) {
        e.type = ListenEventType::escalated;
        e.text = std::string(to_string(a.escalation));
      } else if (a.type == ActionType::end) {
        e.type = ListenEventType::ended;
        e.text = std::string(to_string(c.session.outcome()));
      } else {
        continue;
      }
      publish(c, std::move(e));
    }
  }

  // ---- after each step of a call's session (call lock held) ------------------------

  void after_step(DeskCall& c, const Event* event, Turn& t, std::uint64_t at, bool was_awaiting, Later& later,
                  std::string* assigned) {
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

  /// An escalation from the script: to the supervisor if free, else the queue.
  void route(DeskCall& c, const Action& a, std::uint64_t at, Later& later, std::string* assigned) {
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
  bool join(DeskCall& c, const std::string& who, std::uint64_t at, bool taken, Later& later) {
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

  void shadow_step(DeskCall& c, const Event& e, std::uint64_t at) {
    switch (e.type) {
      case EventType::utterance:
      case EventType::intent:
      case EventType::no_input:
      case EventType::dtmf:
      case EventType::timer:
        break;
      default:
        return;
    }
    Turn t;
    if (is_error(c.shadow->step(e, t))) return;
    for (const Action& a : t.actions())
      if (a.type == ActionType::escalate && !c.decided) {
        // The script would have escalated only now: the grab was early.
        decide(c, GrabVerdict::early, static_cast<std::int64_t>(c.grabbed_at) - static_cast<std::int64_t>(at));
        c.shadow.reset();
        return;
      }
    if (c.shadow->ended()) c.shadow.reset();
  }

  void decide(DeskCall& c, GrabVerdict v, std::int64_t offset) {
    c.decided = true;
    std::lock_guard lock(m);
    AgentState* a = agent(c.supervisor);
    if (!a) return;
    TrainingAssessment& as = a->assessment;
    as.decisions.push_back({c.id, v, offset});
    switch (v) {
      case GrabVerdict::on_time: ++as.on_time; break;
      case GrabVerdict::early: ++as.early; break;
      case GrabVerdict::late: ++as.late; break;
      case GrabVerdict::missed: ++as.missed; break;
      case GrabVerdict::needless: ++as.needless; break;
    }
    if (v == GrabVerdict::on_time || v == GrabVerdict::early || v == GrabVerdict::late) {
      a->offset_sum += static_cast<double>(offset);
      ++a->offset_n;
      as.mean_offset_ms = a->offset_sum / static_cast<double>(a->offset_n);
    }
  }

  /// The call is over (call lock held).
  void ended(DeskCall& c, std::uint64_t at, Later& later) {
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
    if (opt.on_call_ended) later([this, id = c.id, r = c.session.result()] { opt.on_call_ended(id, r); });
  }

  /// Give the head of the queue to a free agent (auto-assignment).
  void assign_next(const std::string& who, std::uint64_t at) {
    Turn t;
    take(who, at, t, nullptr, /*automatic=*/true);
  }

  DeskStatus take(std::string_view who, std::uint64_t at, Turn& t, CallId* out, bool automatic) {
    Later later;  // for calls that end instead of being taken
    const DeskStatus status = take_head(who, at, t, out, automatic, later);
    later.run();
    return status;
  }

  DeskStatus take_head(std::string_view who, std::uint64_t at, Turn& t, CallId* out, bool automatic, Later& later) {
    for (;;) {
      CallId id = 0;
      {
        std::lock_guard lock(m);
        AgentState* a = agent(who);
        if (!a) return DeskStatus::unknown_agent;
        if (a->talking) return DeskStatus::agent_busy;
        if ((a->options.trainee || !a->options.auto_answer) && automatic) return DeskStatus::queue_empty;
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
};

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

Desk::Opened Desk::open_call(std::shared_ptr<const Script> script, std::span<const VariableValue> variables,
                             std::string_view agent, SessionOptions options) {
  Opened out;
  Started started = Session::start(std::move(script), variables, options);
  if (!started.ok()) {
    out.status = DeskStatus::bad_script;
    out.error = std::move(started.error);
    return out;
  }
  auto call = std::make_shared<DeskCall>(std::move(*started.session));
  std::unique_lock lock(impl_->m);
  AgentState* chosen = nullptr;
  if (!agent.empty()) {
    chosen = impl_->agent(agent);
    if (!chosen) {
      out.status = DeskStatus::unknown_agent;
      return out;
    }
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
  if (!chosen) {
    out.status = DeskStatus::no_capacity;
    return out;
  }
  call->id = impl_->next_id++;
  call->supervisor = chosen->id;
  call->trainee = chosen->options.trainee;
  ++chosen->supervising;
  ++chosen->calls;
  ++impl_->counters.calls_opened;
  out.id = call->id;
  out.agent = chosen->id;
  lock.unlock();
  Impl::Shard& sh = impl_->shard(out.id);
  std::unique_lock table(sh.m);
  sh.calls.emplace(out.id, std::move(call));
  return out;
}

DeskStatus Desk::step(CallId id, const Event& event, Turn& turn, std::string* assigned) {
  if (event.type == EventType::agent_joined || event.type == EventType::agent_left)
    return DeskStatus::not_with_agent;  // people come and go through grab / take_next / hand_back / finish
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
      c->last_text.assign(detail::utf8_head(event.text, Normalizer::kMaxBytes));  // all the matcher reads
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
      if (c->trainee && !c->script_escalated) c->shadow = c->session;  // the robot's course, for assessment
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
            const auto offset = static_cast<std::int64_t>(at_ms) - static_cast<std::int64_t>(c->script_escalated_at);
            impl_->decide(*c, offset <= static_cast<std::int64_t>(impl_->opt.on_time_ms) ? GrabVerdict::on_time
                                                                                         : GrabVerdict::late,
                          offset);
          }
        }
        Impl::publish(*c, ListenEvent{0, ListenEventType::joined, at_ms, {}, std::string(agent), c->session.node(),
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

DeskStatus Desk::take_next(std::string_view agent, std::uint64_t at_ms, Turn& turn, CallId* call) {
  return impl_->take(agent, at_ms, turn, call, /*automatic=*/false);
}

DeskStatus Desk::hand_back(std::string_view agent, CallId id, NodeId node, std::uint64_t at_ms, Turn& turn) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return DeskStatus::unknown_call;
  Later later;
  {
    std::lock_guard lock(c->m);
    if (c->with != agent) return DeskStatus::not_with_agent;
    if (node >= c->session.script().nodes().size()) return DeskStatus::unknown_node;
    if (is_error(c->session.step(Event::agent_left(at_ms, node), turn))) return DeskStatus::session_error;
    c->with.clear();
    c->shadow.reset();
    {
      std::lock_guard lock(impl_->m);
      if (AgentState* a = impl_->agent(agent)) {
        ++a->hand_backs;
        if (a->talking == id) a->talking = 0;
      }
    }
    Impl::publish(*c, ListenEvent{0, ListenEventType::handed_back, at_ms, {}, std::string(agent), node, kNone});
    impl_->after_step(*c, nullptr, turn, at_ms, false, later, nullptr);
    if (impl_->opt.auto_assign)
      later([this, who = std::string(agent), at_ms] { impl_->assign_next(who, at_ms); });
  }
  later.run();
  return DeskStatus::ok;
}

DeskStatus Desk::finish(std::string_view agent, CallId id, std::uint64_t at_ms, Turn& turn, HangupReason reason) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return DeskStatus::unknown_call;
  Later later;
  {
    std::lock_guard lock(c->m);
    if (c->with != agent) return DeskStatus::not_with_agent;
    if (is_error(c->session.step(Event::agent_left(at_ms, kNone, reason), turn))) return DeskStatus::session_error;
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
  out.heard = e.type == EventType::utterance ? c->last_text : c->session.script().intent(e.intent).name;
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

std::shared_ptr<Subscription> Desk::listen(CallId id) { return listen(id, impl_->opt.listen_buffer); }

std::shared_ptr<Subscription> Desk::listen(CallId id, std::size_t buffer) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return nullptr;
  auto sub = std::make_shared<Subscription>(buffer);
  std::lock_guard lock(c->m);
  c->subs.push_back(sub);
  return sub;
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

std::vector<CallId> Desk::queue() const {
  std::lock_guard lock(impl_->m);
  std::vector<CallId> out;
  out.reserve(impl_->queue.size());
  for (const QueueKey& k : impl_->queue) out.push_back(k.call);
  return out;
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

std::optional<TrainingAssessment> Desk::assessment(std::string_view trainee) const {
  std::lock_guard lock(impl_->m);
  auto it = impl_->agents.find(trainee);
  if (it == impl_->agents.end() || !it->second.options.trainee) return std::nullopt;
  return it->second.assessment;
}

}  // namespace patter
