// patter/escalation_odds.hpp — each call's chance to escalate, learnt from
// where calls were (their node and interest score) and how they ended: the
// per-call chance the pacing adviser (patter/pacing.hpp) forecasts with.
//
//   patter::EscalationOddsOptions o;
//   o.nodes = script->nodes().size();     // node ids are dense: 0..nodes-1
//   patter::EscalationOdds odds(o);
//
//   // The host keeps a Trail per call, and after each of its turns says
//   // where the call is (Session::node(), Session::score()):
//   patter::EscalationOdds::Trail trail;  // on dial: empty
//   odds.visit(trail, session.node(), session.score(), now);
//   // When the call escalates, or ends without (exactly one of them):
//   odds.escalated(now, trail);
//   odds.ended(now, trail);
//
//   // For the adviser, with each call in progress where it is now:
//   chances[i] = odds.chance(node[i], score[i]);        // PacingNow::chances
//   escalate_in[i] = odds.escalate_in_ms(node[i], score[i], since[i]);
//
// The model (docs/pacing.md, "Each call's chance"). A cell is a node and a
// band of the interest score (`score_step` wide, from 0; below 0 is the
// first band, past the last the last). For each cell, of the calls that
// were in it, the share that went on to escalate (eventually, not only
// soon) and, of those, the mean time from entering the cell to the
// escalation. Every observation is weighted by its recency (exponential
// decay, half-life `half_life_ms`, as the adviser does). Estimates shrink
// to the level above, each counting as `prior_weight` calls: a cell to its
// node (all its bands), a node to the share of all calls dialled that
// escalated, and that to `start_share` before any call ended. So a cell
// seen by few calls says little of its own, a node never seen says the
// global share, and calls whose answer nobody heard (not yet at any node)
// count there too.
//
// Limits: a call's own history before its cell (how it got there) counts
// only through the cell, and how long it has stayed only through
// `escalate_in_ms`; the chance is to escalate at all, not within a time
// (the adviser weighs how soon by the time); a Trail holds the first
// `Trail::kCells` cells a call passed, later ones are not learnt from;
// nodes at or beyond `nodes` (or kNone) are not learnt, and say the global
// share. A call a person grabbed before it escalated is best told neither
// way (it was taken: whether it would have escalated is unknown).
//
// Sans-I/O and deterministic: no clock, no threads; the tables are
// allocated once, in the constructor, and nothing after. Not thread-safe:
// one thread feeds it (or guard it); the queries are const.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "patter/ids.hpp"

namespace patter {

struct EscalationOddsOptions {
  /// Node ids learnt: 0 .. nodes - 1 (a Script's `nodes().size()`); at most
  /// 65536. Others are not learnt and say the global share.
  std::uint32_t nodes = 64;
  /// The width of a score band, above 0, and how many bands (1 to 64).
  double score_step = 10;
  std::uint32_t score_bands = 8;
  /// An observation this old weighs half as much as a new one.
  std::uint64_t half_life_ms = 15 * 60000;
  /// How many calls the level above counts as, in each estimate (above 0).
  double prior_weight = 5;
  /// Before any call ended: the share that escalate, and the time from a
  /// cell to the escalation.
  double start_share = 0.2;
  std::uint64_t start_escalate_in_ms = 60000;
};

/// What is wrong with `o`, in a sentence; empty when nothing is. Odds built
/// from bad options use the defaults for the bad fields.
std::string_view check(const EscalationOddsOptions& o) noexcept;

class EscalationOdds {
 public:
  /// Where one call has been: the cells it entered, each once, and when it
  /// first did. Small and fixed; the host keeps one per call in progress.
  struct Trail {
    static constexpr std::size_t kCells = 32;
    std::array<std::uint32_t, kCells> cells{};
    std::array<std::uint64_t, kCells> entered_ms{};
    std::uint32_t size = 0;
    /// The cell the call is in now, and since when (kNone: none yet).
    std::uint32_t now = kNone;
    std::uint64_t now_since_ms = 0;
  };

  explicit EscalationOdds(EscalationOddsOptions options = {});

  /// The call of `trail` is at `node` with interest `score` at `at_ms`.
  /// Unknown nodes leave the trail as it is; a NaN score counts as 0.
  void visit(Trail& trail, NodeId node, double score, std::uint64_t at_ms) const noexcept;
  /// The call escalated at `at_ms`; or it ended without escalating.
  void escalated(std::uint64_t at_ms, const Trail& trail) noexcept;
  void ended(std::uint64_t at_ms, const Trail& trail) noexcept;

  /// The chance that a call now at `node` with `score` escalates (later in
  /// the call, soon or not). An unknown node: the global share.
  double chance(NodeId node, double score) const noexcept;
  /// Of all the calls dialled, the share that escalated (decayed, blended
  /// with `start_share`).
  double share() const noexcept;
  /// If it escalates: the mean time until it does, for a call that entered
  /// this cell `in_cell_ms` ago (never below a tenth of the cell's mean).
  double escalate_in_ms(NodeId node, double score, std::uint64_t in_cell_ms = 0) const noexcept;
  /// The cell of `node` and `score`; kNone for an unknown node.
  std::uint32_t cell(NodeId node, double score) const noexcept;
  const EscalationOddsOptions& options() const noexcept { return opt_; }

 private:
  struct Sums {
    double calls = 0, escalations = 0, delay_ms = 0;
  };
  double weight(std::uint64_t at_ms) noexcept;
  void learn(std::uint64_t at_ms, const Trail& trail, bool escalated) noexcept;
  double node_chance(std::uint32_t node) const noexcept;
  double node_delay(std::uint32_t node) const noexcept;
  double delay() const noexcept;
  /// What the sums are divided by to weigh them as of the last observation.
  double decay() const noexcept;

  EscalationOddsOptions opt_;
  std::vector<Sums> cells_;  // nodes x bands
  std::vector<Sums> nodes_;  // each call counted once a node
  Sums all_;
  // Over every cell escalated calls entered: the time to the escalation.
  double entries_ = 0, entries_delay_ms_ = 0;
  // Weights grow as 2^((at - origin) / half-life); the sums are rescaled
  // when they grow large; `last_ms_` is the newest time seen.
  std::uint64_t origin_ms_ = 0, last_ms_ = 0;
};

}  // namespace patter
