// Words for assessing a trainee (patter/tooling/training_assessment.hpp):
// the content words of a script's line, and whether a trainee said them.
#pragma once

#include <patter/normalizer.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace patter::training_detail {

/// The content words of `text` once normalised by `norm`: numbers, words of
/// 2+ CJK characters, words of 3+ letters otherwise; common words left out.
/// Each once, in order.
std::vector<std::string> content_words(const Normalizer& norm, std::string_view text);

/// What a trainee said on a call, normalised once, for many look-ups.
class Said {
 public:
  Said(const Normalizer& norm, std::string_view text);
  /// `word` (normalised) was said: a CJK word anywhere, another as a word
  /// or sharing a start of 4+ letters with one.
  bool has_word(std::string_view word) const;
  /// Where `phrase` (normalised) was said first, on word boundaries
  /// outside CJK; npos when it was not.
  std::size_t find(std::string_view phrase) const;
  bool has_phrase(std::string_view phrase) const { return find(phrase) != std::string::npos; }

 private:
  std::string text_;
  std::vector<std::string_view> words_;
};

/// `text` with each byte that is not UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace patter::training_detail
