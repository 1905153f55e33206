// The compiler entry point used by the loader.
#pragma once

#include "patter/script.hpp"

namespace patter::detail {
/// compile(), with the graph checks optional: after reading errors the
/// spec is incomplete and its graph would give misleading findings.
/// A library (`library:` file) is checked for what it declares only: no
/// start node, no graph, and no script comes of it.
CompileResult compile_checked(const ScriptSpec& spec, bool check_graph, bool library);
}  // namespace patter::detail
