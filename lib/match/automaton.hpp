// All of a script's phrases in one trie over code points, with a filter on
// their first two characters.
//
//   PhraseAutomaton a;
//   a.build({"感兴趣", "不感兴趣", "not interested"});
//   std::vector<PhraseHit> hits;
//   a.scan("我不感兴趣", hits);  // {1, 3, 15} and {0, 6, 15}: every phrase, every place
//
// Utterances are short (the normaliser reads at most 4 KiB) and phrases are
// a few characters, so instead of an Aho-Corasick walk the scan asks, at
// each position, whether the next two characters begin any phrase: a bit
// in a 32 KiB set, which nearly always says no. Only where it says yes is
// the trie walked. Code points map to dense symbols through a two-level
// page table, so a character costs two loads. Choosing among overlapping
// hits (leftmost-longest) is the matcher's job.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace patter::detail {

struct PhraseHit {
  std::uint32_t phrase = 0;  ///< index into the list given to build()
  std::uint32_t begin = 0;   ///< byte offsets in the scanned text
  std::uint32_t end = 0;
};

class PhraseAutomaton {
 public:
  /// `phrases` are normalised UTF-8; empty ones never match. Duplicates are
  /// all reported.
  void build(const std::vector<std::string>& phrases);

  /// Appends every occurrence of every phrase in `text` (normalised UTF-8,
  /// at most kMaxText bytes are read) to `hits`, in order of their start.
  /// Allocates only if `hits` must grow.
  void scan(std::string_view text, std::vector<PhraseHit>& hits) const;

  static constexpr std::size_t kMaxText = 16384;  ///< normalised bytes; well past Normalizer::kMaxBytes

  std::size_t states() const noexcept { return edge_first_.empty() ? 0 : edge_first_.size() - 1; }
  bool empty() const noexcept { return phrase_bytes_.empty(); }

 private:
  std::uint32_t symbol(char32_t c) const noexcept {
    if (c < 0x10000) return symbols_of_[page_base_[c >> 8] + (c & 0xFF)];
    auto it = astral_.find(c);
    return it == astral_.end() ? 0 : it->second;
  }
  std::uint32_t step(std::uint32_t state, std::uint32_t sym) const noexcept;
  static std::uint32_t pair_bit(std::uint32_t a, std::uint32_t b) noexcept {
    return ((a * 0x9E3779B1u) ^ (b * 0x85EBCA77u)) >> (32 - kPairBits);
  }
  static constexpr int kPairBits = 18;  // 2^18 bits: 32 KiB
  // Symbol table entries carry what the character can start.
  static constexpr std::uint32_t kEndsPhrase = 1u << 30;     // a one-character phrase
  static constexpr std::uint32_t kStartsLonger = 1u << 31;   // a longer phrase
  static constexpr std::uint32_t kSymbolMask = kEndsPhrase - 1;

  // Symbols: page_base_[cp >> 8] is where that 256-character page starts in
  // symbols_of_; page 0 is all zeros (characters that appear in no phrase).
  std::vector<std::uint32_t> page_base_;
  std::vector<std::uint32_t> symbols_of_;
  std::unordered_map<char32_t, std::uint32_t> astral_;
  std::uint32_t symbols_ = 0;

  std::vector<std::uint64_t> pairs_;       // the first-two-characters filter
  std::vector<std::uint32_t> root_;        // symbol -> depth-1 state
  std::vector<std::uint32_t> edge_first_;  // per state: its children in edge_sym_ / edge_next_
  std::vector<std::uint32_t> edge_sym_;    // sorted per state
  std::vector<std::uint32_t> edge_next_;
  std::vector<std::uint32_t> out_first_;   // per state: phrases ending exactly here, in out_
  std::vector<std::uint32_t> out_;
  std::vector<std::uint32_t> phrase_bytes_;
};

}  // namespace patter::detail
