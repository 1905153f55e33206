// One Script, many threads: every thread runs its own calls (own Sessions,
// own Turn) on the same shared_ptr<const Script>, several calls interleaved
// per thread, some of them moved through a snapshot or copied mid-call. Each
// call must go exactly as the same seed goes on one thread alone.
//
// Built alone for sanitizers: `-DPATTER_SANITIZE_THREAD=ON`, target
// `patter_threads_test` (see tests/CMakeLists.txt).
#include <gtest/gtest.h>
#include <patter/patter.hpp>
#include <patter/random.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using patter::Event;
using patter::Phase;
using patter::Session;
using patter::Turn;

using Rng = patter::Random;

/// A script and what its customers can say, per intent: read-only once built.
struct Shared {
  std::shared_ptr<const patter::Script> script;
  std::vector<patter::VariableValue> variables;
  std::vector<std::vector<std::string>> words;  // per intent: phrases and examples
  std::vector<std::string> all;
};

std::vector<Shared> load_all() {
  std::vector<Shared> v(4);
  const char* files[] = {"screening.zh-CN.yaml", "invitation.zh-CN.yaml", "reactivation.zh-CN.yaml",
                         "appointment.en-US.yaml"};
  const patter::VariableValue vars[] = {{"customer_name", "张先生"},
                                        {"member_name", "王女士"},
                                        {"customer_name", "陈先生"},
                                        {"first_name", "Dana"}};
  for (int i = 0; i < 4; ++i) {
    const auto path = std::filesystem::path(PATTER_SOURCE_DIR) / "examples" / "scripts" / files[i];
    v[i].script = patter::load_file(path.string()).script;
    v[i].variables = {vars[i]};
    if (!v[i].script) continue;
    for (const patter::Intent& in : v[i].script->intents()) {
      auto& w = v[i].words.emplace_back(in.phrases);
      w.insert(w.end(), in.examples.begin(), in.examples.end());
      v[i].all.insert(v[i].all.end(), w.begin(), w.end());
    }
  }
  return v;
}

/// One call in progress: its session, its customer and what it did so far.
struct Call {
  const Shared* shared = nullptr;
  std::optional<Session> session;
  Rng rng{0};
  std::uint64_t at = 0;
  int steps = 0;
  std::string record;

  Call(const Shared& s, std::uint64_t seed) : shared(&s), rng(seed), at(1'000'000 + seed * 7) {
    session = std::move(*Session::start(s.script, s.variables));
  }

  Event next() {
    const Session& s = *session;
    const patter::Script& sc = *shared->script;
    at += 200 + rng.below(9'000);
    if (++steps > 60) return Event::customer_hangup(at);
    switch (s.phase()) {
      case Phase::dialing: return rng.chance(95) ? Event::answered(at) : Event::customer_hangup(at);
      case Phase::waiting:
        if (rng.chance(50)) return Event::agent_joined(at);
        return rng.chance(20) ? Event::customer_hangup(at) : Event::utterance(rng_word(), at);
      case Phase::human: {
        const auto r = rng.below(100);
        if (r < 50) return Event::utterance(rng_word(), at);
        if (r < 75) return Event::agent_left(at, rng.below(sc.nodes().size()));
        return Event::agent_left(at);
      }
      default: break;
    }
    const auto r = rng.below(100);
    if (r < 75) {  // something the node has a route for, mostly one that goes on
      const patter::Node& node = sc.node(s.node());
      if (!node.routes.empty()) {
        const patter::Route* pick = &node.routes[rng.below(node.routes.size())];
        for (int i = 0; i < 3 && sc.node(pick->target).terminal(); ++i)
          pick = &node.routes[rng.below(node.routes.size())];
        const patter::Route& route = *pick;
        if (!route.keys.empty()) return Event::dtmf(route.keys[0], at);
        if (!route.intents.empty()) {
          const auto& w = shared->words[route.intents[rng.below(route.intents.size())]];
          if (!w.empty()) return Event::utterance(w[rng.below(w.size())], at);
        }
      }
      return Event::utterance(rng_word(), at);
    }
    if (r < 82) return Event::utterance(rng_word(), at);
    if (r < 90) return Event::no_input(at);
    if (r < 93) return Event::dtmf("0123456789*#"[rng.below(12)], at);
    if (r < 95) return Event::agent_joined(at);
    if (r < 96) return Event::customer_hangup(at);
    return Event::timer(std::max(at, s.deadline_ms()));
  }

  std::string_view rng_word() { return shared->all[rng.below(shared->all.size())]; }

  /// One event; returns false once the call is over.
  bool step(Turn& t) {
    const Event e = next();
    session->step(e, t);
    record += std::to_string(static_cast<int>(t.status())) + ":" +
              std::to_string(static_cast<int>(t.decision()));
    for (const patter::Action& a : t.actions()) {
      record += " " + std::to_string(static_cast<int>(a.type)) + "/" + std::to_string(a.node) + "/";
      record += a.text;
    }
    record += "\n";
    if (e.type == patter::EventType::timer) at = std::max(at, e.at_ms);
    if (!session->ended()) return true;
    record += session->result().to_json(session->script());
    return false;
  }
};

std::uint64_t script_of(std::uint64_t seed) {
  return seed % 4;
}

/// Run the calls `seeds` on this thread, `parallel` at a time, moving some
/// through snapshots and copies; the record of each call by seed.
void run(const std::vector<Shared>& all, const std::vector<std::uint64_t>& seeds, int parallel,
         bool move_some, std::vector<std::string>& records) {
  Turn turn;
  std::vector<Call> live;
  std::vector<std::uint64_t> live_seed;
  std::size_t next = 0;
  Rng mover(seeds.empty() ? 0 : seeds.front());
  std::string bytes;
  while (next < seeds.size() || !live.empty()) {
    while (static_cast<int>(live.size()) < parallel && next < seeds.size()) {
      live.emplace_back(all[script_of(seeds[next])], seeds[next]);
      live_seed.push_back(seeds[next]);
      ++next;
    }
    for (std::size_t i = 0; i < live.size();) {
      if (move_some && mover.chance(10)) {  // the call moves: through bytes, or as a copy
        if (mover.chance(50)) {
          live[i].session->snapshot(bytes);
          live[i].session = std::move(*Session::restore(live[i].shared->script, bytes));
        } else {
          Session copy(*live[i].session);
          live[i].session = std::move(copy);
        }
      }
      if (live[i].step(turn)) {
        ++i;
        continue;
      }
      records[live_seed[i]] = std::move(live[i].record);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
      live_seed.erase(live_seed.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

}  // namespace

TEST(SessionThreads, SharedScriptSameCallsAsOneThread) {
  const std::vector<Shared> all = load_all();
  for (const Shared& s : all) ASSERT_TRUE(s.script);
  constexpr int kThreads = 8;
  constexpr std::uint64_t kCalls = 1600;

  std::vector<std::uint64_t> every(kCalls);
  for (std::uint64_t i = 0; i < kCalls; ++i) every[i] = i;
  std::vector<std::string> alone(kCalls);
  run(all, every, 1, false, alone);

  std::vector<std::string> together(kCalls);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    std::vector<std::uint64_t> mine;
    for (std::uint64_t i = static_cast<std::uint64_t>(t); i < kCalls; i += kThreads)
      mine.push_back(i);
    threads.emplace_back([&all, mine, &together, t] { run(all, mine, 1 + t % 4, true, together); });
  }
  for (std::thread& th : threads) th.join();

  std::size_t steps = 0;
  for (const std::string& r : alone)
    steps += static_cast<std::size_t>(std::count(r.begin(), r.end(), '\n'));
  EXPECT_GT(steps, kCalls * 4) << "calls too short to mean much";

  int differ = 0;
  for (std::uint64_t i = 0; i < kCalls; ++i) {
    ASSERT_FALSE(alone[i].empty()) << "call " << i << " did not end";
    if (alone[i] != together[i] && ++differ <= 3)
      ADD_FAILURE() << "call " << i << " went differently on 8 threads:\n"
                    << together[i] << "\nalone:\n"
                    << alone[i];
  }
  EXPECT_EQ(differ, 0);
}
