// patter/random.hpp — a seeded random source that gives the same numbers
// everywhere.
//
//   patter::Random rng(42);                       // the seed is the whole state
//   std::uint64_t bits = rng.next();
//   double u = rng.uniform();                     // in [0, 1)
//   std::uint64_t die = 1 + rng.below(6);         // 1..6
//   std::uint64_t think_ms = rng.between(800, 2500);
//   const std::string& word = rng.pick(words);    // words: a non-empty vector
//   rng.shuffle(cards);
//
// Simulations, tests, benchmarks and examples draw from it so that a seed
// names one run on every platform, compiler and standard library: the
// generator (splitmix64) and every derived draw are written out here, where
// <random>'s distributions are left to each library to implement. Not for
// secrets; a Random is a value (copy it to fork a stream) and is not
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace patter {

class Random {
 public:
  explicit Random(std::uint64_t seed) noexcept : state_(seed) {}

  /// 64 random bits.
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// A number in [0, 1), with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// A number in [0, n); 0 when n is 0.
  std::uint64_t below(std::uint64_t n) noexcept { return n ? next() % n : 0; }
  /// A number in [min, max]; min when max is not above it.
  std::uint64_t between(std::uint64_t min, std::uint64_t max) noexcept {
    if (max <= min) return min;
    const std::uint64_t span = max - min;
    return min + (span == ~std::uint64_t{0} ? next() : next() % (span + 1));
  }
  /// True `percent` times in a hundred.
  bool chance(std::uint32_t percent) noexcept { return below(100) < percent; }
  /// One element of a non-empty container with size() and operator[].
  template <class Container>
  auto& pick(Container& c) noexcept {
    return c[below(c.size())];
  }
  /// Fisher-Yates, drawing with below().
  template <class Container>
  void shuffle(Container& c) noexcept {
    using std::swap;
    for (std::size_t i = c.size(); i > 1; --i) swap(c[i - 1], c[below(i)]);
  }

 private:
  std::uint64_t state_;
};

}  // namespace patter
