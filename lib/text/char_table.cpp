#include "text/char_table.hpp"

#include <array>
#include <string_view>
#include <vector>

#include "text/char_icu.hpp"
#include "text/char_table_data.hpp"

namespace patter::detail {
namespace {

using HanBits = std::array<std::uint64_t, kHanCount / 64>;

// The flat tables fate_table() hands out, unpacked from the generated
// two-level form on first use: ~0.3 ms, against the ~80 ms it took to ask
// ICU for them at run time.
struct Tables {
  std::vector<std::uint32_t> base;  // NFKC case fold
  std::vector<std::uint32_t> zh;    // then Traditional to Simplified
  HanBits base_same{}, zh_same{};   // han_unchanged()

  Tables() : base(0x10000) {
    const std::uint32_t mask = (1u << char_data::kBlockShift) - 1;
    for (std::uint32_t c = 0; c < 0x10000; ++c) {
      const std::uint32_t block = char_data::kIndex[c >> char_data::kBlockShift];
      const std::uint32_t s = char_data::kBlocks[(block << char_data::kBlockShift) | (c & mask)];
      base[c] = (s & kFateMany) ? s : (s & ~kFateCpMask) | ((s + c) & kFateCpMask);
    }
    zh = base;
    for (std::size_t i = 0; i < char_data::kZhCount; ++i)
      zh[char_data::kZhChar[i]] = char_data::kZhEntry[i];
    same(base, base_same);
    same(zh, zh_same);
  }

  static void same(const std::vector<std::uint32_t>& table, HanBits& bits) {
    for (char32_t h = 0; h < kHanCount; ++h) {
      const std::uint32_t e = table[kHanFirst + h];
      const auto cls = static_cast<CharClass>((e >> kFateClassShift) & 3);
      if (cls == CharClass::cjk && !(e & kFateMany) && (e & kFateCpMask) == kHanFirst + h)
        bits[h >> 6] |= std::uint64_t{1} << (h & 63);
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

CharFate char_fate(char32_t c, bool zh) noexcept {
  // Outside the table (emoji, rare ideographs): classify, keep as is.
  if (c >= 0x10000) return {c, icu_class(c), {}};
  const Tables& t = tables();
  const std::uint32_t e = (zh ? t.zh : t.base)[c];
  const auto cls = static_cast<CharClass>((e >> kFateClassShift) & 3);
  if (e & kFateMany) return {0, cls, std::string_view(char_data::kMany[e & kFateCpMask])};
  return {static_cast<char32_t>(e & kFateCpMask), cls, {}};
}

const std::uint32_t* fate_table(bool zh) noexcept {
  return (zh ? tables().zh : tables().base).data();
}

const std::uint64_t* han_unchanged(bool zh) noexcept {
  return (zh ? tables().zh_same : tables().base_same).data();
}

CharClass normalized_class(char32_t c) noexcept {
  if (c < 0x80) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum ? CharClass::word : CharClass::separator;
  }
  if (c >= 0x10000) return icu_class(c);
  return static_cast<CharClass>((tables().base[c] >> kFateClassShift) & 3);
}

}  // namespace patter::detail
