#include "text/utf8.hpp"

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
