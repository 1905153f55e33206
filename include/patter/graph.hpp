// patter/graph.hpp — what the script's graph looks like, for checks and reports.
//
//   patter::GraphReport g = patter::analyze(*script);
//   for (NodeId n : g.unreachable) std::cout << script->node(n).name << " is never reached\n";
//   for (auto& p : g.terminal_paths)
//     std::cout << script->node(p.terminal).name << ": " << p.turns << " turns\n";
//
// `compile` runs this and turns the findings into diagnostics (P040-P042);
// tools call it for reports. Edges are those of Script::edges(). Global
// handlers that jump to a node make that node reachable, but they never
// count as a way out of a node: a script must not rely on the customer
// saying "stop calling me" to end a loop.
#pragma once

#include <cstdint>
#include <vector>

#include "patter/script.hpp"

namespace patter {

struct TerminalPath {
  NodeId terminal = kNone;
  /// Fewest customer replies from the start to reach it; -1 when unreachable.
  int turns = -1;
  /// The nodes along one shortest path, start first, terminal last.
  std::vector<NodeId> path;
};

struct GraphReport {
  std::vector<NodeId> unreachable;  ///< not reachable from the start
  std::vector<NodeId> dead_ends;    ///< not terminal and no edge out
  /// Strongly connected sets (each listed once, sorted) from which no
  /// terminal node can be reached.
  std::vector<std::vector<NodeId>> trap_cycles;
  std::vector<TerminalPath> terminal_paths;  ///< one per terminal node
};

GraphReport analyze(const Script& script);

}  // namespace patter
