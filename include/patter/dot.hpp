// patter/dot.hpp — draw a script with Graphviz.
//
//   std::ofstream("script.dot") << patter::to_dot(*script);
//   // $ dot -Tsvg script.dot -o script.svg
//
// Nodes show their name and the first phrasing of their line; edges are
// labelled with their intents (or keys) and guard; hang-up nodes are red
// octagons, escalations green double octagons, the start node bold; global
// handlers appear in a box of their own; fallback edges are dashed.
#pragma once

#include <string>

#include "patter/script.hpp"

namespace patter {

struct DotOptions {
  bool show_globals = true;
  bool show_fallbacks = true;
  /// Longest text shown inside a node, in characters (not bytes).
  std::size_t max_label_chars = 24;
};

std::string to_dot(const Script& script, const DotOptions& options = {});

}  // namespace patter
