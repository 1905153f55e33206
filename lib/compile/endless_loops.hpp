// Which steps taken without listening may go round for ever: the graph of
// pass-through `next` and decision `branch` edges, less the edges a `set:`
// on the way rules out (for the branch-loop warning, P064).
#pragma once

#include <cstdint>
#include <vector>

#include "patter/script.hpp"

namespace patter::detail {

/// An edge of a node that goes on without listening.
struct StepEdge {
  NodeId from = kNone, to = kNone;
  std::uint32_t branch = 0;  ///< which branch of a decision node; 0 for a `next`
};

/// The edges of pass-through and decision nodes that may be taken again and
/// again in one step. A decision's edge is left out when, once it is taken,
/// every way back to its node passes `set:`s that make it impossible (its
/// guard false, or an earlier branch's true): e.g. `when: "cuisine != ''"`
/// to a node that does `set: {cuisine: ""}` and goes back. Only values that
/// are certain count (a literal, or a calculation from known values), so
/// `set: {tries: "tries + 1"}` rules nothing out: the warning stays for it.
std::vector<StepEdge> endless_edges(const std::vector<Node>& nodes,
                                    const std::vector<Variable>& variables);

}  // namespace patter::detail
