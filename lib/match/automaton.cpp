#include "match/automaton.hpp"

#include "text/utf8.hpp"

#include <algorithm>

namespace patter::detail {
namespace {

constexpr std::uint32_t kNoState = 0xFFFFFFFFu;

// Normalised text is valid UTF-8: decode without checks.
inline char32_t next_cp(const unsigned char* p, std::size_t& i) noexcept { return decode_valid_utf8(p, i); }

std::vector<char32_t> decode_all(std::string_view s) {
  std::vector<char32_t> out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) out.push_back(next_cp(p, i));
  return out;
}

}  // namespace

void PhraseAutomaton::build(const std::vector<std::string>& phrases) {
  *this = PhraseAutomaton();
  std::vector<std::uint16_t> page_of(0x100, 0);
  std::vector<std::vector<std::uint32_t>> pages(1, std::vector<std::uint32_t>(0x100, 0));  // page 0: no symbol

  auto symbol_for = [&](char32_t c) -> std::uint32_t {
    if (c >= 0x10000) {
      auto [it, fresh] = astral_.emplace(c, symbols_ + 1);
      if (fresh) ++symbols_;
      return it->second;
    }
    std::uint16_t& page = page_of[c >> 8];
    if (page == 0) {
      pages.emplace_back(0x100, 0);
      page = static_cast<std::uint16_t>(pages.size() - 1);
    }
    std::uint32_t& s = pages[page][c & 0xFF];
    if (s == 0) s = ++symbols_;
    return s;
  };

  // The trie, with edges in a hash map while building.
  std::unordered_map<std::uint64_t, std::uint32_t> trie;
  std::vector<std::vector<std::uint32_t>> outputs(1);
  std::uint32_t states = 1;
  phrase_bytes_.reserve(phrases.size());
  for (std::uint32_t i = 0; i < phrases.size(); ++i) {
    phrase_bytes_.push_back(static_cast<std::uint32_t>(phrases[i].size()));
    if (phrases[i].empty()) continue;
    std::uint32_t s = 0;
    for (char32_t c : decode_all(phrases[i])) {
      const std::uint64_t key = (static_cast<std::uint64_t>(s) << 32) | symbol_for(c);
      auto [it, fresh] = trie.emplace(key, states);
      if (fresh) {
        ++states;
        outputs.emplace_back();
      }
      s = it->second;
    }
    outputs[s].push_back(i);
  }

  page_base_.resize(0x100);
  for (std::size_t p = 0; p < 0x100; ++p) page_base_[p] = static_cast<std::uint32_t>(page_of[p]) * 0x100;
  for (const auto& pg : pages) symbols_of_.insert(symbols_of_.end(), pg.begin(), pg.end());

  // Flatten: per state, its children sorted by symbol; the root's as a
  // direct array.
  std::vector<std::vector<std::uint64_t>> by_state(states);
  for (const auto& [key, next] : trie) {
    const auto from = static_cast<std::uint32_t>(key >> 32);
    const auto sym = static_cast<std::uint32_t>(key & 0xFFFFFFFFu);
    by_state[from].push_back((static_cast<std::uint64_t>(sym) << 32) | next);
  }
  root_.assign(symbols_ + 1, 0);
  edge_first_.assign(states + 1, 0);
  for (std::uint32_t s = 0; s < states; ++s) {
    auto& e = by_state[s];
    std::sort(e.begin(), e.end());
    edge_first_[s] = static_cast<std::uint32_t>(edge_sym_.size());
    for (std::uint64_t x : e) {
      if (s == 0) {
        root_[x >> 32] = static_cast<std::uint32_t>(x & 0xFFFFFFFFu);
      } else {
        edge_sym_.push_back(static_cast<std::uint32_t>(x >> 32));
        edge_next_.push_back(static_cast<std::uint32_t>(x & 0xFFFFFFFFu));
      }
    }
  }
  edge_first_[states] = static_cast<std::uint32_t>(edge_sym_.size());

  // The filter: every pair of first and second symbols of a phrase.
  pairs_.assign((std::size_t{1} << kPairBits) / 64, 0);
  for (std::uint32_t d1 = 0; d1 <= symbols_; ++d1) {
    const std::uint32_t s1 = root_[d1];
    if (s1 == 0) continue;
    for (std::uint32_t k = edge_first_[s1]; k < edge_first_[s1 + 1]; ++k) {
      const std::uint32_t bit = pair_bit(d1, edge_sym_[k]);
      pairs_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    }
  }

  out_first_.assign(states + 1, 0);
  for (std::uint32_t s = 0; s < states; ++s) {
    out_first_[s] = static_cast<std::uint32_t>(out_.size());
    out_.insert(out_.end(), outputs[s].begin(), outputs[s].end());
  }
  out_first_[states] = static_cast<std::uint32_t>(out_.size());

  // Mark in the symbol table itself what a character can start, so the scan
  // skips most characters with one comparison.
  auto flags_of = [&](std::uint32_t sym) {
    const std::uint32_t st = root_[sym];
    if (st == 0) return 0u;
    std::uint32_t f = 0;
    if (out_first_[st] != out_first_[st + 1]) f |= kEndsPhrase;
    if (edge_first_[st] != edge_first_[st + 1]) f |= kStartsLonger;
    return f;
  };
  for (auto& v : symbols_of_)
    if (v != 0) v |= flags_of(v);
  for (auto& [cp, v] : astral_) v |= flags_of(v);
}

// The child of a non-root state by `sym`, or kNoState.
std::uint32_t PhraseAutomaton::step(std::uint32_t state, std::uint32_t sym) const noexcept {
  const std::uint32_t b = edge_first_[state], e = edge_first_[state + 1];
  const std::uint32_t* syms = edge_sym_.data();
  if (e - b <= 16) {
    for (std::uint32_t i = b; i < e; ++i)
      if (syms[i] == sym) return edge_next_[i];
    return kNoState;
  }
  const std::uint32_t* it = std::lower_bound(syms + b, syms + e, sym);
  if (it != syms + e && *it == sym) return edge_next_[static_cast<std::size_t>(it - syms)];
  return kNoState;
}

void PhraseAutomaton::scan(std::string_view text, std::vector<PhraseHit>& hits) const {
  if (phrase_bytes_.empty() || text.empty()) return;
  if (text.size() > kMaxText) text = text.substr(0, kMaxText);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  // The tables in locals: pushing a hit could alias a member as far as the
  // compiler knows, and reloading them per character costs more than the scan.
  const std::uint64_t* pairs = pairs_.data();
  const std::uint32_t* pages = page_base_.data();
  const std::uint32_t* table = symbols_of_.data();
  const std::uint32_t* root = root_.data();
  const std::uint32_t* out_first = out_first_.data();
  const std::uint32_t* out = out_.data();
  auto sym_of = [&](char32_t c) -> std::uint32_t {
    if (c < 0x10000) return table[pages[c >> 8] + (c & 0xFF)];
    return symbol(c);
  };
  auto report = [&](std::uint32_t state, std::size_t begin, std::size_t end) {
    for (std::uint32_t k = out_first[state]; k < out_first[state + 1]; ++k)
      hits.push_back({out[k], static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
  };
  // One pass, one character of lookahead: `v` is the symbol (with its
  // flags) of the character at [at, next), `w` that of the one after.
  std::size_t at = 0, next = 0;
  std::uint32_t v = sym_of(next_cp(p, next));
  while (at < n) {
    std::size_t after = next;
    const std::uint32_t w = next < n ? sym_of(next_cp(p, after)) : 0;
    if (v >= kEndsPhrase) {  // characters that start no phrase stop here
      const std::uint32_t s0 = v & kSymbolMask;
      std::uint32_t state = root[s0];
      if (v & kEndsPhrase) report(state, at, next);
      const std::uint32_t s1 = w & kSymbolMask;
      if ((v & kStartsLonger) && s1 != 0) {
        const std::uint32_t bit = pair_bit(s0, s1);
        if (pairs[bit >> 6] & (std::uint64_t{1} << (bit & 63))) {
          std::uint32_t sym = s1;
          std::size_t end = after;
          while (true) {
            state = step(state, sym);
            if (state == kNoState) break;
            if (out_first[state] != out_first[state + 1]) report(state, at, end);
            if (end >= n) break;
            sym = sym_of(next_cp(p, end)) & kSymbolMask;
            if (sym == 0) break;
          }
        }
      }
    }
    at = next;
    next = after;
    v = w;
  }
}

}  // namespace patter::detail
