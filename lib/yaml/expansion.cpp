#include "yaml/expansion.hpp"

namespace patter::detail {

void Expansion::close(std::uint32_t id) {
  auto it = spans_.find(id);
  if (it == spans_.end() || it->second.closed) return;
  it->second = {bytes_ - it->second.bytes, elements_ - it->second.elements, true};
}

void Expansion::alias(const YamlTree& tree, std::uint32_t id) {
  const YamlNode& n = tree.nodes_[id];
  if (n.kind == YamlNode::Kind::scalar || n.kind == YamlNode::Kind::null) {
    element();
    bytes(n.value.size());
    return;
  }
  auto it = spans_.find(id);
  if (it == spans_.end()) {  // never: collections are opened when anchored
    element();
    return;
  }
  const Span& s = it->second;
  add(bytes_, s.closed ? s.bytes : bytes_ - s.bytes);
  add(elements_, s.closed ? s.elements : elements_ - s.elements);
}

// An alias inside its own anchor doubles the totals: a host that sets no
// budget (SIZE_MAX) must still see them stop, not wrap.
void Expansion::add(std::uint64_t& total, std::uint64_t n) {
  total = n > UINT64_MAX - total ? UINT64_MAX : total + n;
}

}  // namespace patter::detail
