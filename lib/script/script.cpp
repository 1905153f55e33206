#include <algorithm>

#include "patter/script.hpp"

#include "patter/random.hpp"
#include "text/fnv1a.hpp"

namespace patter {
namespace {
template <class Index>
std::optional<std::uint32_t> find_in(const Index& index, std::string_view name) noexcept {
  auto it = std::lower_bound(index.begin(), index.end(), name,
                             [](const auto& e, std::string_view n) { return e.first < n; });
  if (it != index.end() && it->first == name) return it->second;
  return std::nullopt;
}
}  // namespace

std::optional<NodeId> Script::find_node(std::string_view name) const noexcept {
  return find_in(node_index_, name);
}
std::optional<IntentId> Script::find_intent(std::string_view name) const noexcept {
  return find_in(intent_index_, name);
}
std::optional<VariableId> Script::find_variable(std::string_view name) const noexcept {
  return find_in(variable_index_, name);
}

std::optional<TagId> Script::find_tag(std::string_view name) const noexcept {
  auto it = std::lower_bound(tags_.begin(), tags_.end(), name,
                             [](const std::string& t, std::string_view n) { return t < n; });
  if (it != tags_.end() && *it == name) return static_cast<TagId>(it - tags_.begin());
  return std::nullopt;
}

std::optional<std::uint8_t> Script::find_grade(std::string_view code) const noexcept {
  for (std::size_t i = 0; i < grades_.size(); ++i)
    if (grades_[i] == code) return static_cast<std::uint8_t>(i);
  return std::nullopt;
}

std::string_view limit_close_name(std::uint32_t index) noexcept {
  static constexpr std::string_view kNames[] = {
      "max_turns",      "max_duration_s",       "max_visits",    "no_match_consecutive",
      "no_match_total", "no_input_consecutive", "no_input_total"};
  return index >= 2 && index - 2 < std::size(kNames) ? kNames[index - 2] : std::string_view();
}

// `at_total` goes on as a fallback: index 1 + its place (0 is `then`).
void Script::at_total_edges(NodeId n, std::vector<Edge>& out) const {
  const Node& node = nodes_[n];
  for (std::uint32_t i = 0; i < node.no_match.at_total.size(); ++i)
    out.push_back({n, node.no_match.at_total[i].second, EdgeKind::no_match, i + 1});
  for (std::uint32_t i = 0; i < node.no_input.at_total.size(); ++i)
    out.push_back({n, node.no_input.at_total[i].second, EdgeKind::no_input, i + 1});
}

// A limit's own close node, when it is not `close`: index 2 + the limit
// (limit_close_name).
void Script::limit_close_edges(std::vector<Edge>& out) const {
  const Limits& l = limits_;
  const NodeId own[] = {l.close_max_turns,      l.close_max_duration,
                        l.close_max_visits,     l.close_no_match_consecutive,
                        l.close_no_match_total, l.close_no_input_consecutive,
                        l.close_no_input_total};
  for (std::uint32_t k = 0; k < std::size(own); ++k)
    if (own[k] != kNone && own[k] != l.close)
      out.push_back({kNone, own[k], EdgeKind::limit, k + 2});
}

// A call goes to its flow's start; each `return:` of the flow goes where
// each caller goes on for that outcome.
void Script::flow_edges(std::vector<Edge>& out) const {
  for (NodeId c = 0; c < nodes_.size(); ++c) {
    const Node& caller = nodes_[c];
    if (caller.kind != NodeKind::call || caller.call_start == kNone) continue;
    out.push_back({c, caller.call_start, EdgeKind::call, 0});
    for (NodeId r = 0; r < nodes_.size(); ++r) {
      const Node& ret = nodes_[r];
      if (ret.kind != NodeKind::ret || ret.flow != caller.calls) continue;
      if (const NodeId to = caller.after_return(ret.outcome); to != kNone)
        out.push_back({r, to, EdgeKind::flow_return, c});
    }
  }
}

std::vector<Edge> Script::edges() const {
  std::vector<Edge> out;
  for (NodeId n = 0; n < nodes_.size(); ++n) {
    const Node& node = nodes_[n];
    for (std::uint32_t r = 0; r < node.routes.size(); ++r)
      if (node.routes[r].target != kNone)
        out.push_back({n, node.routes[r].target, EdgeKind::route, r});
    if (node.next != kNone) out.push_back({n, node.next, EdgeKind::next, 0});
    if (node.no_match.then != kNone) out.push_back({n, node.no_match.then, EdgeKind::no_match, 0});
    if (node.no_match.long_reply != kNone)
      out.push_back({n, node.no_match.long_reply, EdgeKind::long_reply, 0});
    if (node.no_input.then != kNone) out.push_back({n, node.no_input.then, EdgeKind::no_input, 0});
    for (std::uint32_t b = 0; b < node.branches.size(); ++b)
      if (node.branches[b].target != kNone)
        out.push_back({n, node.branches[b].target, EdgeKind::branch, b});
    at_total_edges(n, out);
  }
  for (std::uint32_t g = 0; g < globals_.size(); ++g)
    if (globals_[g].then == GlobalHandler::Then::go_to && globals_[g].target != kNone)
      out.push_back({kNone, globals_[g].target, EdgeKind::global_goto, g});
  if (limits_.close != kNone) out.push_back({kNone, limits_.close, EdgeKind::limit, 0});
  if (limits_.escalate_node != kNone)
    out.push_back({kNone, limits_.escalate_node, EdgeKind::limit, 1});
  limit_close_edges(out);
  if (hold_.resume != kNone) out.push_back({kNone, hold_.resume, EdgeKind::hold, 0});
  if (hold_.then != kNone) out.push_back({kNone, hold_.then, EdgeKind::hold, 1});
  for (NodeId n = 0; n < nodes_.size(); ++n) {
    const std::vector<Variant>& vs = nodes_[n].variants;
    for (std::uint32_t v = 0; v < vs.size(); ++v) {
      for (std::uint32_t r = 0; r < vs[v].routes.size(); ++r)
        if (vs[v].routes[r].target != kNone)
          out.push_back({n, vs[v].routes[r].target, EdgeKind::variant, r, v});
      if (vs[v].next != kNone) out.push_back({n, vs[v].next, EdgeKind::variant, kNone, v});
    }
  }
  flow_edges(out);
  fetch_edges(out);
  return out;
}

std::uint32_t variant_seed(std::string_view key) noexcept {
  if (key.empty()) return 0;
  std::uint64_t h = detail::fnv1a(key);
  h ^= h >> 32;
  const auto folded = static_cast<std::uint16_t>(h ^ (h >> 16));
  return folded ? folded : 1;
}

std::uint32_t Node::variant_for(std::uint32_t seed) const noexcept {
  if (variants.empty() || variant_total == 0) return kNone;
  std::uint32_t v = 0;
  if (seed == 0) {  // no key: the first variant that is switched on (the control, as a rule)
    while (v + 1 < variants.size() && variants[v].weight == 0) ++v;
    return v;
  }
  // The key and the test's name together, mixed by splitmix64: tests with
  // other names split the same calls independently.
  Random mix((std::uint64_t{experiment_salt} << 32) | seed);
  std::uint64_t draw = mix.below(variant_total);
  for (; v + 1 < variants.size(); ++v) {
    if (draw < variants[v].weight) break;
    draw -= variants[v].weight;
  }
  return v;
}

// A fetch node leads where its answer says (`on:` entries, in order), then
// to `timeout:` and `failed:`.
void Script::fetch_edges(std::vector<Edge>& out) const {
  for (NodeId n = 0; n < nodes_.size(); ++n) {
    if (nodes_[n].fetch == kNone) continue;
    const Fetch& f = fetches_[nodes_[n].fetch];
    const auto on = static_cast<std::uint32_t>(f.routes.size());
    for (std::uint32_t r = 0; r < on; ++r)
      if (f.routes[r].target != kNone) out.push_back({n, f.routes[r].target, EdgeKind::fetch, r});
    if (f.timeout != kNone) out.push_back({n, f.timeout, EdgeKind::fetch, on});
    if (f.failed != kNone && f.failed != f.timeout)
      out.push_back({n, f.failed, EdgeKind::fetch, on + 1});
  }
}

}  // namespace patter
