#include "yaml/syntax_cause.hpp"

#include <fmt/format.h>

#include <vector>

#include "text/utf8.hpp"

namespace patter::detail {
namespace {

std::vector<std::string_view> lines_of(std::string_view text, std::uint32_t upto) {
  std::vector<std::string_view> out;
  while (out.size() < upto) {
    const std::size_t nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

/// A tab among the spaces that indent a line (YAML allows only spaces there).
std::optional<SyntaxCause> tab_indent(const std::vector<std::string_view>& lines) {
  for (std::size_t i = lines.size(); i-- > 0;) {
    const std::string_view l = lines[i];
    const std::size_t text_at = l.find_first_not_of(" \t");
    const std::size_t tab = l.substr(0, text_at).find('\t');
    if (tab == std::string_view::npos || text_at == std::string_view::npos) continue;
    return SyntaxCause{static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(tab + 1),
                       "a tab character indents this line; YAML indents with spaces only",
                       "replace the tab with spaces (set your editor to insert spaces for tabs)"};
  }
  return std::nullopt;
}

/// `say: {name}, hello` or a line `{name}, hello`: text after a `{...}`
/// means the author wrote a line starting with a variable, not a map.
std::optional<SyntaxCause> brace_value(const std::vector<std::string_view>& lines) {
  const std::size_t first = lines.size() > 3 ? lines.size() - 3 : 0;
  for (std::size_t i = lines.size(); i-- > first;) {
    const std::string_view l = lines[i];
    std::size_t at = l.find_first_not_of(' ');
    if (at == std::string_view::npos || l[at] == '#') continue;
    if (l.substr(at, 2) == "- ") at = l.find_first_not_of(' ', at + 2);
    if (at == std::string_view::npos) continue;
    if (l[at] != '{') {
      const std::size_t colon = l.find(": ", at);
      if (colon == std::string_view::npos) continue;
      at = l.find_first_not_of(' ', colon + 1);
      if (at == std::string_view::npos || l[at] != '{') continue;
    }
    const std::size_t close = l.find('}', at);
    if (close == std::string_view::npos) continue;
    const std::size_t after = l.find_first_not_of(' ', close + 1);
    if (after == std::string_view::npos || l[after] == '#') continue;  // a real {map}
    std::string_view value = l.substr(at);
    const std::size_t comment = value.find(" #");
    if (comment != std::string_view::npos) value = value.substr(0, comment);
    return SyntaxCause{static_cast<std::uint32_t>(i + 1),
                       static_cast<std::uint32_t>(count_code_points(l.substr(0, at)) + 1),
                       fmt::format("`{}` starts with `{{`, which YAML reads as the start of a map "
                                   "({{key: value}}), not as text with a variable",
                                   value),
                       fmt::format("put the text in quotes: \"{}\"", value)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<SyntaxCause> syntax_cause(std::string_view text, std::uint32_t line) {
  if (line == 0) return std::nullopt;
  const std::vector<std::string_view> lines = lines_of(text, line);
  if (auto c = tab_indent(lines)) return c;
  return brace_value(lines);
}

}  // namespace patter::detail
