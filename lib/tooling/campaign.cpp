// A campaign on a simulated clock (patter/tooling/campaign.hpp).
//
// One random stream, one queue of events ordered by time and arrival: the
// same seed gives the same campaign, call for call. Each robot dials, runs
// one call through the desk, and dials again; simulated people are the
// events that take and finish calls, and the host's calls act for real ones.
#include "patter/tooling/campaign.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <queue>
#include <unordered_map>

namespace patter {
namespace {

// splitmix64: small, fast, and the same on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(next() % n) : 0; }
  std::uint64_t in(MsRange r) {
    return r.max > r.min ? r.min + next() % (r.max - r.min + 1) : r.min;
  }

 private:
  std::uint64_t s_;
};

enum class Ev : std::uint8_t { dial, ring_end, customer, patience, person_done, tick };

struct Pending {
  std::uint64_t at, seq;
  Ev kind;
  std::uint32_t slot, gen;
  bool operator>(const Pending& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

enum class Pickup : std::uint8_t { answer, voicemail, ring_out };
enum class State : std::uint8_t { idle, ringing, robot, holding, person };
constexpr std::uint32_t kNobody = UINT32_MAX;

// A robot's call, beside what `Campaign::Robot` shows of it.
struct Slot {
  State state = State::idle;
  std::uint32_t gen = 0;         // customer events (replies, patience)
  std::uint32_t person_gen = 0;  // a simulated person's end of talk
  const Persona* persona = nullptr;
  Pickup pickup = Pickup::answer;
  bool transcript = false;
  std::uint64_t dialed = 0, escalated_at = 0, joined_at = 0, react_at = 0;
  std::optional<std::uint64_t> wait;
  bool taken = false, grabbed = false;
  std::uint32_t with = kNobody;  // the person talking on it
  std::uint64_t person_ms = 0;
  CustomerReply next;  // the customer's next move
};

struct Quota {
  std::uint64_t dialed = 0, limit = 0;
};

}  // namespace

struct Campaign::Impl {
  Impl(std::shared_ptr<const Script> script, const PersonaSet& personas, const CampaignOptions& opt)
      : script_(std::move(script)),
        set_(personas),
        opt_(opt),
        customers_(*script_, set_),
        rng_(opt.seed),
        stats_(script_, opt.stats),
        desk_(desk_options()) {}

  // ---- set-up ----------------------------------------------------------------------

  bool valid() const {
    return opt_.agents + opt_.trainees > 0 && opt_.robots_per_agent > 0 && !set_.personas.empty();
  }

  void add_people() {
    const std::size_t width =
        std::max<std::size_t>(2, std::to_string(std::max(opt_.agents, opt_.trainees)).size());
    for (std::uint32_t p = 0; p < opt_.agents + opt_.trainees; ++p) {
      const bool trainee = p >= opt_.agents;
      Person& person = people_.emplace_back();
      person.name = fmt::format("{}{:0{}}", trainee ? "trainee" : "agent",
                                trainee ? p - opt_.agents + 1 : p + 1, width);
      person.trainee = trainee;
      quotas_.push_back({0, trainee ? 0 : UINT64_MAX});
      desk_.add_agent(person.name, {.capacity = opt_.robots_per_agent,
                                    .skills = {},
                                    .trainee = trainee,
                                    .auto_answer = opt_.desk_assigns});
      for (std::uint32_t r = 0; r < opt_.robots_per_agent; ++r) {
        const auto i = static_cast<std::uint32_t>(robots_.size());
        robots_.push_back({.person = p, .number = r + 1, .call = 0, .busy = false, .persona = {}});
        slots_.emplace_back();
        if (!trainee) push(std::uint64_t{i} * 700, Ev::dial, i);  // robots start a little apart
      }
    }
    if (!opt_.desk_assigns) push(1000, Ev::tick, 0);
  }

  DeskOptions desk_options() {
    DeskOptions d;
    d.auto_assign = opt_.desk_assigns;
    d.on_assigned = [this](std::string_view agent, CallId id) {
      assigned_.emplace_back(std::string(agent), id);
    };
    d.on_call_ended = [this](CallId id, const CallResult& r) { ended_.emplace_back(id, r); };
    return d;
  }

  // ---- the clock -------------------------------------------------------------------

  void push(std::uint64_t at, Ev kind, std::uint32_t slot) {
    const std::uint32_t gen = slot >= slots_.size()     ? 0
                              : kind == Ev::person_done ? slots_[slot].person_gen
                                                        : slots_[slot].gen;
    queue_.push({at, seq_++, kind, slot, gen});
  }

  void step_until(std::uint64_t ms) {
    while (!queue_.empty() && queue_.top().at <= ms) {
      const Pending p = queue_.top();
      queue_.pop();
      now_ = std::max(now_, p.at);
      handle(p);
    }
    now_ = std::max(now_, ms == UINT64_MAX ? now_ : ms);
  }

  void handle(const Pending& p) {
    if (p.kind == Ev::tick) return tick();
    if (p.kind == Ev::dial) return dial(p.slot);
    const Slot& s = slots_[p.slot];
    if (p.gen != (p.kind == Ev::person_done ? s.person_gen : s.gen)) return;  // overtaken
    switch (p.kind) {
      case Ev::ring_end:
        ring_end(p.slot);
        break;
      case Ev::customer:
        customer(p.slot);
        break;
      case Ev::patience:
        step(p.slot, Event::customer_hangup(now_));
        break;
      case Ev::person_done:
        person_done(p.slot);
        break;
      default:
        break;
    }
  }

  // ---- robots and customers --------------------------------------------------------

  bool may_dial(std::uint32_t i) {
    if (opt_.calls && dialed_ >= opt_.calls) return false;  // the campaign is done
    Quota& q = quotas_[robots_[i].person];
    if (slots_[i].state != State::idle || q.dialed >= q.limit) return false;
    ++q.dialed;
    return true;
  }

  void dial(std::uint32_t i) {
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
    robot.call = opened.id;
    robot.busy = true;
    robot.persona = p.name;
    by_call_[opened.id] = i;
    if (obs_.on_dialed) obs_.on_dialed(opened.id, i);
    push(now_ + (pickup == Pickup::ring_out ? 30000 : rng_.in(p.ring_ms)), Ev::ring_end, i);
  }

  // A fresh slot for robot `i`: what was planned for its last call is overtaken.
  Slot& reset(std::uint32_t i) {
    Slot& s = slots_[i];
    const std::uint32_t gen = s.gen + 1, person_gen = s.person_gen + 1;
    s = Slot{};
    s.gen = gen;
    s.person_gen = person_gen;
    return s;
  }

  void ring_end(std::uint32_t i) {
    switch (slots_[i].pickup) {
      case Pickup::answer:
        slots_[i].state = State::robot;
        step(i, Event::answered(now_));
        break;
      case Pickup::voicemail:
        step(i, Event::voicemail(now_));
        break;
      case Pickup::ring_out:
        step(i, Event::customer_hangup(now_));
        break;
    }
  }

  // The customer does what was decided when the robot (or the person) stopped talking.
  void customer(std::uint32_t i) {
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
      case Kind::silence:
        step(i, Event::no_input(now_));
        break;
      case Kind::hangup:
        step(i, Event::customer_hangup(now_));
        break;
      case Kind::key:
        step(i, Event::dtmf(r.choice.key, now_));
        break;
      default:
        step(i, Event::utterance(r.words, now_));
        break;
    }
  }

  // What the customer will do at node `n`, and when.
  void plan_reply(std::uint32_t i, NodeId n, std::uint64_t line_end, std::uint32_t listen_ms) {
    Slot& s = slots_[i];
    s.next =
        customers_.reply(rng_, *s.persona, n, listen_ms, opt_.wide_char_ms, opt_.narrow_char_ms);
    ++s.gen;
    push(line_end + s.next.after_ms, Ev::customer, i);
  }

  std::uint64_t speaking_ms(std::string_view text) const {
    return CustomerModel::speaking_ms(text, opt_.wide_char_ms, opt_.narrow_char_ms);
  }

  void step(std::uint32_t i, const Event& e) {
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

  struct Lines {
    std::uint64_t end = 0;
    NodeId listen_at = kNone;
    std::uint32_t listen_ms = 0;
    bool escalate = false, end_call = false;
  };

  Lines read(const Turn& t) const {
    Lines l{now_};
    for (const Action& a : t.actions()) {
      switch (a.type) {
        case ActionType::say:
          l.end += speaking_ms(a.text);
          break;
        case ActionType::listen:
          l.listen_at = a.node;
          l.listen_ms = a.timeout_ms;
          break;
        case ActionType::escalate:
          l.escalate = true;
          break;
        case ActionType::end:
          l.end_call = true;
          break;
        default:
          break;
      }
    }
    return l;
  }

  // Carry out a turn's actions: the clock of the lines, the next reply, the hold.
  void after(std::uint32_t i, const Turn& t) {
    // The simulator has no classifier: it answers `understand` with none.
    for (const Action& a : t.actions())
      if (a.type == ActionType::understand) return step(i, Event::not_understood(now_));
    Slot& s = slots_[i];
    const Lines l = read(t);
    line_end_ = l.end;
    if (l.escalate && !l.end_call && s.state == State::robot) hold(s);
    changed(i);
    if (settle(i) || l.end_call) return;
    if (s.state == State::holding && l.listen_at == kNone && l.escalate) {
      ++s.gen;
      push(l.end + rng_.in(s.persona->patience_ms), Ev::patience, i);
    } else if (l.listen_at != kNone && (s.state == State::robot || s.state == State::holding)) {
      // The hold gave up: back to the script (unless people still see it waiting).
      if (s.state == State::holding && !l.escalate &&
          (opt_.desk_assigns || !waiting(robots_[i].call)))
        leave_hold(s);
      plan_reply(i, l.listen_at, l.end, l.listen_ms);
      maybe_grab(i);
    }
  }

  void hold(Slot& s) {
    s.state = State::holding;
    s.escalated_at = now_;
    ++counters_.escalations;
    if (!opt_.desk_assigns) s.react_at = now_ + rng_.in(opt_.react_ms);
    ++holding_;
    if (holding_ == 1 && opt_.desk_assigns) push(now_ + 1000, Ev::tick, 0);
  }

  bool waiting(CallId id) const {
    const auto info = desk_.call(id);
    return info && info->escalated_at_ms != 0 && info->with.empty();
  }

  void leave_hold(Slot& s) {
    if (s.state != State::holding) return;
    s.wait = now_ - s.escalated_at;
    s.state = State::robot;
    --holding_;
  }

  void changed(std::uint32_t i) {
    if (obs_.on_changed) obs_.on_changed(robots_[i].call);
  }

  // Assignments and ended calls the desk reported during the last call into it.
  // Returns true when robot `i`'s call was among them (nothing more to plan).
  bool settle(std::uint32_t i) {
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

  // ---- people ----------------------------------------------------------------------

  std::uint32_t person_index(std::string_view name) const {
    for (std::uint32_t p = 0; p < people_.size(); ++p)
      if (people_[p].name == name) return p;
    return kNobody;
  }

  /// Person `p` is on robot `i`'s call now (an assignment, a grab or a take).
  void joined(std::uint32_t i, std::uint32_t p, bool grabbed) {
    Slot& s = slots_[i];
    if (s.state == State::holding) {
      leave_hold(s);
      s.taken = true;
    }
    s.state = State::person;
    s.grabbed = grabbed;
    s.with = p;
    s.joined_at = now_;
    people_[p].talking = robots_[i].call;
    ++counters_.taken;
    ++s.gen;  // the customer no longer answers the robot, nor hangs up on hold
    ++s.person_gen;
    if (people_[p].present)  // the customer waits for the person to speak, for a while
      push(now_ + rng_.in(s.persona->patience_ms), Ev::patience, i);
    else
      push(std::max(now_, line_end_) + rng_.in(opt_.handle_ms), Ev::person_done, i);
    changed(i);
  }

  // A free simulated person at a robot of theirs: grab a promising call.
  void maybe_grab(std::uint32_t i) {
    if (opt_.grab_score <= 0) return;
    const std::uint32_t p = robots_[i].person;
    if (people_[p].talking || people_[p].present) return;
    const CallId id = robots_[i].call;
    const auto info = desk_.call(id);
    if (!info || info->score < opt_.grab_score) return;
    Turn t;
    if (desk_.grab(people_[p].name, id, now_, t) != DeskStatus::ok) return;
    joined(i, p, true);
    settle(i);
  }

  void person_done(std::uint32_t i) {
    Slot& s = slots_[i];
    if (s.state != State::person || s.with == kNobody) return;
    const bool sold = rng_.uniform() < s.persona->buys;
    Person& person = people_[s.with];
    s.person_ms = now_ - s.joined_at;
    person.talking = 0;
    if (desk_.finish(person.name, robots_[i].call, now_, turn_,
                     sold ? HangupReason::completed : HangupReason::not_interested) !=
        DeskStatus::ok) {
      ++counters_.errors;
      drop(i);
    }
    settle(i);
  }

  void finished(std::uint32_t i, CallResult& r) {
    Slot& s = slots_[i];
    Robot& robot = robots_[i];
    leave_hold(s);
    if (s.state == State::person && s.person_ms == 0) s.person_ms = now_ - s.joined_at;
    if (s.with != kNobody && people_[s.with].talking == robot.call) people_[s.with].talking = 0;
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

  void keep(CallResult& r, const CallContext& c) {
    SimulatedTranscript& t = transcripts_.emplace_back();
    t.persona = std::string(c.persona);
    t.agent = std::string(c.agent);
    t.result = std::move(r);
    t.context = c;
    t.context.persona = t.persona;
    t.context.agent = t.agent;
  }

  void drop(std::uint32_t i) {
    Slot& s = slots_[i];
    Robot& robot = robots_[i];
    leave_hold(s);
    by_call_.erase(robot.call);
    if (s.with != kNobody && people_[s.with].talking == robot.call) people_[s.with].talking = 0;
    robot.busy = false;
    reset(i);
    push(now_ + opt_.redial_ms, Ev::dial, i);
  }

  // The desk's timers (hold lines, hold timeouts), and simulated people
  // picking up waiting calls when the desk does not give them out.
  void tick() {
    if (holding_ == 0 && opt_.desk_assigns) return;
    for (CallId id : desk_.due(now_)) {
      const auto it = by_call_.find(id);
      if (it == by_call_.end()) continue;
      step(it->second, Event::timer(now_));
    }
    if (!opt_.desk_assigns) people_pick_up();
    if (holding_ > 0 || !opt_.desk_assigns) push(now_ + 1000, Ev::tick, 0);
  }

  void people_pick_up() {
    for (CallId id : desk_.queue()) {
      const auto it = by_call_.find(id);
      if (it == by_call_.end()) continue;
      const std::uint32_t i = it->second;
      const Slot& s = slots_[i];
      if (s.state != State::holding) continue;
      const std::uint32_t own = robots_[i].person;
      if (simulated_and_free(own) && now_ >= s.react_at) {
        grab_for(own, id, i);
        continue;
      }
      if (people_[own].trainee || now_ < s.escalated_at + opt_.help_after_ms) continue;
      // Waited long enough: a free colleague takes it (the queue's head first).
      for (std::uint32_t p = 0; p < people_.size(); ++p) {
        if (!simulated_and_free(p)) continue;
        if (take_next_for(p, nullptr) == DeskStatus::ok) break;
      }
    }
  }

  bool simulated_and_free(std::uint32_t p) const {
    return !people_[p].present && !people_[p].talking;
  }

  DeskStatus grab_for(std::uint32_t p, CallId id, std::uint32_t i) {
    Turn t;
    const DeskStatus st = desk_.grab(people_[p].name, id, now_, t);
    if (st != DeskStatus::ok) return st;
    joined(i, p, slots_[i].state != State::holding);
    settle(i);
    return st;
  }

  DeskStatus take_next_for(std::uint32_t p, CallId* got) {
    Turn t;
    CallId id = 0;
    const DeskStatus st = desk_.take_next(people_[p].name, now_, t, &id);
    if (got) *got = id;
    if (st != DeskStatus::ok) return st;
    const auto it = by_call_.find(id);
    if (it != by_call_.end()) {
      joined(it->second, p, false);
      settle(it->second);
    }
    return st;
  }

  // ---- the host's people -----------------------------------------------------------

  // Robot `i` of a live call `id`, or none.
  std::uint32_t robot_of(CallId id) const {
    const auto it = by_call_.find(id);
    return it == by_call_.end() ? kNobody : it->second;
  }

  void set_present(std::uint32_t p, bool present) {
    Person& person = people_[p];
    if (person.present == present) return;
    person.present = present;
    const std::uint32_t i = robot_of(person.talking);
    if (i == kNobody) return;
    ++slots_[i]
          .person_gen;  // a real person came (the simulated one stops), or left (one takes over)
    if (!present) push(now_ + rng_.in(opt_.handle_ms) / 4, Ev::person_done, i);
  }

  DeskStatus allow_calls(std::uint32_t p, std::uint32_t calls) {
    if (!people_[p].trainee) return DeskStatus::unknown_agent;
    Quota& q = quotas_[p];
    q.limit = q.dialed + calls;
    for (std::uint32_t i = 0; i < robots_.size(); ++i)
      if (robots_[i].person == p && !robots_[i].busy)
        push(now_ + 300 * robots_[i].number, Ev::dial, i);
    return DeskStatus::ok;
  }

  DeskStatus grab(std::uint32_t p, CallId id) {
    const std::uint32_t i = robot_of(id);
    if (i == kNobody) return DeskStatus::unknown_call;
    return grab_for(p, id, i);
  }

  DeskStatus say(std::uint32_t p, CallId id, std::string_view text, NodeId node) {
    const std::uint32_t i = robot_of(id);
    if (i == kNobody) return DeskStatus::unknown_call;
    Slot& s = slots_[i];
    if (s.state != State::person || s.with != p) return DeskStatus::not_with_agent;
    if (node >= script_->nodes().size()) return DeskStatus::unknown_node;
    const std::uint64_t line_end = now_ + speaking_ms(text);
    plan_reply(i, node, line_end, script_->node(node).listen_ms);
    push(line_end + rng_.in(s.persona->patience_ms), Ev::patience, i);
    return DeskStatus::ok;
  }

  DeskStatus hand_back(std::uint32_t p, CallId id, NodeId node) {
    const std::uint32_t i = robot_of(id);
    if (i == kNobody) return DeskStatus::unknown_call;
    const DeskStatus st = desk_.hand_back(people_[p].name, id, node, now_, turn_);
    if (st != DeskStatus::ok) return st;
    people_[p].talking = 0;
    Slot& s = slots_[i];
    s.state = State::robot;
    s.with = kNobody;
    ++s.gen;
    ++s.person_gen;
    after(i, turn_);
    return st;
  }

  DeskStatus finish(std::uint32_t p, CallId id, HangupReason reason) {
    const std::uint32_t i = robot_of(id);
    if (i == kNobody) return DeskStatus::unknown_call;
    const DeskStatus st = desk_.finish(people_[p].name, id, now_, turn_, reason);
    if (st != DeskStatus::ok) return st;
    changed(i);
    settle(i);
    return st;
  }

  std::shared_ptr<const Script> script_;
  PersonaSet set_;
  CampaignOptions opt_;
  CustomerModel customers_;
  CampaignObservers obs_;
  Rng rng_;
  Stats stats_;
  Desk desk_;
  std::vector<Person> people_;
  std::vector<Quota> quotas_;
  std::vector<Robot> robots_;
  std::vector<Slot> slots_;
  std::unordered_map<CallId, std::uint32_t> by_call_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue_;
  std::vector<std::pair<std::string, CallId>> assigned_;
  std::vector<std::pair<CallId, CallResult>> ended_;
  std::vector<VariableValue> vars_;
  std::vector<SimulatedTranscript> transcripts_;
  CampaignCounters counters_;
  Turn turn_;
  std::uint64_t now_ = 0, seq_ = 0, dialed_ = 0, last_end_ = 0, line_end_ = 0;
  std::uint32_t kept_ = 0, holding_ = 0;
};

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

void Campaign::set_present(std::string_view person, bool present) {
  const std::uint32_t p = impl_->person_index(person);
  if (p != kNobody) impl_->set_present(p, present);
}

DeskStatus Campaign::allow_calls(std::string_view trainee, std::uint32_t calls) {
  const std::uint32_t p = impl_->person_index(trainee);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->allow_calls(p, calls);
}

DeskStatus Campaign::grab(std::string_view person, CallId call) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->grab(p, call);
}

DeskStatus Campaign::take_next(std::string_view person, CallId* call) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->take_next_for(p, call);
}

DeskStatus Campaign::say(std::string_view person, CallId call, std::string_view text, NodeId node) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->say(p, call, text, node);
}

DeskStatus Campaign::hand_back(std::string_view person, CallId call, NodeId node) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->hand_back(p, call, node);
}

DeskStatus Campaign::finish(std::string_view person, CallId call, HangupReason reason) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->finish(p, call, reason);
}

}  // namespace patter
