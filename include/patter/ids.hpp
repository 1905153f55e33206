// patter/ids.hpp — the dense indices a compiled script names things by.
//
//   patter::NodeId n = script->start();
//   if (route.target == patter::kNone) { /* the route stays where it is */ }
//   std::optional<patter::IntentId> id = script->find_intent("opt_out");
//
// A Script resolves every name once, when it is compiled, so a running call
// never looks anything up by string: nodes, intents, variables and tags are
// numbered from 0 in the order the script declares them. kNone stands for
// "no such thing" wherever one of these indices may be absent. A CallId is
// the desk's number for a call it runs (patter/desk.hpp).
#pragma once

#include <cstdint>

namespace patter {

using NodeId = std::uint32_t;
using IntentId = std::uint32_t;
using VariableId = std::uint32_t;
/// Index into Script::tags(): every tag a script can give a call.
using TagId = std::uint16_t;
/// The desk's number for a call, unique within one Desk.
using CallId = std::uint64_t;
/// No node, intent or variable: the value of an index that is absent.
inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

}  // namespace patter
