// The literal prefilter of regex patterns: what it requires, and that
// skipping a pattern on its say-so never loses a match ICU would find.
#include <gtest/gtest.h>
#include <patter/random.hpp>

#include <unicode/regex.h>
#include <algorithm>

#include "match/pattern_filter.hpp"
#include "match/pattern_text.hpp"

namespace {

using patter::detail::may_match;
using patter::detail::required_choices;
using patter::detail::required_literals;
using V = std::vector<std::string>;

struct Case {
  const char* pattern;
  V required;
};

}  // namespace

TEST(PatternFilter, RequiresWhatEveryMatchContains) {
  const Case cases[] = {
      {"(?<age>[1-6][0-9])\\s*(岁|周岁)", {"岁"}},
      {"今年(?<age>[1-6][0-9])", {"今", "年"}},
      {"(?<age>[一二三四五六]?十[一二三四五六七八九]?)\\s*(岁|周岁)", {"十", "岁"}},
      {"(?<n>\\d+) ?(people|guests)", {"e"}},  // the branches share only "e"
      {"(?<n>\\d+) (people|persons)", {" ", "e", "o", "p"}},
      {"Call me (?:at|after) (?<t>\\d+)", {" ", "a", "c", "e", "l", "m", "t"}},  // folded
      {"bill (is )?(?<amount>\\d+)", {" ", "b", "i", "l"}},
      {"a{0,3}b", {"b"}},
      {"(?:ab)*c+", {"c"}},
      {"x{2}", {"x"}},
      {"\\.\\$", {"$", "."}},
      {"[岁年]", {}},
      {"\\p{Han}+月", {"月"}},
      {"(?=岁)岁", {"岁"}},
      {"(?!岁)年", {"年"}},
      {"(?i)岁", {}},  // flags: not followed
      {"(?x) 岁 # c", {}},
      {"\\Q岁\\E", {}},
      {"Été", {"t"}},  // letters with case beyond ASCII require nothing
      {"((", {}},      // broken: nothing
      {"岁)", {}},
      {"*岁", {}},
      {"", {}},
  };
  for (const Case& c : cases) EXPECT_EQ(required_literals(c.pattern), c.required) << c.pattern;
}

TEST(PatternFilter, MayMatchNeedsEveryCharacter) {
  EXPECT_TRUE(may_match("我今年三十岁", V{"今", "年"}));
  EXPECT_FALSE(may_match("我明年三十", V{"今", "年"}));
  EXPECT_TRUE(may_match("anything", V{}));
  EXPECT_FALSE(may_match("", V{"a"}));
}

// An alternation still requires one of its branches' characters.
TEST(PatternFilter, AlternationsRequireOneOfTheirCharacters) {
  using C = patter::detail::RequiredChoices;
  auto sorted = [](C c) {
    for (auto& any : c) std::sort(any.begin(), any.end());
    std::sort(c.begin(), c.end());
    return c;
  };
  EXPECT_EQ(sorted(required_choices("(打|拨)")), sorted(C{{"打", "拨"}}));
  EXPECT_EQ(sorted(required_choices("别再(打|拨)")), sorted(C{{"再"}, {"别"}, {"打", "拨"}}));
  EXPECT_EQ(sorted(required_choices("(今天|明天)再打")),
            sorted(C{{"天"}, {"再"}, {"打"}, {"今", "明"}}));
  EXPECT_EQ(sorted(required_choices("(打了|接到)")),
            sorted(C{{"了", "到"}, {"了", "接"}, {"打", "到"}, {"打", "接"}}));
  EXPECT_EQ(required_choices("(打|[a-z])"), C{});  // a set: nothing can be said
  EXPECT_EQ(required_literals("别再(打|拨)"), (V{"再", "别"}));
  const C choices = required_choices("(今天|明天)再打");
  EXPECT_TRUE(may_match("明天再打吧", choices));
  EXPECT_FALSE(may_match("后天再打吧", choices));
  EXPECT_FALSE(may_match("今天再说", choices));
}

// Skipping is sound: whenever the filter says "cannot", ICU agrees, on
// random texts built from the patterns' own pieces and noise.
TEST(PatternFilter, NeverSkipsAMatch) {
  const char* patterns[] = {
      "(?<age>[1-6][0-9])\\s*(岁|周岁)",
      "今年(?<age>[1-6][0-9])",
      "(?<age>[一二三四五六]?十[一二三四五六七八九]?)\\s*(岁|周岁)",
      "(?<n>\\d+) ?(people|guests)",
      "call me (?:at|after) (?<t>\\d+)",
      "bill (is )?(?<amount>\\d+)",
      "(?<day>周[一二三四五六日末]|星期[一二三四五六日天])",
      "(?<n>[0-9]+|[一二三四五六七八九十两]+)(个人|位|人)",
      "a{0,3}b|c(d|e)f",
      "(?:明天|后天)?(?<h>[0-9]{1,2})点",
      "(别|不要)(再|在)?(打|拨)",
      "(打了|打来|接了|接到)(个|次)|再(打|骚扰).{0,8}(投诉|举报)",
      "(?<d>(今天|明天)(上午|下午)?)(再|在)?(打|联系)",
  };
  const char* pieces[] = {"岁",   "周岁", "今年",   "年",     "三十", "十",   "3",    "25",
                          "61",   " ",    "people", "guests", "call", "me",   "at",   "after",
                          "bill", "is",   "周末",   "星期天", "两",   "个人", "位",   "人",
                          "b",    "cdf",  "cef",    "明天",   "点",   "12",   "好的", "嗯",
                          "不要", "别",   "再",     "打",     "拨",   "打了", "接到", "次",
                          "骚扰", "投诉", "今天",   "下午",   "联系"};
  patter::Random rng(7);
  int skipped = 0, matched = 0;
  for (const char* p : patterns) {
    const patter::detail::RequiredChoices req = required_choices(p);
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe{};
    std::unique_ptr<icu::RegexPattern> re(icu::RegexPattern::compile(
        icu::UnicodeString::fromUTF8(p), UREGEX_CASE_INSENSITIVE, pe, st));
    ASSERT_TRUE(U_SUCCESS(st)) << p;
    std::unique_ptr<icu::RegexMatcher> m(re->matcher(st));
    for (int i = 0; i < 3000; ++i) {
      std::string text;
      const int n = 1 + static_cast<int>(rng.next() % 6);
      for (int k = 0; k < n; ++k) text += pieces[rng.next() % std::size(pieces)];
      const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
      m->reset(u);
      const bool found = m->find(0, st);
      if (found) ++matched;
      if (!may_match(text, req)) {
        ++skipped;
        EXPECT_FALSE(found) << "pattern " << p << " matches \"" << text << "\" but was skipped";
      }
    }
  }
  EXPECT_GT(skipped, 5000);  // the filter does skip...
  EXPECT_GT(matched, 1000);  // ...and the texts do match often enough to tell
}

// The bits say "cannot" only where the exact test says so too, and they
// do say it; letters count in either case, Traditional characters as the
// Simplified ones patterns read.
TEST(PatternFilter, CharBitsNeverRejectWhatTheTextHolds) {
  using patter::detail::CharBits;
  auto bits = [](std::string_view text, bool zh) {
    CharBits b;
    patter::detail::pattern_chars(text, zh, b);
    return b;
  };
  const char* patterns[] = {"(别|不要)(再|在)?(打|拨)", "call me (?:at|after) (?<t>\\d+)",
                            "(?<d>(今天|明天)(上午|下午)?)(再|在)?(打|联系)",
                            "今年(?<age>[1-6][0-9])"};
  const char* pieces[] = {"别",   "不要", "再", "打",   "拨",   "今天", "明天",  "下午",
                          "联系", "今年", "25", "CALL", "me",   "At",   "after", "12",
                          "好的", "嗯",   "，", "Ａ",   "聯繫", "\xff"};
  patter::Random rng(11);
  int rejected = 0;
  for (const char* p : patterns) {
    const auto req = required_choices(p);
    const auto req_bits = patter::detail::required_bits(req);
    ASSERT_EQ(req_bits.size(), req.size());
    for (int i = 0; i < 3000; ++i) {
      std::string text;
      const int n = 1 + static_cast<int>(rng.below(6));
      for (int k = 0; k < n; ++k) text += pieces[rng.below(std::size(pieces))];
      std::string light;
      std::vector<std::uint32_t> offsets;
      const std::string_view seen = patter::detail::pattern_text(text, true, light, offsets);
      const bool may = may_match(bits(text, true), req_bits);
      if (may_match(seen, req)) {
        EXPECT_TRUE(may) << p << " on \"" << text << "\"";
      }
      rejected += !may;
    }
  }
  EXPECT_GT(rejected, 3000);
  const auto call = patter::detail::required_bits(required_choices("call me"));
  EXPECT_TRUE(may_match(bits("CALL ME", false), call));
  EXPECT_FALSE(may_match(bits("ring me", false), call));
  const auto contact = patter::detail::required_bits(required_choices("联系"));
  EXPECT_TRUE(may_match(bits("聯繫我", true), contact));  // Traditional, read as Simplified
}

// Patterns run without ICU's case folding only when nothing in them has
// case; and then ICU finds the same matches either way.
TEST(PatternFilter, CaseFoldingOnlyWhereSomethingHasCase) {
  using patter::detail::needs_case_folding;
  for (const char* p :
       {"(?<age>[1-6][0-9])\\s*(岁|周岁)", "今年(?<age>[1-6][0-9])",
        "(别|不要)(再|在)?(打|拨)(?!不|算)", "(?<!要)不要\\d{1,3}点", "[0-9一二]{1,3}\\.",
        "再(打|骚扰).{0,8}(投诉|举报)", "\\(?\\d+\\)", "，？"}) {
    EXPECT_FALSE(needs_case_folding(p)) << p;
  }
  for (const char* p : {"(?<n>\\d+) ?(people|guests)", "(?i)岁", "\\p{Lu}", "(打)\\1", "\\x{41}",
                        "\\u0041", "\\Q岁\\E", "[a-z]", "\\(?<abc>", "[(?<abc>]", "Ａ", "Été",
                        "\\N{LATIN SMALL LETTER A}", "岁\\", "(?<x"}) {
    EXPECT_TRUE(needs_case_folding(p)) << p;
  }
  // The same matches, folding or not, on texts with letters of both cases.
  const char* texts[] = {"我三十二岁了", "明天下午3点再打", "ABC 25岁",
                         "别再打了 OK",  "不要12点",        "(42)"};
  for (const char* p : {"(?<age>[1-6][0-9])\\s*(岁|周岁)", "(?<!要)不要\\d{1,3}点", "\\(?\\d+\\)",
                        "(别|不要)(再|在)?(打|拨)"}) {
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe{};
    const icu::UnicodeString up = icu::UnicodeString::fromUTF8(p);
    std::unique_ptr<icu::RegexPattern> folded(
        icu::RegexPattern::compile(up, UREGEX_CASE_INSENSITIVE, pe, st));
    std::unique_ptr<icu::RegexPattern> plain(icu::RegexPattern::compile(up, 0, pe, st));
    ASSERT_TRUE(U_SUCCESS(st)) << p;
    for (const char* t : texts) {
      const icu::UnicodeString ut = icu::UnicodeString::fromUTF8(t);
      std::unique_ptr<icu::RegexMatcher> a(folded->matcher(ut, st)), b(plain->matcher(ut, st));
      const bool fa = a->find(0, st), fb = b->find(0, st);
      ASSERT_EQ(fa, fb) << p << " on " << t;
      if (fa) {
        EXPECT_EQ(a->start(st), b->start(st)) << p << " on " << t;
        EXPECT_EQ(a->end(st), b->end(st)) << p << " on " << t;
      }
    }
  }
}
