// A seeded random source for tests (splitmix64): the same numbers on every
// platform and standard library, so a failing seed fails everywhere.
#pragma once

#include <cstdint>

namespace patter::testing {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::uint64_t n) { return static_cast<std::uint32_t>(next() % n); }
  bool chance(std::uint32_t percent) { return below(100) < percent; }
  template <class V>
  const auto& pick(const V& v) {
    return v[below(v.size())];
  }

 private:
  std::uint64_t s_;
};

}  // namespace patter::testing
