#include "compile/endless_loops.hpp"

#include <optional>

#include "script/expr_known.hpp"

namespace patter::detail {
namespace {

// What a check knows of a variable since the edge was taken: nothing set it
// (it holds the value the guard held with), a `set:` gave it a certain
// value, or ways that meet disagree.
struct Known {
  enum class State : std::uint8_t { untouched, value, any } state = State::untouched;
  Value value;

  bool operator==(const Known& o) const {
    return state == o.state &&
           (state != State::value || (value.type == o.value.type && same_value(value, o.value)));
  }
};
using Knowns = std::vector<Known>;  // one per variable the node's guards read

class EdgeCheck {
 public:
  EdgeCheck(const std::vector<Node>& nodes, const std::vector<Variable>& variables,
            const std::vector<std::vector<StepEdge>>& out)
      : nodes_(nodes), variables_(variables), out_(out) {}

  // Once `e` is taken, is its node reached again only where `e` cannot be
  // taken? Follows every way in `out_`, meeting what is known where they join.
  bool ruled_out(const StepEdge& e) {
    const Node& from = nodes_[e.from];
    slot_.assign(variables_.size(), -1);
    int slots = 0;
    for (std::uint32_t j = 0; j <= e.branch; ++j)
      for (const detail::Instr& in : from.branches[j].guard.code())
        if (in.op == Op::variable && in.arg < slot_.size() && slot_[in.arg] < 0)
          slot_[in.arg] = slots++;
    std::vector<std::optional<Knowns>> at(nodes_.size());
    Knowns start(static_cast<std::size_t>(slots));
    apply(from.branches[e.branch].set, start);
    at[e.to] = std::move(start);
    std::vector<NodeId> work{e.to};
    while (!work.empty()) {
      const NodeId v = work.back();
      work.pop_back();
      Knowns k = *at[v];
      apply(nodes_[v].set, k);
      if (v == e.from && !impossible(e, k)) return false;
      for (const StepEdge& o : out_[v]) {
        Knowns next = k;
        if (nodes_[v].kind == NodeKind::branch) apply(nodes_[v].branches[o.branch].set, next);
        if (meet(at[o.to], next)) work.push_back(o.to);
      }
    }
    return true;
  }

 private:
  KnownVariable lookup(const Knowns& k) const {
    return [this, &k](std::uint32_t v) -> std::optional<Value> {
      if (v >= slot_.size() || slot_[v] < 0) return std::nullopt;
      const Known& x = k[static_cast<std::size_t>(slot_[v])];
      if (x.state != Known::State::value) return std::nullopt;
      return x.value;
    };
  }

  // The branch is not taken: its guard is false, or an earlier one true.
  bool impossible(const StepEdge& e, const Knowns& k) const {
    const std::vector<Branch>& branches = nodes_[e.from].branches;
    for (std::uint32_t j = 0; j <= e.branch; ++j) {
      const std::optional<Value> r = evaluate_known(branches[j].guard, lookup(k), true);
      if (r && r->truthy() == (j < e.branch)) return true;
    }
    return false;
  }

  // A value is certain when it is literal text, or a calculation from what
  // is known; the runtime stores true/false in a number.
  void apply(const std::vector<Assignment>& set, Knowns& k) const {
    for (const Assignment& a : set) {
      if (a.variable >= slot_.size() || slot_[a.variable] < 0) continue;
      Known& x = k[static_cast<std::size_t>(slot_[a.variable])];
      x = Known{Known::State::any, {}};
      const Variable::Type type = variables_[a.variable].type;
      if (type == Variable::Type::text) {
        const auto& pieces = a.text.pieces;
        if (pieces.empty())
          x = {Known::State::value, Value::of(std::string_view())};
        else if (pieces.size() == 1 && pieces[0].variable == kNone)
          x = {Known::State::value, Value::of(a.text.literal(pieces[0]))};
        continue;
      }
      if (type == Variable::Type::time) continue;
      const std::optional<Value> r = evaluate_known(a.value, lookup(k), false);
      if (!r) continue;
      if (type == Variable::Type::boolean)
        x = {Known::State::value, Value::of(r->truthy())};
      else
        x = {Known::State::value,
             Value::of(r->type == Value::Type::number ? r->number : (r->truthy() ? 1.0 : 0.0))};
    }
  }

  // Joins what a way brings into what is known at a node; true when it changed.
  static bool meet(std::optional<Knowns>& at, const Knowns& way) {
    if (!at) {
      at = way;
      return true;
    }
    bool changed = false;
    for (std::size_t i = 0; i < way.size(); ++i) {
      if ((*at)[i] == way[i] || (*at)[i].state == Known::State::any) continue;
      (*at)[i] = Known{Known::State::any, {}};
      changed = true;
    }
    return changed;
  }

  const std::vector<Node>& nodes_;
  const std::vector<Variable>& variables_;
  const std::vector<std::vector<StepEdge>>& out_;
  std::vector<int> slot_;  // per variable: its place in Knowns, or -1
};

std::vector<StepEdge> step_edges(const std::vector<Node>& nodes) {
  std::vector<StepEdge> edges;
  const auto n = static_cast<NodeId>(nodes.size());
  for (NodeId v = 0; v < n; ++v) {
    const Node& node = nodes[v];
    if (node.kind == NodeKind::pass) {
      if (node.next < n) edges.push_back({v, node.next, 0});
      for (const Variant& var : node.variants)
        if (var.next < n && var.next != node.next) edges.push_back({v, var.next, 0});
    }
    if (node.kind == NodeKind::branch)
      for (std::uint32_t b = 0; b < node.branches.size(); ++b)
        if (node.branches[b].target < n) edges.push_back({v, node.branches[b].target, b});
  }
  return edges;
}

// The strongly connected component of each node (Kosaraju, without
// recursion: a script may chain thousands of pass-through nodes).
std::vector<std::uint32_t> components(const std::vector<StepEdge>& edges, std::size_t n) {
  std::vector<std::vector<NodeId>> out(n), in(n);
  for (const StepEdge& e : edges) {
    out[e.from].push_back(e.to);
    in[e.to].push_back(e.from);
  }
  std::vector<NodeId> order;  // by the time each node is finished
  std::vector<bool> seen(n);
  std::vector<std::pair<NodeId, std::size_t>> stack;  // node, next edge
  for (NodeId root = 0; root < n; ++root) {
    if (seen[root]) continue;
    seen[root] = true;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto& [v, i] = stack.back();
      if (i < out[v].size()) {
        const NodeId w = out[v][i++];
        if (!seen[w]) {
          seen[w] = true;
          stack.push_back({w, 0});
        }
      } else {
        order.push_back(v);
        stack.pop_back();
      }
    }
  }
  constexpr std::uint32_t kUnset = 0xFFFFFFFF;
  std::vector<std::uint32_t> comp(n, kUnset);
  std::uint32_t count = 0;
  std::vector<NodeId> todo;
  for (auto it = order.rbegin(); it != order.rend(); ++it, ++count) {
    if (comp[*it] != kUnset) continue;
    todo.assign(1, *it);
    comp[*it] = count;
    while (!todo.empty()) {
      const NodeId v = todo.back();
      todo.pop_back();
      for (const NodeId w : in[v])
        if (comp[w] == kUnset) {
          comp[w] = count;
          todo.push_back(w);
        }
    }
  }
  return comp;
}

// The edges that lie on a cycle: their end leads back to their start.
std::vector<StepEdge> on_cycles(const std::vector<StepEdge>& edges, std::size_t n) {
  const std::vector<std::uint32_t> comp = components(edges, n);
  std::vector<StepEdge> kept;
  for (const StepEdge& e : edges)
    if (comp[e.from] == comp[e.to]) kept.push_back(e);
  return kept;
}

}  // namespace

std::vector<StepEdge> endless_edges(const std::vector<Node>& nodes,
                                    const std::vector<Variable>& variables) {
  std::vector<StepEdge> edges = on_cycles(step_edges(nodes), nodes.size());
  // An edge ruled out is taken at most once in a row of steps without
  // listening; without it, others may be ruled out in turn.
  for (bool removed = true; removed && !edges.empty();) {
    std::vector<std::vector<StepEdge>> out(nodes.size());
    for (const StepEdge& e : edges) out[e.from].push_back(e);
    EdgeCheck check(nodes, variables, out);
    std::vector<StepEdge> kept;
    for (const StepEdge& e : edges)
      if (nodes[e.from].kind != NodeKind::branch || !check.ruled_out(e)) kept.push_back(e);
    removed = kept.size() < edges.size();
    edges = on_cycles(kept, nodes.size());
  }
  return edges;
}

}  // namespace patter::detail
