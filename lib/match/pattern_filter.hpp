// What a regex pattern cannot match without: a quick test that lets the
// matcher skip ICU for utterances that lack a pattern's literal characters.
//
//   required_literals("(?<age>\\d+)\\s*(岁|周岁)")   // {"岁"}: both branches need it
//   required_literals("今年(?<age>[1-6][0-9])")       // {"今", "年"}
//   required_literals("(?<n>\\d+) ?(people|guests)")  // {"e"}: the one letter both share
//   required_literals("[岁年]")                       // {}: either will do
//   required_choices("别再(打|拨)")                    // {{"再"}, {"别"}, {"打", "拨"}}
//
// The analysis is conservative: a character is listed only when every match
// of the pattern must contain it (in the text patterns read, pattern_text.hpp,
// and with the matcher's case-insensitive flag). Anything it does not understand
// (flags, lookaround, sets, letters whose case may vary beyond ASCII)
// requires nothing, so skipping a pattern never loses a match.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patter::detail {

/// What every match of `pattern` contains, as clauses: each clause lists
/// characters (UTF-8) of which a match holds at least one. An alternation
/// such as `(打|拨)` still requires something. Empty when nothing can be said.
using RequiredChoices = std::vector<std::vector<std::string>>;
RequiredChoices required_choices(std::string_view pattern);

/// The characters every match contains: the clauses of one character,
/// sorted and without repeats.
std::vector<std::string> required_literals(std::string_view pattern);

/// Whether `text` holds every one of `required`. Patterns read the
/// customer's text with its case, so a letter counts in either case.
inline bool holds(std::string_view text, const std::string& r) noexcept {
  if (r.size() == 1 && r[0] >= 'a' && r[0] <= 'z')
    return text.find(r[0]) != std::string_view::npos ||
           text.find(static_cast<char>(r[0] - 32)) != std::string_view::npos;
  return text.find(r) != std::string_view::npos;
}

inline bool may_match(std::string_view text, const std::vector<std::string>& required) noexcept {
  for (const std::string& r : required)
    if (!holds(text, r)) return false;
  return true;
}

/// Whether `text` holds one character of every clause.
inline bool may_match(std::string_view text, const RequiredChoices& required) noexcept {
  for (const std::vector<std::string>& any : required) {
    bool found = false;
    for (const std::string& r : any) found = found || holds(text, r);
    if (!found) return false;
  }
  return true;
}

/// Whether matching `pattern` case-insensitively can differ from matching
/// it as written: false only when nothing in it has case (Chinese
/// characters, digits, punctuation, \\d, \\s...; group names do not count).
/// ICU then runs without case folding, which costs it a good part of its
/// time, with the same matches. Conservative: anything it does not follow
/// (\\p{..}, back references, flags, any letter) needs folding.
///
///   needs_case_folding("(?<age>[1-6][0-9])\\s*(岁|周岁)")  // false
///   needs_case_folding("(?<n>\\d+) ?(people|guests)")    // true
bool needs_case_folding(std::string_view pattern);

/// A set of characters in 512 bits, one bit per character by a hash: the
/// characters of a reply, or those a clause of RequiredChoices accepts.
/// A clause that meets no character of the reply cannot be satisfied, and
/// that is decided with a few ANDs instead of a search of the text per
/// character; a collision only lets a pattern through to the exact test.
/// ASCII letters count in either case, as in `holds`.
struct CharBits {
  std::array<std::uint64_t, 8> w{};

  static unsigned bit(char32_t c) noexcept {
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    return (static_cast<std::uint32_t>(c) * 0x9E3779B1u) >> 23;
  }
  void add(char32_t c) noexcept {
    const unsigned b = bit(c);
    w[b >> 6] |= std::uint64_t{1} << (b & 63);
  }
  bool meets(const CharBits& o) const noexcept {
    std::uint64_t x = 0;
    for (std::size_t k = 0; k < w.size(); ++k) x |= w[k] & o.w[k];
    return x != 0;
  }
};

/// One CharBits per clause of `required`.
std::vector<CharBits> required_bits(const RequiredChoices& required);

/// Whether a reply with the characters `text` may hold one character of
/// every clause: false means it certainly does not.
inline bool may_match(const CharBits& text, const std::vector<CharBits>& clauses) noexcept {
  for (const CharBits& c : clauses)
    if (!text.meets(c)) return false;
  return true;
}

}  // namespace patter::detail
