// How many terminal columns text takes, by ICU's East Asian Width property:
// wide and fullwidth characters (Chinese, Japanese, Korean, fullwidth
// punctuation) take two, combining marks and format characters none, the
// rest one. Text reports pad with it, so CJK names line up with figures.
//
//   display_width("开场") == 4;  display_width("intro") == 5
#pragma once

#include <cstddef>
#include <string_view>

namespace patter::detail {

std::size_t display_width(std::string_view utf8) noexcept;

}  // namespace patter::detail
