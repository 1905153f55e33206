// Backchannels: is a reply nothing but 嗯, 对, uh-huh and fillers?
//
// Listeners say 嗯/对/是 or "uh-huh" all the time to show they follow. Said
// while the robot talks, such a reply is no interruption; said after a
// question, it is an answer. The words come compiled into
// Settings::backchannels (normalised without filler removal, fillers
// flagged); a reply is covered by them or it is not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patter/normalizer.hpp"
#include "patter/script.hpp"

namespace patter::detail {

enum class ReplyShape : std::uint8_t {
  words,        ///< something more than backchannels and fillers
  fillers,      ///< fillers only, or nothing
  backchannel,  ///< backchannels, perhaps with fillers
};

/// Replies longer than this (bytes, normalised) are never only backchannels:
/// it bounds the cover below to a small array on the stack.
inline constexpr std::size_t kMaxBackchannelBytes = 96;

/// A byte that only separates words: a space, or ASCII punctuation (which a
/// normaliser that keeps clause marks may leave in).
inline bool separator_byte(unsigned char c) noexcept {
  return c == ' ' || (c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                                    (c >= 'A' && c <= 'Z')));
}

/// Clause marks a normaliser may keep (，。？！、；…): 3-byte UTF-8 sequences.
inline std::size_t separator_mark(std::string_view s, std::size_t i) noexcept {
  static constexpr std::string_view kMarks[] = {"，", "。", "？", "！", "、", "；", "…"};
  for (std::string_view m : kMarks)
    if (s.substr(i, m.size()) == m) return m.size();
  return 0;
}

inline bool latin_word_byte(unsigned char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Cover `text` with the words, end to end (separators skipped; a Latin
/// word must not run on into the next letter: "ok" does not cover "okay").
/// Reach is tracked per byte: 0 not reached, 1 by fillers only, 2 with a
/// backchannel on the way.
inline ReplyShape shape_of(std::string_view text,
                           const std::vector<Settings::Word>& words) noexcept {
  if (text.empty()) return ReplyShape::fillers;
  if (text.size() > kMaxBackchannelBytes || words.empty()) return ReplyShape::words;
  std::uint8_t reach[kMaxBackchannelBytes + 1] = {};
  reach[0] = 1;
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t here = reach[i];
    if (!here) continue;
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t sep = separator_byte(c) ? 1 : separator_mark(text, i);
    if (sep) {
      if (reach[i + sep] < here) reach[i + sep] = here;
      continue;
    }
    for (const Settings::Word& w : words) {
      const std::size_t end = i + w.text.size();
      if (end > n || text.compare(i, w.text.size(), w.text) != 0) continue;
      if (end < n && latin_word_byte(static_cast<unsigned char>(w.text.back())) &&
          latin_word_byte(static_cast<unsigned char>(text[end])))
        continue;
      const std::uint8_t via = w.filler ? here : std::uint8_t{2};
      if (reach[end] < via) reach[end] = via;
    }
  }
  switch (reach[n]) {
    case 0: return ReplyShape::words;
    case 1: return ReplyShape::fillers;
    default: return ReplyShape::backchannel;
  }
}

/// The normaliser without fillers, for a locale: what Settings::backchannels
/// were normalised with. One per process and kind of locale (only whether
/// it is Chinese changes the pipeline).
inline const Normalizer& plain_normalizer(std::string_view locale) {
  static const Normalizer zh(NormalizeOptions{"zh-CN", {}});
  static const Normalizer other(NormalizeOptions{"en-US", {}});
  return locale.rfind("zh", 0) == 0 ? zh : other;
}

/// The shape of a reply: `normalized` is the matcher's reading (fillers
/// removed). When that is empty the reply was fillers only; the raw words
/// are read again without filler removal to see whether a backchannel that
/// is also a filler (嗯) was among them.
inline ReplyShape reply_shape(std::string_view normalized, std::string_view raw,
                              const Script& script, std::string& scratch) {
  const std::vector<Settings::Word>& words = script.settings().backchannels;
  if (!normalized.empty()) return shape_of(normalized, words);
  bool any_backchannel = false;
  for (const Settings::Word& w : words) any_backchannel = any_backchannel || !w.filler;
  if (!any_backchannel || raw.empty() || raw.size() > 4 * kMaxBackchannelBytes)
    return ReplyShape::fillers;
  plain_normalizer(script.locale()).normalize(raw, scratch);
  return shape_of(scratch, words) == ReplyShape::backchannel ? ReplyShape::backchannel
                                                             : ReplyShape::fillers;
}

}  // namespace patter::detail
