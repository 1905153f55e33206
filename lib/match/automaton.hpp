// All of a script's phrases in one trie, behind a filter on how they begin.
//
//   PhraseAutomaton a;
//   a.build({"感兴趣", "不感兴趣", "not interested"});
//   std::vector<PhraseHit> hits;
//   a.scan("我不感兴趣", hits);  // {1, 3, 15} and {0, 6, 15}: every phrase, every place
//
// Utterances are short (the normaliser reads at most 4 KiB) and phrases are
// a few characters, so instead of an Aho-Corasick walk the scan asks, at
// each character, whether a phrase could begin there: a bit in a small set,
// addressed by a hash of the phrase's *head* as it lies in the text, which
// nearly always says no. A head is
//   - the first four bytes, when they are four ASCII characters ("not ");
//   - otherwise the first two characters ("感兴", "no");
//   - or the only character, of a one-character phrase ("好").
// Nothing is decoded: heads are read as UTF-8 bytes, eight at a time, and
// a run of Chinese characters takes a loop of its own, where the window is
// hashed as it lies (the hash reads a head's first six bytes only). The
// answers for a block of characters are gathered without branching on them
// (which characters begin a phrase is too irregular for the processor to
// guess), and only where the set says yes is the trie walked. Its edges are
// labelled with the bytes of one character, except those from its three
// roots (one per kind of head), which carry a whole head, so the first
// lookup goes from the filter's key straight past it. Those live in one
// open-addressed hash table; every other state keeps its children in a
// small hash table of its own, laid out depth first, with a seed chosen so
// that each child has a slot to itself: a step is one probe and one
// compare, and a walk down a phrase stays within a few cache lines.
// Choosing among overlapping hits (leftmost-longest) is the matcher's job.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// x86-64 processors since 2013 have BMI2; the scan is compiled for them
// too, and for the others.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PATTER_SCAN_BMI2 1
#else
#define PATTER_SCAN_BMI2 0
#endif

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

  static constexpr std::size_t kMaxText =
      16384;  ///< normalised bytes; well past Normalizer::kMaxBytes

  std::size_t states() const noexcept { return out_first_.empty() ? 0 : out_first_.size() - 1; }
  bool empty() const noexcept { return phrases_ == 0; }
  /// States whose children are too many for a seed to give each its own
  /// slot, and whose table is probed instead.
  std::size_t probed_tables() const noexcept { return probed_tables_; }
  /// Whether scans run the scan compiled for BMI2 (build() chooses it when
  /// the processor has BMI2); tests turn it off to check the portable one.
  bool uses_bmi2() const noexcept { return bmi2_; }
  void use_portable_scan() noexcept { bmi2_ = false; }

 private:
  class Text;
  static constexpr std::uint32_t kNoState = 0xFFFFFFFFu;
  // The roots, one per kind of head; other states follow.
  static constexpr std::uint32_t kPairRoot = 0, kQuadRoot = 1, kSingleRoot = 2, kRoots = 3;

  // A state as a walk sees it: where its children's table is in slots_
  // (a power-of-two number of slots), and whether phrases end there.
  static constexpr std::uint32_t kLeaf = 0xFFFFFFFFu, kEndsPhrase = 1u << 31;
  // A table's `mask`: its size - 1 in the low 24 bits (a state has at most
  // one child per character, far fewer than 2^24); above them the seed,
  // which says from which bit of a label's hash its slot is read; and
  // kPerfect when the seed was chosen so that no two children share a
  // slot. Without it (a state with more children than any seed spreads)
  // children are probed for linearly.
  static constexpr std::uint32_t kMaskBits = 0xFFFFFFu, kPerfect = 1u << 31;
  static constexpr std::uint32_t kSeedShift = 24, kProbedSeed = 40;
  struct Link {
    std::uint32_t table = kLeaf;  // first slot of the children's table, or kLeaf
    std::uint32_t mask = 0;       // its size - 1, seed and kPerfect (above)
    std::uint32_t state = 0;      // for out_first_, with kEndsPhrase
  };
  static constexpr std::uint32_t kFree = 0xFFFFFFFFu;  // no character's bytes
  struct Slot {
    std::uint32_t label = kFree;  // the bytes of one character, the first lowest
    Link to;
  };
  struct RootSlot {
    std::uint64_t label = 0;        // a head's bytes, the first lowest
    std::uint32_t root = kNoState;  // kNoState: a free slot
    Link to;
  };

  struct Trie;  // while building
  // build()'s stages, in order.
  void add_phrase(const std::string& phrase, Trie& trie);
  void group_outputs(const Trie& trie);
  static std::uint32_t choose_mask(const std::vector<std::uint32_t>& labels,
                                   std::vector<std::uint32_t>& used);
  void place_tables(Trie& trie);
  Link link_to(const Trie& trie, std::uint32_t s) const;
  std::size_t fill_tables(const Trie& trie);
  void fill_roots(const Trie& trie, std::size_t root_edges);
  void fill_filter(const std::vector<std::uint64_t>& head_keys);

  // Hot: placed with the other per-turn code, which measured about 10%
  // faster for normalise + match than wherever the linker left it. Both
  // are scan_body; the second compiled for processors with BMI2, whose
  // shifts take their count from any register (the filter shifts by a
  // hash at every character), chosen by build() when the processor has it.
  /// scan_blocks or scan_blocks_bmi2, as build() chose.
  template <bool kSingles>
  void scan_with(const Text& text, std::vector<PhraseHit>& hits) const;
  template <bool kSingles>
  [[gnu::hot]] void scan_blocks(const Text& text, std::vector<PhraseHit>& hits) const;
#if PATTER_SCAN_BMI2
  template <bool kSingles>
  [[gnu::hot, gnu::target("bmi2")]] void scan_blocks_bmi2(const Text& text,
                                                          std::vector<PhraseHit>& hits) const;
#endif
  template <bool kSingles>
  [[gnu::always_inline]] void scan_body(const Text& text, std::vector<PhraseHit>& hits) const;
  /// Every phrase that starts at byte `at`, from the trie.
  template <bool kSingles>
  [[gnu::always_inline]] void walk(const Text& text, std::size_t at,
                                   std::vector<PhraseHit>& hits) const;
  /// ...that starts at `at` and continues from `to` (null: none), `end`.
  void follow(const Text& text, std::size_t at, const Link* to, std::size_t end,
              std::vector<PhraseHit>& hits) const;

  /// The state a root's edge labelled `head` leads to, or null.
  const Link* root_child(std::uint32_t root, std::uint64_t head) const noexcept {
    for (std::size_t i = root_slot(root, head);; i = (i + 1) & root_mask_) {
      const RootSlot& e = roots_[i];
      if (e.root == root && e.label == head) return &e.to;
      if (e.root == kNoState) return nullptr;
    }
  }
  std::size_t root_slot(std::uint32_t root, std::uint64_t head) const noexcept {
    return static_cast<std::size_t>(((head ^ root) * 0x9E3779B97F4A7C15u) >> root_shift_);
  }
  /// The child of `from` by one character `label`, or null.
  const Link* child(const Link& from, std::uint32_t label) const noexcept {
    const Slot* table = slots_.data() + from.table;
    std::uint32_t i = slot_of(label, from.mask);
    if (table[i].label == label) return &table[i].to;
    // Nearly every table places each child in its own slot: nothing more
    // to probe.
    if (from.mask & kPerfect) return nullptr;
    const std::uint32_t mask = from.mask & kMaskBits;
    for (std::uint32_t tries = 1; tries <= mask; ++tries) {
      if (table[i].label == kFree) return nullptr;
      i = (i + 1) & mask;
      if (table[i].label == label) return &table[i].to;
    }
    return nullptr;
  }
  /// Where a table with `mask` puts `label` first: bits of the label's
  /// hash, from the place the seed says. The hash does not depend on the
  /// table, so a walk computes it while the table is still loading.
  static std::uint32_t slot_of(std::uint32_t label, std::uint32_t mask) noexcept {
    const std::uint64_t hash = label * 0x9E3779B97F4A7C15u;
    const int from_bit = static_cast<int>(mask >> kSeedShift) & 63;
    return static_cast<std::uint32_t>(std::rotr(hash, from_bit)) & mask & kMaskBits;
  }
  // The filter: bit `head_bit(h)` of `heads_` is set for the head h of
  // every phrase. Sized to the script, from 128 bytes to 32 KiB, so it
  // stays in the first-level cache.
  // Only a head's first six bytes count (a head is at most eight, and
  // longer ones are rare: two four-byte characters), so that the bytes of
  // a window need no mask: the filter reads two Chinese characters
  // straight from it.
  std::uint32_t head_bit(std::uint64_t head) const noexcept {
    return static_cast<std::uint32_t>(((head << 16) * 0xC2B2AE3D27D4EB4Fu) >> head_shift_);
  }

  // Children's tables of the states in depth-first order, so a walk down
  // a phrase reads memory that lies close together.
  std::vector<Slot> slots_;
  std::vector<RootSlot> roots_;
  std::size_t root_mask_ = 0;
  int root_shift_ = 64;
  std::vector<std::uint64_t> heads_;
  int head_shift_ = 64;
  bool singles_ = false;                  // some phrase is one character
  bool bmi2_ = false;                     // scan with scan_blocks_bmi2
  std::vector<std::uint32_t> out_first_;  // per state: phrases ending exactly here, in out_
  std::vector<std::uint32_t> out_;
  std::size_t phrases_ = 0;
  std::size_t probed_tables_ = 0;
};

}  // namespace patter::detail
