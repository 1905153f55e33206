// Loading sub-flows: names scoped to their flow, every misuse diagnosed
// where the author wrote it, and the graph checks across calls and returns.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <string>

namespace {

using namespace patter;

std::string head(std::string_view nodes, std::string_view flows) {
  return std::string(R"(patter: 1
id: f
locale: en-US
intents:
  affirm: [yes]
  deny: [no]
start: main
nodes:
)") + std::string(nodes) +
         "flows:\n" + std::string(flows);
}

constexpr std::string_view kConfirm = R"(  confirm:
    nodes:
      ask:
        say: Right?
        routes:
          - intent: affirm
            to: yes
          - intent: deny
            to: no
      yes: {return: yes}
      no: {return: no}
)";

const Diagnostic* find(const LoadResult& r, Code code) {
  for (const Diagnostic& d : r.diagnostics)
    if (d.code == code) return &d;
  return nullptr;
}

/// A main node that calls `confirm` and ends on either outcome.
constexpr const char* kMainCallsConfirm = R"(  main:
    call: confirm
    on_return: {yes: done, no: done}
  done: {hangup: completed}
)";

TEST(FlowsCompile, ACallWithAnOutcomeForEachReturnLoads) {
  const LoadResult r = load_string(head(kMainCallsConfirm, kConfirm), "f.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.diagnostics.empty()) << format(r.diagnostics.front());
  const Script& s = *r.script;
  const Node& main = s.node(s.start());
  EXPECT_EQ(main.call_start, *s.find_node("confirm.ask"));
  EXPECT_EQ(main.after_return(0), *s.find_node("done"));
}

TEST(FlowsCompile, AnUnknownFlowSuggestsTheName) {
  const LoadResult r = load_string(head("  main:\n    call: confrim\n    on_return: {yes: done}\n"
                                        "  done: {hangup: completed}\n",
                                        kConfirm),
                                   "f.yaml");
  const Diagnostic* d = find(r, Code::unknown_flow);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->where.line, 10u);
  EXPECT_EQ(d->where.column, 11u);
  EXPECT_NE(d->hint.find("confirm"), std::string::npos);
  EXPECT_EQ(code_name(Code::unknown_flow), "P070");
}

TEST(FlowsCompile, AnOutcomeTheCallerDoesNotRouteIsAnError) {
  const LoadResult r = load_string(head("  main:\n    call: confirm\n    on_return: {yes: done}\n"
                                        "  done: {hangup: completed}\n",
                                        kConfirm),
                                   "f.yaml");
  const Diagnostic* d = find(r, Code::unrouted_return);
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->message.find("`no`"), std::string::npos);
  EXPECT_FALSE(r.ok());
}

TEST(FlowsCompile, AnOutcomeTheFlowNeverReturnsIsAWarning) {
  const LoadResult r = load_string(
      head("  main:\n    call: {flow: confirm, then: done}\n    on_return: {maybe: done}\n"
           "  done: {hangup: completed}\n",
           kConfirm),
      "f.yaml");
  EXPECT_TRUE(r.ok());
  const Diagnostic* d = find(r, Code::unused_return);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->severity, Severity::warning);
  EXPECT_EQ(d->where.line, 11u);
}

TEST(FlowsCompile, NoNameLeadsAcrossAFlowsBorder) {
  // Into a flow's node from outside.
  LoadResult r = load_string(head(R"(  main:
    routes: [{intent: affirm, to: confirm.ask}]
)",
                                  kConfirm),
                             "f.yaml");
  ASSERT_NE(find(r, Code::outside_flow), nullptr);
  EXPECT_NE(find(r, Code::outside_flow)->hint.find("call: confirm"), std::string::npos);
  // Out of a flow to a node of the script.
  r = load_string(
      head("  main:\n    call: {flow: c, then: done}\n  done: {hangup: completed}\n",
           "  c:\n    nodes:\n      a:\n        routes: [{intent: affirm, to: done}]\n"),
      "f.yaml");
  ASSERT_NE(find(r, Code::outside_flow), nullptr);
  EXPECT_EQ(find(r, Code::outside_flow)->where.line, 16u);
  // `return:` outside every flow.
  r = load_string(head("  main: {return: yes}\n", kConfirm), "f.yaml");
  ASSERT_NE(find(r, Code::outside_flow), nullptr);
}

TEST(FlowsCompile, FlowsThatCallThemselvesAreRefused) {
  const LoadResult r = load_string(
      head("  main:\n    call: {flow: a, then: done}\n  done: {hangup: completed}\n",
           "  a:\n    nodes:\n      x: {call: {flow: b, then: y}}\n      y: {return: ok}\n"
           "  b:\n    nodes:\n      x: {call: {flow: a, then: y}}\n      y: {return: ok}\n"),
      "f.yaml");
  const Diagnostic* d = find(r, Code::flow_recursion);
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(r.ok());
}

TEST(FlowsCompile, FlowsNestedDeeperThanTheStackAreRefused) {
  std::string flows;
  for (int i = 0; i < 5; ++i) {
    flows += "  f" + std::to_string(i) + ":\n    nodes:\n";
    if (i < 4)
      flows += "      x: {call: {flow: f" + std::to_string(i + 1) + ", then: y}}\n";
    else
      flows += "      x: {say: deep}\n";
    flows += "      y: {return: ok}\n";
    if (i == 4) flows.replace(flows.rfind("{say: deep}"), 11, "{say: deep, next: y}");
  }
  const LoadResult r = load_string(
      head("  main:\n    call: {flow: f0, then: done}\n  done: {hangup: completed}\n", flows),
      "f.yaml");
  const Diagnostic* d = find(r, Code::flow_recursion);
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->message.find("5 flows"), std::string::npos);
}

TEST(FlowsCompile, CallBesideRoutesConflicts) {
  const LoadResult r =
      load_string(head("  main:\n    call: {flow: confirm, then: done}\n"
                       "    routes: [{intent: affirm, to: done}]\n  done: {hangup: completed}\n",
                       kConfirm),
                  "f.yaml");
  EXPECT_NE(find(r, Code::conflicting_keys), nullptr);
}

TEST(FlowsCompile, MisspeltFlowKeysAreSuggested) {
  const LoadResult r = load_string(
      head("  main:\n    call: {flow: confirm, then: done}\n    on_retrun: {yes: done}\n"
           "  done: {hangup: completed}\n",
           kConfirm),
      "f.yaml");
  const Diagnostic* d = find(r, Code::unknown_key);
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->hint.find("on_return"), std::string::npos);
}

TEST(FlowsCompile, AReturnIsAnEndWithinItsFlowAndAnUncalledFlowIsUnreachable) {
  const LoadResult r = load_string(
      head("  main:\n    call: {flow: confirm, then: done}\n  done: {hangup: completed}\n",
           std::string(kConfirm) + "  unused:\n    nodes:\n      z: {say: hi, return: x}\n"),
      "f.yaml");
  ASSERT_TRUE(r.ok());
  const GraphReport g = analyze(*r.script);
  EXPECT_TRUE(g.dead_ends.empty());
  EXPECT_TRUE(g.trap_cycles.empty());
  ASSERT_EQ(g.unreachable.size(), 1u);
  EXPECT_EQ(r.script->node(g.unreachable[0]).name, "unused.z");
  // The shortest way to `done` passes through the flow, and costs the one turn at `ask`.
  for (const TerminalPath& p : g.terminal_paths)
    if (r.script->node(p.terminal).name == "done") {
      EXPECT_EQ(p.turns, 1);
      ASSERT_EQ(p.path.size(), 4u);
      EXPECT_EQ(r.script->node(p.path[1]).name, "confirm.ask");
    }
}

TEST(FlowsCompile, ATrapInsideAFlowIsFound) {
  const LoadResult r =
      load_string(head("  main:\n    call: {flow: loop, then: done}\n  done: {hangup: completed}\n",
                       "  loop:\n    nodes:\n      a: {say: a, routes: [{intent: affirm, to: b}]}\n"
                       "      b: {say: b, routes: [{intent: affirm, to: a}]}\n"),
                  "f.yaml");
  EXPECT_NE(find(r, Code::trap_cycle), nullptr);
}

TEST(FlowsCompile, DotDrawsFlowsAsBoxesWithCallsAndReturns) {
  const LoadResult r = load_string(head(kMainCallsConfirm, kConfirm), "f.yaml");
  ASSERT_TRUE(r.ok());
  const std::string dot = to_dot(*r.script);
  EXPECT_NE(dot.find("subgraph \"cluster_flow confirm\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"flow confirm\""), std::string::npos);
  EXPECT_NE(dot.find("\"confirm.ask\" [label=\"ask\\nRight?\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"main\" -> \"confirm.ask\" [style=bold, label=\"call confirm\"]"),
            std::string::npos);
  EXPECT_NE(dot.find("\"confirm.no\" -> \"done\" [style=dashed, label=\"returns no\"]"),
            std::string::npos);
}

TEST(FlowsCompile, TheFingerprintSeesTheFlows) {
  const std::string a = head(R"(  main:
    call: confirm
    on_return: {yes: done, no: done}
  done: {hangup: completed}
  other: {hangup: completed}
)",
                             kConfirm);
  std::string b = a;
  b.replace(b.find("no: done}"), 9, "no: other}");
  const LoadResult ra = load_string(a, "f.yaml"), rb = load_string(b, "f.yaml");
  ASSERT_TRUE(ra.ok());
  ASSERT_TRUE(rb.ok());
  EXPECT_NE(ra.script->fingerprint(), rb.script->fingerprint());
}

}  // namespace
