// patter_soak — many calls in one process: memory stays flat and the books
// balance.
//
//   build/tests/patter_soak --calls 1000000 [--seed 1] [--max-growth-mib 16]
//                           [--scripts examples/scripts]
//
// Calls run over every bundled script (examples/scripts/*.yaml), a few dozen
// at a time on one simulated clock:
//   - three in four through a Desk: eight people supervise three robots
//     each and a trainee three more; customers answer or not, reply with
//     their scripts' phrases, host intents, keys, silence and nonsense, and
//     hang up; scripts escalate; people grab calls, take the queue, ask for
//     suggestions, hand calls back and finish them; hold policies time out;
//     some calls have listen-in subscribers, some sessions are copied out,
//     snapshot and restored to check the copy is exact; the trainee is
//     assessed, removed and added again between training sessions;
//   - one in four as a fleet of stateless workers would run them: each
//     event restores the session from its snapshot bytes, steps it and
//     snapshots it again.
// After a warm-up (a tenth of the calls, at least 1,000) the resident
// memory (/proc/self/statm) is sampled; at the end it is sampled again, and
// the run fails if it grew by more than --max-growth-mib (default 16 MiB;
// not checked in sanitizer builds, whose allocators keep freed memory on
// purpose). It fails too if any invariant breaks: a call that ends twice or
// never, an event the session refuses, a snapshot that does not restore to
// the same bytes, desk counters that do not balance, an agent left busy.
// Deterministic for a seed. docs/limits.md has the figures.
#include <patter/patter.hpp>
#include <patter/random.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using Rng = patter::Random;

// GCC says so with macros, clang through __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
constexpr bool kSanitized = __has_feature(address_sanitizer) || __has_feature(thread_sanitizer);
#else
constexpr bool kSanitized = false;
#endif

struct Options {
  std::uint64_t calls = 20'000;
  std::uint64_t seed = 1;
  double max_growth_mib = 16;
  std::string scripts = PATTER_SOURCE_DIR "/examples/scripts";
};

double rss_mib() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
         (1024.0 * 1024.0);
}

std::uint64_t failures = 0;
void fail(const std::string& what) {
  if (++failures <= 20) std::cerr << "patter_soak: FAILED: " << what << '\n';
  if (failures == 1000) {
    std::cerr << "patter_soak: stopping after 1000 failures\n";
    std::exit(1);
  }
}

// A script and what its customers say.
struct Scripted {
  std::string name;
  std::shared_ptr<const patter::Script> script;
  std::vector<std::pair<std::string, std::string>> variables;  // required ones, with values
  std::vector<std::vector<std::string>> words;                 // per intent: phrases and examples
  std::vector<patter::NodeId> listening;                       // nodes a person may hand back to
};

const char* const kUnclear[] = {"嗯",
                                "um",
                                "what",
                                "这个嘛我想想看再说吧还有别的事情吗",
                                "blue cheese on a Tuesday",
                                "？？",
                                "ok ok ok",
                                "我不太清楚你说的是什么意思呢能不能再说一遍啊"};
const char kKeys[] = "0123456789*#";
const patter::HangupReason kVerdicts[] = {
    patter::HangupReason::completed, patter::HangupReason::not_interested,
    patter::HangupReason::callback, patter::HangupReason::agent_ended};

std::vector<Scripted> load_scripts(const std::string& dir) {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".yaml") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<Scripted> out;
  for (const auto& p : paths) {
    const patter::LoadResult r = patter::load_file(p.string());
    if (!r.ok()) {
      for (const auto& d : r.diagnostics) std::cerr << patter::format(d) << '\n';
      fail("cannot load " + p.string());
      continue;
    }
    Scripted s;
    s.name = p.filename().string();
    s.script = r.script;
    for (const patter::Variable& v : s.script->variables()) {
      if (!v.required) continue;
      const char* value = v.type == patter::Variable::Type::number    ? "42"
                          : v.type == patter::Variable::Type::boolean ? "true"
                                                                      : "张先生";
      s.variables.emplace_back(v.name, value);
    }
    for (const patter::Intent& in : s.script->intents()) {
      std::vector<std::string> w = in.phrases;
      w.insert(w.end(), in.examples.begin(), in.examples.end());
      s.words.push_back(std::move(w));
    }
    for (patter::NodeId n = 0; n < s.script->nodes().size(); ++n)
      if (s.script->node(n).kind == patter::NodeKind::listen) s.listening.push_back(n);
    out.push_back(std::move(s));
  }
  return out;
}

class Soak {
 public:
  Soak(const Options& o, std::vector<Scripted> scripts)
      : opt_(o), scripts_(std::move(scripts)), rng_(o.seed), desk_(desk_options()) {
    for (int a = 0; a < kAgents; ++a) {
      agents_.push_back({"agent" + std::to_string(a), 0});
      expect(desk_.add_agent(agents_.back().id, {.capacity = kCapacity}), "add_agent");
    }
    agents_.push_back({"trainee", 0});
    expect(desk_.add_agent("trainee", {.capacity = kCapacity, .trainee = true}),
           "add_agent trainee");
  }

  void run() {
    const std::uint64_t warm_up = std::max<std::uint64_t>(1000, opt_.calls / 10);
    const auto t0 = std::chrono::steady_clock::now();
    while (finished_ < opt_.calls) {
      fill();
      if (desk_calls_.empty() && workers_.empty()) break;
      const std::size_t total = desk_calls_.size() + workers_.size();
      const std::size_t pick = rng_.below(total);
      now_ += 50 + rng_.below(2000);
      if (pick < desk_calls_.size())
        advance_desk(pick);
      else
        advance_worker(pick - desk_calls_.size());
      if (++events_ % 256 == 0) timers();
      if (rss_warm_ == 0 && finished_ >= warm_up) rss_warm_ = rss_mib();
    }
    drain();
    rss_end_ = rss_mib();
    if (rss_warm_ == 0) rss_warm_ = rss_end_;
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    check_books();
  }

  void report() const {
    std::printf(
        "patter_soak: %llu calls (%llu on the desk, %llu through snapshots), %llu events, in %.1f "
        "s\n",
        ull(finished_), ull(desk_finished_), ull(finished_ - desk_finished_), ull(events_),
        seconds_);
    const patter::DeskCounters n = desk_.counters();
    std::printf(
        "  desk: escalations %llu = taken %llu + gave up %llu + ended waiting %llu; queued %llu, "
        "grabs %llu\n",
        ull(n.raised), ull(n.taken), ull(n.gave_up), ull(n.ended_waiting), ull(n.queued),
        ull(n.grabs));
    std::printf("  outcomes:");
    for (const auto& [o, k] : outcomes_)
      std::printf(" %s %llu", std::string(patter::to_string(o)).c_str(), ull(k));
    std::printf(
        "\n  listen-in events %llu (dropped %llu), snapshots checked %llu, trainee sessions %llu\n",
        ull(listened_), ull(dropped_), ull(snapshots_), ull(training_sessions_));
    std::printf(
        "  resident memory: %.1f MiB after warm-up, %.1f MiB at the end: %+.1f MiB (bound %.0f "
        "MiB%s)\n",
        rss_warm_, rss_end_, rss_end_ - rss_warm_, opt_.max_growth_mib,
        kSanitized ? ", not checked under a sanitizer" : "");
  }

  bool memory_ok() const { return kSanitized || rss_end_ - rss_warm_ <= opt_.max_growth_mib; }

 private:
  static constexpr int kAgents = 8;
  static constexpr std::uint32_t kCapacity = 3;
  static constexpr std::size_t kDeskInFlight = 24;
  static constexpr std::size_t kWorkersInFlight = 8;
  static constexpr int kMaxEvents = 60;  // per call; then the customer hangs up

  struct Agent {
    std::string id;
    std::uint32_t load = 0;  // calls it supervises, by our count
  };
  struct DeskLive {
    patter::CallId id = 0;
    std::size_t script = 0;
    std::size_t agent = 0;
    int events = 0;
    std::shared_ptr<patter::Subscription> sub;
  };
  struct Worker {
    std::size_t script = 0;
    std::string bytes;
    int events = 0;
  };

  static unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

  patter::DeskOptions desk_options() {
    patter::DeskOptions o;
    o.listen_buffer = 8;
    o.on_call_ended = [this](patter::CallId id, const patter::CallResult& r) {
      auto it = open_.find(id);
      if (it == open_.end()) {
        fail("call " + std::to_string(id) + " ended twice, or was never opened");
        return;
      }
      if (r.outcome == patter::Outcome::none) fail("an ended call has no outcome");
      ++outcomes_[r.outcome];
      --agents_[it->second].load;
      open_.erase(it);
      ++desk_ended_;
    };
    return o;
  }

  void expect(patter::DeskStatus s, const char* what) {
    if (s != patter::DeskStatus::ok)
      fail(std::string(what) + ": " + std::string(patter::to_string(s)));
  }

  // A desk status that is fine for the action tried (a race lost, nobody
  // free), or a failure.
  void allow(patter::DeskStatus s, std::initializer_list<patter::DeskStatus> fine, const char* what,
             const patter::Turn& t) {
    if (s == patter::DeskStatus::ok) return;
    for (auto f : fine)
      if (s == f) return;
    std::string why(patter::to_string(s));
    if (s == patter::DeskStatus::session_error)
      why += std::string(" (") + std::string(patter::to_string(t.status())) + ")";
    fail(std::string(what) + ": " + why);
  }

  // ---- opening calls ------------------------------------------------------------

  void fill() {
    while (opened_ < opt_.calls &&
           (desk_calls_.size() < kDeskInFlight || workers_.size() < kWorkersInFlight)) {
      const bool to_desk = workers_.size() >= kWorkersInFlight ||
                           (desk_calls_.size() < kDeskInFlight && rng_.below(4) != 0);
      if (to_desk) {
        if (!open_desk_call()) break;
      } else {
        open_worker();
      }
    }
  }

  bool open_desk_call() {
    // The trainee takes calls only between resets; a reset waits for its calls to end.
    std::size_t best = agents_.size();
    for (std::size_t a = 0; a < agents_.size(); ++a) {
      if (agents_[a].load >= kCapacity || (a == trainee() && trainee_draining_)) continue;
      if (best == agents_.size() || agents_[a].load < agents_[best].load) best = a;
    }
    if (best == agents_.size()) return false;
    const std::size_t s = rng_.below(scripts_.size());
    std::vector<patter::VariableValue> vars;
    for (const auto& [k, v] : scripts_[s].variables) vars.emplace_back(k, v);
    const patter::Desk::Opened c = desk_.open_call(scripts_[s].script, vars, agents_[best].id);
    if (!c.ok()) {
      fail("open_call: " + std::string(patter::to_string(c.code())) + " " + c.message());
      return false;
    }
    if (!open_.emplace(c->id, best).second)
      fail("call id " + std::to_string(c->id) + " given twice");
    ++agents_[best].load;
    ++opened_;
    DeskLive live{c->id, s, best, 0, nullptr};
    if (rng_.below(16) == 0) live.sub = desk_.listen(c->id, 1 + rng_.below(8));
    desk_calls_.push_back(std::move(live));
    return true;
  }

  void open_worker() {
    const std::size_t s = rng_.below(scripts_.size());
    std::vector<patter::VariableValue> vars;
    for (const auto& [k, v] : scripts_[s].variables) vars.emplace_back(k, v);
    patter::SessionOptions so;
    so.transcript = rng_.below(4) == 0 ? 16 : 0;
    patter::Started st = patter::Session::start(scripts_[s].script, vars, so);
    if (!st.ok()) {
      fail("start: " + st.message());
      ++opened_;
      ++finished_;
      return;
    }
    Worker w;
    w.script = s;
    st->snapshot(w.bytes);
    workers_.push_back(std::move(w));
    ++opened_;
  }

  std::size_t trainee() const { return agents_.size() - 1; }

  // ---- what a customer does --------------------------------------------------------

  // Words for the node the call is at: most often what one of its routes
  // listens for, else any intent's words, else nonsense.
  std::string_view reply(const Scripted& s, patter::NodeId node) {
    const std::uint32_t r = rng_.below(100);
    if (r < 65 && node != patter::kNone) {
      const patter::Node& n = s.script->node(node);
      if (!n.routes.empty()) {
        const patter::Route& route = rng_.pick(n.routes);
        if (!route.intents.empty()) {
          const auto& w = s.words[rng_.pick(route.intents)];
          if (!w.empty()) return rng_.pick(w);
        }
      }
    }
    if (r < 85) {
      const auto& w = s.words[rng_.below(s.words.size())];
      if (!w.empty()) return rng_.pick(w);
    }
    return kUnclear[rng_.below(std::size(kUnclear))];
  }

  // An event for a session in its phase, as a customer and a dialer would send it.
  patter::Event customer_event(const Scripted& s, patter::Phase phase, patter::NodeId node,
                               std::uint64_t deadline = 0) {
    using patter::Event;
    const std::uint32_t r = rng_.below(100);
    if (deadline != 0 && deadline <= now_ && r < 50) return Event::timer(now_);
    switch (phase) {
      case patter::Phase::dialing:
        if (r < 85) return Event::answered(now_);
        if (r < 95) return Event::customer_hangup(now_);
        return Event::voicemail(now_);
      case patter::Phase::robot:
      case patter::Phase::waiting:
        if (r < 70) {
          Event e = Event::utterance(reply(s, node), now_);
          return rng_.below(10) == 0 ? e.during(rng_.below(3000)) : e;
        }
        // Silence and keys are the robot's to hear; while the call waits for
        // a person nobody listens for them.
        if (r < 82)
          return phase == patter::Phase::robot ? Event::no_input(now_) : Event::timer(now_);
        if (r < 86 && phase == patter::Phase::robot)
          return Event::dtmf(kKeys[rng_.below(12)], now_);
        if (r < 92)
          return Event::intent_of(
              rng_.below(static_cast<std::uint32_t>(s.script->intents().size())),
              0.5f + 0.5f * static_cast<float>(rng_.below(100)) / 100.f, now_);
        return Event::customer_hangup(now_);
      case patter::Phase::human:
        if (r < 90) return Event::utterance(reply(s, node), now_);
        return Event::customer_hangup(now_);
      case patter::Phase::ended: break;
    }
    return Event::customer_hangup(now_);
  }

  // ---- desk calls ------------------------------------------------------------------

  void advance_desk(std::size_t i) {
    DeskLive& live = desk_calls_[i];
    const Scripted& s = scripts_[live.script];
    const std::optional<patter::Desk::CallInfo> info = desk_.call(live.id);
    if (!info) {
      fail("a live call is unknown to the desk");
      retire_desk(i);
      return;
    }
    const bool forced = ++live.events > kMaxEvents;
    const std::uint32_t r = rng_.below(100);
    if (!info->with.empty()) {
      // A person has the call: they talk, ask the script, hand back or finish.
      if (forced || r < 20) {
        expect(desk_.finish(info->with, live.id, now_, turn_, kVerdicts[rng_.below(4)]), "finish");
      } else if (r < 30 && !s.listening.empty()) {
        expect(desk_.hand_back(info->with, live.id, rng_.pick(s.listening), now_, turn_),
               "hand_back");
      } else if (r < 45) {
        if (const auto help = desk_.assist(live.id); !help) fail("assist on a live call");
      } else {
        allow(desk_.step(live.id, customer_event(s, info->phase, info->node), turn_), {},
              "step with a person", turn_);
      }
    } else if (forced) {
      allow(desk_.step(live.id, patter::Event::customer_hangup(now_), turn_), {}, "hang up", turn_);
    } else if (info->phase != patter::Phase::dialing && info->phase != patter::Phase::ended &&
               r < 3) {
      const patter::DeskStatus g = desk_.grab(info->supervisor, live.id, now_, turn_);
      // unknown_call: past its duration limit the robot closed the call instead.
      allow(g,
            {patter::DeskStatus::agent_busy, patter::DeskStatus::already_taken,
             patter::DeskStatus::unknown_call},
            "grab", turn_);
      if (g == patter::DeskStatus::unknown_call && desk_.call(live.id))
        fail("a grab said unknown_call of a live call");
    } else if (info->phase == patter::Phase::waiting && r < 30) {
      patter::CallId got = 0;
      allow(desk_.take_next(agents_[rng_.below(kAgents)].id, now_, turn_, &got),
            {patter::DeskStatus::agent_busy, patter::DeskStatus::queue_empty}, "take_next", turn_);
    } else {
      if (r < 5) {
        if (const std::optional<patter::Session> copy = desk_.session(live.id))
          check_snapshot(*copy);
        else
          fail("session() of a live call");
      }
      allow(desk_.step(live.id, customer_event(s, info->phase, info->node), turn_), {}, "step",
            turn_);
    }
    if (live.sub) {
      listened_ += live.sub->poll(heard_);
      heard_.clear();
    }
    if (!desk_.call(live.id)) retire_desk(i);
  }

  void retire_desk(std::size_t i) {
    DeskLive& live = desk_calls_[i];
    if (live.sub) {
      listened_ += live.sub->poll(heard_);
      heard_.clear();
      if (!live.sub->closed()) fail("a subscription is still open after its call ended");
      dropped_ += live.sub->dropped();
    }
    if (open_.count(live.id)) fail("a call left the desk without on_call_ended");
    std::swap(desk_calls_[i], desk_calls_.back());
    desk_calls_.pop_back();
    ++finished_;
    ++desk_finished_;
    trainee_sessions();
  }

  // The desk's timers (hold lines, hold timeouts, the duration limit).
  void timers() {
    for (patter::CallId id : desk_.due(now_))
      allow(desk_.step(id, patter::Event::timer(now_), turn_), {}, "timer", turn_);
    for (std::size_t i = 0; i < desk_calls_.size();)
      if (!desk_.call(desk_calls_[i].id))
        retire_desk(i);
      else
        ++i;
  }

  // Every so many calls the trainee's session ends: once its calls are
  // over, it is assessed, removed and added again with a clean record.
  void trainee_sessions() {
    if (!trainee_draining_ && desk_finished_ % 5000 == 0) trainee_draining_ = true;
    if (!trainee_draining_ || agents_[trainee()].load != 0) return;
    const auto assessment = desk_.assessment("trainee");
    if (!assessment) fail("no assessment for the trainee");
    expect(desk_.remove_agent("trainee"), "remove_agent trainee");
    expect(desk_.add_agent("trainee", {.capacity = kCapacity, .trainee = true}),
           "add_agent trainee");
    trainee_draining_ = false;
    ++training_sessions_;
  }

  void check_snapshot(const patter::Session& s) {
    s.snapshot(bytes_);
    patter::Restored r = patter::Session::restore(s.shared_script(), bytes_);
    if (!r.ok()) {
      fail("restore: " + r.message());
      return;
    }
    if (r->snapshot() != bytes_) fail("a restored session snapshots to other bytes");
    ++snapshots_;
  }

  // ---- stateless workers -----------------------------------------------------------

  void advance_worker(std::size_t i) {
    Worker& w = workers_[i];
    const Scripted& s = scripts_[w.script];
    patter::Restored r = patter::Session::restore(s.script, w.bytes);
    if (!r.ok()) {
      fail("a worker's snapshot does not restore: " + r.message());
      retire_worker(i);
      return;
    }
    patter::Session& call = *r;
    const bool forced = ++w.events > kMaxEvents;
    patter::Event e = customer_event(s, call.phase(), call.node(), call.deadline_ms());
    const std::uint32_t p = rng_.below(100);
    if (forced) {
      e = patter::Event::customer_hangup(now_);
    } else if (call.phase() == patter::Phase::waiting && p < 40) {
      e = patter::Event::agent_joined(now_);
    } else if (call.phase() == patter::Phase::human && p < 30) {
      e = p < 15 && !s.listening.empty()
              ? patter::Event::agent_left(now_, rng_.pick(s.listening))
              : patter::Event::agent_left(now_, patter::kNone, kVerdicts[rng_.below(4)]);
    } else if (call.phase() == patter::Phase::robot && p < 2) {
      e = patter::Event::agent_joined(now_);  // a grab
    }
    const patter::Status st = call.step(e, turn_);
    if (patter::is_error(st))
      fail(std::string("worker step ") + std::string(patter::to_string(e.type)) + " in " +
           std::string(patter::to_string(call.phase())) + ": " +
           std::string(patter::to_string(st)));
    if (call.ended()) {
      const patter::CallResult result = call.result();
      if (result.outcome == patter::Outcome::none) fail("an ended call has no outcome");
      ++outcomes_[result.outcome];
      retire_worker(i);
      return;
    }
    call.snapshot(w.bytes);
  }

  void retire_worker(std::size_t i) {
    std::swap(workers_[i], workers_.back());
    workers_.pop_back();
    ++finished_;
  }

  // ---- the end -----------------------------------------------------------------------

  void drain() {
    while (!desk_calls_.empty()) {
      DeskLive& live = desk_calls_.back();
      now_ += 1000;
      if (const auto info = desk_.call(live.id)) {
        if (!info->with.empty())
          expect(desk_.finish(info->with, live.id, now_, turn_), "finish at the end");
        else
          allow(desk_.step(live.id, patter::Event::customer_hangup(now_), turn_), {},
                "hang up at the end", turn_);
      }
      if (desk_.call(live.id)) {
        fail("a call outlived the customer hanging up");
        desk_calls_.pop_back();
        continue;
      }
      retire_desk(desk_calls_.size() - 1);
    }
    while (!workers_.empty()) {
      Worker& w = workers_.back();
      patter::Restored r = patter::Session::restore(scripts_[w.script].script, w.bytes);
      if (r.ok()) {
        r->step(patter::Event::customer_hangup(now_ += 1000), turn_);
        if (!r->ended())
          fail("a worker's call outlived the customer hanging up");
        else
          ++outcomes_[r->outcome()];
      }
      retire_worker(workers_.size() - 1);
    }
  }

  void check_books() {
    const patter::DeskCounters n = desk_.counters();
    if (finished_ != opened_)
      fail("opened " + std::to_string(opened_) + " calls, finished " + std::to_string(finished_));
    if (!open_.empty()) fail(std::to_string(open_.size()) + " desk calls never ended");
    if (n.calls_opened != desk_finished_ || n.calls_ended != n.calls_opened ||
        desk_ended_ != n.calls_ended)
      fail("desk calls: opened " + std::to_string(n.calls_opened) + ", ended " +
           std::to_string(n.calls_ended) + ", seen ending " + std::to_string(desk_ended_) +
           ", finished " + std::to_string(desk_finished_));
    if (n.raised != n.taken + n.gave_up + n.ended_waiting)
      fail("escalations: raised " + std::to_string(n.raised) + " != taken " +
           std::to_string(n.taken) + " + gave up " + std::to_string(n.gave_up) +
           " + ended waiting " + std::to_string(n.ended_waiting));
    if (n.raised == 0 || n.grabs == 0 || n.queued == 0)
      fail("the run never escalated, grabbed or queued");
    if (desk_.live_calls() != 0) fail("the desk still has calls");
    if (!desk_.queue().empty()) fail("the queue is not empty");
    std::uint64_t supervised = 0;
    for (const patter::AgentStats& st : desk_.all_stats()) {
      supervised += st.calls_supervised;
      std::uint64_t ended = 0;
      for (const auto& [o, k] : st.outcomes) ended += k;
      if (ended != st.calls_supervised) fail("agent " + st.agent + ": outcomes do not add up");
      patter::Turn t;
      if (st.agent != "trainee" &&
          desk_.take_next(st.agent, now_, t) != patter::DeskStatus::queue_empty)
        fail("agent " + st.agent + " is still busy");
    }
    for (const Agent& a : agents_)
      if (a.load != 0) fail("agent " + a.id + " still supervises calls");
    (void)supervised;  // the trainee's record starts again with each session
    std::uint64_t counted = 0;
    for (const auto& [o, k] : outcomes_) counted += k;
    if (counted != finished_)
      fail("outcomes counted " + std::to_string(counted) + " of " + std::to_string(finished_));
  }

  Options opt_;
  std::vector<Scripted> scripts_;
  Rng rng_;
  std::vector<Agent> agents_;
  patter::Desk desk_;
  patter::Turn turn_;
  std::string bytes_;
  std::vector<patter::ListenEvent> heard_;
  std::vector<DeskLive> desk_calls_;
  std::vector<Worker> workers_;
  std::unordered_map<patter::CallId, std::size_t> open_;  // desk call -> its agent
  std::map<patter::Outcome, std::uint64_t> outcomes_;
  std::uint64_t now_ = 0, events_ = 0;
  std::uint64_t opened_ = 0, finished_ = 0, desk_finished_ = 0, desk_ended_ = 0;
  std::uint64_t listened_ = 0, dropped_ = 0, snapshots_ = 0, training_sessions_ = 0;
  bool trainee_draining_ = false;
  double rss_warm_ = 0, rss_end_ = 0, seconds_ = 0;
};

int usage() {
  std::cerr << "usage: patter_soak [--calls N] [--seed S] [--max-growth-mib M] [--scripts DIR]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    const char* v = argv[++i];
    char* end = nullptr;
    if (a == "--calls")
      opt.calls = std::strtoull(v, &end, 10);
    else if (a == "--seed")
      opt.seed = std::strtoull(v, &end, 10);
    else if (a == "--max-growth-mib")
      opt.max_growth_mib = std::strtod(v, &end);
    else if (a == "--scripts")
      opt.scripts = v;
    else
      return usage();
    if (end && *end) return usage();
  }
  std::vector<Scripted> scripts = load_scripts(opt.scripts);
  if (scripts.empty()) {
    std::cerr << "patter_soak: no scripts in " << opt.scripts << '\n';
    return 1;
  }
  Soak soak(opt, std::move(scripts));
  soak.run();
  soak.report();
  if (!soak.memory_ok()) fail("resident memory grew past the bound");
  if (failures) {
    std::cerr << "patter_soak: " << failures << " failure(s)\n";
    return 1;
  }
  std::printf("ok\n");
  return 0;
}
