// A small reader of ICU regex syntax that finds the literal characters a
// pattern cannot match without. See pattern_filter.hpp.
#include "match/pattern_filter.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

#include "text/utf8.hpp"

namespace patter::detail {

namespace {

using Set = std::vector<char32_t>;  // sorted, no repeats
/// What every match needs, as clauses: each clause is a set of characters
/// of which a match holds at least one ("打" and "拨" for `(打|拨)`), and a
/// match satisfies every clause. No clause: nothing can be said. Kept
/// sorted and without repeats by simplify(). Sorted vectors, not std::set:
/// a library's long alternations make thousands of clause unions at load.
using Cnf = std::vector<Set>;

// Bounds on the analysis: beyond them a clause is dropped (requiring less
// is always sound) so that nested alternations never blow up.
constexpr std::size_t kMaxClauses = 16;
constexpr std::size_t kMaxClauseChars = 16;

/// Thrown inside the reader for syntax it does not follow; caught at the top.
struct GiveUp {};

bool cjk(char32_t c) noexcept {
  return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3134F) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF01 && c <= 0xFF5E);
}

// Drops repeats, clauses that another clause implies (a subset of them),
// then the widest ones past the bounds. Read smallest first, a clause need
// only be held against the ones kept before it: a strict subset is smaller,
// and a subset that was dropped has a kept subset of its own.
Cnf simplify(Cnf in) {
  std::sort(in.begin(), in.end(), [](const Set& a, const Set& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  in.erase(std::unique(in.begin(), in.end()), in.end());
  Cnf kept;
  for (Set& c : in) {
    if (c.size() > kMaxClauseChars || kept.size() == kMaxClauses) break;
    bool implied = false;
    for (const Set& d : kept) {
      if (d.size() < c.size() && std::includes(c.begin(), c.end(), d.begin(), d.end())) {
        implied = true;
        break;
      }
    }
    if (!implied) kept.push_back(std::move(c));
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

// A match of `a|b` satisfies a's clauses or b's: so it satisfies every
// union of one clause of each.
Cnf either(const Cnf& a, const Cnf& b) {
  Cnf out;
  out.reserve(a.size() * b.size());
  for (const Set& x : a)
    for (const Set& y : b) {
      Set u;
      u.reserve(x.size() + y.size());
      std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(u));
      if (u.size() <= kMaxClauseChars) out.push_back(std::move(u));
    }
  return simplify(std::move(out));
}

class Reader {
 public:
  explicit Reader(std::string_view p) : p_(p) {}

  Cnf pattern() {
    Cnf s = alternation();
    if (i_ != p_.size()) throw GiveUp{};  // a stray `)`
    return s;
  }

 private:
  // alternation := sequence ("|" sequence)*
  Cnf alternation() {
    Cnf all = sequence();
    while (i_ < p_.size() && p_[i_] == '|') {
      ++i_;
      all = either(all, sequence());
    }
    return all;
  }

  // sequence := (atom quantifier?)*
  Cnf sequence() {
    Cnf all;
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      Cnf a = atom();
      if (optional_quantifier()) a.clear();
      all.insert(all.end(), a.begin(), a.end());
    }
    return simplify(std::move(all));
  }

  // Reads a quantifier if there is one; true when it allows zero times.
  bool optional_quantifier() {
    if (i_ >= p_.size()) return false;
    bool zero = false;
    const char c = p_[i_];
    if (c == '?' || c == '*') {
      zero = true;
      ++i_;
    } else if (c == '+') {
      ++i_;
    } else if (c == '{') {
      std::size_t j = i_ + 1;
      std::size_t n = 0;
      bool digits = false;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') {
        n = n * 10 + static_cast<std::size_t>(p_[j] - '0');
        digits = true;
        ++j;
      }
      const std::size_t close = p_.find('}', i_);
      if (!digits || close == std::string_view::npos) throw GiveUp{};
      zero = n == 0;
      i_ = close + 1;
    } else {
      return false;
    }
    if (i_ < p_.size() && (p_[i_] == '?' || p_[i_] == '+')) ++i_;  // lazy or possessive
    return zero;
  }

  Cnf atom() {
    const char c = p_[i_];
    switch (c) {
      case '(': return group();
      case '[': skip_set(); return {};
      case '\\': return escape();
      case '.':
      case '^':
      case '$': ++i_; return {};
      case '*':
      case '+':
      case '?':
      case '{': throw GiveUp{};  // a quantifier with nothing before it
      default: break;
    }
    bool bad = false;
    const char32_t cp = decode_utf8(p_, i_, bad);
    if (bad) throw GiveUp{};
    return literal(cp);
  }

  Cnf literal(char32_t cp) {
    if (cp < 0x80) {
      if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';  // the text is case-folded
      return {Set{cp}};
    }
    if (cjk(cp)) return {Set{cp}};
    return {};  // a letter with case, or something normalisation may change
  }

  Cnf group() {
    ++i_;  // (
    bool counts = true;
    if (i_ < p_.size() && p_[i_] == '?') {
      ++i_;
      if (i_ < p_.size() && p_[i_] == ':') {
        ++i_;
      } else if (i_ + 1 < p_.size() && p_[i_] == '<' && p_[i_ + 1] != '=' && p_[i_ + 1] != '!') {
        const std::size_t close = p_.find('>', i_);
        if (close == std::string_view::npos) throw GiveUp{};
        i_ = close + 1;  // a named group
      } else if (i_ < p_.size() &&
                 (p_[i_] == '=' || p_[i_] == '!' || p_[i_] == '<' || p_[i_] == '>')) {
        counts = false;  // lookaround, atomic: read the inside, require nothing
        ++i_;
        if (i_ < p_.size() && (p_[i_] == '=' || p_[i_] == '!')) ++i_;
      } else {
        throw GiveUp{};  // flags such as (?i) or (?x) change how the rest reads
      }
    }
    Cnf inside = alternation();
    if (i_ >= p_.size() || p_[i_] != ')') throw GiveUp{};
    ++i_;
    return counts ? inside : Cnf{};
  }

  void skip_set() {
    int depth = 0;
    while (i_ < p_.size()) {
      const char c = p_[i_];
      if (c == '\\') {
        i_ += 2;
        continue;
      }
      if (c == '[') ++depth;
      if (c == ']' && --depth == 0) {
        ++i_;
        return;
      }
      ++i_;
    }
    throw GiveUp{};
  }

  Cnf escape() {
    ++i_;  // backslash
    if (i_ >= p_.size()) throw GiveUp{};
    const char c = p_[i_];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      // Classes (\d \s \w \p{..}), anchors (\b), code points (\x{..}, \u...),
      // back references, quoting (\Q..\E): none is read as a literal.
      if (c == 'p' || c == 'P' || c == 'x' || c == 'N') {
        ++i_;
        if (i_ < p_.size() && p_[i_] == '{') {
          const std::size_t close = p_.find('}', i_);
          if (close == std::string_view::npos) throw GiveUp{};
          i_ = close + 1;
        } else if (c == 'x') {
          i_ += 2;
        }
        return {};
      }
      if (c == 'Q') throw GiveUp{};
      if (c == 'u') {
        i_ += 5;
        return {};
      }
      if (c == 'U') {
        i_ += 9;
        return {};
      }
      ++i_;
      return {};
    }
    bool bad = false;
    const char32_t cp = decode_utf8(p_, i_, bad);
    if (bad) throw GiveUp{};
    return literal(cp);  // an escaped punctuation mark is itself
  }

  std::string_view p_;
  std::size_t i_ = 0;
};

}  // namespace

RequiredChoices required_choices(std::string_view pattern) {
  Cnf clauses;
  try {
    clauses = Reader(pattern).pattern();
  } catch (const GiveUp&) {
    return {};
  }
  RequiredChoices out;
  for (const Set& c : clauses) {
    std::vector<std::string> any;
    for (char32_t ch : c) {
      std::string s;
      append_utf8(s, ch);
      any.push_back(std::move(s));
    }
    out.push_back(std::move(any));
  }
  return out;
}

namespace {

// Characters without case that patterns write outside ASCII: Chinese
// characters, CJK punctuation, and full-width forms other than letters.
bool caseless(char32_t c) noexcept {
  return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3134F) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF01 && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF5E);
}

bool ascii_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

bool needs_case_folding(std::string_view p) {
  // Escapes that name caseless classes, anchors or control characters.
  constexpr std::string_view kCaseless = "dDsSbBwWhHvVRXzZAGntrfea";
  int sets = 0;  // inside [...]: no group names there
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) return true;
      const char e = p[i + 1];
      if (ascii_letter(e) || (e >= '0' && e <= '9')) {
        if (kCaseless.find(e) == std::string_view::npos) return true;  // \p{..}, \1, \Q...
        i += 2;
      } else if (static_cast<unsigned char>(e) < 0x80) {
        i += 2;  // an escaped mark
      } else {
        ++i;  // an escaped character: read below
      }
      continue;
    }
    if (c == '[') ++sets;
    if (c == ']' && sets > 0) --sets;
    if (c == '(' && sets == 0 && p.substr(i, 3) == "(?<" && i + 3 < p.size() && p[i + 3] != '=' &&
        p[i + 3] != '!') {
      const std::size_t close = p.find('>', i);
      if (close == std::string_view::npos) return true;
      i = close + 1;  // a group's name
      continue;
    }
    if (ascii_letter(c)) return true;  // a letter, or flags such as (?i)
    if (static_cast<unsigned char>(c) < 0x80) {
      ++i;
      continue;
    }
    bool bad = false;
    const char32_t cp = decode_utf8(p, i, bad);
    if (bad || !caseless(cp)) return true;
  }
  return false;
}

std::vector<CharBits> required_bits(const RequiredChoices& required) {
  std::vector<CharBits> out;
  for (const std::vector<std::string>& any : required) {
    CharBits bits;
    for (const std::string& r : any) {
      std::size_t i = 0;
      bits.add(decode_utf8(r, i));
    }
    out.push_back(bits);
  }
  return out;
}

std::vector<std::string> required_literals(std::string_view pattern) {
  std::vector<std::string> out;
  for (std::vector<std::string>& any : required_choices(pattern))
    if (any.size() == 1) out.push_back(std::move(any.front()));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace patter::detail
