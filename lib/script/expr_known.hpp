// What an expression gives when only some of what it reads is known: for
// compile-time checks that follow the graph (a `set:` that makes a guard
// false on the way), never for a live call.
//
//   // cuisine known to be '', everything else unknown:
//   evaluate_known(guard, [&](VariableId v) -> std::optional<Value> {
//     if (v == cuisine) return Value::of(std::string_view(""));
//     return std::nullopt;
//   }, true);   // "cuisine != '' and lower(cuisine) not in [...]" -> false
#pragma once

#include <functional>
#include <optional>

#include "patter/expr.hpp"

namespace patter::detail {

using KnownVariable = std::function<std::optional<Value>(std::uint32_t variable)>;

/// The value `e` gives whatever the call's counters, tags, visits and the
/// variables `known` says nothing of are; nullopt when it depends on them
/// (or when working it out would take too long). With `truthy_only`, two
/// outcomes that are both true (or both false) agree, which is all a guard
/// needs. An empty expression gives true.
std::optional<Value> evaluate_known(const Expr& e, const KnownVariable& known, bool truthy_only);

/// Whether two values are equal, as `==` says.
bool same_value(const Value& a, const Value& b) noexcept;

}  // namespace patter::detail
