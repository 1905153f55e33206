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

#include "text/display_width.hpp"

namespace patter::detail {

// fmt::format_to onto a string, keeping compile-time format checks.
struct Appender {
  std::string& out;
  template <class... A>
  void operator()(fmt::format_string<A...> f, A&&... a) const {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(a)...);
  }
};

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
