// What a compiled script's matcher is built from (lib/match/ never sees a
// Script: it takes a plain list of intents and settings).
#pragma once

#include "match/matcher_impl.hpp"
#include "patter/script.hpp"

namespace patter::detail {
/// The script's intents, in IntentId order, its variables and the settings
/// that shape understanding. Views into `script`, which must outlive it.
MatcherInput matcher_input(const Script& script);
}  // namespace patter::detail
