// `patter stats` for A/B tests: conversion per variant, Wilson intervals,
// the difference from the control and the verdict, checked against values
// worked out by hand.
#include <gtest/gtest.h>
#include <patter/patter.hpp>
#include <patter/tooling/stats.hpp>

#include <string>

namespace {

using namespace patter;

// Wilson, 10 of 100: p = 0.1, z = 1.96, z^2/n = 0.038415;
// centre = (0.1 + 0.0192073) / 1.038415 = 0.114799;
// half = 1.96 * sqrt(0.0009 + 0.00009604) / 1.038415 = 0.059568.
TEST(StatsVariants, WilsonIntervalsByHand) {
  Interval i = wilson_interval(10, 100);
  EXPECT_NEAR(i.low, 0.05523, 1e-5);
  EXPECT_NEAR(i.high, 0.17437, 1e-5);
  i = wilson_interval(100, 1000);
  EXPECT_NEAR(i.low, 0.08291, 1e-5);
  EXPECT_NEAR(i.high, 0.12015, 1e-5);
  i = wilson_interval(0, 20);  // never below 0, and not 0 wide
  EXPECT_EQ(i.low, 0.0);
  EXPECT_NEAR(i.high, 0.16113, 1e-5);
  i = wilson_interval(20, 20);
  EXPECT_NEAR(i.low, 0.83887, 1e-5);
  EXPECT_EQ(i.high, 1.0);
  i = wilson_interval(0, 0);
  EXPECT_EQ(i.low, 0.0);
  EXPECT_EQ(i.high, 0.0);
}

// Newcombe: d = 0.15 - 0.10; low = d - sqrt((0.15 - 0.12921)^2 + (0.12015 - 0.10)^2)
// = 0.05 - 0.028954 = 0.021046; high = d + sqrt((0.17347 - 0.15)^2 + (0.10 - 0.08291)^2)
// = 0.05 + 0.029032 = 0.079032.
TEST(StatsVariants, DifferenceIntervalByHand) {
  Interval d = difference_interval(100, 1000, 150, 1000);
  EXPECT_NEAR(d.low, 0.021046, 1e-5);
  EXPECT_NEAR(d.high, 0.079032, 1e-5);
  d = difference_interval(150, 1000, 100, 1000);  // the other way round: mirrored
  EXPECT_NEAR(d.low, -0.079032, 1e-5);
  EXPECT_NEAR(d.high, -0.021046, 1e-5);
  // 0.10 against 0.12: (1.96 sqrt(2 * 0.11 * 0.89) + 0.8416 sqrt(0.09 + 0.1056))^2 / 0.02^2
  // = (0.86962 + 0.37212)^2 / 0.0004 = 3841 calls each.
  EXPECT_EQ(calls_needed(0.10, 0.12), 3841u);
  EXPECT_EQ(calls_needed(0.10, 0.10), 0u);
}

CallResult call(char grade, std::string variant) {
  CallResult r;
  r.outcome = Outcome::completed;
  r.grade = grade;
  r.variants.push_back({"offer", std::move(variant)});
  return r;
}

void add(Stats& s, std::string_view variant, int converted, int calls) {
  for (int i = 0; i < calls; ++i) s.add(call(i < converted ? 'A' : 'D', std::string(variant)));
}

TEST(StatsVariants, ABetterVariantIsNamedWithItsInterval) {
  Stats s;
  add(s, "control", 100, 1000);
  add(s, "short", 150, 1000);
  const StatsReport r = s.report();
  ASSERT_EQ(r.experiments.size(), 1u);
  const ExperimentReport& e = r.experiments[0];
  EXPECT_EQ(e.experiment, "offer");
  ASSERT_EQ(e.variants.size(), 2u);
  EXPECT_EQ(e.variants[0].variant, "control");
  EXPECT_EQ(e.variants[0].calls, 1000u);
  EXPECT_EQ(e.variants[0].converted, 100u);
  EXPECT_TRUE(e.variants[0].verdict.empty());
  const VariantRow& b = e.variants[1];
  EXPECT_NEAR(b.rate, 0.15, 1e-12);
  EXPECT_NEAR(b.diff, 0.05, 1e-12);
  EXPECT_EQ(b.verdict, "short converts better than control (95% CI +2.1 to +7.9 points)");
  const std::string text = r.to_text();
  EXPECT_NE(text.find("A/B tests (converted = grade AB"), std::string::npos) << text;
  EXPECT_NE(text.find("8.3-12.0%"), std::string::npos) << text;
  EXPECT_NE(text.find("+5.0"), std::string::npos) << text;
  const std::string json = r.to_json();
  EXPECT_NE(json.find("\"experiments\":[{\"experiment\":\"offer\",\"variants\":[{\"variant\":"
                      "\"control\",\"calls\":1000,\"converted\":100,\"rate\":0.1000,"
                      "\"rate_low\":0.0829,\"rate_high\":0.1202"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"diff_low\":0.0210,\"diff_high\":0.0790"), std::string::npos) << json;
}

TEST(StatsVariants, AWorseVariantAndAnUndecidedOne) {
  Stats worse;
  add(worse, "control", 150, 1000);
  add(worse, "long", 100, 1000);
  EXPECT_EQ(worse.report().experiments[0].variants[1].verdict,
            "long converts worse than control (95% CI -7.9 to -2.1 points)");
  Stats open;
  add(open, "control", 10, 100);
  add(open, "B", 12, 100);
  // 3841 each are needed: 3741 more for each.
  EXPECT_EQ(open.report().experiments[0].variants[1].verdict,
            "B against control: not yet decided, need about 7482 more calls (95% CI -7.0 to "
            "+11.0 points)");
  Stats same;
  add(same, "control", 10, 100);
  add(same, "B", 10, 100);
  EXPECT_EQ(same.report().experiments[0].variants[1].verdict.rfind(
                "B against control: not yet decided, no clear difference so far", 0),
            0u);
}

TEST(StatsVariants, TheScriptOrdersTheVariantsControlFirst) {
  auto loaded = load_string(R"yaml(patter: 1
id: ab
locale: en-US
start: offer
nodes:
  offer:
    variants:
      - {name: control, say: "Hello."}
      - {name: short, say: "Hi."}
    hangup: completed
)yaml",
                            "ab.yaml");
  ASSERT_TRUE(loaded.ok());
  Stats s(loaded.script);
  add(s, "short", 1, 2);  // seen first, but not the control
  add(s, "control", 1, 2);
  const StatsReport r = s.report();
  ASSERT_EQ(r.experiments.size(), 1u);
  EXPECT_EQ(r.experiments[0].variants[0].variant, "control");
  EXPECT_EQ(r.experiments[0].variants[1].variant, "short");
  Stats none(loaded.script);  // no calls: no section
  EXPECT_TRUE(none.report().experiments.empty());
  EXPECT_EQ(none.report().to_text().find("A/B"), std::string::npos);
}

TEST(StatsVariants, ResultLinesCarryTheVariants) {
  Stats s;
  ASSERT_TRUE(s.add_json(R"({"outcome":"completed","grade":"A","path":["offer"],)"
                         R"("variants":{"offer":"short","tone":"casual"}})"));
  ASSERT_TRUE(s.add_json(R"({"outcome":"completed","grade":"E","path":["offer"],)"
                         R"("variants":{"offer":"control"}})"));
  const StatsReport r = s.report();
  ASSERT_EQ(r.experiments.size(), 2u);
  EXPECT_EQ(r.experiments[0].variants[0].variant, "short");  // first seen, without a script
  EXPECT_EQ(r.experiments[0].variants[0].converted, 1u);
  EXPECT_EQ(r.experiments[0].variants[1].calls, 1u);
  EXPECT_EQ(r.experiments[0].variants[1].converted, 0u);
  EXPECT_EQ(r.experiments[1].experiment, "tone");
}

}  // namespace
