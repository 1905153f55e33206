// Each call's chance to escalate (patter/escalation_odds.hpp): decayed
// counts per cell (node and score band), shrunk to the node's and to all
// calls'.
#include "patter/escalation_odds.hpp"

#include <algorithm>
#include <cmath>

namespace patter {
namespace {

// A delay longer than a day is a host's mistake: it counts as a day.
constexpr double kLongest = 24.0 * 3600 * 1000;
// Rescale the sums once the newest weight passes 2^kRescale.
constexpr double kRescale = 64;

bool usable(const EscalationOddsOptions& o) noexcept {
  return o.nodes >= 1 && o.nodes <= 65536 && o.score_step > 0 && std::isfinite(o.score_step) &&
         o.score_bands >= 1 && o.score_bands <= 64 && o.half_life_ms > 0 && o.prior_weight > 0 &&
         o.prior_weight < 1e9 && o.start_share >= 0 && o.start_share <= 1;
}

}  // namespace

std::string_view check(const EscalationOddsOptions& o) noexcept {
  if (o.nodes == 0 || o.nodes > 65536) return "nodes must be from 1 to 65536";
  if (!(o.score_step > 0) || !std::isfinite(o.score_step)) return "score_step must be above 0";
  if (o.score_bands == 0 || o.score_bands > 64) return "score_bands must be from 1 to 64";
  if (o.half_life_ms == 0) return "half_life_ms must be above 0";
  if (!(o.prior_weight > 0 && o.prior_weight < 1e9)) return "prior_weight must be above 0";
  if (!(o.start_share >= 0 && o.start_share <= 1)) return "start_share must be a share from 0 to 1";
  return {};
}

EscalationOdds::EscalationOdds(EscalationOddsOptions options) : opt_(options) {
  if (!usable(opt_)) {
    const EscalationOddsOptions d;
    if (opt_.nodes == 0 || opt_.nodes > 65536) opt_.nodes = d.nodes;
    if (!(opt_.score_step > 0) || !std::isfinite(opt_.score_step)) opt_.score_step = d.score_step;
    if (opt_.score_bands == 0 || opt_.score_bands > 64) opt_.score_bands = d.score_bands;
    if (opt_.half_life_ms == 0) opt_.half_life_ms = d.half_life_ms;
    if (!(opt_.prior_weight > 0 && opt_.prior_weight < 1e9)) opt_.prior_weight = d.prior_weight;
    if (!(opt_.start_share >= 0 && opt_.start_share <= 1)) opt_.start_share = d.start_share;
  }
  cells_.resize(std::size_t{opt_.nodes} * opt_.score_bands);
  nodes_.resize(opt_.nodes);
}

std::uint32_t EscalationOdds::cell(NodeId node, double score) const noexcept {
  if (node >= opt_.nodes) return kNone;
  const double band = std::isnan(score) ? 0 : std::floor(score / opt_.score_step);
  const auto b =
      static_cast<std::uint32_t>(std::clamp(band, 0.0, static_cast<double>(opt_.score_bands - 1)));
  return node * opt_.score_bands + b;
}

void EscalationOdds::visit(Trail& trail, NodeId node, double score,
                           std::uint64_t at_ms) const noexcept {
  const std::uint32_t c = cell(node, score);
  if (c == kNone || c == trail.now) return;
  trail.now = c;
  trail.now_since_ms = at_ms;
  const std::size_t n = std::min<std::size_t>(trail.size, Trail::kCells);
  for (std::size_t k = 0; k < n; ++k)
    if (trail.cells[k] == c) return;  // been here: learnt once, from its first entry
  if (n == Trail::kCells) return;
  trail.cells[n] = c;
  trail.entered_ms[n] = at_ms;
  trail.size = static_cast<std::uint32_t>(n + 1);
}

// The weight of an observation at `at_ms`, relative to the origin; the
// sums are divided by the newest one's weight when read, so only recency
// counts, and the order of observations does not.
double EscalationOdds::weight(std::uint64_t at_ms) noexcept {
  const double half = static_cast<double>(opt_.half_life_ms);
  if (at_ms > last_ms_) {
    last_ms_ = at_ms;
    const double grown = static_cast<double>(last_ms_ - origin_ms_) / half;
    if (grown > kRescale) {
      const double f = std::exp2(-grown);
      for (std::vector<Sums>* v : {&cells_, &nodes_})
        for (Sums& s : *v) s = {s.calls * f, s.escalations * f, s.delay_ms * f};
      all_ = {all_.calls * f, all_.escalations * f, all_.delay_ms * f};
      entries_ *= f;
      entries_delay_ms_ *= f;
      origin_ms_ = last_ms_;
    }
  }
  const double exponent = at_ms >= origin_ms_ ? static_cast<double>(at_ms - origin_ms_) / half
                                              : -static_cast<double>(origin_ms_ - at_ms) / half;
  return std::exp2(std::max(exponent, -1000.0));
}

void EscalationOdds::learn(std::uint64_t at_ms, const Trail& trail, bool escalated) noexcept {
  const double w = weight(at_ms);
  all_.calls += w;
  if (escalated) all_.escalations += w;
  const std::size_t n = std::min<std::size_t>(trail.size, Trail::kCells);
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t c = trail.cells[k];
    if (c >= cells_.size()) continue;  // not a cell of these odds
    const double delay = at_ms > trail.entered_ms[k]
                             ? std::min(static_cast<double>(at_ms - trail.entered_ms[k]), kLongest)
                             : 0.0;
    Sums& s = cells_[c];
    s.calls += w;
    if (escalated) {
      s.escalations += w;
      s.delay_ms += w * delay;
      entries_ += w;
      entries_delay_ms_ += w * delay;
    }
    // The node once a call, at its first band.
    const std::uint32_t node = c / opt_.score_bands;
    bool seen = false;
    for (std::size_t j = 0; j < k && !seen; ++j) seen = trail.cells[j] / opt_.score_bands == node;
    if (seen) continue;
    Sums& m = nodes_[node];
    m.calls += w;
    if (escalated) {
      m.escalations += w;
      m.delay_ms += w * delay;
    }
  }
}

void EscalationOdds::escalated(std::uint64_t at_ms, const Trail& trail) noexcept {
  learn(at_ms, trail, true);
}

void EscalationOdds::ended(std::uint64_t at_ms, const Trail& trail) noexcept {
  learn(at_ms, trail, false);
}

double EscalationOdds::decay() const noexcept {
  return std::exp2(static_cast<double>(last_ms_ - origin_ms_) /
                   static_cast<double>(opt_.half_life_ms));
}

double EscalationOdds::share() const noexcept {
  const double norm = decay();
  const double w = opt_.prior_weight;
  return (all_.escalations / norm + w * opt_.start_share) / (all_.calls / norm + w);
}

double EscalationOdds::delay() const noexcept {
  const double norm = decay();
  const double w = opt_.prior_weight;
  return (entries_delay_ms_ / norm + w * static_cast<double>(opt_.start_escalate_in_ms)) /
         (entries_ / norm + w);
}

double EscalationOdds::node_chance(std::uint32_t node) const noexcept {
  const double norm = decay();
  const Sums& m = nodes_[node];
  const double w = opt_.prior_weight;
  return (m.escalations / norm + w * share()) / (m.calls / norm + w);
}

double EscalationOdds::node_delay(std::uint32_t node) const noexcept {
  const double norm = decay();
  const Sums& m = nodes_[node];
  const double w = opt_.prior_weight;
  return (m.delay_ms / norm + w * delay()) / (m.escalations / norm + w);
}

double EscalationOdds::chance(NodeId node, double score) const noexcept {
  const std::uint32_t c = cell(node, score);
  if (c == kNone) return share();
  const double norm = decay();
  const Sums& s = cells_[c];
  const double w = opt_.prior_weight;
  return std::clamp((s.escalations / norm + w * node_chance(node)) / (s.calls / norm + w), 0.0,
                    1.0);
}

double EscalationOdds::escalate_in_ms(NodeId node, double score,
                                      std::uint64_t in_cell_ms) const noexcept {
  const std::uint32_t c = cell(node, score);
  double mean = delay();
  if (c != kNone) {
    const double norm = decay();
    const Sums& s = cells_[c];
    const double w = opt_.prior_weight;
    mean = (s.delay_ms / norm + w * node_delay(node)) / (s.escalations / norm + w);
  }
  return std::max(mean - std::min(static_cast<double>(in_cell_ms), kLongest), mean / 10);
}

}  // namespace patter
