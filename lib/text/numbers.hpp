// Numbers in normalised utterance text, for captures that fill number variables.
//
//   parse_number("320")                     // 320
//   parse_number("三百二十")                 // 320
//   parse_number("两千五")                   // 2500: a last digit counts in the next unit down
//   parse_number("1.5万")                    // 15000
//   parse_number("一三八")                   // 138: digits without units, read as in phone numbers
//   parse_number("two hundred and fifty")   // 250
//   parse_number("three people")            // nullopt: the whole text must be the number
//   parse_number("$250")                    // 250: a leading currency sign ($ ¥ ￥ € £) is the
//   unit
//
//   find_number("我们有三百二十个人")         // {.begin = 9, .end = 21, .value = 320}
//   find_number("about 3,200 people")       // {.begin = 6, .end = 11, .value = 3200}
//   find_number("两个")                      // {.begin = 0, .end = 3, .value = 2}
//   find_number("someone often")            // nullopt: English number words count only whole
//
// The text is what the Normalizer produces, or what a pattern captured of
// the customer's words (made ASCII where full width, case kept). Thousands separators, decimal
// points and a leading '-' are read when the text still has them ("1,234.5", "-5").
//
// find_number returns the leftmost number, taken as long as it reads well:
// "三百二十" is one number, not three. Words that merely contain a numeral
// still count ("一下" gives 1, "十分" gives 10, "the one" gives 1): only the
// script's pattern knows where a number is meant, so the capture decides.
//
// A number with more than 15 significant digits, or of 10^15 or more, is
// refused rather than rounded: parse_number says nullopt and find_number
// skips it. Both run in time linear in the text, never allocate and accept
// any bytes; bytes that are not UTF-8 are simply not part of a number.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace patter::detail {

/// The number written in all of `text` (surrounding spaces allowed), or nullopt.
std::optional<double> parse_number(std::string_view text) noexcept;

struct FoundNumber {
  std::size_t begin = 0, end = 0;  ///< byte offsets in the text searched
  double value = 0;
};

/// The first number in `text` at or after byte `from`, or nullopt.
std::optional<FoundNumber> find_number(std::string_view text, std::size_t from = 0) noexcept;

}  // namespace patter::detail
