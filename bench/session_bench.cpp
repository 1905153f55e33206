// What a running call costs: one step of a Session, next to Boost.MSM
// running a state machine of the same shape; a full text turn on a bundled
// zh-CN script; starting a call; a session's bytes; snapshot and restore.
//
// Peer: Boost.MSM (back-end `state_machine`, front-end `state_machine_def`
// with a transition table), the library a C++ developer would pick for "a
// state machine driven by events". Both sides run the same machine: kNodes
// listening states, kIntents events, 3 transitions per state, the same
// event stream, in the same binary and run.
//
// The patter side does what a host needs from a turn: the Turn holds the
// rendered line (with a `{name}` variable filled in) and the listen timeout,
// and the session counts visits and intents and records the path. The MSM
// side moves between states and sets the line to say in an entry action.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "machine.hpp"
#include "patter/loader.hpp"
#include "patter/session.hpp"
#include "screening_calls.hpp"

namespace {

using patter::bench::BM_MsmEvent;
using patter::bench::Call;
using patter::bench::calls;
using patter::bench::die;
using patter::bench::expected_nodes;
using patter::bench::intent_stream;
using patter::bench::kCustomer;
using patter::bench::kIntents;
using patter::bench::kNodes;
using patter::bench::kRoutes;
using patter::bench::new_call;
using patter::bench::reply_at;
using patter::bench::route_intent;
using patter::bench::route_target;
using patter::bench::screening;

// ---- patter's version: a generated script -------------------------------------

std::string machine_script() {
  std::string y;
  y += "patter: 1\nid: bench-machine\nversion: \"1\"\nlocale: zh-CN\n";
  y += "variables:\n  name: {default: 先生}\n";
  y += "intents:\n";
  for (int i = 0; i < kIntents; ++i)
    y += "  i" + std::to_string(i) + ": {phrases: [短语" + std::to_string(i) + "]}\n";
  y += "start: n0\nlimits:\n  close: bye\nnodes:\n";
  for (int n = 0; n < kNodes; ++n) {
    y += "  n" + std::to_string(n) + ":\n";
    y += "    say: \"{name}您好，这是第" + std::to_string(n) + "步，您看可以吗？\"\n";
    y += "    routes:\n";
    for (int r = 0; r < kRoutes; ++r)
      y += "      - {intent: i" + std::to_string(route_intent(n, r)) + ", to: n" +
           std::to_string(route_target(n, r)) + "}\n";
    y += "    no_match: {retries: 0, then: bye}\n";
  }
  y += "  bye:\n    say: 再见。\n    hangup: completed\n";
  return y;
}

std::shared_ptr<const patter::Script> load_checked(std::string_view text, std::string_view name) {
  patter::LoadResult r = patter::load_string(text, std::string(name));
  for (const auto& d : r.diagnostics)
    if (d.severity == patter::Severity::error)
      std::fprintf(stderr, "%s\n", patter::format(d).c_str());
  if (!r.ok() || patter::has_errors(r.diagnostics)) die(std::string(name) + " does not load");
  return r.script;
}

const std::shared_ptr<const patter::Script>& machine() {
  static const auto script = load_checked(machine_script(), "generated-machine.zh-CN.yaml");
  return script;
}

/// A session of the machine script, answered: at n0, listening.
patter::Session machine_session() {
  patter::Started s = patter::Session::start(machine(), {{"name", "张先生"}});
  if (!s.ok()) die(s.message());
  patter::Turn t;
  s->step(patter::Event::answered(0), t);
  return std::move(*s);
}

/// Both machines follow the stream to the same states, or the program stops.
void check_machines() {
  static bool checked = false;
  if (checked) return;
  checked = true;
  const std::vector<int> expect = expected_nodes();
  const auto& stream = intent_stream();
  const auto& script = *machine();

  patter::Session s = machine_session();
  patter::Turn t;
  const std::vector<int> msm = patter::bench::msm_walk();
  for (std::size_t i = 0; i < stream.size(); ++i) {
    s.step(patter::Event::intent_of(stream[i], 1.0f, 1000 * (i + 1)), t);
    std::string name = "n";
    name += std::to_string(expect[i]);
    const auto a = t.actions();
    if (t.status() != patter::Status::ok || script.node(s.node()).name != name || a.size() != 2 ||
        a[0].type != patter::ActionType::say || a[0].text.find("张先生") != 0 ||
        a[1].type != patter::ActionType::listen || a[1].timeout_ms == 0)
      die("the patter session does not follow the machine at event " + std::to_string(i));
    if (msm[i] != expect[i])
      die("the Boost.MSM machine does not follow the script at event " + std::to_string(i));
  }
}

// ---- (a) a turn driven by a host intent --------------------------------------------

/// One host intent: `Event::intent_of` in, a rendered line and a listen out.
void BM_IntentTurn(benchmark::State& state) {
  check_machines();
  const auto& stream = intent_stream();
  const patter::Session start = machine_session();
  patter::Session s = start;
  patter::Turn t;
  std::uint64_t at = 1000;
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    s.step(patter::Event::intent_of(stream[i], 0.9f, at), t);
    bytes += t.actions()[0].text.size();
    at += 1000;
    if (++i == stream.size()) {
      // Back to a fresh call now and then, so the path stays call-sized;
      // once per 4096 turns, its cost is in the figure.
      i = 0;
      s = start;
      at = 1000;
    }
  }
  benchmark::DoNotOptimize(bytes);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// ---- (b) text turns on a bundled zh-CN script ------------------------------------------

/// Every call routes as written, and ends the robot's part, or the program
/// stops: the benchmark measures real routes, not no-matches.
void check_calls() {
  static bool checked = false;
  if (checked) return;
  checked = true;
  const patter::Script& sc = *screening();
  patter::Turn t;
  for (std::size_t c = 0; c < calls().size(); ++c) {
    patter::Session s = new_call();
    const Call& call = calls()[c];
    for (std::size_t k = 0; k < call.size(); ++k) {
      s.step(patter::Event::utterance(call[k].text, reply_at(k)), t);
      const bool last = k + 1 == call.size();
      if (t.status() != patter::Status::ok || sc.node(s.node()).name != call[k].node ||
          t.decision() == patter::Decision::no_match || t.actions().empty() ||
          (s.phase() == patter::Phase::robot) == last)
        die("call " + std::to_string(c) + " reply " + std::to_string(k) + " (" +
            std::string(call[k].text) + ") went to " + sc.node(s.node()).name + " with " +
            std::string(patter::to_string(t.decision())) + ", not to " + std::string(call[k].node) +
            "\n" + t.explain(sc));
    }
  }
}

/// Calls waiting to be taken, answered and at their opening line; made
/// outside the timing, many at a time.
class CallPool {
 public:
  CallPool() : fresh_(calls().size(), new_call()) { refill(); }
  bool empty() const noexcept { return next_ == pool_.size(); }
  patter::Session& take() { return pool_[next_++]; }
  void refill() {
    pool_.clear();
    for (std::size_t i = 0; i < kSize; ++i) pool_.push_back(fresh_[i % fresh_.size()]);
    next_ = 0;
  }

 private:
  static constexpr std::size_t kSize = 1024;
  std::vector<patter::Session> fresh_;
  std::vector<patter::Session> pool_;
  std::size_t next_ = 0;
};

/// One customer reply as recognised text: understand it, route it, say the
/// next line. Calls that end are replaced by fresh ones from a pool filled
/// outside the timing (BM_NewCall_zh measures that part).
void BM_TextTurn_zh(benchmark::State& state) {
  check_calls();
  CallPool pool;
  patter::Turn t;
  std::size_t c = 0, k = 0;
  patter::Session* s = &pool.take();
  std::size_t said = 0, calls_done = 0;
  for (auto _ : state) {
    const Call& call = calls()[c];
    s->step(patter::Event::utterance(call[k].text, reply_at(k)), t);
    said += t.actions().size();
    if (++k == call.size()) {
      k = 0;
      c = (c + 1) % calls().size();
      ++calls_done;
      if (pool.empty()) {
        state.PauseTiming();
        pool.refill();
        state.ResumeTiming();
      }
      s = &pool.take();
    }
  }
  benchmark::DoNotOptimize(said);
  state.counters["turns/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["calls"] = static_cast<double>(calls_done);
}

/// Restarting: Session::start with the host's variables, then `answered`
/// (the opening line rendered).
void BM_NewCall_zh(benchmark::State& state) {
  const auto& script = screening();
  patter::Turn t;
  std::size_t bytes = 0;
  for (auto _ : state) {
    patter::Started s =
        patter::Session::start(script, std::span<const patter::VariableValue>(kCustomer));
    s->step(patter::Event::answered(0), t);
    bytes = s->memory_bytes();
    benchmark::DoNotOptimize(s->node());
  }
  state.counters["calls/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes"] = static_cast<double>(bytes);
}

// ---- (c) and (d): a session mid-call, its bytes and its snapshot ----------------------

/// The third call of calls() after `replies` replies: at ask_education,
/// with two questions answered on the way, a variable set by the host.
patter::Session mid_call(std::size_t replies = 4) {
  patter::Session s = new_call();
  patter::Turn t;
  const Call& call = calls()[2];
  for (std::size_t k = 0; k < replies; ++k)
    s.step(patter::Event::utterance(call[k].text, reply_at(k)), t);
  return s;
}

/// Session::memory_bytes of a call mid-way, and what the variables take.
void BM_SessionBytes_zh(benchmark::State& state) {
  check_calls();
  const patter::Session s = mid_call();
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = s.memory_bytes();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["sizeof"] = static_cast<double>(sizeof(patter::Session));
  state.counters["variables"] = static_cast<double>(s.script().variables().size());
  state.counters["nodes"] = static_cast<double>(s.script().nodes().size());
  state.counters["intents"] = static_cast<double>(s.script().intents().size());
}

/// Session::snapshot into a reused buffer.
void BM_Snapshot_zh(benchmark::State& state) {
  check_calls();
  const patter::Session s = mid_call();
  std::string bytes;
  for (auto _ : state) {
    s.snapshot(bytes);
    benchmark::DoNotOptimize(bytes.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes.size()) * state.iterations());
}

/// Session::restore: the call back from the bytes, checked against the script.
void BM_Restore_zh(benchmark::State& state) {
  check_calls();
  const auto& script = screening();
  const std::string bytes = mid_call().snapshot();
  for (auto _ : state) {
    patter::Restored r = patter::Session::restore(script, bytes);
    benchmark::DoNotOptimize(r->node());
  }
  if (!patter::Session::restore(script, bytes).ok())
    state.SkipWithError("the snapshot does not restore");
  state.counters["bytes"] = static_cast<double>(bytes.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes.size()) * state.iterations());
}

BENCHMARK(BM_IntentTurn);
BENCHMARK(BM_MsmEvent);
BENCHMARK(BM_TextTurn_zh);
BENCHMARK(BM_NewCall_zh);
BENCHMARK(BM_SessionBytes_zh);
BENCHMARK(BM_Snapshot_zh);
BENCHMARK(BM_Restore_zh);

}  // namespace

BENCHMARK_MAIN();
