// A campaign on a simulated clock (patter/tooling/campaign.hpp): the clock,
// the robots, their customers and their calls. People are in
// campaign_people.cpp; what both share in campaign_impl.hpp.
#include <fmt/format.h>

#include "campaign_impl.hpp"

namespace patter {

using namespace campaign_detail;

void Campaign::Impl::add_people() {
  const std::size_t width =
      std::max<std::size_t>(2, std::to_string(std::max(opt_.agents, opt_.trainees)).size());
  for (std::uint32_t p = 0; p < opt_.agents + opt_.trainees; ++p) {
    const bool trainee = p >= opt_.agents;
    Person& person = people_.emplace_back();
    person.name = fmt::format("{}{:0{}}", trainee ? "trainee" : "agent",
                              trainee ? p - opt_.agents + 1 : p + 1, width);
    person.trainee = trainee;
    quotas_.push_back({0, trainee ? 0 : UINT64_MAX});
    desk_.add_agent(person.name, {.capacity = robots_each(),
                                  .skills = {},
                                  .trainee = trainee,
                                  .auto_answer = opt_.desk_assigns});
    for (std::uint32_t r = 0; r < robots_each(); ++r) {
      const auto i = static_cast<std::uint32_t>(robots_.size());
      robots_.push_back({.person = p, .number = r + 1, .call = 0, .busy = false, .persona = {}});
      slots_.emplace_back();
      if (!trainee) push(std::uint64_t{i} * 700, Ev::dial, i);  // robots start a little apart
    }
  }
  if (!opt_.desk_assigns) push(1000, Ev::tick, 0);
}

DeskOptions Campaign::Impl::desk_options() {
  DeskOptions d;
  d.auto_assign = opt_.desk_assigns;
  d.on_assigned = [this](std::string_view agent, CallId id) {
    assigned_.emplace_back(std::string(agent), id);
  };
  d.on_call_ended = [this](CallId id, const CallResult& r) { ended_.emplace_back(id, r); };
  return d;
}

PacingOptions Campaign::Impl::pacing_options() const {
  PacingOptions p = opt_.pacing_options;
  const Hold& hold = script_->hold();
  p.hold_timeout_ms = std::uint64_t{hold.timeout_s} * 1000;
  return p;
}

EscalationOddsOptions Campaign::Impl::odds_options() const {
  EscalationOddsOptions o;
  o.nodes = static_cast<std::uint32_t>(std::clamp<std::size_t>(script_->nodes().size(), 1, 65536));
  o.half_life_ms = opt_.pacing_options.half_life_ms;
  return o;
}

PacingNow Campaign::Impl::pacing_now() {
  PacingNow n;
  n.at_ms = now_;
  for (const Person& p : people_) {
    if (p.trainee) continue;
    ++n.people;
    n.talking += p.talking != 0;
  }
  talked_.clear();
  ages_.clear();
  chances_.clear();
  escalate_in_.clear();
  for (std::uint32_t i = 0; i < slots_.size(); ++i) {
    if (people_[robots_[i].person].trainee) continue;
    const Slot& s = slots_[i];
    n.waiting += s.state == State::holding;
    if (s.state == State::ringing || s.state == State::robot) {
      ++n.dialling;
      ages_.push_back(now_ - s.dialed);
      // Where the call is says more than its age; before it is at a node,
      // its age says how soon.
      if (opt_.pacing_odds) {
        chances_.push_back(static_cast<float>(odds_.chance(s.node, s.score)));
        escalate_in_.push_back(s.node == kNone
                                   ? -1.0f
                                   : static_cast<float>(odds_.escalate_in_ms(
                                         s.node, s.score, now_ - s.trail.now_since_ms)));
      }
    }
    if (s.state == State::person && s.with != kNobody && !people_[s.with].trainee)
      talked_.push_back(now_ - s.joined_at);
  }
  if (talked_.size() == n.talking) n.talked_ms = talked_;
  n.dialled_ms = ages_;
  n.chances = chances_;
  n.escalate_in_ms = escalate_in_;
  return n;
}

bool Campaign::Impl::paced(std::uint32_t i) {
  if (!opt_.pacing || people_[robots_[i].person].trainee) return false;
  const PacingAdvice a = pacing_.advise(pacing_now());
  if (!a.hold) return false;
  push(now_ + a.hold_ms, Ev::dial, i);
  if (std::find(held_.begin(), held_.end(), i) == held_.end()) held_.push_back(i);
  return true;
}

// A person is free: the robots holding their dial ask again now, as a dialer
// told of the desk's events would, rather than idling out their hold.
void Campaign::Impl::wake_held() {
  for (std::uint32_t i : held_) push(now_, Ev::dial, i);
  held_.clear();
}

void Campaign::Impl::push(std::uint64_t at, Ev kind, std::uint32_t slot) {
  const std::uint32_t gen = slot >= slots_.size()     ? 0
                            : kind == Ev::person_done ? slots_[slot].person_gen
                                                      : slots_[slot].gen;
  queue_.push({at, seq_++, kind, slot, gen});
}

void Campaign::Impl::step_until(std::uint64_t ms) {
  while (!queue_.empty() && queue_.top().at <= ms) {
    const Pending p = queue_.top();
    queue_.pop();
    now_ = std::max(now_, p.at);
    handle(p);
  }
  now_ = std::max(now_, ms == UINT64_MAX ? now_ : ms);
}

void Campaign::Impl::handle(const Pending& p) {
  if (p.kind == Ev::tick) return tick();
  if (p.kind == Ev::dial) return dial(p.slot);
  const Slot& s = slots_[p.slot];
  if (p.gen != (p.kind == Ev::person_done ? s.person_gen : s.gen)) return;  // overtaken
  switch (p.kind) {
    case Ev::ring_end: ring_end(p.slot); break;
    case Ev::customer: customer(p.slot); break;
    case Ev::patience: step(p.slot, Event::customer_hangup(now_)); break;
    case Ev::person_done: person_done(p.slot); break;
    case Ev::fetched: fetched(p.slot); break;
    default: break;
  }
}

bool Campaign::Impl::may_dial(std::uint32_t i) {
  if (opt_.calls && dialed_ >= opt_.calls) return false;  // the campaign is done
  Quota& q = quotas_[robots_[i].person];
  if (slots_[i].state != State::idle || q.dialed >= q.limit) return false;
  if (paced(i)) return false;
  ++q.dialed;
  return true;
}

void Campaign::Impl::dial(std::uint32_t i) {
  if (!may_dial(i)) return;
  ++dialed_;
  const Persona& p = customers_.persona(rng_.uniform());
  const double u = rng_.uniform();
  const Pickup pickup = u < p.answer                 ? Pickup::answer
                        : u < p.answer + p.voicemail ? Pickup::voicemail
                                                     : Pickup::ring_out;
  vars_.clear();
  for (const auto& [name, values] : set_.variables)
    if (!values.empty()) vars_.emplace_back(name, values[rng_.below(values.size())]);
  const bool transcript = pickup == Pickup::answer && kept_ < opt_.transcripts;
  kept_ += transcript;
  SessionOptions so;
  so.transcript = transcript ? 200 : 0;
  // Each call its own A/B key, as a dialer would pass a lead id: the split
  // follows the script's weights, the same for the same seed.
  const std::string variant_key = fmt::format("sim-{}-{}", opt_.seed, dialed_);
  so.variant_key = variant_key;
  Robot& robot = robots_[i];
  const Desk::Opened opened = desk_.open_call(script_, vars_, people_[robot.person].name, so);
  if (!opened.ok()) {
    ++counters_.errors;
    if (opt_.retry_ms) push(now_ + opt_.retry_ms, Ev::dial, i);
    return;
  }
  ++counters_.dialed;
  Slot& s = reset(i);
  s.state = State::ringing;
  s.persona = &p;
  s.pickup = pickup;
  s.transcript = transcript;
  s.dialed = now_;
  robot.call = opened->id;
  robot.busy = true;
  robot.persona = p.name;
  by_call_[opened->id] = i;
  if (obs_.on_dialed) obs_.on_dialed(opened->id, i);
  push(now_ + (pickup == Pickup::ring_out ? 30000 : rng_.between(p.ring_ms.min, p.ring_ms.max)),
       Ev::ring_end, i);
}

// A fresh slot for robot `i`: what was planned for its last call is overtaken.
Slot& Campaign::Impl::reset(std::uint32_t i) {
  Slot& s = slots_[i];
  const std::uint32_t gen = s.gen + 1, person_gen = s.person_gen + 1;
  s = Slot{};
  s.gen = gen;
  s.person_gen = person_gen;
  return s;
}

void Campaign::Impl::ring_end(std::uint32_t i) {
  switch (slots_[i].pickup) {
    case Pickup::answer:
      slots_[i].state = State::robot;
      step(i, Event::answered(now_));
      break;
    case Pickup::voicemail: step(i, Event::voicemail(now_)); break;
    case Pickup::ring_out: step(i, Event::customer_hangup(now_)); break;
  }
}

// The customer does what was decided when the robot (or the person) stopped talking.
void Campaign::Impl::customer(std::uint32_t i) {
  const CustomerReply& r = slots_[i].next;
  using Kind = PersonaChoice::Kind;
  if (slots_[i].state == State::person) {
    // A person has the call: the customer talks to them; silence and keys
    // are no events then (the person hears them on the line).
    if (r.choice.kind == Kind::hangup)
      step(i, Event::customer_hangup(now_));
    else if (r.choice.kind == Kind::intent || r.choice.kind == Kind::unclear)
      step(i, Event::utterance(r.words, now_));
    return;
  }
  switch (r.choice.kind) {
    case Kind::silence: step(i, Event::no_input(now_)); break;
    case Kind::hangup: step(i, Event::customer_hangup(now_)); break;
    case Kind::key: step(i, Event::dtmf(r.choice.key, now_)); break;
    default: step(i, Event::utterance(r.words, now_)); break;
  }
}

// What the customer will do at node `n`, and when.
void Campaign::Impl::plan_reply(std::uint32_t i, NodeId n, std::uint64_t line_end,
                                std::uint32_t listen_ms) {
  Slot& s = slots_[i];
  s.next = customers_.reply(rng_, *s.persona, n, listen_ms, opt_.wide_char_ms, opt_.narrow_char_ms);
  ++s.gen;
  push(line_end + s.next.after_ms, Ev::customer, i);
}

void Campaign::Impl::step(std::uint32_t i, const Event& e) {
  const CallId id = robots_[i].call;
  const DeskStatus st = desk_.step(id, e, turn_);
  if (st != DeskStatus::ok) {
    ++counters_.errors;
    if (!settle(i)) {  // give up on the call, not on the campaign
      if (desk_.step(id, Event::customer_hangup(std::max(now_, e.at_ms)), turn_) !=
              DeskStatus::ok ||
          !settle(i))
        drop(i);
    }
    return;
  }
  after(i, turn_);
}

Campaign::Impl::Lines Campaign::Impl::read(const Turn& t) const {
  Lines l{now_};
  for (const Action& a : t.actions()) {
    switch (a.type) {
      case ActionType::say: l.end += speaking_ms(a.text); break;
      case ActionType::listen:
        l.listen_at = a.node;
        l.listen_ms = a.timeout_ms;
        break;
      case ActionType::escalate: l.escalate = true; break;
      case ActionType::end: l.end_call = true; break;
      case ActionType::fetch: l.fetch = &a; break;
      default: break;
    }
  }
  return l;
}

// Carry out a turn's actions: the clock of the lines, the next reply, the hold.
void Campaign::Impl::after(std::uint32_t i, const Turn& t) {
  // The simulator has no classifier: it answers `understand` with none.
  for (const Action& a : t.actions())
    if (a.type == ActionType::understand) return step(i, Event::not_understood(now_));
  Slot& s = slots_[i];
  if (opt_.pacing && opt_.pacing_odds && s.state == State::robot) {
    if (const auto info = desk_.call(robots_[i].call)) {
      s.node = info->node;
      s.score = info->score;
      odds_.visit(s.trail, s.node, s.score, now_);
    }
  }
  const Lines l = read(t);
  line_end_ = l.end;
  if (l.escalate && !l.end_call && s.state == State::robot) hold(s);
  changed(i);
  if (settle(i) || l.end_call) return;
  if (l.fetch) return plan_fetch(i, *l.fetch, l.end);
  if (s.state == State::holding && l.listen_at == kNone && l.escalate) {
    ++s.gen;
    push(l.end + rng_.between(s.persona->patience_ms.min, s.persona->patience_ms.max), Ev::patience,
         i);
  } else if (l.listen_at != kNone && (s.state == State::robot || s.state == State::holding)) {
    // The robot listens again: the hold gave up, back to the script; or,
    // with `while_waiting: script`, it talks on while the call still waits.
    if (s.state == State::holding && !l.escalate && !waiting(robots_[i].call)) leave_hold(s);
    plan_reply(i, l.listen_at, l.end, l.listen_ms);
    maybe_grab(i);
  }
}

void Campaign::Impl::plan_fetch(std::uint32_t i, const Action& fetch, std::uint64_t line_end) {
  Slot& s = slots_[i];
  s.fetch = fetch.fetch;
  s.answer = nullptr;
  for (const auto& [name, answers] : set_.fetches) {
    if (name != fetch.text || answers.empty()) continue;
    double total = 0;
    for (const FetchAnswer& a : answers) total += a.share;
    double u = rng_.uniform() * total;
    s.answer = &answers.back();
    for (const FetchAnswer& a : answers) {
      if (u < a.share) {
        s.answer = &a;
        break;
      }
      u -= a.share;
    }
  }
  // The session waits from this turn's time until its deadline; an answer
  // comes once the robot has said its line ("let me check"), in time.
  const std::uint64_t deadline = now_ + fetch.timeout_ms;
  const bool answers = s.answer && s.answer->kind != FetchAnswer::Kind::timeout;
  ++s.gen;  // whatever was planned for the customer is overtaken
  push(answers ? std::min(line_end, deadline - 1) : deadline, Ev::fetched, i);
}

void Campaign::Impl::fetched(std::uint32_t i) {
  const Slot& s = slots_[i];
  if (!s.answer || s.answer->kind == FetchAnswer::Kind::timeout) return step(i, Event::timer(now_));
  if (s.answer->kind == FetchAnswer::Kind::failed)
    return step(i, Event::fetch_failed(s.fetch, now_));
  found_.clear();
  for (const auto& [name, value] : s.answer->values) found_.emplace_back(name, value);
  step(i, Event::data(s.fetch, found_, now_));
}

void Campaign::Impl::hold(Slot& s) {
  s.state = State::holding;
  s.escalated_at = now_;
  ++counters_.escalations;
  pacing_.escalated(now_, now_ - s.dialed);
  odds_.escalated(now_, s.trail);
  if (!opt_.desk_assigns) s.react_at = now_ + rng_.between(opt_.react_ms.min, opt_.react_ms.max);
  ++holding_;
  if (holding_ == 1 && opt_.desk_assigns) push(now_ + 1000, Ev::tick, 0);
}

bool Campaign::Impl::waiting(CallId id) const {
  const auto info = desk_.call(id);
  return info && info->escalated_at_ms != 0 && info->with.empty();
}

void Campaign::Impl::leave_hold(Slot& s, bool taken) {
  if (s.state != State::holding) return;
  s.wait = now_ - s.escalated_at;
  if (taken)
    pacing_.taken(now_, *s.wait);
  else
    pacing_.abandoned(now_, *s.wait);
  s.state = State::robot;
  --holding_;
}

// Assignments and ended calls the desk reported during the last call into it.
// Returns true when robot `i`'s call was among them (nothing more to plan).
bool Campaign::Impl::settle(std::uint32_t i) {
  bool mine = false;
  while (!assigned_.empty() || !ended_.empty()) {
    auto assigned = std::move(assigned_);
    assigned_.clear();
    for (const auto& [agent, id] : assigned) {
      const auto it = by_call_.find(id);
      if (it == by_call_.end()) continue;
      mine = mine || it->second == i;
      joined(it->second, person_index(agent), false);
    }
    auto ended = std::move(ended_);
    ended_.clear();
    for (auto& [id, r] : ended) {
      const auto it = by_call_.find(id);
      if (it == by_call_.end()) continue;
      mine = mine || it->second == i;
      finished(it->second, r);
    }
  }
  return mine;
}

void Campaign::Impl::finished(std::uint32_t i, CallResult& r) {
  Slot& s = slots_[i];
  Robot& robot = robots_[i];
  leave_hold(s);
  if (s.state == State::person && s.person_ms == 0) s.person_ms = now_ - s.joined_at;
  if (s.person_ms) pacing_.talk_ended(now_, s.person_ms);
  if (s.escalated_at == 0 && !s.wait) {
    pacing_.call_ended(now_, (s.grabbed ? s.joined_at : now_) - s.dialed);
    // A grabbed call was taken before it could escalate: whether it would
    // have is unknown, so the odds learn nothing from it.
    if (!s.grabbed) odds_.ended(now_, s.trail);
  }
  if (s.with != kNobody && people_[s.with].talking == robot.call) people_[s.with].talking = 0;
  if (s.with != kNobody) wake_held();
  CallContext c;
  c.has_context = true;
  c.persona = s.persona->name;
  if (s.with != kNobody) c.agent = people_[s.with].name;
  c.dialed_ms = s.dialed;
  c.ended_ms = now_;
  c.wait_ms = s.wait;
  c.taken = s.taken;
  c.grabbed = s.grabbed;
  c.person_ms = s.person_ms;
  if (!people_[robot.person].trainee) stats_.add(r, c);
  ++counters_.ended;
  last_end_ = std::max(last_end_, now_);
  by_call_.erase(robot.call);
  robot.busy = false;
  if (obs_.on_ended) obs_.on_ended(robot.call, r, c, i);
  if (s.transcript) keep(r, c);
  reset(i);
  push(std::max(now_, line_end_) + opt_.redial_ms, Ev::dial, i);
}

void Campaign::Impl::keep(CallResult& r, const CallContext& c) {
  SimulatedTranscript& t = transcripts_.emplace_back();
  t.persona = std::string(c.persona);
  t.agent = std::string(c.agent);
  t.result = std::move(r);
  t.context = c;
  t.context.persona = t.persona;
  t.context.agent = t.agent;
}

void Campaign::Impl::drop(std::uint32_t i) {
  Slot& s = slots_[i];
  Robot& robot = robots_[i];
  leave_hold(s);
  by_call_.erase(robot.call);
  if (s.with != kNobody && people_[s.with].talking == robot.call) people_[s.with].talking = 0;
  robot.busy = false;
  reset(i);
  push(now_ + opt_.redial_ms, Ev::dial, i);
}

Campaign::Campaign(std::shared_ptr<const Script> script, const PersonaSet& personas,
                   CampaignOptions options)
    : impl_(std::make_unique<Impl>(std::move(script), personas, options)) {
  if (impl_->valid()) impl_->add_people();
}

Campaign::~Campaign() = default;

CampaignObservers& Campaign::observers() noexcept {
  return impl_->obs_;
}

std::optional<std::uint64_t> Campaign::next_event_time() const {
  if (impl_->queue_.empty()) return std::nullopt;
  return impl_->queue_.top().at;
}

void Campaign::step_until(std::uint64_t ms) {
  impl_->step_until(ms);
}
std::uint64_t Campaign::now() const noexcept {
  return impl_->now_;
}
const std::vector<Campaign::Person>& Campaign::people() const noexcept {
  return impl_->people_;
}
const std::vector<Campaign::Robot>& Campaign::robots() const noexcept {
  return impl_->robots_;
}
Desk& Campaign::desk() noexcept {
  return impl_->desk_;
}
const Desk& Campaign::desk() const noexcept {
  return impl_->desk_;
}
const CustomerModel& Campaign::customers() const noexcept {
  return impl_->customers_;
}
CampaignCounters Campaign::counters() const noexcept {
  return impl_->counters_;
}
StatsReport Campaign::report() const {
  return impl_->stats_.report();
}
std::vector<SimulatedTranscript> Campaign::take_transcripts() {
  return std::move(impl_->transcripts_);
}
std::uint64_t Campaign::last_end() const noexcept {
  return impl_->last_end_;
}

}  // namespace patter
