// Times named by customers, resolved against the host's clock and zone.
#include "patter/time_mention.hpp"

#include <gtest/gtest.h>

#include <string>

#include "patter/normalizer.hpp"

namespace {

using patter::find_time;
using patter::TimeGrain;

// Shanghai has no daylight saving: local = UTC + 8.
constexpr std::int64_t kHour = 3'600'000, kMinute = 60'000, kDay = 24 * kHour;
// Tuesday 2026-12-01 00:00 in Shanghai.
constexpr std::int64_t kTuesday = 1'796'054'400'000;
constexpr const char* kShanghai = "Asia/Shanghai";

std::string normal(const std::string& said, const char* locale) {
  patter::Normalizer n({.locale = locale, .fillers = {}});
  std::string out;
  n.normalize(said, out);
  return out;
}

struct Case {
  const char* said;
  std::int64_t now;       // offset from kTuesday
  std::int64_t expected;  // offset from kTuesday
  TimeGrain grain;
};

void expect_cases(std::initializer_list<Case> cases, const char* locale) {
  for (const Case& c : cases) {
    const std::string text = normal(c.said, locale);
    const auto t = find_time(text, kTuesday + c.now, kShanghai);
    ASSERT_TRUE(t.has_value()) << c.said;
    EXPECT_EQ(t->utc_ms - kTuesday, c.expected)
        << c.said << ": " << (t->utc_ms - kTuesday) / kMinute << " minutes after Tuesday 00:00";
    EXPECT_EQ(t->grain, c.grain) << c.said;
  }
}

TEST(TimeMention, ChineseDaysPartsAndClocks) {
  const std::int64_t ten = 10 * kHour;  // Tuesday 10:00
  expect_cases(
      {
          {"那你明天下午三点半再打吧", ten, kDay + 15 * kHour + 30 * kMinute, TimeGrain::minute},
          {"明天三点", ten, kDay + 15 * kHour, TimeGrain::hour},  // 1-6 on a named day: afternoon
          {"明天上午十点", ten, kDay + 10 * kHour, TimeGrain::hour},
          {"后天晚上八点", ten, 2 * kDay + 20 * kHour, TimeGrain::hour},
          {"大后天", ten, 3 * kDay, TimeGrain::day},
          {"明天", ten, kDay, TimeGrain::day},
          {"明天下午", ten, kDay + 14 * kHour, TimeGrain::part_of_day},
          {"今晚", ten, 19 * kHour, TimeGrain::part_of_day},
          {"中午一点", ten, 13 * kHour, TimeGrain::hour},
          {"两点一刻", ten, 14 * kHour + 15 * kMinute, TimeGrain::minute},
          {"三点二十分吧", ten, 15 * kHour + 20 * kMinute, TimeGrain::minute},
          {"十一点", ten, 11 * kHour, TimeGrain::hour},  // still to come this morning
          {"八点", ten, 20 * kHour, TimeGrain::hour},    // this morning's is past
          {"下午1点", ten, 13 * kHour, TimeGrain::hour},
          {"凌晨三点", ten, kDay + 3 * kHour, TimeGrain::hour},  // past today: tomorrow's
          {"10:30再说", 9 * kHour, 10 * kHour + 30 * kMinute, TimeGrain::minute},
          {"明天下午3點", ten, kDay + 15 * kHour, TimeGrain::hour},  // Traditional, normalised
      },
      "zh-CN");
}

TEST(TimeMention, ChineseWeekdaysDatesAndOffsets) {
  const std::int64_t ten = 10 * kHour;  // Tuesday 10:00
  expect_cases(
      {
          {"周五", ten, 3 * kDay, TimeGrain::day},
          {"星期二下午", ten, 14 * kHour, TimeGrain::part_of_day},         // today, still to come
          {"星期二上午九点", ten, 7 * kDay + 9 * kHour, TimeGrain::hour},  // today's is past
          {"下周一", ten, 6 * kDay, TimeGrain::day},
          {"下个礼拜三上午", ten, 8 * kDay + 9 * kHour, TimeGrain::part_of_day},
          {"这周六", ten, 4 * kDay, TimeGrain::day},
          {"周末", ten, 4 * kDay, TimeGrain::day},
          {"5号", ten, 4 * kDay, TimeGrain::day},
          {"12月8日下午", ten, 7 * kDay + 14 * kHour, TimeGrain::part_of_day},
          {"1号", ten, 0, TimeGrain::day},  // today is the 1st
          {"两个小时以后", ten, ten + 2 * kHour, TimeGrain::hour},
          {"半小时后", ten, ten + 30 * kMinute, TimeGrain::minute},
          {"一个半小时之后", ten, ten + 90 * kMinute, TimeGrain::minute},
          {"二十分钟后", ten, ten + 20 * kMinute, TimeGrain::minute},
          {"三天后下午", ten, 3 * kDay + 14 * kHour, TimeGrain::part_of_day},
      },
      "zh-CN");
}

TEST(TimeMention, EnglishDaysPartsAndClocks) {
  const std::int64_t ten = 10 * kHour;
  expect_cases(
      {
          {"Call me tomorrow at 3 pm.", ten, kDay + 15 * kHour, TimeGrain::hour},
          {"tomorrow at 3", ten, kDay + 15 * kHour, TimeGrain::hour},
          {"at 3:30 p.m.", ten, 15 * kHour + 30 * kMinute, TimeGrain::minute},
          {"around 11am", ten, 11 * kHour, TimeGrain::hour},
          {"at 9", ten, 21 * kHour, TimeGrain::hour},
          {"at 3", 16 * kHour, kDay + 15 * kHour, TimeGrain::hour},
          {"5 o'clock", ten, 17 * kHour, TimeGrain::hour},
          {"half past four", ten, 16 * kHour + 30 * kMinute, TimeGrain::minute},
          {"quarter to 4", ten, 15 * kHour + 45 * kMinute, TimeGrain::minute},
          {"tomorrow morning", ten, kDay + 9 * kHour, TimeGrain::part_of_day},
          {"this evening", ten, 19 * kHour, TimeGrain::part_of_day},
          {"tonight at 8", ten, 20 * kHour, TimeGrain::hour},
          {"at noon", ten, 12 * kHour, TimeGrain::hour},
          {"the day after tomorrow", ten, 2 * kDay, TimeGrain::day},
          {"in the afternoon", ten, 14 * kHour, TimeGrain::part_of_day},
      },
      "en-US");
}

TEST(TimeMention, EnglishWeekdaysDatesAndOffsets) {
  const std::int64_t ten = 10 * kHour;
  expect_cases(
      {
          {"Friday", ten, 3 * kDay, TimeGrain::day},
          {"on friday afternoon", ten, 3 * kDay + 14 * kHour, TimeGrain::part_of_day},
          {"next Monday", ten, 6 * kDay, TimeGrain::day},
          {"this saturday", ten, 4 * kDay, TimeGrain::day},
          {"December 8th", ten, 7 * kDay, TimeGrain::day},
          {"the 5th of december", ten, 4 * kDay, TimeGrain::day},
          {"in 20 minutes", ten, ten + 20 * kMinute, TimeGrain::minute},
          {"in half an hour", ten, ten + 30 * kMinute, TimeGrain::minute},
          {"in an hour", ten, ten + kHour, TimeGrain::hour},
          {"in a couple of hours", ten, ten + 2 * kHour, TimeGrain::hour},
          {"2 hours from now", ten, ten + 2 * kHour, TimeGrain::hour},
          {"in 3 days", ten, 3 * kDay, TimeGrain::day},
          {"in two weeks", ten, 14 * kDay, TimeGrain::day},
          {"in 0 weeks", ten, 0, TimeGrain::day},
      },
      "en-US");
}

TEST(TimeMention, WhereTheMentionLies) {
  const std::string text = normal("那你明天下午三点半再打吧", "zh-CN");
  const auto t = find_time(text, kTuesday, kShanghai);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(text.substr(t->begin, t->end - t->begin), "明天下午三点半");
  const std::string en = normal("ok call me tomorrow at 3 pm thanks", "en-US");
  const auto e = find_time(en, kTuesday, kShanghai);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(en.substr(e->begin, e->end - e->begin), "tomorrow at 3 pm");
}

TEST(TimeMention, NoTimeWhereNoneIsNamed) {
  for (const char* said : {"我有三个孩子", "我一点都不感兴趣", "一点点", "早上好", "不需要",
                           "多少钱", "3号线", "I have 3 kids", "good morning", "call me",
                           "not interested at all", "room 12", "", "|||", "\xFF\xFE"}) {
    const std::string text = normal(said, "zh-CN");
    EXPECT_FALSE(find_time(text, kTuesday, kShanghai).has_value()) << said;
  }
}

TEST(TimeMention, DaylightSavingIsTheZones) {
  // New York, Saturday 2026-03-07 12:00 EST (UTC-5); clocks go forward on
  // Sunday 03-08, so "tomorrow at 3 pm" is 19:00 UTC, not 20:00.
  const std::int64_t saturday_noon = 1'772'902'800'000;
  const auto t = find_time("tomorrow at 3 pm", saturday_noon, "America/New_York");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->utc_ms, 1'772'996'400'000);
}

TEST(TimeMention, AnUnknownTimeZoneGivesNothing) {
  EXPECT_TRUE(patter::is_time_zone("Asia/Shanghai"));
  EXPECT_TRUE(patter::is_time_zone("UTC"));
  EXPECT_FALSE(patter::is_time_zone("Mars/Olympus"));
  EXPECT_FALSE(patter::is_time_zone(""));
  EXPECT_FALSE(find_time("明天", kTuesday, "Mars/Olympus").has_value());
}

TEST(TimeMention, HugeAndHostileTextIsReadInTime) {
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "一点";
  EXPECT_FALSE(find_time(text, kTuesday, kShanghai).has_value());
  std::string digits(100000, '9');
  EXPECT_FALSE(find_time(digits, kTuesday, kShanghai).has_value());
  std::string words;
  for (int i = 0; i < 5000; ++i) words += "in a couple of ";
  EXPECT_FALSE(find_time(words, kTuesday, kShanghai).has_value());
}

}  // namespace
