#include "match/automaton.hpp"

#include <algorithm>

namespace patter::detail {
namespace {

constexpr std::uint32_t kNoState = 0xFFFFFFFFu;

// Normalised text is valid UTF-8: decode without checks.
inline char32_t next_cp(const unsigned char* p, std::size_t& i) noexcept {
  const unsigned char c = p[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  if (c < 0xE0) {
    const char32_t cp = (static_cast<char32_t>(c & 0x1F) << 6) | (p[i + 1] & 0x3F);
    i += 2;
    return cp;
  }
  if (c < 0xF0) {
    const char32_t cp = (static_cast<char32_t>(c & 0x0F) << 12) | (static_cast<char32_t>(p[i + 1] & 0x3F) << 6) |
                        (p[i + 2] & 0x3F);
    i += 3;
    return cp;
  }
  const char32_t cp = (static_cast<char32_t>(c & 0x07) << 18) | (static_cast<char32_t>(p[i + 1] & 0x3F) << 12) |
                      (static_cast<char32_t>(p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
  i += 4;
  return cp;
}

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

  // Flatten: per state, sorted edges; the root's as a direct array.
  std::vector<std::vector<std::uint64_t>> by_state(states);
  for (const auto& [key, next] : trie) {
    const auto from = static_cast<std::uint32_t>(key >> 32);
    const auto sym = static_cast<std::uint32_t>(key & 0xFFFFFFFFu);
    by_state[from].push_back((static_cast<std::uint64_t>(sym) << 32) | next);
  }
  root_.assign(symbols_ + 1, 0);
  for (auto& e : by_state) std::sort(e.begin(), e.end());
  for (std::uint64_t x : by_state[0]) root_[x >> 32] = static_cast<std::uint32_t>(x & 0xFFFFFFFFu);
  // The trie's own edges, while the fail links are computed.
  auto trie_step = [&](std::uint32_t state, std::uint32_t sym) -> std::uint32_t {
    if (state == 0) return root_[sym];
    for (std::uint64_t x : by_state[state])
      if ((x >> 32) == sym) return static_cast<std::uint32_t>(x & 0xFFFFFFFFu);
    return kNoState;
  };

  // Fail links and output links, breadth first.
  fail_.assign(states, 0);
  dict_.assign(states, kNoState);
  std::vector<std::uint32_t> bfs;
  bfs.reserve(states);
  for (std::uint64_t x : by_state[0]) bfs.push_back(static_cast<std::uint32_t>(x & 0xFFFFFFFFu));
  for (std::size_t qi = 0; qi < bfs.size(); ++qi) {
    const std::uint32_t s = bfs[qi];
    for (std::uint64_t x : by_state[s]) {
      const auto sym = static_cast<std::uint32_t>(x >> 32);
      const auto t = static_cast<std::uint32_t>(x & 0xFFFFFFFFu);
      std::uint32_t f = fail_[s];
      std::uint32_t g;
      while ((g = trie_step(f, sym)) == kNoState) f = fail_[f];
      fail_[t] = g == t ? 0 : g;
      dict_[t] = outputs[fail_[t]].empty() ? dict_[fail_[t]] : fail_[t];
      bfs.push_back(t);
    }
  }

  // The whole transition function, so scanning never follows fail links:
  // a state's transitions are its own edges plus those of its fail state;
  // whatever is not listed goes where the root would go.
  std::vector<std::vector<std::uint64_t>> delta(states);
  for (const std::uint32_t s : bfs) {
    auto& d = delta[s];
    d = by_state[s];
    const auto& inherited = delta[fail_[s]];  // fail states come earlier in BFS order
    for (std::uint64_t x : inherited) {
      const std::uint64_t key = x >> 32;
      const bool own = std::any_of(by_state[s].begin(), by_state[s].end(),
                                   [&](std::uint64_t e) { return (e >> 32) == key; });
      if (!own) d.push_back(x);
    }
    std::sort(d.begin(), d.end());
  }
  edge_first_.assign(states + 1, 0);
  for (std::uint32_t s = 0; s < states; ++s) {
    edge_first_[s] = static_cast<std::uint32_t>(edge_sym_.size());
    if (s == 0) continue;
    for (std::uint64_t x : delta[s]) {
      edge_sym_.push_back(static_cast<std::uint32_t>(x >> 32));
      edge_next_.push_back(static_cast<std::uint32_t>(x & 0xFFFFFFFFu));
    }
  }
  edge_first_[states] = static_cast<std::uint32_t>(edge_sym_.size());

  out_first_.assign(states + 1, 0);
  for (std::uint32_t s = 0; s < states; ++s) {
    out_first_[s] = static_cast<std::uint32_t>(out_.size());
    out_.insert(out_.end(), outputs[s].begin(), outputs[s].end());
  }
  out_first_[states] = static_cast<std::uint32_t>(out_.size());
  has_out_.assign(states, 0);
  for (std::uint32_t s = 0; s < states; ++s)
    has_out_[s] = out_first_[s] != out_first_[s + 1] || dict_[s] != kNoState;
}

// The transition function for a non-root state; kNoState means "where the
// root would go".
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
  if (phrase_bytes_.empty()) return;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::uint32_t state = 0;
  for (std::size_t i = 0; i < n;) {
    const std::uint32_t sym = symbol(next_cp(p, i));
    if (sym == 0) {  // a character in no phrase: every partial match ends
      state = 0;
      continue;
    }
    if (state == 0) {
      state = root_[sym];
    } else {
      const std::uint32_t next = step(state, sym);
      state = next == kNoState ? root_[sym] : next;
    }
    if (!has_out_[state]) continue;
    for (std::uint32_t s = out_first_[state] != out_first_[state + 1] ? state : dict_[state]; s != kNoState;
         s = dict_[s]) {
      for (std::uint32_t k = out_first_[s]; k < out_first_[s + 1]; ++k) {
        const std::uint32_t ph = out_[k];
        hits.push_back({ph, static_cast<std::uint32_t>(i - phrase_bytes_[ph]), static_cast<std::uint32_t>(i)});
      }
    }
  }
}

}  // namespace patter::detail
