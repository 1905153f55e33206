// UTF-8: validation, decoding, encoding and counting, in one place.
//
//   std::size_t i = 0;
//   bool bad = false;
//   char32_t c = decode_utf8(text, i, bad);   // any bytes: U+FFFD for a bad one
//   char32_t d = decode_valid_utf8(p, j);     // text already known to be valid
//   append_utf8(out, c);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace patter::detail {

inline constexpr char32_t kReplacementChar = 0xFFFD;

/// Decodes the code point at s[i] and advances `i` past it. A byte that does
/// not start a valid sequence (overlong, surrogate, past U+10FFFF, cut
/// short) gives U+FFFD, advances one byte and sets `bad`. Inline: loading
/// validates every byte of a script with it.
inline char32_t decode_utf8(std::string_view s, std::size_t& i, bool& bad) noexcept {
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

inline char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept {
  bool bad = false;
  return decode_utf8(s, i, bad);
}

/// Decodes the code point at p[i] of text known to be valid UTF-8 (the
/// normaliser's output), without checks, and advances `i`.
inline char32_t decode_valid_utf8(const unsigned char* p, std::size_t& i) noexcept {
  const unsigned char c = p[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  if (c < 0xE0) {
    const char32_t cp = (static_cast<char32_t>(c & 0x1F) << 6) | (p[i + 1] & 0x3F);
    i += 2;
    return cp;
  }
  if (c < 0xF0) {
    const char32_t cp = (static_cast<char32_t>(c & 0x0F) << 12) |
                        (static_cast<char32_t>(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
    i += 3;
    return cp;
  }
  const char32_t cp = (static_cast<char32_t>(c & 0x07) << 18) |
                      (static_cast<char32_t>(p[i + 1] & 0x3F) << 12) |
                      (static_cast<char32_t>(p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
  i += 4;
  return cp;
}

/// The code point that ends at byte `at` of valid UTF-8 (at > 0).
inline char32_t code_point_before(std::string_view s, std::size_t at) noexcept {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  if (u[at - 1] < 0x80) return u[at - 1];
  std::size_t i = at - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return decode_valid_utf8(reinterpret_cast<const unsigned char*>(s.data()), i);
}

/// Writes the UTF-8 form of `cp` (a scalar value) to `out`; returns its length.
inline std::size_t encode_utf8(char32_t cp, char* out) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

inline void append_utf8(std::string& out, char32_t cp) {
  char buf[4];
  out.append(buf, encode_utf8(cp, buf));
}

/// Offset of the first byte that does not start a valid UTF-8 sequence, or npos.
std::size_t find_invalid_utf8(std::string_view s) noexcept;

/// The offset of the first control character that is not a tab, line feed
/// or carriage return (U+0000..U+001F, U+007F), or npos. Bytes of 0x80 and
/// above are never control characters here: they belong to UTF-8 sequences.
std::size_t find_control_char(std::string_view s) noexcept;

/// `s` with each byte that does not start a valid sequence replaced by
/// U+FFFD (as decode_utf8 reads it): text the host sent that can be shown,
/// stored and quoted back as UTF-8.
void assign_valid_utf8(std::string& out, std::string_view s);

/// Number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view s) noexcept;

/// Byte offset just past the first `n` code points (or s.size()).
std::size_t prefix_bytes(std::string_view s, std::size_t n) noexcept;

/// The longest start of `s` of at most `max_bytes` that does not end inside
/// a character: cut text stays valid UTF-8 (when it was).
inline std::string_view utf8_head(std::string_view s, std::size_t max_bytes) noexcept {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace patter::detail
