#include "match/similarity.hpp"

#include "text/fnv1a.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace patter::detail {
namespace {

// The kind of a feature lives in the low three bits of its id, so a query's
// ids still say how to weigh them, including ids that no example has.
enum Kind : std::uint64_t { kCjkChar = 0, kCjkPair = 1, kWord = 2, kWordPair = 3, kTrigram = 4 };
constexpr std::uint64_t kKindMask = 7;

// Boundary marks of word trigrams; normalised text has no control characters.
constexpr std::string_view kBegin = "\x01";
constexpr std::string_view kEnd = "\x02";

// Votes of an intent's nearest examples, nearest first.
constexpr std::size_t kVoters = 3;

class Fnv {
 public:
  explicit Fnv(Kind kind) noexcept : kind_(kind) { add_byte(static_cast<unsigned char>(kind)); }
  Fnv& add(std::string_view s) noexcept {
    for (unsigned char c : s) add_byte(c);
    return *this;
  }
  Fnv& separator() noexcept {
    add_byte(0);
    return *this;
  }
  std::uint64_t id() const noexcept {
    const std::uint64_t key = (h_ & ~kKindMask) | kind_;
    return key == 0 ? kKindMask + 1 : key;  // 0 marks an empty table slot
  }

 private:
  void add_byte(unsigned char c) noexcept { h_ = detail::fnv1a_byte(h_, c); }
  std::uint64_t h_ = detail::kFnvOffset;
  Kind kind_;
};

// FNV-1a's low bits are weak; the table indexes by a mix of all of them.
std::uint64_t mix(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

/// Length of the UTF-8 sequence at s[i] and its code point. A bad byte is a
/// character of its own (U+FFFD), so no input is skipped or read past.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) noexcept {
  std::size_t next = i;
  cp = decode_utf8(s, next);
  return next - i;
}

/// Scripts written without spaces between words.
bool is_cjk(char32_t c) noexcept {
  return (c >= 0x2E80 && c <= 0x2FDF) ||  // radicals
         (c >= 0x3005 && c <= 0x3007) ||  // 々 〆 〇
         (c >= 0x3040 && c <= 0x312F) ||  // kana, bopomofo
         (c >= 0x3131 && c <= 0x318F) ||  // Hangul compatibility jamo
         (c >= 0x3400 && c <= 0x4DBF) ||  // extension A
         (c >= 0x4E00 && c <= 0x9FFF) ||  // unified ideographs
         (c >= 0xAC00 && c <= 0xD7AF) ||  // Hangul syllables
         (c >= 0xF900 && c <= 0xFAFF) ||  // compatibility ideographs
         (c >= 0x20000 && c <= 0x3FFFF);  // extensions B onwards
}

bool is_space(char32_t c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Appends the ids of the features of `text`, unsorted and with repeats.
/// Everything is hashed from slices of `text`: nothing is allocated beyond
/// the growth of `out`, at most 3 ids per byte of text.
void extract(std::string_view text, std::vector<std::uint64_t>& out) {
  std::string_view prev_cjk;   // the CJK character just before, if any
  std::string_view prev_word;  // the word just before, unless CJK came between
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    char32_t cp;
    const std::size_t len = decode(text, i, cp);
    if (is_space(cp)) {
      prev_cjk = {};
      i += len;
      continue;
    }
    if (is_cjk(cp)) {
      const std::string_view ch = text.substr(i, len);
      out.push_back(Fnv(kCjkChar).add(ch).id());
      if (!prev_cjk.empty()) out.push_back(Fnv(kCjkPair).add(prev_cjk).add(ch).id());
      prev_cjk = ch;
      prev_word = {};
      i += len;
      continue;
    }
    // A word runs to the next space or CJK character ("ok你说吧" is "ok" and
    // CJK). Whole characters are concatenated, so trigrams need no separator.
    prev_cjk = {};
    const std::size_t begin = i;
    std::string_view p1, p2 = kBegin;  // the two symbols before the current one
    while (i < n) {
      char32_t c;
      const std::size_t l = decode(text, i, c);
      if (is_space(c) || is_cjk(c)) break;
      const std::string_view ch = text.substr(i, l);
      if (!p1.empty()) out.push_back(Fnv(kTrigram).add(p1).add(p2).add(ch).id());
      p1 = p2;
      p2 = ch;
      i += l;
    }
    out.push_back(Fnv(kTrigram).add(p1).add(p2).add(kEnd).id());
    const std::string_view word = text.substr(begin, i - begin);
    out.push_back(Fnv(kWord).add(word).id());
    if (!prev_word.empty()) out.push_back(Fnv(kWordPair).add(prev_word).separator().add(word).id());
    prev_word = word;
  }
}

/// Sorts ids and drops repeats: a feature counts once.
void sort_unique(std::vector<std::uint64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

}  // namespace

float SimilarityIndex::weight_of(std::uint64_t key, float idf) const noexcept {
  switch (static_cast<Kind>(key & kKindMask)) {
    case kCjkChar: return weights_.cjk_char * idf;
    case kCjkPair: return weights_.cjk_pair * idf;
    case kWord: return weights_.word * idf;
    case kWordPair: return weights_.word_pair * idf;
    case kTrigram: return weights_.trigram * idf;
  }
  return idf;
}

void SimilarityIndex::build(const std::vector<Example>& examples,
                            const SimilarityWeights& weights) {
  weights_ = weights;
  examples_.clear();
  vote_total_.clear();
  features_.clear();
  postings_.clear();
  table_.clear();

  // Intents numbered densely in order of appearance, so the scratch can
  // keep votes in a flat array whatever the ids.
  std::unordered_map<std::uint32_t, std::uint32_t> slots;
  std::vector<std::uint32_t> counts;
  examples_.reserve(examples.size());
  for (const Example& e : examples) {
    const auto [it, added] = slots.try_emplace(e.intent, static_cast<std::uint32_t>(counts.size()));
    if (added) counts.push_back(0);
    ++counts[it->second];
    examples_.push_back({e.intent, e.index, it->second});
  }
  const float votes[kVoters] = {1.0f, weights_.second, weights_.third};
  for (std::uint32_t count : counts) {
    float total = 0;
    for (std::size_t v = 0; v < kVoters && v < count; ++v) total += votes[v];
    vote_total_.push_back(total);
  }

  // Every (feature, example), sorted by feature and then example: each
  // feature's run becomes its postings.
  struct Occurrence {
    std::uint64_t key;
    std::uint32_t example;
  };
  std::vector<Occurrence> occurrences;
  std::vector<std::uint64_t> ids;
  for (std::size_t e = 0; e < examples.size(); ++e) {
    ids.clear();
    extract(examples[e].text, ids);
    sort_unique(ids);
    for (std::uint64_t id : ids) occurrences.push_back({id, static_cast<std::uint32_t>(e)});
  }
  std::sort(occurrences.begin(), occurrences.end(), [](const Occurrence& a, const Occurrence& b) {
    return a.key != b.key ? a.key < b.key : a.example < b.example;
  });

  // Smoothed idf, as if one more example had every feature: a feature that
  // every example has still counts a little, and one that none has counts
  // the most (in the query's length).
  const float n = static_cast<float>(examples.size());
  unknown_idf_ = std::log(n + 1) + 1;
  std::vector<float> norms(examples.size(), 0.0f);
  std::vector<std::uint64_t> keys;
  postings_.reserve(occurrences.size());
  for (std::size_t i = 0; i < occurrences.size();) {
    std::size_t j = i;
    while (j < occurrences.size() && occurrences[j].key == occurrences[i].key) ++j;
    const float idf = std::log((n + 1) / static_cast<float>(j - i + 1)) + 1;
    features_.push_back({idf, static_cast<std::uint32_t>(postings_.size())});
    keys.push_back(occurrences[i].key);
    const float w = weight_of(occurrences[i].key, idf);
    // A kind weighted 0 is turned off; no posting may weigh 0, because a
    // zero dot is how a query tells an example it has not touched yet.
    for (std::size_t k = i; k < j && w > 0; ++k) {
      postings_.push_back({occurrences[k].example, w});
      norms[occurrences[k].example] += w * w;
    }
    i = j;
  }
  features_.push_back({0, static_cast<std::uint32_t>(postings_.size())});  // sentinel
  for (Posting& p : postings_) p.weight /= std::sqrt(norms[p.example]);

  std::size_t size = 16;
  while (size < keys.size() * 2) size *= 2;
  table_.assign(size, Slot{});
  for (std::size_t f = 0; f < keys.size(); ++f) {
    std::size_t at = mix(keys[f]) & (size - 1);
    while (table_[at].key != 0) at = (at + 1) & (size - 1);
    table_[at] = {keys[f], static_cast<std::uint32_t>(f)};
  }
}

const SimilarityIndex::Feature* SimilarityIndex::find(std::uint64_t key) const noexcept {
  if (table_.empty()) return nullptr;
  const std::size_t mask = table_.size() - 1;
  for (std::size_t at = mix(key) & mask;; at = (at + 1) & mask) {
    if (table_[at].key == key) return &features_[table_[at].feature];
    if (table_[at].key == 0) return nullptr;
  }
}

// Dot products with every example that shares a feature of `ids`, into
// scratch.dots (the examples touched listed in scratch.touched). Features
// are visited in id order, so the sums (and any ties) are the same every
// time. Returns the query's squared norm.
float SimilarityIndex::dot_products(const std::vector<std::uint64_t>& ids, Scratch& scratch) const {
  if (scratch.dots.size() < examples_.size()) scratch.dots.resize(examples_.size(), 0.0f);
  auto& dots = scratch.dots;
  auto& touched = scratch.touched;
  touched.clear();
  touched.reserve(examples_.size());
  float norm = 0;
  for (std::uint64_t id : ids) {
    const Feature* f = find(id);
    const float w = weight_of(id, f ? f->idf : unknown_idf_);
    norm += w * w;
    if (!f || w <= 0) continue;
    const Posting* end = postings_.data() + (f + 1)->begin;
    for (const Posting* p = postings_.data() + f->begin; p != end; ++p) {
      if (dots[p->example] == 0) touched.push_back(p->example);
      dots[p->example] += w * p->weight;
    }
  }
  return norm;
}

// The intents vote with their nearest examples; returns the nearest
// example of the winner (`best` wins a tie when it is the earliest).
std::uint32_t SimilarityIndex::vote(Scratch& scratch, std::uint32_t best) const {
  const auto& dots = scratch.dots;
  const std::size_t intents = vote_total_.size();
  if (scratch.votes.size() < kVoters * intents) scratch.votes.resize(kVoters * intents, 0.0f);
  if (scratch.nearest.size() < intents) scratch.nearest.resize(intents, 0);
  scratch.intents.clear();
  scratch.intents.reserve(intents);
  for (std::uint32_t e : scratch.touched) {
    const std::uint32_t slot = examples_[e].slot;
    float* top = scratch.votes.data() + kVoters * slot;
    const float d = dots[e];
    if (top[0] == 0) scratch.intents.push_back(slot);
    // Keep the three largest, and the earliest example among equals.
    std::size_t at = 0;
    while (at < kVoters && (top[at] > d || (top[at] == d && at == 0 && scratch.nearest[slot] < e)))
      ++at;
    if (at == kVoters) continue;
    for (std::size_t k = kVoters - 1; k > at; --k) top[k] = top[k - 1];
    top[at] = d;
    if (at == 0) scratch.nearest[slot] = e;
  }
  const float votes[kVoters] = {1.0f, weights_.second, weights_.third};
  float best_vote = -1;
  for (std::uint32_t slot : scratch.intents) {
    float* top = scratch.votes.data() + kVoters * slot;
    float vote = 0;
    for (std::size_t k = 0; k < kVoters; ++k) vote += votes[k] * top[k];
    vote /= vote_total_[slot];
    const std::uint32_t e = scratch.nearest[slot];
    if (vote > best_vote || (vote == best_vote && e < best)) {
      best_vote = vote;
      best = e;
    }
    std::fill(top, top + kVoters, 0.0f);
  }
  scratch.intents.clear();
  return best;
}

std::optional<SimilarityIndex::Result> SimilarityIndex::nearest(std::string_view text,
                                                                Scratch& scratch) const {
  if (examples_.empty()) return std::nullopt;
  auto& ids = scratch.features;
  ids.clear();
  ids.reserve(3 * text.size());  // the bound, so a query never regrows it mid-way
  extract(text, ids);
  if (ids.empty()) return std::nullopt;
  sort_unique(ids);

  float norm = dot_products(ids, scratch);
  auto& dots = scratch.dots;
  auto& touched = scratch.touched;
  if (touched.empty()) return std::nullopt;
  norm = std::sqrt(norm);

  std::uint32_t best = touched.front();
  for (std::uint32_t e : touched)
    if (dots[e] > dots[best] || (dots[e] == dots[best] && e < best)) best = e;

  // An example with the query's very features wins outright; otherwise the
  // intents vote with their nearest examples.
  if (dots[best] < norm * 0.9999f) best = vote(scratch, best);

  const Target& t = examples_[best];
  Result r{t.intent, t.index, std::min(1.0f, dots[best] / norm)};
  for (std::uint32_t e : touched) dots[e] = 0;
  touched.clear();
  return r;
}

}  // namespace patter::detail
