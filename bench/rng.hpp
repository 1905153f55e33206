// A small, fixed PRNG (xorshift) for generating benchmark data: every run
// and every machine sees the same scripts and utterances.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace patter::bench {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint32_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<std::uint32_t>(state_ >> 16);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : next() % n; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  std::uint64_t state_;
};

}  // namespace patter::bench
