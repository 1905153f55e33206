#include <gtest/gtest.h>
#include <patter/normalizer.hpp>

#include "text/char_table.hpp"
#include "text/utf8.hpp"

namespace {
struct Case {
  const char* in;
  const char* out;
};
}  // namespace

TEST(Normalizer, ChineseRules) {
  const patter::Normalizer zh({"zh-CN", {"嗯", "啊", "呃"}});
  const Case cases[] = {
      {"不感興趣", "不感兴趣"},      // Traditional to Simplified
      {"好 的", "好的"},             // spaces between CJK go
      {"好 的！", "好的"},           // so does punctuation
      {"嗯，不感兴趣", "不感兴趣"},  // a filler standing alone goes
      {"嗯嗯，好的", "好的"},        // a run of fillers too
      {"是啊", "是啊"},              // a filler inside a word stays
      {"ＯＫ 好的",
       "ok 好的"},  // full width folds; a separator between Latin and CJK stays a space
      {"ok好的", "ok好的"},
      {"我要iPhone 15", "我要iphone 15"},
      {"  ，。 ", ""},  // only separators
      {"", ""},
      {"嗯", ""},          // only a filler
      {"１２３", "123"},   // full-width digits
      {"😀好的😀", "好的"},  // emoji are symbols: separators
      {"三百二十", "三百二十"},
      {"們", "们"},
  };
  for (const auto& c : cases) EXPECT_EQ(zh.normalize(c.in), c.out) << c.in;
}

TEST(Normalizer, EnglishRules) {
  const patter::Normalizer en({"en-US", {"um", "uh"}});
  const Case cases[] = {
      {"Um, ＯＫ... NOT interested!", "ok|not interested"},
      {"ok,sure", "ok|sure"},
      {"ok - sure", "ok sure"},
      {"  Hello   World  ", "hello world"},
      {"uh um uh", ""},
      {"umbrella", "umbrella"},                  // a filler inside a word stays
      {"Straße", "strasse"},                     // full case folding
      {"ﬁne", "fine"},                           // ligatures decompose (NFKC)
      {"don't", "don t"},                        // apostrophes separate
      {"3.5 or 3,200, ok.", "3.5 or 3,200|ok"},  // points and commas inside numbers stay
      {"１．５", "1.5"},
      {"café", "café"},
  };
  for (const auto& c : cases) EXPECT_EQ(en.normalize(c.in), c.out) << c.in;
}

TEST(Normalizer, LocaleDecidesSimplification) {
  const patter::Normalizer en({"en-US", {}});
  EXPECT_EQ(en.normalize("不感興趣"), "不感興趣");
}

TEST(Normalizer, InvalidUtf8BecomesReplacementAndIsFlagged) {
  const patter::Normalizer zh({"zh-CN", {}});
  std::string out;
  auto r = zh.normalize("好\xFF的", out);
  EXPECT_TRUE(r.invalid_utf8);
  EXPECT_EQ(out, "好的");  // U+FFFD is a symbol: it separates, like punctuation
  const patter::Normalizer en({"en-US", {}});
  en.normalize("ok\xFFsure", out);
  EXPECT_EQ(out, "ok sure");
  r = zh.normalize("\xE4\xBD", out);  // truncated sequence
  EXPECT_TRUE(r.invalid_utf8);
  r = zh.normalize("\xED\xA0\x80", out);  // surrogate
  EXPECT_TRUE(r.invalid_utf8);
  r = zh.normalize("好的", out);
  EXPECT_FALSE(r.invalid_utf8);
}

TEST(Normalizer, ControlCharactersSeparate) {
  const patter::Normalizer en({"en-US", {}});
  EXPECT_EQ(en.normalize(std::string("ok\0sure", 7)), "ok sure");
  EXPECT_EQ(en.normalize("ok\tsure\r\n"), "ok sure");
  EXPECT_EQ(en.normalize("zero\u200Bwidth"), "zerowidth");  // format characters vanish
}

TEST(Normalizer, HugeInputIsCapped) {
  const patter::Normalizer zh({"zh-CN", {}});
  std::string huge;
  for (int i = 0; i < 400000; ++i) huge += "好的";  // 2.4 MB
  std::string out;
  const auto r = zh.normalize(huge, out);
  EXPECT_TRUE(r.truncated);
  EXPECT_LE(out.size(), patter::Normalizer::kMaxBytes);
  EXPECT_EQ(out.size() % 3, 0u);  // cut between characters, never inside one
}

TEST(Normalizer, ReusesItsOutputWithoutGrowing) {
  const patter::Normalizer zh({"zh-CN", {"嗯"}});
  std::string out;
  zh.normalize("嗯，我们这个多少钱一个月呢，贵不贵啊", out);
  const auto cap = out.capacity();
  for (int i = 0; i < 1000; ++i) zh.normalize("好的好的，你说吧", out);
  EXPECT_EQ(out.capacity(), cap);
}

TEST(Normalizer, CountsTheCharactersItWrites) {
  const patter::Normalizer zh({"zh-CN", {"嗯", "um"}});
  std::string out;
  for (const char* in : {"嗯，不感興趣", "ok,sure 好的", "um, 3.5 万", "", "嗯嗯", "ﬁne ㎏"}) {
    const auto r = zh.normalize(in, out);
    std::size_t chars = 0;
    for (unsigned char c : out) chars += (c & 0xC0) != 0x80 && c != patter::Normalizer::kClauseMark;
    EXPECT_EQ(r.length, chars) << in << " -> " << out;
  }
}

// Clause marks become one '|': nothing matches or negates across it.
TEST(Normalizer, KeepsClauseBoundaries) {
  const patter::Normalizer zh({"zh-CN", {"嗯", "啊"}});
  const Case zh_cases[] = {
      {"不要了，以后别打过来", "不要了|以后别打过来"},
      {"不要了。以后别打过来！", "不要了|以后别打过来"},  // the last mark ends nothing
      {"不要了、好的；行", "不要了|好的|行"},
      {"好吧……那你说", "好吧|那你说"},  // marks in a row are one boundary
      {"不要了，嗯，以后别打",
       "不要了|以后别打"},  // a filler between clauses goes, the boundary stays
      {"不要了，嗯 以后别打", "不要了|以后别打"},
      {"不要了\n以后别打", "不要了|以后别打"},  // the host's boundary: a line break
      {"好 的", "好的"},                        // a space is no boundary
      {"3.5万，好", "3.5万|好"},                // a point inside a number is not one
      {"ＯＫ，好的", "ok|好的"},
  };
  for (const auto& c : zh_cases) EXPECT_EQ(zh.normalize(c.in), c.out) << c.in;
  const patter::Normalizer en({"en-US", {"um"}});
  EXPECT_EQ(en.normalize("No thanks, don't ever call again."), "no thanks|don t ever call again");
  EXPECT_EQ(en.normalize("No? Um, stop!"), "no|stop");
  // A script's own phrase is one run of words: joined.
  std::string out;
  en.normalize("no thanks, don't call", out, patter::Clauses::join);
  EXPECT_EQ(out, "no thanks don t call");
  // The mark is no character the customer said.
  EXPECT_EQ(zh.normalize("好，的", out).length, 2u);
}

// Characters that become several make the output longer than the input:
// it grows as needed, and every character is still there.
TEST(Normalizer, OutputLongerThanItsInput) {
  const patter::Normalizer zh({"zh-CN", {}});
  // The first letter the table expands to more bytes than it takes (such
  // as U+0149 ŉ, "ʼn"), found rather than assumed.
  char32_t c = 0x80;
  std::string one;
  for (; c < 0x10000; ++c) {
    const patter::detail::CharFate f = patter::detail::char_fate(c, true);
    one.clear();
    patter::detail::append_utf8(one, c);
    if (f.cls == patter::detail::CharClass::word && f.many.size() > one.size()) break;
  }
  ASSERT_LT(c, 0x10000u);
  const std::string expanded = zh.normalize(one);
  ASSERT_GT(expanded.size(), one.size());
  std::string in, want;
  for (int i = 0; i < 300; ++i) {
    in += one;
    want += expanded;
  }
  std::string out = "left over from before";
  const auto r = zh.normalize(in, out);
  EXPECT_EQ(out, want);
  EXPECT_EQ(r.length, 300 * zh.normalize(one, out).length);
  const patter::Normalizer en({"en-US", {}});
  EXPECT_EQ(en.normalize("\ufb01 \ufb03x \ufb01"), "fi ffix fi");  // ﬁ ﬃ
}

// A segment of fillers goes whatever the fillers' lengths, one-letter
// fillers included, and one that only begins with a filler stays.
TEST(Normalizer, FillerSegmentsOfAnyLength) {
  const patter::Normalizer en({"en-US", {"o", "um", "hmm"}});
  EXPECT_EQ(en.normalize("oum, fine"), "fine");
  EXPECT_EQ(en.normalize("o, ohmm, umo yes"), "yes");
  EXPECT_EQ(en.normalize("o"), "");
  EXPECT_EQ(en.normalize("ok, old umbrella"), "ok|old umbrella");
  const patter::Normalizer zh({"zh-CN", {"嗯", "啊", "呃"}});
  EXPECT_EQ(zh.normalize("嗯啊呃，好的"), "好的");
  EXPECT_EQ(zh.normalize("嗯好的"), "嗯好的");
}
