// Text reports for a terminal: an appender that formats onto a string, and
// tables in which CJK and other wide characters take two columns, so names
// in Chinese line up with the figures beside them.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "text/utf8.hpp"

namespace patter::detail {

// fmt::format_to onto a string, keeping compile-time format checks.
struct Appender {
  std::string& out;
  template <class... A>
  void operator()(fmt::format_string<A...> f, A&&... a) const {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(a)...);
  }
};

inline std::size_t display_width(std::string_view s) noexcept {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = decode_utf8(s, i);
    w += (c >= 0x1100 &&
          (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000))
             ? 2
             : 1;
  }
  return w;
}

/// `s` followed by spaces up to `width` columns.
inline std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  for (std::size_t w = display_width(s); w < width; ++w) out += ' ';
  return out;
}

/// Spaces up to `width` columns, then `s`.
inline std::string pad_left(std::string_view s, std::size_t width) {
  std::string out;
  for (std::size_t w = display_width(s); w < width; ++w) out += ' ';
  out += s;
  return out;
}

}  // namespace patter::detail
