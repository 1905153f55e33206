// patter/matcher.hpp — what did the customer mean?
//
//   const patter::Matcher& m = script->matcher();
//   patter::Understanding u;                  // reuse one per call or thread
//   m.understand("不要了，以后别打过来", u);
//   if (u.matched()) {
//     const patter::IntentMatch& best = u.best();
//     std::cout << script->intent(best.intent).name;   // "opt_out"
//   }
//   std::cout << u.explain(*script);
//   // heard "不要了|以后别打过来"
//   // clause 1 "不要了": not_interested (refusal)
//   // clause 2 "以后别打过来": opt_out (opt_out)
//   // opt_out wins over not_interested: its kind opt_out ranks above refusal (...)
//   // intent opt_out (opt_out, priority 0): phrase "别打过来" of opt_out on "别打过来"
//   // ...
//
// Every script compiles its intents into one Matcher. For each utterance:
//   1. the text is normalised (patter/normalizer.hpp), and split into
//      clauses at the punctuation and pauses the recogniser wrote (，。？！
//      , . ? ! ; and a '\n' from the host): nothing below reaches across a
//      clause;
//   2. all phrases of all intents are found at once by one automaton, and
//      overlapping finds keep the leftmost-longest one: "不感兴趣" beats
//      "感兴趣", "not interested" beats "interested";
//   3. Latin phrases must start and end at word boundaries: "interested"
//      does not fire inside "uninterested", nor "price" inside "pricey";
//   4. a negation cue (不, 没, 别, 不是, not, never, don't, ...) shortly
//      before a phrase (at most `negation_window` characters between them,
//      or words for Latin text) turns the phrase into its intent's declared
//      `opposite`, or drops it when the intent has none. A cue that is part
//      of a phrase already taken (the 不 of "不需要别再打了") negates nothing
//      else; words that hold a cue but deny nothing (不错, 不好意思, 别人,
//      没事, "not bad", "never mind") are no cue; a negated negation
//      (不是不可以, "not that I'm not interested") affirms. A Chinese A-not-A
//      question (是不是, 要不要, 有没有, 好不好) is neither a cue nor a yes
//      or a no: phrases inside it do not count, unless a phrase spells out
//      the whole question ("是不是机器人");
//   5. regex patterns (ICU, case-insensitive) run after the phrases on the
//      customer's own text, case and symbols kept (full-width forms made
//      ASCII, Traditional made Simplified for zh), with a time limit per
//      utterance; named groups capture into variables the text as said
//      ("尾号6A8" gives "6A8"), numbers read from it (Chinese numerals too:
//      "三百二十" is 320; "$250" is 250);
//   6. when nothing matched, the examples of every intent are compared by
//      character n-grams and the nearest one counts if its similarity
//      reaches `similarity_threshold`.
// Several intents in one utterance: all are reported (`intents()`), best
// first by one precedence: the intent's kind (opt_out > human > question >
// refusal > answer), then its priority, then the longest span, then the
// earliest. Hosts that run their own NLU pass its intent and confidence
// through `from_host`, into the same Understanding.
//
// A Matcher is immutable and thread-safe. An Understanding is one caller's
// scratch space: after its first few uses it keeps its capacity and
// understanding a turn allocates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patter/ids.hpp"
#include "patter/normalizer.hpp"

namespace patter {

class Script;
namespace detail {
struct MatchScratch;
struct MatcherTesting;
/// Working space that stays with its owner: a copied Understanding gets
/// results, never a second owner of the first one's scratch.
struct ScratchSlot {
  std::shared_ptr<MatchScratch> ptr;
  ScratchSlot() = default;
  ScratchSlot(const ScratchSlot&) noexcept {}
  ScratchSlot& operator=(const ScratchSlot&) noexcept { return *this; }
  ScratchSlot(ScratchSlot&&) noexcept = default;
  ScratchSlot& operator=(ScratchSlot&&) noexcept = default;
};
}  // namespace detail

/// What an intent is for, which decides first when a reply carries several
/// (the lower the stronger). An intent's `kind:` key, or by default from its
/// name: opt_out (or an intent whose handler ends the call with opt_out) is
/// opt_out, ask_human is human, any other ask_* is question, the rest answer.
enum class IntentKind : std::uint8_t {
  opt_out,   ///< do not call me again: wins wherever it stands
  human,     ///< wants a person, or complains
  question,  ///< asks something the robot should answer
  refusal,   ///< declines (busy, not interested, wrong person...)
  answer,    ///< yes, interest, a fact
};
std::string_view to_string(IntentKind k) noexcept;

enum class MatchSource : std::uint8_t {
  none,
  phrase,   ///< a literal phrase of the intent
  pattern,  ///< a regex pattern of the intent
  example,  ///< the nearest example utterance (similarity fallback)
  host,     ///< the host's own NLU
};
std::string_view to_string(MatchSource s) noexcept;

struct IntentMatch {
  IntentId intent = 0xFFFFFFFFu;
  MatchSource source = MatchSource::none;
  float confidence = 0;  ///< 1 for phrases and patterns; similarity or the host's figure otherwise
  /// Span in bytes: in the normalised text for phrases and examples, in
  /// the original text (`Understanding::original()`) for patterns.
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t rule = 0;                    ///< which phrase / pattern / example of the intent
  std::uint32_t cue_begin = 0, cue_end = 0;  ///< the negation cue's span, when `negated`
  bool negated = false;  ///< a negation cue came before it (and it was flipped to `opposite`)
  /// A negation of a negation: "不是不可以" counts as 可以 itself (the cue
  /// was cancelled, `negated` false), "也不是不行" flips 不行 (`negated` true).
  bool double_negation = false;
  IntentId original = 0xFFFFFFFFu;  ///< the phrase's own intent, when flipped
};

/// Why a found phrase or pattern did not count.
enum class Suppression : std::uint8_t {
  overlapped,       ///< a longer or earlier phrase covers it
  word_boundary,    ///< a Latin phrase inside a longer word
  negated,          ///< a negation cue before it, and the intent has no opposite
  below_threshold,  ///< a similarity below the threshold
  question,  ///< part of an A-not-A question (是不是, 要不要, 有没有): not a yes, not a no
  double_negation,  ///< the outer half of a double negation (the 不是 of 不是不行)
};
std::string_view to_string(Suppression s) noexcept;

struct SuppressedMatch {
  IntentMatch match;
  Suppression why = Suppression::overlapped;
};

struct Capture {
  VariableId variable = 0xFFFFFFFFu;
  std::uint32_t begin = 0, end = 0;  ///< in the original text, as the customer's words came
  bool numeric = false;              ///< a number was read from it
  double number = 0;
};

/// The understanding of one utterance; reuse it.
class Understanding {
 public:
  bool matched() const noexcept { return !intents_.empty(); }
  /// The winning intent; only meaningful when matched().
  const IntentMatch& best() const noexcept { return intents_.front(); }
  /// Every intent found, best first.
  std::span<const IntentMatch> intents() const noexcept { return intents_; }
  std::span<const SuppressedMatch> suppressed() const noexcept { return suppressed_; }
  std::span<const Capture> captures() const noexcept { return captures_; }
  /// What a capture holds, as said: case, digits and symbols kept.
  std::string_view capture_text(const Capture& c) const noexcept {
    return std::string_view(original_).substr(c.begin, c.end - c.begin);
  }
  /// The text as phrases are matched, after normalisation; clauses are
  /// separated by `Normalizer::kClauseMark` ('|').
  std::string_view normalized() const noexcept { return normalized_; }
  /// The utterance as given (its first Normalizer::kMaxBytes bytes).
  std::string_view original() const noexcept { return original_; }
  bool invalid_utf8() const noexcept { return flags_.invalid_utf8; }
  bool truncated() const noexcept { return flags_.truncated; }
  /// Characters (code points) in the normalised text; for "short reply" rules.
  std::uint32_t length() const noexcept { return length_; }

  /// Several lines: each clause and the intents found in it, which intent
  /// won and which rule of the precedence decided, on which words, and
  /// what else was found and why it lost.
  std::string explain(const Script& script) const;

  void clear() noexcept {
    intents_.clear();
    suppressed_.clear();
    captures_.clear();
    normalized_.clear();
    original_.clear();
    flags_ = {};
    length_ = 0;
  }

 private:
  friend class Matcher;
  friend struct MatcherAccess;
  void explain_clauses(const Script& script, std::string& out) const;
  std::string why_first(const Script& script) const;
  std::vector<IntentMatch> intents_;
  std::vector<SuppressedMatch> suppressed_;
  std::vector<Capture> captures_;
  std::string normalized_;
  std::string original_;
  NormalizeResult flags_;
  std::uint32_t length_ = 0;
  // Working space kept between calls (made on first use), so a warm turn
  // allocates nothing.
  detail::ScratchSlot scratch_;
};

struct MatcherOptions {
  /// How far before a phrase a negation cue counts: CJK characters, or
  /// words for Latin text.
  std::uint32_t negation_window = 2;
  /// Lowest similarity (0..1) for the example fallback to count.
  float similarity_threshold = 0.45f;
  /// ICU's time limit for one regex pattern on one utterance, in its
  /// engine's steps (each "on the order of milliseconds" by ICU's account;
  /// a normal pattern on a short utterance needs well under one). Past it,
  /// the pattern counts as not matching: no pattern can backtrack for long.
  std::int32_t pattern_time_limit = 1;
};

class Matcher {
 public:
  Matcher();  ///< matches nothing
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  /// Understand one utterance (any bytes; see Normalizer for what is done
  /// with bad ones). Replaces the contents of `out`.
  void understand(std::string_view utterance, Understanding& out) const;

  /// An intent found by the host's own NLU, as an Understanding.
  void from_host(IntentId intent, float confidence, Understanding& out) const;

  const Normalizer& normalizer() const noexcept;
  const MatcherOptions& options() const noexcept;

  struct Impl;
  explicit Matcher(std::unique_ptr<Impl> impl);

 private:
  friend struct detail::MatcherTesting;
  std::unique_ptr<Impl> impl_;
};

}  // namespace patter
