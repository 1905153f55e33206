#include "match/similarity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#ifndef PATTER_SOURCE_DIR
#define PATTER_SOURCE_DIR "/work/main"
#endif

namespace {

using patter::detail::SimilarityIndex;
using Example = SimilarityIndex::Example;

// The default threshold of MatcherOptions::similarity_threshold.
constexpr float kThreshold = 0.45f;

std::string data_path(const std::string& name) {
  return std::string(PATTER_SOURCE_DIR) + "/tests/data/similarity/" + name;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

/// A labelled set: intent<TAB>utterance per line, '#' lines are comments.
struct Labelled {
  std::vector<std::string> intents;  ///< names, by id
  std::vector<Example> rows;         ///< index = position within the intent
};

Labelled read_labelled(const std::string& name) {
  Labelled set;
  std::map<std::string, std::uint32_t> ids;
  std::vector<std::uint32_t> counts;
  for (const std::string& line : read_lines(data_path(name))) {
    const auto tab = line.find('\t');
    EXPECT_NE(tab, std::string::npos) << line;
    if (tab == std::string::npos) continue;
    const std::string intent = line.substr(0, tab);
    const auto [it, added] =
        ids.try_emplace(intent, static_cast<std::uint32_t>(set.intents.size()));
    if (added) {
      set.intents.push_back(intent);
      counts.push_back(0);
    }
    set.rows.push_back({it->second, counts[it->second]++, line.substr(tab + 1)});
  }
  return set;
}

/// Every fourth utterance of each intent is held out; the rest are examples.
void split(const Labelled& set, std::vector<Example>& train, std::vector<Example>& held_out) {
  for (const Example& e : set.rows) (e.index % 4 == 3 ? held_out : train).push_back(e);
}

struct Accuracy {
  double top1 = 0;             ///< right intent, whatever the score
  double at_threshold = 0;     ///< right intent and score >= threshold
  double above_threshold = 0;  ///< any intent with score >= threshold
};

Accuracy measure(const SimilarityIndex& index, const std::vector<Example>& held_out) {
  SimilarityIndex::Scratch scratch;
  int right = 0, right_above = 0, above = 0;
  for (const Example& q : held_out) {
    const auto r = index.nearest(q.text, scratch);
    if (!r) continue;
    right += r->intent == q.intent;
    right_above += r->intent == q.intent && r->score >= kThreshold;
    above += r->score >= kThreshold;
  }
  const double n = static_cast<double>(held_out.size());
  return {right / n, right_above / n, above / n};
}

void check_held_out(const std::string& lang, double top1_floor, double threshold_floor) {
  const Labelled set = read_labelled(lang + ".tsv");
  ASSERT_GE(set.intents.size(), 12u);
  ASSERT_GE(set.rows.size(), 12u * 25u);
  std::vector<Example> train, held_out;
  split(set, train, held_out);
  SimilarityIndex index;
  index.build(train);
  const Accuracy a = measure(index, held_out);

  // Utterances about nothing the intents cover: how many pass the threshold?
  SimilarityIndex all;
  all.build(set.rows);
  SimilarityIndex::Scratch scratch;
  const std::vector<std::string> other = read_lines(data_path(lang + ".other.txt"));
  int accepted = 0;
  for (const std::string& text : other) {
    const auto r = all.nearest(text, scratch);
    accepted += r && r->score >= kThreshold;
  }

  const double precision = a.above_threshold > 0 ? a.at_threshold / a.above_threshold : 0.0;
  std::cout << std::fixed << std::setprecision(3) << "[similarity " << lang << "] "
            << set.intents.size() << " intents, " << train.size() << " examples, "
            << held_out.size() << " held out: top-1 " << a.top1 << "; at threshold " << kThreshold
            << ": right " << a.at_threshold << ", answered " << a.above_threshold << " (precision "
            << precision << "); unrelated accepted " << accepted << "/" << other.size()
            << std::endl;
  EXPECT_GE(a.top1, top1_floor);
  EXPECT_GE(a.at_threshold, threshold_floor);
  EXPECT_LE(accepted, static_cast<int>(other.size() / 10));
}

// ---------------------------------------------------------------------------

TEST(Similarity, HeldOutChinese) {
  check_held_out("zh", 0.70, 0.40);
}

TEST(Similarity, HeldOutEnglish) {
  check_held_out("en", 0.55, 0.30);
}

TEST(Similarity, EmptyIndexFindsNothing) {
  SimilarityIndex index;
  SimilarityIndex::Scratch scratch;
  EXPECT_TRUE(index.empty());
  EXPECT_FALSE(index.nearest("多少钱", scratch));
  index.build({});
  EXPECT_TRUE(index.empty());
  EXPECT_FALSE(index.nearest("多少钱", scratch));
}

TEST(Similarity, EmptyQueryFindsNothing) {
  SimilarityIndex index;
  index.build({{0, 0, "多少钱"}, {1, 0, "how much"}});
  SimilarityIndex::Scratch scratch;
  EXPECT_FALSE(index.nearest("", scratch));
  EXPECT_FALSE(index.nearest(" ", scratch));
}

TEST(Similarity, EmptyExamplesAreNeverFound) {
  SimilarityIndex index;
  index.build({{0, 0, ""}, {1, 0, "多少钱"}});
  EXPECT_EQ(index.size(), 2u);
  SimilarityIndex::Scratch scratch;
  const auto r = index.nearest("多少钱", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 1u);
}

TEST(Similarity, NothingSharedFindsNothing) {
  SimilarityIndex index;
  index.build({{0, 0, "你们这个多少钱啊"}, {1, 0, "我现在开车呢不方便"}, {2, 0, "wrong number"}});
  SimilarityIndex::Scratch scratch;
  EXPECT_FALSE(index.nearest("今天天气", scratch));
  EXPECT_FALSE(index.nearest("xyz", scratch));
}

TEST(Similarity, EveryExampleFindsItself) {
  for (const std::string lang : {"zh", "en"}) {
    const Labelled set = read_labelled(lang + ".tsv");
    SimilarityIndex index;
    index.build(set.rows);
    SimilarityIndex::Scratch scratch;
    for (const Example& e : set.rows) {
      const auto r = index.nearest(e.text, scratch);
      ASSERT_TRUE(r) << e.text;
      EXPECT_EQ(set.intents[r->intent], set.intents[e.intent]) << e.text;
      EXPECT_EQ(r->index, e.index) << e.text;
      EXPECT_NEAR(r->score, 1.0f, 1e-4f) << e.text;
    }
  }
}

TEST(Similarity, ScoresFallWithDistance) {
  SimilarityIndex index;
  index.build({{0, 0, "你们这个多少钱啊"}, {1, 0, "我现在开车呢不方便"}});
  SimilarityIndex::Scratch scratch;
  const auto close = index.nearest("你们这个要多少钱", scratch);
  const auto far = index.nearest("多少", scratch);
  ASSERT_TRUE(close && far);
  EXPECT_EQ(close->intent, 0u);
  EXPECT_EQ(far->intent, 0u);
  EXPECT_GT(close->score, kThreshold);
  EXPECT_LT(close->score, 1.0f);
  EXPECT_LT(far->score, close->score);
  EXPECT_GT(far->score, 0.0f);
}

TEST(Similarity, UnknownWordsLowerTheScore) {
  SimilarityIndex index;
  index.build({{0, 0, "多少钱"}, {1, 0, "我在开车"}});
  SimilarityIndex::Scratch scratch;
  const auto alone = index.nearest("多少钱", scratch);
  const auto padded = index.nearest("昨天我家楼下超市的西瓜多少钱", scratch);
  ASSERT_TRUE(alone && padded);
  EXPECT_EQ(padded->intent, 0u);
  EXPECT_LT(padded->score, alone->score);
  EXPECT_LT(padded->score, kThreshold);
}

TEST(Similarity, SurvivesMisrecognitionAndTypos) {
  SimilarityIndex index;
  index.build({
      {0, 0, "你是不是机器人"},
      {1, 0, "你们这个多少钱啊"},
      {2, 0, "我现在开车呢不方便"},
      {3, 0, "i am not interested"},
      {4, 0, "how much does it cost"},
      {5, 0, "stop calling me"},
  });
  SimilarityIndex::Scratch scratch;
  const auto intent_of = [&](std::string_view text) {
    const auto r = index.nearest(text, scratch);
    return r ? static_cast<int>(r->intent) : -1;
  };
  EXPECT_EQ(intent_of("你是鸡器人吧"), 0);  // a homophone for one character
  EXPECT_EQ(intent_of("这个要多少前"), 1);  // and another
  EXPECT_EQ(intent_of("开着车呢"), 2);
  EXPECT_EQ(intent_of("not intrested"), 3);  // typos share trigrams
  EXPECT_EQ(intent_of("how much it costs"), 4);
  EXPECT_EQ(intent_of("quit calling"), 5);
}

TEST(Similarity, MixedScriptsAndOddBytes) {
  SimilarityIndex index;
  index.build({{0, 0, "ok你说吧"}, {1, 0, "不是我"}, {2, 0, "ai打的吧"}});
  SimilarityIndex::Scratch scratch;
  auto r = index.nearest("ok ok 你说", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 0u);
  r = index.nearest("是ai打的吗", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 2u);
  // Bytes that are not UTF-8 (the matcher replaces them, but the index
  // must not read past them either).
  for (std::string_view odd : {"\xff", "\xe4\xbd", "ok\xe4", "\xe4\xbd\xa0\xff\xe6", "\x80\x80 ok"})
    (void)index.nearest(odd, scratch);
}

TEST(Similarity, IntentsVoteWithTheirNearestExamples) {
  // One example of intent 0 is nearest, but three of intent 1 are nearly as
  // near: intent 1 wins and reports its own nearest example.
  SimilarityIndex index;
  index.build({
      {0, 0, "is it near me"},
      {1, 0, "is it expensive"},
      {1, 1, "is it free"},
      {1, 2, "is it cheap to join"},
  });
  SimilarityIndex::Scratch scratch;
  const auto r = index.nearest("is it cheap", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 1u);
  EXPECT_EQ(r->index, 2u);

  // An example with exactly the query's words wins over any vote.
  const auto exact = index.nearest("is it near me", scratch);
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->intent, 0u);
  EXPECT_NEAR(exact->score, 1.0f, 1e-4f);
}

TEST(Similarity, AKindWeightedZeroIsOff) {
  patter::detail::SimilarityWeights no_cjk;
  no_cjk.cjk_char = 0;
  no_cjk.cjk_pair = 0;
  SimilarityIndex index;
  index.build({{0, 0, "多少钱"}, {1, 0, "how much"}, {2, 0, "ok你说吧"}}, no_cjk);
  SimilarityIndex::Scratch scratch;
  EXPECT_FALSE(index.nearest("多少钱", scratch));
  auto r = index.nearest("how much", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 1u);
  EXPECT_NEAR(r->score, 1.0f, 1e-4f);
  r = index.nearest("ok", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 2u);
  EXPECT_NEAR(r->score, 1.0f, 1e-4f);  // its CJK part weighs nothing
  EXPECT_TRUE(
      std::all_of(scratch.dots.begin(), scratch.dots.end(), [](float d) { return d == 0; }));
}

TEST(Similarity, IntentIdsNeedNotBeDense) {
  SimilarityIndex index;
  index.build({{4000000000u, 7, "多少钱"}, {12, 3, "我在开车"}, {4000000000u, 8, "怎么收费"}});
  SimilarityIndex::Scratch scratch;
  auto r = index.nearest("收费多少钱", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 4000000000u);
  r = index.nearest("开车", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 12u);
  EXPECT_EQ(r->index, 3u);
}

TEST(Similarity, RebuildReplacesAndScratchMovesBetweenIndexes) {
  const Labelled zh = read_labelled("zh.tsv");
  SimilarityIndex big, small;
  big.build(zh.rows);
  small.build({{0, 0, "多少钱"}, {1, 0, "我在开车"}});
  SimilarityIndex::Scratch scratch;
  ASSERT_TRUE(big.nearest("你们这个多少钱", scratch));
  auto r = small.nearest("你们这个多少钱",
                         scratch);  // a scratch sized for a bigger index
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 0u);
  EXPECT_TRUE(
      std::all_of(scratch.dots.begin(), scratch.dots.end(), [](float d) { return d == 0; }));
  EXPECT_TRUE(
      std::all_of(scratch.votes.begin(), scratch.votes.end(), [](float v) { return v == 0; }));

  big.build({{9, 0, "wrong number"}});
  EXPECT_EQ(big.size(), 1u);
  EXPECT_FALSE(big.nearest("你们这个多少钱", scratch));
  r = big.nearest("wrong number", scratch);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->intent, 9u);
}

TEST(Similarity, SameAnswersEveryTimeAndOnEveryThread) {
  const Labelled set = read_labelled("zh.tsv");
  const Labelled en = read_labelled("en.tsv");
  std::vector<Example> train, held_out;
  split(set, train, held_out);
  split(en, train, held_out);  // one index, both languages, overlapping ids
  SimilarityIndex a, b;
  a.build(train);
  b.build(train);
  EXPECT_EQ(a.feature_count(), b.feature_count());

  const auto answer_all = [&](const SimilarityIndex& index) {
    SimilarityIndex::Scratch scratch;
    std::vector<SimilarityIndex::Result> out;
    for (const Example& q : held_out)
      out.push_back(index.nearest(q.text, scratch).value_or(SimilarityIndex::Result{}));
    return out;
  };
  const auto same = [](const std::vector<SimilarityIndex::Result>& x,
                       const std::vector<SimilarityIndex::Result>& y) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (x[i].intent != y[i].intent || x[i].index != y[i].index || x[i].score != y[i].score)
        return false;
    return true;
  };
  const auto expected = answer_all(a);
  EXPECT_TRUE(same(expected, answer_all(a)));
  EXPECT_TRUE(same(expected, answer_all(b)));

  std::vector<std::vector<SimilarityIndex::Result>> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results)
    threads.emplace_back([&] {
      for (int round = 0; round < 20; ++round) r = answer_all(a);
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(same(expected, r));
}

TEST(Similarity, NoAllocationOnceScratchHasGrown) {
  const Labelled zh = read_labelled("zh.tsv");
  const Labelled en = read_labelled("en.tsv");
  std::vector<Example> train, held_out;
  split(zh, train, held_out);
  split(en, train, held_out);
  SimilarityIndex index;
  index.build(train);

  // Warm up with the longest query (the features vector is reserved for
  // the query's length) and one that touches many examples.
  std::vector<std::string> queries;
  for (const Example& q : held_out) queries.push_back(q.text);
  for (const Example& q : train) queries.push_back(q.text + " 不是");
  const std::string longest = *std::max_element(
      queries.begin(), queries.end(),
      [](const std::string& x, const std::string& y) { return x.size() < y.size(); });
  SimilarityIndex::Scratch scratch;
  (void)index.nearest(longest, scratch);
  (void)index.nearest("是 不 我 你 i you is the a 吗", scratch);

  struct Capacities {
    std::size_t features, dots, touched, votes, nearest, intents;
    const void* data[6];
    bool operator==(const Capacities& o) const {
      return features == o.features && dots == o.dots && touched == o.touched && votes == o.votes &&
             nearest == o.nearest && intents == o.intents && std::equal(data, data + 6, o.data);
    }
  };
  const auto capacities = [&] {
    return Capacities{scratch.features.capacity(),
                      scratch.dots.capacity(),
                      scratch.touched.capacity(),
                      scratch.votes.capacity(),
                      scratch.nearest.capacity(),
                      scratch.intents.capacity(),
                      {scratch.features.data(), scratch.dots.data(), scratch.touched.data(),
                       scratch.votes.data(), scratch.nearest.data(), scratch.intents.data()}};
  };
  const Capacities before = capacities();
  int found = 0;
  for (int i = 0; i < 1000; ++i)
    found += index.nearest(queries[(i * 7919) % queries.size()], scratch).has_value();
  EXPECT_GT(found, 900);
  EXPECT_TRUE(capacities() == before);
}

}  // namespace
