// A/B tests in the tools: the graph's analysis and drawing, and coverage of
// conversation tests, count each variant and its own routes.
#include <gtest/gtest.h>
#include <patter/patter.hpp>
#include <patter/tooling.hpp>

#include <string>

namespace {

using namespace patter;

const char* kScript = R"yaml(patter: 1
id: ab
locale: en-US
intents:
  affirm: [yes, sure]
  negate: [no, nope]
start: offer
nodes:
  offer:
    say: "Premium plan?"
    variants:
      - {name: control}
      - name: retain_first
        say: "Before you go: premium plan?"
        routes:
          - {intent: affirm, to: sold}
          - {intent: negate, to: retain}
    routes:
      - {intent: affirm, to: sold}
      - {intent: negate, to: bye}
    no_match: {retries: 0, then: bye}
    no_input: {retries: 0, then: bye}
  retain:
    variants:
      - {name: A, say: "Half price?", next: bye}
      - {name: B, say: "A month free?", next: sold}
  sold: {say: "Great.", hangup: completed}
  bye: {say: "Bye.", hangup: not_interested}
)yaml";

std::shared_ptr<const Script> script() {
  auto r = load_string(kScript, "ab.yaml");
  std::string all;
  for (const auto& d : r.diagnostics) all += format(d) + "\n";
  EXPECT_TRUE(r.ok()) << all;
  EXPECT_TRUE(r.diagnostics.empty()) << all;  // `retain` is reached through a variant
  return r.script;
}

TEST(VariantsTools, VariantEdgesAreInTheGraph) {
  auto s = script();
  int routes = 0, nexts = 0;
  for (const Edge& e : s->edges()) {
    if (e.kind != EdgeKind::variant) continue;
    EXPECT_NE(e.variant, kNone);
    if (e.index == kNone)
      ++nexts;
    else
      ++routes;
  }
  EXPECT_EQ(routes, 2);
  EXPECT_EQ(nexts, 2);
  const GraphReport g = analyze(*s);
  EXPECT_TRUE(g.unreachable.empty());
  EXPECT_TRUE(g.dead_ends.empty());  // `retain` has no `next` of its own, its variants do
  EXPECT_TRUE(g.trap_cycles.empty());
}

TEST(VariantsTools, ATrapThroughAVariantsNextIsFound) {
  auto r = load_string(R"yaml(patter: 1
id: trap
locale: en-US
start: a
nodes:
  a:
    variants:
      - {name: A, say: "One.", next: b}
      - {name: B, say: "Two.", next: b}
  b:
    say: "Again."
    next: a
)yaml",
                       "trap.yaml");
  ASSERT_FALSE(r.ok());
  bool trap = false;
  for (const auto& d : r.diagnostics) trap = trap || d.code == Code::trap_cycle;
  EXPECT_TRUE(trap);
}

TEST(VariantsTools, DotDrawsVariantEdgesLabelledWithTheVariant) {
  const std::string dot = to_dot(*script());
  EXPECT_NE(dot.find("\"offer\" -> \"retain\" [color=purple, fontcolor=purple, "
                     "label=\"[retain_first] negate\"]"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"retain\" -> \"sold\" [color=purple, fontcolor=purple, label=\"[B]\"]"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("A/B offer: control 1 | retain_first 1"), std::string::npos) << dot;
}

TEST(VariantsTools, CoverageCountsEachVariantAndItsRoutes) {
  auto s = script();
  TestLoad tests = load_tests_string(R"yaml(cases:
  - name: control says yes
    turns:
      - customer: "yes"
        node: sold
  - name: retain first, then no
    variants: {offer: retain_first, retain: A}
    turns:
      - customer: "no"
        node: bye
)yaml",
                                     "ab.tests.yaml");
  ASSERT_TRUE(tests.ok());
  const TestReport report = run_tests(*tests.suite, s);
  ASSERT_TRUE(report.diagnostics.empty());
  ASSERT_EQ(report.passed(), 2u) << to_json(report, s.get());
  const Coverage& c = report.coverage;
  // offer: control and retain_first; retain: A only.
  EXPECT_EQ(c.variant_ratio().total, 4u);
  EXPECT_EQ(c.variant_ratio().covered, 3u);
  // offer's 2 routes and retain_first's 2: affirm of each, and negate of the variant.
  EXPECT_EQ(c.route_ratio().total, 4u);
  EXPECT_EQ(c.route_ratio().covered, 2u);
  const std::string text = format(c, *s);
  EXPECT_NE(text.find("variant retain [B]"), std::string::npos) << text;
  EXPECT_NE(text.find("route   offer [retain_first] #1 (affirm) -> sold"), std::string::npos)
      << text;
  EXPECT_NE(to_json(c, *s).find("\"variants\":{\"covered\":3,\"total\":4"), std::string::npos);
}

TEST(VariantsTools, ACaseNamingAnUnknownVariantIsAnError) {
  auto s = script();
  TestLoad tests = load_tests_string(R"yaml(cases:
  - name: typo
    variants: {ofer: retain_first, offer: retian_first}
    turns:
      - customer: "yes"
)yaml",
                                     "ab.tests.yaml");
  ASSERT_TRUE(tests.ok());
  const TestReport report = run_tests(*tests.suite, s);
  ASSERT_EQ(report.diagnostics.size(), 2u);
  EXPECT_NE(report.diagnostics[0].hint.find("offer"), std::string::npos);
  EXPECT_NE(report.diagnostics[1].message.find("no variant `retian_first`"), std::string::npos);
  EXPECT_NE(report.diagnostics[1].hint.find("retain_first"), std::string::npos);
}

}  // namespace
