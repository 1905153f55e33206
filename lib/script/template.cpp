#include "script/template.hpp"

#include <fmt/format.h>

#include "text/suggest.hpp"
#include "text/utf8.hpp"

namespace patter::detail {

std::optional<Template> parse_template(const std::string& src,
                                       const std::function<std::optional<VariableId>(std::string_view)>& lookup,
                                       const std::vector<std::string>& names, TemplateError& err) {
  Template t;
  t.source = src;
  std::string lit;
  auto fail = [&](std::size_t at, Code code, std::string msg, std::string hint) {
    err.offset = count_code_points(std::string_view(src).substr(0, at));
    err.code = code;
    err.message = std::move(msg);
    err.hint = std::move(hint);
    return std::nullopt;
  };
  for (std::size_t i = 0; i < src.size(); ++i) {
    const char c = src[i];
    if (c == '{' && i + 1 < src.size() && src[i + 1] == '{') {
      lit += '{';
      ++i;
    } else if (c == '}' && i + 1 < src.size() && src[i + 1] == '}') {
      lit += '}';
      ++i;
    } else if (c == '}') {
      return fail(i, Code::bad_template, "a `}` without its `{`", "write `}}` for a literal brace");
    } else if (c == '{') {
      const std::size_t close = src.find('}', i + 1);
      const std::size_t reopen = src.find('{', i + 1);
      if (close == std::string::npos || (reopen != std::string::npos && reopen < close))
        return fail(i, Code::bad_template, "a `{` is not closed", "write `{name}` for a variable, `{{` for a brace");
      std::string_view name = std::string_view(src).substr(i + 1, close - i - 1);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (name.empty()) return fail(i, Code::bad_template, "`{}` has no variable name", "write `{name}`");
      auto id = lookup(name);
      if (!id) {
        std::string hint = did_you_mean(name, names);
        if (hint.empty()) hint = fmt::format("declare it under `variables:` (e.g. `{}: {{default: ...}}`)", name);
        return fail(i + 1, Code::undeclared_variable, fmt::format("`{{{}}}` uses an undeclared variable", name), hint);
      }
      if (!lit.empty()) t.pieces.push_back({std::move(lit), kNone});
      lit.clear();
      t.pieces.push_back({{}, *id});
      i = close;
    } else {
      // Copy the run of plain text up to the next brace in one go.
      std::size_t end = i;
      while (end < src.size() && src[end] != '{' && src[end] != '}') ++end;
      lit.append(src, i, end - i);
      i = end - 1;
    }
  }
  if (!lit.empty()) t.pieces.push_back({std::move(lit), kNone});
  return t;
}

}  // namespace patter::detail
