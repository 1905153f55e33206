#include "text/numbers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

using patter::detail::find_number;
using patter::detail::FoundNumber;
using patter::detail::parse_number;

namespace {

struct Parse {
  const char* text;
  double value;
};

struct Find {
  const char* text;
  std::size_t begin, end;
  double value;
};

void expect_parses(const Parse& c) {
  const std::optional<double> v = parse_number(c.text);
  ASSERT_TRUE(v.has_value()) << c.text;
  EXPECT_DOUBLE_EQ(*v, c.value) << c.text;
}

void expect_finds(const Find& c) {
  const std::optional<FoundNumber> f = find_number(c.text);
  ASSERT_TRUE(f.has_value()) << c.text;
  EXPECT_EQ(f->begin, c.begin) << c.text;
  EXPECT_EQ(f->end, c.end) << c.text;
  EXPECT_DOUBLE_EQ(f->value, c.value) << c.text;
}

// A megabyte of `piece` repeated: enough that a quadratic scan would take hours.
std::string megabyte_of(std::string_view piece) {
  std::string s;
  s.reserve((1 << 20) + piece.size());
  while (s.size() < (1 << 20)) s += piece;
  return s;
}

// Every number in `text`, found one after another; returns how many.
std::size_t count_all(std::string_view text) {
  std::size_t n = 0;
  for (auto f = find_number(text); f; f = find_number(text, f->end)) ++n;
  return n;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST(Numbers, ArabicDigits) {
  const Parse cases[] = {
      {"320", 320}, {"0", 0},        {"3,200", 3200},     {"1,234,567", 1234567},
      {"3.5", 3.5}, {"-5", -5},      {"1,234.5", 1234.5}, {"0.25", 0.25},
      {"007", 7},   {" 42 ", 42},    {"-0", 0},           {"999999999999999", 999999999999999},
      {"0.1", 0.1}, {"12.50", 12.5},
  };
  for (const auto& c : cases) expect_parses(c);
}

TEST(Numbers, ArabicDigitsWithChineseUnits) {
  const Parse cases[] = {
      {"3万", 30000},   {"2千5", 2500},    {"1万2", 12000},    {"1.5万", 15000}, {"3百", 300},
      {"10亿", 1e9},    {"3500万", 3.5e7}, {"3万2000", 32000}, {"3千2百", 3200}, {"3万5千", 35000},
      {"-5万", -50000}, {"2.5亿", 2.5e8},  {"三万5", 35000},   {"3个半", 3.5},
  };
  for (const auto& c : cases) expect_parses(c);
}

TEST(Numbers, ChineseNumerals) {
  const Parse cases[] = {
      {"零", 0},
      {"〇", 0},
      {"一", 1},
      {"二", 2},
      {"两", 2},
      {"九", 9},
      {"十", 10},
      {"十五", 15},
      {"二十", 20},
      {"二十五", 25},
      {"三百二十", 320},
      {"一百零五", 105},
      {"一千零一", 1001},
      {"一千零十", 1010},
      {"一千零五十", 1050},
      {"三万五千", 35000},
      {"一万零五百", 10500},
      {"十万", 100000},
      {"二十五万", 250000},
      {"一百万", 1e6},
      {"三千五百万", 3.5e7},
      {"一亿两千万", 1.2e8},
      {"一亿零五", 100000005},
      {"一亿五万", 100050000},
      {"一万亿", 1e12},
      {"一万两千亿", 1.2e12},
      {"九千九百九十九", 9999},
  };
  for (const auto& c : cases) expect_parses(c);
}

TEST(Numbers, ChineseColloquialTrailingDigit) {
  // A single digit right after a unit counts in the unit below it.
  const Parse cases[] = {
      {"三万五", 35000}, {"两千五", 2500},      {"一百二", 120},     {"一百一", 110},
      {"一亿五", 1.5e8}, {"三万五千二", 35200}, {"三千五万", 3.5e7},  // before 万 too
      {"一百零五", 105},                                              // but not after 零
      {"十五", 15},  // nor after 十, where it already is the ones
  };
  for (const auto& c : cases) expect_parses(c);
}

TEST(Numbers, ChineseSignsDecimalsPercentHalves) {
  const Parse cases[] = {
      {"负三", -3},        {"负三百", -300},   {"负5", -5},
      {"负零", 0},         {"三点五", 3.5},    {"零点五", 0.5},
      {"三点一四", 3.14},  {"十点五", 10.5},   {"三百二十点五", 320.5},
      {"一点五万", 15000}, {"三点零五", 3.05}, {"百分之五十", 50},
      {"百分之5", 5},      {"百分之百", 100},  {"百分之三点五", 3.5},
      {"半", 0.5},         {"一半", 0.5},      {"一个半", 1.5},
      {"两个半", 2.5},
  };
  for (const auto& c : cases) expect_parses(c);
}

TEST(Numbers, ChineseDigitRunsReadOneByOne) {
  const Parse cases[] = {
      {"一三八", 138},
      {"幺三八", 138},
      {"二〇二四", 2024},
      {"一零八六", 1086},
      {"零零七", 7},
      {"幺幺零", 110},
      {"一三八零零一三八零零零", 13800138000},  // a mobile number: 11 digits
  };
  for (const auto& c : cases) expect_parses(c);
}

TEST(Numbers, ChineseRangesGiveTheirLowerEnd) {
  const Parse cases[] = {
      {"三四百", 300},
      {"七八十", 70},
      {"两三万", 20000},
      {"一百二三十", 120},
  };
  for (const auto& c : cases) expect_parses(c);
}

TEST(Numbers, EnglishWords) {
  const Parse cases[] = {
      {"zero", 0},
      {"one", 1},
      {"nine", 9},
      {"ten", 10},
      {"thirteen", 13},
      {"nineteen", 19},
      {"twenty", 20},
      {"ninety", 90},
      {"twenty five", 25},
      {"twenty-five", 25},
      {"ninety nine", 99},
      {"a hundred", 100},
      {"one hundred", 100},
      {"two hundred and fifty", 250},
      {"two hundred fifty", 250},
      {"three hundred and five", 305},
      {"nineteen hundred", 1900},
      {"a thousand", 1000},
      {"two thousand and five", 2005},
      {"one thousand two hundred and thirty four", 1234},
      {"a million", 1e6},
      {"three million two hundred thousand", 3200000},
      {"one billion", 1e9},
      {"one point five", 1.5},
      {"two point five million", 2.5e6},
      {"minus five", -5},
      {"negative twenty", -20},
      {"one two three", 123},  // digit words in a row, as in phone numbers
      {"3 million", 3e6},
      {"2.5 million", 2.5e6},
      {"3 hundred and five", 305},
      {"minus 5", -5},
  };
  for (const auto& c : cases) expect_parses(c);
}

TEST(Numbers, EnglishWordsCountOnlyWhole) {
  const char* none[] = {"often",   "someone",    "stone",    "tenth",     "ones",
                        "anyone",  "twentyfive", "bone dry", "attention", "a lot",
                        "hundred", "thousand",   "and",      "point"};
  for (const char* text : none) {
    EXPECT_FALSE(find_number(text).has_value()) << text;
    EXPECT_FALSE(parse_number(text).has_value()) << text;
  }
  const Find found[] = {
      {"someone said one", 13, 16, 1},
      {"often ten", 6, 9, 10},
      {"我要five个", 6, 10, 5},  // CJK is not a letter: "five" is whole
  };
  for (const auto& c : found) expect_finds(c);
}

TEST(Numbers, FindTakesTheLeftmostLongestNumber) {
  const Find cases[] = {
      {"我们有三百二十个人", 9, 21, 320},
      {"about 3,200 people", 6, 11, 3200},
      {"两个", 0, 3, 2},
      {"我要十个", 6, 9, 10},
      {"一下", 0, 3, 1},  // ambiguous, and documented as such
      {"我们一起", 6, 9, 1},
      {"统一", 3, 6, 1},
      {"大概3万左右", 6, 10, 30000},
      {"预算1.5万", 6, 12, 15000},
      {"我们有七八十个人", 9, 18, 70},
      {"i need two hundred and fifty units", 7, 28, 250},
      {"twenty-five people", 0, 11, 25},
      {"call me at one three eight", 11, 26, 138},
      {"价格是负五", 9, 15, -5},
      {"百分之五十的人", 0, 15, 50},
      {"两点半见", 0, 3, 2},  // 两点 is a time, not 2.
      {"3-5个", 0, 1, 3},     // a range, not minus five
      {"it is -5 outside", 6, 8, -5},
      {"one and all", 0, 3, 1},
      {"一亿万", 0, 6, 1e8},
      {"三百三百", 0, 6, 300},  // a digit whose unit is refused is left out
      {"三万五万", 0, 6, 30000},
      {"3万20000", 0, 4, 30000},
      {"1234,567", 0, 4, 1234},
      {"1,2345", 0, 1, 1},
      {"3.", 0, 1, 3},
      {"covid-19", 6, 8, 19},
      {"万一", 3, 6, 1},  // 万 alone is no number
  };
  for (const auto& c : cases) expect_finds(c);
}

TEST(Numbers, FindFromAnOffsetWalksEveryNumber) {
  const std::string_view text = "一三八 and 3,200 或者三万五 twenty five 十十";
  const double want[] = {138, 3200, 35000, 25, 10, 10};
  std::size_t n = 0;
  for (auto f = find_number(text); f; f = find_number(text, f->end)) {
    ASSERT_LT(n, std::size(want));
    EXPECT_DOUBLE_EQ(f->value, want[n]) << n;
    EXPECT_LT(f->begin, f->end);
    ++n;
  }
  EXPECT_EQ(n, std::size(want));
  EXPECT_FALSE(find_number(text, text.size()).has_value());
  EXPECT_FALSE(find_number(text, text.size() + 100).has_value());
  EXPECT_FALSE(find_number("", 0).has_value());
  // Starting inside a character or a word finds nothing there: from byte 1,
  // 三百 is cut to 百, no number alone, and "someone" from byte 4 is no "one".
  const auto after = find_number("三百 5", 1);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->begin, 7u);
  EXPECT_FALSE(find_number("someone", 4).has_value());
}

TEST(Numbers, ParseNeedsTheWholeText) {
  const char* none[] = {"",
                        "   ",
                        "no numbers here",
                        "两个",
                        "三 百",
                        "3 200",
                        "three people",
                        "十十十",
                        "我们有三百人",
                        "两点",
                        "3点5",
                        "1.5点五",
                        "-",
                        "负",
                        "百分之",
                        "- 5",
                        "a",
                        "minus",
                        "3,20",
                        "5%"};
  for (const char* text : none) EXPECT_FALSE(parse_number(text).has_value()) << text;
  EXPECT_FALSE(find_number("no numbers here").has_value());
  EXPECT_FALSE(find_number("千万不要").has_value());  // "by all means don't"
}

TEST(Numbers, RefusesMoreThanFifteenSignificantDigits) {
  const char* none[] = {
      "1234567890123456",
      "1,234,567,890,123,456",
      "0.1234567890123456",
      "1000000000000000",
      "一二三四五六七八九零一二三四五六",
      "一千万亿",
      "九千九百九十九万亿",
      "1000万亿",
      ("one two three four five six seven eight nine "
       "zero one two three four five six"),
  };
  for (const char* text : none) {
    EXPECT_FALSE(parse_number(text).has_value()) << text;
    EXPECT_FALSE(find_number(text).has_value()) << text;
  }
  // Leading zeros are not significant.
  expect_parses({"0000000000000000000042", 42});
  // A refused run is skipped whole; the search goes on after it.
  expect_finds({"12345678901234567890 then 7", 26, 27, 7});
  expect_finds({"一二三四五六七八九零一二三四五六七个 五", 55, 58, 5});
}

TEST(Numbers, InvalidUtf8IsNotPartOfANumber) {
  const Find cases[] = {
      {"\xff"
       "12",
       1, 3, 12},
      {"12\xff"
       "3",
       0, 2, 12},
      {"\xe4\xb8"
       "三",
       2, 5, 3},                       // a cut-off character before 三
      {"三\xe4\xb8", 0, 3, 3},         // and after it
      {"\x80\x80\x80五十", 3, 9, 50},  // stray continuation bytes
      {"\xc0\xaf two", 3, 6, 2},
      {"一"
       "\xff"
       "百",
       0, 3, 1},  // the bad byte splits 一百
  };
  for (const auto& c : cases) expect_finds(c);
  EXPECT_FALSE(parse_number("\xff").has_value());
  EXPECT_FALSE(parse_number("1\xff").has_value());
  // Starting in the middle of 三 (bytes e4 b8 89) finds nothing inside it.
  EXPECT_FALSE(find_number("三", 1).has_value());
  // Every byte value, alone and around digits, is survived.
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    // Built with append: GCC 12 warns falsely (-Wrestrict) about "1" + std::string.
    std::string around_digits("1"), around_han("三");
    around_digits.append(1, c).append("2");
    around_han.append(1, c).append("十");
    const std::string texts[] = {std::string(1, c), around_digits, around_han, std::string(3, c)};
    for (const auto& t : texts) {
      (void)parse_number(t);
      (void)count_all(t);
    }
  }
}

TEST(Numbers, MegabyteInputsAreReadInLinearTime) {
  const auto start = std::chrono::steady_clock::now();

  const std::string digits = megabyte_of("1234567890");
  EXPECT_FALSE(parse_number(digits).has_value());
  EXPECT_FALSE(find_number(digits).has_value());

  const std::string zh_digits = megabyte_of("一二三四五六七八九零");
  EXPECT_FALSE(parse_number(zh_digits).has_value());
  EXPECT_FALSE(find_number(zh_digits).has_value());

  const std::string sentences = megabyte_of("我们有三百二十个人");
  EXPECT_FALSE(parse_number(sentences).has_value());
  EXPECT_EQ(count_all(sentences), sentences.size() / std::string_view("我们有三百二十个人").size());

  const std::string no_numbers = megabyte_of("不感兴趣谢谢");
  EXPECT_FALSE(find_number(no_numbers).has_value());

  const std::string tens = megabyte_of("十");
  EXPECT_EQ(count_all(tens), tens.size() / 3);

  const std::string units = megabyte_of("万千亿百点负");
  EXPECT_EQ(count_all(units), 0u);

  const std::string words = megabyte_of("someone often ");
  EXPECT_FALSE(find_number(words).has_value());

  const std::string one_word = megabyte_of("one ");  // a digit-word run of 262144 words
  EXPECT_FALSE(find_number(one_word).has_value());

  std::string grouped("1");
  grouped += megabyte_of(",000");  // not "1" + ...: GCC 12 warns falsely (-Wrestrict)
  EXPECT_FALSE(find_number(grouped).has_value());  // one long grouped run, refused whole

  const std::string garbage = megabyte_of("\xff\xe4\xb8");
  EXPECT_FALSE(find_number(garbage).has_value());

  EXPECT_LT(seconds_since(start), 10.0);  // linear: milliseconds; quadratic: hours
}
