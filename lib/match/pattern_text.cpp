#include "match/pattern_text.hpp"

#include "text/char_table.hpp"
#include "text/utf8.hpp"

namespace patter::detail {

namespace {

// What a pattern sees for one character: full-width ASCII forms and the
// ideographic space as ASCII, Chinese characters as the normaliser maps
// them (Traditional to Simplified for zh); everything else as said.
char32_t plain(char32_t c, bool zh) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;
  if (c == 0x3000) return ' ';
  if (zh && c < 0x10000) {
    const std::uint32_t e = fate_table(true)[c];
    const auto cls = static_cast<CharClass>((e >> kFateClassShift) & 3);
    if (cls == CharClass::cjk && !(e & kFateMany)) return e & kFateCpMask;
  }
  return c;
}

}  // namespace

void pattern_chars(std::string_view said, bool zh, CharBits& bits) {
  const std::uint64_t* same = han_unchanged(zh);
  const auto* u = reinterpret_cast<const unsigned char*>(said.data());
  for (std::size_t i = 0; i < said.size();) {
    if (u[i] < 0x80) {
      bits.add(u[i++]);
      continue;
    }
    bool bad = false;
    const char32_t c = decode_utf8(said, i, bad);
    bits.add(bad ? U'\uFFFD' : is_unchanged_han(same, c) ? c : plain(c, zh));
  }
}

std::string_view pattern_text(std::string_view said, bool zh, std::string& light,
                              std::vector<std::uint32_t>& offsets) {
  offsets.clear();
  bool ascii = true;
  for (const char c : said) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return said;
  light.clear();
  for (std::size_t i = 0; i < said.size();) {
    const std::size_t start = i;
    bool bad = false;
    const char32_t c = decode_utf8(said, i, bad);
    char buf[4];
    const std::size_t n = encode_utf8(bad ? U'\uFFFD' : plain(c, zh), buf);
    light.append(buf, n);
    for (std::size_t k = 0; k < n; ++k) offsets.push_back(static_cast<std::uint32_t>(start));
  }
  offsets.push_back(static_cast<std::uint32_t>(said.size()));
  return light;
}

}  // namespace patter::detail
