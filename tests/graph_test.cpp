// Graph checks: what analyze() finds, and what the compiler makes of it.
#include "patter/graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "patter/loader.hpp"

namespace {

using patter::Code;
using patter::NodeId;

// Intents and a closing node shared by every script below.
constexpr std::string_view kHead = R"(patter: 1
id: t
locale: en-US
intents:
  yes: [yes, sure]
  no: [no, nope]
  human: [real person]
  stop: [stop calling]
)";

std::string script(std::string_view body) {
  return std::string(kHead) + std::string(body);
}

std::string dump(const std::vector<patter::Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += patter::format(d) + '\n';
  return out;
}

/// Loads a script that must compile.
std::shared_ptr<const patter::Script> load(std::string_view body) {
  auto r = patter::load_string(script(body), "graph.yaml");
  EXPECT_TRUE(r.ok()) << dump(r.diagnostics);
  return r.script;
}

/// 1-based line of the first line of `text` that starts with `prefix`.
std::uint32_t line_of(const std::string& text, std::string_view prefix) {
  std::uint32_t line = 1;
  std::size_t at = 0;
  while (at < text.size()) {
    if (std::string_view(text).substr(at).starts_with(prefix)) return line;
    at = text.find('\n', at);
    if (at == std::string::npos) break;
    ++at, ++line;
  }
  return 0;
}

NodeId id(const patter::Script& s, std::string_view name) {
  auto found = s.find_node(name);
  EXPECT_TRUE(found.has_value()) << name;
  return found.value_or(patter::kNone);
}

std::vector<NodeId> ids(const patter::Script& s, std::vector<std::string_view> names) {
  std::vector<NodeId> out;
  for (auto n : names) out.push_back(id(s, n));
  std::sort(out.begin(), out.end());
  return out;
}

const patter::TerminalPath& path_to(const patter::GraphReport& g, NodeId terminal) {
  auto it = std::find_if(g.terminal_paths.begin(), g.terminal_paths.end(),
                         [&](const patter::TerminalPath& p) { return p.terminal == terminal; });
  EXPECT_NE(it, g.terminal_paths.end());
  return *it;
}

const patter::Diagnostic* find(const std::vector<patter::Diagnostic>& ds, Code code) {
  for (const auto& d : ds)
    if (d.code == code) return &d;
  return nullptr;
}

TEST(Graph, CleanScriptHasNoFindings) {
  auto s = load(R"(start: a
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: yes, to: b}
      - {intent: no, to: bye}
  b:
    say: "Great"
    next: bye
  bye:
    say: "Bye"
    hangup: completed
)");
  ASSERT_TRUE(s);
  auto g = patter::analyze(*s);
  EXPECT_TRUE(g.unreachable.empty());
  EXPECT_TRUE(g.dead_ends.empty());
  EXPECT_TRUE(g.trap_cycles.empty());
  ASSERT_EQ(g.terminal_paths.size(), 1u);
  EXPECT_EQ(g.terminal_paths[0].terminal, id(*s, "bye"));
  EXPECT_EQ(g.terminal_paths[0].turns, 1);
  EXPECT_EQ(g.terminal_paths[0].path, (std::vector<NodeId>{id(*s, "a"), id(*s, "bye")}));
}

TEST(Graph, UnreachableNodeIsReportedAndWarned) {
  const std::string text = script(R"(start: a
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: any, to: bye}
  orphan:
    say: "Nobody comes here"
    next: lost
  lost:
    say: "Nor here"
    hangup: completed
  bye:
    say: "Bye"
    hangup: completed
)");
  auto r = patter::load_string(text, "graph.yaml");
  ASSERT_TRUE(r.ok()) << dump(r.diagnostics);  // a warning, not an error
  auto g = patter::analyze(*r.script);
  EXPECT_EQ(g.unreachable, ids(*r.script, {"orphan", "lost"}));
  EXPECT_TRUE(g.dead_ends.empty());
  EXPECT_TRUE(g.trap_cycles.empty());

  const auto* d = find(r.diagnostics, Code::unreachable_node);
  ASSERT_NE(d, nullptr) << dump(r.diagnostics);
  EXPECT_EQ(d->severity, patter::Severity::warning);
  EXPECT_EQ(d->where.file, "graph.yaml");
  // The first unreachable node in node order, at its name.
  EXPECT_EQ(d->where.line, line_of(text, "  orphan:"));
}

TEST(Graph, GlobalGotoMakesItsTargetReachable) {
  auto s = load(R"(start: a
globals:
  - {intent: human, goto: agent}
limits:
  close: closing
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: yes, to: bye}
    no_match: {retries: 1, then: bye}
  agent:
    say: "Let me get someone"
    escalate: asked_for_human
  closing:
    say: "Sorry, goodbye"
    hangup: no_match
  bye:
    say: "Bye"
    hangup: completed
)");
  ASSERT_TRUE(s);
  auto g = patter::analyze(*s);
  EXPECT_TRUE(g.unreachable.empty());
  // ...but it is no path of the script's own: the customer has to ask.
  EXPECT_EQ(path_to(g, id(*s, "agent")).turns, -1);
  EXPECT_TRUE(path_to(g, id(*s, "agent")).path.empty());
  EXPECT_EQ(path_to(g, id(*s, "closing")).turns, -1);
  EXPECT_EQ(path_to(g, id(*s, "bye")).turns, 1);
}

TEST(Graph, GlobalGotoNeedsAListeningNode) {
  // The robot never listens, so no global handler can ever fire.
  auto s = load(R"(start: intro
globals:
  - {intent: human, goto: agent}
nodes:
  intro:
    say: "This is a recorded message"
    next: bye
  agent:
    say: "Let me get someone"
    escalate: asked_for_human
  bye:
    say: "Bye"
    hangup: completed
)");
  ASSERT_TRUE(s);
  auto g = patter::analyze(*s);
  EXPECT_EQ(g.unreachable, ids(*s, {"agent"}));
  EXPECT_EQ(path_to(g, id(*s, "bye")).turns, 0);
}

TEST(Graph, DeadEndIsACompileError) {
  const std::string text = script(R"(start: a
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: yes, to: stuck}
      - {intent: no, to: bye}
  stuck:
    say: "And now?"
  bye:
    say: "Bye"
    hangup: completed
)");
  auto r = patter::load_string(text, "graph.yaml");
  EXPECT_FALSE(r.ok());
  const auto* d = find(r.diagnostics, Code::dead_end);
  ASSERT_NE(d, nullptr) << dump(r.diagnostics);
  EXPECT_EQ(d->severity, patter::Severity::error);
  EXPECT_EQ(d->where.file, "graph.yaml");
  EXPECT_EQ(d->where.line, line_of(text, "  stuck:"));
  EXPECT_NE(d->message.find("stuck"), std::string::npos) << d->message;
}

TEST(Graph, FallbackIsAWayOut) {
  // No routes at all, but silence and no-match lead on: not a dead end.
  auto s = load(R"(start: a
nodes:
  a:
    say: "Anything to add?"
    no_match: {retries: 0, then: bye}
    no_input: {retries: 0, then: bye}
  bye:
    say: "Bye"
    hangup: completed
)");
  ASSERT_TRUE(s);
  auto g = patter::analyze(*s);
  EXPECT_TRUE(g.dead_ends.empty());
  EXPECT_TRUE(g.trap_cycles.empty());
  EXPECT_EQ(path_to(g, id(*s, "bye")).turns, 1);
}

constexpr std::string_view kLoop = R"(start: a
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: yes, to: ping}
      - {intent: no, to: bye}
  ping:
    say: "Ping"
    routes:
      - {intent: any, to: pong}
  pong:
    say: "Pong"
    routes:
      - {intent: any, to: ping}
  bye:
    say: "Bye"
    hangup: completed
)";

TEST(Graph, LoopWithoutExitIsATrap) {
  const std::string text = script(kLoop);
  auto r = patter::load_string(text, "graph.yaml");
  EXPECT_FALSE(r.ok());
  const auto* d = find(r.diagnostics, Code::trap_cycle);
  ASSERT_NE(d, nullptr) << dump(r.diagnostics);
  EXPECT_EQ(d->severity, patter::Severity::error);
  EXPECT_EQ(d->where.line, line_of(text, "  ping:"));
  EXPECT_EQ(find(r.diagnostics, Code::dead_end), nullptr) << dump(r.diagnostics);
}

TEST(Graph, GlobalHangupDoesNotOpenATrap) {
  // "Stop calling me" ends any call, but the script must not rely on it.
  const std::string text = script(std::string(R"(globals:
  - {intent: stop, hangup: opt_out}
  - {intent: human, goto: bye}
)") + std::string(kLoop));
  auto r = patter::load_string(text, "graph.yaml");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(find(r.diagnostics, Code::trap_cycle), nullptr) << dump(r.diagnostics);
}

TEST(Graph, SelfLoopIsATrap) {
  const std::string text = script(R"(start: a
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: yes, to: again}
      - {intent: no, to: bye}
  again:
    say: "Again?"
    routes:
      - {intent: any, to: again}
    no_match: {retries: 1, then: again}
  bye:
    say: "Bye"
    hangup: completed
)");
  auto r = patter::load_string(text, "graph.yaml");
  EXPECT_FALSE(r.ok());
  const auto* d = find(r.diagnostics, Code::trap_cycle);
  ASSERT_NE(d, nullptr) << dump(r.diagnostics);
  EXPECT_EQ(d->where.line, line_of(text, "  again:"));
}

TEST(Graph, LoopWithAnExitIsFine) {
  auto s = load(R"(start: ping
nodes:
  ping:
    say: "Ping"
    routes:
      - {intent: yes, to: pong}
      - {intent: no, to: bye}
  pong:
    say: "Pong"
    routes:
      - {intent: any, to: ping}
  again:
    say: "Unreachable, but it loops to itself and may leave"
    routes:
      - {intent: yes, to: again}
      - {intent: no, to: bye}
  bye:
    say: "Bye"
    hangup: completed
)");
  ASSERT_TRUE(s);
  auto g = patter::analyze(*s);
  EXPECT_TRUE(g.trap_cycles.empty());
  EXPECT_TRUE(g.dead_ends.empty());
  EXPECT_EQ(g.unreachable, ids(*s, {"again"}));
}

TEST(Graph, ShortestPathCountsTurnsNotNodes) {
  // Via `yes`: one reply and three pass-through nodes. Via `no`: two replies.
  auto s = load(R"(start: a
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: no, to: ask}
      - {intent: yes, to: p1}
  p1:
    say: "One"
    next: p2
  p2:
    say: "Two"
    next: p3
  p3:
    say: "Three"
    next: done
  ask:
    say: "Sure?"
    routes:
      - {intent: any, to: done}
  done:
    say: "Done"
    hangup: completed
  never:
    say: "Unreachable end"
    hangup: completed
)");
  ASSERT_TRUE(s);
  auto g = patter::analyze(*s);
  const auto& done = path_to(g, id(*s, "done"));
  EXPECT_EQ(done.turns, 1);
  EXPECT_EQ(done.path, (std::vector<NodeId>{id(*s, "a"), id(*s, "p1"), id(*s, "p2"), id(*s, "p3"),
                                            id(*s, "done")}));
  const auto& never = path_to(g, id(*s, "never"));
  EXPECT_EQ(never.turns, -1);
  EXPECT_TRUE(never.path.empty());
  EXPECT_EQ(g.unreachable, ids(*s, {"never"}));
}

TEST(Graph, FallbacksCostATurn) {
  auto s = load(R"(start: a
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: yes, to: b}
    no_input: {retries: 2, then: quiet}
    no_match: {retries: 1, then: b, long_reply: agent}
  b:
    say: "Then?"
    routes:
      - {intent: yes, to: sold}
    no_match: {then: bye}
  quiet:
    say: "Nobody there"
    hangup: no_input
  agent:
    say: "A colleague will help"
    escalate: question
  sold:
    say: "Sold"
    escalate: interested
  bye:
    say: "Bye"
    hangup: completed
)");
  ASSERT_TRUE(s);
  auto g = patter::analyze(*s);
  EXPECT_EQ(path_to(g, id(*s, "quiet")).turns, 1);
  EXPECT_EQ(path_to(g, id(*s, "agent")).turns, 1);
  EXPECT_EQ(path_to(g, id(*s, "sold")).turns, 2);
  EXPECT_EQ(path_to(g, id(*s, "bye")).turns, 2);
  EXPECT_EQ(path_to(g, id(*s, "bye")).path,
            (std::vector<NodeId>{id(*s, "a"), id(*s, "b"), id(*s, "bye")}));
}

TEST(Graph, StartMayBeTerminal) {
  auto s = load(R"(start: bye
nodes:
  bye:
    say: "Wrong number, sorry"
    hangup: wrong_person
)");
  ASSERT_TRUE(s);
  auto g = patter::analyze(*s);
  ASSERT_EQ(g.terminal_paths.size(), 1u);
  EXPECT_EQ(g.terminal_paths[0].turns, 0);
  EXPECT_EQ(g.terminal_paths[0].path, std::vector<NodeId>{id(*s, "bye")});
}

TEST(Graph, ResultsAreSortedAndDeterministic) {
  const std::string body = R"(start: a
globals:
  - {intent: human, goto: z_agent}
nodes:
  a:
    say: "Hello?"
    routes:
      - {intent: yes, to: m}
      - {intent: no, to: c}
  m:
    say: "M"
    routes:
      - {intent: yes, to: z_end}
      - {intent: no, to: c}
  c:
    say: "C"
    next: b_end
  x_orphan:
    say: "X"
    next: b_end
  w_orphan:
    say: "W"
    next: x_orphan
  z_end:
    say: "Z"
    hangup: completed
  b_end:
    say: "B"
    hangup: not_interested
  z_agent:
    say: "Agent"
    escalate: asked_for_human
)";
  auto s1 = load(body);
  auto s2 = load(body);
  ASSERT_TRUE(s1 && s2);
  auto g1 = patter::analyze(*s1);
  auto g2 = patter::analyze(*s1);
  auto g3 = patter::analyze(*s2);
  for (const auto* g : {&g2, &g3}) {
    EXPECT_EQ(g1.unreachable, g->unreachable);
    EXPECT_EQ(g1.dead_ends, g->dead_ends);
    EXPECT_EQ(g1.trap_cycles, g->trap_cycles);
    ASSERT_EQ(g1.terminal_paths.size(), g->terminal_paths.size());
    for (std::size_t i = 0; i < g1.terminal_paths.size(); ++i) {
      EXPECT_EQ(g1.terminal_paths[i].terminal, g->terminal_paths[i].terminal);
      EXPECT_EQ(g1.terminal_paths[i].turns, g->terminal_paths[i].turns);
      EXPECT_EQ(g1.terminal_paths[i].path, g->terminal_paths[i].path);
    }
  }
  EXPECT_TRUE(std::is_sorted(g1.unreachable.begin(), g1.unreachable.end()));
  EXPECT_EQ(g1.unreachable, ids(*s1, {"x_orphan", "w_orphan"}));
  ASSERT_EQ(g1.terminal_paths.size(), 3u);
  EXPECT_TRUE(std::is_sorted(g1.terminal_paths.begin(), g1.terminal_paths.end(),
                             [](const auto& a, const auto& b) { return a.terminal < b.terminal; }));
  EXPECT_EQ(path_to(g1, id(*s1, "b_end")).turns, 1);
  EXPECT_EQ(path_to(g1, id(*s1, "z_end")).turns, 2);
  EXPECT_EQ(path_to(g1, id(*s1, "z_agent")).turns, -1);
}

}  // namespace
