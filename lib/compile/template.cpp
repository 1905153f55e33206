#include "compile/template.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "text/suggest.hpp"
#include "text/utf8.hpp"

namespace patter::detail {

std::optional<Template> parse_template(
    const std::string& src,
    const std::function<std::optional<VariableId>(std::string_view)>& lookup,
    const std::vector<std::string>& names, TemplateError& err) {
  Template t;
  t.source = src;
  // A literal before each hole and one after the last: the pieces of a
  // line without escaped braces in one allocation.
  t.pieces.reserve(2 * static_cast<std::size_t>(std::count(src.begin(), src.end(), '{')) + 1);
  auto fail = [&](std::size_t at, Code code, std::string msg, std::string hint) {
    err.offset = count_code_points(std::string_view(src).substr(0, at));
    err.code = code;
    err.message = std::move(msg);
    err.hint = std::move(hint);
    return std::nullopt;
  };
  // Adds the literal slice [from, to), merged into the literal just before
  // it when the two are contiguous in the source.
  auto literal = [&](std::size_t from, std::size_t to) {
    if (from == to) return;
    if (!t.pieces.empty() && t.pieces.back().variable == kNone &&
        t.pieces.back().offset + t.pieces.back().length == from) {
      t.pieces.back().length += static_cast<std::uint32_t>(to - from);
      return;
    }
    t.pieces.push_back(
        {static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to - from), kNone});
  };
  for (std::size_t i = 0; i < src.size(); ++i) {
    const char c = src[i];
    if ((c == '{' || c == '}') && i + 1 < src.size() && src[i + 1] == c) {
      literal(i, i + 1);  // `{{` means one brace: keep the first, skip the second
      ++i;
    } else if (c == '}') {
      return fail(i, Code::bad_template, "a `}` without its `{`", "write `}}` for a literal brace");
    } else if (c == '{') {
      const std::size_t close = src.find('}', i + 1);
      const std::size_t reopen = src.find('{', i + 1);
      if (close == std::string::npos || (reopen != std::string::npos && reopen < close))
        return fail(i, Code::bad_template, "a `{` is not closed",
                    "write `{name}` for a variable, `{{` for a brace");
      std::string_view name = std::string_view(src).substr(i + 1, close - i - 1);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (name.empty())
        return fail(i, Code::bad_template, "`{}` has no variable name", "write `{name}`");
      auto id = lookup(name);
      if (!id) {
        std::string hint = did_you_mean(name, names);
        if (hint.empty())
          hint = fmt::format("declare it under `variables:` (e.g. `{}: {{default: ...}}`)", name);
        return fail(i + 1, Code::undeclared_variable,
                    fmt::format("`{{{}}}` uses an undeclared variable", name), hint);
      }
      t.pieces.push_back({0, 0, *id});
      i = close;
    } else {
      std::size_t end = i;
      while (end < src.size() && src[end] != '{' && src[end] != '}') ++end;
      literal(i, end);  // never merges across a skipped brace: the slices are not contiguous
      i = end - 1;
    }
  }
  return t;
}

}  // namespace patter::detail
