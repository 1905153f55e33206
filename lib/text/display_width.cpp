#include "text/display_width.hpp"

#include <unicode/uchar.h>

#include <cstdint>

#include "text/utf8.hpp"

namespace patter::detail {

std::size_t display_width(std::string_view utf8) noexcept {
  std::size_t w = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<UChar32>(decode_utf8(utf8, i));
    const auto ea = static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
    const std::int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR)
      continue;  // drawn over the character before, or not at all
    w += (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return w;
}

}  // namespace patter::detail
