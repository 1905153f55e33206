// What a script may hold: the counts and lengths of LoadOptions, checked on
// the spec once its libraries are merged, before anything is compiled, so a
// script past them costs no more than reading it.
#pragma once

#include <vector>

#include "patter/diagnostic.hpp"
#include "patter/loader.hpp"
#include "patter/spec.hpp"

namespace patter::detail {

/// One diagnostic (P050-P058) for each limit of `options` that `spec` goes
/// past, pointing at the first element past it; for lengths, one for each
/// text too long. `spec.files` names the files its Marks index. Returns
/// false when any limit was passed.
bool check_size_limits(const ScriptSpec& spec, const LoadOptions& options,
                       std::vector<Diagnostic>& out);

}  // namespace patter::detail
