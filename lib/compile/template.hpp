// Lines with `{variable}` holes: parsed once when the script compiles.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "patter/script.hpp"

namespace patter::detail {

struct TemplateError {
  std::size_t offset = 0;  ///< code points into the line
  Code code = Code::bad_template;
  std::string message;
  std::string hint;
};

/// Split `source` at its holes; `{{` and `}}` are literal braces.
/// `lookup` resolves a variable name; unknown names are an error.
std::optional<Template> parse_template(
    const std::string& source,
    const std::function<std::optional<VariableId>(std::string_view)>& lookup,
    const std::vector<std::string>& variable_names, TemplateError& error);

}  // namespace patter::detail
