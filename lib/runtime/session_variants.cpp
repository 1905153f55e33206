// A/B tests: which variant of a node's line and routes a call gets, and
// which tests it took part in.
#include "runtime/session_engine.hpp"

namespace patter {

const Variant* SessionEngine::variant_line(const Node& node) const noexcept {
  const std::uint32_t v = variant_at(node);
  if (v >= node.variants.size()) return nullptr;
  const Variant& variant = node.variants[v];
  // A variant that only changes the routes says the node's line.
  return variant.lines.empty() && variant.recording.empty() ? nullptr : &variant;
}

void SessionEngine::say_variant(NodeId n, std::uint32_t phrasing) {
  const Node& node = sc.nodes()[n];
  const Variant* v = variant_line(node);
  const std::vector<Template>& lines = v ? v->lines : node.lines;
  const Template* line = lines.empty() ? nullptr : &lines[phrasing_of(phrasing, lines.size())];
  say(line, v ? v->recording : node.recording, node.barge_in, n, LineKind::node, n, phrasing);
}

std::uint32_t Session::variant_seed() const noexcept {
  return SessionAccess::seed(st_, SessionLayout(*script_));
}

std::string_view Session::variant(NodeId node) const noexcept {
  if (node >= script_->nodes().size()) return {};
  const Node& n = script_->nodes()[node];
  const std::uint32_t v = n.variant_for(variant_seed());
  return v < n.variants.size() ? std::string_view(n.variants[v].name) : std::string_view();
}

void variants_seen(const Session& s, CallResult& r) {
  const Script& sc = s.script();
  for (NodeId n : r.path) {
    const Node& node = sc.nodes()[n];
    if (node.variants.empty()) continue;
    bool listed = false;
    for (const VariantSeen& seen : r.variants)
      listed = listed || seen.experiment == node.experiment;
    if (!listed) r.variants.push_back({node.experiment, std::string(s.variant(n))});
  }
}

}  // namespace patter
