// What a regex pattern cannot match without: a quick test that lets the
// matcher skip ICU for utterances that lack a pattern's literal characters.
//
//   required_literals("(?<age>\\d+)\\s*(岁|周岁)")   // {"岁"}: both branches need it
//   required_literals("今年(?<age>[1-6][0-9])")       // {"今", "年"}
//   required_literals("(?<n>\\d+) ?(people|guests)")  // {"e"}: the one letter both share
//   required_literals("[岁年]")                       // {}: either will do
//
// The analysis is conservative: a character is listed only when every match
// of the pattern must contain it (in the text patterns read, pattern_text.hpp,
// and with the matcher's case-insensitive flag). Anything it does not understand
// (flags, lookaround, sets, letters whose case may vary beyond ASCII)
// requires nothing, so skipping a pattern never loses a match.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace patter::detail {

/// The characters (as UTF-8) every match of `pattern` contains, sorted and
/// without repeats; empty when nothing can be said.
std::vector<std::string> required_literals(std::string_view pattern);

/// Whether `text` holds every one of `required`. Patterns read the
/// customer's text with its case, so a letter counts in either case.
inline bool may_match(std::string_view text, const std::vector<std::string>& required) noexcept {
  for (const std::string& r : required) {
    if (r.size() == 1 && r[0] >= 'a' && r[0] <= 'z') {
      if (text.find(r[0]) == std::string_view::npos &&
          text.find(static_cast<char>(r[0] - 32)) == std::string_view::npos)
        return false;
    } else if (text.find(r) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace patter::detail
