// The campaign's thread: a queue of timed events on the simulated clock
// (dial, pick up, the customer's reply, patience running out, a simulated
// person finishing), the pages' commands, and the updates they cause.
#include "live_campaign.hpp"

#include <patter/json_writer.hpp>
#include <patter/stats.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <unordered_map>

#include "customers.hpp"

namespace webdesk {
namespace {

using Clock = std::chrono::steady_clock;
using patter::JsonWriter;
using Kind = patter::PersonaChoice::Kind;

/// Milliseconds since the epoch, to the microsecond: the stamp pages compare
/// with their own clock to measure event-to-screen latency.
double wall_ms() {
  using namespace std::chrono;
  return static_cast<double>(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) / 1000.0;
}

enum class Ev : std::uint8_t { dial, ring_end, customer, patience, person_done, tick };

struct Pending {
  std::uint64_t at, seq;
  Ev kind;
  std::uint32_t slot, gen;
  bool operator>(const Pending& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

enum class State : std::uint8_t { idle, ringing, robot, holding, person };

/// A robot: it dials, runs one call, dials again.
struct Slot {
  std::uint32_t person = 0;  // who supervises it
  std::uint32_t robot = 1;   // 1.. within that person's robots
  bool training = false;
  State state = State::idle;
  std::uint32_t gen = 0;      // customer events (replies, patience)
  std::uint32_t person_gen = 0;  // a simulated person's end of talk
  patter::CallId call = 0;    // the call now, or the last one until the next dial
  const patter::Persona* persona = nullptr;
  Pickup pickup = Pickup::answer;
  Reply next;
  std::uint64_t line_end = 0;
  std::uint64_t dialed = 0, escalated_at = 0, joined_at = 0, react_at = 0;
  std::optional<std::uint64_t> wait;
  bool taken = false, grabbed = false;
  std::uint32_t with = UINT32_MAX;  // the person talking on it
  patter::NodeId conversation = patter::kNone;  // where the person's talk is, for the customer's replies
};

struct Person {
  std::string name;
  bool trainee = false;
  int pages = 0;  // open pages: a real person is at this desk
  patter::CallId talking = 0;
  // Training runs.
  std::uint32_t training_dialed = 0, training_target = 0;
  bool training_running = false;
  bool manual() const { return pages > 0 || trainee; }
};

struct Line {
  std::string who;  // robot, customer, agent, system
  std::string text;
  std::string intent;
  std::uint64_t at = 0;
};

/// What the pages see of a call.
struct CallRecord {
  patter::CallId id = 0;
  std::uint32_t slot = 0;
  std::string supervisor, with, persona;
  std::shared_ptr<patter::Subscription> sub;
  std::deque<Line> lines;
  std::vector<std::string> intents;
  std::string phase = "dialing", node, reason, outcome, hangup;
  double score = 0;
  char grade = 'E';
  bool queued = false, waiting = false;
  std::uint64_t dialed = 0, escalated_at = 0;
  std::optional<patter::Assist> assist;
};

std::string_view state_name(patter::Phase p) { return patter::to_string(p); }

}  // namespace

struct LiveCampaign::Impl {
  Impl(std::shared_ptr<const patter::Script> script, patter::PersonaSet personas, CampaignOptions options,
       Publish publish)
      : script_(std::move(script)),
        s_(*script_),
        opt_(options),
        publish_(std::move(publish)),
        customers_(*script_, std::move(personas), options.seed),
        stats_(script_),
        desk_(desk_options()) {
    const std::size_t width = std::max<std::size_t>(2, std::to_string(std::max(opt_.agents, opt_.trainees)).size());
    auto name = [&](const char* prefix, std::uint32_t i) {
      std::string n = std::to_string(i + 1);
      return prefix + std::string(width - std::min(width, n.size()), '0') + n;
    };
    for (std::uint32_t a = 0; a < opt_.agents; ++a) people_.push_back({name("agent", a)});
    for (std::uint32_t t = 0; t < opt_.trainees; ++t) {
      people_.push_back({name("trainee", t)});
      people_.back().trainee = true;
    }
    for (std::uint32_t p = 0; p < people_.size(); ++p) {
      // auto_answer off: an escalation alerts the person's page, who chooses.
      desk_.add_agent(people_[p].name, {.capacity = opt_.robots_per_agent,
                                        .trainee = people_[p].trainee,
                                        .auto_answer = false});
      for (std::uint32_t r = 0; r < opt_.robots_per_agent; ++r) {
        Slot s;
        s.person = p;
        s.robot = r + 1;
        s.training = people_[p].trainee;
        slots_.push_back(s);
      }
    }
    hello_ = hello_json();
  }

  // ---- the thread ----------------------------------------------------------------

  void start() {
    start_ = Clock::now();
    for (std::uint32_t i = 0; i < slots_.size(); ++i)
      if (!slots_[i].training) push(std::uint64_t{i} * 700, Ev::dial, i);  // robots start a little apart
    push(1000, Ev::tick, 0);
    thread_ = std::thread([this] { run(); });
  }

  void stop() {
    {
      std::lock_guard lock(m_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void post(Command c) {
    {
      std::lock_guard lock(m_);
      inbox_.push_back({std::move(c), wall_ms()});
    }
    cv_.notify_all();
  }

  std::uint64_t sim_now() const {
    const auto wall = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
    return static_cast<std::uint64_t>(wall * opt_.speed);
  }
  Clock::time_point wall_of(std::uint64_t sim) const {
    return start_ + std::chrono::microseconds(static_cast<std::int64_t>(static_cast<double>(sim) * 1000.0 / opt_.speed));
  }
  double stamp_of(std::uint64_t sim) const {
    // The wall time an event was due: its updates are stamped with it, so a
    // late wake-up counts against the latency too.
    const auto late = std::chrono::duration<double, std::milli>(Clock::now() - wall_of(sim)).count();
    return wall_ms() - std::max(0.0, late);
  }

  void run() {
    auto next_summary = Clock::now();
    std::unique_lock lock(m_);
    while (!stopping_) {
      std::vector<std::pair<Command, double>> commands;
      commands.swap(inbox_);
      lock.unlock();

      const std::uint64_t sim = sim_now();
      while (!queue_.empty() && queue_.top().at <= sim) {
        const Pending p = queue_.top();
        queue_.pop();
        now_ = std::max(now_, p.at);
        stamp_ = stamp_of(p.at);
        handle(p);
      }
      now_ = std::max(now_, sim);
      for (auto& [c, at] : commands) {
        stamp_ = at;
        command(c);
      }
      if (Clock::now() >= next_summary) {
        stamp_ = wall_ms();
        emit({"summary"}, summary_json("summary"));
        next_summary = Clock::now() + std::chrono::milliseconds(500);
      }
      flush();

      lock.lock();
      totals_copy_ = totals_;
      if (stopping_ || !inbox_.empty()) continue;
      auto wake = next_summary;
      if (!queue_.empty()) wake = std::min(wake, wall_of(queue_.top().at));
      cv_.wait_until(lock, wake);
    }
  }

  void flush() {
    if (out_.empty()) return;
    std::vector<Update> out;
    out.swap(out_);
    publish_(std::move(out));
  }

  void handle(const Pending& p) {
    if (p.kind == Ev::tick) return tick();
    Slot& s = slots_[p.slot];
    if (p.kind == Ev::person_done) {
      if (p.gen == s.person_gen) person_done(p.slot);
      return;
    }
    if (p.kind != Ev::dial && p.gen != s.gen) return;  // overtaken
    switch (p.kind) {
      case Ev::dial: dial(p.slot); break;
      case Ev::ring_end: ring_end(p.slot); break;
      case Ev::customer: customer(p.slot); break;
      case Ev::patience: step(p.slot, patter::Event::customer_hangup(now_)); break;
      default: break;
    }
  }

  void push(std::uint64_t at, Ev kind, std::uint32_t slot) {
    const Slot& s = slots_[slot];
    queue_.push({at, seq_++, kind, slot, kind == Ev::person_done ? s.person_gen : s.gen});
  }

  // ---- robots and customers ------------------------------------------------------

  void dial(std::uint32_t i) {
    Slot& s = slots_[i];
    Person& person = people_[s.person];
    if (s.state != State::idle) return;
    if (s.training) {
      if (!person.training_running || person.training_dialed >= person.training_target) return;
      ++person.training_dialed;
    }
    if (s.call) calls_.erase(s.call);
    const patter::Persona& p = customers_.pick_persona();
    const auto vars = customers_.variables();
    std::vector<patter::VariableValue> values;
    for (const auto& [k, v] : vars) values.emplace_back(k, v);
    const patter::Desk::Opened opened = desk_.open_call(script_, values, person.name);
    if (!opened.ok()) {
      ++totals_.errors;
      push(now_ + 10000, Ev::dial, i);
      return;
    }
    ++totals_.dialed;
    const std::uint32_t gen = s.gen + 1, person_gen = s.person_gen + 1;
    const Slot keep = s;
    s = Slot{};
    s.person = keep.person;
    s.robot = keep.robot;
    s.training = keep.training;
    s.gen = gen;
    s.person_gen = person_gen;
    s.state = State::ringing;
    s.call = opened.id;
    s.persona = &p;
    s.pickup = customers_.pickup(p);
    s.dialed = now_;
    CallRecord& rec = calls_[opened.id];
    rec.id = opened.id;
    rec.slot = i;
    rec.supervisor = person.name;
    rec.persona = p.name;
    rec.dialed = now_;
    rec.sub = desk_.listen(opened.id, 1024);
    push(now_ + customers_.ring_ms(p, s.pickup), Ev::ring_end, i);
    emit_call(rec);
  }

  void ring_end(std::uint32_t i) {
    Slot& s = slots_[i];
    switch (s.pickup) {
      case Pickup::answer:
        s.state = State::robot;
        step(i, patter::Event::answered(now_));
        break;
      case Pickup::voicemail: step(i, patter::Event::voicemail(now_)); break;
      case Pickup::ring_out: step(i, patter::Event::customer_hangup(now_)); break;
    }
  }

  // The customer does what was decided when the robot (or the person) stopped talking.
  void customer(std::uint32_t i) {
    Slot& s = slots_[i];
    const Reply& r = s.next;
    if (s.state == State::person) {
      // A person has the call: the customer talks to them; silence and keys
      // are no events then (the person hears them on the line).
      if (r.kind == Kind::hangup) {
        step(i, patter::Event::customer_hangup(now_));
      } else if (r.kind == Kind::intent || r.kind == Kind::unclear) {
        step(i, patter::Event::utterance(r.words, now_));
        send_assist(s.call);
      }
      return;
    }
    switch (r.kind) {
      case Kind::silence: step(i, patter::Event::no_input(now_)); break;
      case Kind::hangup: step(i, patter::Event::customer_hangup(now_)); break;
      case Kind::key: step(i, patter::Event::dtmf(r.key, now_)); break;
      default: step(i, patter::Event::utterance(r.words, now_)); break;
    }
  }

  void plan_reply(std::uint32_t i, patter::NodeId node, std::uint64_t from, std::uint32_t listen_ms) {
    Slot& s = slots_[i];
    s.next = customers_.reply(*s.persona, node, listen_ms);
    ++s.gen;
    push(from + s.next.after_ms, Ev::customer, i);
  }

  void step(std::uint32_t i, const patter::Event& e) {
    Slot& s = slots_[i];
    const patter::CallId id = s.call;
    if (desk_.step(id, e, turn_) != patter::DeskStatus::ok) {
      ++totals_.errors;
      // Give up on the call, not on the campaign.
      if (desk_.step(id, patter::Event::customer_hangup(now_), turn_) != patter::DeskStatus::ok) {
        drain(id);
        settle();
        if (slots_[i].call == id && slots_[i].state != State::idle) drop(i);
        return;
      }
    }
    after(i, turn_);
  }

  // Carry out a turn's actions on the simulated line.
  void after(std::uint32_t i, const patter::Turn& t) {
    Slot& s = slots_[i];
    const patter::CallId id = s.call;
    std::uint64_t line_end = now_;
    patter::NodeId listen_at = patter::kNone;
    std::uint32_t listen_ms = 0;
    bool escalate = false, end = false;
    for (const patter::Action& a : t.actions()) {
      switch (a.type) {
        case patter::ActionType::say: line_end += Customers::speaking_ms(a.text); break;
        case patter::ActionType::listen:
          listen_at = a.node;
          listen_ms = a.timeout_ms;
          break;
        case patter::ActionType::escalate: escalate = true; break;
        case patter::ActionType::end: end = true; break;
        default: break;
      }
    }
    s.line_end = line_end;
    if (escalate && !end && s.state == State::robot) {
      s.state = State::holding;
      s.escalated_at = now_;
      s.react_at = now_ + customers_.between(opt_.react_ms.min, opt_.react_ms.max);
      ++totals_.escalations;
    }
    drain(id);
    if (settle() || end) return;
    if (s.state == State::holding && listen_at == patter::kNone && escalate) {
      ++s.gen;
      push(line_end + customers_.patience_ms(*s.persona), Ev::patience, i);
    } else if (listen_at != patter::kNone && (s.state == State::robot || s.state == State::holding)) {
      if (s.state == State::holding && !escalate && !desk_waiting(id)) leave_hold(s);  // the hold gave up
      plan_reply(i, listen_at, line_end, listen_ms);
      maybe_grab(i);
    }
  }

  bool desk_waiting(patter::CallId id) const {
    const auto info = desk_.call(id);
    return info && info->escalated_at_ms != 0 && info->with.empty();
  }

  void leave_hold(Slot& s) {
    if (s.state != State::holding) return;
    s.wait = now_ - s.escalated_at;
    s.state = State::robot;
  }

  // ---- people ----------------------------------------------------------------------

  std::uint32_t person_index(std::string_view name) const {
    for (std::uint32_t p = 0; p < people_.size(); ++p)
      if (people_[p].name == name) return p;
    return UINT32_MAX;
  }

  /// A person is on slot `i`'s call now (a grab or a take).
  void joined(std::uint32_t i, std::uint32_t person) {
    Slot& s = slots_[i];
    const bool was_holding = s.state == State::holding;
    if (was_holding) {
      leave_hold(s);
      s.taken = true;
      ++s.gen;  // the customer no longer hangs up on hold
    } else {
      s.grabbed = true;
    }
    s.state = State::person;
    s.with = person;
    s.joined_at = now_;
    s.conversation = patter::kNone;
    people_[person].talking = s.call;
    ++totals_.taken;
    ++s.person_gen;
    if (people_[person].manual()) {
      // The customer waits for the person to speak, for a while.
      push(now_ + customers_.patience_ms(*s.persona), Ev::patience, i);
    } else {
      push(now_ + customers_.between(opt_.handle_ms.min, opt_.handle_ms.max), Ev::person_done, i);
    }
    drain(s.call);
    send_assist(s.call);
    settle();
  }

  // A simulated person at a robot of theirs: grab a promising call.
  void maybe_grab(std::uint32_t i) {
    Slot& s = slots_[i];
    Person& p = people_[s.person];
    if (opt_.grab_score <= 0 || p.manual() || p.talking || s.state != State::robot) return;
    const auto info = desk_.call(s.call);
    if (!info || info->score < opt_.grab_score) return;
    patter::Turn t;
    if (desk_.grab(p.name, s.call, now_, t) == patter::DeskStatus::ok) joined(i, s.person);
  }

  void person_done(std::uint32_t i) {
    Slot& s = slots_[i];
    if (s.state != State::person || s.with == UINT32_MAX) return;
    Person& p = people_[s.with];
    const bool sold = customers_.buys(*s.persona);
    if (desk_.finish(p.name, s.call, now_, turn_,
                     sold ? patter::HangupReason::completed : patter::HangupReason::not_interested) !=
        patter::DeskStatus::ok)
      ++totals_.errors;
    drain(s.call);
    settle();
  }

  // Every simulated second: the desk's timers (hold lines, hold timeouts,
  // call limits), and simulated people picking up waiting calls.
  void tick() {
    for (patter::CallId id : desk_.due(now_)) {
      const auto it = calls_.find(id);
      if (it != calls_.end()) step(it->second.slot, patter::Event::timer(now_));
    }
    const std::vector<patter::CallId> queue = desk_.queue();
    for (patter::CallId id : queue) {
      const auto it = calls_.find(id);
      if (it == calls_.end()) continue;
      const std::uint32_t i = it->second.slot;
      Slot& s = slots_[i];
      if (s.state != State::holding || s.call != id) continue;
      Person& own = people_[s.person];
      patter::Turn t;
      if (!own.manual() && !own.talking && now_ >= s.react_at) {
        if (desk_.grab(own.name, id, now_, t) == patter::DeskStatus::ok) joined(i, s.person);
        continue;
      }
      if (s.training || now_ < s.escalated_at + opt_.help_after_ms) continue;
      // Waited long enough: a free colleague takes it (the queue's head first).
      for (std::uint32_t p = 0; p < people_.size(); ++p) {
        Person& other = people_[p];
        if (other.manual() || other.talking) continue;
        patter::CallId got = 0;
        if (desk_.take_next(other.name, now_, t, &got) == patter::DeskStatus::ok) {
          const auto g = calls_.find(got);
          if (g != calls_.end()) joined(g->second.slot, p);
          break;
        }
      }
    }
    push(now_ + 1000, Ev::tick, 0);
  }

  // ---- the desk's news -------------------------------------------------------------

  patter::DeskOptions desk_options() {
    patter::DeskOptions d;
    d.auto_assign = false;  // people choose: pages, or the simulated people in tick()
    d.listen_buffer = 1024;
    d.on_call_ended = [this](patter::CallId id, const patter::CallResult& r) { ended_.emplace_back(id, r); };
    return d;
  }

  /// Calls that ended during the last desk call. True when there were any.
  bool settle() {
    bool any = false;
    while (!ended_.empty()) {
      auto ended = std::move(ended_);
      ended_.clear();
      for (auto& [id, r] : ended) {
        const auto it = calls_.find(id);
        if (it == calls_.end()) continue;
        drain(id);
        finished(it->second.slot, r);
        any = true;
      }
    }
    return any;
  }

  void finished(std::uint32_t i, const patter::CallResult& r) {
    Slot& s = slots_[i];
    CallRecord& rec = calls_[s.call];
    leave_hold(s);
    std::uint64_t person_ms = 0;
    if (s.with != UINT32_MAX) {
      person_ms = now_ - s.joined_at;
      if (people_[s.with].talking == s.call) people_[s.with].talking = 0;
    }
    patter::CallContext c;
    c.has_context = true;
    c.persona = s.persona->name;
    if (s.with != UINT32_MAX) c.agent = people_[s.with].name;
    c.dialed_ms = s.dialed;
    c.ended_ms = now_;
    c.wait_ms = s.wait;
    c.taken = s.taken;
    c.grabbed = s.grabbed;
    c.person_ms = person_ms;
    if (!s.training) stats_.add(r, c);
    ++totals_.ended;
    rec.phase = "ended";
    rec.outcome = std::string(patter::to_string(r.outcome));
    rec.hangup = std::string(patter::to_string(r.hangup));
    rec.grade = r.grade;
    rec.score = r.score;
    rec.waiting = rec.queued = false;
    const std::string was_with = std::move(rec.with);
    rec.with.clear();
    emit_call(rec, was_with);
    const std::uint32_t gen = s.gen + 1, person_gen = s.person_gen + 1;
    const bool training = s.training;
    const std::uint32_t person = s.person;
    s.state = State::idle;
    s.gen = gen;
    s.person_gen = person_gen;
    s.with = UINT32_MAX;
    push(std::max(now_, s.line_end) + opt_.redial_ms, Ev::dial, i);
    if (training) training_news(person);
  }

  void drop(std::uint32_t i) {
    Slot& s = slots_[i];
    if (s.with != UINT32_MAX && people_[s.with].talking == s.call) people_[s.with].talking = 0;
    s.state = State::idle;
    s.with = UINT32_MAX;
    ++s.gen;
    ++s.person_gen;
    push(now_ + opt_.redial_ms, Ev::dial, i);
  }

  /// What the call's listen-in subscription saw since last time, into its
  /// record and out to the pages.
  void drain(patter::CallId id) {
    const auto it = calls_.find(id);
    if (it == calls_.end()) return;
    CallRecord& rec = it->second;
    events_.clear();
    if (rec.sub) rec.sub->poll(events_);
    for (const patter::ListenEvent& e : events_) {
      Line line;
      line.at = e.at_ms;
      switch (e.type) {
        case patter::ListenEventType::robot_said:
          line.who = "robot";
          line.text = e.text;
          break;
        case patter::ListenEventType::customer_said:
          line.who = "customer";
          line.text = e.text;
          if (e.intent != patter::kNone && e.intent < s_.intents().size()) {
            line.intent = s_.intent(e.intent).name;
            if (std::find(rec.intents.begin(), rec.intents.end(), line.intent) == rec.intents.end())
              rec.intents.push_back(line.intent);
          }
          break;
        case patter::ListenEventType::key:
          line.who = "customer";
          line.text = "(presses " + e.text + ")";
          break;
        case patter::ListenEventType::silence:
          line.who = "customer";
          line.text = "(silence)";
          break;
        case patter::ListenEventType::escalated:
          line.who = "system";
          line.text = "escalated: " + e.text;
          rec.reason = e.text;
          rec.escalated_at = e.at_ms;
          break;
        case patter::ListenEventType::queued:
          line.who = "system";
          line.text = "waiting for a person";
          break;
        case patter::ListenEventType::joined:
          line.who = "system";
          line.text = e.agent + " took the call";
          break;
        case patter::ListenEventType::handed_back:
          line.who = "system";
          line.text = "handed back to the robot at " + node_name(e.node);
          break;
        case patter::ListenEventType::ended:
          line.who = "system";
          line.text = "call ended: " + e.text;
          break;
      }
      add_line(rec, std::move(line));
    }
    const std::string was_with = rec.with;
    refresh(rec);
    emit_call(rec, was_with);
  }

  void refresh(CallRecord& rec) {
    const auto info = desk_.call(rec.id);
    if (!info) return;
    rec.phase = std::string(state_name(info->phase));
    rec.node = node_name(info->node);
    rec.score = info->score;
    rec.with = info->with;
    rec.queued = info->queued;
    rec.waiting = info->escalated_at_ms != 0 && info->with.empty();
    if (const auto session = desk_.session(rec.id)) rec.grade = session->grade_so_far();
  }

  void add_line(CallRecord& rec, Line line) {
    rec.lines.push_back(std::move(line));
    while (rec.lines.size() > opt_.lines_kept) rec.lines.pop_front();
    JsonWriter j;
    j.object().field("type", "line").field("ts", stamp_).field("call", rec.id);
    write_line(j, rec.lines.back());
    j.end();
    emit(person_topics(rec), j.take());
  }

  std::string node_name(patter::NodeId n) const { return n < s_.nodes().size() ? s_.node(n).name : std::string(); }

  void send_assist(patter::CallId id) {
    const auto it = calls_.find(id);
    if (it == calls_.end()) return;
    CallRecord& rec = it->second;
    rec.assist = desk_.assist(id);
    if (!rec.assist) return;
    JsonWriter j;
    j.object().field("type", "assist").field("ts", stamp_).field("call", id).key("assist");
    write_assist(j, *rec.assist);
    j.end();
    emit(person_topics(rec), j.take());
  }

  // ---- commands from the pages ---------------------------------------------------

  void command(const Command& c) {
    const std::uint32_t p = person_index(c.view.name);
    switch (c.kind) {
      case Command::Kind::open:
        if (c.view.kind == View::Kind::agent && p != UINT32_MAX) attach(p, +1);
        snapshot(c);
        return;
      case Command::Kind::close:
        if (c.view.kind == View::Kind::agent && p != UINT32_MAX) attach(p, -1);
        return;
      default: break;
    }
    if (c.view.kind == View::Kind::supervisor || p == UINT32_MAX)
      return refuse(c, "this page only watches: open an agent or a trainee view to take calls");
    Person& person = people_[p];
    patter::Turn t;
    switch (c.kind) {
      case Command::Kind::grab: {
        const auto it = calls_.find(c.call);
        if (it == calls_.end()) return refuse(c, "that call has ended");
        const patter::DeskStatus st = desk_.grab(person.name, c.call, now_, t);
        if (st != patter::DeskStatus::ok) return refuse(c, grab_refusal(st));
        joined(it->second.slot, p);
        return;
      }
      case Command::Kind::take_next: {
        patter::CallId got = 0;
        const patter::DeskStatus st = desk_.take_next(person.name, now_, t, &got);
        if (st != patter::DeskStatus::ok) return refuse(c, grab_refusal(st));
        const auto it = calls_.find(got);
        if (it != calls_.end()) joined(it->second.slot, p);
        return;
      }
      case Command::Kind::reply: return reply(c, p);
      case Command::Kind::hand_back: {
        const auto node = s_.find_node(c.text);
        if (!node) return refuse(c, "no node `" + c.text + "` in the script");
        const auto it = calls_.find(c.call);
        if (it == calls_.end()) return refuse(c, "that call has ended");
        const std::uint32_t i = it->second.slot;
        const patter::DeskStatus st = desk_.hand_back(person.name, c.call, *node, now_, turn_);
        if (st != patter::DeskStatus::ok) return refuse(c, std::string("hand back refused: ") + std::string(patter::to_string(st)));
        person.talking = 0;
        Slot& s = slots_[i];
        s.state = State::robot;
        s.with = UINT32_MAX;
        ++s.gen;
        ++s.person_gen;
        after(i, turn_);
        return;
      }
      case Command::Kind::end: {
        const auto reason = patter::parse_hangup_reason(c.text);
        if (!reason) return refuse(c, "no hang-up reason `" + c.text + "`");
        const patter::DeskStatus st = desk_.finish(person.name, c.call, now_, turn_, *reason);
        if (st != patter::DeskStatus::ok) return refuse(c, std::string("end refused: ") + std::string(patter::to_string(st)));
        drain(c.call);
        settle();
        return;
      }
      case Command::Kind::start_training: {
        if (!person.trainee) return refuse(c, "only trainees train");
        if (person.training_running) return refuse(c, "a training run is going on");
        person.training_running = true;
        person.training_dialed = 0;
        person.training_target = opt_.training_calls;
        for (std::uint32_t i = 0; i < slots_.size(); ++i)
          if (slots_[i].person == p && slots_[i].state == State::idle) push(now_ + 300 * slots_[i].robot, Ev::dial, i);
        training_news(p);
        return;
      }
      default: return;
    }
  }

  static std::string grab_refusal(patter::DeskStatus st) {
    switch (st) {
      case patter::DeskStatus::already_taken: return "someone else has that call";
      case patter::DeskStatus::agent_busy: return "you are on a call: end it or hand it back first";
      case patter::DeskStatus::not_supervisor: return "that call is not one of your robots'";
      case patter::DeskStatus::queue_empty: return "nobody is waiting";
      case patter::DeskStatus::unknown_call: return "that call has ended";
      default: return std::string("refused: ") + std::string(patter::to_string(st));
    }
  }

  void reply(const Command& c, std::uint32_t p) {
    const auto it = calls_.find(c.call);
    if (it == calls_.end()) return refuse(c, "that call has ended");
    CallRecord& rec = it->second;
    Slot& s = slots_[rec.slot];
    if (s.state != State::person || s.with != p) return refuse(c, "take the call first");
    if (c.text.empty()) return;
    Line line;
    line.who = "agent";
    line.text = c.text.substr(0, 1000);
    line.at = now_;
    add_line(rec, std::move(line));
    // The customer answers as if the robot had said it: at the node of the
    // suggestion the person used, else where the call is.
    if (rec.assist)
      for (const patter::Suggestion& sg : rec.assist->lines)
        if (sg.text == c.text) s.conversation = sg.node;
    patter::NodeId at = s.conversation;
    if (at == patter::kNone || s_.node(at).terminal()) {
      const auto info = desk_.call(c.call);
      at = info ? info->node : patter::kNone;
    }
    if (at == patter::kNone || at >= s_.nodes().size()) at = s_.start();
    const std::uint64_t line_end = now_ + Customers::speaking_ms(line.text);
    plan_reply(rec.slot, at, line_end, s_.node(at).listen_ms);
    push(line_end + customers_.patience_ms(*s.persona), Ev::patience, rec.slot);
    emit_call(rec);
  }

  void refuse(const Command& c, const std::string& why) {
    JsonWriter j;
    j.object().field("type", "refused").field("ts", stamp_).field("call", c.call).field("text", why).end();
    out_.push_back({{}, c.conn, j.take()});
  }

  void attach(std::uint32_t p, int delta) {
    Person& person = people_[p];
    const bool was = person.manual();
    person.pages = std::max(0, person.pages + delta);
    if (was == person.manual() || !person.talking) return;
    const auto it = calls_.find(person.talking);
    if (it == calls_.end()) return;
    Slot& s = slots_[it->second.slot];
    ++s.person_gen;  // a real person came (the simulated one stops), or left (it takes over)
    if (!person.manual()) push(now_ + customers_.between(opt_.handle_ms.min, opt_.handle_ms.max) / 4, Ev::person_done, it->second.slot);
  }

  void training_news(std::uint32_t p) {
    Person& person = people_[p];
    if (!person.trainee) return;
    bool live = false;
    for (const Slot& s : slots_)
      if (s.person == p && s.state != State::idle) live = true;
    const auto a = desk_.assessment(person.name);
    const bool done = person.training_running && person.training_dialed >= person.training_target && !live;
    if (done) person.training_running = false;
    JsonWriter j;
    j.object().field("type", "training").field("ts", stamp_).key("training");
    write_training(j, person, a ? &*a : nullptr, done);
    j.end();
    emit({"trainee:" + person.name}, j.take());
  }

  // ---- JSON ----------------------------------------------------------------------

  std::vector<std::string> person_topics(const CallRecord& rec) const {
    std::vector<std::string> t = {"agent:" + rec.supervisor};
    if (!rec.with.empty() && rec.with != rec.supervisor) t.push_back("agent:" + rec.with);
    return t;
  }

  void emit(std::vector<std::string> topics, std::string json) { out_.push_back({std::move(topics), 0, std::move(json)}); }

  /// `was_with`: the person who had the call until now, who hears of it once more.
  void emit_call(const CallRecord& rec, const std::string& was_with = {}) {
    JsonWriter j;
    j.object().field("type", "call").field("ts", stamp_).key("call");
    write_call(j, rec, false);
    j.end();
    std::vector<std::string> topics = person_topics(rec);
    if (!was_with.empty() && was_with != rec.with && was_with != rec.supervisor) topics.push_back("agent:" + was_with);
    topics.push_back("wall");
    emit(std::move(topics), j.take());
  }

  static void write_line(JsonWriter& j, const Line& l) {
    j.field("who", l.who).field("text", l.text).field("intent", l.intent).field("at", l.at);
  }

  void write_assist(JsonWriter& j, const patter::Assist& a) const {
    j.object().field("heard", a.heard).key("intents").array();
    for (patter::IntentId i : a.intents)
      if (i < s_.intents().size()) j.value(s_.intent(i).name);
    j.end().key("lines").array();
    for (const patter::Suggestion& s : a.lines)
      j.object().field("text", s.text).field("node", node_name(s.node)).end();
    j.end().field("decision", patter::to_string(a.decision)).field("grade", std::string(1, a.grade))
        .field("score", a.score).end();
  }

  void write_call(JsonWriter& j, const CallRecord& rec, bool lines) const {
    const Slot& s = slots_[rec.slot];
    j.object()
        .field("id", rec.id)
        .field("agent", rec.supervisor)
        .field("robot", s.robot)
        .field("training", s.training)
        .field("persona", rec.persona)
        .field("phase", rec.phase)
        .field("node", rec.node)
        .field("score", rec.score)
        .field("grade", std::string(1, rec.grade))
        .field("hot", opt_.grab_score > 0 && rec.score >= opt_.grab_score && rec.phase != "ended")
        .field("with", rec.with)
        .field("queued", rec.queued)
        .field("waiting", rec.waiting)
        .field("reason", rec.reason)
        .field("outcome", rec.outcome)
        .field("hangup", rec.hangup)
        .field("dialed", rec.dialed)
        .field("escalated_at", rec.escalated_at);
    j.key("intents").array();
    for (const std::string& i : rec.intents) j.value(i);
    j.end();
    j.key("last");
    if (rec.lines.empty())
      j.null();
    else {
      j.object();
      write_line(j, rec.lines.back());
      j.end();
    }
    if (lines) {
      j.key("lines").array();
      for (const Line& l : rec.lines) {
        j.object();
        write_line(j, l);
        j.end();
      }
      j.end();
      if (rec.assist && !rec.with.empty()) {
        j.key("assist");
        write_assist(j, *rec.assist);
      }
    }
    j.end();
  }

  void write_training(JsonWriter& j, const Person& p, const patter::TrainingAssessment* a, bool done) const {
    j.object()
        .field("trainee", p.name)
        .field("running", p.training_running)
        .field("dialed", p.training_dialed)
        .field("target", p.training_target)
        .field("done", done);
    j.key("decisions").array();
    if (a)
      for (const patter::GrabDecision& d : a->decisions)
        j.object()
            .field("call", d.call)
            .field("verdict", patter::to_string(d.verdict))
            .field("offset_ms", static_cast<std::int64_t>(d.offset_ms))
            .end();
    j.end().key("assessment");
    if (a && (done || !p.training_running) && !a->decisions.empty())
      j.raw(a->to_json());
    else
      j.null();
    j.end();
  }

  std::string hello_json() const {
    JsonWriter j;
    j.object().key("script").object().field("id", s_.id()).field("title", s_.title()).field("locale", s_.locale()).end();
    j.key("nodes").array();
    for (const patter::Node& n : s_.nodes())
      j.object().field("name", n.name).field("kind", patter::to_string(n.kind)).end();
    j.end().key("reasons").array();
    for (const char* r : {"completed", "not_interested", "callback", "busy", "wrong_person", "opt_out", "agent_ended"})
      j.value(r);
    j.end().key("agents").array();
    for (const Person& p : people_)
      if (!p.trainee) j.value(p.name);
    j.end().key("trainees").array();
    for (const Person& p : people_)
      if (p.trainee) j.value(p.name);
    j.end()
        .field("speed", opt_.speed)
        .field("robots_per_agent", opt_.robots_per_agent)
        .field("grab_score", opt_.grab_score)
        .field("training_calls", opt_.training_calls)
        .end();
    return j.take();
  }

  void write_summary(JsonWriter& j) {
    j.object().field("sim_ms", now_).field("speed", opt_.speed);
    j.key("queue").array();
    for (patter::CallId id : desk_.queue()) {
      const auto it = calls_.find(id);
      if (it == calls_.end()) continue;
      const CallRecord& rec = it->second;
      j.object()
          .field("call", id)
          .field("agent", rec.supervisor)
          .field("reason", rec.reason)
          .field("score", rec.score)
          .field("waited_ms", now_ >= rec.escalated_at ? now_ - rec.escalated_at : 0)
          .end();
    }
    j.end().key("people").array();
    for (const patter::AgentStats& a : desk_.all_stats()) {
      const std::uint32_t p = person_index(a.agent);
      if (p == UINT32_MAX) continue;
      const Person& person = people_[p];
      std::uint32_t robots = 0;
      for (const Slot& s : slots_)
        if (s.person == p && s.state != State::idle) ++robots;
      j.object()
          .field("name", a.agent)
          .field("trainee", person.trainee)
          .field("at_desk", person.pages > 0)
          .field("robots", robots)
          .field("talking", person.talking)
          .field("calls", a.calls_supervised)
          .field("escalations", a.escalations)
          .field("grabs", a.grabs)
          .field("hand_backs", a.hand_backs)
          .field("mean_take_ms", a.mean_time_to_take_ms)
          .end();
    }
    j.end();
    const patter::DeskCounters dc = desk_.counters();
    j.key("counters")
        .object()
        .field("opened", dc.calls_opened)
        .field("ended", dc.calls_ended)
        .field("raised", dc.raised)
        .field("taken", dc.taken)
        .field("gave_up", dc.gave_up)
        .field("ended_waiting", dc.ended_waiting)
        .field("grabs", dc.grabs)
        .end();
    const patter::StatsReport r = stats_.report();
    j.key("funnel").object().field("calls", r.calls).field("answered", r.answered).field("converted", r.converted);
    j.field("converted_grades", r.converted_grades);
    j.key("rows").array();
    for (const patter::FunnelRow& row : r.funnel)
      j.object()
          .field("node", row.node)
          .field("reached", row.reached)
          .field("hung_up", row.hung_up)
          .field("escalated", row.escalated)
          .field("converted", row.converted)
          .end();
    j.end().key("grades").array();
    for (const auto& [g, n] : r.grades) j.array().value(std::string(1, g)).value(n).end();
    j.end().key("outcomes").array();
    for (const auto& [o, n] : r.outcomes) j.array().value(o).value(n).end();
    j.end().end();
    j.end();
  }

  std::string summary_json(const char* type) {
    JsonWriter j;
    j.object().field("type", type).field("ts", stamp_).key("summary");
    write_summary(j);
    j.end();
    return j.take();
  }

  void snapshot(const Command& c) {
    const std::vector<std::string> topics = c.view.topics();
    auto wants = [&](const CallRecord& rec) {
      for (const std::string& t : topics) {
        if (t == "wall") return true;
        if (t == "agent:" + rec.supervisor || (!rec.with.empty() && t == "agent:" + rec.with)) return true;
      }
      return false;
    };
    JsonWriter j;
    j.object().field("type", "snapshot").field("ts", stamp_).field("view", c.view.kind_name());
    j.field("name", c.view.name).field("follow", c.view.follow);
    j.key("hello").raw(hello_);
    j.key("calls").array();
    // Robot by robot, so the cards keep their places.
    for (const Slot& s : slots_) {
      const auto it = calls_.find(s.call);
      if (it == calls_.end() || !wants(it->second)) continue;
      write_call(j, it->second, c.view.kind != View::Kind::supervisor);
    }
    j.end();
    j.key("summary");
    write_summary(j);
    const std::uint32_t p = person_index(c.view.name);
    if (c.view.kind == View::Kind::trainee && p != UINT32_MAX && people_[p].trainee) {
      const auto a = desk_.assessment(people_[p].name);
      j.key("training");
      write_training(j, people_[p], a ? &*a : nullptr, false);
    }
    j.end();
    out_.push_back({{}, c.conn, j.take()});
  }

  std::shared_ptr<const patter::Script> script_;
  const patter::Script& s_;
  CampaignOptions opt_;
  Publish publish_;
  Customers customers_;
  patter::Stats stats_;
  patter::Desk desk_;
  std::vector<Person> people_;
  std::vector<Slot> slots_;
  std::unordered_map<patter::CallId, CallRecord> calls_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue_;
  std::vector<std::pair<patter::CallId, patter::CallResult>> ended_;
  std::vector<patter::ListenEvent> events_;
  std::vector<Update> out_;
  std::string hello_;
  patter::Turn turn_;
  std::uint64_t now_ = 0, seq_ = 0;
  double stamp_ = 0;
  Clock::time_point start_;
  CampaignTotals totals_;
  CampaignTotals totals_copy_;  // for other threads, under m_

  std::mutex m_;
  std::condition_variable cv_;
  std::vector<std::pair<Command, double>> inbox_;
  bool stopping_ = false;
  std::thread thread_;
};

LiveCampaign::LiveCampaign(std::shared_ptr<const patter::Script> script, patter::PersonaSet personas,
                           CampaignOptions options, Publish publish)
    : impl_(std::make_unique<Impl>(std::move(script), std::move(personas), options, std::move(publish))) {}

LiveCampaign::~LiveCampaign() { stop(); }

void LiveCampaign::start() { impl_->start(); }
void LiveCampaign::stop() { impl_->stop(); }
void LiveCampaign::post(Command command) { impl_->post(std::move(command)); }

std::vector<std::string> LiveCampaign::agents() const {
  std::vector<std::string> out;
  for (const auto& p : impl_->people_)
    if (!p.trainee) out.push_back(p.name);
  return out;
}

std::vector<std::string> LiveCampaign::trainees() const {
  std::vector<std::string> out;
  for (const auto& p : impl_->people_)
    if (p.trainee) out.push_back(p.name);
  return out;
}

CampaignTotals LiveCampaign::totals() const {
  std::lock_guard lock(impl_->m_);
  return impl_->totals_copy_;
}

}  // namespace webdesk
