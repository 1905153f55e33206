#include "text/numbers.hpp"

#include <cstdint>
#include <cstring>

namespace patter::detail {
namespace {

// Doubles hold every integer below 10^15 exactly; past that a captured
// number would silently change, so it is refused instead.
constexpr int kMaxDigits = 15;
constexpr double kLimit = 1e15;
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kMaxFractionDigits = 22;  // 10^22 is the largest power of ten a double holds exactly
constexpr double kNone = -1;            // no unit seen yet

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(unsigned char c) {
  return c >= 'a' && c <= 'z';
}
bool is_ascii_alnum(unsigned char c) {
  return is_digit(c) || is_letter(c) || (c >= 'A' && c <= 'Z');
}
unsigned char at(std::string_view s, std::size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

// The outcome of reading at one position. On failure, `end` is where the
// search may resume: past a whole refused run, so that a megabyte of digits
// is scanned once, not once per digit.
struct Attempt {
  bool ok = false;
  double value = 0;
  std::size_t end = 0;
};
Attempt fail(std::size_t end) {
  return {false, 0, end};
}

// Collects digits one by one; only significant ones count towards the limit,
// so "0000" in a phone number is harmless.
struct Digits {
  std::uint64_t mantissa = 0;
  int significant = 0;
  int fraction = 0;
  bool too_long = false;
  void add(int d, bool in_fraction) {
    if (in_fraction) ++fraction;
    if (mantissa == 0 && d == 0) return;
    if (++significant > kMaxDigits) {
      too_long = true;
      return;
    }
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(d);
  }
  bool ok() const { return !too_long && fraction <= kMaxFractionDigits; }
  // One correctly rounded division: 3.5 is 35 / 10, exactly what strtod gives.
  double value() const { return static_cast<double>(mantissa) / kPow10[fraction]; }
};

// ---------------------------------------------------------------------------
// Arabic digits: "320", "3,200", "1,234.5".

struct Literal {
  double value = 0;
  std::size_t end = 0;
  bool single = false;  // one digit: "2千5" means 2500, "2千50" means 2050
  bool ok = false;
};

Literal read_literal(std::string_view s, std::size_t i) {
  Digits digits;
  const std::size_t start = i;
  while (is_digit(at(s, i))) digits.add(at(s, i++) - '0', false);
  // Commas group thousands only in the usual shape, so "1,2" stays two numbers.
  if (i - start <= 3) {
    while (at(s, i) == ',' && is_digit(at(s, i + 1)) && is_digit(at(s, i + 2)) &&
           is_digit(at(s, i + 3)) && !is_digit(at(s, i + 4))) {
      for (std::size_t k = 1; k <= 3; ++k) digits.add(at(s, i + k) - '0', false);
      i += 4;
    }
  }
  if (at(s, i) == '.' && is_digit(at(s, i + 1))) {
    ++i;
    while (is_digit(at(s, i))) digits.add(at(s, i++) - '0', true);
  }
  // A refused run is skipped whole, separators and all.
  while (!digits.ok() &&
         (is_digit(at(s, i)) || ((at(s, i) == ',' || at(s, i) == '.') && is_digit(at(s, i + 1))))) {
    ++i;
  }
  return {digits.ok() ? digits.value() : 0, i, i - start == 1, digits.ok()};
}

// ---------------------------------------------------------------------------
// Chinese numerals, and Arabic digits mixed with Chinese units ("3万", "1.5亿").

enum class Kind : unsigned char { other, literal, digit, unit, big_unit, point, minus, half, ge };

struct Token {
  Kind kind = Kind::other;
  double value = 0;
  std::size_t end = 0;
  bool single = false;
  bool ok = true;  // false for a literal with too many digits
};

struct ZhChar {
  char bytes[4];
  Kind kind;
  double value;
};

constexpr ZhChar kZhChars[] = {
    {"零", Kind::digit, 0},   {"〇", Kind::digit, 0},      {"一", Kind::digit, 1},
    {"幺", Kind::digit, 1},   {"二", Kind::digit, 2},      {"两", Kind::digit, 2},
    {"三", Kind::digit, 3},   {"四", Kind::digit, 4},      {"五", Kind::digit, 5},
    {"六", Kind::digit, 6},   {"七", Kind::digit, 7},      {"八", Kind::digit, 8},
    {"九", Kind::digit, 9},   {"十", Kind::unit, 10},      {"百", Kind::unit, 100},
    {"千", Kind::unit, 1000}, {"万", Kind::big_unit, 1e4}, {"亿", Kind::big_unit, 1e8},
    {"点", Kind::point, 0},   {"负", Kind::minus, 0},      {"半", Kind::half, 0.5},
    {"个", Kind::ge, 0},
};

constexpr std::string_view kPercent = "百分之";

bool starts_with(std::string_view s, std::size_t i, std::string_view what) {
  return i <= s.size() && s.substr(i, what.size()) == what;
}

Token zh_token(std::string_view s, std::size_t i) {
  const unsigned char c = at(s, i);
  if (is_digit(c)) {
    const Literal lit = read_literal(s, i);
    return {Kind::literal, lit.value, lit.end, lit.single, lit.ok};
  }
  if (c < 0xE3 || c > 0xE9 || i + 3 > s.size())
    return {Kind::other, 0, i};  // leads of all of 〇..亿
  for (const ZhChar& z : kZhChars)
    if (std::memcmp(s.data() + i, z.bytes, 3) == 0) return {z.kind, z.value, i + 3, true};
  return {Kind::other, 0, i};
}

bool is_zh_digit(const Token& t) {
  return t.kind == Kind::digit;
}
bool is_any_unit(const Token& t) {
  return t.kind == Kind::unit || t.kind == Kind::big_unit;
}

// "一三八", "二〇二四": a run of digits with no unit is read positionally.
Attempt read_zh_positional(std::string_view s, std::size_t i) {
  Digits digits;
  for (Token t = zh_token(s, i); is_zh_digit(t); t = zh_token(s, i)) {
    digits.add(static_cast<int>(t.value), false);
    i = t.end;
  }
  if (!digits.ok()) return fail(i);
  return {true, digits.value(), i};
}

// Digits after 点, as a fraction: 三点一四 is 3.14. Empty when none follow.
struct Fraction {
  double value = 0;
  std::size_t end = 0;
  bool ok = false;
};
Fraction read_zh_fraction(std::string_view s, std::size_t i) {
  Digits digits;
  const std::size_t start = i;
  for (Token t = zh_token(s, i); is_zh_digit(t); t = zh_token(s, i)) {
    digits.add(static_cast<int>(t.value), true);
    i = t.end;
  }
  if (i == start || !digits.ok()) return {};
  return {digits.value(), i, true};
}

// Builds a number like 一亿两千三百万零五 a token at a time, and remembers the
// longest prefix that reads as a number.
class ZhReader {
 public:
  Attempt read(std::string_view s, std::size_t start) {
    const Token first = zh_token(s, start);
    if (first.kind == Kind::literal && !first.ok) return fail(first.end);
    if (first.kind == Kind::half) return {true, 0.5, first.end};
    if (is_zh_digit(first)) {
      const Token second = zh_token(s, first.end);
      if (first.value == 1 && second.kind == Kind::half) return {true, 0.5, second.end};  // 一半
      if (is_zh_digit(second) && !is_range(first, second, zh_token(s, second.end)))
        return read_zh_positional(s, start);
    }

    best_ = fail(first.end > start ? first.end : start + 1);
    before_pending_ = best_;
    std::size_t i = start;
    for (;;) {
      const Next next = on_token(s, zh_token(s, i));
      if (next.step == Step::stop) break;
      i = next.end;
      if (next.step == Step::fail) return fail(i);
      if (next.step == Step::accept && !accept(best_, i)) return fail(i);
    }
    // 一个半 is one and a half.
    if (best_.ok) {
      const Token ge = zh_token(s, best_.end);
      if (ge.kind == Kind::ge) {
        const Token half = zh_token(s, ge.end);
        if (half.kind == Kind::half) best_ = {true, best_.value + 0.5, half.end};
      }
    }
    return best_;
  }

 private:
  // What a token does to the number: `advance` moves past it, `accept` moves
  // past it and records the number so far as the longest reading, `stop`
  // ends the number before it, `fail` ends the attempt with no number.
  enum class Step : unsigned char { advance, accept, stop, fail };
  struct Next {
    Step step = Step::stop;
    std::size_t end = 0;
  };

  Next on_token(std::string_view s, const Token& t) {
    switch (t.kind) {
      case Kind::digit:
      case Kind::literal: return on_number(s, t);
      case Kind::unit: return on_unit(t);
      case Kind::big_unit: return on_big_unit(t);
      case Kind::point: return on_point(s, t);
      default: return {};
    }
  }

  Next on_number(std::string_view s, const Token& t) {
    if (has_pending_) {
      // 三四百, 一百二三十: neighbouring digits before a unit are a range;
      // its lower end is what a form would record.
      if (pending_zh_ && is_zh_digit(t) && is_range_step(pending_, t.value) &&
          is_any_unit(zh_token(s, t.end)))
        return {Step::advance, t.end};
      return {};
    }
    if (!t.ok) return {};
    if (is_zh_digit(t) && t.value == 0 && any_unit_) {  // 一百零五: 零 holds a place
      zero_ = true;
      return {Step::advance, t.end};
    }
    // After a unit a longer literal fills the places below it ("3万2000"), no more.
    if (t.kind == Kind::literal && !t.single && any_unit_ && t.value >= last_unit_) return {};
    before_pending_ = best_;
    pending_ = t.value;
    has_pending_ = true;
    pending_single_ = t.single;
    pending_zh_ = is_zh_digit(t);
    return {Step::accept, t.end};
  }

  Next on_unit(const Token& t) {
    if (!has_pending_) {
      // 十 alone is 一十; 百 and 千 alone are not numbers here (千万 is "by all means").
      if (t.value != 10) return {};
      pending_ = 1;
    }
    if (t.value >= small_ceiling_) {  // 千 > 百 > 十 within a section
      refuse_unit();
      return {};
    }
    section_ += pending_ * t.value;
    small_ceiling_ = t.value;
    after_unit(t.value);
    return {Step::accept, t.end};
  }

  Next on_big_unit(const Token& t) {
    const double part = section_ + pending_value(false);
    if (t.value == 1e4) {
      if (wan_ || part <= 0) {
        refuse_unit();
        return {};
      }
      total_ += part * 1e4;
      wan_ = true;
    } else {
      if (yi_ || total_ + part <= 0) {
        refuse_unit();
        return {};
      }
      total_ = (total_ + part) * 1e8;  // all of it: 一万亿 is 10^12
      yi_ = true;
      wan_ = false;
    }
    section_ = 0;
    small_ceiling_ = 1e4;
    after_unit(t.value);
    return {Step::accept, t.end};
  }

  Next on_point(std::string_view s, const Token& t) {
    if (fraction_ || (!has_pending_ && !any_unit_)) return {};
    if (has_pending_ && !pending_zh_) return {};  // 1.5点五 is not a number
    const Fraction f = read_zh_fraction(s, t.end);
    if (!f.ok) return {};  // 两点 is a time of day, not a decimal
    fraction_ = true;
    if (!any_unit_) {
      // 一点五万: a decimal may still take a unit.
      pending_ += f.value;
      pending_single_ = false;
      pending_zh_ = false;
      return {Step::accept, f.end};
    }
    // 三百二十点五: a fraction ends the number.
    const double v = value() + f.value;
    if (v >= kLimit) return {Step::fail, f.end};
    best_ = {true, v, f.end};
    return {};
  }

  // A digit whose unit is then refused is left out: 三百三百 reads 三百,
  // not 三百三, and 三万五万 reads 三万.
  void refuse_unit() {
    if (has_pending_) best_ = before_pending_;
  }

  static bool is_range_step(double a, double b) { return a >= 1 && b == a + 1; }
  static bool is_range(const Token& a, const Token& b, const Token& next) {
    return is_range_step(a.value, b.value) && is_any_unit(next);
  }

  void after_unit(double unit) {
    has_pending_ = false;
    pending_ = 0;
    last_unit_ = unit;
    zero_ = false;
    any_unit_ = true;
  }

  // 三万五 is 35000 and 两千五 is 2500: a single digit just after a unit
  // counts in the unit below it; after 零 it is plain ones (一百零五). Before
  // 万 or 亿 only a 百 or 千 lends its place (三千五万), not a bigger unit
  // (一亿五万 is 1亿 and 5万).
  double pending_value(bool at_end) const {
    if (!has_pending_) return 0;
    if (pending_single_ && !zero_ && last_unit_ >= 100 && (at_end || last_unit_ < 1e4))
      return pending_ * last_unit_ / 10;
    return pending_;
  }

  double value() const { return total_ + section_ + pending_value(true); }

  bool accept(Attempt& best, std::size_t end) {
    const double v = value();
    if (v >= kLimit) return false;
    best = {true, v, end};
    return true;
  }

  double total_ = 0;    // committed at 万 and 亿
  double section_ = 0;  // the part below 万 being built
  double pending_ = 0;  // a digit or literal not yet given a unit
  bool has_pending_ = false;
  bool pending_single_ = false;  // one digit, eligible for 两千五
  bool pending_zh_ = false;      // a Chinese digit, eligible for ranges and 点
  double small_ceiling_ = 1e4;   // the next 十/百/千 must be below this
  double last_unit_ = kNone;
  bool zero_ = false;  // 零 since the last unit
  bool any_unit_ = false;
  bool wan_ = false, yi_ = false;  // each at most once per 亿 group
  bool fraction_ = false;
  Attempt best_;            // the longest reading so far
  Attempt before_pending_;  // the reading before the pending digit
};

// ---------------------------------------------------------------------------
// English number words: "two hundred and fifty", "twenty-five", "a thousand".

enum class En : unsigned char { none, digit, teen, tens, hundred, scale, a, and_, point, minus };

struct EnWord {
  En kind = En::none;
  double value = 0;
  std::size_t end = 0;
};

struct EnEntry {
  std::string_view word;
  En kind;
  double value;
};

constexpr EnEntry kEnWords[] = {
    {"zero", En::digit, 0},      {"one", En::digit, 1},         {"two", En::digit, 2},
    {"three", En::digit, 3},     {"four", En::digit, 4},        {"five", En::digit, 5},
    {"six", En::digit, 6},       {"seven", En::digit, 7},       {"eight", En::digit, 8},
    {"nine", En::digit, 9},      {"ten", En::teen, 10},         {"eleven", En::teen, 11},
    {"twelve", En::teen, 12},    {"thirteen", En::teen, 13},    {"fourteen", En::teen, 14},
    {"fifteen", En::teen, 15},   {"sixteen", En::teen, 16},     {"seventeen", En::teen, 17},
    {"eighteen", En::teen, 18},  {"nineteen", En::teen, 19},    {"twenty", En::tens, 20},
    {"thirty", En::tens, 30},    {"forty", En::tens, 40},       {"fifty", En::tens, 50},
    {"sixty", En::tens, 60},     {"seventy", En::tens, 70},     {"eighty", En::tens, 80},
    {"ninety", En::tens, 90},    {"hundred", En::hundred, 100}, {"thousand", En::scale, 1e3},
    {"million", En::scale, 1e6}, {"billion", En::scale, 1e9},   {"a", En::a, 1},
    {"and", En::and_, 0},        {"point", En::point, 0},       {"minus", En::minus, 0},
    {"negative", En::minus, 0},
};

// The whole word at `i`; callers make sure no letter comes just before it.
EnWord en_word(std::string_view s, std::size_t i) {
  std::size_t end = i;
  while (is_letter(at(s, end))) ++end;
  const std::string_view w = s.substr(i, end - i);
  for (const EnEntry& e : kEnWords)
    if (e.word == w) return {e.kind, e.value, end};
  return {En::none, 0, end};
}

// The next word of the same number: one space or hyphen away ("twenty-five";
// normalised text has single spaces).
EnWord next_en_word(std::string_view s, std::size_t i) {
  if ((at(s, i) == ' ' || at(s, i) == '-') && is_letter(at(s, i + 1))) return en_word(s, i + 1);
  return {};
}

bool is_small(En k) {
  return k == En::digit || k == En::teen || k == En::tens;
}

// "five five five one two": digit words with nothing between read like a
// phone number, as in Chinese.
Attempt read_en_positional(std::string_view s, std::size_t i) {
  Digits digits;
  EnWord w = en_word(s, i);
  for (;;) {
    digits.add(static_cast<int>(w.value), false);
    i = w.end;
    const EnWord next = next_en_word(s, i);
    if (next.kind != En::digit) break;
    w = next;
  }
  if (!digits.ok()) return fail(i);
  return {true, digits.value(), i};
}

// `lead` is an Arabic literal already read ("3 million"); it must take a scale.
// An English number being built a word at a time: "two hundred fifty
// thousand" is group 2 → 200 → 250, then total 250000 at "thousand".
struct EnNumber {
  enum class State { start, ones, tens, hundred, scale };
  State state = State::start;
  double total = 0, group = 0, last_scale = 1e300;

  double value() const { return total + group; }

  // Takes a digit, teen, tens, hundred or scale word; false when the word
  // cannot continue the number ("five six", "hundred hundred").
  bool take(const EnWord& w) {
    switch (w.kind) {
      case En::digit:
        if (w.value == 0 || (state != State::start && state != State::tens &&
                             state != State::hundred && state != State::scale))
          return false;
        group += w.value;
        state = State::ones;
        return true;
      case En::teen:
      case En::tens:
        if (state != State::start && state != State::hundred && state != State::scale) return false;
        group += w.value;
        state = w.kind == En::tens ? State::tens : State::ones;
        return true;
      case En::hundred:
        if ((state != State::ones && state != State::tens) || group >= 100) return false;
        group *= 100;
        state = State::hundred;
        return true;
      case En::scale:
        if (state == State::start || state == State::scale || group <= 0 || w.value >= last_scale)
          return false;
        total += group * w.value;
        group = 0;
        last_scale = w.value;
        state = State::scale;
        return true;
      default: return false;
    }
  }

  // "two hundred and fifty"; a bare "and" ends the number ("one and all").
  bool and_continues(std::string_view s, const EnWord& and_word) const {
    if (state != State::hundred && state != State::scale) return false;
    const EnWord next = next_en_word(s, and_word.end);
    return is_small(next.kind) && !(next.kind == En::digit && next.value == 0);
  }

  // The digits after "point", and a scale after them ("two point five
  // million"); `best` when no digit follows.
  Attempt decimal(std::string_view s, const EnWord& point, const Attempt& best) const {
    Digits digits;
    std::size_t j = point.end;
    for (EnWord d = next_en_word(s, j); d.kind == En::digit; d = next_en_word(s, j)) {
      digits.add(static_cast<int>(d.value), true);
      j = d.end;
    }
    if (j == point.end || !digits.ok()) return best;
    double v = value() + digits.value();
    const EnWord scale = next_en_word(s, j);
    if (scale.kind == En::scale && total == 0) {
      v *= scale.value;
      j = scale.end;
    }
    if (v >= kLimit) return fail(j);
    return {true, v, j};
  }
};

Attempt read_en(std::string_view s, std::size_t start, const Literal* lead) {
  EnNumber number;
  std::size_t i = start;
  Attempt best = fail(start + 1);

  EnWord w;
  if (lead) {
    number.group = lead->value;
    number.state = EnNumber::State::ones;
    i = lead->end;
    w = next_en_word(s, i);
    if (w.kind != En::hundred && w.kind != En::scale) return fail(lead->end);
  } else {
    w = en_word(s, start);
    best.end = w.end;
    if (w.kind == En::digit && next_en_word(s, w.end).kind == En::digit)
      return read_en_positional(s, start);
    if (w.kind == En::digit && w.value == 0) return {true, 0, w.end};
    if (w.kind == En::a) {
      const En next = next_en_word(s, w.end).kind;
      if (next != En::hundred && next != En::scale) return best;
      number.group = 1;
      number.state = EnNumber::State::ones;
      i = w.end;
      w = next_en_word(s, i);
    }
  }

  for (;; w = next_en_word(s, i)) {
    if (w.kind == En::and_) {
      if (!number.and_continues(s, w)) return best;
      i = w.end;
      continue;
    }
    if (w.kind == En::point)
      return number.state == EnNumber::State::start ? best : number.decimal(s, w, best);
    if (!number.take(w)) return best;
    i = w.end;
    if (number.value() >= kLimit) return fail(i);
    best = {true, number.value(), i};
  }
}

// ---------------------------------------------------------------------------

bool could_start(std::string_view s, std::size_t i) {
  const unsigned char c = at(s, i);
  if (is_digit(c) || is_letter(c)) return true;
  if (c == '-') return is_digit(at(s, i + 1));
  return c >= 0xE3 && c <= 0xE9;
}

// A number without a sign or percent prefix.
Attempt read_unsigned(std::string_view s, std::size_t i) {
  const unsigned char c = at(s, i);
  if (is_letter(c)) {
    if (i > 0 && is_letter(at(s, i - 1))) return fail(i + 1);  // "someone" holds no "one"
    return read_en(s, i, nullptr);
  }
  if (is_digit(c)) {
    const Literal lit = read_literal(s, i);
    if (!lit.ok) return fail(lit.end);
    Attempt zh = ZhReader().read(s, i);
    if (zh.ok && zh.end == lit.end) {
      const Attempt en = read_en(s, i, &lit);  // "3 million"
      if (en.ok) return en;
    }
    return zh;
  }
  return ZhReader().read(s, i);
}

Attempt negate(Attempt a) {
  if (a.ok && a.value != 0) a.value = -a.value;
  return a;
}

Attempt read_number(std::string_view s, std::size_t i) {
  const unsigned char c = at(s, i);
  if (c == '-') {
    if (!is_digit(at(s, i + 1)) || (i > 0 && is_ascii_alnum(at(s, i - 1)))) return fail(i + 1);
    const Attempt a = read_unsigned(s, i + 1);
    return a.ok ? negate(a) : fail(i + 1);
  }
  if (starts_with(s, i, kPercent)) {
    // 百分之五十 is read as 50: the script's variable says what it measures.
    const std::size_t after = i + kPercent.size();
    if (starts_with(s, after, "百") && !starts_with(s, after, kPercent))
      return {true, 100, after + 3};
    const Attempt a = read_unsigned(s, after);
    return a.ok ? a : fail(i + 3);
  }
  const Token t = zh_token(s, i);
  if (t.kind == Kind::minus) {
    const Attempt a = read_unsigned(s, t.end);
    return a.ok ? negate(a) : fail(t.end);
  }
  if (is_letter(c) && (i == 0 || !is_letter(at(s, i - 1)))) {
    const EnWord w = en_word(s, i);
    if (w.kind == En::minus) {
      const unsigned char next = at(s, w.end + 1);
      if (at(s, w.end) != ' ' || !(is_letter(next) || is_digit(next))) return fail(w.end);
      const Attempt a = read_unsigned(s, w.end + 1);
      return a.ok ? negate(a) : fail(w.end);
    }
  }
  return read_unsigned(s, i);
}

}  // namespace

std::optional<double> parse_number(std::string_view text) noexcept {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  // A capture keeps what was said: "$250" reads 250, the sign is the unit's.
  for (const std::string_view sign :
       {std::string_view("$"), std::string_view("¥"), std::string_view("￥"), std::string_view("€"),
        std::string_view("£")}) {
    if (text.substr(0, sign.size()) == sign) {
      text.remove_prefix(sign.size());
      break;
    }
  }
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  const Attempt a = read_number(text, 0);
  if (!a.ok || a.end != text.size()) return std::nullopt;
  return a.value;
}

std::optional<FoundNumber> find_number(std::string_view text, std::size_t from) noexcept {
  std::size_t i = from;
  while (i < text.size()) {
    const unsigned char c = at(text, i);
    if (is_letter(c) && i > 0 && is_letter(at(text, i - 1))) {
      ++i;  // inside a word: "often" holds no "ten"
      continue;
    }
    if (!could_start(text, i)) {
      ++i;
      continue;
    }
    const Attempt a = read_number(text, i);
    if (a.ok) return FoundNumber{i, a.end, a.value};
    // Resume past whatever was refused, at least one byte on.
    i = a.end > i ? a.end : i + 1;
  }
  return std::nullopt;
}

}  // namespace patter::detail
