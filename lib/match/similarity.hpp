// The similarity fallback: which intent's examples is the customer nearest?
//
//   patter::detail::SimilarityIndex index;
//   index.build({{0, 0, "你们这个多少钱啊"}, {0, 1, "怎么收费"}, {1, 0, "我现在开车呢不方便"}});
//   patter::detail::SimilarityIndex::Scratch scratch;  // one per thread, reused
//   if (auto r = index.nearest("这个要多少钱", scratch); r && r->score >= 0.45f)
//     use(r->intent, r->index);                          // intent 0, example 0
//
// It runs only when no phrase matched, so it sees the replies the phrase
// lists missed: reworded, misrecognised, padded with fillers. Texts must
// already be normalised (patter/normalizer.hpp): lowercase, NFKC, no spaces
// between CJK characters, punctuation turned into single spaces.
//
// Features. Each text becomes a sparse vector of
//   - for CJK runs (Han, kana, Hangul): each character and each pair of
//     adjacent characters. Chinese has no spaces to find words by; pairs are
//     the words that matter ("多少", "开车", "机器"), single characters
//     survive a misrecognised neighbour ("鸡器人" still has 器, 人, 器人);
//   - for other words (Latin, digits): the word, each pair of adjacent words
//     ("not interested" is not "interested"), and the character trigrams of
//     the word between boundary marks ("^no", "not", "ot$"), which survive
//     typos and inflections ("intrested", "calling" / "call").
// A feature counts once however often it appears ("对对对" is "对"), weighs
// its kind's weight times its idf over the examples (a character most
// examples have says little, "机器" says a lot), and each vector is
// L2-normalised, so a score is a cosine in 0..1. Query features that no
// example has still count in the query's length: "多少钱" inside a long
// unrelated sentence scores low.
//
// Choosing. Nearest-neighbour alone lets one lucky example decide ("is it
// cheap" is nearest to "is it near me"), so the three nearest examples of
// each intent vote, weighted 1, 0.7 and 0.5: the intent with the highest
// weighted sum wins (an intent with fewer than three examples is judged by
// the weighted mean of those it has). An example with exactly the query's
// features always wins. The result is the winning intent's nearest example
// and its cosine, which is what a threshold compares with. On the held-out
// sets in tests/data/similarity voting lifts top-1 accuracy by about six
// points over plain nearest-neighbour.
//
// Speed. Features are 64-bit FNV-1a hashes (their kind in the low bits)
// found in an open-addressing table; each points at its postings (example,
// weight), so a query touches only the examples that share a feature with
// it. The index is immutable after build() and may be shared by any number
// of threads; nearest() writes only to the caller's Scratch and allocates
// nothing once the scratch has grown to the query's length and the index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patter::detail {

/// How features and votes are weighted (0 turns a kind of feature off;
/// none may be negative). The defaults were tuned by 4-fold
/// cross-validation on tests/data/similarity (zh and en); top-1 accuracy is
/// flat within a point or two around them, and these put the default
/// threshold of 0.45 where about five in six answers above it are right.
struct SimilarityWeights {
  float cjk_char = 1.0f;   ///< one CJK character
  float cjk_pair = 0.5f;   ///< two adjacent CJK characters
  float word = 1.0f;       ///< a whole word of other scripts
  float word_pair = 0.5f;  ///< two adjacent words
  float trigram = 0.35f;   ///< three characters of a word, with ^ and $ marks
  float second = 0.7f;     ///< vote of an intent's second-nearest example (the nearest's is 1)
  float third = 0.5f;      ///< vote of its third-nearest
};

class SimilarityIndex {
 public:
  struct Example {
    std::uint32_t intent = 0;
    std::uint32_t index = 0;  ///< which example of the intent
    std::string text;         ///< normalised
  };
  struct Result {
    std::uint32_t intent = 0;
    std::uint32_t index = 0;
    float score = 0;  ///< cosine similarity with that example, 0..1
  };
  /// One caller's working space, reused between queries and between
  /// indexes; its vectors only grow. Between queries every entry of `dots`
  /// and `votes` is zero.
  struct Scratch {
    std::vector<std::uint64_t> features;  ///< the query's feature ids
    std::vector<float> dots;              ///< per example
    std::vector<std::uint32_t> touched;   ///< examples with a nonzero dot
    std::vector<float> votes;             ///< per intent: its three largest dots
    std::vector<std::uint32_t> nearest;   ///< per intent: its example with the largest dot
    std::vector<std::uint32_t> intents;   ///< intents with a nonzero vote
  };

  /// Replaces the contents. Examples with no feature (empty text) are kept
  /// but never found.
  void build(const std::vector<Example>& examples, const SimilarityWeights& weights = {});

  /// The best intent for normalised `text` and its nearest example (see the
  /// top of this file), or nullopt when no example shares a feature with
  /// it. Ties go to the intent whose nearest example came first.
  std::optional<Result> nearest(std::string_view text, Scratch& scratch) const;

  bool empty() const noexcept { return examples_.empty(); }
  std::size_t size() const noexcept { return examples_.size(); }
  /// Distinct features over all examples.
  std::size_t feature_count() const noexcept {
    return features_.empty() ? 0 : features_.size() - 1;
  }

 private:
  struct Feature {
    float idf = 0;
    std::uint32_t begin = 0;  ///< into postings_; the end is the next feature's begin
  };
  struct Posting {
    std::uint32_t example = 0;
    float weight = 0;  ///< in the example's normalised vector
  };
  struct Slot {
    std::uint64_t key = 0;  ///< 0 = empty
    std::uint32_t feature = 0;
  };
  struct Target {
    std::uint32_t intent = 0;  ///< as given
    std::uint32_t index = 0;
    std::uint32_t slot = 0;  ///< the intent numbered densely from 0, for the scratch
  };

  const Feature* find(std::uint64_t key) const noexcept;
  float weight_of(std::uint64_t key, float idf) const noexcept;
  float dot_products(const std::vector<std::uint64_t>& ids, Scratch& scratch) const;
  std::uint32_t vote(Scratch& scratch, std::uint32_t best) const;

  SimilarityWeights weights_;
  std::vector<Target> examples_;
  std::vector<float> vote_total_;  ///< per intent slot: the sum of the votes it can get
  std::vector<Feature> features_;  ///< plus one sentinel at the end
  std::vector<Posting> postings_;
  std::vector<Slot> table_;  ///< power-of-two size, at most half full
  float unknown_idf_ = 0;    ///< idf of a feature no example has
};

}  // namespace patter::detail
