// patter/time_mention.hpp — a time the customer names, as a moment on the host's clock.
//
//   // Tuesday 2026-12-01 10:00 in Shanghai
//   const std::int64_t now = 1'796'090'400'000;
//   auto t = patter::find_time("那你明天下午三点半再打吧", now, "Asia/Shanghai");
//   // t->utc_ms: Wednesday 2026-12-02 15:30 Shanghai time; t->grain == TimeGrain::minute;
//   // t->begin, t->end: the bytes of "明天下午三点半"
//
//   patter::find_time("call me tomorrow at 3 pm", now, "America/New_York");
//   patter::find_time("下周二上午", now, "Asia/Shanghai");   // grain part_of_day, 09:00
//   patter::find_time("in half an hour", now, "Europe/London");  // now + 30 minutes
//   patter::find_time("我有三个孩子", now, "Asia/Shanghai");   // nullopt: no time named
//
// The text is what the Normalizer makes of the customer's words (lower
// case, Simplified, "3:30" as "3 30"); Chinese and English are both read,
// whatever the script's locale. What is read:
//   days      今天 明天 后天 大后天 N天后; today tomorrow tonight, the day after
//             tomorrow, in N days; 周一…周日 星期X 礼拜X 周末 with 这/本/下(个);
//             monday…sunday, weekend, with this/next/on; dates: 3月5号 5号,
//             march 5, 5th of march, the 5th
//   parts     凌晨 早上 上午 中午 下午 傍晚 晚上 夜里; morning noon afternoon
//             evening night (and 今晚 明早 明晚 tonight)
//   clock     三点 3点 十点半 两点一刻 3点20(分) 10 30 十二点; at 3, 3 pm, 3 p m,
//             3 o clock, 10 30, half past 3, quarter past/to 4, noon, midnight
//   from now  N小时后 半小时后 一个半小时以后 N分钟之后; in N minutes/hours,
//             in half an hour, in an hour, N hours from now
// An English number alone ("I have 3 kids") is no time: it needs "at",
// am/pm or o'clock; 一点 alone is "a little" (一点都不), no time, unless a
// day or part of the day comes before it. Greetings (早上好, "good
// morning") name no time.
//
// How a mention becomes a moment, in the time zone given (IANA, e.g.
// "Asia/Shanghai"; daylight saving as ICU knows it):
//   - a part of the day moves the clock: 下午三点 and "3 in the afternoon"
//     are 15:00, 晚上八点 20:00, 中午一点 13:00; "3 pm" says it itself;
//   - a clock with neither is taken in the half of the day still to come
//     (at 10:00, 三点 is 15:00 today and 十一点 11:00; at 16:00, "at 3" is
//     15:00 tomorrow), and 1 to 6 on a named day are afternoon hours
//     (明天三点 is 15:00): no one asks to be called back at three at night;
//   - a part of the day without a clock starts at 05:00 (凌晨), 09:00
//     (morning), 12:00 (noon), 14:00 (afternoon), 19:00 (evening) or 21:00
//     (night), grain
//     part_of_day; a day alone starts at 00:00, grain day;
//   - a weekday is the next one to come (today if the time named is still
//     ahead); 下周X and "next X" are that day of next week (weeks start on
//     Monday); a date past this year is next year's;
//   - without a day, a clock or part of the day already past today is
//     tomorrow's.
// The first mention in the text is taken, with every part of it that lies
// close by ("明天 下午 三点", "tomorrow afternoon at 3"). Pure function:
// no allocation beyond ICU's own, no state; an unknown time zone gives
// nullopt (check it once with `is_time_zone`).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace patter {

/// How precisely a time was named.
enum class TimeGrain : std::uint8_t {
  day,          ///< 明天, "on Friday": the day's start, 00:00
  part_of_day,  ///< 明天下午, "tomorrow morning": the part's usual start
  hour,         ///< 三点, "at 3 pm"
  minute,       ///< 三点半, "at 3 30", "in 20 minutes"
};

struct TimeMention {
  std::int64_t utc_ms = 0;  ///< the moment meant, milliseconds since 1970 UTC
  TimeGrain grain = TimeGrain::day;
  std::uint32_t begin = 0, end = 0;  ///< the bytes of the text that named it
};

/// The first time named in `normalized` text, resolved against `now_ms`
/// (the host's clock, milliseconds since 1970 UTC) in `time_zone`.
std::optional<TimeMention> find_time(std::string_view normalized, std::int64_t now_ms,
                                     std::string_view time_zone);

/// Whether ICU knows `time_zone` ("Asia/Shanghai", "America/New_York", "UTC").
bool is_time_zone(std::string_view time_zone);

}  // namespace patter
