#include "match/negation.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace patter::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array kZhCues = {"不"sv,   "没"sv,     "没有"sv, "别"sv,   "不是"sv,
                                "不太"sv, "不怎么"sv, "并不"sv, "从不"sv, "从来不"sv,
                                "毫无"sv, "没啥"sv,   "未"sv,   "不会"sv, "无"sv};
// "no" is left out: it is far more often an answer ("no, I'm interested")
// than a negation of what follows. Apostrophes are spaces once normalised.
constexpr std::array kEnCues = {"not"sv,     "never"sv,   "dont"sv,    "don t"sv,  "didn t"sv,
                                "doesn t"sv, "isn t"sv,   "aren t"sv,  "wasn t"sv, "won t"sv,
                                "can t"sv,   "cannot"sv,  "hardly"sv,  "nobody"sv, "neither"sv,
                                "nor"sv,     "without"sv, "haven t"sv, "hasn t"sv, "wouldn t"sv};

// Words that hold a cue yet deny nothing that follows them.
constexpr std::array kZhNotNegation = {
    "别人"sv,   "别的"sv,   "别家"sv,   "别处"sv, "不错"sv,   "不好意思"sv, "没事"sv,
    "没关系"sv, "没问题"sv, "没毛病"sv, "没错"sv, "不客气"sv, "不用谢"sv,   "差不多"sv,
    "不过"sv,   "要不然"sv, "要不"sv,   "不然"sv, "不管"sv,   "无论"sv,     "未必"sv};
constexpr std::array kEnNotNegation = {"not bad"sv,     "never mind"sv, "not a problem"sv,
                                       "can t wait"sv,  "not only"sv,   "don t mind"sv,
                                       "don t worry"sv, "dont worry"sv};

// The outer half of a double negation: followed by a second negation, it
// cancels it ("不是不可以" is a yes, "not that I'm not interested" too).
constexpr std::array kZhFrames = {"不是"sv,     "也不是"sv,   "并不是"sv, "倒不是"sv,
                                  "倒也不是"sv, "也并不是"sv, "不是说"sv, "没有"sv,
                                  "也没有"sv,   "并没有"sv,   "没说"sv,   "没有说"sv};
constexpr std::array kEnFrames = {"not that i m"sv,   "not that i am"sv, "not that i"sv,
                                  "not that we re"sv, "it s not that"sv, "wouldn t say"sv,
                                  "would not say"sv,  "can t say i m"sv, "not saying i m"sv,
                                  "never said i m"sv, "i m not saying"sv};

bool is_ascii_text(std::string_view s) noexcept {
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Byte by byte: the words are a few bytes long, shorter than a call to memcmp.
bool at(std::string_view t, std::size_t p, std::string_view w) noexcept {
  if (p > t.size() || t.size() - p < w.size()) return false;
  for (std::size_t i = 0; i < w.size(); ++i)
    if (t[p + i] != w[i]) return false;
  return true;
}

// Is `w` a whole word (or words) at p: nothing but a space or a clause mark on either side?
bool word_at(std::string_view t, std::size_t p, std::string_view w) noexcept {
  if (!at(t, p, w)) return false;
  const std::size_t e = p + w.size();
  const bool left = p == 0 || t[p - 1] == ' ' || t[p - 1] == '|';
  const bool right = e == t.size() || t[e] == ' ' || t[e] == '|';
  return left && right;
}

// A second negation at p after frame f, unless it only says f again: "不是
// 不是" is "no, no", not a double negation.
bool second_negation(std::string_view t, std::size_t p, std::string_view f, bool words) noexcept {
  if (!negation_starting_at(t, p, words)) return false;
  return !at(t, words ? p + 1 : p, f);
}

}  // namespace

std::span<const std::string_view> zh_negation_cues() noexcept {
  return kZhCues;
}
std::span<const std::string_view> en_negation_cues() noexcept {
  return kEnCues;
}

bool is_negation_cue(std::string_view phrase) noexcept {
  static constexpr std::size_t kLongest = [] {
    std::size_t n = 0;
    for (const std::string_view c : kZhCues) n = std::max(n, c.size());
    for (const std::string_view c : kEnCues) n = std::max(n, c.size());
    return n;
  }();
  if (phrase.empty() || phrase.size() > kLongest) return false;  // most phrases: no compare
  for (const auto& cues :
       {std::span<const std::string_view>(kZhCues), std::span<const std::string_view>(kEnCues)})
    for (const std::string_view c : cues)
      if (phrase == c) return true;
  return false;
}

bool not_a_negation(std::string_view t, std::size_t cb, std::size_t ce, bool words) noexcept {
  if (words) {
    const std::string_view cue = t.substr(cb, ce - cb);
    for (const std::string_view w : kEnNotNegation)
      if (w.substr(0, cue.size()) == cue && word_at(t, cb, w)) return true;
    return false;
  }
  // Every Chinese cue is made of three-byte characters; each place one of
  // them could sit in an exempt word is listed once, so the test is a few
  // three-byte compares.
  struct Place {
    std::string_view word;
    std::size_t at;  // where a character of the cue sits in `word`
  };
  static const std::vector<Place> places = [] {
    std::vector<Place> v;
    for (const std::string_view w : kZhNotNegation)
      for (std::size_t at = 0; at + 3 <= w.size(); at += 3)
        for (const std::string_view c : {"不"sv, "没"sv, "别"sv, "无"sv, "未"sv})
          if (w.compare(at, 3, c) == 0) v.push_back({w, at});
    return v;
  }();
  for (std::size_t p = cb; p + 3 <= ce; p += 3)
    for (const Place& pl : places)
      if (t[p] == pl.word[pl.at] && t[p + 1] == pl.word[pl.at + 1] &&
          t[p + 2] == pl.word[pl.at + 2] && pl.at <= p && at(t, p - pl.at, pl.word))
        return true;
  return false;
}

long frame_ending_at(std::string_view t, std::size_t p, bool words) noexcept {
  if (words) {
    if (p == 0 || t[p - 1] != ' ') return -1;
    --p;
    for (const std::string_view f : kEnFrames)
      if (f.size() <= p && word_at(t, p - f.size(), f) && second_negation(t, p, f, true))
        return static_cast<long>(p - f.size());
    return -1;
  }
  // Every Chinese frame ends with 是, 有 or 说: most places end none.
  if (p < 3 || !(at(t, p - 3, "是") || at(t, p - 3, "有") || at(t, p - 3, "说"))) return -1;
  long best = -1;  // the longest frame: its start is reported
  for (const std::string_view f : kZhFrames)
    if (f.size() <= p && at(t, p - f.size(), f) && second_negation(t, p, f, false) &&
        (best < 0 || static_cast<long>(p - f.size()) < best))
      best = static_cast<long>(p - f.size());
  return best;
}

bool negation_starting_at(std::string_view t, std::size_t p, bool words) noexcept {
  if (!words) return at(t, p, "不") || at(t, p, "没");
  if (p >= t.size() || t[p] != ' ') return false;
  ++p;
  if (word_at(t, p, "no")) return true;
  for (const std::string_view c : kEnCues)
    if (word_at(t, p, c)) return true;
  return false;
}

bool begins_negative(std::string_view phrase) noexcept {
  if (at(phrase, 0, "不") || at(phrase, 0, "没")) return true;
  // The English cues begin with a letter: most phrases of a Chinese script begin with none.
  if (phrase.empty() || static_cast<unsigned char>(phrase[0]) >= 0x80) return false;
  if (word_at(phrase, 0, "no")) return true;
  for (const std::string_view c : kEnCues)
    if (word_at(phrase, 0, c)) return true;
  return false;
}

bool may_be_frame(std::string_view phrase) noexcept {
  if (phrase.empty()) return false;
  const bool words = is_ascii_text(phrase);
  // Inside a frame or ending with one, the phrase ends with a character of
  // some frame: most phrases end with none, and are passed over at once.
  static const std::array<bool, 256> in_frames = [] {
    std::array<bool, 256> seen{};
    for (const auto& frames : {std::span<const std::string_view>(kZhFrames),
                               std::span<const std::string_view>(kEnFrames)})
      for (const std::string_view f : frames)
        for (const char c : f) seen[static_cast<unsigned char>(c)] = true;
    return seen;
  }();
  if (!in_frames[static_cast<unsigned char>(phrase.back())]) return false;
  auto check = [&](std::span<const std::string_view> frames) {
    for (const std::string_view f : frames) {
      if (phrase.size() <= f.size() ? f.find(phrase) != std::string_view::npos
                                    : phrase.ends_with(f))
        return true;
    }
    return false;
  };
  return words ? check(kEnFrames) : check(kZhFrames);
}

bool inside_double_negation(std::string_view t, std::size_t begin, std::size_t end) noexcept {
  const std::string_view phrase = t.substr(begin, end - begin);
  const bool words = is_ascii_text(phrase);
  auto check = [&](std::span<const std::string_view> frames) {
    for (const std::string_view f : frames) {
      // The phrase ends with the frame, or sits somewhere inside it.
      if (phrase.size() >= f.size() && phrase.substr(phrase.size() - f.size()) == f &&
          second_negation(t, end, f, words))
        return true;
      for (std::size_t o = f.find(phrase); o != std::string_view::npos; o = f.find(phrase, o + 1)) {
        if (o > begin) break;
        const std::size_t fb = begin - o;
        if (at(t, fb, f) && (!words || word_at(t, fb, f)) &&
            second_negation(t, fb + f.size(), f, words))
          return true;
      }
    }
    return false;
  };
  return words ? check(kEnFrames) : check(kZhFrames);
}

}  // namespace patter::detail
