#include "match/automaton.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace patter::detail {
namespace {

void set_bit(std::vector<std::uint64_t>& bits, std::uint32_t bit) {
  bits[bit >> 6] |= std::uint64_t{1} << (bit & 63);
}

bool has_bit(const std::uint64_t* bits, std::uint32_t bit) noexcept {
  return (bits[bit >> 6] >> (bit & 63)) & 1u;
}

// The length of a UTF-8 sequence from its first byte.
unsigned sequence_length(std::uint64_t lead) noexcept {
  lead &= 0xFF;
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// The first `k` bytes of a window (1 <= k <= 8).
std::uint64_t first_bytes(std::uint64_t w, unsigned k) noexcept {
  return w & (~std::uint64_t{0} >> (64 - 8 * k));
}

// The label and length of the first character alone, as a walk down the
// trie reads the text: the same as labels_of(w).one, with the common
// cases first.
struct Label {
  std::uint32_t bytes;
  unsigned length;
};

inline Label label_of(std::uint64_t w) noexcept {
  if ((w & 0xC0C0F0u) == 0x8080E0u) return {static_cast<std::uint32_t>(w & 0xFFFFFFu), 3};
  if ((w & 0x80u) == 0) return {static_cast<std::uint32_t>(w & 0xFFu), 1};
  const unsigned a = sequence_length(w);
  return {static_cast<std::uint32_t>(first_bytes(w, a)), a};
}

// What the automaton needs of the eight bytes of text from a character on:
// the labels of that character, of it and the next, and of the first four
// bytes when they may be ASCII; and the lengths. Runs of Chinese
// (three-byte) and of ASCII characters take the first two branches. Those
// are predicted, so the scan's next position never waits for this one's
// bytes to load; computing the lengths without a branch would make it
// wait, character after character.
struct Labels {
  std::uint64_t one, two, four;
  unsigned one_length, two_length;
  bool ascii;  // the first two bytes are ASCII: `four` may be a head
};

// Bytes 0-5 are the lead and continuation bytes of two three-byte
// characters (most Chinese).
inline bool two_chinese(std::uint64_t w) noexcept {
  return (w & 0x0000C0C0F0C0C0F0u) == 0x00008080E08080E0u;
}

// labels_of() for a window that is not two_chinese().
inline Labels labels_of_other(std::uint64_t w) noexcept {
  if ((w & 0x8080u) == 0) return {w & 0xFFu, w & 0xFFFFu, w & 0xFFFFFFFFu, 1, 2, true};
  const Label a = label_of(w);
  const unsigned b = a.length + label_of(w >> (8 * a.length)).length;
  return {a.bytes, first_bytes(w, b), 0, a.length, b, false};
}

inline Labels labels_of(std::uint64_t w) noexcept {
  if (two_chinese(w)) return {w & 0xFFFFFFu, w & 0xFFFFFFFFFFFFu, 0, 3, 6, false};
  return labels_of_other(w);
}

bool four_ascii(std::uint64_t w) noexcept {
  return (w & 0x80808080u) == 0;
}

std::uint64_t load_window(const unsigned char* p) noexcept {
  std::uint64_t w = 0;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(&w, p, sizeof w);
  } else {
    for (int i = 7; i >= 0; --i) w = (w << 8) | p[i];
  }
  return w;
}

// Asked of the processor once a process.
bool processor_has_bmi2() noexcept {
#if PATTER_SCAN_BMI2
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("bmi2") != 0;
  }();
  return has;
#else
  return false;
#endif
}

}  // namespace

// Text read eight bytes at a time, the first byte lowest. The windows of
// the last few characters would run past the end; they come from a
// zero-padded copy of the last bytes.
class PhraseAutomaton::Text {
 public:
  Text(const unsigned char* p, std::size_t n)
      : p_(p), n_(n), inside_end_(n >= 8 ? n - 7 : 0), tail_at_(n > 8 ? n - 8 : 0) {
    if (n >= 8)
      std::memcpy(tail_, p + tail_at_, 8);  // a fixed size: no call
    else
      std::copy(p, p + n, tail_);
  }
  std::size_t size() const noexcept { return n_; }
  unsigned char byte(std::size_t at) const noexcept { return p_[at]; }
  /// Windows from here on run past the end.
  std::size_t inside_end() const noexcept { return inside_end_; }
  std::uint64_t inside_window(std::size_t at) const noexcept { return load_window(p_ + at); }
  std::uint64_t tail_window(std::size_t at) const noexcept {
    return load_window(tail_ + (at - tail_at_));
  }
  std::uint64_t window(std::size_t at) const noexcept {
    return at < inside_end() ? inside_window(at) : tail_window(at);
  }

 private:
  const unsigned char* p_;
  std::size_t n_;
  std::size_t inside_end_;
  std::size_t tail_at_;
  unsigned char tail_[16] = {};
};

// The trie while it is built, labelled as the scan reads text: each phrase
// hangs from the root of its kind of head. Its edges go to a hash table; a
// trie has at most one edge per character of all phrases, and twice that
// many slots keep probe runs short.
struct PhraseAutomaton::Trie {
  struct Edge {
    std::uint64_t label = 0;
    std::uint32_t from = kNoState;  // kNoState: a free slot
    std::uint32_t to = 0;
  };
  std::vector<Edge> slots;
  int shift = 64;
  std::vector<std::uint32_t> edges;  // slots in use, in the order made
  std::uint32_t states = kRoots;
  std::vector<std::uint32_t> ends;                   // per phrase: its final state, or kNoState
  std::vector<std::uint64_t> head_keys;              // per phrase that is not empty: its head
  std::vector<std::uint32_t> child_first, children;  // each state's children, in the order made
  std::vector<std::uint32_t> table_of;               // each state's table in slots_, or kLeaf
  std::vector<std::uint32_t> mask_of;                // and its mask (Link::mask)

  explicit Trie(const std::vector<std::string>& phrases) {
    std::size_t characters = 0;
    for (const auto& ph : phrases)
      for (const char ch : ph) characters += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    const std::size_t n = std::bit_ceil(std::max<std::size_t>(16, 2 * characters));
    slots.resize(n);
    shift = 64 - std::countr_zero(n);
    ends.reserve(phrases.size());
    head_keys.reserve(phrases.size());
  }

  // Where the edge labelled `label` from `s` leads; made if new.
  std::uint32_t follow_or_add(std::uint32_t s, std::uint64_t label) {
    const std::uint64_t key = label ^ (static_cast<std::uint64_t>(s) << 32);
    std::size_t slot = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15u) >> shift);
    while (slots[slot].from != kNoState && !(slots[slot].from == s && slots[slot].label == label))
      slot = (slot + 1) & (slots.size() - 1);
    if (slots[slot].from == kNoState) {
      slots[slot] = Edge{label, s, states++};
      edges.push_back(static_cast<std::uint32_t>(slot));
    }
    return slots[slot].to;
  }

  // Each state's children, in the order made.
  void group_children() {
    child_first.assign(states + 1, 0);
    children.assign(edges.size(), 0);
    for (const std::uint32_t e : edges) ++child_first[slots[e].from + 1];
    for (std::uint32_t s = 0; s < states; ++s) child_first[s + 1] += child_first[s];
    std::vector<std::uint32_t> fill(child_first.begin(), child_first.end() - 1);
    for (const std::uint32_t e : edges) children[fill[slots[e].from]++] = e;
  }
};

void PhraseAutomaton::build(const std::vector<std::string>& phrases) {
  *this = PhraseAutomaton();
  phrases_ = phrases.size();
  Trie trie(phrases);
  for (const auto& ph : phrases) add_phrase(ph, trie);
  group_outputs(trie);
  trie.group_children();
  place_tables(trie);
  fill_roots(trie, fill_tables(trie));
  fill_filter(trie.head_keys);
  bmi2_ = processor_has_bmi2();
}

// 1. One phrase into the trie, from the root of its kind of head.
void PhraseAutomaton::add_phrase(const std::string& ph, Trie& trie) {
  if (ph.empty()) {
    trie.ends.push_back(kNoState);
    return;
  }
  const Text text(reinterpret_cast<const unsigned char*>(ph.data()), ph.size());
  const std::uint64_t w = text.window(0);
  const Labels first = labels_of(w);
  std::uint32_t s = kPairRoot;
  std::uint64_t label = first.two;
  std::size_t at = first.two_length;
  if (ph.size() >= 4 && four_ascii(w)) {
    s = kQuadRoot;
    label = first.four;
    at = 4;
  } else if (first.one_length == ph.size()) {
    s = kSingleRoot;
    label = first.one;
    at = first.one_length;
    singles_ = true;
  }
  trie.head_keys.push_back(label);
  while (true) {
    s = trie.follow_or_add(s, label);
    if (at >= ph.size()) break;
    const Labels next = labels_of(text.window(at));
    label = next.one;
    at += next.one_length;
  }
  trie.ends.push_back(s);
}

// 2. Outputs, grouped by state in the order of the phrases.
void PhraseAutomaton::group_outputs(const Trie& trie) {
  const std::uint32_t states = trie.states;
  out_first_.assign(states + 1, 0);
  for (const std::uint32_t s : trie.ends)
    if (s != kNoState) ++out_first_[s + 1];
  for (std::uint32_t s = 0; s < states; ++s) out_first_[s + 1] += out_first_[s];
  out_.assign(out_first_[states], 0);
  std::vector<std::uint32_t> fill(out_first_.begin(), out_first_.end() - 1);
  for (std::uint32_t i = 0; i < trie.ends.size(); ++i)
    if (trie.ends[i] != kNoState) out_[fill[trie.ends[i]]++] = i;
}

// A mask (Link::mask) for a table of `labels`: the smallest size, up to
// four times their number, with a seed that gives each its own slot; or a
// table twice their number, probed, when no seed does (none did for any
// state of the benchmarks' 10,000-phrase scripts). `used` is scratch.
std::uint32_t PhraseAutomaton::choose_mask(const std::vector<std::uint32_t>& labels,
                                           std::vector<std::uint32_t>& used) {
  const auto n = static_cast<std::uint32_t>(labels.size());
  if (n == 1) return kPerfect;  // one slot: any seed
  for (std::uint32_t size = std::bit_ceil(n); size <= 4 * std::bit_ceil(n); size *= 2) {
    used.assign(size, 0);
    // Windows from bit 16 up: lower bits of the hash hardly mix the label.
    for (std::uint32_t seed = 16; seed < 64; ++seed) {
      const std::uint32_t mask = kPerfect | (seed << kSeedShift) | (size - 1);
      bool clash = false;
      for (const std::uint32_t label : labels) {
        std::uint32_t& u = used[slot_of(label, mask)];
        clash = u == seed;
        if (clash) break;
        u = seed;
      }
      if (!clash) return mask;
    }
  }
  return (kProbedSeed << kSeedShift) | (2 * std::bit_ceil(n) - 1);
}

// 3. Room in slots_ for the tables of the states below the roots, depth
// first, each with its mask.
void PhraseAutomaton::place_tables(Trie& trie) {
  const auto& child_first = trie.child_first;
  auto push_children = [&](std::vector<std::uint32_t>& stack, std::uint32_t s) {
    for (std::uint32_t k = child_first[s + 1]; k > child_first[s]; --k)
      stack.push_back(trie.slots[trie.children[k - 1]].to);
  };
  trie.table_of.assign(trie.states, kLeaf);
  trie.mask_of.assign(trie.states, 0);
  std::vector<std::uint32_t> stack, labels, used;
  for (std::uint32_t r = 0; r < kRoots; ++r) push_children(stack, r);
  while (!stack.empty()) {
    const std::uint32_t s = stack.back();
    stack.pop_back();
    if (child_first[s + 1] == child_first[s]) continue;
    labels.clear();
    for (std::uint32_t k = child_first[s]; k < child_first[s + 1]; ++k)
      labels.push_back(static_cast<std::uint32_t>(trie.slots[trie.children[k]].label));
    const std::uint32_t mask = choose_mask(labels, used);
    probed_tables_ += (mask & kPerfect) == 0;
    trie.table_of[s] = static_cast<std::uint32_t>(slots_.size());
    trie.mask_of[s] = mask;
    slots_.resize(slots_.size() + (mask & kMaskBits) + 1);
    push_children(stack, s);
  }
}

PhraseAutomaton::Link PhraseAutomaton::link_to(const Trie& trie, std::uint32_t s) const {
  Link l;
  l.table = trie.table_of[s];
  l.mask = trie.mask_of[s];
  l.state = s | (out_first_[s] != out_first_[s + 1] ? kEndsPhrase : 0);
  return l;
}

// 4. The edges below the roots, into their tables; returns how many the
// roots have.
std::size_t PhraseAutomaton::fill_tables(const Trie& trie) {
  std::size_t root_edges = 0;
  for (const std::uint32_t e : trie.edges) {
    const Trie::Edge& edge = trie.slots[e];
    if (edge.from < kRoots) {
      ++root_edges;
      continue;
    }
    const Link from = link_to(trie, edge.from);
    Slot* table = slots_.data() + from.table;
    const auto label = static_cast<std::uint32_t>(edge.label);
    std::uint32_t i = slot_of(label, from.mask);
    while (table[i].label != kFree) i = (i + 1) & from.mask & kMaskBits;
    table[i] = Slot{label, link_to(trie, edge.to)};
  }
  return root_edges;
}

// 5. The roots' edges, in a hash table of their own.
void PhraseAutomaton::fill_roots(const Trie& trie, std::size_t root_edges) {
  const std::size_t root_slots = std::bit_ceil(std::max<std::size_t>(16, 2 * root_edges));
  roots_.assign(root_slots, RootSlot{});
  root_mask_ = root_slots - 1;
  root_shift_ = 64 - std::countr_zero(root_slots);
  for (const std::uint32_t e : trie.edges) {
    const Trie::Edge& edge = trie.slots[e];
    if (edge.from >= kRoots) continue;
    std::size_t i = root_slot(edge.from, edge.label);
    while (roots_[i].root != kNoState) i = (i + 1) & root_mask_;
    roots_[i] = RootSlot{edge.label, edge.from, link_to(trie, edge.to)};
  }
}

// 6. The filter. About 32 bits per phrase keeps false alarms under 3%.
void PhraseAutomaton::fill_filter(const std::vector<std::uint64_t>& head_keys) {
  const std::size_t head_bits =
      std::clamp<std::size_t>(std::bit_ceil(32 * std::max<std::size_t>(1, head_keys.size())),
                              std::size_t{1} << 10, std::size_t{1} << 18);
  head_shift_ = 64 - std::countr_zero(head_bits);
  heads_.assign(head_bits / 64, 0);
  for (const std::uint64_t k : head_keys) set_bit(heads_, head_bit(k));
}

inline void PhraseAutomaton::follow(const Text& text, std::size_t at, const Link* to,
                                    std::size_t end, std::vector<PhraseHit>& hits) const {
  while (to != nullptr) {
    if (to->state & kEndsPhrase) {
      const std::uint32_t s = to->state & ~kEndsPhrase;
      for (std::uint32_t k = out_first_[s]; k < out_first_[s + 1]; ++k)
        hits.push_back({out_[k], static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(end)});
    }
    if (to->table == kLeaf || end >= text.size()) return;
    const Label next = label_of(text.window(end));
    to = child(*to, next.bytes);
    end += next.length;
  }
}

template <bool kSingles>
inline void PhraseAutomaton::walk(const Text& text, std::size_t at,
                                  std::vector<PhraseHit>& hits) const {
  const std::uint64_t w = text.window(at);
  const Labels first = labels_of(w);
  if constexpr (kSingles)
    follow(text, at, root_child(kSingleRoot, first.one), at + first.one_length, hits);
  if (at + first.one_length < text.size())
    follow(text, at, root_child(kPairRoot, first.two), at + first.two_length, hits);
  // `ascii`: known on each of labels_of's paths, so a Chinese head skips this.
  if (first.ascii && at + 4 <= text.size() && four_ascii(w))
    follow(text, at, root_child(kQuadRoot, first.four), at + 4, hits);
}

// Blocks of up to kBlock characters: first the filter, at every character,
// with no branch on its answer (a candidate is written down, and the count
// moves on only if it passed); then the trie, at the candidates.
template <bool kSingles>
void PhraseAutomaton::scan_blocks(const Text& text, std::vector<PhraseHit>& hits) const {
  scan_body<kSingles>(text, hits);
}

#if PATTER_SCAN_BMI2
template <bool kSingles>
void PhraseAutomaton::scan_blocks_bmi2(const Text& text, std::vector<PhraseHit>& hits) const {
  scan_body<kSingles>(text, hits);
}
#endif

template <bool kSingles>
inline void PhraseAutomaton::scan_body(const Text& text, std::vector<PhraseHit>& hits) const {
  constexpr std::size_t kBlock = 64;
  const std::uint64_t* heads = heads_.data();
  // Without one-character phrases, none begins at the last character: the
  // filter stops before it (in Chinese text, the one position that would
  // take the slow path).
  std::size_t n = text.size();
  if constexpr (!kSingles) {
    for (--n; n > 0 && (text.byte(n) & 0xC0) == 0x80;) --n;
  }
  std::uint32_t candidates[kBlock];
  for (std::size_t at = 0; at < n;) {
    const std::size_t block_end =
        std::min(n, at + kBlock);  // in bytes, so at most kBlock characters
    const std::size_t inside_end = std::min(block_end, text.inside_end());
    std::size_t count = 0;
    // Two Chinese characters: their six bytes are the head, read straight
    // from the window (head_bit ignores the rest).
    auto chinese = [&](std::uint64_t window) {
      bool candidate = has_bit(heads, head_bit(window));
      if constexpr (kSingles) candidate |= has_bit(heads, head_bit(window & 0xFFFFFFu));
      candidates[count] = static_cast<std::uint32_t>(at);
      count += candidate;
      at += 3;
    };
    // Any other characters.
    auto other = [&](std::uint64_t window) {
      const Labels labels = labels_of_other(window);
      bool candidate = has_bit(heads, head_bit(labels.two));
      if (labels.ascii) candidate |= has_bit(heads, head_bit(labels.four));
      if constexpr (kSingles) candidate |= has_bit(heads, head_bit(labels.one));
      candidates[count] = static_cast<std::uint32_t>(at);
      count += candidate;
      at += labels.one_length;
    };
    auto filter = [&](std::uint64_t window) {
      if (two_chinese(window)) return chinese(window);
      other(window);
    };
    // A run of Chinese, the usual text, in a loop of its own: one taken
    // branch a character.
    auto inside = [&] {
      while (at < inside_end) {
        std::uint64_t window = text.inside_window(at);
        while (two_chinese(window)) {
          chinese(window);
          if (at >= inside_end) return;
          window = text.inside_window(at);
        }
        other(window);
      }
    };
    inside();
    while (at < block_end) filter(text.tail_window(at));
    for (std::size_t i = 0; i < count; ++i) walk<kSingles>(text, candidates[i], hits);
  }
}

template <bool kSingles>
inline void PhraseAutomaton::scan_with(const Text& text, std::vector<PhraseHit>& hits) const {
#if PATTER_SCAN_BMI2
  if (bmi2_) return scan_blocks_bmi2<kSingles>(text, hits);
#endif
  scan_blocks<kSingles>(text, hits);
}

void PhraseAutomaton::scan(std::string_view text, std::vector<PhraseHit>& hits) const {
  if (phrases_ == 0 || text.empty()) return;
  if (text.size() > kMaxText) text = text.substr(0, kMaxText);
  const Text t(reinterpret_cast<const unsigned char*>(text.data()), text.size());
  if (singles_)
    scan_with<true>(t, hits);
  else
    scan_with<false>(t, hits);
}

}  // namespace patter::detail
