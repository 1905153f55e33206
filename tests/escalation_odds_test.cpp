// Each call's chance to escalate (patter/escalation_odds.hpp): the prior
// before data, what it learns per node and score band, decay, bad input, and
// the pacing adviser's forecast with the chances given.
#include "patter/escalation_odds.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "patter/pacing.hpp"

namespace {

using patter::EscalationOdds;
using patter::EscalationOddsOptions;

constexpr std::uint64_t kHalfLife = 15 * 60000;

EscalationOddsOptions small() {
  EscalationOddsOptions o;
  o.nodes = 4;
  o.score_step = 10;
  o.score_bands = 3;
  o.prior_weight = 5;
  o.start_share = 0.2;
  return o;
}

// A call that goes through `nodes` (score 0), a second apart from `at`, and
// escalates or ends a second after the last.
void call(EscalationOdds& odds, std::vector<patter::NodeId> nodes, bool escalates,
          std::uint64_t at = 0) {
  EscalationOdds::Trail t;
  for (patter::NodeId n : nodes) odds.visit(t, n, 0, at += 1000);
  if (escalates)
    odds.escalated(at + 1000, t);
  else
    odds.ended(at + 1000, t);
}

TEST(EscalationOdds, BeforeDataEveryCallHasTheStartShare) {
  const EscalationOdds odds(small());
  EXPECT_DOUBLE_EQ(odds.share(), 0.2);
  for (patter::NodeId n = 0; n < 4; ++n) EXPECT_DOUBLE_EQ(odds.chance(n, 25), 0.2);
  EXPECT_DOUBLE_EQ(odds.escalate_in_ms(1, 0), 60000);
}

TEST(EscalationOdds, LearnsANodeThatAlwaysEscalatesAndOneThatNever) {
  EscalationOdds odds(small());
  // From node 0, calls go to 1 and escalate, or to 2 and end.
  for (int k = 0; k < 50; ++k) {
    call(odds, {0, 1}, true);
    call(odds, {0, 2}, false);
  }
  EXPECT_GT(odds.chance(1, 0), 0.9);
  EXPECT_LT(odds.chance(2, 0), 0.1);
  EXPECT_NEAR(odds.chance(0, 0), 0.5, 0.02);
  // The global share is among all calls; a node no call reached says it.
  EXPECT_NEAR(odds.share(), 0.5, 0.02);
  EXPECT_DOUBLE_EQ(odds.chance(3, 0), odds.chance(3, 25));
  EXPECT_NEAR(odds.chance(3, 0), odds.share(), 1e-12);
  // Exactly: 100 calls at node 1 (all escalated) and 5 priors at the global
  // share, blended at the cell with 5 more at the node's.
  const double share = (100 * 0.5 + 5 * 0.2) / (100 + 5.0);
  const double node = (50 + 5 * share) / (50 + 5.0);
  EXPECT_NEAR(odds.chance(1, 0), (50 + 5 * node) / (50 + 5.0), 1e-9);
  // A second from entering node 1 to the escalation, two from node 0 (the
  // start's minute, weighing 5 calls, blended in twice over).
  EXPECT_NEAR(odds.escalate_in_ms(1, 0), 1000, 100);
  EXPECT_NEAR(odds.escalate_in_ms(0, 0), 2000, 100);
  // Less the time the call has been in its cell, never below a tenth.
  EXPECT_NEAR(odds.escalate_in_ms(0, 0, 500), odds.escalate_in_ms(0, 0) - 500, 1e-9);
  EXPECT_NEAR(odds.escalate_in_ms(0, 0, 600000), odds.escalate_in_ms(0, 0) / 10, 1e-9);
}

TEST(EscalationOdds, ScoreBandsAreLearntApartAndShrinkToTheirNode) {
  EscalationOdds odds(small());
  for (int k = 0; k < 40; ++k) {
    EscalationOdds::Trail hot, cold;
    odds.visit(hot, 0, 25, 1000);  // band 2
    odds.escalated(2000, hot);
    odds.visit(cold, 0, 5, 1000);  // band 0
    odds.ended(2000, cold);
  }
  EXPECT_GT(odds.chance(0, 25), 0.85);
  EXPECT_GT(odds.chance(0, 1e9), 0.85);  // past the last band: the last band
  EXPECT_LT(odds.chance(0, 5), 0.15);
  EXPECT_LT(odds.chance(0, -50), 0.15);  // below 0: the first band
  // Band 1, never seen: its node's chance, about half.
  EXPECT_NEAR(odds.chance(0, 15), 0.5, 0.05);
}

TEST(EscalationOdds, ACellRevisitedIsLearntOnce) {
  EscalationOdds odds(small());
  EscalationOdds::Trail t;
  for (int k = 0; k < 100; ++k) odds.visit(t, k % 2, 0, 1000 * k);
  EXPECT_EQ(t.size, 2u);
  EXPECT_EQ(t.now, odds.cell(1, 0));
  odds.escalated(200000, t);
  EscalationOdds once(small());
  call(once, {0, 1}, true);
  EXPECT_NEAR(odds.chance(0, 0), once.chance(0, 0), 1e-12);
}

TEST(EscalationOdds, OldObservationsWeighLess) {
  EscalationOdds odds(small());
  for (int k = 0; k < 100; ++k) call(odds, {1}, true, 0);
  const double before = odds.chance(1, 0);
  // Ten half-lives later, as many calls at node 1 end without escalating:
  // the old ones weigh a thousandth.
  for (int k = 0; k < 100; ++k) call(odds, {1}, false, 10 * kHalfLife);
  EXPECT_GT(before, 0.9);
  EXPECT_LT(odds.chance(1, 0), 0.05);
  // Out of order: an old call counts as old, whenever it is told.
  EscalationOdds late(small());
  for (int k = 0; k < 100; ++k) call(late, {1}, false, 10 * kHalfLife);
  for (int k = 0; k < 100; ++k) call(late, {1}, true, 0);
  EXPECT_NEAR(late.chance(1, 0), odds.chance(1, 0), 1e-9);
  // Past many half-lives the sums are rescaled, and still right.
  EscalationOdds far(small());
  for (int k = 0; k < 100; ++k) call(far, {1}, false, 1000 * kHalfLife);
  EXPECT_LT(far.chance(1, 0), 0.05);
  EXPECT_TRUE(std::isfinite(far.chance(1, 0)));
  for (int k = 0; k < 100; ++k) call(far, {1}, true, 2000 * kHalfLife);
  EXPECT_GT(far.chance(1, 0), 0.9);
}

TEST(EscalationOdds, UnknownNodesAndOddScoresAreHarmless) {
  EscalationOdds odds(small());
  EscalationOdds::Trail t;
  odds.visit(t, 4, 0, 1000);  // beyond `nodes`
  odds.visit(t, patter::kNone, 0, 2000);
  odds.visit(t, 0xFFFFFFF0u, 0, 3000);
  EXPECT_EQ(t.size, 0u);
  EXPECT_EQ(odds.cell(4, 0), patter::kNone);
  odds.visit(t, 2, std::numeric_limits<double>::quiet_NaN(), 4000);  // as score 0
  EXPECT_EQ(t.now, odds.cell(2, 0));
  odds.visit(t, 2, std::numeric_limits<double>::infinity(), 5000);
  EXPECT_EQ(t.now, odds.cell(2, 1e9));
  odds.escalated(6000, t);
  for (double s : {std::numeric_limits<double>::quiet_NaN(),
                   -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::max()}) {
    EXPECT_GE(odds.chance(2, s), 0);
    EXPECT_LE(odds.chance(2, s), 1);
  }
  EXPECT_DOUBLE_EQ(odds.chance(patter::kNone, 0), odds.share());
  EXPECT_DOUBLE_EQ(odds.escalate_in_ms(patter::kNone, 0), odds.escalate_in_ms(999, 0));
  // A trail from elsewhere (cells beyond these odds, a size past the
  // capacity) is read only as far as it makes sense.
  EscalationOdds::Trail bad;
  bad.cells.fill(0xFFFFFF);
  bad.size = 1000;
  odds.escalated(7000, bad);
  EXPECT_GE(odds.chance(0, 0), 0);
  // An escalation before the cell was entered: no delay, not a huge one.
  EscalationOdds::Trail early;
  odds.visit(early, 3, 0, 100000);
  odds.escalated(50000, early);
  EXPECT_LE(odds.escalate_in_ms(3, 0), 60000);
}

TEST(EscalationOdds, ATrailHoldsItsFirstCells) {
  EscalationOddsOptions o = small();
  o.nodes = 100;
  EscalationOdds odds(o);
  EscalationOdds::Trail t;
  for (patter::NodeId n = 0; n < 100; ++n) odds.visit(t, n, 0, n * 1000);
  EXPECT_EQ(t.size, EscalationOdds::Trail::kCells);
  EXPECT_EQ(t.now, odds.cell(99, 0));  // where it is now, kept or not
  for (int k = 0; k < 20; ++k) odds.escalated(200000, t);
  EXPECT_GT(odds.chance(0, 0), odds.chance(99, 0));  // 99 was not learnt
}

TEST(EscalationOdds, BadOptionsAreNamedAndReplaced) {
  EXPECT_TRUE(patter::check(EscalationOddsOptions{}).empty());
  EscalationOddsOptions o;
  o.nodes = 0;
  EXPECT_FALSE(patter::check(o).empty());
  o = {};
  o.score_step = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(patter::check(o).empty());
  o = {};
  o.score_bands = 1000;
  EXPECT_FALSE(patter::check(o).empty());
  o = {};
  o.start_share = 2;
  EXPECT_FALSE(patter::check(o).empty());
  o = {};
  o.nodes = 0;
  o.score_step = -1;
  o.prior_weight = 0;
  o.half_life_ms = 0;
  const EscalationOdds odds(o);
  EXPECT_EQ(odds.options().nodes, EscalationOddsOptions{}.nodes);
  EXPECT_EQ(odds.options().score_step, EscalationOddsOptions{}.score_step);
  EXPECT_EQ(odds.options().prior_weight, EscalationOddsOptions{}.prior_weight);
  EXPECT_DOUBLE_EQ(odds.chance(0, 0), 0.2);
}

// The adviser with each call's chance given.
TEST(EscalationOdds, TheAdviserForecastsWithTheChancesGiven) {
  const patter::PacingAdviser pacing;
  const std::vector<std::uint64_t> ages = {30000, 30000};
  const std::vector<float> sure = {1, 1}, never = {0, 0};
  patter::PacingNow now{.people = 1, .dialling = 2, .dialled_ms = ages};
  const double by_age = pacing.forecast(now);
  now.chances = sure;
  EXPECT_NEAR(pacing.forecast(now), 0.5, 1e-9);  // two come, one person: one left of two
  now.chances = never;
  EXPECT_DOUBLE_EQ(pacing.forecast(now), 0);
  // Out of range or NaN: the chance from the age.
  const std::vector<float> odd = {std::numeric_limits<float>::quiet_NaN(), 7};
  now.chances = odd;
  EXPECT_NEAR(pacing.forecast(now), by_age, 1e-12);
  // Too short a span: the rest from their age; too long: the extra ones
  // count as calls in progress averaged in, as with `dialled_ms`.
  const std::vector<float> one = {1};
  now.chances = one;
  const double half = pacing.forecast(now);
  EXPECT_GT(half, by_age);
  EXPECT_LT(half, 0.5);
  const std::vector<float> many(1000, 1.0f);
  now.chances = many;
  EXPECT_NEAR(pacing.forecast(now), 0.5, 1e-9);
  // More certain escalations, fewer calls allowed.
  now.chances = sure;
  const auto a_sure = pacing.advise(now);
  now.chances = never;
  const auto a_never = pacing.advise(now);
  EXPECT_TRUE(a_sure.hold);
  EXPECT_GT(a_never.calls_allowed, a_sure.calls_allowed);
}

TEST(EscalationOdds, EscalationsSoonerLeaveLessTimeForPeopleToFreeUp) {
  const patter::PacingAdviser pacing;
  const std::vector<float> sure = {1};
  const std::vector<float> soon = {1000}, late = {600000}, bad = {-5};
  const std::vector<std::uint64_t> talked = {60000};
  patter::PacingNow now{.people = 1, .talking = 1, .dialling = 1, .talked_ms = talked};
  now.chances = sure;
  now.escalate_in_ms = soon;
  const double f_soon = pacing.forecast(now);
  now.escalate_in_ms = late;
  const double f_late = pacing.forecast(now);
  EXPECT_GT(f_soon, f_late);
  now.escalate_in_ms = bad;  // ignored: the mean time from a dial
  const double f_bad = pacing.forecast(now);
  now.escalate_in_ms = {};
  EXPECT_DOUBLE_EQ(f_bad, pacing.forecast(now));
}

}  // namespace
