// Pacing in a simulated campaign (CampaignOptions::pacing): the bundled
// screening script with the demo's shape (`./run.sh demo`: 4 people, 3
// robots each, grabs at score 40), with and without pacing.
#include <patter/patter.hpp>
#include <patter/tooling/simulation.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace {

const std::string kExamples = std::string(PATTER_SOURCE_DIR) + "/examples/";

patter::Simulation demo(bool pacing, double target = 0.03, std::uint64_t seed = 1, bool odds = true,
                        double feedback = patter::PacingOptions{}.feedback_weight,
                        std::optional<double> idle_grab = std::nullopt, double grab_score = 40) {
  const auto script = patter::load_file(kExamples + "scripts/screening.zh-CN.yaml").script;
  const auto personas =
      patter::load_personas_file(kExamples + "personas/screening.zh-CN.personas.yaml", *script);
  EXPECT_TRUE(personas.ok());
  patter::SimulationOptions opt;
  opt.calls = 3000;
  opt.agents = 4;
  opt.robots_per_agent = 3;
  opt.grab_score = grab_score;
  opt.seed = seed;
  opt.idle_grab_score = idle_grab;
  opt.pacing = pacing;
  opt.pacing_odds = odds;
  opt.pacing_options.abandon_target = target;
  opt.pacing_options.feedback_weight = feedback;
  return patter::simulate(script, *personas.personas, opt);
}

TEST(SimulationPacing, FewerEscalationsLeftWaitingWithPeopleStillBusy) {
  const patter::Simulation off = demo(false), on = demo(true);
  ASSERT_EQ(off.errors, 0u);
  ASSERT_EQ(on.errors, 0u);
  EXPECT_EQ(on.report.calls, 3000u);
  // Without pacing the people fall behind: about one escalation in five is
  // never taken (docs/simulating.md).
  EXPECT_GT(off.report.abandoned, 0.15);
  EXPECT_NEAR(off.report.abandoned,
              static_cast<double>(off.report.escalations - off.report.taken) /
                  static_cast<double>(off.report.escalations),
              1e-12);
  // With pacing, at most a third of that, and the people still talk most of
  // their time (the figures measured are in docs/simulating.md).
  EXPECT_LT(on.report.abandoned, off.report.abandoned / 3);
  EXPECT_GT(on.report.utilisation, 0.6);
  // Pacing slows the robots: the same calls take longer.
  EXPECT_GT(on.sim_ms, off.sim_ms);
}

TEST(SimulationPacing, ALowerTargetLeavesFewerWaiting) {
  const patter::Simulation strict = demo(true, 0.01), loose = demo(true, 0.2);
  EXPECT_LT(strict.report.abandoned, loose.report.abandoned);
  EXPECT_LT(strict.report.utilisation, loose.report.utilisation);
}

// Each call's chance learnt from its node and score (patter/escalation_odds.hpp)
// against its age alone, the forecast held to the target as it is: at the
// same utilisation, fewer escalations left untaken. Measured over seeds 1
// to 10 at a target of 8%: 3.7% untaken at 80.5% utilisation, against 5.3%
// at 81.2%; on seeds 1 and 2, 3.5% and 3.8% against 5.0% and 4.8%.
TEST(SimulationPacing, LearntOddsLeaveFewerUntakenThanAge) {
  double odds_abandoned = 0, age_abandoned = 0, odds_busy = 0, age_busy = 0;
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    const patter::Simulation odds = demo(true, 0.08, seed, true, 0),
                             age = demo(true, 0.08, seed, false, 0);
    ASSERT_EQ(odds.errors, 0u);
    EXPECT_EQ(odds.report.calls, 3000u);
    EXPECT_LT(odds.report.abandoned, 0.045) << "seed " << seed;
    EXPECT_GT(odds.report.utilisation, 0.79) << "seed " << seed;
    odds_abandoned += odds.report.abandoned / 2;
    age_abandoned += age.report.abandoned / 2;
    odds_busy += odds.report.utilisation / 2;
    age_busy += age.report.utilisation / 2;
  }
  EXPECT_LT(odds_abandoned, age_abandoned - 0.008);
  EXPECT_GT(odds_busy, age_busy - 0.015);
}

// Idle people take calls early (CampaignOptions::idle_grab_score): when the
// forecast has room, a free person grabs a call in progress from score 1
// rather than 40. The time that would go idle goes to calls, and the
// robots dial less. Measured over seeds 1 to 10 at a target of 4%: 2.7%
// untaken at 80.3% utilisation (docs/simulating.md).
TEST(SimulationPacing, IdlePeopleTakingCallsEarlyKeepBothBars) {
  double abandoned = 0, busy = 0;
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    const double w = patter::PacingOptions{}.feedback_weight;
    const patter::Simulation idle = demo(true, 0.04, seed, true, w, 1.0),
                             usual = demo(true, 0.04, seed, true, w);
    ASSERT_EQ(idle.errors, 0u);
    EXPECT_EQ(idle.report.calls, 3000u);
    // More calls grabbed, more of the people's time on calls, and no more
    // escalations left untaken than the target allows.
    EXPECT_GT(idle.report.grabs, usual.report.grabs + 40) << "seed " << seed;
    EXPECT_GT(idle.report.utilisation, usual.report.utilisation + 0.01) << "seed " << seed;
    EXPECT_LT(idle.report.abandoned, 0.04) << "seed " << seed;
    abandoned += idle.report.abandoned / 2;
    busy += idle.report.utilisation / 2;
  }
  // Both bars of the demo's shape: at most 3% untaken, at least 80% busy.
  EXPECT_LE(abandoned, 0.03);
  EXPECT_GE(busy, 0.80);
}

// With no usual grabs (`grab_score` 0), idle people still take calls early
// when the forecast has room; without pacing the option does nothing.
TEST(SimulationPacing, IdleGrabsNeedPacingAndWorkWithoutUsualGrabs) {
  const double w = patter::PacingOptions{}.feedback_weight;
  const patter::Simulation none = demo(true, 0.04, 1, true, w, std::nullopt, 0),
                           idle = demo(true, 0.04, 1, true, w, 1.0, 0);
  EXPECT_EQ(none.report.grabs, 0u);
  EXPECT_GT(idle.report.grabs, 50u);
  // A score that is no number grabs nothing more.
  EXPECT_EQ(demo(true, 0.04, 1, true, w, std::nan(""), 0).report.grabs, 0u);
  const patter::Simulation off = demo(false), off_idle = demo(false, 0.03, 1, true, w, 1.0);
  EXPECT_EQ(off.report.to_json(), off_idle.report.to_json());
}

TEST(SimulationPacing, OffLeavesTheCampaignAsItWas) {
  const patter::Simulation a = demo(false);
  // Options of the adviser do nothing without pacing.
  const auto script = patter::load_file(kExamples + "scripts/screening.zh-CN.yaml").script;
  const auto personas =
      patter::load_personas_file(kExamples + "personas/screening.zh-CN.personas.yaml", *script);
  patter::SimulationOptions opt;
  opt.calls = 3000;
  opt.agents = 4;
  opt.robots_per_agent = 3;
  opt.grab_score = 40;
  opt.seed = 1;
  opt.pacing_options.abandon_target = 0.5;
  opt.pacing_options.max_robots_per_person = 9;
  const patter::Simulation b = patter::simulate(script, *personas.personas, opt);
  EXPECT_EQ(a.report.to_json(), b.report.to_json());
  EXPECT_EQ(a.sim_ms, b.sim_ms);
}

}  // namespace
