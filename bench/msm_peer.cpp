// The peer of BM_IntentTurn: Boost.MSM running the machine of machine.hpp
// (back-end `state_machine`, front-end `state_machine_def` with a
// transition table), on the same stream of intents. Built as C++17: the
// MSM headers of Boost 1.74 name constructors with template-ids, which
// C++20 forbids.

// The front-end builds on MPL vectors of 20 elements by default; the table
// has 3 transitions per state.
#define BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#define BOOST_MPL_LIMIT_VECTOR_SIZE 50
#define BOOST_MPL_LIMIT_MAP_SIZE 50

#include <benchmark/benchmark.h>

#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <cstdio>
#include <cstdlib>

#include "machine.hpp"

namespace patter::bench {

namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;

template <int I>
struct Heard {};

struct MachineDef : msm::front::state_machine_def<MachineDef> {
  int line = -1;  // the line to say: the state's own, set on entry

  template <int N>
  struct Node : msm::front::state<> {
    template <class Event, class Fsm>
    void on_entry(const Event&, Fsm& fsm) {
      fsm.line = N;
    }
  };
  using initial_state = Node<0>;

  template <int N, int R>
  using Route = _row<Node<N>, Heard<route_intent(N, R)>, Node<route_target(N, R)>>;
#define PATTER_MSM_NODE(n) Route<n, 0>, Route<n, 1>, Route<n, 2>
  // One line per state: its three routes (intent -> state), as in the script.
  struct transition_table
      : mpl::vector<PATTER_MSM_NODE(0), PATTER_MSM_NODE(1), PATTER_MSM_NODE(2), PATTER_MSM_NODE(3),
                    PATTER_MSM_NODE(4), PATTER_MSM_NODE(5), PATTER_MSM_NODE(6), PATTER_MSM_NODE(7),
                    PATTER_MSM_NODE(8), PATTER_MSM_NODE(9), PATTER_MSM_NODE(10),
                    PATTER_MSM_NODE(11), PATTER_MSM_NODE(12), PATTER_MSM_NODE(13),
                    PATTER_MSM_NODE(14), PATTER_MSM_NODE(15)> {};
#undef PATTER_MSM_NODE
  static_assert(kNodes == 16 && kRoutes == 3, "the transition table lists 16 states of 3 routes");

  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {
    std::fprintf(stderr, "Boost.MSM: an event with no transition\n");
    std::abort();
  }
};
using Machine = msm::back::state_machine<MachineDef>;

/// The host's intent id to MSM's event type: a host needs this switch too.
void dispatch(Machine& m, std::uint32_t intent) {
  switch (intent) {
    case 0: m.process_event(Heard<0>{}); break;
    case 1: m.process_event(Heard<1>{}); break;
    case 2: m.process_event(Heard<2>{}); break;
    case 3: m.process_event(Heard<3>{}); break;
    case 4: m.process_event(Heard<4>{}); break;
    case 5: m.process_event(Heard<5>{}); break;
    case 6: m.process_event(Heard<6>{}); break;
    case 7: m.process_event(Heard<7>{}); break;
  }
}
static_assert(kIntents == 8, "dispatch lists 8 events");

}  // namespace

/// Boost.MSM processing the stream of BM_IntentTurn, one event per iteration.
void BM_MsmEvent(benchmark::State& state) {
  const auto& stream = intent_stream();
  Machine m;
  m.start();
  std::size_t i = 0;
  long lines = 0;
  for (auto _ : state) {
    dispatch(m, stream[i]);
    lines += m.line;
    if (++i == stream.size()) {
      i = 0;
      m.stop();
      m.start();
    }
  }
  benchmark::DoNotOptimize(lines);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes"] = static_cast<double>(sizeof(Machine));
}

std::vector<int> msm_walk() {
  std::vector<int> out;
  Machine m;
  m.start();
  for (std::uint32_t intent : intent_stream()) {
    dispatch(m, intent);
    out.push_back(m.line);
  }
  return out;
}

}  // namespace patter::bench
