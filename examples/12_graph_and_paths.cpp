// 12 — The graph: every script is a state graph, checked when it loads
// (every node reachable, every node able to end the call) and drawable for
// Graphviz. analyze() gives the shortest way to each ending, for reviews.
//
//   Script ──analyze──▶ GraphReport: unreachable, dead ends, trap cycles,
//     │                              shortest path to every ending
//     └──to_dot──▶ DOT text ──(dot -Tsvg)──▶ picture
//
//   $ 12_graph_and_paths [SCRIPT.yaml] > paths.txt   (DOT goes to graph.dot)
#include <fstream>
#include <iostream>
#include <string>

#include <patter/patter.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

int main(int argc, char** argv) {
  const std::string path =
      argc > 1 ? argv[1] : PATTER_EXAMPLES_DIR "/scripts/appointment.en-US.yaml";
  auto loaded = patter::load_file(path);
  if (!loaded.ok()) return 1;
  const patter::Script& script = *loaded.script;

  const patter::GraphReport graph = patter::analyze(script);
  std::cout << script.nodes().size() << " nodes, " << script.edges().size() << " edges; "
            << graph.unreachable.size() << " unreachable, " << graph.dead_ends.size()
            << " dead ends, " << graph.trap_cycles.size() << " trap cycles\n";
  for (const patter::TerminalPath& p : graph.terminal_paths) {
    if (p.turns < 0) continue;
    std::cout << script.node(p.terminal).name << " after " << p.turns << " replies:";
    for (patter::NodeId n : p.path) std::cout << ' ' << script.node(n).name;
    std::cout << '\n';
  }
  std::ofstream("graph.dot") << patter::to_dot(script);
  std::cout << "wrote graph.dot (dot -Tsvg graph.dot -o graph.svg)\n";
}
