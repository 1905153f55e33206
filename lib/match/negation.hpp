// The negation rules as data: which words deny what follows, which words
// only look as if they did, and which pairs of denials cancel.
//
//   "不是很感兴趣"   cue 不是 before 感兴趣: not_interested
//   "不错，感兴趣"   two clauses; and 不错 ("not bad") holds a 不 but is no cue
//   "不是不可以"     不是 + 不: a double negation, 可以 counts as itself
//   "也不是不行"     不是 before the negative phrase 不行: flipped, an affirm
//   "not that I'm not interested"   the same, in English
//
// The matcher (matcher.cpp) asks these questions only where a cue was
// found or a phrase begins with one, which is rare; the tables stay small
// and are read in order.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace patter::detail {

/// Negation cues, normalised: Chinese counted in characters, English in words.
std::span<const std::string_view> zh_negation_cues() noexcept;
std::span<const std::string_view> en_negation_cues() noexcept;

/// Is `phrase` (normalised) exactly one of the cues above?
bool is_negation_cue(std::string_view phrase) noexcept;

/// Is the cue at [cb, ce) of `t` part of a word that denies nothing
/// (别人, 不错, 不好意思, 没事, "not bad", "never mind")?
bool not_a_negation(std::string_view t, std::size_t cb, std::size_t ce, bool words) noexcept;

/// Does the outer half of a double negation (不是, 也不是, 没有, "not that
/// i m", "wouldn t say") end at `p`? (For words: the frame ends at p - 1 and
/// a space stands at p - 1.) Returns its start, or -1.
long frame_ending_at(std::string_view t, std::size_t p, bool words) noexcept;

/// A quick test before frame_ending_at, inline for the matcher's hot path:
/// every Chinese frame ends with 是, 有 or 说; every English one before a space.
inline bool may_end_frame(std::string_view t, std::size_t p, bool words) noexcept {
  if (words) return p >= 2 && t[p - 1] == ' ';
  if (p < 3) return false;
  const auto* u = reinterpret_cast<const unsigned char*>(t.data()) + p - 3;
  return (u[0] == 0xE6 && u[1] == 0x98 && u[2] == 0xAF) ||  // 是
         (u[0] == 0xE6 && u[1] == 0x9C && u[2] == 0x89) ||  // 有
         (u[0] == 0xE8 && u[1] == 0xAF && u[2] == 0xB4);    // 说
}

/// Does a second negation begin at `p` (不 or 没; or, for words, a cue word
/// or "no" after the space at p)?
bool negation_starting_at(std::string_view t, std::size_t p, bool words) noexcept;

/// Does `phrase` (normalised) begin with a negation: 不/没, or a cue word or "no"?
bool begins_negative(std::string_view phrase) noexcept;

/// Could `phrase` be (part of) the outer half of a double negation: a piece
/// of a frame, or ending with one? Only such phrases are checked at run time.
bool may_be_frame(std::string_view phrase) noexcept;

/// For a phrase flagged by may_be_frame, found at [begin, end) of `t`: does
/// it lie within a frame there that a second negation follows ("不是" in
/// "也不是不行")?
bool inside_double_negation(std::string_view t, std::size_t begin, std::size_t end) noexcept;

}  // namespace patter::detail
