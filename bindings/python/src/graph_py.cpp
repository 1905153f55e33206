// patter.analyze(script): the shape of the script's graph (patter/graph.hpp),
// with node names instead of indices.
#include <patter/graph.hpp>

#include "common.hpp"

namespace patter::python {
namespace {

py::list names(const Script& s, const std::vector<NodeId>& ids) {
  py::list out;
  for (NodeId id : ids) out.append(node_name(s, id));
  return out;
}

py::object graph_report(const Script& s, const GraphReport& g) {
  py::list cycles, paths;
  for (const std::vector<NodeId>& c : g.trap_cycles) cycles.append(names(s, c));
  for (const TerminalPath& p : g.terminal_paths)
    paths.append(pylayer("TerminalPath")(node_name(s, p.terminal), p.turns, names(s, p.path)));
  return pylayer("GraphReport")(names(s, g.unreachable), names(s, g.dead_ends), cycles, paths);
}

}  // namespace

void init_graph(py::module_& m) {
  m.def(
      "analyze",
      [](const ScriptRef& s) {
        GraphReport g;
        {
          py::gil_scoped_release nogil;
          g = analyze(**s);
        }
        return graph_report(**s, g);
      },
      py::arg("script"),
      "Unreachable nodes, dead ends, cycles with no way out and the shortest way to each "
      "terminal node.");
}

}  // namespace patter::python
