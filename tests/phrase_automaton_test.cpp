// The phrase automaton against the obvious search: every phrase, at every
// place, found by comparing bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "match/automaton.hpp"
#include "patter/random.hpp"
#include "text/utf8.hpp"

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
// end inside each other) in random texts: with the scan this processor
// runs, and with the portable one.
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
    if (a.uses_bmi2()) {  // and the scan for processors without BMI2
      a.use_portable_scan();
      ASSERT_EQ(scanned(a, text), searched(phrases, text)) << "portable, round " << round;
    }
  }
}

// Past kMaxText bytes nothing is read: a phrase across the cut is not
// found, one just before it is, and a cut inside a character leaves its
// first bytes alone (the filter's last position is the character before).
TEST(PhraseAutomaton, ReadsNoFurtherThanItsLimit) {
  // Without and with a one-character phrase: the filter's two ways to end.
  for (const std::vector<std::string> phrases : {std::vector<std::string>{"不要", "别再打"},
                                                 std::vector<std::string>{"不要", "别再打", "要"}})
    for (const bool portable : {false, true}) {
      for (const std::size_t before : {0u, 1u, 2u}) {  // bytes of padding: where the cut falls
        std::string text(before, 'x');
        while (text.size() + 3 <= PhraseAutomaton::kMaxText - 9) text += "好";
        text += "不要";          // ends 3 bytes before the cut, or fewer
        text += "别再打别再打";  // across the cut
        ASSERT_GT(text.size(), PhraseAutomaton::kMaxText);
        PhraseAutomaton a;
        a.build(phrases);
        if (portable) a.use_portable_scan();
        EXPECT_EQ(scanned(a, text), searched(phrases, text.substr(0, PhraseAutomaton::kMaxText)))
            << "padding " << before << (portable ? ", portable" : "");
      }
    }
}

// States with from two to thousands of children, each child a character
// drawn at random (an even spread, such as every seventh code point, gives
// every child its own slot even at 3,000): the small states get a table
// where each child has its own slot, the largest too many children for
// that (64, 3,000) and a table that is probed. Every child is found, and characters
// that are no child are not.
TEST(PhraseAutomaton, StatesWithManyChildren) {
  auto cjk = [](std::uint64_t k) {
    std::string s;
    patter::detail::append_utf8(s, static_cast<char32_t>(0x4E00 + k));
    return s;
  };
  patter::Random rng(11);
  std::vector<std::string> phrases;
  std::vector<std::string> texts(1, "no ax no bx no zx no Ax no ay");
  std::size_t pieces = 0, children_said = 3;  // "no ax", "no bx", "no zx"
  for (std::uint32_t children : {2u, 3u, 7u, 16u, 33u, 64u, 3000u}) {
    std::set<std::uint64_t> chosen;
    while (chosen.size() < children) chosen.insert(rng.below(20000));
    for (const std::uint64_t k : chosen) phrases.push_back("头" + cjk(children) + cjk(k));
    // Texts of at most 1,000 pieces (a scan reads 16 KiB): each child,
    // and the character after it, which is most often none.
    for (const std::uint64_t k : chosen)
      for (const std::uint64_t said : {k, k + 1}) {
        if (pieces++ % 1000 == 0) texts.emplace_back();
        texts.back() += "头" + cjk(children) + cjk(said);
        children_said += chosen.count(said);
      }
  }
  for (char c = 'a'; c <= 'z'; ++c) phrases.push_back(std::string("no ") + c + "x");
  PhraseAutomaton a;
  a.build(phrases);
  // Random characters spread well only up to a few dozen to a table four
  // times their number: the states of 64 and of 3,000 children are probed.
  EXPECT_EQ(a.probed_tables(), 2u);
  std::size_t hits = 0;
  for (const std::string& text : texts) {
    const Found found = scanned(a, text);
    EXPECT_EQ(found, searched(phrases, text));
    hits += found.size();
  }
  EXPECT_EQ(hits, children_said);
  EXPECT_GT(children_said, 3000u);
}

}  // namespace
