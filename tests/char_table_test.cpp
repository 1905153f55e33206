// The character table is generated at build time; these tests ask ICU again,
// here, and require the same answer for every BMP character, so the table
// cannot drift from ICU (a new ICU at run time, a change to the generator).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "text/char_icu.hpp"
#include "text/char_table.hpp"
#include "text/char_table_data.hpp"

namespace {

using patter::detail::CharClass;
using patter::detail::CharFate;

/// One entry of ICU's packed tables as the fate it stands for.
CharFate icu_fate(const patter::detail::IcuFates& icu, std::uint32_t e) {
  const auto cls = static_cast<CharClass>((e >> patter::detail::kFateClassShift) & 3);
  if (e & patter::detail::kFateMany) return {0, cls, icu.many.at(e & patter::detail::kFateCpMask)};
  return {static_cast<char32_t>(e & patter::detail::kFateCpMask), cls, {}};
}

std::string describe(const CharFate& f) {
  char cp[16];
  std::snprintf(cp, sizeof cp, "U+%04X", static_cast<unsigned>(f.cp));
  return std::string(cp) + " class " + std::to_string(static_cast<int>(f.cls)) + " \"" +
         std::string(f.many) + "\"";
}

class CharTable : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { icu_ = new patter::detail::IcuFates(patter::detail::icu_fates()); }
  static void TearDownTestSuite() { delete icu_; }
  static patter::detail::IcuFates* icu_;
};
patter::detail::IcuFates* CharTable::icu_ = nullptr;

TEST_F(CharTable, GeneratedFromTheIcuInUse) {
  EXPECT_EQ(std::string(patter::detail::char_data::kIcuVersion), patter::detail::icu_version())
      << "the table was generated with another ICU than the one linked: rebuild";
}

TEST_F(CharTable, EveryCharacterAsIcuSaysInBothTables) {
  for (const bool zh : {false, true}) {
    const auto& expected = zh ? icu_->zh : icu_->base;
    const std::uint32_t* table = patter::detail::fate_table(zh);
    int wrong = 0;
    for (char32_t c = 0; c < 0x10000 && wrong < 10; ++c) {
      const CharFate want = icu_fate(*icu_, expected[c]);
      const CharFate got = patter::detail::char_fate(c, zh);
      const bool same = got.cp == want.cp && got.cls == want.cls && got.many == want.many;
      // The flat table the normaliser reads agrees with char_fate, flags included.
      const bool flat =
          (table[c] & ~patter::detail::kFateCpMask) ==
              (expected[c] & ~patter::detail::kFateCpMask) &&
          (want.many.empty() ? (table[c] & patter::detail::kFateCpMask) == want.cp : true);
      if (!same || !flat) {
        ++wrong;
        ADD_FAILURE() << (zh ? "zh" : "base") << " U+" << std::hex << static_cast<std::uint32_t>(c)
                      << ": table says " << describe(got) << ", ICU says " << describe(want);
      }
    }
    EXPECT_EQ(wrong, 0);
  }
}

TEST_F(CharTable, NormalizedClassAgreesWithIcu) {
  for (char32_t c = 0x80; c < 0x10000; ++c) {
    const auto want =
        static_cast<CharClass>((icu_->base[c] >> patter::detail::kFateClassShift) & 3);
    ASSERT_EQ(patter::detail::normalized_class(c), want)
        << std::hex << static_cast<std::uint32_t>(c);
  }
}

TEST_F(CharTable, KnownFates) {
  EXPECT_EQ(patter::detail::char_fate(U'們', true).cp, U'们');   // Traditional to Simplified
  EXPECT_EQ(patter::detail::char_fate(U'們', false).cp, U'們');  // only for zh
  EXPECT_EQ(patter::detail::char_fate(U'Ａ', false).cp, U'a');   // full width, case folded
  EXPECT_EQ(patter::detail::char_fate(U'ﬁ', false).many, "fi");  // one becomes several
  EXPECT_EQ(patter::detail::char_fate(U'\u00AD', false).cls, CharClass::drop);  // soft hyphen
  EXPECT_EQ(patter::detail::char_fate(0xD800, false).cp, 0xFFFDu);              // a lone surrogate
  // Past the table: ICU's class at run time, the character unchanged.
  const CharFate emoji = patter::detail::char_fate(U'😀', true);
  EXPECT_EQ(emoji.cp, U'😀');
  EXPECT_EQ(emoji.cls, CharClass::separator);
  EXPECT_EQ(patter::detail::char_fate(U'𠀀', true).cls, CharClass::cjk);
}

TEST_F(CharTable, StoredInSharedBlocks) {
  // Two levels with equal blocks stored once: far below the flat 256 KiB.
  const std::size_t bytes = (std::size_t{0x10000} >> patter::detail::char_data::kBlockShift) * 2 +
                            patter::detail::char_data::kBlockCount *
                                (std::size_t{1} << patter::detail::char_data::kBlockShift) * 4;
  EXPECT_LT(bytes, 64u * 1024u);
  EXPECT_GT(patter::detail::char_data::kZhCount, 2000u);  // ICU knows a few thousand pairs
}

}  // namespace

// The normaliser's shortcut for Chinese characters: a bit set exactly where
// the table says "itself, one character, class cjk", in both tables.
TEST(CharTableShortcut, HanUnchangedAgreesWithTheTable) {
  for (const bool zh : {false, true}) {
    const std::uint32_t* table = patter::detail::fate_table(zh);
    const std::uint64_t* bits = patter::detail::han_unchanged(zh);
    int unchanged = 0;
    for (char32_t c = 0; c < 0x10000; ++c) {
      const std::uint32_t e = table[c];
      const bool same =
          static_cast<CharClass>((e >> patter::detail::kFateClassShift) & 3) == CharClass::cjk &&
          !(e & patter::detail::kFateMany) && (e & patter::detail::kFateCpMask) == c;
      const bool in_range = c >= patter::detail::kHanFirst &&
                            c < patter::detail::kHanFirst + patter::detail::kHanCount;
      ASSERT_EQ(patter::detail::is_unchanged_han(bits, c), same && in_range)
          << "U+" << std::hex << static_cast<unsigned>(c) << (zh ? " zh" : "");
      unchanged += same && in_range;
    }
    EXPECT_GT(unchanged, 15000);
    // Traditional characters change under zh only.
    EXPECT_EQ(patter::detail::is_unchanged_han(bits, U'\u8aa0'), !zh);  // 誠
  }
}
