#include "text/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace patter::detail {

char32_t decode_utf8(std::string_view s, std::size_t& i, bool& bad) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const unsigned char c = p[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  char32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;  // no overlongs
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // <= U+10FFFF
  } else {
    len = 0;
    cp = 0;
  }
  bool ok = len != 0 && i + len <= n && p[i + 1] >= lo && p[i + 1] <= hi;
  for (std::size_t k = 1; ok && k < len; ++k) {
    ok = (p[i + k] & 0xC0) == 0x80;
    cp = (cp << 6) | (p[i + k] & 0x3F);
  }
  if (!ok) {
    ++i;
    bad = true;
    return kReplacementChar;
  }
  i += len;
  return cp;
}

std::size_t find_invalid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Most script text is ASCII: skip it eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    const std::size_t at = i;
    bool bad = false;
    decode_utf8(s, i, bad);
    if (bad) return at;
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
