// patter/normalizer.hpp — one text pipeline for script phrases and customer words.
//
//   patter::Normalizer zh({.locale = "zh-CN", .fillers = {"嗯", "啊"}});
//   std::string out;
//   zh.normalize("嗯，不感興趣 ！", out);   // out == "不感兴趣"
//
//   patter::Normalizer en({.locale = "en-US", .fillers = {"um", "uh"}});
//   en.normalize("Um, ＯＫ... NOT interested!", out);  // out == "ok|not interested"
//   zh.normalize("不要了，以后别打过来", out);          // out == "不要了|以后别打过来"
//
// The same pipeline runs on every phrase when a script compiles and on every
// utterance at run time, so both sides always agree:
//   1. UTF-8 is validated; an invalid byte becomes U+FFFD and sets
//      `invalid_utf8`. U+FFFD is a symbol, so like punctuation it only
//      separates words: "好\xFF的" reads "好的", "ok\xFFsure" reads "ok sure".
//   2. Each character is NFKC-normalised and case-folded (full-width "ＯＫ"
//      is "ok"), and for zh scripts Traditional becomes Simplified
//      ("不感興趣" is "不感兴趣").
//   3. Punctuation, symbols and spaces separate words: between two CJK
//      characters they disappear ("好 的" is "好的"); elsewhere they become
//      one space ("ok - sure" is "ok sure"). Leading and trailing separators go.
//      The marks that end a clause (， 。 ？ ！ 、 ； … , . ? ! ; in ASCII,
//      full and half width) become one `kClauseMark` ('|') instead, and so
//      does a line break: a host that knows where the customer paused
//      (ASR segments) joins them with '\n'. No phrase holds the mark, so no
//      phrase and no negation reaches across it. A '.' or ',' between
//      digits is part of the number ("3.5", "3,200").
//   4. Filler words are removed when they stand alone: English fillers as
//      whole words, Chinese fillers when a run of them forms a word of its
//      own ("嗯嗯，好的" is "好的", but "是啊" keeps its 啊).
// Steps 2 and 3 come from ICU, computed once per process into a table, so
// normalising costs a table lookup per character, with no ICU call and no
// allocation once `out` has capacity. The table is built by the first
// Normalizer of the process (about 0.1 s). Text past `kMaxBytes` is
// ignored and sets `truncated`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace patter {

struct NormalizeOptions {
  std::string locale = "zh-CN";      ///< "zh-CN" turns on Traditional-to-Simplified
  std::vector<std::string> fillers;  ///< words removed when they stand alone (normalised first)
};

struct NormalizeResult {
  bool invalid_utf8 = false;  ///< some bytes were not UTF-8 and became U+FFFD
  bool truncated = false;     ///< the input was longer than Normalizer::kMaxBytes
  std::uint32_t length = 0;   ///< characters (code points) in the output
};

/// Whether the marks that end a clause are kept (as `Normalizer::kClauseMark`)
/// or read as any other separator (for a script's own phrases).
enum class Clauses : std::uint8_t { keep, join };

class Normalizer {
 public:
  /// Longest utterance considered, in bytes of input; the rest is ignored.
  static constexpr std::size_t kMaxBytes = 4096;
  /// Stands between two clauses in normalised text; never a character of a
  /// word, and not counted in `NormalizeResult::length`.
  static constexpr char kClauseMark = '|';

  explicit Normalizer(NormalizeOptions options = {});
  ~Normalizer();
  Normalizer(Normalizer&&) noexcept;
  Normalizer& operator=(Normalizer&&) noexcept;

  /// Normalise `text` into `out` (replacing its contents). Thread-safe.
  NormalizeResult normalize(std::string_view text, std::string& out) const;
  NormalizeResult normalize(std::string_view text, std::string& out, Clauses clauses) const;
  std::string normalize(std::string_view text) const;

  const NormalizeOptions& options() const noexcept { return options_; }

 private:
  NormalizeOptions options_;
  struct Fillers;
  std::unique_ptr<Fillers> fillers_;
};

}  // namespace patter
