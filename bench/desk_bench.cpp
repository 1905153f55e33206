// patter_bench_desk — what the desk costs: routing an escalation to a
// person, and operations per second through one desk (its own calls, and
// remote calls), and through its routing alone, from one thread and from
// two, in the same run.
//
//   build/bench/patter_bench_desk --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//   chrt -f 90 taskset -c 0,1 build/bench/patter_bench_desk --benchmark_filter=Throughput
//       --benchmark_repetitions=3 --benchmark_report_aggregates_only=true   (one line)
//
// The script is a two-node sales call: the opening listens, "yes" escalates
// to a person, "no" hangs up. Each benchmark opens real calls on a real desk.
#include <benchmark/benchmark.h>
#include <patter/patter.hpp>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

namespace {

const char* kScript = R"(patter: 1
id: desk_bench
version: "1"
locale: en-US
intents:
  yes: [yes, sure, interested]
  no: [no, not interested]
  price: [how much, price]
start: hello
nodes:
  hello:
    say: "Hi, interested in solar panels for your home?"
    routes:
      - {intent: yes, to: transfer}
      - {intent: no, to: bye}
      - {intent: price, to: hello}
    no_match: {retries: 1, then: bye}
  transfer:
    say: "Connecting you now."
    escalate: interested
  bye:
    say: "Goodbye."
    hangup: not_interested
)";

std::shared_ptr<const patter::Script> script() {
  static std::shared_ptr<const patter::Script> s = [] {
    auto r = patter::load_string(kScript, "desk_bench.yaml");
    if (!r.ok()) {
      for (const auto& d : r.diagnostics) std::cerr << patter::format(d) << '\n';
      std::abort();
    }
    return r.script;
  }();
  return s;
}

void check(patter::DeskStatus s) {
  if (s != patter::DeskStatus::ok) {
    std::cerr << "desk: " << patter::to_string(s) << '\n';
    std::abort();
  }
}

// One call's life without a person: open, answer, "no" (hang up). The
// baseline for the next benchmark.
void BM_CallWithoutEscalation(benchmark::State& state) {
  patter::Desk desk;
  desk.add_agent("li", {.capacity = 4});
  auto s = script();
  patter::Turn t;
  std::uint64_t now = 0;
  for (auto _ : state) {
    auto c = desk.open_call(s);
    check(desk.step(c->id, patter::Event::answered(now), t));
    check(desk.step(c->id, patter::Event::utterance("no", now + 1000), t));
    now += 2000;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CallWithoutEscalation);

// The same call, but "yes": the escalation goes to the free supervisor,
// who joins and then finishes the call. Minus the baseline, what routing
// an escalation to a person costs (decision, assignment, the session's
// join, the person's release).
void BM_CallEscalatedToSupervisor(benchmark::State& state) {
  patter::Desk desk;
  desk.add_agent("li", {.capacity = 4});
  auto s = script();
  patter::Turn t;
  std::uint64_t now = 0;
  for (auto _ : state) {
    auto c = desk.open_call(s);
    check(desk.step(c->id, patter::Event::answered(now), t));
    check(desk.step(c->id, patter::Event::utterance("yes", now + 1000), t));
    check(desk.finish("li", c->id, now + 1500, t));
    now += 2000;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CallEscalatedToSupervisor);

// Through the queue: the supervisor is busy, the escalation waits behind
// `range(0)` others, and another agent takes the head with take_next.
void BM_EscalationThroughQueue(benchmark::State& state) {
  patter::DeskOptions o;
  o.auto_assign = false;
  patter::Desk desk(o);
  desk.add_agent("li", {.capacity = 100000});
  desk.add_agent("wang", {.capacity = 0});
  auto s = script();
  patter::Turn t;
  std::uint64_t now = 0;
  // li is on a call, so every escalation of li's calls queues.
  auto busy = desk.open_call(s, {}, "li");
  check(desk.step(busy->id, patter::Event::answered(now), t));
  check(desk.step(busy->id, patter::Event::utterance("yes", now), t));
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    auto c = desk.open_call(s, {}, "li");
    check(desk.step(c->id, patter::Event::answered(now), t));
    check(desk.step(c->id, patter::Event::utterance("yes", now), t));
  }
  for (auto _ : state) {
    now += 1000;
    auto c = desk.open_call(s, {}, "li");
    check(desk.step(c->id, patter::Event::answered(now), t));
    check(desk.step(c->id, patter::Event::utterance("yes", now), t));  // queued (last)
    patter::CallId got = 0;
    check(desk.take_next("wang", now, t, &got));  // the head
    check(desk.finish("wang", got, now, t));
  }
  state.counters["waiting"] = static_cast<double>(desk.queue().size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EscalationThroughQueue)->Arg(0)->Arg(100)->Arg(10000);

// Throughput: every thread runs whole calls on one shared desk (open,
// answer, two replies, an escalation to its own agent, finish): 5 desk
// operations per call. items/s counts operations.
void BM_DeskThroughput(benchmark::State& state) {
  // One desk per run, made by thread 0 (replacing the last run's, which no
  // thread uses any more); the timed loop starts on all threads together.
  static std::unique_ptr<patter::Desk> shared;
  if (state.thread_index() == 0) {
    shared = std::make_unique<patter::Desk>();
    for (int a = 0; a < state.threads(); ++a)
      shared->add_agent("agent" + std::to_string(a), {.capacity = 4});
  }
  auto s = script();
  patter::Turn t;
  const std::string me = "agent" + std::to_string(state.thread_index());
  std::uint64_t now = 0;
  for (auto _ : state) {
    patter::Desk* desk = shared.get();
    auto c = desk->open_call(s, {}, me);
    check(desk->step(c->id, patter::Event::answered(now), t));
    check(desk->step(c->id, patter::Event::utterance("how much is it", now + 1000), t));
    check(desk->step(c->id, patter::Event::utterance("sure", now + 2000), t));
    check(desk->finish(me, c->id, now + 3000, t));
    now += 4000;
  }
  state.SetItemsProcessed(state.iterations() * 5);
}
BENCHMARK(BM_DeskThroughput)->Threads(1)->Threads(2)->UseRealTime();

// The same calls on bare sessions, no desk (each thread its own): what the
// desk's throughput above can reach at best, with 1 thread and with 2.
void BM_SessionsThroughput(benchmark::State& state) {
  // Each thread its own handle of the script (as the desk's shards hold):
  // threads sharing one reference count would measure that count.
  const auto shared = script();
  const std::shared_ptr<const patter::Script> s(shared.get(), [keep = shared](const auto*) {});
  patter::Turn t;
  std::uint64_t now = 0;
  for (auto _ : state) {
    patter::Started c = patter::Session::start(s, {});
    if (!c) std::abort();
    c->step(patter::Event::answered(now), t);
    c->step(patter::Event::utterance("how much is it", now + 1000), t);
    c->step(patter::Event::utterance("sure", now + 2000), t);
    c->step(patter::Event::agent_joined(now + 2000), t);
    c->step(patter::Event::agent_left(now + 3000, patter::kNone, patter::HangupReason::agent_ended),
            t);
    now += 4000;
  }
  state.SetItemsProcessed(state.iterations() * 5);
}
BENCHMARK(BM_SessionsThroughput)->Threads(1)->Threads(2)->UseRealTime();

// The routing alone (patter::DeskRouter, which the Desk runs on), as a
// fleet's desk service drives it: every thread opens calls under its own
// agent, escalates each (given to the agent), hands it back, escalates it
// again and ends it: 5 operations per call. items/s counts operations; 2
// threads against 1 in the same run is the scaling of the desk's locks.
void BM_RouterThroughput(benchmark::State& state) {
  static std::unique_ptr<patter::DeskRouter> shared;
  if (state.thread_index() == 0) {
    shared = std::make_unique<patter::DeskRouter>();
    for (int a = 0; a < state.threads(); ++a)
      shared->add_agent("agent" + std::to_string(a), {.capacity = 4});
  }
  const std::string me = "agent" + std::to_string(state.thread_index());
  const auto threads = static_cast<patter::CallId>(state.threads());
  patter::CallId id = static_cast<patter::CallId>(state.thread_index()) + 1;
  std::uint64_t now = 0;
  for (auto _ : state) {
    patter::DeskRouter* r = shared.get();
    if (!r->open(id, me)) std::abort();
    if (r->escalated(id, patter::Priority::normal, 0, now).assigned.empty()) std::abort();
    check(r->hand_back(me, id, now + 1000).status);
    if (r->escalated(id, patter::Priority::normal, 0, now + 2000).assigned.empty()) std::abort();
    check(r->ended(id, patter::Outcome::escalated, now + 3000).status);
    id += threads;
    now += 4000;
  }
  state.SetItemsProcessed(state.iterations() * 5);
}
BENCHMARK(BM_RouterThroughput)->Threads(1)->Threads(2)->UseRealTime();

// The same calls as remote ones on a patter::Desk (open_remote: their
// sessions live elsewhere), as the fleet's desk service drives it: open,
// escalated (given to the thread's own agent), hand_back, escalated again,
// ended: 5 operations per call. items/s counts operations.
void BM_RemoteDeskThroughput(benchmark::State& state) {
  static std::unique_ptr<patter::Desk> shared;
  if (state.thread_index() == 0) {
    shared = std::make_unique<patter::Desk>();
    for (int a = 0; a < state.threads(); ++a)
      shared->add_agent("agent" + std::to_string(a), {.capacity = 4});
  }
  const std::string me = "agent" + std::to_string(state.thread_index());
  const auto threads = static_cast<std::uint64_t>(state.threads());
  std::uint64_t n = static_cast<std::uint64_t>(state.thread_index()) + 1;
  std::uint64_t now = 0;
  patter::Turn t;
  for (auto _ : state) {
    patter::Desk* desk = shared.get();
    const patter::CallId id = patter::remote_call(n);
    if (!desk->open_remote(id, me)) std::abort();
    if (desk->escalated(id, patter::Priority::normal, 0, now).assigned.empty()) std::abort();
    check(desk->hand_back(me, id, patter::kNone, now + 1000, t));
    if (desk->escalated(id, patter::Priority::normal, 0, now + 2000).assigned.empty()) std::abort();
    check(desk->ended(id, patter::Outcome::escalated, now + 3000).status);
    n += threads;
    now += 4000;
  }
  state.SetItemsProcessed(state.iterations() * 5);
}
BENCHMARK(BM_RemoteDeskThroughput)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
