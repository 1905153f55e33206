// Funnels from call results (patter/tooling/stats.hpp).
#include <patter/patter.hpp>
#include <patter/tooling/stats.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

std::shared_ptr<const patter::Script> tiny() {
  static const auto script = patter::load_string(R"(
patter: 1
id: tiny
locale: en-US
start: greet
intents:
  affirm: [yes]
  negate: [no]
nodes:
  greet:
    say: Hi, a minute?
    routes:
      - intent: affirm
        to: pitch
      - intent: negate
        to: bye
  pitch:
    say: Want a person?
    routes:
      - intent: affirm
        to: handoff
      - intent: negate
        to: bye
  handoff:
    say: One moment.
    escalate: interested
  bye:
    say: Bye.
    hangup: not_interested
grading:
  rules:
    - grade: A
      when: "escalations > 0"
  default: D
)",
                                                 "tiny.yaml")
                                 .script;
  return script;
}

patter::CallResult call(std::vector<const char*> path, patter::Outcome outcome, char grade,
                        bool escalated = false) {
  patter::CallResult r;
  for (const char* n : path) r.path.push_back(*tiny()->find_node(n));
  r.outcome = outcome;
  r.grade = std::string(1, grade);
  r.escalated = escalated;
  return r;
}

const patter::FunnelRow& row(const patter::StatsReport& r, std::string_view node) {
  for (const auto& f : r.funnel)
    if (f.node == node) return f;
  throw std::out_of_range(std::string(node));
}

TEST(Stats, FunnelArithmetic) {
  ASSERT_TRUE(tiny());
  patter::Stats s(tiny());
  using O = patter::Outcome;
  s.add(call({"greet", "pitch", "handoff"}, O::escalated, 'A', true));
  s.add(call({"greet", "pitch", "bye"}, O::hangup, 'D'));
  s.add(call({"greet", "bye"}, O::hangup, 'D'));
  s.add(call({"greet"}, O::customer_hangup, 'D'));
  s.add(call({"greet", "greet", "pitch"}, O::customer_hangup, 'B'));  // a revisit counts once
  s.add(call({}, O::no_answer, 'E'));
  const patter::StatsReport r = s.report();
  EXPECT_EQ(r.calls, 6u);
  EXPECT_EQ(r.answered, 5u);
  EXPECT_EQ(row(r, "greet").reached, 5u);
  EXPECT_EQ(row(r, "greet").hung_up, 1u);
  EXPECT_EQ(row(r, "pitch").reached, 3u);
  EXPECT_EQ(row(r, "pitch").hung_up, 1u);
  EXPECT_EQ(row(r, "pitch").converted, 2u);  // A and B
  EXPECT_EQ(row(r, "handoff").escalated, 1u);
  EXPECT_EQ(row(r, "bye").reached, 2u);
  EXPECT_EQ(row(r, "bye").converted, 0u);
  EXPECT_EQ(r.converted, 2u);
  ASSERT_EQ(r.grades.size(), 4u);
  EXPECT_EQ(r.grades[2], (std::pair<std::string, std::uint64_t>("D", 3)));
  // greet -> pitch three times (once from the revisit), greet -> greet once.
  bool found = false;
  for (const auto& e : r.edges)
    if (e.from == "greet" && e.to == "pitch") found = (e.calls == 3);
  EXPECT_TRUE(found);
  EXPECT_EQ(r.edges.front().calls, 3u);  // busiest first
  EXPECT_FALSE(r.has_context);
  EXPECT_NE(r.to_text().find("funnel"), std::string::npos);
  EXPECT_EQ(r.to_json().find("\"escalations\""), std::string::npos);
}

TEST(Stats, JsonLinesRoundTrip) {
  patter::Stats direct(tiny()), read(tiny());
  using O = patter::Outcome;
  const patter::CallResult a = call({"greet", "pitch", "handoff"}, O::escalated, 'A', true);
  const patter::CallResult b = call({"greet", "bye"}, O::hangup, 'D');
  patter::CallContext c;
  c.has_context = true;
  c.persona = "hot";
  c.agent = "li";
  c.dialed_ms = 1000;
  c.ended_ms = 61000;
  c.wait_ms = 4000;
  c.taken = true;
  c.person_ms = 30000;
  direct.add(a, c);
  direct.add(b);
  auto added = read.add_json(patter::to_json_line(a, *tiny(), c));
  EXPECT_TRUE(added) << added.message();
  added = read.add_json(b.to_json(*tiny()));
  EXPECT_TRUE(added) << added.message();
  added = read.add_json("   ");  // blank lines are skipped
  EXPECT_TRUE(added.ok());
  EXPECT_EQ(added.code(), patter::StatsError::ok);
  EXPECT_EQ(added.message(), "");
  EXPECT_EQ(read.calls(), 2u);
  EXPECT_EQ(direct.report().to_json(), read.report().to_json());
  const patter::StatsReport r = read.report();
  EXPECT_TRUE(r.has_context);
  EXPECT_EQ(r.taken, 1u);
  EXPECT_EQ(r.wait_median_ms, 4000);
  ASSERT_EQ(r.agents.size(), 1u);
  EXPECT_EQ(r.agents[0].agent, "li");
  EXPECT_EQ(r.span_ms, 60000u);
  EXPECT_DOUBLE_EQ(r.agents[0].utilisation, 0.5);
}

TEST(Stats, BadLinesSayWhy) {
  patter::Stats s(tiny());
  // The code says which kind of problem, the message which one exactly.
  auto bad = [&](std::string_view line, patter::StatsError code, std::string_view part) {
    const patter::Result<void, patter::StatsError> r = s.add_json(line);
    EXPECT_FALSE(r) << line;
    EXPECT_EQ(r.code(), code) << line << ": " << r.message();
    EXPECT_NE(r.message().find(part), std::string::npos) << line << ": " << r.message();
  };
  using E = patter::StatsError;
  bad("{\"outcome\":", E::not_json, "not JSON");
  bad(std::string(100, '['), E::not_json, "not JSON");
  bad("[1,2]", E::not_a_result, "object");
  bad("{\"grade\":\"A\"}", E::not_a_result, "outcome");
  bad(R"({"outcome":"sold","grade":"A","path":[]})", E::not_a_result, "sold");
  bad(R"({"outcome":"hangup","grade":"A","path":[1]})", E::not_a_result, "path");
  EXPECT_EQ(s.calls(), 0u);
  // Escapes, and nodes the script does not have, are read.
  auto added = s.add_json(
      R"({"script":"other","outcome":"hangup","grade":"C","path":["greet","gr\u00fc\u00DF"]})");
  EXPECT_TRUE(added) << added.message();
  EXPECT_EQ(s.other_script(), "other");
  const patter::StatsReport r = s.report();
  EXPECT_EQ(r.funnel.back().node, "grüß");
}

TEST(Stats, WithoutScriptNodesInOrderSeenAndNoDot) {
  patter::Stats s;
  EXPECT_TRUE(s.add_json(R"({"outcome":"completed","grade":"B","path":["a","b"]})"));
  EXPECT_TRUE(s.add_json(R"({"outcome":"completed","grade":"B","path":["a","c"]})"));
  const patter::StatsReport r = s.report();
  ASSERT_EQ(r.funnel.size(), 3u);
  EXPECT_EQ(r.funnel[0].node, "a");
  EXPECT_EQ(r.funnel[0].reached, 2u);
  EXPECT_TRUE(s.to_dot().empty());
}

TEST(Stats, DotOverlayWidthsFollowTraffic) {
  patter::Stats s(tiny());
  using O = patter::Outcome;
  for (int i = 0; i < 9; ++i) s.add(call({"greet", "bye"}, O::hangup, 'D'));
  s.add(call({"greet", "pitch", "bye"}, O::hangup, 'D'));
  const std::string dot = s.to_dot();
  EXPECT_EQ(dot.rfind("digraph", 0), 0u);
  EXPECT_NE(dot.find("n0 -> n3 [label=\"9\", penwidth=10.00]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("n0 -> n1 [label=\"1\", penwidth=2.00]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("n1 -> n2 [style=dotted"), std::string::npos) << dot;  // never taken
}

}  // namespace
