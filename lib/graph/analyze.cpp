// The graph checks behind P040-P042 and the terminal-path report.
//
// Two graphs are involved. The *own* graph holds the edges a node has by
// itself (routes, next, fallbacks); it decides dead ends, traps and path
// lengths, because a script must end a call without the customer saying a
// global phrase. The *reach* graph adds the edges that start anywhere
// (global gotos, the limits' close node) through one extra vertex that
// every listening node leads to; it decides what can be reached at all.
#include "patter/graph.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/property_map/property_map.hpp>
#include <boost/range/iterator_range.hpp>

namespace patter {
namespace {

// The graph never changes once built, so compressed sparse rows: two
// arrays per graph instead of a container per vertex.
struct Turns {
  int turns = 0;
};
using OwnGraph =
    boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, Turns>;
using ReachGraph = boost::compressed_sparse_row_graph<boost::directedS>;
using Vertex = std::size_t;
using EdgePair = std::pair<Vertex, Vertex>;

/// A `next` edge (a node's or a variant's), a decision node's branch, a
/// call into a flow and a return from it are taken without listening;
/// everything else waits for the customer to say something (or to stay
/// silent), which is one turn.
int turns_of(const Edge& e) noexcept {
  switch (e.kind) {
    case EdgeKind::next:
    case EdgeKind::branch:
    case EdgeKind::call:
    case EdgeKind::flow_return: return 0;
    case EdgeKind::variant: return e.index == kNone ? 0 : 1;
    default: return 1;
  }
}

/// A node that ends its flow is an end within it: the flow's caller says
/// where the call goes on, and is checked there.
bool ends_flow(const Node& node) noexcept {
  return node.kind == NodeKind::ret;
}

bool is_own(const Edge& e, std::size_t n) noexcept {
  return e.from != kNone && e.from < n && e.to != kNone && e.to < n;
}

/// Marks every vertex a breadth-first search from `sources` reaches.
template <class Graph>
std::vector<bool> reached_from(const Graph& g, const std::vector<Vertex>& sources) {
  const std::size_t count = boost::num_vertices(g);
  std::vector<boost::default_color_type> color(count, boost::white_color);
  auto color_map =
      boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g));
  if (!sources.empty()) {
    boost::queue<Vertex> queue;
    boost::breadth_first_search(g, sources.begin(), sources.end(), queue,
                                boost::default_bfs_visitor(), color_map);
  }
  std::vector<bool> seen(count);
  for (std::size_t v = 0; v < count; ++v) seen[v] = color[v] != boost::white_color;
  return seen;
}

std::vector<NodeId> find_unreachable(const Script& script, const std::vector<Edge>& edges) {
  const auto& nodes = script.nodes();
  const std::size_t n = nodes.size();
  std::vector<NodeId> out;
  if (script.start() == kNone || script.start() >= n) {
    for (std::size_t v = 0; v < n; ++v) out.push_back(static_cast<NodeId>(v));
    return out;
  }

  const Vertex anywhere = n;
  std::vector<EdgePair> pairs;
  pairs.reserve(edges.size() + n);
  bool has_anywhere_edges = false;
  for (const Edge& e : edges) {
    if (e.to == kNone || e.to >= n) continue;
    if (e.from == kNone) {
      pairs.emplace_back(anywhere, e.to);
      has_anywhere_edges = true;
    } else if (e.from < n) {
      pairs.emplace_back(e.from, e.to);
    }
  }
  // Global handlers listen wherever the robot listens, and limits are
  // checked on the customer's turns: both start from a listening node.
  if (has_anywhere_edges)
    for (std::size_t v = 0; v < n; ++v)
      if (nodes[v].kind == NodeKind::listen) pairs.emplace_back(v, anywhere);
  const ReachGraph g(boost::edges_are_unsorted_multi_pass, pairs.begin(), pairs.end(), n + 1);

  const std::vector<bool> seen = reached_from(g, {script.start()});
  for (std::size_t v = 0; v < n; ++v)
    if (!seen[v]) out.push_back(static_cast<NodeId>(v));
  return out;
}

std::vector<NodeId> find_dead_ends(const Script& script, const OwnGraph& g) {
  std::vector<NodeId> out;
  const auto& nodes = script.nodes();
  for (std::size_t v = 0; v < nodes.size(); ++v)
    if (!nodes[v].terminal() && !ends_flow(nodes[v]) && boost::out_degree(v, g) == 0)
      out.push_back(static_cast<NodeId>(v));
  return out;
}

std::vector<std::vector<NodeId>> find_trap_cycles(const Script& script, const OwnGraph& g) {
  const auto& nodes = script.nodes();
  const std::size_t n = nodes.size();
  if (n == 0) return {};

  // Who can still end the call: a backward search from every terminal node.
  std::vector<Vertex> terminals;
  for (std::size_t v = 0; v < n; ++v)
    if (nodes[v].terminal() || ends_flow(nodes[v])) terminals.push_back(v);
  const std::vector<bool> can_end = reached_from(boost::make_reverse_graph(g), terminals);

  std::vector<std::size_t> component(n);
  auto component_map =
      boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g));
  const std::size_t count = boost::strong_components(g, component_map);

  std::vector<std::vector<NodeId>> members(count);
  std::vector<bool> cyclic(count, false);
  for (std::size_t v = 0; v < n; ++v) members[component[v]].push_back(static_cast<NodeId>(v));
  for (std::size_t v = 0; v < n; ++v)
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g)))
      if (boost::target(e, g) == v) cyclic[component[v]] = true;

  std::vector<std::vector<NodeId>> out;
  for (std::size_t c = 0; c < count; ++c) {
    auto& set = members[c];
    if (set.size() < 2 && !cyclic[c]) continue;
    // Strongly connected: one member reaching a terminal means all do.
    if (can_end[set.front()]) continue;
    std::sort(set.begin(), set.end());
    out.push_back(std::move(set));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<TerminalPath> find_terminal_paths(const Script& script, const OwnGraph& g) {
  const auto& nodes = script.nodes();
  const std::size_t n = nodes.size();
  std::vector<TerminalPath> out;

  constexpr int kInfinity = std::numeric_limits<int>::max();
  std::vector<int> distance(n, kInfinity);
  std::vector<Vertex> predecessor(n);
  const NodeId start = script.start();
  if (start != kNone && start < n) {
    auto index = boost::get(boost::vertex_index, g);
    for (std::size_t v = 0; v < n; ++v) predecessor[v] = v;
    boost::dijkstra_shortest_paths(
        g, start,
        boost::predecessor_map(boost::make_iterator_property_map(predecessor.begin(), index))
            .distance_map(boost::make_iterator_property_map(distance.begin(), index))
            .distance_inf(kInfinity)
            .weight_map(boost::get(&Turns::turns, g)));
  }

  for (std::size_t v = 0; v < n; ++v) {
    if (!nodes[v].terminal()) continue;
    TerminalPath p;
    p.terminal = static_cast<NodeId>(v);
    if (distance[v] != kInfinity) {
      p.turns = distance[v];
      for (Vertex at = v;; at = predecessor[at]) {
        p.path.push_back(static_cast<NodeId>(at));
        if (at == start || predecessor[at] == at) break;
      }
      std::reverse(p.path.begin(), p.path.end());
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

GraphReport analyze(const Script& script) {
  const std::size_t n = script.nodes().size();
  const std::vector<Edge> edges = script.edges();

  // Parallel edges (two routes to one node, a route and a fallback) keep
  // their own weights; Dijkstra takes the cheapest and the rest is harmless.
  std::vector<EdgePair> pairs;
  std::vector<Turns> turns;
  pairs.reserve(edges.size());
  turns.reserve(edges.size());
  for (const Edge& e : edges) {
    if (!is_own(e, n)) continue;
    pairs.emplace_back(e.from, e.to);
    turns.push_back({turns_of(e)});
  }
  const OwnGraph own(boost::edges_are_unsorted_multi_pass, pairs.begin(), pairs.end(),
                     turns.begin(), n);

  GraphReport report;
  report.unreachable = find_unreachable(script, edges);
  report.dead_ends = find_dead_ends(script, own);
  report.trap_cycles = find_trap_cycles(script, own);
  report.terminal_paths = find_terminal_paths(script, own);
  return report;
}

}  // namespace patter
