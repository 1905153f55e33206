// Conversation tests: reading test files, running cases, coverage.
#include <gtest/gtest.h>
#include <patter/loader.hpp>
#include <patter/tooling/conversation_test.hpp>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

const char* kShop = R"(patter: 1
id: shop
version: "1.0"
locale: en-US
variables:
  name: friend
  size: {type: number, default: 0}
intents:
  yes: [yes, sure]
  no: {phrases: [no, nope], priority: 2}
  big: {patterns: ['(?<size>\d+) people']}
  who: [who is this]
  stop: [stop calling]
start: greet
nodes:
  greet:
    say: "Hi {name}, want the offer?"
    routes:
      - {intent: yes, to: party, tags: [warm], score: 10}
      - {intent: no, to: bye}
      - {key: "1", to: party}
    no_match: {retries: 1, reprompts: ["Sorry? Yes or no?"], then: bye}
  party:
    say: "How many people?"
    routes:
      - {intent: big, when: "size >= 3", to: human}
      - {intent: any, to: bye}
  human:
    say: "Connecting you."
    escalate: {reason: interested, priority: high}
  bye:
    say: "Bye."
    hangup: not_interested
  dnc:
    say: "Sorry."
    hangup: opt_out
globals:
  - intent: who
    say: "This is the shop."
  - intent: stop
    goto: dnc
)";

std::shared_ptr<const patter::Script> shop() {
  static const auto script = [] {
    patter::LoadResult r = patter::load_string(kShop, "shop.yaml");
    EXPECT_TRUE(r.ok());
    for (const auto& d : r.diagnostics) ADD_FAILURE() << patter::format(d);
    return r.script;
  }();
  return script;
}

patter::TestLoad load(const std::string& yaml) {
  return patter::load_tests_string(yaml, "shop.tests.yaml");
}

const patter::Diagnostic* find(const patter::TestLoad& l, patter::Code code) {
  for (const auto& d : l.diagnostics)
    if (d.code == code) return &d;
  return nullptr;
}

// ---- reading ------------------------------------------------------------------

TEST(ConversationTestLoad, ReadsTurnsInputsAndExpectations) {
  const auto l = load(R"(script: shop.yaml
variables: {name: Ann}
cases:
  - name: yes then a party of four
    variables: {size: "1"}
    turns:
      - customer: yes
        node: party
        says: How many
        tags: warm
        score: 10
      - customer: 4 people
        after: 5
        actions: [say, {escalate: interested}]
        variables: {size: "4"}
    expect:
      escalation: interested
      grade: E
  - name: every kind of input
    turns:
      - silence
      - key: "1"
      - intent: yes
        confidence: 0.8
      - grab
      - back: greet
      - hangup
      - wait: 30
      - finish: completed
)");
  ASSERT_TRUE(l.ok()) << (l.diagnostics.empty() ? "" : patter::format(l.diagnostics[0]));
  const patter::TestSuite& s = *l.suite;
  EXPECT_EQ(s.script, "shop.yaml");
  ASSERT_EQ(s.cases.size(), 2u);
  const patter::TestCase& c = s.cases[0];
  ASSERT_EQ(c.variables.size(), 2u);  // the file's, then the case's
  EXPECT_EQ(c.variables[0].first.name, "name");
  EXPECT_EQ(c.variables[1].second, "1");
  ASSERT_EQ(c.turns.size(), 2u);
  EXPECT_EQ(c.turns[0].input, patter::TestInput::text);
  EXPECT_EQ(c.turns[0].text, "yes");
  EXPECT_EQ(c.turns[0].expect.node->name, "party");
  EXPECT_EQ(c.turns[0].expect.node->where.line, 8u);
  EXPECT_EQ(c.turns[0].expect.score, 10);
  EXPECT_EQ(c.turns[1].after_ms, 5000u);
  ASSERT_EQ(c.turns[1].expect.actions.size(), 2u);
  EXPECT_EQ(c.turns[1].expect.actions[1].type, patter::ActionType::escalate);
  EXPECT_EQ(c.turns[1].expect.actions[1].detail, "interested");
  EXPECT_EQ(c.expect.escalation, patter::EscalationReason::interested);
  EXPECT_EQ(c.expect.grade, "E");
  const auto& t = s.cases[1].turns;
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[0].input, patter::TestInput::silence);
  EXPECT_EQ(t[1].input, patter::TestInput::key);
  EXPECT_EQ(t[2].input, patter::TestInput::intent);
  EXPECT_FLOAT_EQ(t[2].confidence, 0.8f);
  EXPECT_EQ(t[3].input, patter::TestInput::grab);
  EXPECT_EQ(t[4].text, "greet");
  EXPECT_EQ(t[6].after_ms, 30000u);
  EXPECT_EQ(t[7].text, "completed");
}

TEST(ConversationTestLoad, BadYamlNamesFileLineAndColumn) {
  const auto l = load("cases:\n  - name: a\n    turns: [customer: yes\n");
  ASSERT_FALSE(l.ok());
  ASSERT_FALSE(l.diagnostics.empty());
  const auto& d = l.diagnostics[0];
  EXPECT_EQ(d.code, patter::Code::yaml_syntax);
  EXPECT_EQ(d.where.file, "shop.tests.yaml");
  EXPECT_GT(d.where.line, 0u);
}

TEST(ConversationTestLoad, ABareTurnWithExpectationsUnderItNeedsAColon) {
  const auto l = load("cases:\n  - name: a\n    turns:\n      - silence\n        node: greet\n");
  ASSERT_FALSE(l.ok());
  const auto& d = l.diagnostics.at(0);
  EXPECT_EQ(d.code, patter::Code::yaml_syntax);
  EXPECT_NE(d.hint.find("`- silence:`"), std::string::npos) << patter::format(d);
}

TEST(ConversationTestLoad, UnknownKeysGetASuggestion) {
  const auto l = load(R"(cases:
  - name: typo
    turns:
      - customer: yes
        nod: party
)");
  ASSERT_FALSE(l.ok());
  const auto* d = find(l, patter::Code::unknown_key);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->where.line, 5u);
  EXPECT_EQ(d->where.column, 9u);
  EXPECT_NE(d->message.find("`nod`"), std::string::npos);
  EXPECT_NE(d->hint.find("did you mean `node`?"), std::string::npos) << d->hint;
}

TEST(ConversationTestLoad, UnknownKeysInACaseAndAtTheEnd) {
  const auto a = load("cases:\n  - name: x\n    turn: []\n");
  ASSERT_FALSE(a.ok());
  const auto* d = find(a, patter::Code::unknown_key);
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->hint.find("`turns`"), std::string::npos);
  // `says` belongs to a turn, not to the end of the call.
  const auto b =
      load("cases:\n  - name: x\n    turns: []\n    expect: {outcom: completed, says: hi}\n");
  ASSERT_FALSE(b.ok());
  ASSERT_EQ(b.diagnostics.size(), 2u);
  EXPECT_NE(b.diagnostics[0].hint.find("`outcome`"), std::string::npos);
  EXPECT_NE(b.diagnostics[1].message.find("`says`"), std::string::npos);
}

TEST(ConversationTestLoad, BadValuesAreCaught) {
  struct Bad {
    const char* turn;
    patter::Code code;
    const char* says;
  } bad[] = {
      {"- key: \"12\"", patter::Code::invalid_value, "not a key"},
      {"- silense", patter::Code::invalid_value, "did you mean `silence`?"},
      {"- customer: hi\n        decision: rout", patter::Code::invalid_value,
       "did you mean `route`?"},
      {"- customer: hi\n        status: fine", patter::Code::invalid_value, "not a step status"},
      {"- customer: hi\n        score: lots", patter::Code::wrong_type, "must be a number"},
      {"- customer: hi\n        silence:", patter::Code::conflicting_keys, "has one input"},
      {"- node: greet", patter::Code::missing_key, "no input"},
      {"- finish: bored", patter::Code::invalid_value, "not a hang-up reason"},
      {"- customer: hi\n        actions: [shout]", patter::Code::invalid_value,
       "not a kind of action"},
      {"- silence\n      - customer: [a, b]", patter::Code::wrong_type, "must be text"},
      {"- silence: maybe", patter::Code::wrong_type, "true or false"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.turn);
    const auto l = load(std::string("cases:\n  - name: x\n    turns:\n      ") + b.turn + "\n");
    ASSERT_FALSE(l.ok());
    const auto* d = find(l, b.code);
    ASSERT_NE(d, nullptr) << patter::format(l.diagnostics[0]);
    EXPECT_NE((d->message + " " + d->hint).find(b.says), std::string::npos) << patter::format(*d);
    EXPECT_GE(d->where.line, 4u);
  }
}

TEST(ConversationTestLoad, FileProblems) {
  EXPECT_EQ(load("").diagnostics.at(0).code, patter::Code::empty_document);
  EXPECT_EQ(load("cases: 3\n").diagnostics.at(0).code, patter::Code::wrong_type);
  EXPECT_EQ(load("script: x.yaml\n").diagnostics.at(0).code, patter::Code::missing_key);
  EXPECT_EQ(load("cases:\n  - turns: []\n").diagnostics.at(0).code, patter::Code::missing_key);
  EXPECT_EQ(
      load("cases:\n  - {name: a, turns: []}\n  - {name: a, turns: []}\n").diagnostics.at(0).code,
      patter::Code::duplicate_name);
  EXPECT_EQ(load(std::string("cases: \xff\n")).diagnostics.at(0).code, patter::Code::invalid_utf8);
  EXPECT_EQ(load("[a, b]\n").diagnostics.at(0).code, patter::Code::wrong_type);
  const auto missing = patter::load_tests_file("/nonexistent/x.tests.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.diagnostics.at(0).code, patter::Code::io_error);
  // Text that looks like YAML's booleans and numbers stays the customer's words.
  const auto yes =
      load("cases:\n  - name: a\n    turns:\n      - customer: yes\n      - customer: 1\n");
  ASSERT_TRUE(yes.ok());
  EXPECT_EQ(yes.suite->cases[0].turns[0].text, "yes");
  EXPECT_EQ(yes.suite->cases[0].turns[1].text, "1");
}

TEST(ConversationTestLoad, NamingConvention) {
  EXPECT_TRUE(patter::is_tests_file("a/b.zh-CN.tests.yaml"));
  EXPECT_FALSE(patter::is_tests_file("a/b.zh-CN.yaml"));
  const fs::path dir = fs::temp_directory_path() / "patter_conversation_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "tests");
  std::ofstream(dir / "s.yaml") << kShop;
  std::ofstream(dir / "s.tests.yaml") << "cases: []\n";
  std::ofstream(dir / "tests" / "s.tests.yaml") << "cases: []\n";
  const auto found = patter::find_tests_for((dir / "s.yaml").string());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(patter::script_for_tests(found[0]), (dir / "s.yaml").string());
  EXPECT_EQ(patter::script_for_tests(found[1]), (dir / "s.yaml").string());
  // No `script:` key: the script is found by the name.
  const auto l = patter::load_tests_file(found[1]);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.suite->script, (dir / "s.yaml").string());
  fs::remove_all(dir);
}

TEST(ConversationTestCheck, NamesTheScriptLacksAreErrorsWithSuggestions) {
  const auto l = load(R"(cases:
  - name: x
    variables: {nam: Bo}
    turns:
      - customer: yes
        node: pary
        heard: [yse]
        tags: hot
      - back: nowhere
)");
  ASSERT_TRUE(l.ok());
  const auto diags = patter::check_tests(*l.suite, *shop());
  ASSERT_EQ(diags.size(), 5u);
  EXPECT_EQ(diags[0].code, patter::Code::undeclared_variable);
  EXPECT_EQ(diags[1].code, patter::Code::unknown_node);
  EXPECT_EQ(diags[1].where.line, 6u);
  EXPECT_NE(diags[1].hint.find("`party`"), std::string::npos);
  EXPECT_EQ(diags[2].code, patter::Code::unknown_intent);
  EXPECT_NE(diags[2].hint.find("`yes`"), std::string::npos);
  EXPECT_NE(diags[3].message.find("tag `hot`"), std::string::npos);
  EXPECT_EQ(diags[4].code, patter::Code::unknown_node);
  // run_tests refuses to run such a suite.
  const auto report = patter::run_tests(*l.suite, shop());
  EXPECT_TRUE(patter::has_errors(report.diagnostics));
  EXPECT_TRUE(report.cases.empty());
}

// ---- running --------------------------------------------------------------------

patter::TestReport run(const std::string& yaml) {
  const auto l = load(yaml);
  EXPECT_TRUE(l.ok()) << (l.diagnostics.empty() ? "" : patter::format(l.diagnostics[0]));
  if (!l.ok()) return {};
  return patter::run_tests(*l.suite, shop());
}

TEST(ConversationTestRun, PassingCases) {
  const auto r = run(R"(cases:
  - name: party of four goes to a person
    turns:
      - customer: sure
        path: [party]
        says_exactly: ["How many people?"]
        heard: yes
        decision: route
        tags: warm
        score: 10
        actions: [say, listen]
      - customer: we are 4 people
        node: human
        actions: [{say: Connecting}, {escalate: interested}]
        variables: {size: "4"}
        phase: waiting
    expect:
      path: [greet, party, human]
      outcome: none
      escalation: interested
      turns: 2
      no_tags: [dnc]
  - name: stop calling wins, with a key first
    variables: {name: Bo}
    turns:
      - answer:
        says: Hi Bo
      - customer: who is this
        decision: global
        says: [This is the shop, "Hi Bo"]
      - customer: stop calling
        node: dnc
        actions: [{hangup: opt_out}, end]
        ended: true
    expect:
      outcome: hangup
      hangup: opt_out
  - name: nobody answers
    turns:
      - no_answer
    expect:
      outcome: no_answer
  - name: an error status can be expected
    turns:
      - back: greet
        status: wrong_phase
      - key: "1"
        node: party
      - grab:
        phase: human
      - back: greet
        says: Hi friend
        decision: hand_back
)");
  ASSERT_EQ(r.cases.size(), 4u);
  for (const auto& c : r.cases) EXPECT_TRUE(c.passed) << c.name << '\n' << c.diff;
  EXPECT_EQ(r.passed(), 4u);
  EXPECT_EQ(r.failed(), 0u);
}

TEST(ConversationTestRun, AFailureSaysWhatWasExpectedWhatHappenedAndWhy) {
  const auto r = run(R"(cases:
  - name: expects the wrong node
    turns:
      - customer: sure
        node: party
      - customer: just me
        node: human
        says: Connecting
      - customer: never reached
)");
  ASSERT_EQ(r.cases.size(), 1u);
  const patter::CaseResult& c = r.cases[0];
  EXPECT_FALSE(c.passed);
  ASSERT_EQ(c.failures.size(), 2u);
  EXPECT_EQ(c.failures[0].turn, 2u);
  EXPECT_EQ(c.failures[0].what, "node");
  EXPECT_EQ(c.failures[0].expected, "human");
  EXPECT_EQ(c.failures[0].actual, "bye");
  EXPECT_EQ(c.failures[0].where.line, 7u);
  EXPECT_EQ(c.failures[1].what, "says");
  EXPECT_EQ(c.failures[1].actual, "\"Bye.\"");
  // The account: the turn, expected against actual, the session's reasons,
  // and the call so far.
  EXPECT_NE(c.diff.find("turn 2 (shop.tests.yaml:6:9): customer: just me"), std::string::npos)
      << c.diff;
  EXPECT_NE(c.diff.find("- expected: human"), std::string::npos) << c.diff;
  EXPECT_NE(c.diff.find("+ actual:   bye"), std::string::npos) << c.diff;
  EXPECT_NE(c.diff.find("any reply"), std::string::npos) << c.diff;
  EXPECT_NE(c.diff.find("robot: How many people?"), std::string::npos) << c.diff;
  EXPECT_EQ(r.passed(), 0u);
  EXPECT_EQ(r.failed(), 1u);
}

TEST(ConversationTestRun, EndOfCallFailuresAndBadVariables) {
  const auto r = run(R"(cases:
  - name: wrong outcome
    turns:
      - customer: nope
    expect:
      outcome: completed
      grade: A
      tags: [warm]
  - name: a number that is not one
    variables: {size: many}
    turns: []
  - name: an unexpected error status fails
    turns:
      - answer:
      - answer:
)");
  ASSERT_EQ(r.cases.size(), 3u);
  EXPECT_FALSE(r.cases[0].passed);
  ASSERT_EQ(r.cases[0].failures.size(), 3u);
  EXPECT_EQ(r.cases[0].failures[0].what, "tags");
  EXPECT_EQ(r.cases[0].failures[1].what, "outcome");
  EXPECT_EQ(r.cases[0].failures[1].actual, "hangup");
  EXPECT_EQ(r.cases[0].failures[2].what, "grade");
  EXPECT_NE(r.cases[0].diff.find("at the end of the call"), std::string::npos);
  EXPECT_FALSE(r.cases[1].passed);
  EXPECT_EQ(r.cases[1].failures.at(0).what, "variables");
  EXPECT_FALSE(r.cases[2].passed);
  EXPECT_EQ(r.cases[2].failures.at(0).what, "status");
  EXPECT_NE(r.cases[2].failures.at(0).actual.find("already_answered"), std::string::npos);
}

// ---- coverage ---------------------------------------------------------------------

TEST(ConversationTestCoverage, CountsNodesRoutesIntentsAndHandlers) {
  const auto r = run(R"(cases:
  - name: yes and one person
    turns:
      - customer: who is this
      - customer: yes
      - customer: just me
)");
  ASSERT_EQ(r.passed(), 1u);
  const patter::Coverage& c = r.coverage;
  const auto& s = *shop();
  EXPECT_EQ(c.nodes[*s.find_node("greet")], 1u);
  EXPECT_EQ(c.nodes[*s.find_node("party")], 1u);
  EXPECT_EQ(c.nodes[*s.find_node("human")], 0u);
  EXPECT_EQ(c.node_ratio().covered, 3u);  // greet, party, bye
  EXPECT_EQ(c.node_ratio().total, 5u);
  EXPECT_EQ(c.routes[*s.find_node("greet")][0], 1u);
  EXPECT_EQ(c.routes[*s.find_node("party")][1], 1u);
  EXPECT_EQ(c.route_ratio().covered, 2u);
  EXPECT_EQ(c.route_ratio().total, 5u);
  EXPECT_EQ(c.handlers[0], 1u);
  EXPECT_EQ(c.handler_ratio().covered, 1u);
  EXPECT_EQ(c.intents[*s.find_intent("yes")], 1u);
  EXPECT_EQ(c.intent_ratio().covered, 2u);  // yes, who
  EXPECT_EQ(c.intent_ratio().total, 5u);

  const std::string text = patter::format(c, s);
  EXPECT_NE(text.find("nodes       3/5     60%"), std::string::npos) << text;
  EXPECT_NE(text.find("node    human  (shop.yaml:"), std::string::npos) << text;
  EXPECT_NE(text.find("route   party #1 (big when `size >= 3`) -> human"), std::string::npos)
      << text;
  EXPECT_NE(text.find("handler #2 stop -> dnc"), std::string::npos) << text;
  EXPECT_NE(text.find("intent  no"), std::string::npos) << text;
  const std::string json = patter::to_json(c, s);
  EXPECT_NE(json.find("\"nodes\":{\"covered\":3,\"total\":5,\"percent\":60.0}"), std::string::npos)
      << json;

  // Merging a second run's counts.
  patter::Coverage all = patter::Coverage::empty_for(s);
  all.merge(c);
  all.merge(c);
  EXPECT_EQ(all.nodes[*s.find_node("greet")], 2u);
  EXPECT_EQ(all.routes[*s.find_node("greet")][0], 2u);
}

TEST(ConversationTestCoverage, FullCoverageSaysSo) {
  const auto r = run(R"(cases:
  - name: big party
    turns:
      - key: "1"
      - customer: 5 people
  - name: no, with a question and a retry
    turns:
      - customer: who is this
      - customer: hmm
      - customer: nope
  - name: stop
    turns:
      - customer: stop calling
  - name: yes and small
    turns:
      - customer: yes
      - customer: 2 people
)");
  EXPECT_EQ(r.failed(), 0u);
  const auto& c = r.coverage;
  EXPECT_EQ(c.node_ratio().covered, c.node_ratio().total);
  EXPECT_EQ(c.route_ratio().covered, c.route_ratio().total);
  EXPECT_EQ(c.handler_ratio().covered, c.handler_ratio().total);
  EXPECT_EQ(c.intent_ratio().covered, c.intent_ratio().total);
  EXPECT_NE(patter::format(c, *shop()).find("every node, route, intent and handler is reached"),
            std::string::npos);
}

TEST(ConversationTestReport, Json) {
  const auto r =
      run("cases:\n  - name: \"say \\\"no\\\"\"\n    turns:\n      - customer: nope\n        node: "
          "party\n");
  const std::string json = patter::to_json(r, shop().get());
  EXPECT_NE(json.find("\"name\":\"say \\\"no\\\"\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"what\":\"node\",\"expected\":\"party\",\"actual\":\"bye\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"passed\":0,\"failed\":1}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"coverage\":{"), std::string::npos) << json;
}

// ---- the bundled scripts -----------------------------------------------------------

// The actions, decisions and statuses of host data have names a test file
// can use like the others: `fetch` with the fetch's name, `fetched`,
// `fetch_timeout`, `fetch_failed`, `not_settable`.
TEST(ConversationTestRun, FetchesAndHostDataHaveTheirNames) {
  const patter::LoadResult s = patter::load_string(R"(patter: 1
id: lookup
locale: en-US
variables:
  found: {type: bool, default: false}
intents:
  yes: [yes]
start: check
nodes:
  check:
    say: One moment.
    fetch: {name: order, timeout_ms: 10000, routes: [{when: found, to: done}], timeout: slow}
  done: {say: Found., hangup: completed}
  slow: {say: Slow., routes: [{intent: any, to: done}]}
)",
                                                   "lookup.yaml");
  ASSERT_TRUE(s.ok());
  const auto l = patter::load_tests_string(R"(cases:
  - name: answered
    turns:
      - answer:
        actions: [say, {fetch: order}]
      - data: {found: "true"}
        decision: fetched
  - name: not found
    turns:
      - data: {found: "false"}
        decision: fetch_failed
  - name: too slow, then data nobody asked for
    turns:
      - wait: 11
        decision: fetch_timeout
      - data: {found: "true"}
        status: not_settable
  - name: another fetch's name fails
    turns:
      - answer:
        actions: [{fetch: orders}]
)");
  ASSERT_TRUE(l.ok()) << (l.diagnostics.empty() ? "" : patter::format(l.diagnostics[0]));
  const auto r = patter::run_tests(*l.suite, s.script);
  ASSERT_EQ(r.cases.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(r.cases[i].passed) << r.cases[i].diff;
  EXPECT_FALSE(r.cases[3].passed);
  EXPECT_NE(r.cases[3].diff.find("fetch order"), std::string::npos) << r.cases[3].diff;
}

TEST(ConversationTestBundled, EveryBundledScriptHasPassingTestsThatReachEveryNode) {
  int scripts = 0;
  for (const auto& e : fs::directory_iterator(fs::path(PATTER_SOURCE_DIR) / "examples/scripts")) {
    if (e.path().extension() != ".yaml" ||
        e.path().string().find(".personas.") != std::string::npos)
      continue;
    SCOPED_TRACE(e.path().string());
    ++scripts;
    const auto files = patter::find_tests_for(e.path().string());
    ASSERT_EQ(files.size(), 1u);
    const auto l = patter::load_tests_file(files[0]);
    ASSERT_TRUE(l.ok()) << (l.diagnostics.empty() ? "" : patter::format(l.diagnostics[0]));
    const auto script = patter::load_file(l.suite->script).script;
    ASSERT_NE(script, nullptr);
    const auto r = patter::run_tests(*l.suite, script);
    EXPECT_TRUE(r.diagnostics.empty());
    for (const auto& c : r.cases) EXPECT_TRUE(c.passed) << c.name << '\n' << c.diff;
    EXPECT_EQ(r.coverage.node_ratio().covered, r.coverage.node_ratio().total)
        << patter::format(r.coverage, *script);
  }
  EXPECT_GE(scripts, 4);
}

}  // namespace
