#include <algorithm>

#include "patter/script.hpp"

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
  }
  for (std::uint32_t g = 0; g < globals_.size(); ++g)
    if (globals_[g].then == GlobalHandler::Then::go_to && globals_[g].target != kNone)
      out.push_back({kNone, globals_[g].target, EdgeKind::global_goto, g});
  if (limits_.close != kNone) out.push_back({kNone, limits_.close, EdgeKind::limit, 0});
  if (limits_.escalate_node != kNone)
    out.push_back({kNone, limits_.escalate_node, EdgeKind::limit, 1});
  if (hold_.resume != kNone) out.push_back({kNone, hold_.resume, EdgeKind::hold, 0});
  if (hold_.then != kNone) out.push_back({kNone, hold_.then, EdgeKind::hold, 1});
  fetch_edges(out);
  return out;
}

// A fetch node leads where its answer says (`on:` entries, in order), then
// to `timeout:` and `failed:`.
void Script::fetch_edges(std::vector<Edge>& out) const {
  for (NodeId n = 0; n < nodes_.size(); ++n) {
    if (nodes_[n].fetch == kNone) continue;
    const Fetch& f = fetches_[nodes_[n].fetch];
    const auto on = static_cast<std::uint32_t>(f.on.size());
    for (std::uint32_t r = 0; r < on; ++r)
      if (f.on[r].target != kNone) out.push_back({n, f.on[r].target, EdgeKind::fetch, r});
    if (f.timeout != kNone) out.push_back({n, f.timeout, EdgeKind::fetch, on});
    if (f.failed != kNone && f.failed != f.timeout)
      out.push_back({n, f.failed, EdgeKind::fetch, on + 1});
  }
}

}  // namespace patter
