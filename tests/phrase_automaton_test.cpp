// The phrase automaton against the obvious search: every phrase, at every
// place, found by comparing bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "match/automaton.hpp"
#include "patter/random.hpp"

namespace {

using patter::detail::PhraseAutomaton;
using patter::detail::PhraseHit;
using Found = std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>>;

Found scanned(const PhraseAutomaton& a, const std::string& text) {
  std::vector<PhraseHit> hits;
  a.scan(text, hits);
  Found f;
  for (const auto& h : hits) f.emplace_back(h.begin, h.end, h.phrase);
  std::sort(f.begin(), f.end());
  return f;
}

// Every occurrence, on character boundaries (phrases and text are whole
// UTF-8 characters, so any byte match starts on one).
Found searched(const std::vector<std::string>& phrases, const std::string& text) {
  Found f;
  for (std::uint32_t p = 0; p < phrases.size(); ++p) {
    if (phrases[p].empty()) continue;
    for (std::size_t at = text.find(phrases[p]); at != std::string::npos;
         at = text.find(phrases[p], at + 1))
      f.emplace_back(at, at + phrases[p].size(), p);
  }
  std::sort(f.begin(), f.end());
  return f;
}

TEST(PhraseAutomaton, FindsEveryPhraseEverywhere) {
  const std::vector<std::string> phrases = {
      "感兴趣",       "不感兴趣", "不感", "not interested",   "no",     "not",
      "好",           "好的好的", "",     "别再打了",         "别再打", "别再打电话了",
      "别再打电话了", "a",        "ab",   "abcdefghijklmnopq"};
  PhraseAutomaton a;
  a.build(phrases);
  for (const std::string text :
       {"我不感兴趣", "not interested, no", "好的好的好", "别再打电话了别再打了",
        "abcdefghijklmnopq", "abcdefghijklmnop", "nonot", "", "x"})
    EXPECT_EQ(scanned(a, text), searched(phrases, text)) << text;
}

// A tail (the rest of a phrase past its last branch) that the text holds
// only in part, or that runs past the text's end, finds nothing.
TEST(PhraseAutomaton, ATailMustBeThereWhole) {
  const std::vector<std::string> phrases = {"以后别再打电话过来了", "not interested at all"};
  PhraseAutomaton a;
  a.build(phrases);
  EXPECT_TRUE(scanned(a, "以后别再打电话过来").empty());
  EXPECT_TRUE(scanned(a, "以后别再打电话过来吧了").empty());
  EXPECT_TRUE(scanned(a, "not interested at al").empty());
  EXPECT_TRUE(scanned(a, "not interested at alL").empty());
  EXPECT_EQ(scanned(a, "他说以后别再打电话过来了"), searched(phrases, "他说以后别再打电话过来了"));
  EXPECT_EQ(scanned(a, "not interested at all"), searched(phrases, "not interested at all"));
}

// Random phrases over a small alphabet (so they share heads, branch and
// end inside each other) in random texts.
TEST(PhraseAutomaton, AgreesWithSearchOnRandomPhrases) {
  const std::vector<std::string> alphabet = {"不", "要", "好", "a", "b", " ", "é", "😀"};
  patter::Random rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> phrases(1 + rng.below(40));
    for (auto& p : phrases)
      for (std::uint64_t n = rng.below(9); n > 0; --n) p += alphabet[rng.below(alphabet.size())];
    PhraseAutomaton a;
    a.build(phrases);
    std::string text;
    for (std::uint64_t n = rng.below(60); n > 0; --n) text += alphabet[rng.below(alphabet.size())];
    ASSERT_EQ(scanned(a, text), searched(phrases, text)) << "round " << round << ": " << text;
  }
}

}  // namespace
