// Terminal columns by ICU's East Asian Width: what text reports pad with.
#include "text/display_width.hpp"

#include <gtest/gtest.h>

#include "tooling/columns.hpp"

namespace {

using patter::detail::display_width;

TEST(DisplayWidth, AsciiTakesOneColumnEach) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("opening"), 7u);
}

TEST(DisplayWidth, ChineseAndFullwidthTakeTwo) {
  EXPECT_EQ(display_width("开场"), 4u);
  EXPECT_EQ(display_width("转人工"), 6u);
  EXPECT_EQ(display_width("你好，"), 6u);  // fullwidth comma
  EXPECT_EQ(display_width("Ａ1"), 3u);     // fullwidth A
  EXPECT_EQ(display_width("한국"), 4u);
}

TEST(DisplayWidth, CombiningMarksTakeNone) {
  EXPECT_EQ(display_width("e\xCC\x81"), 1u);  // e + combining acute
  EXPECT_EQ(display_width("a\xE2\x80\x8B"
                          "b"),
            2u);  // zero-width space
}

TEST(DisplayWidth, TablesPadByColumnsNotCharacters) {
  // A funnel row of a Chinese node and one of an English node end in the same column.
  const std::string zh = patter::detail::pad("转人工", 10) + "|";
  const std::string en = patter::detail::pad("intro", 10) + "|";
  EXPECT_EQ(display_width(zh), display_width(en));
  EXPECT_EQ(zh, "转人工    |");
  EXPECT_EQ(patter::detail::pad_left("开场", 6), "  开场");
}

}  // namespace
