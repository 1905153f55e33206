// Guard and grading expressions: text -> checked bytecode (patter/expr.hpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "patter/diagnostic.hpp"
#include "patter/expr.hpp"
#include "patter/script.hpp"

namespace patter::detail {

/// How names in an expression resolve; each returns nullopt for unknown.
struct ExprSymbols {
  std::function<std::optional<std::uint32_t>(std::string_view)> node;
  std::function<std::optional<std::uint32_t>(std::string_view)> intent;
  std::function<std::optional<std::pair<VariableId, Variable::Type>>(std::string_view)> variable;
  // All names, for "did you mean": asked for only when a name is wrong.
  std::function<const std::vector<std::string>&()> node_names, intent_names, variable_names;
};

struct ExprError {
  std::size_t offset = 0;  ///< code points from the start of the expression
  Code code = Code::bad_expression;
  std::string message;
  std::string hint;
};

std::optional<Expr> compile_expr(const std::string& source, const ExprSymbols& symbols,
                                 ExprError& error);
/// The same, and what the expression gives (for `set:` values).
std::optional<Expr> compile_expr(const std::string& source, const ExprSymbols& symbols,
                                 ExprError& error, Variable::Type& type);

}  // namespace patter::detail
