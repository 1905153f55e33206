// The pacing adviser (patter/pacing.hpp): its estimates, its forecast worked
// by hand, its bounds, and what it does with no data and with bad input.
#include "patter/pacing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace {

using patter::PacingAdviser;
using patter::PacingNow;
using patter::PacingOptions;

constexpr double kHalfLife = 15 * 60000.0;

TEST(Pacing, WithoutDataEstimatesAreTheStartValues) {
  const PacingAdviser pacing;
  const auto e = pacing.estimates();
  EXPECT_DOUBLE_EQ(e.escalation_share, 0.2);
  EXPECT_DOUBLE_EQ(e.escalate_after_ms, 60000);
  EXPECT_DOUBLE_EQ(e.talk_ms, 120000);
  EXPECT_DOUBLE_EQ(e.patience_ms, 60000);
  EXPECT_DOUBLE_EQ(e.call_ms, 40000);
  // Little's law: 0.2 x 60 s against 0.8 x 40 s of calls in progress.
  EXPECT_NEAR(e.in_progress_share, 12.0 / 44.0, 1e-12);
  EXPECT_DOUBLE_EQ(e.abandoned_share, 0);
}

TEST(Pacing, WithoutDataTheAdviceIsToDial) {
  const PacingAdviser pacing;
  const auto a =
      pacing.advise({.at_ms = 0, .people = 4, .talking = 0, .waiting = 0, .dialling = 0});
  EXPECT_FALSE(a.hold);
  EXPECT_GE(a.calls_allowed, 4u);  // four free people: at least a call each
  EXPECT_GE(a.robots_per_person, 1u);
  EXPECT_LE(a.robots_per_person, 6u);
}

TEST(Pacing, ForecastWorkedByHand) {
  const PacingAdviser pacing;
  const double e = 12.0 / 44.0;  // the share of calls in progress that escalate
  // One free person, one call: it can only find the person.
  EXPECT_DOUBLE_EQ(pacing.forecast({.people = 1, .dialling = 1}), 0);
  // One person talking, one call: the person finishes within the call's
  // 60 s to escalate and half of 60 s of patience with chance
  // 1 - exp(-90/120); the call finds nobody with e * exp(-0.75), out of e.
  const double one = pacing.forecast({.people = 1, .talking = 1, .dialling = 1});
  EXPECT_NEAR(one, std::exp(-0.75), 1e-9);
  // Three waiting for two free people: one of three is left.
  EXPECT_NEAR(pacing.forecast({.people = 2, .waiting = 3}), 1.0 / 3, 1e-12);
  // Two calls, one free person: both escalate with e * e; one is left.
  EXPECT_NEAR(pacing.forecast({.people = 1, .dialling = 2}), e * e / (2 * e), 1e-9);
  // Nothing pending: nothing to lose.
  EXPECT_DOUBLE_EQ(pacing.forecast({.people = 3, .talking = 3}), 0);
}

TEST(Pacing, EstimatesDecayWithTheHalfLife) {
  PacingAdviser pacing;
  pacing.escalated(0, 30000);
  pacing.call_ended(static_cast<std::uint64_t>(kHalfLife), 20000);
  // Outcomes 0.5 (escalated) + 1 (not), and five start outcomes at 0.2.
  EXPECT_NEAR(pacing.estimates().escalation_share, (0.5 + 1.0) / (1.5 + 5), 1e-12);
  // The escalation's delay against the start 60 s, as 0.5 against 5.
  EXPECT_NEAR(pacing.estimates().escalate_after_ms, (0.5 * 30000 + 5 * 60000) / 5.5, 1e-6);
}

TEST(Pacing, ObservationsOutOfOrderCountTheSame) {
  PacingAdviser in_order, reversed;
  const std::vector<std::uint64_t> times{1000, 50000, 200000, 900000, 2000000};
  for (std::uint64_t t : times) {
    in_order.call_ended(t, t % 50000);
    in_order.escalated(t, t % 70000);
    in_order.talk_ended(t, 90000 + t % 1000);
  }
  for (auto it = times.rbegin(); it != times.rend(); ++it) {
    reversed.call_ended(*it, *it % 50000);
    reversed.escalated(*it, *it % 70000);
    reversed.talk_ended(*it, 90000 + *it % 1000);
  }
  const auto a = in_order.estimates(), b = reversed.estimates();
  EXPECT_NEAR(a.escalation_share, b.escalation_share, 1e-12);
  EXPECT_NEAR(a.escalate_after_ms, b.escalate_after_ms, 1e-6);
  EXPECT_NEAR(a.talk_ms, b.talk_ms, 1e-6);
}

TEST(Pacing, HugeWaitsAndTalksCountAsADay) {
  PacingAdviser pacing({.hold_timeout_ms = 0});
  const std::uint64_t huge = std::numeric_limits<std::uint64_t>::max();
  pacing.abandoned(1000, huge);
  pacing.talk_ended(1000, huge);
  pacing.escalated(1000, huge);
  const auto e = pacing.estimates();
  constexpr double kDay = 24.0 * 3600 * 1000;
  EXPECT_TRUE(std::isfinite(e.patience_ms));
  EXPECT_NEAR(e.patience_ms, (kDay + 5 * 60000) / 6, 1e-6);
  EXPECT_NEAR(e.talk_ms, (kDay + 5 * 120000) / 6, 1e-6);
  EXPECT_LE(e.escalate_after_ms, kDay);
  const auto a = pacing.advise({.at_ms = 1000, .people = 2, .talking = 1, .dialling = 1});
  EXPECT_TRUE(std::isfinite(a.forecast_abandon));
}

TEST(Pacing, PatienceIsCappedByTheHoldTimeout) {
  PacingAdviser pacing({.hold_timeout_ms = 45000});
  for (int i = 0; i < 50; ++i) pacing.taken(1000, 40000);  // long waits, nobody left
  EXPECT_DOUBLE_EQ(pacing.estimates().patience_ms, 45000);
}

TEST(Pacing, ZeroPeopleHoldEveryDial) {
  const PacingAdviser pacing;
  const auto a = pacing.advise({.at_ms = 0, .people = 0, .dialling = 3});
  EXPECT_TRUE(a.hold);
  EXPECT_GT(a.hold_ms, 0u);
  EXPECT_EQ(a.calls_allowed, 0u);
  EXPECT_EQ(a.robots_per_person, 1u);  // the lower bound
  EXPECT_DOUBLE_EQ(pacing.forecast({.people = 0, .dialling = 1}), 1);
  // More people talking than there are counts as all of them.
  EXPECT_DOUBLE_EQ(pacing.forecast({.people = 1, .talking = 5, .dialling = 1}),
                   pacing.forecast({.people = 1, .talking = 1, .dialling = 1}));
}

TEST(Pacing, BoundsHoldWhateverTheForecast) {
  // At the upper bound a robot holds even with everyone free.
  const PacingAdviser one({.max_robots_per_person = 1});
  const auto full = one.advise({.at_ms = 0, .people = 2, .dialling = 2});
  EXPECT_TRUE(full.hold);
  EXPECT_EQ(full.robots_per_person, 1u);
  // Under the lower bound it dials even when everyone is busy and late.
  const PacingAdviser three({.min_robots_per_person = 3, .max_robots_per_person = 4});
  const auto busy = three.advise({.at_ms = 0, .people = 2, .talking = 2, .waiting = 2});
  EXPECT_FALSE(busy.hold);
  EXPECT_EQ(busy.robots_per_person, 3u);
  EXPECT_GE(busy.calls_allowed, 2u);  // 2 people x 3 robots, less the 4 calls held
}

// A campaign hour: `share` of 300 dials escalate, people talk two minutes.
void feed(PacingAdviser& pacing, std::uint64_t from, double share) {
  for (int i = 0; i < 300; ++i) {
    const std::uint64_t t = from + static_cast<std::uint64_t>(i) * 12000;
    if (i % 10 < share * 10) {
      pacing.escalated(t + 40000, 40000);
      pacing.taken(t + 45000, 5000);
      pacing.talk_ended(t + 165000, 120000);
    } else {
      pacing.call_ended(t + 30000, 30000);
    }
  }
}

TEST(Pacing, MoreEscalationsFewerCalls) {
  PacingAdviser pacing({.feedback_weight = 0});  // the forecast alone
  feed(pacing, 0, 0.1);
  const PacingNow now{.at_ms = 3600000, .people = 4, .talking = 2, .waiting = 0, .dialling = 2};
  const auto calm = pacing.advise(now);
  EXPECT_NEAR(pacing.estimates().escalation_share, 0.1, 0.02);
  feed(pacing, 3600000, 0.6);  // suddenly most calls escalate
  EXPECT_GT(pacing.estimates().escalation_share, 0.45);
  const auto rush = pacing.advise({.at_ms = 7200000, .people = 4, .talking = 2, .dialling = 2});
  EXPECT_LT(rush.calls_allowed, calm.calls_allowed);
  EXPECT_LE(rush.robots_per_person, calm.robots_per_person);
  EXPECT_FALSE(calm.hold);
  EXPECT_TRUE(rush.hold);
  EXPECT_GT(rush.forecast_abandon, calm.forecast_abandon);
}

TEST(Pacing, IdlePeopleMoreRobots) {
  PacingAdviser pacing;
  feed(pacing, 0, 0.2);
  const std::vector<std::uint64_t> just_started{5000, 8000, 2000, 1000};
  const auto busy = pacing.advise(
      {.at_ms = 3600000, .people = 4, .talking = 4, .dialling = 2, .talked_ms = just_started});
  const auto idle = pacing.advise({.at_ms = 3600000, .people = 4, .talking = 0, .dialling = 2});
  EXPECT_TRUE(busy.hold);
  EXPECT_FALSE(idle.hold);
  EXPECT_GT(idle.calls_allowed, busy.calls_allowed);
  EXPECT_GT(idle.robots_per_person, 1u);
}

TEST(Pacing, PeopleNearTheEndOfTheirTalkFreeUpSooner) {
  PacingAdviser pacing;
  feed(pacing, 0, 0.2);  // every talk lasts 120 s
  const std::vector<std::uint64_t> fresh{1000, 2000}, late{110000, 115000};
  const PacingNow base{.at_ms = 3600000, .people = 2, .talking = 2, .dialling = 2};
  PacingNow a = base, b = base;
  a.talked_ms = fresh;
  b.talked_ms = late;
  EXPECT_GT(pacing.forecast(a), pacing.forecast(b));
  EXPECT_GT(pacing.finishes_within(110000, 20000), 0.8);
  EXPECT_LT(pacing.finishes_within(1000, 20000), 0.2);
  EXPECT_DOUBLE_EQ(pacing.finishes_within(36000000, 1000), 1);  // longer than anyone
}

TEST(Pacing, StartSpreadOfTalkTimes) {
  const PacingAdviser pacing;  // talks from 60 s to 180 s, evenly
  EXPECT_NEAR(pacing.finishes_within(0, 90000), 0.25, 1e-12);
  EXPECT_NEAR(pacing.finishes_within(150000, 10000), (10.0 / 120) / 0.25, 1e-12);
}

TEST(Pacing, CallsThatLastedAreLikelierToEscalate) {
  PacingAdviser pacing;
  feed(pacing, 0, 0.2);  // escalations at 40 s, other calls end at 30 s
  const std::vector<std::uint64_t> fresh{1000, 1000}, lasted{35000, 35000};
  const PacingNow base{.at_ms = 3600000, .people = 1, .talking = 1, .dialling = 2};
  PacingNow a = base, b = base;
  a.dialled_ms = fresh;
  b.dialled_ms = lasted;
  EXPECT_GT(pacing.forecast(b), pacing.forecast(a));
}

// At a shift's start every robot dials at once, and none of the calls has
// an outcome yet: the share that escalate is still the start value, and the
// adviser holds once the calls in progress would bring more escalations
// than people (23 fresh calls at 0.2 each for 4 people).
TEST(Pacing, AtTheStartCallsInProgressDoNotLowerTheShare) {
  const PacingAdviser pacing;
  std::vector<std::uint64_t> ages(23);
  for (std::size_t i = 0; i < ages.size(); ++i) ages[i] = 700 * i;
  PacingNow n{.at_ms = 16000, .people = 4, .dialling = 23};
  n.dialled_ms = ages;
  const auto a = pacing.advise(n);
  EXPECT_DOUBLE_EQ(pacing.estimates().escalation_share, 0.2);
  EXPECT_TRUE(a.hold);
  EXPECT_LT(a.calls_allowed, 23u);
  EXPECT_GT(a.forecast_abandon, 0.03);
}

// Each call's own chance counts, not their mean: a call about to escalate
// and a fresh one, with one free person, lose an escalation only when both
// escalate (q1 q2 of q1 + q2 expected), not as two calls of average chance.
TEST(Pacing, UnequalCallsAreSummedExactly) {
  PacingAdviser pacing;
  feed(pacing, 0, 0.2);  // escalations at 40 s, other calls end at 30 s
  const auto pair = [&](std::uint64_t a, std::uint64_t b) {
    const std::vector<std::uint64_t> ages{a, b};
    PacingNow n{.at_ms = 3600000, .people = 1, .dialling = 2};
    n.dialled_ms = ages;
    return pacing.forecast(n);
  };
  // Two alike: both escalate with q * q, one of 2 q is lost: q / 2.
  const double fresh = 2 * pair(1000, 1000), lasted = 2 * pair(35000, 35000);
  EXPECT_GT(lasted, 0.8);  // past almost every other call's end: it will escalate
  EXPECT_LT(fresh, 0.5);
  EXPECT_NEAR(pair(1000, 35000), fresh * lasted / (fresh + lasted), 1e-9);
  EXPECT_LT(pair(1000, 35000), (fresh + lasted) / 4 - 0.05);  // the mean's answer
}

// People who free up while an escalation waits count for half the
// patience, at most `patience_counted_ms`: counting less of it forecasts more
// escalations left waiting.
TEST(Pacing, PatienceCountedIsCapped) {
  PacingOptions none, capped;
  none.patience_counted_ms = 0;
  capped.hold_timeout_ms = 180000;
  capped.start_patience_ms = 180000;  // half of it, 90 s, is past the 30 s cap
  PacingOptions uncapped = capped;
  uncapped.patience_counted_ms = 90000;
  const PacingNow now{.people = 1, .talking = 1, .dialling = 1};
  EXPECT_GT(PacingAdviser(none).forecast(now), PacingAdviser().forecast(now));
  EXPECT_GT(PacingAdviser(capped).forecast(now), PacingAdviser(uncapped).forecast(now));
  EXPECT_DOUBLE_EQ(PacingAdviser(capped).forecast(now), PacingAdviser().forecast(now));
}

TEST(Pacing, BadOptionsAreNamedAndReplaced) {
  EXPECT_TRUE(patter::check(PacingOptions{}).empty());
  EXPECT_NE(patter::check({.abandon_target = 0}).find("abandon_target"), std::string_view::npos);
  EXPECT_NE(patter::check({.abandon_target = std::nan("")}).find("abandon_target"),
            std::string_view::npos);
  EXPECT_NE(patter::check({.min_robots_per_person = 0}).find("min_robots"), std::string_view::npos);
  EXPECT_NE(
      patter::check({.min_robots_per_person = 4, .max_robots_per_person = 2}).find("max_robots"),
      std::string_view::npos);
  EXPECT_NE(patter::check({.half_life_ms = 0}).find("half_life"), std::string_view::npos);
  PacingOptions bad;
  bad.max_hold_ms = 10;
  EXPECT_NE(patter::check(bad).find("max_hold_ms"), std::string_view::npos);
  const PacingAdviser fixed({.abandon_target = std::nan(""),
                             .min_robots_per_person = 0,
                             .max_robots_per_person = 0,
                             .half_life_ms = 0});
  EXPECT_DOUBLE_EQ(fixed.options().abandon_target, 0.03);
  EXPECT_EQ(fixed.options().min_robots_per_person, 1u);
  EXPECT_EQ(fixed.options().max_robots_per_person, 1u);
  EXPECT_EQ(fixed.options().half_life_ms, PacingOptions{}.half_life_ms);
}

TEST(Pacing, HoldsForAboutTheTimeUntilSomethingFreesUp) {
  const PacingAdviser pacing;
  // Two people talking (120 s each), no call in progress: one frees in about 60 s.
  const auto a = pacing.advise({.at_ms = 0, .people = 2, .talking = 2, .waiting = 3});
  EXPECT_TRUE(a.hold);
  EXPECT_EQ(a.hold_ms, 30000u);  // the upper bound: 60 s is longer
  const PacingAdviser quick({.max_hold_ms = 120000});
  EXPECT_EQ(quick.advise({.at_ms = 0, .people = 2, .talking = 2, .waiting = 3}).hold_ms, 60000u);
}

// The desk's real abandonment moves the target the forecast is held to:
// above the target, fewer calls; well below it, more; before any data, none.
TEST(Pacing, RealAbandonmentMovesTheTarget) {
  const PacingOptions off{.feedback_weight = 0};
  EXPECT_FALSE(patter::check({.feedback_weight = -1}).empty());
  EXPECT_EQ(PacingAdviser({.feedback_weight = std::nan("")}).options().feedback_weight,
            PacingOptions{}.feedback_weight);
  const PacingNow now{.at_ms = 600000, .people = 4, .talking = 3, .dialling = 4};
  EXPECT_EQ(PacingAdviser().advise(now).calls_allowed,
            PacingAdviser(off).advise(now).calls_allowed);
  PacingAdviser calm, calm_off(off), lossy, lossy_off(off);
  for (int i = 0; i < 200; ++i) {
    for (PacingAdviser* p : {&calm, &calm_off}) p->taken(600000, 5000);
    for (PacingAdviser* p : {&lossy, &lossy_off}) {
      if (i % 4 == 0)
        p->abandoned(600000, 5000);
      else
        p->taken(600000, 5000);
    }
  }
  EXPECT_GT(calm.advise(now).calls_allowed, calm_off.advise(now).calls_allowed);
  EXPECT_LT(lossy.advise(now).calls_allowed, lossy_off.advise(now).calls_allowed);
  // The forecast itself is the same: only what it is held to moves.
  EXPECT_DOUBLE_EQ(lossy.forecast(now), lossy_off.forecast(now));
}

}  // namespace
