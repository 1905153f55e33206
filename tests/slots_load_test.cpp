// Slots and decisions as the loader, the graph checks, the DOT drawing and
// test coverage see them.
#include <gtest/gtest.h>
#include <patter/dot.hpp>
#include <patter/graph.hpp>
#include <patter/loader.hpp>
#include <patter/tooling/conversation_test.hpp>

#include <algorithm>
#include <string>

namespace {

using namespace patter;

constexpr const char* kHead = R"yaml(patter: 1
id: slots
locale: en-US
variables:
  party: 0
  vip: false
  note: ""
intents:
  affirm: ["yes"]
  negate: ["no"]
start: ask
)yaml";

LoadResult load(const std::string& nodes) {
  return load_string(std::string(kHead) + nodes, "slots.yaml");
}

bool has(const LoadResult& r, Code code, std::uint32_t line = 0) {
  return std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [&](const Diagnostic& d) {
    return d.code == code && (line == 0 || d.where.line == line);
  });
}

std::string all(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

const char* kDecide = R"yaml(nodes:
  ask:
    say: How many?
    capture: party
    routes:
      - {intent: any, to: decide}
  decide:
    branch:
      - {when: "party >= 8", to: big, set: {vip: true}}
      - to: small
  big:
    say: Big.
    hangup: completed
  small:
    say: Small.
    hangup: completed
)yaml";

TEST(SlotsLoad, BranchEdgesReachAndEndAndAreDrawn) {
  const LoadResult r = load(kDecide);
  ASSERT_TRUE(r.ok()) << all(r);
  const Script& s = *r.script;
  const Node& decide = s.node(*s.find_node("decide"));
  EXPECT_EQ(decide.kind, NodeKind::branch);
  EXPECT_EQ(to_string(decide.kind), "branch");
  ASSERT_EQ(decide.branches.size(), 2u);
  EXPECT_EQ(decide.branches[0].guard.source(), "party >= 8");
  EXPECT_TRUE(decide.branches[1].guard.empty());
  EXPECT_EQ(s.node(*s.find_node("ask")).capture, *s.find_variable("party"));
  // Only branches lead to `big` and `small`: both reachable, no dead end.
  const GraphReport g = analyze(s);
  EXPECT_TRUE(g.unreachable.empty());
  EXPECT_TRUE(g.dead_ends.empty());
  EXPECT_TRUE(g.trap_cycles.empty());
  int branch_edges = 0;
  for (const Edge& e : s.edges()) branch_edges += e.kind == EdgeKind::branch;
  EXPECT_EQ(branch_edges, 2);
  // A branch takes no turn: one reply from the start to either ending.
  for (const TerminalPath& p : g.terminal_paths) EXPECT_EQ(p.turns, 1) << p.terminal;
  const std::string dot = to_dot(s);
  EXPECT_NE(dot.find("\"decide\" [label=\"decide\", shape=diamond]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"decide\" -> \"big\" [style=dotted, label=\"[party >= 8]\"]"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"decide\" -> \"small\" [style=dotted, label=\"otherwise\"]"),
            std::string::npos);
}

TEST(SlotsLoad, FingerprintSeesSetCaptureBranchesAndGuardedLines) {
  const std::string base = load(kDecide).script->fingerprint();
  auto changed = [&](std::string_view from, std::string_view to) {
    std::string nodes = kDecide;
    nodes.replace(nodes.find(from), from.size(), to);
    const LoadResult r = load(nodes);
    EXPECT_TRUE(r.ok()) << all(r);
    return r.ok() && r.script->fingerprint() != base;
  };
  EXPECT_TRUE(changed("set: {vip: true}", "set: {vip: false}"));
  EXPECT_TRUE(changed("    capture: party\n", ""));
  EXPECT_TRUE(changed("party >= 8", "party >= 9"));
  EXPECT_TRUE(changed("say: Big.", "say: [{text: Big., when: vip}, Large.]"));
}

TEST(SlotsLoad, MisspeltKeysGetASuggestion) {
  const LoadResult r = load(R"yaml(nodes:
  ask:
    say: Hi
    captur: party
    routes:
      - {intent: affirm, to: bye, sett: {vip: true}}
  bye:
    say: Bye.
    hangup: completed
)yaml");
  EXPECT_FALSE(r.ok());
  const std::string text = all(r);
  EXPECT_NE(text.find("did you mean `capture`"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean `set`"), std::string::npos) << text;
}

TEST(SlotsLoad, ShapeErrors) {
  const LoadResult r = load(R"yaml(nodes:
  ask:
    say:
      - {when: vip}
      - Hello
    routes:
      - {intent: affirm, to: decide, set: {vip: }}
  decide:
    branch:
      - when: vip
      - to: bye
      - to: ask
  bye:
    say: Bye.
    hangup: completed
)yaml");
  EXPECT_FALSE(r.ok());
  const std::string text = all(r);
  EXPECT_NE(text.find("a phrasing of `say` has no `text`"), std::string::npos) << text;
  EXPECT_NE(text.find("`set` gives `vip` no value"), std::string::npos) << text;
  EXPECT_NE(text.find("a branch of node `decide` has no `to`"), std::string::npos) << text;
}

TEST(SlotsLoad, MeaningErrors) {
  const LoadResult r = load(R"yaml(nodes:
  ask:
    say: Hi
    set: {party: "vip", note: "{nope}", vip: "1 + 1"}
    capture: vip
    routes:
      - {intent: affirm, to: decide}
  decide:
    say: Deciding.
    capture: note
    branch:
      - {to: bye}
      - {when: "party > 1", to: ask}
    routes:
      - {intent: negate, to: bye}
  bye:
    say: Bye.
    hangup: completed
)yaml");
  EXPECT_FALSE(r.ok());
  const std::string text = all(r);
  EXPECT_NE(text.find("`party` is a number, but `vip` gives true/false"), std::string::npos)
      << text;
  EXPECT_NE(text.find("`vip` is true/false, but `1 + 1` gives a number"), std::string::npos);
  EXPECT_TRUE(has(r, Code::undeclared_variable, 15));  // {nope} in a text value
  EXPECT_TRUE(has(r, Code::capture_misuse, 16));       // capture into a bool
  EXPECT_TRUE(has(r, Code::conflicting_keys));         // branch and routes
  EXPECT_TRUE(has(r, Code::shadowed_route, 24));       // after the otherwise branch
  EXPECT_NE(text.find("cannot fill `vip`: it is true/false"), std::string::npos) << text;
}

TEST(SlotsLoad, BranchTargetsAreCheckedAndCoverageCountsBranches) {
  const LoadResult bad = load(R"yaml(nodes:
  ask:
    say: Hi
    routes: [{intent: any, to: decide}]
  decide:
    branch:
      - {when: vip, to: bigg}
      - to: big
  big:
    say: Big.
    hangup: completed
)yaml");
  EXPECT_TRUE(has(bad, Code::unknown_node, 18)) << all(bad);
  EXPECT_NE(all(bad).find("did you mean `big`"), std::string::npos);

  const LoadResult r = load(kDecide);
  ASSERT_TRUE(r.ok());
  const TestLoad tl = load_tests_string(R"yaml(cases:
  - name: small party
    turns:
      - customer: two
        node: small
)yaml",
                                        "slots.tests.yaml");
  ASSERT_TRUE(tl.ok());
  const TestReport rep = run_tests(*tl.suite, r.script);
  ASSERT_EQ(rep.passed(), 1u);
  // The route `any`, and the otherwise branch of `decide`; not the first branch.
  EXPECT_EQ(rep.coverage.route_ratio().covered, 2u);
  EXPECT_EQ(rep.coverage.route_ratio().total, 3u);
  const std::string missing = format(rep.coverage, *r.script);
  EXPECT_NE(missing.find("decide branch 1 (when `party >= 8`) -> big"), std::string::npos)
      << missing;
}

}  // namespace
