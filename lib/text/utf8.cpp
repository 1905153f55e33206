#include "text/utf8.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

namespace patter::detail {

void assign_valid_utf8(std::string& out, std::string_view s) {
  out.clear();
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    bool bad = false;
    const char32_t cp = decode_utf8(s, i, bad);
    if (bad)
      append_utf8(out, cp);
    else
      out.append(s.substr(at, i - at));
  }
}

std::size_t find_invalid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      // Most of a script's bytes are ASCII: skip them eight at a time.
      ++i;
      for (std::uint64_t w; i + 8 <= n; i += 8) {
        std::memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ull) break;
      }
      continue;
    }
    // Most Chinese characters: a lead byte E1..EC or EE..EF takes any two
    // continuation bytes (E0 and ED have narrower ranges, decoded below).
    if (static_cast<unsigned char>(c - 0xE1) <= 0xEF - 0xE1 && c != 0xED && i + 3 <= n &&
        (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    const std::size_t at = i;
    bool bad = false;
    decode_utf8(s, i, bad);
    if (bad) return at;
  }
  return std::string_view::npos;
}

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull,
                        kLow7 = 0x7F7F7F7F7F7F7F7Full;

// A byte's high bit in the result is set when that byte of `w` is below
// `bound` (0 < bound <= 0x80); no carry crosses bytes.
constexpr std::uint64_t bytes_below(std::uint64_t w, std::uint64_t bound) noexcept {
  return ~(((w & kLow7) + (0x80 - bound) * kOnes) | w) & kHigh;
}

// A byte's high bit in the result is set when that byte of `w` is `value`.
constexpr std::uint64_t bytes_equal(std::uint64_t w, std::uint64_t value) noexcept {
  return bytes_below(w ^ (value * kOnes), 1);
}

}  // namespace

std::size_t find_control_char(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  for (std::uint64_t w; i + 8 <= n; i += 8) {
    std::memcpy(&w, p + i, 8);
    const std::uint64_t low = bytes_below(w, 0x20), del = bytes_equal(w, 0x7F);
    if ((low | del) == 0) continue;  // most words: no byte below a space
    const std::uint64_t allowed =
        bytes_equal(w, '\t') | bytes_equal(w, '\n') | bytes_equal(w, '\r');
    // The masks are exact per byte, so the lowest bit set is the first control.
    if (const std::uint64_t bad = (low & ~allowed) | del; bad != 0) {
      if constexpr (std::endian::native == std::endian::little)
        return i + static_cast<std::size_t>(std::countr_zero(bad)) / 8;
      else
        return i + static_cast<std::size_t>(std::countl_zero(bad)) / 8;
    }
  }
  for (; i < n; ++i) {
    const unsigned char c = p[i];
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
  }
  return std::string_view::npos;
}

std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t count = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

std::size_t prefix_bytes(std::string_view s, std::size_t n) noexcept {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == n) return i;
      ++seen;
    }
  }
  return s.size();
}

}  // namespace patter::detail
