// JSON string escaping, for the JSON that patter writes (results, reports).
#pragma once

#include <string>
#include <string_view>

#include "text/utf8.hpp"

namespace patter::detail {

/// Append `s` to `out` as the inside of a JSON string: quotes, backslashes
/// and control characters escaped, UTF-8 kept as it is. A byte that is not
/// UTF-8 becomes \ufffd, so the JSON stays valid whatever the text held
/// (a host's variable, a restored transcript).
inline void append_json_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size();) {
    const char ch = s[i];
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      const std::size_t at = i;
      bool bad = false;
      decode_utf8(s, i, bad);
      if (bad) out += "\\ufffd";
      else out.append(s.substr(at, i - at));
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
}

/// `s` as a quoted JSON string.
inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  append_json_escaped(out, s);
  out += '"';
  return out;
}

}  // namespace patter::detail
