// Inside a Matcher, and what it is built from: a list of intents and the
// settings that shape understanding (lib/compile/ makes them from a script).
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "match/automaton.hpp"
#include "match/pattern_filter.hpp"
#include "patter/matcher.hpp"

#include <unicode/regex.h>

namespace patter {

struct Matcher::Impl {
  struct Phrase {
    IntentId intent = 0;
    std::uint32_t rule = 0;   // index among the intent's phrases
    bool word_start = false;  // starts / ends with a Latin letter or digit:
    bool word_end = false;    // must sit on a word boundary
    std::uint8_t neg = 0xFF;  // where its first 不 or 没 is, in bytes (0xFF: none; see A-not-A)
    bool negative =
        false;  // begins with a negation (不行, "not interested"): a cue before it cancels
    bool frame = false;  // may be the outer half of a double negation (不是 of 不是不行)
    bool cue = false;  // is nothing but a cue (不是, 没有): negates what follows, even when taken
  };
  struct IntentInfo {
    int priority = 0;
    IntentId opposite = 0xFFFFFFFFu;
    IntentId positive = 0xFFFFFFFFu;  // the intent whose `opposite` this one is
    IntentKind kind = IntentKind::answer;
    std::uint64_t rank = 0;  // kind, then priority, in one number: rank_of()
  };
  /// Smaller first: the kind's rank, then the higher priority.
  static std::uint64_t rank_of(IntentKind kind, int priority) noexcept {
    return (std::uint64_t{static_cast<std::uint8_t>(kind)} << 32) |
           static_cast<std::uint32_t>(std::int64_t{0x7FFFFFFF} - priority);
  }
  struct Group {
    std::int32_t group = 0;
    VariableId variable = 0xFFFFFFFFu;
    bool numeric = false;
  };
  struct Pattern {
    IntentId intent = 0;
    std::uint32_t rule = 0;
    std::shared_ptr<icu::RegexPattern> regex;
    std::vector<Group> groups;
    detail::RequiredChoices required;             // what every match contains (pattern_filter.hpp)
    std::vector<detail::CharBits> required_bits;  // the same, as bits to test a reply's with
  };
  /// An example that is also understood as a whole clause of a longer
  /// reply: "对" alone between commas is affirm however the reply goes on.
  struct ClauseExample {
    std::string text;  // normalised, no clause mark
    IntentId intent = kNone;
    std::uint32_t index = 0;  // among the intent's examples
  };
  struct Cue {
    std::string text;        // normalised
    std::uint32_t last = 0;  // the UTF-8 bytes of its last character, the first lowest
  };

  Normalizer normalizer;
  MatcherOptions options;
  detail::PhraseAutomaton automaton;
  std::vector<Phrase> phrases;
  std::vector<IntentInfo> intents;
  std::vector<Pattern> patterns;
  std::vector<Cue> zh_cues;  // counted in characters; longest first
  std::vector<Cue> en_cues;  // counted in words, on word boundaries; longest first
  std::array<std::uint64_t, 8>
      zh_cue_last{};                       // the last characters of zh_cues, as a 512-bit filter
  std::shared_ptr<const void> similarity;  // detail::SimilarityIndex, when examples exist
  bool zh = false;                         // Traditional to Simplified in the patterns' text too

  std::vector<ClauseExample> clause_examples;  // sorted by text
  /// Only short examples are looked for as clauses: they are the answers
  /// too short to be phrases (对, 好的呀, "sure"); a longer clause costs one
  /// length check.
  static constexpr std::size_t kClauseExampleBytes = 24;
  std::size_t clause_example_bytes = 0;  // the longest of clause_examples

  /// The matching after normalisation: `out.normalized_` is filled.
  void match(Understanding& out) const;

  static std::uint32_t cue_last_bit(std::uint32_t last) noexcept {
    return (last * 0x9E3779B1u) >> (32 - 9);
  }
  bool may_end_zh_cue(std::uint32_t last) const noexcept {
    const std::uint32_t bit = cue_last_bit(last);
    return (zh_cue_last[bit >> 6] >> (bit & 63)) & 1u;
  }
};

namespace detail {

/// What a matcher is built from: the intents in IntentId order and the
/// settings, no Script. The spans and views point into the caller's
/// strings, which need to live only while build_matcher runs.
struct MatcherInput {
  struct Intent {
    std::span<const std::string> phrases;
    std::span<const std::string> patterns;
    std::span<const std::string> examples;
    /// `patterns` already compiled by compile_pattern, null where one did
    /// not; empty: compiled here.
    std::span<const std::shared_ptr<icu::RegexPattern>> compiled;
    IntentId opposite = kNone;
    int priority = 0;
    IntentKind kind = IntentKind::answer;
  };
  /// What a pattern's named group `(?<name>...)` may capture into.
  struct Variable {
    std::string_view name;
    bool numeric = false;  // a number is read from the words captured
  };
  NormalizeOptions normalize;
  MatcherOptions options;
  std::vector<Intent> intents;
  std::vector<Variable> variables;  // in VariableId order
};

/// A script's pattern as the matcher runs it: case-insensitive, as
/// documented, unless nothing in it has case (then ICU runs faster with the
/// same matches). Null, with `status` and `where` set, when it does not compile.
std::shared_ptr<icu::RegexPattern> compile_pattern(std::string_view pattern, UParseError& where,
                                                   UErrorCode& status);

/// Builds a matcher. `normalized_phrases` receives, per intent, its phrases
/// as normalised (for diagnostics: empty ones, duplicates, phrases another
/// one covers). Patterns that do not compile are left out: the compiler
/// reports them.
Matcher build_matcher(const MatcherInput& input,
                      std::vector<std::vector<std::string>>* normalized_phrases = nullptr);

/// For benchmarks and tests: matching alone, on text already normalised.
struct MatcherTesting {
  static void match_normalized(const Matcher& m, std::string_view normalized, Understanding& out);
  static const Matcher::Impl& impl(const Matcher& m);
};

}  // namespace detail
}  // namespace patter
