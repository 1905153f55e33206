// patter/ids.hpp — the dense indices a compiled script uses for names.
//
//   patter::NodeId n = script->start();
//   const patter::Node& first = script->node(n);
//   if (auto i = script->find_intent("opt_out")) std::cout << script->intent(*i).name;
//   if (first.next == patter::kNone) { /* no next node */ }
//
// A running call never looks a name up by string: nodes, intents,
// variables and tags are numbered when the script is compiled, and kNone
// stands for "no such one" (no next node, no opposite intent...).
#pragma once

#include <cstdint>

namespace patter {

using NodeId = std::uint32_t;
using IntentId = std::uint32_t;
using VariableId = std::uint32_t;
/// Index into Script::tags(): every tag a script can give a call.
using TagId = std::uint16_t;
/// No node, intent or variable.
inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

}  // namespace patter
