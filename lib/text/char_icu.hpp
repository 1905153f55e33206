// What ICU says each character becomes: the reference the character table
// is generated from at build time (char_table_gen.cpp) and checked against
// in the tests (tests/char_table_test.cpp).
//
// Computing the Basic Multilingual Plane this way takes ~80 ms, most of it in
// ICU's Traditional-Simplified transliterator; that is why the library ships
// the result as a generated constant table and asks ICU at run time only
// about the classes of characters outside the table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/char_table.hpp"

namespace patter::detail {

/// The class ICU's character properties give `c` (its type and script).
CharClass icu_class(char32_t c) noexcept;

/// Every BMP character's fate in the packed form of fate_table(): `base` is
/// NFKC case folding, `zh` that followed by Traditional to Simplified; an
/// entry with kFateMany holds an index into `many` (several code points as
/// UTF-8) instead of a code point.
struct IcuFates {
  std::vector<std::uint32_t> base;
  std::vector<std::uint32_t> zh;
  std::vector<std::string> many;
};
IcuFates icu_fates();

/// The ICU version these answers come from, e.g. "72.1".
std::string icu_version();

}  // namespace patter::detail
