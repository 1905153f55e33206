// What normalisation does to each character, decided by ICU at build time.
//
// ICU calls cost tens to hundreds of nanoseconds each; an utterance has
// ~20 characters and must be normalised in ~100 ns. So every Basic
// Multilingual Plane character's fate (its NFKC case-folded form, its
// Simplified form for zh, and whether it is a separator) is a table, and
// normalising is a lookup per character. Asking ICU for that table took
// ~80 ms per process (its Traditional-Simplified transliterator), so a
// program run by the build (char_table_gen.cpp) writes it as constant data,
// and tests/char_table_test.cpp checks it against ICU, code point by code
// point.
#pragma once

#include <cstdint>
#include <string_view>

namespace patter::detail {

enum class CharClass : std::uint8_t {
  word,       ///< letters and digits outside CJK scripts: words, with boundaries
  cjk,        ///< Han, kana, Hangul: no spaces between them
  separator,  ///< spaces, punctuation, symbols (emoji), control characters
  drop,       ///< format characters and what NFKC removes (soft hyphen, ZWJ...)
};

/// The fate of one character: one replacement code point with its class,
/// or several (rare: "ﬁ" → "fi", "㎏" → "kg"), given as a UTF-8 string.
struct CharFate {
  char32_t cp = 0;
  CharClass cls = CharClass::word;
  std::string_view many;  ///< non-empty when the character becomes several
};

/// `zh`: also map Traditional to Simplified. Thread-safe; the first call
/// unpacks the constant tables (a fraction of a millisecond).
CharFate char_fate(char32_t c, bool zh) noexcept;

/// The packed table behind char_fate, for loops that look up many
/// characters: entry = code point (bits 0-20) | class << 21 | several << 23.
/// Only for c < 0x10000; use char_fate for the rest and for `several`.
const std::uint32_t* fate_table(bool zh) noexcept;
inline constexpr std::uint32_t kFateCpMask = 0x1FFFFF;
inline constexpr int kFateClassShift = 21;
inline constexpr std::uint32_t kFateMany = 1u << 23;

/// The common Chinese characters, U+4E00..U+9FFF (UTF-8 leads E4..E9).
inline constexpr char32_t kHanFirst = 0x4E00;
inline constexpr char32_t kHanCount = 0x5200;

/// One bit per common Chinese character that normalisation leaves as it is
/// (class cjk, itself, one character): 2.6 KB that stay in the first-level
/// cache, where fate_table's 256 KB cost a cache miss per character. Test
/// it with is_unchanged_han.
const std::uint64_t* han_unchanged(bool zh) noexcept;
inline bool is_unchanged_han(const std::uint64_t* bits, char32_t c) noexcept {
  const char32_t h = c - kHanFirst;
  return h < kHanCount && ((bits[h >> 6] >> (h & 63)) & 1u);
}

/// The class of a character that is already normalised (for matching).
CharClass normalized_class(char32_t c) noexcept;

}  // namespace patter::detail
