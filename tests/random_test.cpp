// patter/random.hpp: the seeded random source of simulations, tests,
// benchmarks and examples.
#include <gtest/gtest.h>
#include <patter/random.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace {

using patter::Random;

TEST(Random, IsSplitmix64SoASeedNamesTheSameNumbersEverywhere) {
  // The reference sequence of splitmix64 from seed 0.
  Random r(0);
  EXPECT_EQ(r.next(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(r.next(), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(r.next(), 0x06C45D188009454Full);
}

TEST(Random, CopiesContinueTheSameStream) {
  Random a(42);
  a.next();
  Random b = a;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  EXPECT_NE(Random(1).next(), Random(2).next());
}

TEST(Random, UniformStaysInTheHalfOpenUnitInterval) {
  Random r(7);
  double lo = 1, hi = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  EXPECT_LT(lo, 0.01);
  EXPECT_GT(hi, 0.99);
}

TEST(Random, BelowAndBetweenStayInTheirRanges) {
  Random r(3);
  std::vector<int> seen(6, 0);
  for (int i = 0; i < 6000; ++i) {
    const std::uint64_t d = r.below(6);
    ASSERT_LT(d, 6u);
    ++seen[d];
    const std::uint64_t b = r.between(800, 2500);
    ASSERT_GE(b, 800u);
    ASSERT_LE(b, 2500u);
  }
  for (int n : seen) EXPECT_GT(n, 800);  // each face about 1000 times
}

TEST(Random, EmptyAndDegenerateRangesGiveTheirLowerEnd) {
  Random r(5);
  EXPECT_EQ(r.below(0), 0u);
  EXPECT_EQ(r.between(9, 9), 9u);
  EXPECT_EQ(r.between(9, 3), 9u);
  r.between(0, ~std::uint64_t{0});  // the whole range: no division by zero
  EXPECT_LE(r.between(1, ~std::uint64_t{0}), ~std::uint64_t{0});
}

TEST(Random, ChanceIsNeverAtZeroAndAlwaysAtAHundred) {
  Random r(11);
  int half = 0;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(r.chance(0));
    EXPECT_TRUE(r.chance(100));
    half += r.chance(50);
  }
  EXPECT_GT(half, 400);
  EXPECT_LT(half, 600);
}

TEST(Random, PickAndShuffleDrawFromTheContainer) {
  Random r(13);
  const std::vector<int> v = {10, 20, 30};
  for (int i = 0; i < 100; ++i) EXPECT_NE(std::find(v.begin(), v.end(), r.pick(v)), v.end());
  std::vector<int> cards(52);
  std::iota(cards.begin(), cards.end(), 0);
  std::vector<int> shuffled = cards;
  Random(1).shuffle(shuffled);
  EXPECT_NE(shuffled, cards);
  std::vector<int> again = cards;
  Random(1).shuffle(again);
  EXPECT_EQ(again, shuffled);  // the same seed, the same order
  std::sort(shuffled.begin(), shuffled.end());
  EXPECT_EQ(shuffled, cards);  // a permutation
}

}  // namespace
