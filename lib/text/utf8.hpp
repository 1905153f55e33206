// UTF-8 validation and code-point counting, used at every text boundary.
#pragma once

#include <cstddef>
#include <string_view>

namespace patter::detail {

/// Offset of the first byte that does not start a valid UTF-8 sequence
/// (overlongs, surrogates and values past U+10FFFF are invalid), or npos.
std::size_t find_invalid_utf8(std::string_view s) noexcept;

/// Number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view s) noexcept;

/// Byte offset just past the first `n` code points (or s.size()).
std::size_t prefix_bytes(std::string_view s, std::size_t n) noexcept;

}  // namespace patter::detail
