// A simulated campaign on a simulated clock (patter/simulation.hpp).
//
// One thread, one random stream, one queue of events ordered by time and
// arrival: the same seed gives the same campaign, call for call. Each robot
// is a slot that dials, runs one call through the desk, and dials again;
// people are simulated by the events that finish the calls they take.
#include <fmt/format.h>

#include <algorithm>
#include <queue>
#include <unordered_map>

#include "patter/desk.hpp"
#include "patter/random.hpp"
#include "patter/simulation.hpp"
#include "text/utf8.hpp"

namespace patter {
namespace {

// fmt::format_to onto a string, keeping compile-time format checks.
struct Appender {
  std::string& out;
  template <class... A>
  void operator()(fmt::format_string<A...> f, A&&... a) const {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(a)...);
  }
};

// A duration drawn from a persona's or the options' range.
std::uint64_t draw(Random& rng, MsRange r) {
  return rng.between(r.min, r.max);
}

enum class Ev : std::uint8_t { dial, ring_end, customer, patience, person_done, tick };

struct Pending {
  std::uint64_t at, seq;
  Ev kind;
  std::uint32_t slot, gen;
  bool operator>(const Pending& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

enum class Pickup : std::uint8_t { answer, voicemail, ring_out };
enum class State : std::uint8_t { idle, ringing, robot, holding, person };

struct Slot {
  std::uint32_t agent = 0;
  State state = State::idle;
  std::uint32_t gen = 0;
  CallId call = 0;
  const Persona* persona = nullptr;
  Pickup pickup = Pickup::answer;
  bool transcript = false;
  std::uint64_t dialed = 0, escalated_at = 0, joined_at = 0;
  std::optional<std::uint64_t> wait;
  bool taken = false, grabbed = false;
  std::uint32_t with = UINT32_MAX;  // the agent talking on it
  std::uint64_t person_ms = 0;
  // The customer's next move.
  PersonaChoice next;
  std::string_view words;
};

struct AgentState {
  std::string name;
  std::uint32_t talking = UINT32_MAX;  // slot
};

class Campaign {
 public:
  Campaign(std::shared_ptr<const Script> script, const PersonaSet& personas, const SimulationOptions& opt)
      : script_(std::move(script)), s_(*script_), set_(personas), opt_(opt), rng_(opt.seed),
        stats_(script_, opt.stats), desk_(desk_options()) {}

  Simulation run() {
    Simulation out;
    if (opt_.calls == 0 || opt_.agents == 0 || opt_.robots_per_agent == 0 || set_.personas.empty()) {
      out.report = stats_.report();
      return out;
    }
    prepare();
    const std::size_t width = std::to_string(opt_.agents).size();
    for (std::uint32_t a = 0; a < opt_.agents; ++a) {
      agents_.push_back({fmt::format("agent{:0{}}", a + 1, std::max<std::size_t>(width, 2))});
      desk_.add_agent(agents_.back().name, {.capacity = opt_.robots_per_agent});
    }
    const std::size_t n = std::size_t{opt_.agents} * opt_.robots_per_agent;
    slots_.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      slots_[i].agent = i / opt_.robots_per_agent;
      push(std::uint64_t{i} * 700, Ev::dial, i);  // robots start a little apart
    }
    while (!queue_.empty()) {
      const Pending p = queue_.top();
      queue_.pop();
      now_ = p.at;
      Slot& s = slots_[p.slot];
      if (p.kind != Ev::dial && p.kind != Ev::tick && p.gen != s.gen) continue;  // overtaken
      switch (p.kind) {
        case Ev::dial: dial(p.slot); break;
        case Ev::ring_end: ring_end(p.slot); break;
        case Ev::customer: customer(p.slot); break;
        case Ev::patience: step(p.slot, Event::customer_hangup(now_)); break;
        case Ev::person_done: person_done(p.slot); break;
        case Ev::tick: tick(); break;
      }
    }
    out.report = stats_.report();
    out.transcripts = std::move(transcripts_);
    // The contexts' names are views of the transcripts' own strings, which
    // moved as the list grew (short strings live inside the object): point
    // them at the strings where they are now.
    for (SimulatedTranscript& t : out.transcripts) {
      t.context.persona = t.persona;
      t.context.agent = t.agent;
    }
    out.desk = desk_.counters();
    out.sim_ms = last_end_;
    out.errors = errors_;
    return out;
  }

 private:
  DeskOptions desk_options() {
    DeskOptions d;
    d.auto_assign = true;
    d.on_assigned = [this](std::string_view agent, CallId id) { assigned_.emplace_back(std::string(agent), id); };
    d.on_call_ended = [this](CallId id, const CallResult& r) { ended_.emplace_back(id, r); };
    return d;
  }

  void prepare() {
    double total = 0;
    for (const Persona& p : set_.personas) total += p.share;
    for (const Persona& p : set_.personas) cumulative_.push_back((shares_ += p.share) / total);
    // Each listening node, when a persona says nothing about it: its routes
    // equally, and a little silence and hanging up.
    defaults_.resize(s_.nodes().size());
    for (NodeId n = 0; n < s_.nodes().size(); ++n) {
      std::vector<PersonaChoice>& c = defaults_[n];
      for (const Route& r : s_.node(n).routes) {
        std::vector<PersonaChoice> route;
        for (IntentId i : r.intents)
          if (i < set_.utterances.size() && !set_.utterances[i].empty())
            route.push_back({PersonaChoice::Kind::intent, i, 0, 1});
        for (char k : r.keys) route.push_back({PersonaChoice::Kind::key, kNone, k, 1});
        if (r.any) route.push_back({PersonaChoice::Kind::unclear, kNone, 0, 1});
        for (PersonaChoice& x : route) x.weight = 1.0 / static_cast<double>(route.size());
        c.insert(c.end(), route.begin(), route.end());
      }
      double sum = 0;
      for (const PersonaChoice& x : c) sum += x.weight;
      if (sum == 0) sum = 1;
      c.push_back({PersonaChoice::Kind::silence, kNone, 0, sum * 0.06});
      c.push_back({PersonaChoice::Kind::hangup, kNone, 0, sum * 0.04});
    }
    vars_.reserve(set_.variables.size());
  }

  void push(std::uint64_t at, Ev kind, std::uint32_t slot) {
    queue_.push({at, seq_++, kind, slot, slot < slots_.size() ? slots_[slot].gen : 0});
  }

  std::uint64_t speaking_ms(std::string_view text) const {
    std::uint64_t ms = 0;
    for (std::size_t i = 0; i < text.size();) {
      const char32_t c = detail::decode_utf8(text, i);
      ms += c >= 0x2E80 ? opt_.wide_char_ms : opt_.narrow_char_ms;
    }
    return ms;
  }

  const Persona& pick_persona() {
    const double u = rng_.uniform();
    for (std::size_t i = 0; i < cumulative_.size(); ++i)
      if (u < cumulative_[i]) return set_.personas[i];
    return set_.personas.back();
  }

  void dial(std::uint32_t i) {
    if (dialed_ >= opt_.calls) return;  // this robot is done
    ++dialed_;
    Slot& s = slots_[i];
    const Persona& p = pick_persona();
    const double u = rng_.uniform();
    const Pickup pickup = u < p.answer ? Pickup::answer : u < p.answer + p.voicemail ? Pickup::voicemail : Pickup::ring_out;
    vars_.clear();
    for (const auto& [name, values] : set_.variables) vars_.emplace_back(name, values[rng_.below(values.size())]);
    const bool transcript = pickup == Pickup::answer && kept_ < opt_.transcripts;
    kept_ += transcript;
    SessionOptions so;
    so.transcript = transcript ? 200 : 0;
    const Desk::Opened opened = desk_.open_call(script_, vars_, agents_[s.agent].name, so);
    if (!opened.ok()) {
      ++errors_;
      return;
    }
    const std::uint32_t gen = s.gen + 1;
    s = Slot{};
    s.agent = i / opt_.robots_per_agent;
    s.gen = gen;
    s.state = State::ringing;
    s.call = opened.id;
    s.persona = &p;
    s.pickup = pickup;
    s.transcript = transcript;
    s.dialed = now_;
    by_call_[opened.id] = i;
    push(now_ + (pickup == Pickup::ring_out ? 30000 : draw(rng_, p.ring_ms)), Ev::ring_end, i);
  }

  void ring_end(std::uint32_t i) {
    switch (slots_[i].pickup) {
      case Pickup::answer: slots_[i].state = State::robot; step(i, Event::answered(now_)); break;
      case Pickup::voicemail: step(i, Event::voicemail(now_)); break;
      case Pickup::ring_out: step(i, Event::customer_hangup(now_)); break;
    }
  }

  // The customer does what was decided when the robot started listening.
  void customer(std::uint32_t i) {
    Slot& s = slots_[i];
    switch (s.next.kind) {
      case PersonaChoice::Kind::silence: step(i, Event::no_input(now_)); break;
      case PersonaChoice::Kind::hangup: step(i, Event::customer_hangup(now_)); break;
      case PersonaChoice::Kind::key: step(i, Event::dtmf(s.next.key, now_)); break;
      default: step(i, Event::utterance(s.words, now_)); break;
    }
  }

  // What the customer will do at node `n`, and when.
  void plan_reply(std::uint32_t i, NodeId n, std::uint64_t line_end, std::uint32_t listen_ms) {
    Slot& s = slots_[i];
    const std::vector<PersonaChoice>* choices = &defaults_[n];
    if (n < s.persona->nodes.size() && !s.persona->nodes[n].empty()) choices = &s.persona->nodes[n];
    else if (!s.persona->fallback.empty()) choices = &s.persona->fallback;
    double total = 0;
    for (const PersonaChoice& c : *choices) total += c.weight;
    double u = rng_.uniform() * total;
    PersonaChoice pick = choices->back();
    for (const PersonaChoice& c : *choices) {
      if (u < c.weight) {
        pick = c;
        break;
      }
      u -= c.weight;
    }
    s.next = pick;
    s.words = {};
    std::uint64_t at = line_end + draw(rng_, s.persona->think_ms);
    switch (pick.kind) {
      case PersonaChoice::Kind::silence: at = line_end + listen_ms; break;
      case PersonaChoice::Kind::intent: {
        const auto& pool = set_.utterances[pick.intent];
        s.words = pool[rng_.below(pool.size())];
        at += speaking_ms(s.words);
        break;
      }
      case PersonaChoice::Kind::unclear:
        s.words = set_.unclear[rng_.below(set_.unclear.size())];
        at += speaking_ms(s.words);
        break;
      default: break;
    }
    ++s.gen;
    push(at, Ev::customer, i);
  }

  void step(std::uint32_t i, const Event& e) {
    Slot& s = slots_[i];
    const CallId id = s.call;
    const DeskStatus st = desk_.step(id, e, turn_);
    if (st != DeskStatus::ok) {
      ++errors_;
      if (!settle(i)) {  // give up on the call, not on the campaign
        if (desk_.step(id, Event::customer_hangup(std::max(now_, e.at_ms)), turn_) != DeskStatus::ok || !settle(i))
          drop(i);
      }
      return;
    }
    after(i, turn_);
  }

  // Carry out a turn's actions: the clock of the lines, the next reply, the hold.
  void after(std::uint32_t i, const Turn& t) {
    // The simulator has no classifier: it answers `understand` with none.
    for (const Action& a : t.actions())
      if (a.type == ActionType::understand) return step(i, Event::not_understood(now_));
    Slot& s = slots_[i];
    std::uint64_t line_end = now_;
    NodeId listen_at = kNone;
    std::uint32_t listen_ms = 0;
    bool escalate = false, end = false;
    for (const Action& a : t.actions()) {
      switch (a.type) {
        case ActionType::say: line_end += speaking_ms(a.text); break;
        case ActionType::listen: listen_at = a.node; listen_ms = a.timeout_ms; break;
        case ActionType::escalate: escalate = true; break;
        case ActionType::end: end = true; break;
        default: break;
      }
    }
    line_end_ = line_end;
    if (escalate && !end && s.state == State::robot) {
      s.state = State::holding;
      s.escalated_at = now_;
      ++holding_;
      if (holding_ == 1) push(now_ + 1000, Ev::tick, 0);
    }
    if (settle(i) || end) return;
    Slot& s2 = slots_[i];
    if (s2.state == State::holding && listen_at == kNone && escalate) {
      ++s2.gen;
      push(line_end + draw(rng_, s2.persona->patience_ms), Ev::patience, i);
    } else if (listen_at != kNone && (s2.state == State::robot || s2.state == State::holding)) {
      if (s2.state == State::holding && !escalate) leave_hold(s2);  // the hold gave up: back to the script
      plan_reply(i, listen_at, line_end, listen_ms);
      maybe_grab(i);
    }
  }

  void leave_hold(Slot& s) {
    if (s.state != State::holding) return;
    s.wait = now_ - s.escalated_at;
    s.state = State::robot;
    --holding_;
  }

  // Assignments and ended calls the desk reported during the last call into it.
  // Returns true when slot `i`'s call was among them (nothing more to plan).
  bool settle(std::uint32_t i) {
    bool mine = false;
    while (!assigned_.empty() || !ended_.empty()) {
      auto assigned = std::move(assigned_);
      assigned_.clear();
      for (const auto& [agent, id] : assigned) {
        const auto it = by_call_.find(id);
        if (it == by_call_.end()) continue;
        mine = mine || it->second == i;
        joined(it->second, agent_index(agent), false);
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

  std::uint32_t agent_index(std::string_view name) const {
    for (std::uint32_t a = 0; a < agents_.size(); ++a)
      if (agents_[a].name == name) return a;
    return 0;
  }

  void joined(std::uint32_t i, std::uint32_t agent, bool grabbed) {
    Slot& s = slots_[i];
    if (s.state == State::holding) {
      leave_hold(s);
      s.taken = true;
    }
    s.state = State::person;
    s.grabbed = grabbed;
    s.with = agent;
    s.joined_at = now_;
    agents_[agent].talking = i;
    ++s.gen;
    push(std::max(now_, line_end_) + draw(rng_, opt_.handle_ms), Ev::person_done, i);
  }

  void maybe_grab(std::uint32_t i) {
    if (opt_.grab_score <= 0) return;
    Slot& s = slots_[i];
    if (agents_[s.agent].talking != UINT32_MAX) return;
    const auto info = desk_.call(s.call);
    if (!info || info->score < opt_.grab_score) return;
    Turn t;
    if (desk_.grab(agents_[s.agent].name, s.call, now_, t) != DeskStatus::ok) return;
    joined(i, s.agent, true);
    settle(i);
  }

  void person_done(std::uint32_t i) {
    Slot& s = slots_[i];
    const bool sold = rng_.uniform() < s.persona->buys;
    const std::uint32_t agent = s.with;
    s.person_ms = now_ - s.joined_at;
    agents_[agent].talking = UINT32_MAX;
    if (desk_.finish(agents_[agent].name, s.call, now_, turn_,
                     sold ? HangupReason::completed : HangupReason::not_interested) != DeskStatus::ok) {
      ++errors_;
      drop(i);
    }
    settle(i);
  }

  void finished(std::uint32_t i, CallResult& r) {
    Slot& s = slots_[i];
    leave_hold(s);
    if (s.state == State::person && s.person_ms == 0) s.person_ms = now_ - s.joined_at;
    if (s.with != UINT32_MAX && agents_[s.with].talking == i) agents_[s.with].talking = UINT32_MAX;
    CallContext c;
    c.has_context = true;
    c.persona = s.persona->name;
    if (s.with != UINT32_MAX) c.agent = agents_[s.with].name;
    c.dialed_ms = s.dialed;
    c.ended_ms = now_;
    c.wait_ms = s.wait;
    c.taken = s.taken;
    c.grabbed = s.grabbed;
    c.person_ms = s.person_ms;
    stats_.add(r, c);
    if (opt_.on_call) opt_.on_call(r, c);
    if (s.transcript) {
      SimulatedTranscript& t = transcripts_.emplace_back();
      t.persona = s.persona->name;
      t.agent = std::string(c.agent);
      t.result = std::move(r);
      t.context = c;
      t.context.persona = t.persona;
      t.context.agent = t.agent;
    }
    ++done_;
    last_end_ = std::max(last_end_, now_);
    if (opt_.on_progress && (done_ % progress_every() == 0 || done_ == opt_.calls)) opt_.on_progress(done_, opt_.calls);
    by_call_.erase(s.call);
    const std::uint32_t gen = s.gen + 1;
    const std::uint32_t agent = s.agent;
    s = Slot{};
    s.agent = agent;
    s.gen = gen;
    push(std::max(now_, line_end_) + opt_.redial_ms, Ev::dial, i);
  }

  std::uint64_t progress_every() const { return std::max<std::uint64_t>(1, opt_.calls / 200); }

  void drop(std::uint32_t i) {
    Slot& s = slots_[i];
    leave_hold(s);
    by_call_.erase(s.call);
    if (s.with != UINT32_MAX && agents_[s.with].talking == i) agents_[s.with].talking = UINT32_MAX;
    const std::uint32_t gen = s.gen + 1, agent = s.agent;
    s = Slot{};
    s.agent = agent;
    s.gen = gen;
    push(now_ + opt_.redial_ms, Ev::dial, i);
  }

  // Hold lines and hold timeouts, from the desk's timers, while any call waits.
  void tick() {
    if (holding_ == 0) return;
    for (CallId id : desk_.due(now_)) {
      const auto it = by_call_.find(id);
      if (it == by_call_.end()) continue;
      step(it->second, Event::timer(now_));
    }
    if (holding_ > 0) push(now_ + 1000, Ev::tick, 0);
  }

  std::shared_ptr<const Script> script_;
  const Script& s_;
  const PersonaSet& set_;
  const SimulationOptions& opt_;
  Random rng_;
  Stats stats_;
  Desk desk_;
  std::vector<AgentState> agents_;
  std::vector<Slot> slots_;
  std::unordered_map<CallId, std::uint32_t> by_call_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue_;
  std::vector<std::pair<std::string, CallId>> assigned_;
  std::vector<std::pair<CallId, CallResult>> ended_;
  std::vector<double> cumulative_;
  double shares_ = 0;
  std::vector<std::vector<PersonaChoice>> defaults_;
  std::vector<VariableValue> vars_;
  std::vector<SimulatedTranscript> transcripts_;
  Turn turn_;
  std::uint64_t now_ = 0, seq_ = 0, dialed_ = 0, done_ = 0, errors_ = 0, last_end_ = 0, line_end_ = 0;
  std::uint32_t kept_ = 0, holding_ = 0;
};

}  // namespace

Simulation simulate(std::shared_ptr<const Script> script, const PersonaSet& personas, const SimulationOptions& options) {
  if (!script) return {};
  Campaign c(std::move(script), personas, options);
  return c.run();
}

std::string format_transcript(const SimulatedTranscript& t, const Script& script) {
  std::string out;
  auto add = Appender{out};
  const CallResult& r = t.result;
  add("── {}, grade {}: ", t.persona, r.grade);
  if (r.outcome == Outcome::escalated)
    add("a person took it ({}) and ended it as {}", r.escalated ? to_string(r.escalation) : "grabbed", to_string(r.hangup));
  else if (r.escalated)
    add("escalated ({}), then {} ({})", to_string(r.escalation), to_string(r.outcome), to_string(r.hangup));
  else
    add("{} ({})", to_string(r.outcome), to_string(r.hangup));
  add(" ──\n");
  const std::uint64_t start = r.transcript.empty() ? 0 : r.transcript.front().at_ms;
  bool person = false;
  for (const TranscriptEntry& e : r.transcript) {
    const double s = static_cast<double>(e.at_ms - start) / 1000.0;
    switch (e.who) {
      case TranscriptEntry::Who::robot: add("  {:6.1f}s  robot     {}\n", s, e.text); break;
      case TranscriptEntry::Who::customer:
        add("  {:6.1f}s  customer  {}", s, e.text);
        if (e.intent != kNone && e.intent < script.intents().size()) add("  [{}]", script.intent(e.intent).name);
        add("\n");
        break;
      case TranscriptEntry::Who::key: add("  {:6.1f}s  customer  (presses {})\n", s, e.text); break;
      case TranscriptEntry::Who::silence: add("  {:6.1f}s  customer  (silence)\n", s); break;
      case TranscriptEntry::Who::agent:
        add("  {:6.1f}s  person    {}\n", s, e.text.empty() ? std::string_view("(takes the call)") : e.text);
        person = true;
        break;
    }
  }
  if (r.escalated && !t.context.taken && !t.context.grabbed && t.context.wait_ms)
    add("          (nobody took the call: it ended after {:.0f} s of waiting)\n",
        static_cast<double>(*t.context.wait_ms) / 1000.0);
  if (t.context.taken || t.context.grabbed) {
    if (!person) add("          person    {} {} the call\n", t.context.agent, t.context.grabbed ? "grabs" : "takes");
    add("          person    talks {:.0f} s, then ends the call: {}\n",
        static_cast<double>(t.context.person_ms) / 1000.0, to_string(r.hangup));
  }
  return out;
}

}  // namespace patter
