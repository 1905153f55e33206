// The phrase checks the matcher makes once per phrase when it is built:
// is a phrase a negation cue, could it be part of a double negation's
// frame. Their quick tests are checked against the plain rule.
#include <gtest/gtest.h>
#include <patter/random.hpp>

#include <string>
#include <string_view>

#include "match/negation.hpp"

namespace {

using patter::detail::en_negation_cues;
using patter::detail::is_negation_cue;
using patter::detail::may_be_frame;
using patter::detail::zh_negation_cues;

bool plain_is_cue(std::string_view p) {
  for (const std::string_view c : zh_negation_cues())
    if (p == c) return true;
  for (const std::string_view c : en_negation_cues())
    if (p == c) return true;
  return false;
}

TEST(Negation, EveryCueIsACueAndNothingAroundIt) {
  for (const auto& cues : {zh_negation_cues(), en_negation_cues()})
    for (const std::string_view c : cues) {
      EXPECT_TRUE(is_negation_cue(c)) << c;
      EXPECT_FALSE(is_negation_cue(std::string(c) + "了")) << c;
      EXPECT_FALSE(is_negation_cue(std::string(c) + " ok")) << c;
      EXPECT_FALSE(is_negation_cue(std::string(c).substr(1))) << c;
    }
  EXPECT_FALSE(is_negation_cue(""));
  EXPECT_FALSE(is_negation_cue("感兴趣"));
  EXPECT_FALSE(is_negation_cue("not interested at all, thanks"));
}

// Phrases made of the cues' own pieces and other text: the quick length
// test never changes the answer.
TEST(Negation, TheCueTestAgreesWithComparingEveryCue) {
  const std::string_view pieces[] = {"不", "没", "有", "是",  "太", "别",  "n",
                                     "o",  "t",  " ",  "don", "t",  "可以"};
  patter::Random rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string p;
    const int n = static_cast<int>(rng.below(5));
    for (int k = 0; k < n; ++k) p += pieces[rng.below(std::size(pieces))];
    EXPECT_EQ(is_negation_cue(p), plain_is_cue(p)) << p;
  }
}

TEST(Negation, FramesAndTheirPiecesMayBeFrames) {
  for (const char* p :
       {"不是", "是", "也不是", "不是说", "说", "没有", "有", "我也不是", "倒也不是"})
    EXPECT_TRUE(may_be_frame(p)) << p;
  for (const char* p : {"not that i", "that i", "i m not saying", "wouldn t say", "say"})
    EXPECT_TRUE(may_be_frame(p)) << p;
  // Ends with no character of any frame, or is in none and ends with none.
  for (const char* p : {"感兴趣", "不需要", "可以的", "no thanks", "interested", "是吗"})
    EXPECT_FALSE(may_be_frame(p)) << p;
  EXPECT_FALSE(may_be_frame(""));
}

}  // namespace
