// Times named by customers (patter/time_mention.hpp): a scan for the parts
// of one mention (day, part of the day, clock, or an offset from now), then
// ICU's calendar to turn local fields of the host's time zone into UTC.
#include "patter/time_mention.hpp"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>

#include "text/numbers.hpp"

namespace patter {
namespace {

enum class DayPart : std::uint8_t { none, early, morning, noon, afternoon, evening, night };

// The parts of one mention, each as the text gave it.
struct Parts {
  int day_offset = -1;  // days after today, or -1
  int weekday = 0;      // 1 Monday ... 7 Sunday, or 0
  int week = -1;        // with weekday: 0 this week, 1 next week, -1 the next one to come
  int month = 0;        // 1-12, or 0
  int month_day = 0;    // 1-31, or 0
  DayPart part = DayPart::none;
  int hour = -1;     // 0-24, or -1
  int minute = -1;   // 0-59, or -1 (on the hour)
  int meridiem = 0;  // 1 am, 2 pm, 0 not said
  std::int64_t from_now_ms = -1;
  bool from_now_minutes = false;

  bool has_day() const { return day_offset >= 0 || weekday != 0 || month_day != 0; }
};

// ---- reading ----------------------------------------------------------------

struct Cursor {
  std::string_view t;
  std::size_t at;

  bool take(std::string_view word) {
    if (t.substr(at, word.size()) != word) return false;
    at += word.size();
    return true;
  }
  template <std::size_t N>
  int take_any(const std::array<std::string_view, N>& words) {  // index + 1, or 0
    for (std::size_t i = 0; i < N; ++i)
      if (take(words[i])) return static_cast<int>(i) + 1;
    return 0;
  }
  bool done() const { return at >= t.size(); }
  void spaces() {
    while (at < t.size() && t[at] == ' ') ++at;
  }
  // An English word ends here: the text ends, or a space or clause mark follows.
  bool word_end() const { return at >= t.size() || t[at] == ' ' || t[at] == '|'; }
  bool take_word(std::string_view word) {
    const std::size_t from = at;
    if (take(word) && word_end()) return true;
    at = from;
    return false;
  }
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Digits, or Chinese numerals (零〇一二两三四五六七八九十廿), read as one number.
int take_zh_number(Cursor& c) {
  static constexpr std::array<std::string_view, 13> kNumerals = {
      "零", "〇", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十"};
  const std::size_t from = c.at;
  if (!c.done() && is_digit(c.t[c.at])) {
    while (!c.done() && is_digit(c.t[c.at]) && c.at - from < 4) ++c.at;
  } else {
    while (c.at - from < 18 && c.take_any(kNumerals) != 0) {
    }
  }
  if (c.at == from) return -1;
  const auto n = detail::parse_number(c.t.substr(from, c.at - from));
  if (!n || *n < 0 || *n > 9999) {
    c.at = from;
    return -1;
  }
  return static_cast<int>(*n);
}

// An English number of one word ("3", "twelve", "twenty") or two ("forty five").
int take_en_number(Cursor& c, bool articles = false) {
  const std::size_t from = c.at;
  if (articles && (c.take_word("a") || c.take_word("an"))) return 1;
  auto word_at = [&](std::size_t b) {
    std::size_t e = b;
    while (e < c.t.size() && c.t[e] != ' ' && c.t[e] != '|') ++e;
    return e;
  };
  const std::size_t e1 = word_at(from);
  if (e1 == from) return -1;
  if (e1 + 1 < c.t.size() && c.t[e1] == ' ') {  // "forty five"
    const std::size_t e2 = word_at(e1 + 1);
    if (const auto n = detail::parse_number(c.t.substr(from, e2 - from)); n && *n < 100) {
      const auto first = detail::parse_number(c.t.substr(from, e1 - from));
      if (first && *first >= 20 && static_cast<int>(*first) % 10 == 0) {
        c.at = e2;
        return static_cast<int>(*n);
      }
    }
  }
  const auto n = detail::parse_number(c.t.substr(from, e1 - from));
  if (!n || *n < 0 || *n > 9999 || *n != static_cast<int>(*n)) return -1;
  c.at = e1;
  return static_cast<int>(*n);
}

// ---- Chinese ----------------------------------------------------------------

bool zh_from_now(Cursor& c, Parts& p) {
  const std::size_t from = c.at;
  int n = take_zh_number(c);
  c.take("个");
  const bool half = c.take("半");
  if (n < 0 && !half) return false;
  if (n < 0) n = 0;
  static constexpr std::array<std::string_view, 9> kUnits = {
      "小时", "钟头", "个钟", "分钟", "刻钟", "天", "个星期", "星期", "周"};
  const int unit = c.take_any(kUnits);
  static constexpr std::array<std::string_view, 4> kAfter = {"以后", "之后", "过后", "后"};
  if (unit == 0 || c.take_any(kAfter) == 0) {
    c.at = from;
    return false;
  }
  const std::int64_t minute = 60'000, hour = 60 * minute;
  if (unit <= 3) {
    p.from_now_ms = n * hour + (half ? 30 * minute : 0);
    p.from_now_minutes = half;
  } else if (unit == 4) {
    p.from_now_ms = n * minute + (half ? 30'000 : 0);
    p.from_now_minutes = true;
  } else if (unit == 5) {
    p.from_now_ms = (n == 0 ? 1 : n) * 15 * minute;
    p.from_now_minutes = true;
  } else {
    p.day_offset = unit == 6 ? n : 7 * n;
  }
  if (unit <= 4 && p.from_now_ms == 0) {  // "0小时后": no time
    c.at = from;
    p.from_now_ms = -1;
    return false;
  }
  return true;
}

bool zh_day(Cursor& c, Parts& p) {
  struct Word {
    std::string_view text;
    int offset;
    DayPart part;
  };
  static constexpr std::array<Word, 14> kWords = {{
      {"大后天", 3, DayPart::none},
      {"后天", 2, DayPart::none},
      {"明天", 1, DayPart::none},
      {"明日", 1, DayPart::none},
      {"明儿", 1, DayPart::none},
      {"明早", 1, DayPart::morning},
      {"明晚", 1, DayPart::evening},
      {"今天", 0, DayPart::none},
      {"今日", 0, DayPart::none},
      {"今儿", 0, DayPart::none},
      {"今早", 0, DayPart::morning},
      {"今晚", 0, DayPart::evening},
      {"当天", 0, DayPart::none},
      {"今个", 0, DayPart::none},
  }};
  for (const Word& w : kWords) {
    if (c.take(w.text)) {
      p.day_offset = w.offset;
      if (w.part != DayPart::none) p.part = w.part;
      return true;
    }
  }
  return false;
}

bool zh_weekday(Cursor& c, Parts& p) {
  const std::size_t from = c.at;
  static constexpr std::array<std::string_view, 6> kWhich = {"下个", "下", "这个",
                                                             "这",   "本", "上"};
  const int which = c.take_any(kWhich);
  static constexpr std::array<std::string_view, 3> kWeek = {"星期", "礼拜", "周"};
  static constexpr std::array<std::string_view, 9> kDays = {"一", "二", "三", "四", "五",
                                                            "六", "日", "天", "末"};
  int day = 0;
  if (c.take_any(kWeek) == 0 || (day = c.take_any(kDays)) == 0 || which == 6) {
    c.at = from;
    return false;
  }
  p.weekday = std::min(day, 7) - (day == 9 ? 1 : 0);  // 日 天 Sunday, 末 Saturday
  p.week = which == 0 ? -1 : which <= 2 ? 1 : 0;
  return true;
}

bool zh_date(Cursor& c, Parts& p) {
  const std::size_t from = c.at;
  int month = 0, day = take_zh_number(c);
  if (day > 0 && c.take("月")) {
    month = day;
    day = take_zh_number(c);
  }
  static constexpr std::array<std::string_view, 6> kNotADate = {"线", "楼", "码", "房", "室", "门"};
  if (day < 1 || day > 31 || month > 12 || !(c.take("号") || c.take("日")) ||
      c.take_any(kNotADate) != 0) {  // 3号线 is a metro line
    c.at = from;
    return false;
  }
  p.month = month;
  p.month_day = day;
  return true;
}

bool zh_part(Cursor& c, Parts& p) {
  struct Word {
    std::string_view text;
    DayPart part;
  };
  static constexpr std::array<Word, 13> kWords = {{
      {"凌晨", DayPart::early},
      {"早上", DayPart::morning},
      {"早晨", DayPart::morning},
      {"清早", DayPart::morning},
      {"上午", DayPart::morning},
      {"中午", DayPart::noon},
      {"晌午", DayPart::noon},
      {"下午", DayPart::afternoon},
      {"午后", DayPart::afternoon},
      {"傍晚", DayPart::evening},
      {"晚上", DayPart::evening},
      {"晚间", DayPart::evening},
      {"夜里", DayPart::night},
  }};
  for (const Word& w : kWords) {
    const std::size_t from = c.at;
    if (c.take(w.text)) {
      if (c.t.substr(c.at, 3) == "好") {  // 早上好, 晚上好: a greeting, no time
        c.at = from;
        return false;
      }
      p.part = w.part;
      return true;
    }
  }
  return false;
}

// 三点, 十点半, 两点一刻, 3点20(分), 10 30 (what "10:30" normalises to).
bool zh_clock(Cursor& c, Parts& p, bool after_time_word) {
  const std::size_t from = c.at;
  const int hour = take_zh_number(c);
  if (hour < 0 || hour > 24) {
    c.at = from;
    return false;
  }
  if (c.at - from <= 2 && c.t.substr(c.at, 1) == " " && c.at + 3 <= c.t.size() &&
      is_digit(c.t[c.at + 1]) && is_digit(c.t[c.at + 2]) &&
      (c.at + 3 == c.t.size() || !is_digit(c.t[c.at + 3]))) {
    const int minute = (c.t[c.at + 1] - '0') * 10 + (c.t[c.at + 2] - '0');
    if (minute < 60) {
      c.at += 3;
      p.hour = hour;
      p.minute = minute;
      return true;
    }
  }
  if (!(c.take("点钟") || c.take("点") || c.take("时"))) {
    c.at = from;
    return false;
  }
  int minute = -1;
  if (c.take("半")) {
    minute = 30;
  } else if (c.take("一刻")) {
    minute = 15;
  } else if (c.take("三刻")) {
    minute = 45;
  } else {
    const std::size_t mark = c.at;
    const int m = take_zh_number(c);
    if (m >= 0 && m < 60 && c.t.substr(c.at, 3) != "点") {  // not 一点一点
      c.take("分");
      minute = m;
    } else {
      c.at = mark;
    }
  }
  // 一点 is also "a little" (一点都不, 一点点): on its own it is no clock.
  const std::string_view said = c.t.substr(from, c.at - from);
  if ((said == "一点" || said == "1点") && !after_time_word) {
    c.at = from;
    return false;
  }
  p.hour = hour;
  p.minute = minute;
  return true;
}

// ---- English ----------------------------------------------------------------

constexpr std::array<std::string_view, 7> kEnWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 12> kEnMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

bool en_from_now(Cursor& c, Parts& p) {
  const std::size_t from = c.at;
  const bool in = c.take_word("in");
  if (in) c.spaces();
  int n = -1;
  bool half = false;
  if (in && c.take_word("half")) {
    c.spaces();
    if (!(c.take_word("an") || c.take_word("a"))) {
      c.at = from;
      return false;
    }
    c.spaces();
    half = true;
    n = 0;
  } else if (in && c.take_word("a")) {
    c.spaces();
    if (c.take_word("couple")) {
      c.spaces();
      c.take_word("of");
      c.spaces();
      n = 2;
    } else {
      n = 1;
    }
  } else {
    n = take_en_number(c, in);
    c.spaces();
  }
  if (n < 0) {
    c.at = from;
    return false;
  }
  static constexpr std::array<std::string_view, 11> kUnits = {
      "minutes", "minute", "mins", "min", "hours", "hour", "hrs", "days", "day", "weeks", "week"};
  int unit = 0;
  for (std::size_t i = 0; i < kUnits.size() && unit == 0; ++i)
    if (c.take_word(kUnits[i])) unit = static_cast<int>(i) + 1;
  if (unit == 0) {
    c.at = from;
    return false;
  }
  if (!in) {  // "2 hours from now"
    c.spaces();
    if (!c.take_word("from")) {
      c.at = from;
      return false;
    }
    c.spaces();
    if (!c.take_word("now")) {
      c.at = from;
      return false;
    }
  }
  const std::int64_t minute = 60'000, hour = 60 * minute;
  if (unit <= 4) {
    p.from_now_ms = n * minute;
    p.from_now_minutes = true;
  } else if (unit <= 7) {
    p.from_now_ms = half ? 30 * minute : n * hour;
    p.from_now_minutes = half;
  } else {
    p.day_offset = unit <= 9 ? n : 7 * n;  // "in 0 days": today
    return true;
  }
  if (p.from_now_ms <= 0) {
    p.from_now_ms = -1;
    c.at = from;
    return false;
  }
  return true;
}

bool en_day(Cursor& c, Parts& p) {
  const std::size_t from = c.at;
  const bool the = c.take_word("the");
  if (the) c.spaces();
  if (c.take_word("day")) {
    c.spaces();
    if (c.take_word("after")) {
      c.spaces();
      if (c.take_word("tomorrow")) {
        p.day_offset = 2;
        return true;
      }
    }
    c.at = from;
    return false;
  }
  if (the) {
    c.at = from;
    return false;
  }
  if (c.take_word("today")) {
    p.day_offset = 0;
  } else if (c.take_word("tonight")) {
    p.day_offset = 0;
    p.part = DayPart::evening;
  } else if (c.take_word("tomorrow") || c.take_word("tmrw") || c.take_word("tomorow")) {
    p.day_offset = 1;
  } else {
    return false;
  }
  return true;
}

bool en_weekday(Cursor& c, Parts& p) {
  const std::size_t from = c.at;
  int week = -1;
  if (c.take_word("next")) {
    week = 1;
  } else if (c.take_word("this") || c.take_word("coming")) {
    week = 0;
  }
  if (week >= 0) c.spaces();
  int day = 0;
  for (std::size_t i = 0; i < kEnWeekdays.size() && day == 0; ++i)
    if (c.take_word(kEnWeekdays[i])) day = static_cast<int>(i) + 1;
  if (day == 0 && c.take_word("weekend")) day = 6;
  if (day == 0) {
    c.at = from;
    return false;
  }
  p.weekday = day;
  p.week = week;
  return true;
}

// "5th", "5": a day of the month; with `ordinal`, only "5th".
int take_month_day(Cursor& c, bool ordinal) {
  const std::size_t from = c.at;
  int n = 0;
  while (!c.done() && is_digit(c.t[c.at]) && c.at - from < 2) n = n * 10 + (c.t[c.at++] - '0');
  if (c.at == from) return 0;
  static constexpr std::array<std::string_view, 4> kSuffixes = {"st", "nd", "rd", "th"};
  const bool suffix = c.take_any(kSuffixes) != 0;
  if (!c.word_end() || n < 1 || n > 31 || (ordinal && !suffix)) {
    c.at = from;
    return 0;
  }
  return n;
}

bool en_date(Cursor& c, Parts& p) {
  const std::size_t from = c.at;
  for (std::size_t i = 0; i < kEnMonths.size(); ++i) {  // "march 5", "march 5th"
    if (!c.take_word(kEnMonths[i])) continue;
    c.spaces();
    c.take_word("the");
    c.spaces();
    if (const int d = take_month_day(c, false)) {
      p.month = static_cast<int>(i) + 1;
      p.month_day = d;
      return true;
    }
    c.at = from;
    return false;
  }
  if (c.take_word("the")) c.spaces();
  const int d = take_month_day(c, true);
  if (d == 0) {
    c.at = from;
    return false;
  }
  const std::size_t mark = c.at;  // "5th of march"
  c.spaces();
  if (c.take_word("of")) {
    c.spaces();
    for (std::size_t i = 0; i < kEnMonths.size(); ++i) {
      if (c.take_word(kEnMonths[i])) {
        p.month = static_cast<int>(i) + 1;
        p.month_day = d;
        return true;
      }
    }
  }
  c.at = mark;
  p.month_day = d;
  return true;
}

bool en_part(Cursor& c, Parts& p) {
  struct Word {
    std::string_view text;
    DayPart part;
  };
  static constexpr std::array<Word, 7> kWords = {{
      {"morning", DayPart::morning},
      {"noon", DayPart::noon},
      {"lunchtime", DayPart::noon},
      {"afternoon", DayPart::afternoon},
      {"evening", DayPart::evening},
      {"night", DayPart::night},
      {"midnight", DayPart::night},
  }};
  for (const Word& w : kWords) {
    if (c.take_word(w.text)) {
      p.part = w.part;
      if (p.hour < 0 && (w.text == "noon" || w.text == "midnight")) {
        p.hour = w.text == "noon" ? 12 : 24;
        if (w.text == "midnight") p.part = DayPart::none;
      }
      return true;
    }
  }
  return false;
}

// The word that starts at `at`: [at, end).
std::size_t word_end_at(std::string_view t, std::size_t at) {
  while (at < t.size() && t[at] != ' ' && t[at] != '|') ++at;
  return at;
}

// am / pm or o'clock after a clock ("3 pm", "3 p m", "3 p.m.", "3 o'clock"):
// 1 am, 2 pm, 3 o'clock, 0 none; the cursor moves past it.
int take_meridiem(Cursor& c) {
  std::size_t at = c.at;
  while (at < c.t.size() && c.t[at] == ' ') ++at;
  const std::size_t e1 = word_end_at(c.t, at);
  const std::string_view w1 = c.t.substr(at, e1 - at);
  const std::size_t e2 = e1 < c.t.size() ? word_end_at(c.t, e1 + 1) : e1;
  const std::string_view w2 = e1 < c.t.size() ? c.t.substr(e1 + 1, e2 - e1 - 1) : "";
  int said = 0;
  std::size_t end = e1;
  if (w1 == "am" || w1 == "pm") {
    said = w1 == "am" ? 1 : 2;
  } else if ((w1 == "a" || w1 == "p") && w2 == "m") {
    said = w1 == "a" ? 1 : 2;
    end = e2;
  } else if (w1 == "o" && w2 == "clock") {
    said = 3;
    end = e2;
  }
  if (said != 0) c.at = end;
  return said;
}

bool en_clock(Cursor& c, Parts& p) {
  const std::size_t from = c.at;
  bool said = false;  // "at", am/pm or o'clock: an English number alone is no time
  static constexpr std::array<std::string_view, 5> kBefore = {"at", "around", "about", "by",
                                                              "after"};
  for (const std::string_view w : kBefore) {
    if (c.take_word(w)) {
      said = true;
      c.spaces();
      break;
    }
  }
  int minute = -1, hour_shift = 0, meridiem = 0;
  if (c.take_word("half")) {  // "half past 3", "quarter to 4"
    minute = 30;
  } else if (c.take_word("quarter")) {
    minute = 15;
  }
  if (minute >= 0) {
    c.spaces();
    if (minute == 15 && c.take_word("to")) {
      minute = 45;
      hour_shift = -1;
    } else if (!c.take_word("past")) {
      c.at = from;
      return false;
    }
    c.spaces();
    said = true;
  }
  // The hour: digits glued to am/pm ("3pm"), or a number.
  const std::size_t hour_at = c.at;
  int hour = 0;
  while (!c.done() && is_digit(c.t[c.at]) && c.at - hour_at < 2)
    hour = hour * 10 + (c.t[c.at++] - '0');
  if (c.at > hour_at && (c.take("am") || c.take("pm")) && c.word_end()) {
    meridiem = c.t[c.at - 2] == 'a' ? 1 : 2;
  } else {
    c.at = hour_at;
    hour = take_en_number(c);
  }
  if (hour < 0 || hour > 24) {
    c.at = from;
    return false;
  }
  if (minute < 0 && c.at + 3 <= c.t.size() && c.t[c.at] == ' ' && is_digit(c.t[c.at + 1]) &&
      is_digit(c.t[c.at + 2]) && (c.at + 3 == c.t.size() || !is_digit(c.t[c.at + 3]))) {
    const int m = (c.t[c.at + 1] - '0') * 10 + (c.t[c.at + 2] - '0');  // "10 30", from "10:30"
    if (m < 60) {
      minute = m;
      c.at += 3;
    }
  }
  if (meridiem == 0) meridiem = take_meridiem(c);
  if (!said && meridiem == 0) {
    c.at = from;
    return false;
  }
  p.hour = (hour + hour_shift + 24) % 24;
  p.minute = minute;
  p.meridiem = meridiem == 3 ? 0 : meridiem;
  return true;
}

// ---- the mention ------------------------------------------------------------

// One part of a mention at the cursor, in Chinese or English; false if none.
bool read_part(Cursor& c, Parts& p, bool after_time_word) {
  const unsigned char lead = static_cast<unsigned char>(c.t[c.at]);
  const bool word_start = c.at == 0 || c.t[c.at - 1] == ' ' || c.t[c.at - 1] == '|' ||
                          static_cast<unsigned char>(c.t[c.at - 1]) >= 0x80;
  if (lead >= 0x80 || is_digit(c.t[c.at])) {
    if (p.from_now_ms < 0 && p.day_offset < 0 && zh_from_now(c, p)) return true;
    if (!p.has_day() && (zh_day(c, p) || zh_weekday(c, p) || zh_date(c, p))) return true;
    if (p.part == DayPart::none && zh_part(c, p)) return true;
    if (p.hour < 0 && zh_clock(c, p, after_time_word)) return true;
  }
  if (!word_start || lead >= 0x80) return false;
  if (p.from_now_ms < 0 && p.day_offset < 0 && en_from_now(c, p)) return true;
  if (!p.has_day() && (en_day(c, p) || en_weekday(c, p) || en_date(c, p))) return true;
  if (p.hour < 0 && en_clock(c, p)) return true;
  const std::size_t from = c.at;  // "in the afternoon", "this evening"
  if (c.take_word("in") || c.take_word("this") || c.take_word("the")) {
    c.spaces();
    c.take_word("the");
    c.spaces();
  }
  // "good morning" greets; it names no time.
  const bool greeting = from >= 5 && c.t.substr(from - 5, 5) == "good ";
  if (p.part == DayPart::none && !greeting && en_part(c, p)) return true;
  c.at = from;
  return false;
}

std::size_t char_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// The parts of the first mention, and the bytes it spans.
struct Mention {
  Parts parts;
  std::size_t begin = 0, end = 0;
};

// The first mention in `t`; nullopt if none.
std::optional<Mention> read_mention(std::string_view t) {
  constexpr std::size_t kGap = 9;  // bytes between parts of one mention: "的话", "at the"
  Parts p;
  std::size_t begin = std::string_view::npos, end = 0;
  Cursor c{t, 0};
  while (!c.done()) {
    if (begin != std::string_view::npos && (c.at - end > kGap || t[c.at] == '|')) break;
    const std::size_t from = c.at;
    if (read_part(c, p, begin != std::string_view::npos)) {
      if (begin == std::string_view::npos) begin = from;
      end = c.at;
      continue;
    }
    c.at += std::min(char_length(static_cast<unsigned char>(t[c.at])), t.size() - c.at);
  }
  if (begin == std::string_view::npos) return std::nullopt;
  return Mention{p, begin, end};
}

// ---- the moment ---------------------------------------------------------------

// Local fields of a time zone to UTC and back, through ICU's calendar.
class LocalCalendar {
 public:
  explicit LocalCalendar(std::string_view zone) {
    std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
        icu::StringPiece(zone.data(), static_cast<int>(zone.size())))));
    if (!tz || *tz == icu::TimeZone::getUnknown()) return;
    UErrorCode st = U_ZERO_ERROR;
    cal_ = std::make_unique<icu::GregorianCalendar>(tz.release(), st);
    if (U_FAILURE(st)) cal_.reset();
  }
  bool ok() const { return cal_ != nullptr; }

  struct Day {
    int year, month, day, weekday;  // month 1-12; weekday 1 Monday ... 7 Sunday
  };
  Day day_of(std::int64_t ms, int* hour = nullptr, int* minute = nullptr) {
    UErrorCode st = U_ZERO_ERROR;
    cal_->setTime(static_cast<UDate>(ms), st);
    const int wd = cal_->get(UCAL_DAY_OF_WEEK, st);  // 1 Sunday ... 7 Saturday
    if (hour) *hour = cal_->get(UCAL_HOUR_OF_DAY, st);
    if (minute) *minute = cal_->get(UCAL_MINUTE, st);
    return {cal_->get(UCAL_YEAR, st), cal_->get(UCAL_MONTH, st) + 1, cal_->get(UCAL_DATE, st),
            wd == 1 ? 7 : wd - 1};
  }
  /// `days` after the given day, at hour:minute on the local clock, in UTC ms.
  std::int64_t at(const Day& d, int days, int hour, int minute) {
    UErrorCode st = U_ZERO_ERROR;
    cal_->clear();
    cal_->set(d.year, d.month - 1, d.day + days, hour, minute, 0);  // lenient: 24:00 is tomorrow
    return static_cast<std::int64_t>(cal_->getTime(st));
  }

 private:
  std::unique_ptr<icu::GregorianCalendar> cal_;
};

int part_start(DayPart part) {
  switch (part) {
    case DayPart::early: return 5;
    case DayPart::morning: return 9;
    case DayPart::noon: return 12;
    case DayPart::afternoon: return 14;
    case DayPart::evening: return 19;
    case DayPart::night: return 21;
    case DayPart::none: break;
  }
  return 0;
}

// The hour a clock means in a part of the day ("下午三点" is 15), or -1
// when nothing says which half of the day.
int hour_in_part(const Parts& p) {
  const int h = p.hour;
  if (p.meridiem == 2) return h < 12 ? h + 12 : h;
  if (p.meridiem == 1) return h == 12 ? 0 : h;
  switch (p.part) {
    case DayPart::afternoon:
    case DayPart::evening: return h < 12 ? h + 12 : h;
    case DayPart::noon: return h <= 5 ? h + 12 : h;
    case DayPart::night: return h >= 6 && h < 12 ? h + 12 : h;
    case DayPart::early:
    case DayPart::morning: return h;
    case DayPart::none: break;
  }
  return h >= 12 ? h : -1;
}

// Which day, counted from today: a day offset, a weekday, or a date.
int day_from_today(const Parts& p, LocalCalendar& cal, const LocalCalendar::Day& today) {
  if (p.day_offset >= 0) return p.day_offset;
  if (p.weekday != 0) {
    if (p.week >= 0) return 7 * p.week + p.weekday - today.weekday;
    return (p.weekday - today.weekday + 7) % 7;
  }
  // A date: this month's or this year's if still to come, else the next.
  int year = today.year, month = p.month != 0 ? p.month : today.month;
  const bool passed = month < today.month || (month == today.month && p.month_day < today.day);
  if (passed && p.month != 0) ++year;
  if (passed && p.month == 0 && ++month > 12) {
    month = 1;
    ++year;
  }
  // Noon to noon: whole days, whatever daylight saving does at night.
  const std::int64_t noon_then = cal.at({year, month, p.month_day, 0}, 0, 12, 0);
  const std::int64_t noon_today = cal.at(today, 0, 12, 0);
  return static_cast<int>((noon_then - noon_today + 43'200'000) / 86'400'000);
}

}  // namespace

bool is_time_zone(std::string_view time_zone) {
  return LocalCalendar(time_zone).ok();
}

std::optional<TimeMention> find_time(std::string_view normalized, std::int64_t now_ms,
                                     std::string_view time_zone) {
  const auto mention = read_mention(normalized);
  if (!mention) return std::nullopt;
  LocalCalendar cal(time_zone);
  if (!cal.ok()) return std::nullopt;
  const Parts& p = mention->parts;
  TimeMention out;
  out.begin = static_cast<std::uint32_t>(mention->begin);
  out.end = static_cast<std::uint32_t>(mention->end);
  if (p.from_now_ms > 0) {
    out.utc_ms = now_ms + p.from_now_ms;
    out.grain = p.from_now_minutes ? TimeGrain::minute : TimeGrain::hour;
    return out;
  }
  int now_hour = 0, now_minute = 0;
  const LocalCalendar::Day today = cal.day_of(now_ms, &now_hour, &now_minute);
  const bool named_day = p.has_day();
  int day = named_day ? day_from_today(p, cal, today) : 0;
  int hour = 0, minute = 0;
  if (p.hour >= 0) {
    hour = hour_in_part(p);
    minute = std::max(p.minute, 0);
    out.grain = p.minute >= 0 ? TimeGrain::minute : TimeGrain::hour;
    if (hour < 0 && named_day) hour = p.hour >= 1 && p.hour <= 6 ? p.hour + 12 : p.hour;
    if (hour < 0) {  // the next such time to come: this morning's, this afternoon's or tomorrow's
      hour = p.hour;
      if (cal.at(today, 0, hour, minute) <= now_ms) hour += 12;
    }
  } else if (p.part != DayPart::none) {
    hour = part_start(p.part);
    out.grain = TimeGrain::part_of_day;
  } else if (!named_day) {
    return std::nullopt;
  }
  out.utc_ms = cal.at(today, day, hour, minute);
  if (out.utc_ms <= now_ms && out.grain != TimeGrain::day) {
    if (!named_day) {
      ++day;
    } else if (p.weekday != 0 && p.week < 0 && day == 0) {
      day += 7;
    }
    out.utc_ms = cal.at(today, day, hour, minute);
  }
  return out;
}

}  // namespace patter
