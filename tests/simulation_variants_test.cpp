// `patter simulate` with A/B tests: each simulated call gets its own key, so
// the calls split by the script's weights, and the stats compare them.
#include <gtest/gtest.h>
#include <patter/patter.hpp>
#include <patter/tooling.hpp>

#include <string>

namespace {

std::shared_ptr<const patter::Script> ab() {
  auto r = patter::load_string(R"yaml(patter: 1
id: ab
locale: en-US
intents:
  affirm: [yes, sure]
  negate: [no, nope]
start: offer
nodes:
  offer:
    say: "Would you like the premium plan?"
    variants:
      - {name: control, weight: 3}
      - {name: short, weight: 1, say: "Premium plan?"}
    routes:
      - {intent: affirm, to: sold}
      - {intent: negate, to: bye}
    no_match: {retries: 0, then: bye}
    no_input: {retries: 0, then: bye}
  sold: {say: "Great.", hangup: completed}
  bye: {say: "Bye.", hangup: not_interested}
grading:
  rules:
    - {grade: A, when: "reason == 'completed'"}
)yaml",
                               "ab.yaml");
  EXPECT_TRUE(r.ok());
  return r.script;
}

TEST(SimulationVariants, TheSplitFollowsTheWeightsAndStatsCompareThem) {
  auto script = ab();
  patter::SimulationOptions opt;
  opt.calls = 2000;
  opt.seed = 11;
  std::uint64_t lines = 0;
  patter::Stats replay(script);
  opt.on_call = [&](const patter::CallResult& r, const patter::CallContext& c) {
    ASSERT_TRUE(replay.add_json(patter::to_json_line(r, *script, c)));  // the --results path
    ++lines;
  };
  const patter::Simulation s = patter::simulate(script, patter::default_personas(*script), opt);
  ASSERT_EQ(s.errors, 0u);
  ASSERT_EQ(s.report.experiments.size(), 1u);
  const auto& v = s.report.experiments[0].variants;
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].variant, "control");
  const double calls = static_cast<double>(v[0].calls + v[1].calls);
  EXPECT_GT(calls, 1000);  // the answered ones
  // 3:1 of about 1,600 calls: a standard deviation of 1.1 points; allow 4.
  EXPECT_NEAR(static_cast<double>(v[0].calls) / calls, 0.75, 0.045);
  EXPECT_FALSE(v[1].verdict.empty());
  // The same persona behaves alike in both: no real difference to find.
  EXPECT_EQ(v[1].verdict.find("better"), std::string::npos) << v[1].verdict;
  // The recorded results give the same comparison.
  EXPECT_EQ(lines, 2000u);
  const patter::StatsReport again = replay.report();
  ASSERT_EQ(again.experiments.size(), 1u);
  EXPECT_EQ(again.experiments[0].variants[0].calls, v[0].calls);
  EXPECT_EQ(again.experiments[0].variants[1].converted, v[1].converted);
}

TEST(SimulationVariants, TheSameSeedGivesTheSameSplit) {
  auto script = ab();
  patter::SimulationOptions opt;
  opt.calls = 300;
  opt.seed = 5;
  const auto a = patter::simulate(script, patter::default_personas(*script), opt);
  const auto b = patter::simulate(script, patter::default_personas(*script), opt);
  ASSERT_EQ(a.report.experiments.size(), 1u);
  EXPECT_EQ(a.report.experiments[0].variants[1].calls, b.report.experiments[0].variants[1].calls);
}

}  // namespace
