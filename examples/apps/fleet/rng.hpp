// rng.hpp — random streams that belong to one call.
//
// The whole fleet's determinism rests on this: every random choice about a
// call (its customer, their words, how long a person takes to pick up)
// comes from a stream seeded by (campaign seed, call id, purpose), never
// from a stream shared between calls. Which process handles which event,
// and in which order calls interleave, then cannot change any call.
#pragma once

#include <cstdint>

#include <patter/random.hpp>
#include <patter/tooling/simulation.hpp>

namespace fleet {

using Rng = patter::Random;

/// What a stream is for: one call has several, independent of each other.
enum class Stream : std::uint64_t { customer = 1, person = 2 };

/// The stream of `call` for `purpose`; `salt` separates several of one
/// purpose (the person who answers each escalation of the call).
inline Rng stream_of(std::uint64_t seed, std::uint64_t call, Stream purpose,
                     std::uint64_t salt = 0) {
  Rng mix(seed ^ 0x5EED5EED5EED5EEDull);
  std::uint64_t s = mix.next() ^ (call * 0x9E3779B97F4A7C15ull);
  s = Rng(s).next() ^ (static_cast<std::uint64_t>(purpose) << 56) ^ salt;
  return Rng(Rng(s).next());
}

}  // namespace fleet
