// Coverage of A/B tests: a variant's own routes count in
// Coverage::routes[node] after the node's own, one slot each, and every
// variant of a node is to be reached by some test case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "patter/script.hpp"

namespace patter::detail {

/// Slots for a node's routes: its own, then each variant's own.
inline std::size_t route_slots(const Node& node) noexcept {
  std::size_t n = node.routes.size();
  for (const Variant& v : node.variants) n += v.own_routes ? v.routes.size() : 0;
  return n;
}

/// The slot of route `index` of the routes a call in `variant` follows.
inline std::size_t route_slot(const Node& node, std::uint32_t variant,
                              std::uint32_t index) noexcept {
  if (variant >= node.variants.size() || !node.variants[variant].own_routes) return index;
  std::size_t at = node.routes.size();
  for (std::uint32_t v = 0; v < variant; ++v)
    at += node.variants[v].own_routes ? node.variants[v].routes.size() : 0;
  return at + index;
}

/// The variant and route of a slot past the node's own routes.
inline std::pair<std::uint32_t, std::uint32_t> slot_route(const Node& node,
                                                          std::size_t slot) noexcept {
  std::size_t at = node.routes.size();
  for (std::uint32_t v = 0; v < node.variants.size(); ++v) {
    const std::size_t n = node.variants[v].own_routes ? node.variants[v].routes.size() : 0;
    if (slot < at + n) return {v, static_cast<std::uint32_t>(slot - at)};
    at += n;
  }
  return {kNone, kNone};
}

}  // namespace patter::detail
