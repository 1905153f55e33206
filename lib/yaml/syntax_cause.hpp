// Two slips that YAML parsers report far from their cause ("end of map not
// found"): a tab in the indentation, and a value that starts with `{`
// (which YAML reads as a map, while an author means a `{variable}` line).
// parse_yaml asks here first, so the diagnostic names the cause and its fix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patter::detail {

struct SyntaxCause {
  std::uint32_t line = 0, column = 0;  ///< 1-based, column in characters
  std::string message, hint;
};

/// The likely cause of a YAML syntax error reported at `line`: looked for
/// on that line and the lines before it (a tab) or the two before it (a `{`).
std::optional<SyntaxCause> syntax_cause(std::string_view text, std::uint32_t line);

}  // namespace patter::detail
