// The byte scans every loaded file goes through: invalid UTF-8 and control
// characters, checked against plain one-byte-at-a-time references on every
// lead byte, at every alignment of the eight-byte skips.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "text/utf8.hpp"

namespace {

using patter::detail::find_control_char;
using patter::detail::find_invalid_utf8;

std::size_t invalid_by_decoding(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    bool bad = false;
    patter::detail::decode_utf8(s, i, bad);
    if (bad) return at;
  }
  return std::string_view::npos;
}

std::size_t control_one_by_one(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
  }
  return std::string_view::npos;
}

// Bytes that matter to a decoder: ASCII, each continuation range's edges,
// each lead byte's edges, and bytes never allowed.
const unsigned char kEdges[] = {0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80,
                                0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                                0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};

TEST(Utf8, EveryLeadByteWithEdgeContinuationsAgreesWithTheDecoder) {
  // Each sequence of up to three bytes after a lead, at offsets 0..9 behind
  // ASCII or Chinese text, and cut short at the end.
  const std::string prefixes[] = {"", "abcdefg", "abcdefgh", "价格", "好的abcdefghi"};
  std::size_t checked = 0;
  for (int lead = 0; lead < 256; ++lead)
    for (unsigned char b1 : kEdges)
      for (unsigned char b2 : kEdges)
        for (unsigned char b3 : {static_cast<unsigned char>(0x80), static_cast<unsigned char>(0xBF),
                                 static_cast<unsigned char>('x')})
          for (const std::string& before : prefixes) {
            std::string s = before;
            s += static_cast<char>(lead);
            s += static_cast<char>(b1);
            s += static_cast<char>(b2);
            s += static_cast<char>(b3);
            for (std::size_t cut = before.size(); cut <= s.size(); ++cut) {
              const std::string_view v(s.data(), cut);
              ASSERT_EQ(find_invalid_utf8(v), invalid_by_decoding(v))
                  << "lead " << lead << " then " << int(b1) << " " << int(b2) << " " << int(b3)
                  << " after " << before.size() << " bytes, " << cut << " bytes in all";
              ++checked;
            }
          }
  EXPECT_GT(checked, 1000000u);
}

TEST(Utf8, TheThreeByteShortcutKeepsTheNarrowRangesOfE0AndED) {
  EXPECT_EQ(find_invalid_utf8("\xE4\xBD\xA0\xE5\xA5\xBD"), std::string_view::npos);  // 你好
  EXPECT_EQ(find_invalid_utf8("ab\xE0\x80\x80"), 2u);                                // overlong
  EXPECT_EQ(find_invalid_utf8("ab\xE0\xA0\x80"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("\xE4\xBD\xA0\xED\xA0\x80"), 3u);  // a surrogate
  EXPECT_EQ(find_invalid_utf8("\xE4\xBD\xA0\xED\x9F\xBF"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("\xE4\xBD\xA0\xE5\xA5"), 3u);  // cut short
  EXPECT_EQ(find_invalid_utf8("\xE4\xBD\xA0\xE5\xC5\xBD"), 3u);
}

TEST(Utf8, ALongTextIsJudgedAtTheRightByteWhereverTheFaultIs) {
  // ASCII, Chinese and other scripts mixed, with one bad byte moved along.
  const std::string good =
      "nodes:\n  greet:\n    say: \"您好，我是小王\"\n    routes: [{intent: affirm, to: "
      "pitch}]  # café, Ωmega, 🎉\n";
  for (std::size_t at = 0; at <= good.size(); ++at) {
    for (const char bad : {'\xFF', '\x80', '\xC0'}) {
      std::string s = good;
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), bad);
      ASSERT_EQ(find_invalid_utf8(s), invalid_by_decoding(s)) << "bad byte at " << at;
    }
  }
  EXPECT_EQ(find_invalid_utf8(good), std::string_view::npos);
}

TEST(Utf8, ControlCharactersAreFoundAtEveryPlaceInAWord) {
  const std::string text = "say: \"您好\"\n\tnext: pitch\r\n  # ok, 好的 and more text here\n";
  EXPECT_EQ(find_control_char(text), std::string_view::npos);
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at = 0; at <= text.size(); ++at) {
      std::string s = text;
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(c));
      ASSERT_EQ(find_control_char(s), control_one_by_one(s)) << "byte " << c << " at " << at;
    }
  }
}

TEST(Utf8, ControlCharactersAreFoundInShortAndEmptyText) {
  EXPECT_EQ(find_control_char(""), std::string_view::npos);
  EXPECT_EQ(find_control_char(std::string_view("\0", 1)), 0u);
  EXPECT_EQ(find_control_char("abc\x7F"), 3u);
  EXPECT_EQ(find_control_char("\t\n\r"), std::string_view::npos);
  EXPECT_EQ(find_control_char("abcdefgh\x1B"), 8u);
  EXPECT_EQ(find_control_char("\xE5\x9C\x9F\xC2\x80\x01"), 5u);  // only ASCII controls count
}

}  // namespace
