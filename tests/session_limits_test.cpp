// The limits area of the script language: a close node per limit, the
// call-wide miss counters in guards and `at_total`, `globals:` per node,
// `repeat` of the last line said, script grade codes, more than four
// phrasings, and the error ending.
#include <patter/tooling/stats.hpp>

#include "session_support.hpp"

namespace {

using namespace patter;
using namespace patter::session_testing;

// Every limit of the call with its own goodbye.
constexpr std::string_view kClosing = R"(
patter: 1
id: closing
locale: en-US
intents:
  affirm: [yes, sure]
  negate: [no]
limits:
  max_turns: 6
  no_match: {consecutive: 2, total: 3}
  no_input: {consecutive: 2}
  close:
    default: bye
    max_turns: bye_rounds
    no_match: bye_confused
    no_match_total: bye_lost
start: ask
nodes:
  ask:
    say: "Is now a good time?"
    routes:
      - {intent: affirm, to: ask}
      - {intent: negate, to: other}
    no_match: {retries: 3}
    no_input: {retries: 3}
  other:
    say: "Anything else?"
    routes: [{intent: affirm, to: ask}, {intent: negate, to: bye}]
    no_match: {retries: 3}
  bye:
    say: "Goodbye."
    hangup: completed
  bye_rounds:
    say: "We have talked for a while."
    hangup: completed
  bye_confused:
    say: "The line is bad."
    hangup: completed
  bye_lost:
    say: "I cannot follow you."
    hangup: completed
)";

TEST(SessionLimits, EachLimitSaysItsOwnGoodbyeAndKeepsItsReason) {
  auto script = load(kClosing);
  ASSERT_TRUE(script);
  {  // max_turns
    Call c(script);
    c.answer();
    for (int i = 0; i < 6; ++i) c.say("yes");
    EXPECT_EQ(c.node(), "bye_rounds");
    EXPECT_EQ(c.s.result().hangup, HangupReason::max_turns);
    EXPECT_EQ(c.t.limit(), HangupReason::max_turns);
  }
  {  // two misses in a row: no_match (consecutive)
    Call c(script);
    c.answer();
    c.say("blah");
    c.say("blah blah");
    EXPECT_EQ(c.node(), "bye_confused");
    EXPECT_EQ(c.s.result().hangup, HangupReason::no_match);
  }
  {  // three misses in the call, never two in a row: no_match_total
    Call c(script);
    c.answer();
    c.say("blah");
    c.say("no");
    c.say("blah");
    c.say("yes");
    c.say("blah");
    EXPECT_EQ(c.node(), "bye_lost");
    EXPECT_EQ(c.s.result().hangup, HangupReason::no_match);
  }
  {  // silence has no own node: the default
    Call c(script);
    c.answer();
    c.silence();
    c.silence();
    EXPECT_EQ(c.node(), "bye");
    EXPECT_EQ(c.s.result().hangup, HangupReason::no_input);
  }
}

TEST(SessionLimits, TheSingleNodeFormStillClosesEveryLimit) {
  auto script = load(R"(
patter: 1
id: single
locale: en-US
intents:
  affirm: [yes]
limits: {max_turns: 1, close: bye}
start: ask
nodes:
  ask:
    say: "Ready?"
    routes: [{intent: affirm, to: ask}, {key: "9", to: bye}]
  bye: {say: "Bye.", hangup: completed}
)");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->limits().close_max_turns, script->limits().close);
  EXPECT_EQ(script->limits().close_no_input_total, script->limits().close);
  Call c(script);
  c.answer();
  c.say("yes");
  EXPECT_EQ(c.node(), "bye");
  EXPECT_EQ(c.s.result().hangup, HangupReason::max_turns);
}

TEST(SessionLimits, ACloseMapDrawsOneArrowPerOwnNode) {
  auto script = load(kClosing);
  ASSERT_TRUE(script);
  std::vector<std::string> names;
  for (const Edge& e : script->edges())
    if (e.kind == EdgeKind::limit && e.index >= 2)
      names.push_back(std::string(limit_close_name(e.index)) + "->" + script->node(e.to).name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"max_turns->bye_rounds", "no_match_consecutive->bye_confused",
                                      "no_match_total->bye_lost"}));
  const std::string dot = to_dot(*script);
  EXPECT_NE(dot.find("close: no_match_total"), std::string::npos) << dot;
  const GraphReport g = analyze(*script);
  EXPECT_TRUE(g.unreachable.empty()) << "the limits' own nodes are reached";
}

// sellbot: "the 2nd no-match anywhere goes to 来电目的".
constexpr std::string_view kCounters = R"(
patter: 1
id: counters
locale: en-US
intents:
  affirm: [yes, sure]
  negate: [no]
limits: {close: bye}
start: ask
nodes:
  ask:
    say: "Is now a good time?"
    routes:
      - {intent: affirm, to: next_q}
    no_match: {retries: 2, at_total: {2: purpose}}
  next_q:
    say: "Do you drive?"
    routes:
      - {intent: negate, when: "no_matches >= 1", to: careful}
      - {intent: negate, to: bye}
      - {intent: affirm, when: "no_matches_in_row == 0", to: bye}
    no_match: {retries: 2, at_total: {2: purpose}}
    no_input: {retries: 3, at_total: {2: purpose}}
  careful:
    say: "Let me go slowly."
    hangup: completed
  purpose:
    say: "I am calling about your car insurance."
    routes: [{intent: any, to: bye}]
  bye: {say: "Bye.", hangup: completed}
)";

TEST(SessionLimits, TheCallsSecondMissAnywhereGoesToAtTotal) {
  auto script = load(kCounters);
  ASSERT_TRUE(script);
  Call c(script);
  c.answer();
  c.say("hmm what");  // 1st miss: re-prompt
  EXPECT_EQ(c.node(), "ask");
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  c.say("yes");
  EXPECT_EQ(c.node(), "next_q");
  c.say("blah");  // 2nd miss of the call, 1st at this node
  EXPECT_EQ(c.node(), "purpose");
  EXPECT_EQ(c.path(), "purpose");
}

TEST(SessionLimits, AtTotalCountsSilencesApartFromMisses) {
  auto script = load(kCounters);
  ASSERT_TRUE(script);
  Call c(script);
  c.answer();
  c.say("yes");
  c.silence();
  EXPECT_EQ(c.node(), "next_q");
  c.silence();
  EXPECT_EQ(c.node(), "purpose");
}

TEST(SessionLimits, GuardsReadTheCallWideCounters) {
  auto script = load(kCounters);
  ASSERT_TRUE(script);
  {
    Call c(script);
    c.answer();
    c.say("yes");
    c.say("no");  // no miss so far
    EXPECT_EQ(c.node(), "bye");
  }
  {
    Call c(script);
    c.answer();
    c.say("what");  // a miss at the first node counts at the next
    c.say("yes");
    c.say("no");
    EXPECT_EQ(c.node(), "careful");
  }
}

TEST(SessionLimits, InARowCountersResetOnAnUnderstoodReply) {
  auto script = load(kCounters);
  ASSERT_TRUE(script);
  Call c(script);
  c.answer();
  c.say("yes");
  c.silence();   // 1st silence: next_q re-prompts
  c.say("yes");  // no_matches_in_row is 0: the guard holds
  EXPECT_EQ(c.node(), "bye");
}

TEST(SessionLimits, AtTotalArrowsAreDrawnAndCountAsWaysOut) {
  auto script = load(kCounters);
  ASSERT_TRUE(script);
  int at_totals = 0;
  for (const Edge& e : script->edges())
    if ((e.kind == EdgeKind::no_match || e.kind == EdgeKind::no_input) && e.index > 0) {
      ++at_totals;
      EXPECT_EQ(script->node(e.to).name, "purpose");
    }
  EXPECT_EQ(at_totals, 3);
  EXPECT_TRUE(analyze(*script).unreachable.empty()) << "`purpose` is reached only by at_total";
  DotOptions o;
  o.show_fallbacks = true;
  EXPECT_NE(to_dot(*script, o).find("2nd no match in the call"), std::string::npos);
}

constexpr std::string_view kGlobals = R"(
patter: 1
id: globals
locale: en-US
intents:
  affirm: [yes, sure]
  opt_out: [stop calling]
  ask_price: [how much]
  ask_human: [a person]
globals:
  - {intent: opt_out, say: "Sorry.", hangup: opt_out}
  - {intent: ask_price, say: "It is free."}
  - {intent: ask_human, say: "One moment.", escalate: asked_for_human}
start: consent
nodes:
  consent:
    say: "This call is recorded. Is that all right?"
    globals: [opt_out]
    routes: [{intent: affirm, to: pitch}]
  pitch:
    say: "Shall I send the offer?"
    routes: [{intent: affirm, to: bye}]
  quiet:
    say: "Say yes to go on."
    globals: none
    routes: [{intent: affirm, to: bye}]
    no_match: {retries: 0, then: bye}
  bye: {say: "Bye.", hangup: completed}
)";

TEST(SessionLimits, GlobalsListedAtANodeAreTheOnlyOnesThere) {
  auto script = load(kGlobals);
  ASSERT_TRUE(script);
  {
    Call c(script);
    c.answer();
    c.say("how much");  // switched off here: not understood
    EXPECT_EQ(c.t.decision(), Decision::no_match);
    c.say("stop calling");  // listed: still ends the call
    EXPECT_EQ(c.s.result().hangup, HangupReason::opt_out);
  }
  {
    Call c(script);
    c.answer();
    c.say("yes");
    c.say("how much");  // every handler applies at a node without `globals:`
    EXPECT_EQ(c.t.decision(), Decision::global);
    EXPECT_EQ(c.actions(), "say:It is free. | say:Shall I send the offer? | listen:6000");
  }
}

TEST(SessionLimits, GlobalsNoneSwitchesEvenTheOptOutOff) {
  auto script = load(kGlobals);
  ASSERT_TRUE(script);
  const Node& quiet = script->node(*script->find_node("quiet"));
  EXPECT_TRUE(quiet.globals_limited);
  EXPECT_TRUE(quiet.globals_allowed.empty());
  EXPECT_EQ(quiet.candidates, std::vector<IntentId>{*script->find_intent("affirm")})
      << "the host is asked about no handler's intent here";
  const Node& consent = script->node(*script->find_node("consent"));
  ASSERT_EQ(consent.candidates.size(), 2u);  // affirm, opt_out
  Call c(script);
  c.answer();
  // To `quiet` the way a person hands the call back.
  c.send(Event::agent_joined(c.now += 1000));
  c.send(Event::agent_left(c.now += 1000, c.id("quiet")));
  EXPECT_EQ(c.node(), "quiet");
  c.say("stop calling");
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_EQ(c.node(), "bye");
  EXPECT_EQ(c.s.result().hangup, HangupReason::completed);
}

TEST(SessionLimits, AMisspeltGlobalIsReportedWithASuggestion) {
  auto r = load_string(R"(
patter: 1
id: g
locale: en-US
intents:
  opt_out: [stop calling]
  affirm: [yes]
globals: [{intent: opt_out, hangup: opt_out}]
start: a
nodes:
  a:
    say: "Hi?"
    globals: [affirm, opt_ot]
    routes: [{intent: affirm, to: b}]
  b: {say: "Bye.", hangup: completed}
)",
                       "g.yaml");
  ASSERT_FALSE(r.ok());
  std::vector<std::string> messages;
  for (const Diagnostic& d : r.diagnostics)
    if (d.code == Code::unknown_global) messages.push_back(d.message + " / " + d.hint);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].find("no global handler answers intent `affirm`"), std::string::npos)
      << messages[0];
  EXPECT_NE(messages[1].find("did you mean `opt_out`"), std::string::npos) << messages[1];
}

constexpr std::string_view kRepeat = R"(
patter: 1
id: repeat
locale: en-US
intents:
  affirm: [yes]
  ask_repeat: [say again]
  ask_price: [how much]
globals:
  - intent: ask_repeat
    say: "Sure."
    repeat: true
  - intent: ask_price
    say: "It is free."
    reprompt: false
start: ask
nodes:
  ask:
    say: ["Is now a good time?", "Do you have a minute?"]
    routes: [{intent: affirm, to: bye}]
    no_match:
      retries: 2
      reprompts: ["Just yes or no?", "A yes will do."]
  bye: {say: "Bye.", hangup: completed}
)";

TEST(SessionLimits, RepeatSaysTheLastLineActuallySaid) {
  auto script = load(kRepeat);
  ASSERT_TRUE(script);
  Call c(script);
  c.answer();
  c.say("say again");  // the node's line
  EXPECT_EQ(c.actions(), "say:Sure. | say:Is now a good time? | listen:6000");
  c.say("hmm");  // a re-prompt
  c.say("say again");
  EXPECT_EQ(c.actions(), "say:Sure. | say:Just yes or no? | listen:6000");
  c.say("how much");  // a handler's answer, without the node's line
  c.say("say again");
  EXPECT_EQ(c.actions(), "say:Sure. | say:It is free. | listen:6000");
  c.say("say again");  // twice: still that line
  EXPECT_EQ(c.actions(), "say:Sure. | say:It is free. | listen:6000");
}

TEST(SessionLimits, RepeatSurvivesASnapshot) {
  auto script = load(kRepeat);
  ASSERT_TRUE(script);
  Call c(script);
  c.answer();
  c.say("hmm");
  c.say("hmm");
  Call d(script);
  d.s = Session::restore(script, c.s.snapshot()).value();
  d.now = c.now;
  d.say("say again");
  EXPECT_EQ(d.actions(), "say:Sure. | say:A yes will do. | listen:6000");
}

TEST(SessionLimits, RepeatOnAHandlerThatDoesNotResumeIsWarnedAbout) {
  auto r = load_string(R"(
patter: 1
id: g
locale: en-US
intents:
  affirm: [yes]
  ask_repeat: [say again]
globals: [{intent: ask_repeat, repeat: true, goto: b}]
start: a
nodes:
  a:
    say: "Hi?"
    routes: [{intent: affirm, to: b}]
  b: {say: "Bye.", hangup: completed}
)",
                       "g.yaml");
  ASSERT_TRUE(r.ok());
  bool warned = false;
  for (const Diagnostic& d : r.diagnostics)
    warned |= d.code == Code::conflicting_keys && d.message.find("`repeat: true`") == 0;
  EXPECT_TRUE(warned);
}

constexpr std::string_view kGrades = R"(
patter: 1
id: grades
locale: en-US
intents:
  affirm: [yes]
  negate: [no]
grades: [A1, A2, B, X]
grading:
  rules:
    - {grade: A1, when: "heard('affirm') > 1"}
    - {grade: A2, when: "heard('affirm') > 0"}
    - {grade: B, when: "heard('negate') > 0"}
start: ask
nodes:
  ask:
    say: "Ready?"
    routes:
      - {intent: affirm, to: again}
      - {intent: negate, to: bye}
  again:
    say: "Sure?"
    routes: [{intent: [affirm, negate], to: bye}]
  bye: {say: "Bye.", hangup: completed}
)";

TEST(SessionLimits, ScriptGradeCodesGradeTheCall) {
  auto script = load(kGrades);
  ASSERT_TRUE(script);
  EXPECT_EQ(script->grades(), (std::vector<std::string>{"A1", "A2", "B", "X"}));
  EXPECT_EQ(script->grade_name(script->default_grade()), "X") << "the last code, without `default`";
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"yes", "yes"}, "A1"}, {{"yes", "no"}, "A2"}, {{"no"}, "B"}, {{}, "X"}};
  for (const auto& [replies, grade] : cases) {
    Call c(script);
    c.answer();
    for (const std::string& r : replies) c.say(r);
    if (!c.s.ended()) c.hangup();
    const CallResult r = c.s.result();
    EXPECT_EQ(r.grade, grade);
    EXPECT_NE(r.to_json(*script).find("\"grade\":\"" + grade + "\""), std::string::npos);
    EXPECT_EQ(Session::restore(script, c.s.snapshot()).value().result().grade, grade);
  }
}

TEST(SessionLimits, StatsCountScriptGradeCodesInTheScriptsOrder) {
  auto script = load(kGrades);
  ASSERT_TRUE(script);
  StatsOptions o;
  o.converted_grades = "A1,A2";
  Stats stats(script, o);
  for (const char* reply : {"no", "yes", "no"}) {
    Call c(script);
    c.answer();
    c.say(reply);
    if (!c.s.ended()) c.say("no");
    ASSERT_TRUE(stats.add_json(c.s.result().to_json(*script)).ok());
  }
  const StatsReport r = stats.report();
  using G = std::pair<std::string, std::uint64_t>;
  EXPECT_EQ(r.grades, (std::vector<G>{{"A2", 1}, {"B", 2}}));
  EXPECT_EQ(r.converted, 1u);
  EXPECT_NE(r.to_text().find("A2 1"), std::string::npos) << r.to_text();
}

TEST(SessionLimits, OldScriptsKeepTheLettersAToE) {
  auto script = load(R"(
patter: 1
id: old
locale: en-US
intents: {affirm: [yes]}
grading:
  rules: [{grade: B, when: "heard('affirm') > 0"}]
  default: D
start: a
nodes:
  a:
    say: "Hi?"
    routes: [{intent: affirm, to: b}]
  b: {say: "Bye.", hangup: completed}
)");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->grades(), (std::vector<std::string>{"A", "B", "C", "D", "E"}));
  Call c(script);
  c.answer();
  EXPECT_EQ(c.s.grade_so_far(), "D");
  c.say("yes");
  EXPECT_EQ(c.s.result().grade, "B");
}

TEST(SessionLimits, MoreThanFourPhrasingsAreSaidInTurn) {
  auto script = load(R"(
patter: 1
id: many
locale: en-US
intents: {affirm: [yes]}
start: a
nodes:
  a:
    say: [one, two, three, four, five, six]
    routes: [{intent: affirm, to: a}, {key: "9", to: b}]
  b: {say: "Bye.", hangup: completed}
)");
  ASSERT_TRUE(script);
  Call c(script);
  c.answer();
  std::string said = c.actions().substr(4, 3);
  for (int i = 0; i < 7; ++i) {
    c.say("yes");
    said += "," + c.actions().substr(4, c.actions().find(" |") - 4);
  }
  EXPECT_EQ(said, "one,two,three,four,five,six,one,two");
}

TEST(SessionLimits, AnErrorEndingHasItsOwnOutcome) {
  auto script = load(R"(
patter: 1
id: err
locale: en-US
intents: {affirm: [yes], negate: [no]}
grading:
  rules: [{grade: E, when: "outcome == 'error'", tags: [failed]}]
  default: C
start: a
nodes:
  a:
    say: "Can I check your account?"
    routes:
      - {intent: affirm, to: ok}
      - {intent: negate, to: broken}
  ok: {say: "Done.", hangup: completed}
  broken: {say: "Something went wrong; we will call you back.", hangup: error}
)");
  ASSERT_TRUE(script);
  Call c(script);
  c.answer();
  c.say("no");
  const CallResult r = c.s.result();
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.hangup, HangupReason::error);
  EXPECT_EQ(r.tags, std::vector<std::string>{"failed"});
  EXPECT_NE(r.to_json(*script).find("\"outcome\":\"error\""), std::string::npos);
  Stats stats(script);
  stats.add(r);
  const StatsReport report = stats.report();
  bool counted = false;
  for (const auto& [name, n] : report.outcomes) counted |= name == "error" && n == 1;
  EXPECT_TRUE(counted);
}

}  // namespace
