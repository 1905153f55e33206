// The campaign's thread: the simulated campaign (patter/tooling/campaign.hpp)
// stepped on a sped-up wall clock, the pages' commands carried out on it as
// its people's, and what they cause turned into updates for the pages.
#include "live_campaign.hpp"

#include <patter/handoff.hpp>
#include <patter/tooling/campaign.hpp>
#include <patter/tooling/stats.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include <patter/json_writer.hpp>

#include "audit_log.hpp"
#include "authorization.hpp"
#include "page_command.hpp"

namespace webdesk {
namespace {

using patter::JsonWriter;

using Clock = std::chrono::steady_clock;

/// Milliseconds since the epoch, to the microsecond: the stamp pages compare
/// with their own clock to measure event-to-screen latency.
double wall_ms() {
  using namespace std::chrono;
  return static_cast<double>(
             duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) /
         1000.0;
}

/// A person's figures at one moment of the shift, for the pages' chart.
struct Sample {
  std::uint64_t at = 0, calls = 0, taken = 0, converted = 0, talk_ms = 0;
};

/// How often the shift's figures are sampled (simulated time), and how many
/// samples are kept (older ones are thinned out, every other one dropped).
constexpr std::uint64_t kSampleEveryMs = 30000;
constexpr std::size_t kSamplesKept = 240;

/// What the pages know of a person of the campaign.
struct Person {
  std::string name;
  bool trainee = false;
  int pages = 0;     // open agent pages: a real person is at this desk
  int watching = 0;  // open pages of any view: their summary is sent
  // A page opened while their simulated stand-in was on a call: the stand-in
  // finishes it, and the page's person takes the seat once it has ended.
  bool arriving = false;
  // Training runs.
  std::uint32_t training_dialed = 0, training_target = 0;
  bool training_running = false;
  // The shift's figures: calls they took, of those converted, time on them,
  // and the wait between an escalation and their taking it.
  std::uint64_t taken = 0, converted = 0, talk_ms = 0, waits = 0, wait_ms = 0;
  std::vector<Sample> history;
  bool manual() const { return pages > 0 || trainee; }
};

/// A transcript line. System lines carry `key` (escalated, queued, joined,
/// handed_back, ended, silence, key) and `arg`, so pages word them in their
/// own language; `text` is the English wording for everyone else.
struct Line {
  std::string who;  // robot, customer, agent, system
  std::string text;
  std::string intent;
  std::uint64_t at = 0;
  std::string key, arg;
  std::string by;  // who said a person's line (person_said), or whispered
};

/// What the pages see of a call.
struct CallRecord {
  patter::CallId id = 0;
  std::uint32_t slot = 0;  // the robot
  std::string supervisor, with, persona;
  std::shared_ptr<patter::Subscription> sub;
  std::deque<Line> lines;
  std::vector<std::string> intents;
  std::string phase = "dialing", node, reason, outcome, hangup;
  double score = 0;
  std::string grade = "E";
  bool queued = false, waiting = false;
  std::uint64_t dialed = 0, escalated_at = 0;
  std::optional<patter::Assist> assist;
  std::string joined_by, last_person;  // the person on the call now; the last one who was
  std::uint64_t joined_at = 0;
  std::string handoff;  // the handoff summary's JSON when a person took the call
  std::string barged;   // a supervisor on the call beside its person
  patter::NodeId conversation =
      patter::kNone;  // where the person's talk is, for the customer's replies
};

}  // namespace

struct LiveCampaign::Impl {
  Impl(std::shared_ptr<const patter::Script> script, patter::PersonaSet personas,
       CampaignOptions options, Publish publish)
      : script_(std::move(script)),
        s_(*script_),
        opt_(options),
        publish_(std::move(publish)),
        campaign_(script_, personas, options.stepper) {
    for (const patter::Campaign::Person& p : campaign_.people()) {
      Person& person = people_.emplace_back();
      person.name = p.name;
      person.trainee = p.trainee;
      if (p.trainee) campaign_.set_present(p.name, true);  // trainees decide for themselves
    }
    last_call_.resize(campaign_.robots().size());
    patter::CampaignObservers& o = campaign_.observers();
    o.on_dialed = [this](patter::CallId id, std::uint32_t robot) { dialed(id, robot); };
    o.on_changed = [this](patter::CallId id) {
      // New suggestions when a person joins, and each time the customer speaks to them.
      if (drain(id)) send_assist(id);
    };
    o.on_ended = [this](patter::CallId id, const patter::CallResult& r, const patter::CallContext&,
                        std::uint32_t robot) { finished(id, r, robot); };
    converted_grades_ = campaign_.report().converted_grades;
    hello_ = hello_json();
  }

  patter::Desk& desk() { return campaign_.desk(); }
  const patter::Desk& desk() const { return campaign_.desk(); }

  // ---- the thread ----------------------------------------------------------------

  void start() {
    start_ = Clock::now();
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
    return start_ + std::chrono::microseconds(
                        static_cast<std::int64_t>(static_cast<double>(sim) * 1000.0 / opt_.speed));
  }
  double stamp_of(std::uint64_t sim) const {
    // The wall time an event was due: its updates are stamped with it, so a
    // late wake-up counts against the latency too.
    const auto late =
        std::chrono::duration<double, std::milli>(Clock::now() - wall_of(sim)).count();
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
      for (auto t = campaign_.next_event_time(); t && *t <= sim; t = campaign_.next_event_time()) {
        stamp_ = stamp_of(*t);
        campaign_.step_until(*t);
      }
      campaign_.step_until(sim);
      arrive();
      sample();
      for (auto& [c, at] : commands) {
        stamp_ = at;
        command(c);
      }
      if (Clock::now() >= next_summary) {
        stamp_ = wall_ms();
        send_summaries();
        next_summary = Clock::now() + std::chrono::milliseconds(500);
      }
      flush();

      lock.lock();
      totals_copy_ = totals();
      if (stopping_ || !inbox_.empty()) continue;
      auto wake = next_summary;
      if (const auto t = campaign_.next_event_time()) wake = std::min(wake, wall_of(*t));
      cv_.wait_until(lock, wake);
    }
  }

  CampaignTotals totals() const {
    const patter::CampaignCounters c = campaign_.counters();
    return {c.dialed, c.ended, c.escalations, c.taken, c.errors};
  }

  void flush() {
    if (out_.empty()) return;
    std::vector<Update> out;
    out.swap(out_);
    publish_(std::move(out));
  }

  // ---- what the campaign reports ---------------------------------------------------

  void dialed(patter::CallId id, std::uint32_t i) {
    const patter::Campaign::Robot& robot = campaign_.robots()[i];
    if (last_call_[i]) calls_.erase(last_call_[i]);  // the robot's last call leaves the pages
    last_call_[i] = id;
    Person& person = people_[robot.person];
    if (person.trainee) ++person.training_dialed;
    CallRecord& rec = calls_[id];
    rec.id = id;
    rec.slot = i;
    rec.supervisor = person.name;
    rec.persona = std::string(robot.persona);
    rec.dialed = campaign_.now();
    rec.sub = desk().listen(id, 1024);
    emit_call(rec);
  }

  void finished(patter::CallId id, const patter::CallResult& r, std::uint32_t robot) {
    const auto it = calls_.find(id);
    if (it == calls_.end()) return;
    drain(id);
    CallRecord& rec = it->second;
    rec.phase = "ended";
    rec.outcome = std::string(patter::to_string(r.outcome));
    rec.hangup = std::string(patter::to_string(r.hangup));
    rec.grade = r.grade;
    rec.score = r.score;
    rec.waiting = rec.queued = false;
    if (const std::uint32_t by = person_index(rec.last_person);
        by != UINT32_MAX && converted_grade(r.grade))
      ++people_[by].converted;
    const std::string was_with = std::move(rec.with);
    rec.with.clear();
    emit_call(rec, was_with);
    const std::uint32_t p = campaign_.robots()[robot].person;
    if (people_[p].trainee) training_news(p);
  }

  bool converted_grade(const std::string& grade) const {
    return !grade.empty() && converted_grades_.find(grade) != std::string::npos;
  }

  /// A person joining or leaving a call: their figures, and the handoff
  /// summary for the one who joins.
  void tally(CallRecord& rec, const patter::ListenEvent& e) {
    using T = patter::ListenEventType;
    if (e.type == T::noted) return send_notes(rec);
    if (e.type == T::joined || e.type == T::taken_over || e.type == T::reassigned) {
      leave(rec, e.at_ms);
      const std::uint32_t p = person_index(e.agent);
      rec.joined_by = e.agent;
      rec.joined_at = e.at_ms;
      if (p != UINT32_MAX) {
        ++people_[p].taken;
        if (rec.escalated_at && e.at_ms >= rec.escalated_at) {
          ++people_[p].waits;
          people_[p].wait_ms += e.at_ms - rec.escalated_at;
        }
      }
      if (const auto summary = desk().summary(rec.id, e.at_ms)) {
        rec.handoff = summary->to_json();
        JsonWriter j;
        j.object().field("type", "handoff").field("ts", stamp_).field("call", rec.id);
        j.field("with", e.agent).key("handoff").raw(rec.handoff).end();
        std::string json = j.take();
        emit_to_watchers(rec.id, json);
        emit({"agent:" + e.agent}, std::move(json));
      }
    } else if (e.type == T::handed_back || e.type == T::ended) {
      leave(rec, e.at_ms);
    }
  }

  void leave(CallRecord& rec, std::uint64_t at) {
    if (rec.joined_by.empty()) return;
    if (const std::uint32_t p = person_index(rec.joined_by); p != UINT32_MAX)
      people_[p].talk_ms += at >= rec.joined_at ? at - rec.joined_at : 0;
    rec.last_person = std::move(rec.joined_by);
    rec.joined_by.clear();
  }

  /// Time on calls, the one going on included.
  std::uint64_t talk_ms(std::uint32_t p) const {
    std::uint64_t ms = people_[p].talk_ms;
    for (const auto& [id, rec] : calls_)
      if (rec.joined_by == people_[p].name && campaign_.now() >= rec.joined_at)
        ms += campaign_.now() - rec.joined_at;
    return ms;
  }

  /// Every kSampleEveryMs of the shift, each person's figures for the chart.
  void sample() {
    const std::uint64_t now = campaign_.now();
    if (now < next_sample_) return;
    next_sample_ = (now / kSampleEveryMs + 1) * kSampleEveryMs;
    const std::vector<patter::AgentStats> stats = desk().all_stats();
    for (std::uint32_t p = 0; p < people_.size(); ++p) {
      Person& person = people_[p];
      std::uint64_t calls = 0;
      for (const patter::AgentStats& a : stats)
        if (a.agent == person.name) calls = a.calls_supervised;
      if (person.history.size() >= kSamplesKept) {
        std::size_t keep = 0;
        for (std::size_t i = 0; i < person.history.size(); i += 2)
          person.history[keep++] = person.history[i];
        person.history.resize(keep);
      }
      person.history.push_back({now, calls, person.taken, person.converted, talk_ms(p)});
    }
  }

  /// What the call's listen-in subscription saw since last time, into its
  /// record and out to the pages.
  /// True when a person has the call and it has news for them to answer.
  bool drain(patter::CallId id) {
    const auto it = calls_.find(id);
    if (it == calls_.end()) return false;
    CallRecord& rec = it->second;
    events_.clear();
    if (rec.sub) rec.sub->poll(events_);
    bool news = false;
    for (const patter::ListenEvent& e : events_) {
      news = news || e.type == patter::ListenEventType::joined ||
             e.type == patter::ListenEventType::customer_said;
      add_line(rec, line_of(rec, e));
      tally(rec, e);
    }
    const std::string was_with = rec.with;
    refresh(rec);
    emit_call(rec, was_with);
    return news && !rec.with.empty();
  }

  Line line_of(CallRecord& rec, const patter::ListenEvent& e) const {
    Line line;
    line.at = e.at_ms;
    line.who = "system";
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
        line.key = "key";
        line.arg = e.text;
        break;
      case patter::ListenEventType::silence:
        line.who = "customer";
        line.text = "(silence)";
        line.key = "silence";
        break;
      case patter::ListenEventType::escalated:
        line.text = "escalated: " + e.text;
        line.arg = e.text;
        rec.reason = e.text;
        rec.escalated_at = e.at_ms;
        break;
      case patter::ListenEventType::queued: line.text = "waiting for a person"; break;
      case patter::ListenEventType::joined:
        line.text = e.agent + " took the call";
        line.arg = e.agent;
        break;
      case patter::ListenEventType::handed_back:
        line.text = "handed back to the robot at " + node_name(e.node);
        line.arg = node_name(e.node);
        break;
      case patter::ListenEventType::ended:
        line.text = "call ended: " + e.text;
        line.arg = e.text;
        break;
      case patter::ListenEventType::person_said:
        line.who = person_index(e.agent) == UINT32_MAX ? "supervisor" : "agent";
        line.text = e.text;
        line.by = e.agent;
        break;
      case patter::ListenEventType::whispered:
        line.who = "supervisor";
        line.text = e.text;
        line.by = e.agent;
        break;
      case patter::ListenEventType::noted: line.text = e.text; break;
      case patter::ListenEventType::barged: line.text = e.agent + " joined the call"; break;
      case patter::ListenEventType::taken_over: line.text = e.agent + " took the call over"; break;
      case patter::ListenEventType::reassigned: line.text = "given to " + e.agent; break;
      case patter::ListenEventType::left: line.text = e.agent + " left the call"; break;
    }
    if (line.arg.empty() && !e.agent.empty()) line.arg = e.agent;
    if (line.key.empty() && (line.who == "system" || e.type == patter::ListenEventType::whispered))
      line.key = std::string(patter::to_string(e.type));
    return line;
  }

  void refresh(CallRecord& rec) {
    const auto info = desk().call(rec.id);
    if (!info) return;
    rec.phase = std::string(patter::to_string(info->phase));
    rec.node = node_name(info->node);
    rec.score = info->score;
    rec.with = info->with;
    rec.barged = info->barged;
    rec.queued = info->queued;
    rec.waiting = info->escalated_at_ms != 0 && info->with.empty();
    if (const auto session = desk().session(rec.id)) rec.grade = session->grade_so_far();
  }

  void add_line(CallRecord& rec, Line line) {
    rec.lines.push_back(std::move(line));
    while (rec.lines.size() > opt_.lines_kept) rec.lines.pop_front();
    JsonWriter j;
    j.object().field("type", "line").field("ts", stamp_).field("call", rec.id);
    write_line(j, rec.lines.back());
    j.end();
    std::string json = j.take();
    emit_to_watchers(rec.id, json);
    emit(person_topics(rec), std::move(json));
  }

  /// To the supervisors' pages following `call` (Command::Kind::watch).
  void emit_to_watchers(patter::CallId call, const std::string& json) {
    for (const auto& [conn, id] : watching_)
      if (id == call) out_.push_back({{}, conn, json});
  }

  void send_notes(const CallRecord& rec) {
    JsonWriter j;
    j.object().field("type", "notes").field("ts", stamp_).field("call", rec.id);
    write_notes(j, rec.id);
    j.end();
    std::string json = j.take();
    emit_to_watchers(rec.id, json);
    emit(person_topics(rec), std::move(json));
  }

  void write_notes(JsonWriter& j, patter::CallId id) const {
    j.key("notes").array();
    for (const patter::CoachingNote& n : desk().notes(id))
      j.object().field("author", n.author).field("text", n.text).field("at", n.at_ms).end();
    j.end();
  }

  std::string node_name(patter::NodeId n) const {
    return n < s_.nodes().size() ? s_.node(n).name : std::string();
  }

  void send_assist(patter::CallId id) {
    const auto it = calls_.find(id);
    if (it == calls_.end()) return;
    CallRecord& rec = it->second;
    rec.assist = desk().assist(id);
    if (!rec.assist) return;
    JsonWriter j;
    j.object().field("type", "assist").field("ts", stamp_).field("call", id).key("assist");
    write_assist(j, *rec.assist);
    j.end();
    emit(person_topics(rec), j.take());
  }

  std::uint32_t person_index(std::string_view name) const {
    for (std::uint32_t p = 0; p < people_.size(); ++p)
      if (people_[p].name == name) return p;
    return UINT32_MAX;
  }

  // ---- commands from the pages ---------------------------------------------------

  void command(const Command& c) {
    const std::uint32_t p = person_index(c.view.name);
    switch (c.kind) {
      case Command::Kind::open:
        if (c.view.kind == View::Kind::supervisor) enrol_supervisor(c.who);
        if (p != UINT32_MAX) ++people_[p].watching;
        if (c.view.kind == View::Kind::agent && p != UINT32_MAX) attach(p, +1);
        snapshot(c);
        return;
      case Command::Kind::close:
        watching_.erase(c.conn);
        if (p != UINT32_MAX) people_[p].watching = std::max(0, people_[p].watching - 1);
        if (c.view.kind == View::Kind::agent && p != UINT32_MAX) attach(p, -1);
        return;
      default: break;
    }
    if (const auto no = refusal(c.view, c.kind, facts(c.call));
        no || (p == UINT32_MAX && c.view.kind != View::Kind::supervisor)) {
      audit("refused", c, command_name(c.kind));
      return refuse(c, no ? *no : "this page acts for nobody");
    }
    if (c.view.kind == View::Kind::supervisor) return supervise(c);
    if (people_[p].arriving && c.kind != Command::Kind::start_training)
      return refuse(c,
                    "your stand-in is finishing call #" +
                        std::to_string(campaign_.people()[p].talking) +
                        ": the desk is yours when it ends",
                    "stand-in busy", campaign_.people()[p].talking);
    switch (c.kind) {
      case Command::Kind::grab: {
        const patter::DeskStatus st = campaign_.grab(people_[p].name, c.call);
        if (st != patter::DeskStatus::ok) return refuse(c, grab_refusal(st));
        return audit("grab", c, {});
      }
      case Command::Kind::take_next: {
        const patter::DeskStatus st = campaign_.take_next(people_[p].name);
        if (st != patter::DeskStatus::ok) return refuse(c, grab_refusal(st));
        Command taken = c;
        taken.call = campaign_.people()[p].talking;
        return audit("take_next", taken, {});
      }
      case Command::Kind::reply: return reply(c, p);
      case Command::Kind::hand_back: return hand_back(c, p);
      case Command::Kind::end: return end(c, p);
      case Command::Kind::start_training: return start_training(c, p);
      default: return;
    }
  }

  CallFacts facts(patter::CallId id) const {
    CallFacts f;
    const auto it = calls_.find(id);
    if (it == calls_.end()) return f;
    f.exists = true;
    f.robots_of = it->second.supervisor;
    if (const auto info = desk().call(id)) f.with = info->with;
    return f;
  }

  static std::string_view command_name(Command::Kind k) {
    switch (k) {
      case Command::Kind::grab: return "cmd=grab";
      case Command::Kind::take_next: return "cmd=take_next";
      case Command::Kind::reply: return "cmd=reply";
      case Command::Kind::hand_back: return "cmd=hand_back";
      case Command::Kind::end: return "cmd=end";
      case Command::Kind::start_training: return "cmd=start_training";
      case Command::Kind::watch: return "cmd=watch";
      case Command::Kind::whisper: return "cmd=whisper";
      case Command::Kind::barge: return "cmd=barge";
      case Command::Kind::take_over: return "cmd=take_over";
      case Command::Kind::reassign: return "cmd=reassign";
      case Command::Kind::note: return "cmd=note";
      case Command::Kind::leave: return "cmd=leave";
      default: return "cmd=page";
    }
  }

  void audit(std::string_view action, const Command& c, std::string_view detail) {
    if (audit_) audit_->write(action, c.call, c.who, c.view.name, detail);
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
    const auto info = desk().call(c.call);
    if (!calls_.count(c.call) || !info) return refuse(c, "that call has ended");
    if (info->with != people_[p].name) return refuse(c, "take the call first");
    say(c, people_[p].name, people_[p].name);
  }

  /// `speaker`'s words on the call: into the transcript (Desk::say, seen as
  /// person_said), and the simulated customer answers them through the
  /// campaign's person on the call, `seat` (none when a supervisor took the
  /// call over: the campaign has no one to answer for).
  void say(const Command& c, const std::string& speaker, const std::string& seat) {
    if (c.text.empty()) return;
    CallRecord& rec = calls_.at(c.call);
    const std::string words = c.text.substr(0, 1000);
    const patter::DeskStatus st = desk().say(speaker, c.call, words, campaign_.now(), turn_);
    if (st != patter::DeskStatus::ok) return refuse(c, step_in_refusal(st));
    audit("reply", c, "chars=" + std::to_string(words.size()));
    drain(c.call);
    if (seat.empty()) return;
    // The customer answers as if the robot had said it: at the node of the
    // suggestion the person used, else where the call is.
    if (rec.assist)
      for (const patter::Suggestion& sg : rec.assist->lines)
        if (sg.text == c.text) rec.conversation = sg.node;
    patter::NodeId at = rec.conversation;
    const auto info = desk().call(c.call);
    if ((at == patter::kNone || s_.node(at).terminal()) && info) at = info->node;
    if (at == patter::kNone || at >= s_.nodes().size()) at = s_.start();
    campaign_.say(seat, c.call, words, at);
  }

  // ---- a supervisor's commands -----------------------------------------------------

  /// A supervisor's page opened: its account is a supervisor on the desk
  /// (AgentOptions::supervisor), supervising no robot.
  void enrol_supervisor(const std::string& who) {
    if (who.empty() || supervisors_.count(who) || person_index(who) != UINT32_MAX) return;
    patter::AgentOptions o;
    o.capacity = 0;
    o.auto_answer = false;
    o.supervisor = true;
    if (desk().add_agent(who, o) == patter::DeskStatus::ok) supervisors_.insert(who);
  }

  void supervise(const Command& c) {
    using K = Command::Kind;
    const std::string& me = c.who;
    if (!supervisors_.count(me))
      return refuse(c, "the desk has no supervisor `" + me +
                           "`: name the account apart from the campaign's people");
    const std::uint64_t now = campaign_.now();
    patter::DeskStatus st = patter::DeskStatus::ok;
    std::string detail;
    switch (c.kind) {
      case K::watch: return watch(c);
      case K::reply: return supervisor_says(c);
      case K::end: return supervisor_ends(c);
      case K::whisper:
        st = desk().whisper(me, c.call, c.text, now);
        detail = "chars=" + std::to_string(c.text.size());
        break;
      case K::note:
        st = desk().note(me, c.call, c.text, now);
        detail = "chars=" + std::to_string(c.text.size());
        break;
      case K::barge: st = barge(c); break;
      case K::take_over: st = take_over(c); break;
      case K::leave: st = desk().leave(me, c.call, now); break;
      case K::reassign:
        if (person_index(c.text) == UINT32_MAX || people_[person_index(c.text)].trainee)
          return refuse(c, "no agent `" + quote_prefix(c.text, 40) + "` to give the call to");
        st = desk().reassign(me, c.call, c.text, now, turn_);
        detail = "to=" + c.text;
        break;
      default: return;
    }
    if (st != patter::DeskStatus::ok) return refuse(c, step_in_refusal(st));
    audit(command_name(c.kind).substr(4), c, detail);
    drain(c.call);
  }

  /// Beside the person on the call; with nobody on it, barging in is taking it over.
  patter::DeskStatus barge(const Command& c) {
    const auto info = desk().call(c.call);
    if (info && info->with.empty()) return take_over(c);
    return desk().barge(c.who, c.call, campaign_.now(), turn_);
  }

  // The campaign (patter/tooling/campaign.hpp) runs its simulated customer
  // through the person it gave the call to and has no way to hear of a
  // supervisor taking a call from that person: taking over is for calls the
  // robot has or that wait; a person's call is whispered to or barged into.
  patter::DeskStatus take_over(const Command& c) {
    const auto info = desk().call(c.call);
    if (info && !info->with.empty() && person_index(info->with) != UINT32_MAX)
      return patter::DeskStatus::already_taken;
    return desk().take_over(c.who, c.call, campaign_.now(), turn_);
  }

  void supervisor_says(const Command& c) {
    const auto info = desk().call(c.call);
    if (!info) return refuse(c, "that call has ended");
    if (info->with == c.who) return say(c, c.who, {});  // took it over: no one answers for them
    if (info->barged != c.who) return refuse(c, "barge in or take the call over first");
    say(c, c.who, person_index(info->with) != UINT32_MAX ? info->with : std::string());
  }

  // The desk ends the call; the campaign hears of it at its next step (its
  // desk's on_call_ended) and its robot dials again.
  void supervisor_ends(const Command& c) {
    const auto reason = patter::parse_hangup_reason(c.text);
    if (!reason) return refuse(c, "no hang-up reason `" + quote_prefix(c.text, 40) + "`");
    const auto info = desk().call(c.call);
    if (!info || info->with != c.who) return refuse(c, "take the call over first");
    const patter::DeskStatus st = desk().finish(c.who, c.call, campaign_.now(), turn_, *reason);
    if (st != patter::DeskStatus::ok) return refuse(c, step_in_refusal(st));
    audit("end", c, "reason=" + c.text);
    drain(c.call);
  }

  /// The supervisor's page follows `call`: the whole call now, its lines and notes as they come.
  void watch(const Command& c) {
    watching_[c.conn] = c.call;
    JsonWriter j;
    j.object().field("type", "watch").field("ts", stamp_).key("call");
    write_call(j, calls_.at(c.call), true);
    write_notes(j, c.call);
    j.end();
    out_.push_back({{}, c.conn, j.take()});
  }

  static std::string step_in_refusal(patter::DeskStatus st) {
    using S = patter::DeskStatus;
    switch (st) {
      case S::not_permitted: return "not permitted: only a supervisor may";
      case S::unknown_call: return "that call has ended";
      case S::not_with_agent: return "nobody you could speak to is on that call";
      case S::already_taken:
        return "a person (or another supervisor) has that call: whisper or barge in instead";
      case S::agent_busy: return "busy: on another call";
      case S::not_waiting: return "that call waits for nobody: only a waiting call is reassigned";
      case S::bad_text: return "no words (or not UTF-8): write something";
      case S::notes_full: return "that call has all the notes it keeps";
      case S::unknown_agent: return "no such person on the desk";
      default: return "refused: " + std::string(patter::to_string(st));
    }
  }

  void hand_back(const Command& c, std::uint32_t p) {
    const auto node = s_.find_node(c.text);
    if (!node) return refuse(c, "no node `" + quote_prefix(c.text, 40) + "` in the script");
    if (!calls_.count(c.call)) return refuse(c, "that call has ended");
    const patter::DeskStatus st = campaign_.hand_back(people_[p].name, c.call, *node);
    if (st != patter::DeskStatus::ok)
      return refuse(c, std::string("hand back refused: ") + std::string(patter::to_string(st)));
    audit("hand_back", c, "node=" + c.text);
  }

  void end(const Command& c, std::uint32_t p) {
    const auto reason = patter::parse_hangup_reason(c.text);
    if (!reason) return refuse(c, "no hang-up reason `" + quote_prefix(c.text, 40) + "`");
    const patter::DeskStatus st = campaign_.finish(people_[p].name, c.call, *reason);
    if (st != patter::DeskStatus::ok)
      return refuse(c, std::string("end refused: ") + std::string(patter::to_string(st)));
    audit("end", c, "reason=" + c.text);
  }

  void start_training(const Command& c, std::uint32_t p) {
    Person& person = people_[p];
    if (!person.trainee) return refuse(c, "only trainees train");
    if (person.training_running) return refuse(c, "a training run is going on");
    person.training_running = true;
    person.training_dialed = 0;
    person.training_target = opt_.training_calls;
    campaign_.allow_calls(person.name, opt_.training_calls);
    training_news(p);
  }

  /// `why` in English; `label` (and its `arg`), when given, is the pages'
  /// label for it, so a page words it in its own language.
  void refuse(const Command& c, const std::string& why, std::string_view label = {},
              std::uint64_t arg = 0) {
    JsonWriter j;
    j.object()
        .field("type", "refused")
        .field("ts", stamp_)
        .field("call", c.call)
        .field("text", why);
    if (!label.empty()) j.field("label", label).field("arg", arg);
    j.end();
    out_.push_back({{}, c.conn, j.take()});
  }

  // A page's person never inherits the call their simulated stand-in is on:
  // the stand-in finishes it (as it would have), and the seat is theirs
  // once it has ended (arrive()); until then the page shows the call as the
  // stand-in's and its commands wait.
  void attach(std::uint32_t p, int delta) {
    Person& person = people_[p];
    person.pages = std::max(0, person.pages + delta);
    const patter::Campaign::Person& seat = campaign_.people()[p];
    person.arriving = person.manual() && !seat.present && seat.talking != 0;
    if (!person.arriving) campaign_.set_present(person.name, person.manual());
  }

  void arrive() {
    for (std::uint32_t p = 0; p < people_.size(); ++p) {
      Person& person = people_[p];
      if (!person.arriving || campaign_.people()[p].talking != 0) continue;
      person.arriving = false;
      campaign_.set_present(person.name, person.manual());
      emit({"summary:" + person.name, "summary:all"}, summary_json(&person.name));
    }
  }

  void training_news(std::uint32_t p) {
    Person& person = people_[p];
    if (!person.trainee) return;
    bool live = false;
    for (const patter::Campaign::Robot& r : campaign_.robots())
      if (r.person == p && r.busy) live = true;
    const auto a = desk().assessment(person.name);
    const bool done =
        person.training_running && person.training_dialed >= person.training_target && !live;
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

  void emit(std::vector<std::string> topics, std::string json) {
    out_.push_back({std::move(topics), 0, std::move(json)});
  }

  /// `was_with`: the person who had the call until now, who hears of it once more.
  void emit_call(const CallRecord& rec, const std::string& was_with = {}) {
    JsonWriter j;
    j.object().field("type", "call").field("ts", stamp_).key("call");
    write_call(j, rec, false);
    j.end();
    std::vector<std::string> topics = person_topics(rec);
    if (!was_with.empty() && was_with != rec.with && was_with != rec.supervisor)
      topics.push_back("agent:" + was_with);
    topics.push_back("wall");
    emit(std::move(topics), j.take());
  }

  /// The person's simulated stand-in is on the call, not the page's person.
  bool stand_in(const std::string& who) const {
    const std::uint32_t p = person_index(who);
    return p != UINT32_MAX && people_[p].arriving;
  }

  static void write_line(JsonWriter& j, const Line& l) {
    j.field("who", l.who).field("text", l.text).field("intent", l.intent).field("at", l.at);
    if (!l.key.empty()) j.field("key", l.key).field("arg", l.arg);
    if (!l.by.empty()) j.field("by", l.by);
  }

  void write_assist(JsonWriter& j, const patter::Assist& a) const {
    j.object().field("heard", a.heard).key("intents").array();
    for (patter::IntentId i : a.intents)
      if (i < s_.intents().size()) j.value(s_.intent(i).name);
    j.end().key("lines").array();
    for (const patter::Suggestion& s : a.lines)
      j.object().field("text", s.text).field("node", node_name(s.node)).end();
    j.end()
        .field("decision", patter::to_string(a.decision))
        .field("grade", a.grade)
        .field("score", a.score)
        .end();
  }

  void write_call(JsonWriter& j, const CallRecord& rec, bool lines) const {
    const patter::Campaign::Robot& robot = campaign_.robots()[rec.slot];
    j.object()
        .field("id", rec.id)
        .field("agent", rec.supervisor)
        .field("robot", robot.number)
        .field("training", people_[robot.person].trainee)
        .field("persona", rec.persona)
        .field("phase", rec.phase)
        .field("node", rec.node)
        .field("score", rec.score)
        .field("grade", rec.grade)
        .field("hot", opt_.stepper.grab_score > 0 && rec.score >= opt_.stepper.grab_score &&
                          rec.phase != "ended")
        .field("with", rec.with)
        .field("queued", rec.queued)
        .field("waiting", rec.waiting)
        .field("reason", rec.reason)
        .field("outcome", rec.outcome)
        .field("hangup", rec.hangup)
        .field("dialed", rec.dialed)
        .field("escalated_at", rec.escalated_at)
        .field("stand_in", stand_in(rec.with))
        .field("barged", rec.barged);
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
      if (!rec.handoff.empty() && !rec.with.empty()) j.key("handoff").raw(rec.handoff);
    }
    j.end();
  }

  void write_training(JsonWriter& j, const Person& p, const patter::TrainingAssessment* a,
                      bool done) const {
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
    j.object()
        .key("script")
        .object()
        .field("id", s_.id())
        .field("title", s_.title())
        .field("locale", s_.locale())
        .end();
    j.key("nodes").array();
    for (const patter::Node& n : s_.nodes())
      j.object().field("name", n.name).field("kind", patter::to_string(n.kind)).end();
    j.end().key("reasons").array();
    for (const char* r : {"completed", "not_interested", "callback", "busy", "wrong_person",
                          "opt_out", "agent_ended"})
      j.value(r);
    j.end().key("agents").array();
    for (const Person& p : people_)
      if (!p.trainee) j.value(p.name);
    j.end().key("trainees").array();
    for (const Person& p : people_)
      if (p.trainee) j.value(p.name);
    j.end()
        .field("speed", opt_.speed)
        .field("robots_per_agent", opt_.stepper.robots_per_agent)
        .field("grab_score", opt_.stepper.grab_score)
        .field("training_calls", opt_.training_calls)
        .field("sla_amber_ms", opt_.sla_amber_s * 1000)
        .field("sla_red_ms", opt_.sla_red_s * 1000)
        .field("sample_every_ms", kSampleEveryMs)
        .end();
    return j.take();
  }

  /// Every person's load to the supervisors; to the others, their own only.
  void send_summaries() {
    emit({"summary:all"}, summary_json(nullptr));
    for (const Person& p : people_)
      if (p.watching > 0) emit({"summary:" + p.name}, summary_json(&p.name));
  }

  /// `only`: the people list holds that person alone (null: everyone).
  void write_summary(JsonWriter& j, const std::string* only) {
    j.object().field("sim_ms", campaign_.now()).field("speed", opt_.speed);
    j.key("queue").array();
    for (patter::CallId id : desk().queue()) {
      const auto it = calls_.find(id);
      if (it == calls_.end()) continue;
      const CallRecord& rec = it->second;
      j.object()
          .field("call", id)
          .field("agent", rec.supervisor)
          .field("reason", rec.reason)
          .field("score", rec.score)
          .field("waited_ms",
                 campaign_.now() >= rec.escalated_at ? campaign_.now() - rec.escalated_at : 0)
          .end();
    }
    j.end().key("people").array();
    for (const patter::AgentStats& a : desk().all_stats()) {
      if (only && a.agent != *only) continue;
      const std::uint32_t p = person_index(a.agent);
      if (p == UINT32_MAX) continue;
      const Person& person = people_[p];
      std::uint32_t robots = 0;
      for (const patter::Campaign::Robot& r : campaign_.robots())
        if (r.person == p && r.busy) ++robots;
      j.object()
          .field("name", a.agent)
          .field("trainee", person.trainee)
          .field("at_desk", person.pages > 0)
          .field("robots", robots)
          .field("talking", campaign_.people()[p].talking)
          .field("calls", a.calls_supervised)
          .field("escalations", a.escalations)
          .field("grabs", a.grabs)
          .field("hand_backs", a.hand_backs)
          .field("mean_take_ms", a.mean_time_to_take_ms)
          .field("stand_in", person.arriving)
          .field("taken", person.taken)
          .field("converted", person.converted)
          .field("talk_ms", talk_ms(p))
          .field("utilisation", campaign_.now() ? static_cast<double>(talk_ms(p)) /
                                                      static_cast<double>(campaign_.now())
                                                : 0.0)
          .field("wait_ms", person.waits ? static_cast<double>(person.wait_ms) /
                                               static_cast<double>(person.waits)
                                         : 0.0)
          .end();
    }
    j.end();
    const patter::DeskCounters dc = desk().counters();
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
    const patter::StatsReport r = campaign_.report();
    j.key("funnel")
        .object()
        .field("calls", r.calls)
        .field("answered", r.answered)
        .field("converted", r.converted);
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
    for (const auto& [g, n] : r.grades) j.array().value(g).value(n).end();
    j.end().key("outcomes").array();
    for (const auto& [o, n] : r.outcomes) j.array().value(o).value(n).end();
    j.end().end();
    j.end();
  }

  /// The shift so far for the chart: per person, [at, calls, taken,
  /// converted, talk_ms] every kSampleEveryMs; pages add the summaries' figures.
  void write_history(JsonWriter& j, const std::string* only) const {
    j.key("history").object();
    for (const Person& p : people_) {
      if (only && p.name != *only) continue;
      j.key(p.name).array();
      for (const Sample& x : p.history)
        j.array()
            .value(x.at)
            .value(x.calls)
            .value(x.taken)
            .value(x.converted)
            .value(x.talk_ms)
            .end();
      j.end();
    }
    j.end();
  }

  std::string summary_json(const std::string* only) {
    JsonWriter j;
    j.object().field("type", "summary").field("ts", stamp_).key("summary");
    write_summary(j, only);
    j.end();
    return j.take();
  }

  void snapshot(const Command& c) {
    const std::vector<std::string> topics = c.view.topics();
    auto wants = [&](const CallRecord& rec) {
      for (const std::string& t : topics) {
        if (t == "wall") return true;
        if (t == "agent:" + rec.supervisor || (!rec.with.empty() && t == "agent:" + rec.with))
          return true;
      }
      return false;
    };
    JsonWriter j;
    j.object().field("type", "snapshot").field("ts", stamp_).field("view", c.view.kind_name());
    j.field("name", c.view.name).field("follow", c.view.follow).field("signed_in", c.who);
    j.key("hello").raw(hello_);
    j.key("calls").array();
    // Robot by robot, so the cards keep their places.
    for (const patter::Campaign::Robot& r : campaign_.robots()) {
      const auto it = calls_.find(r.call);
      if (it == calls_.end() || !wants(it->second)) continue;
      write_call(j, it->second, c.view.kind != View::Kind::supervisor);
    }
    j.end();
    j.key("summary");
    write_summary(j, c.view.kind == View::Kind::supervisor ? nullptr : &c.view.name);
    write_history(j, c.view.kind == View::Kind::supervisor ? nullptr : &c.view.name);
    const std::uint32_t p = person_index(c.view.name);
    if (c.view.kind == View::Kind::trainee && p != UINT32_MAX && people_[p].trainee) {
      const auto a = desk().assessment(people_[p].name);
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
  AuditLog* audit_ = nullptr;
  patter::Campaign campaign_;
  std::vector<Person> people_;
  std::vector<patter::CallId> last_call_;  // per robot
  std::unordered_map<patter::CallId, CallRecord> calls_;
  std::vector<patter::ListenEvent> events_;
  std::vector<Update> out_;
  std::string hello_;
  std::string converted_grades_;
  patter::Turn turn_;                                           // the desk's answers, not used
  std::set<std::string> supervisors_;                           // supervisors' accounts on the desk
  std::unordered_map<std::uint64_t, patter::CallId> watching_;  // page -> the call it follows
  std::uint64_t next_sample_ = 0;
  double stamp_ = 0;
  Clock::time_point start_;
  CampaignTotals totals_copy_;  // for other threads, under m_

  std::mutex m_;
  std::condition_variable cv_;
  std::vector<std::pair<Command, double>> inbox_;
  bool stopping_ = false;
  std::thread thread_;
};

LiveCampaign::LiveCampaign(std::shared_ptr<const patter::Script> script,
                           patter::PersonaSet personas, CampaignOptions options, Publish publish)
    : impl_(std::make_unique<Impl>(std::move(script), std::move(personas), options,
                                   std::move(publish))) {}

LiveCampaign::~LiveCampaign() {
  stop();
}

void LiveCampaign::audit_to(AuditLog* log) {
  impl_->audit_ = log;
}

void LiveCampaign::start() {
  impl_->start();
}
void LiveCampaign::stop() {
  impl_->stop();
}
void LiveCampaign::post(Command command) {
  impl_->post(std::move(command));
}

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
