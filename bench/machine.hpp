// The state machine both sides of BM_IntentTurn / BM_MsmEvent run: kNodes
// listening states, each routing kRoutes of kIntents intents to other
// states, and one stream of intents walking it. C++17, so the Boost.MSM
// peer (whose 1.74 headers do not build as C++20) can share it.
#pragma once

#include <cstdint>
#include <vector>

#include "patter/random.hpp"

namespace benchmark {
class State;
}

namespace patter::bench {

inline constexpr int kNodes = 16;
inline constexpr int kIntents = 8;
inline constexpr int kRoutes = 3;

/// Node `n`'s route `r`: which intent takes it, and where to.
constexpr int route_intent(int n, int r) {
  return (n + 3 * r) % kIntents;
}
constexpr int route_target(int n, int r) {
  return (n + 1 + 5 * r) % kNodes;
}

/// The intents a customer says, walking the machine from node 0 along
/// random routes (fixed seed). Both sides get this stream.
inline const std::vector<std::uint32_t>& intent_stream() {
  static const std::vector<std::uint32_t> stream = [] {
    patter::Random rng(0x5E55100Bull);
    std::vector<std::uint32_t> out;
    int at = 0;
    for (int i = 0; i < 4096; ++i) {
      const int r = static_cast<int>(rng.below(kRoutes));
      out.push_back(static_cast<std::uint32_t>(route_intent(at, r)));
      at = route_target(at, r);
    }
    return out;
  }();
  return stream;
}

/// Where the walk is after each event of the stream.
inline std::vector<int> expected_nodes() {
  std::vector<int> out;
  int at = 0;
  for (std::uint32_t intent : intent_stream()) {
    for (int r = 0; r < kRoutes; ++r)
      if (route_intent(at, r) == static_cast<int>(intent)) {
        at = route_target(at, r);
        break;
      }
    out.push_back(at);
  }
  return out;
}

/// The line the Boost.MSM machine says after each event of the stream
/// (msm_peer.cpp): the state it entered.
std::vector<int> msm_walk();

/// The peer benchmark: Boost.MSM processing the stream, one event per
/// iteration (msm_peer.cpp).
void BM_MsmEvent(benchmark::State& state);

}  // namespace patter::bench
