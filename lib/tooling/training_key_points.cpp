// The key points of a training call (patter/tooling/training_assessment.hpp):
// the clauses of the lines on the script's way from where the trainee took
// over to its goal, each with its content words.
#include <deque>
#include <string>

#include "patter/tooling/training_assessment.hpp"
#include "text/utf8.hpp"
#include "training_words.hpp"

namespace patter {
namespace {

// Where a call can go from `n` on the customer's replies or by itself
// (fallbacks left out: they are not the way to the goal).
std::vector<NodeId> next_nodes(const Script& s, const Node& n) {
  std::vector<NodeId> out;
  auto add = [&](NodeId t) {
    if (t != kNone) out.push_back(t);
  };
  for (const Route& r : n.routes) add(r.target);
  for (const Variant& v : n.variants) {
    for (const Route& r : v.routes) add(r.target);
    add(v.next);
  }
  add(n.next);
  for (const Branch& b : n.branches) add(b.target);
  add(n.call_start);
  add(n.call_then);
  for (const auto& [outcome, target] : n.on_return) add(target);
  if (n.fetch < s.fetches().size()) {
    const Fetch& f = s.fetches()[n.fetch];
    for (const FetchRoute& r : f.routes) add(r.target);
    add(f.failed);
    add(f.timeout);
  }
  return out;
}

// Breadth first from `from`, not through escalations: each node's parent
// on a shortest way (kNone: not reached; `from` is its own).
std::vector<NodeId> ways_from(const Script& s, NodeId from) {
  std::vector<NodeId> parent(s.nodes().size(), kNone);
  std::deque<NodeId> todo{from};
  parent[from] = from;
  while (!todo.empty()) {
    const NodeId n = todo.front();
    todo.pop_front();
    if (n != from && s.node(n).kind == NodeKind::escalate) continue;
    for (NodeId t : next_nodes(s, s.node(n))) {
      if (t >= parent.size() || parent[t] != kNone) continue;
      parent[t] = n;
      todo.push_back(t);
    }
  }
  return parent;
}

std::vector<std::uint32_t> depth_from_start(const Script& s) {
  std::vector<std::uint32_t> depth(s.nodes().size(), UINT32_MAX);
  std::deque<NodeId> todo{s.start()};
  depth[s.start()] = 0;
  while (!todo.empty()) {
    const NodeId n = todo.front();
    todo.pop_front();
    for (NodeId t : next_nodes(s, s.node(n)))
      if (t < depth.size() && depth[t] == UINT32_MAX) {
        depth[t] = depth[n] + 1;
        todo.push_back(t);
      }
  }
  return depth;
}

// The way from `from` to the goal: the deepest `hangup: completed` node it
// reaches (the last close of the funnel, such as a booking); just `from`
// when it reaches none.
std::vector<NodeId> way_to_goal(const Script& s, NodeId from) {
  const std::vector<NodeId> parent = ways_from(s, from);
  const std::vector<std::uint32_t> depth = depth_from_start(s);
  NodeId goal = kNone;
  for (NodeId n = 0; n < s.nodes().size(); ++n) {
    const Node& node = s.node(n);
    if (parent[n] == kNone || node.kind != NodeKind::hangup ||
        node.hangup != HangupReason::completed)
      continue;
    const auto d = [&](NodeId x) { return depth[x] == UINT32_MAX ? 0 : depth[x]; };
    if (goal == kNone || d(n) > d(goal)) goal = n;
  }
  std::vector<NodeId> way;
  for (NodeId n = goal == kNone ? from : goal; n != from; n = parent[n]) way.push_back(n);
  way.push_back(from);
  return {way.rbegin(), way.rend()};
}

bool ends_clause(char32_t c, char32_t before, char32_t after) {
  switch (c) {
    case U'，':
    case U'。':
    case U'？':
    case U'！':
    case U'；':
    case U'\n':
    case U',':
    case U'?':
    case U'!':
    case U';': return true;
    case U'.': return !(before >= U'0' && before <= U'9' && after >= U'0' && after <= U'9');
    default: return false;
  }
}

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

// A line's clauses, as the author wrote them.
std::vector<std::string> clauses(std::string_view line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  char32_t before = 0;
  for (std::size_t i = 0; i < line.size();) {
    const std::size_t at = i;
    const char32_t c = detail::decode_utf8(line, i);
    std::size_t j = i;
    const char32_t after = j < line.size() ? detail::decode_utf8(line, j) : 0;
    if (ends_clause(c, before, after)) {
      if (std::string t = trimmed(line.substr(start, at - start)); !t.empty()) out.push_back(t);
      start = i;
    }
    before = c;
  }
  if (std::string t = trimmed(line.substr(start)); !t.empty()) out.push_back(t);
  return out;
}

// `{variables}` say nothing a trainee could be asked to repeat.
std::string without_holes(std::string_view clause) {
  std::string out;
  int depth = 0;
  for (char c : clause) {
    if (c == '{') ++depth;
    if (depth == 0) out += c;
    if (c == '}' && depth > 0) {
      --depth;
      out += ' ';
    }
  }
  return out;
}

}  // namespace

std::vector<KeyPoint> key_points(const Script& script, NodeId from,
                                 const AssessmentOptions& options) {
  std::vector<KeyPoint> out;
  const Normalizer norm({.locale = script.locale(), .fillers = {}});
  if (!options.key_points.empty()) {
    for (const std::string& p : options.key_points) {
      KeyPoint k;
      k.text = p;
      k.words = training_detail::content_words(norm, p);
      if (!k.words.empty()) out.push_back(std::move(k));
    }
    return out;
  }
  if (from >= script.nodes().size()) return out;
  std::uint32_t nodes = 0;
  for (NodeId n : way_to_goal(script, from)) {
    const Node& node = script.node(n);
    if (nodes >= options.key_nodes) break;
    if (node.lines.empty() || node.kind == NodeKind::escalate) continue;
    ++nodes;
    for (std::string& c : clauses(node.lines.front().source)) {
      KeyPoint k;
      k.node = node.name;
      k.text = std::move(c);
      k.words = training_detail::content_words(norm, without_holes(k.text));
      if (!k.words.empty()) out.push_back(std::move(k));
    }
  }
  return out;
}

}  // namespace patter
