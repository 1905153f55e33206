// The call runtime: one small script per rule, driven by events, with the
// actions, the turn's explanation and the session's state checked.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "session_support.hpp"

namespace {

using namespace patter;

using session_testing::acts;
using session_testing::Call;
using session_testing::load;
using session_testing::must_start;
using session_testing::node_name;
using session_testing::path_names;

// ---- the main script -------------------------------------------------------

const char* kCore = R"yaml(patter: 1
id: core
version: "1.0"
locale: en-US
settings:
  fillers: [um, uh]
  long_reply_chars: 20
variables:
  name: {type: string, required: true}
  budget: {type: number, default: 0}
  vip: false
  city: Paris
intents:
  affirm: [yes, sure]
  negate: {phrases: [no, nope], priority: 1, score: -5}
  interested: {phrases: [interested], score: 4}
  price: {phrases: [how much, price], score: 3}
  robot: [robot]
  who: [who is this]
  human: [real person]
  stop: {phrases: [stop calling], priority: 10}
  busy: [busy, driving]
start: greet
nodes:
  greet:
    say: ["Hi {name}, got a minute?", "So {name}, got a minute?"]
    tags: opened
    routes:
      - {intent: affirm, to: pitch, tags: warm, score: 10}
      - {intent: negate, to: bye}
      - {key: "1", to: pitch}
      - {key: "9#", to: bye}
    no_match: {retries: 2, reprompts: ["Sorry?", "Pardon?"], then: bye, long_reply: question}
    no_input: {retries: 1, reprompts: ["Hello?"], then: bye}
  pitch:
    say: "Offer for {city}: budget {budget}, vip {vip}."
    score: 5
    routes:
      - {intent: interested, to: hot}
      - {intent: negate, to: bye}
      - {intent: any, to: greet}
  hot:
    say: "Connecting you."
    escalate: {reason: interested, priority: high}
  question:
    say: "Let me get someone."
    escalate: question
  bye:
    say: "Goodbye."
    hangup: not_interested
  dnc_close:
    say: "Sorry, we will not call again."
    tags: dnc
    hangup: opt_out
globals:
  - {intent: stop, goto: dnc_close}
  - {intent: who, say: ["This is Acme.", "Acme here."]}
  - {intent: robot, say: "I am a robot.", reprompt: false}
  - {intent: price, say: "Ten euros.", tags: price_asked, score: 2, max_times: 1}
  - {intent: price, goto: pitch}
  - {intent: human, say: "One moment.", escalate: {reason: asked_for_human, priority: urgent}}
  - {intent: busy, say: "Sorry to bother.", hangup: busy}
grading:
  rules:
    - {grade: E, when: "tagged('dnc')", tags: [invalid]}
    - {grade: A, when: "outcome == 'escalated' and score >= 15", tags: [high_intent]}
    - {grade: B, when: "outcome == 'escalated'"}
    - {grade: D, when: "reason == 'not_interested'"}
  default: C
)yaml";

std::shared_ptr<const Script> core() {
  static auto s = load(kCore);
  return s;
}

}  // namespace

// ---- start ---------------------------------------------------------------------

TEST(SessionStart, HostVariablesOfEveryTypeRenderInLines) {
  Call c(core(), {{"name", "Ann"}, {"budget", "320.5"}, {"vip", "yes"}, {"city", "Lyon"}});
  EXPECT_EQ(c.s.phase(), Phase::dialing);
  EXPECT_EQ(c.s.node(), kNone);
  ASSERT_EQ(c.answer(), Status::ok);
  EXPECT_EQ(c.actions(), "tag:opened | say:Hi Ann, got a minute? | listen:6000");
  EXPECT_EQ(c.t.decision(), Decision::start);
  EXPECT_EQ(c.s.phase(), Phase::robot);
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_EQ(c.actions(), "tag:warm | say:Offer for Lyon: budget 320.5, vip true. | listen:6000");
  EXPECT_EQ(c.s.variable("budget"), "320.5");
  EXPECT_EQ(c.s.variable("vip"), "true");
  EXPECT_EQ(c.s.variable("city"), "Lyon");
  EXPECT_EQ(c.s.variable("nope"), std::nullopt);
}

TEST(SessionStart, DefaultsFillWhatTheHostLeavesOut) {
  Call c(core(), {{"name", "Bo"}});
  c.answer();
  c.say("yes");
  EXPECT_EQ(c.actions(), "tag:warm | say:Offer for Paris: budget 0, vip false. | listen:6000");
  EXPECT_EQ(c.s.variable("city"), "Paris");
  EXPECT_EQ(c.s.variable(*c.script->find_variable("budget")), "0");
}

TEST(SessionStart, BooleanSpellings) {
  const std::map<std::string, std::string> cases = {
      {"true", "true"},   {"yes", "true"}, {"1", "true"},  {"是", "true"},
      {"false", "false"}, {"no", "false"}, {"0", "false"}, {"否", "false"}};
  for (const auto& [given, expect] : cases) {
    Started s = Session::start(core(), {{"name", "A"}, {"vip", given}});
    ASSERT_TRUE(s.ok()) << given << ": " << s.message();
    EXPECT_EQ(s->variable("vip"), expect) << given;
  }
}

TEST(SessionStart, BadVariablesAreErrorsThatSayWhatToDo) {
  struct Case {
    const char* what;
    std::vector<VariableValue> vars;
    std::vector<std::string> error_has;
  };
  const std::vector<Case> cases = {
      {"misspelt name",
       {{"name", "A"}, {"budgte", "3"}},
       {"`budgte`", "not declared", "did you mean `budget`?"}},
      {"unknown name",
       {{"name", "A"}, {"zzzzzzzzzz", "3"}},
       {"`zzzzzzzzzz`", "declare it under `variables:`"}},
      {"bad number", {{"name", "A"}, {"budget", "lots"}}, {"`budget` is a number", "`lots`"}},
      {"number with junk", {{"name", "A"}, {"budget", "12abc"}}, {"`budget` is a number"}},
      {"bad boolean", {{"name", "A"}, {"vip", "maybe"}}, {"`vip` is true or false", "`maybe`"}},
      {"missing required", {{"city", "Rome"}}, {"`name` is required", "script `core`"}},
      {"nothing given", {}, {"`name` is required"}},
  };
  for (const Case& c : cases) {
    Started s = Session::start(core(), std::span<const VariableValue>(c.vars));
    EXPECT_FALSE(s.ok()) << c.what;
    EXPECT_THROW((void)s.value(), patter::BadResultAccess) << c.what;
    for (const std::string& part : c.error_has)
      EXPECT_NE(s.message().find(part), std::string::npos) << c.what << ": " << s.message();
  }
}

TEST(SessionStart, NullScript) {
  Started s = Session::start(nullptr, {});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), patter::StartError::no_script);
  EXPECT_NE(s.message().find("no script"), std::string::npos) << s.message();
}

// ---- routes --------------------------------------------------------------------

namespace {

// A guard on the first `yes` route; the second takes `yes` otherwise.
std::string guard_script(const std::string& when) {
  return R"yaml(patter: 1
id: guards
locale: en-US
variables:
  budget: 0
  city: Paris
  vip: false
intents:
  affirm: [yes]
  price: [how much]
  again: [say again]
  warm: [tell me more]
start: greet
nodes:
  greet:
    say: [Hello, Hello again]
    routes:
      - {intent: affirm, when: ")yaml" +
         when + R"yaml(", to: guarded}
      - {intent: affirm, to: plain}
      - {intent: again, to: greet}
      - {intent: warm, to: greet, tags: warm, score: 5}
    no_match: {retries: 5, then: plain}
    no_input: {retries: 5, then: plain}
  guarded: {say: G, hangup: completed}
  plain: {say: P, hangup: completed}
globals:
  - {intent: price, say: "Ten euros."}
)yaml";
}

}  // namespace

TEST(SessionRoutes, GuardsReadCountersVariablesTagsVisitsAndHeard) {
  struct Case {
    const char* when;
    std::vector<VariableValue> vars;
    std::vector<std::string> before;  // replies before the final "yes"
    const char* expect;               // node the "yes" goes to
  };
  const std::vector<Case> cases = {
      {"budget > 100", {{"budget", "200"}}, {}, "guarded"},
      {"budget > 100", {{"budget", "50"}}, {}, "plain"},
      {"city == 'Lyon'", {{"city", "Lyon"}}, {}, "guarded"},
      {"city == 'Lyon'", {}, {}, "plain"},
      {"vip", {{"vip", "true"}}, {}, "guarded"},
      {"vip", {}, {}, "plain"},
      {"tagged('warm')", {}, {"tell me more"}, "guarded"},
      {"tagged('warm')", {}, {"say again"}, "plain"},
      {"visits('greet') >= 2", {}, {"say again"}, "guarded"},
      {"visits('greet') >= 2", {}, {}, "plain"},
      {"visited('greet')", {}, {}, "guarded"},
      {"heard('price') > 0", {}, {"how much"}, "guarded"},
      {"heard('price') > 0", {}, {"say again"}, "plain"},
      {"turns >= 3", {}, {"blah", "blah"}, "guarded"},  // the reply itself counts
      {"turns >= 3", {}, {"blah"}, "plain"},
      {"score >= 5", {}, {"tell me more"}, "guarded"},
      {"score >= 5", {}, {}, "plain"},
      {"silences >= 1", {}, {"<silence>"}, "guarded"},
      {"silences >= 1", {}, {"blah"}, "plain"},
      {"no_matches >= 1", {}, {"blah"}, "guarded"},
      {"no_matches >= 1", {}, {"<silence>"}, "plain"},
      {"nodes_passed >= 2", {}, {"say again"}, "guarded"},
      {"nodes_passed >= 2", {}, {}, "plain"},
      {"outcome == ''", {}, {}, "guarded"},
      {"duration_s >= 3", {}, {"blah", "blah"}, "guarded"},
      {"duration_s >= 3", {}, {"blah"}, "plain"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(std::string(k.when) + " after " + std::to_string(k.before.size()) + " replies");
    auto script = load(guard_script(k.when));
    ASSERT_TRUE(script);
    Call c(script, std::span<const VariableValue>(k.vars));
    c.answer();
    for (const std::string& r : k.before) ASSERT_TRUE(c.t.ok() && c.reply(r) == Status::ok);
    ASSERT_EQ(c.say("yes"), Status::ok);
    EXPECT_EQ(c.t.decision(), Decision::route);
    EXPECT_EQ(c.t.index(), std::string(k.expect) == "guarded" ? 0u : 1u);
    EXPECT_EQ(c.path(), k.expect);
    EXPECT_TRUE(c.s.ended());
  }
}

TEST(SessionRoutes, RoutesAreTriedInOrderAndTheFirstThatHoldsWins) {
  auto script = load(R"yaml(patter: 1
id: order
locale: en-US
intents:
  affirm: [yes]
  maybe: [maybe]
start: a
nodes:
  a:
    say: Q
    routes:
      - {intent: [maybe, affirm], to: first}
      - {intent: affirm, to: second}
  first: {say: F, hangup: completed}
  second: {say: S, hangup: completed}
)yaml");
  Call c(script);
  c.answer();
  c.say("yes");
  EXPECT_EQ(c.path(), "first");
  EXPECT_EQ(c.t.index(), 0u);
  EXPECT_EQ(c.t.from(), c.id("a"));
}

TEST(SessionRoutes, IntentsAreRankedBestFirstWhateverTheRouteOrder) {
  auto script = load(R"yaml(patter: 1
id: rank
locale: en-US
intents:
  price: [how much]
  negate: {phrases: [no], priority: 1}
  robot: [robot]
start: a
nodes:
  a:
    say: Q
    routes:
      - {intent: price, to: priced}
      - {intent: negate, to: declined}
  priced: {say: P, hangup: completed}
  declined: {say: D, hangup: not_interested}
globals:
  - {intent: robot, say: "Yes, a robot."}
)yaml");
  struct Case {
    const char* text;
    const char* expect;
  };
  for (Case k : {Case{"no, how much", "declined"}, Case{"how much? no", "declined"},
                 Case{"how much", "priced"},
                 // a route for a lesser intent comes before a handler for the best one
                 Case{"robot? how much", "priced"}}) {
    Call c(script);
    c.answer();
    c.say(k.text);
    EXPECT_EQ(c.path(), k.expect) << k.text;
    EXPECT_EQ(c.t.decision(), Decision::route) << k.text;
  }
}

TEST(SessionRoutes, AnyRoutesComeAfterGlobalHandlers) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.say("yes");  // at pitch: routes interested, negate, any
  ASSERT_EQ(c.node(), "pitch");
  c.say("who is this");
  EXPECT_EQ(c.t.decision(), Decision::global);
  EXPECT_EQ(c.t.index(), 1u);
  EXPECT_EQ(c.actions(),
            "say:This is Acme. | say:Offer for Paris: budget 0, vip false. | listen:6000");
  c.say("the weather is nice");
  EXPECT_EQ(c.t.decision(), Decision::route);
  EXPECT_EQ(c.t.index(), 2u);
  EXPECT_EQ(c.path(), "greet");
  EXPECT_EQ(c.actions(),
            "say:So Ann, got a minute? | listen:6000");  // second visit, second phrasing
}

TEST(SessionRoutes, KeysTakeKeyRoutes) {
  struct Case {
    char key;
    const char* expect;  // node, or "" for no_match
  };
  for (Case k :
       {Case{'1', "pitch"}, Case{'9', "bye"}, Case{'#', "bye"}, Case{'5', ""}, Case{'*', ""}}) {
    Call c(core(), {{"name", "Ann"}});
    c.answer();
    ASSERT_EQ(c.key(k.key), Status::ok);
    if (*k.expect) {
      EXPECT_EQ(c.t.decision(), Decision::route) << k.key;
      EXPECT_EQ(c.path(), k.expect) << k.key;
    } else {
      EXPECT_EQ(c.t.decision(), Decision::no_match) << k.key;
      EXPECT_EQ(c.actions(), "say:Sorry? | listen:6000") << k.key;
    }
    EXPECT_EQ(c.s.turns(), 1u) << "a key is a reply";
  }
}

TEST(SessionRoutes, AKeyOrAnIntentTakesARouteWithBoth) {
  auto script = load(R"yaml(patter: 1
id: both
locale: en-US
intents:
  affirm: [yes]
start: a
nodes:
  a:
    say: Press 1 or say yes
    routes:
      - {key: "1", intent: affirm, to: b}
  b: {say: B, hangup: completed}
)yaml");
  for (const char* r : {"#1", "yes"}) {
    Call c(script);
    c.answer();
    c.reply(r);
    EXPECT_EQ(c.path(), "b") << r;
  }
}

TEST(SessionRoutes, TagsAndScoreFromNodesRoutesHandlersAndIntents) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  EXPECT_EQ(c.s.score(), 0);
  c.say("how much");  // intent +3, handler +2 and its tag
  EXPECT_EQ(c.actions(),
            "tag:price_asked | say:Ten euros. | say:Hi Ann, got a minute? | listen:6000");
  EXPECT_EQ(c.s.score(), 5);
  c.say("yes");  // route +10 and tag warm, node pitch +5
  EXPECT_EQ(c.s.score(), 20);
  c.say("no");  // intent -5
  EXPECT_EQ(c.s.score(), 15);
  EXPECT_EQ(c.s.heard(*c.script->find_intent("price")), 1u);
  EXPECT_EQ(c.s.heard(*c.script->find_intent("negate")), 1u);
  EXPECT_TRUE(c.s.tagged("warm"));
  EXPECT_FALSE(c.s.tagged("dnc"));
  EXPECT_FALSE(c.s.tagged("not a tag"));
  const std::vector<std::string_view> tags = c.s.tags();
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_EQ(tags[0], "opened");
  EXPECT_EQ(tags[1], "price_asked");
  EXPECT_EQ(tags[2], "warm");
}

TEST(SessionRoutes, AnIntentHeardTwiceInOneReplyCountsOnce) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.say("how much, what is the price, how much");
  EXPECT_EQ(c.s.heard(*c.script->find_intent("price")), 1u);
  EXPECT_EQ(c.s.score(), 5);  // intent 3 once, handler 2
}

TEST(SessionRoutes, HostIntentsRouteLikeWords) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  ASSERT_EQ(c.intent("affirm", 0.7f), Status::ok);
  EXPECT_EQ(c.path(), "pitch");
  ASSERT_TRUE(c.t.understanding().matched());
  EXPECT_EQ(c.t.understanding().best().source, MatchSource::host);
  // A confidence out of range is clamped, not refused: NaN is 0, below
  // min_confidence (not understood: `any` reply takes pitch back to greet);
  // 1.7 is 1.
  EXPECT_EQ(
      c.send(Event::intent_of(*c.script->find_intent("interested"), std::nanf(""), c.now += 1000)),
      Status::ok);
  EXPECT_EQ(c.path(), "greet");
  EXPECT_EQ(c.s.heard(*c.script->find_intent("interested")), 0u);
  ASSERT_EQ(c.intent("affirm", 0.7f), Status::ok);
  EXPECT_EQ(c.send(Event::intent_of(*c.script->find_intent("interested"), 1.7f, c.now += 1000)),
            Status::ok);
  EXPECT_EQ(c.path(), "hot");
}

// ---- global handlers -----------------------------------------------------------

TEST(SessionGlobals, EveryKindOfHandler) {
  struct Case {
    const char* text;
    std::uint32_t index;
    const char* actions;
    Phase phase;
    const char* node;
  };
  const std::vector<Case> cases = {
      {"who is this", 1, "say:This is Acme. | say:Hi Ann, got a minute? | listen:6000",
       Phase::robot, "greet"},
      {"are you a robot", 2, "say:I am a robot. | listen:6000", Phase::robot, "greet"},
      {"how much", 3, "tag:price_asked | say:Ten euros. | say:Hi Ann, got a minute? | listen:6000",
       Phase::robot, "greet"},
      {"I want a real person", 5, "say:One moment. | escalate:asked_for_human:urgent",
       Phase::waiting, "greet"},
      {"I am driving", 6, "say:Sorry to bother. | hangup:busy | end", Phase::ended, "greet"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.text);
    Call c(core(), {{"name", "Ann"}});
    c.answer();
    ASSERT_EQ(c.say(k.text), Status::ok);
    EXPECT_EQ(c.t.decision(), Decision::global);
    EXPECT_EQ(c.t.index(), k.index);
    EXPECT_EQ(c.actions(), k.actions);
    EXPECT_EQ(c.s.phase(), k.phase);
    EXPECT_EQ(c.node(), k.node);
    EXPECT_EQ(c.s.visits(c.id("greet")), 1u) << "resuming is not a visit";
  }
}

TEST(SessionGlobals, GotoEntersTheTarget) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.say("how much");  // handler 3, max_times 1
  c.say("how much");  // handler 4: goto pitch
  EXPECT_EQ(c.t.decision(), Decision::global);
  EXPECT_EQ(c.t.index(), 4u);
  EXPECT_EQ(c.path(), "pitch");
  EXPECT_EQ(c.actions(), "say:Offer for Paris: budget 0, vip false. | listen:6000");
}

TEST(SessionGlobals, MaxTimesThenTheNextHandlerThenNoMatch) {
  auto script = load(R"yaml(patter: 1
id: max_times
locale: en-US
intents:
  price: [how much]
  affirm: [yes]
start: a
nodes:
  a:
    say: Q
    routes:
      - {intent: affirm, to: b}
    no_match: {retries: 3, reprompts: ["Sorry?"]}
  b: {say: B, hangup: completed}
globals:
  - {intent: price, say: [Ten., Still ten.], max_times: 2, reprompt: false}
  - {intent: price, say: Really ten., max_times: 1, reprompt: false}
)yaml");
  Call c(script);
  c.answer();
  const char* expect[][2] = {{"global", "say:Ten. | listen:6000"},
                             {"global", "say:Still ten. | listen:6000"},
                             {"global", "say:Really ten. | listen:6000"},
                             {"no_match", "say:Sorry? | listen:6000"}};
  for (auto& e : expect) {
    c.say("how much");
    EXPECT_EQ(to_string(c.t.decision()), e[0]);
    EXPECT_EQ(c.actions(), e[1]);
  }
}

TEST(SessionGlobals, PhrasingsRotate) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  std::vector<std::string> said;
  for (int i = 0; i < 3; ++i) {
    c.say("who is this");
    said.push_back(std::string(c.t.actions()[0].text));
  }
  EXPECT_EQ(said, (std::vector<std::string>{"This is Acme.", "Acme here.", "This is Acme."}));
}

TEST(SessionGlobals, NodePhrasingsRotateOnEveryVisit) {
  auto script = load(R"yaml(patter: 1
id: rotate
locale: en-US
intents:
  again: [again]
  done: [done]
start: a
nodes:
  a:
    say: [One, Two, Three]
    routes:
      - {intent: again, to: a}
      - {intent: done, to: b}
  b: {say: B, hangup: completed}
)yaml");
  Call c(script);
  c.answer();
  std::vector<std::string> said{std::string(c.t.actions()[0].text)};
  for (int i = 0; i < 3; ++i) {
    c.say("again");
    said.push_back(std::string(c.t.actions()[0].text));
  }
  EXPECT_EQ(said, (std::vector<std::string>{"One", "Two", "Three", "One"}));
  EXPECT_EQ(c.s.visits(c.id("a")), 4u);
}

// ---- no_match and no_input -----------------------------------------------------

TEST(SessionFallbacks, NoMatchRepromptsInTurnThenGoesToThen) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.say("blah");
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_EQ(c.actions(), "say:Sorry? | listen:6000");
  c.say("blah");
  EXPECT_EQ(c.actions(), "say:Pardon? | listen:6000");
  c.say("blah");
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_EQ(c.path(), "bye");
  EXPECT_EQ(c.actions(), "say:Goodbye. | hangup:not_interested | end");
  EXPECT_EQ(c.s.result().no_matches, 3u);
}

TEST(SessionFallbacks, LongUnrecognisedRepliesGoToLongReplyAtOnce) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.say("twenty chars exactly");  // 20 characters: not long
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_EQ(c.t.understanding().length(), 20u);
  c.say("what is this call really about then");
  EXPECT_EQ(c.t.decision(), Decision::long_reply);
  EXPECT_EQ(c.path(), "question");
  EXPECT_EQ(c.actions(), "say:Let me get someone. | escalate:question:normal");
  EXPECT_EQ(c.s.phase(), Phase::waiting);
}

TEST(SessionFallbacks, NoInputRepromptsThenGoesToThen) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.silence();
  EXPECT_EQ(c.t.decision(), Decision::no_input);
  EXPECT_EQ(c.actions(), "say:Hello? | listen:6000");
  c.silence();
  EXPECT_EQ(c.path(), "bye");
  EXPECT_EQ(c.s.result().silences, 2u);
  EXPECT_EQ(c.s.turns(), 0u) << "silence is not a reply";
}

namespace {

const char* kFallbackDefaults = R"yaml(patter: 1
id: defaults
locale: en-US
intents:
  affirm: [yes]
start: a
nodes:
  a:
    say: [Question one, Question two]
    routes:
      - {intent: affirm, to: b}
  b: {say: B, hangup: completed}
)yaml";

}  // namespace

TEST(SessionFallbacks, DefaultsOneRetryWithTheNodesLineThenHangUpWithoutCloseNode) {
  auto script = load(kFallbackDefaults);
  for (const char* kind : {"no_match", "no_input"}) {
    SCOPED_TRACE(kind);
    Call c(script);
    c.answer();
    auto go = [&] { return std::string(kind) == "no_match" ? c.say("blah") : c.silence(); };
    go();
    EXPECT_EQ(c.actions(), "say:Question one | listen:6000");
    go();
    EXPECT_EQ(c.actions(), std::string("hangup:") + kind + " | end");
    EXPECT_EQ(c.s.result().hangup, *parse_hangup_reason(kind));
    EXPECT_EQ(c.s.result().outcome, Outcome::hangup);
  }
}

TEST(SessionFallbacks, DefaultsGoThroughTheCloseNode) {
  std::string yaml =
      std::string(kFallbackDefaults) + R"yaml(  close: {say: Bye for now., hangup: completed}
limits:
  close: close
)yaml";
  auto script = load(yaml);
  for (const char* kind : {"no_match", "no_input"}) {
    SCOPED_TRACE(kind);
    Call c(script);
    c.answer();
    auto go = [&] { return std::string(kind) == "no_match" ? c.say("blah") : c.silence(); };
    go();
    go();
    EXPECT_EQ(c.t.decision(), Decision::limit);
    EXPECT_EQ(to_string(c.t.limit()), kind);
    EXPECT_EQ(c.path(), "close");
    EXPECT_EQ(c.actions(), std::string("say:Bye for now. | hangup:") + kind + " | end");
    EXPECT_EQ(to_string(c.s.result().hangup), kind) << "the limit's reason, not the close node's";
  }
}

namespace {

std::string counted_script(const std::string& limits) {
  return R"yaml(patter: 1
id: counted
locale: en-US
intents:
  affirm: [yes]
  next: [next]
start: a
nodes:
  a:
    say: A
    routes:
      - {intent: next, to: b}
    no_match: {retries: 10, reprompts: ["A?"]}
    no_input: {retries: 10, reprompts: [A...]}
  b:
    say: B
    routes:
      - {intent: next, to: a}
      - {intent: affirm, to: done}
    no_match: {retries: 10, reprompts: ["B?"]}
    no_input: {retries: 10, reprompts: [B...]}
  done: {say: Done, hangup: completed}
  close: {say: Closing, hangup: completed}
limits:
  close: close
)yaml" + limits;
}

}  // namespace

TEST(SessionLimits, ConsecutiveAndTotalNoMatchAndNoInput) {
  struct Case {
    const char* limits;
    std::vector<std::string> replies;
    std::size_t ends_after;  // replies until the call closes; 0: it does not
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"  no_match: {consecutive: 2}\n", {"x", "x"}, 2, "no_match"},
      {"  no_match: {consecutive: 2}\n", {"x", "next", "x", "next", "x"}, 0, ""},
      {"  no_match: {consecutive: 2}\n",
       {"x", "<silence>", "x"},
       3,
       "no_match"},  // silence does not reset it
      {"  no_match: {total: 3}\n", {"x", "next", "x", "next", "x"}, 5, "no_match"},
      {"  no_input: {consecutive: 2}\n", {"<silence>", "<silence>"}, 2, "no_input"},
      {"  no_input: {consecutive: 2}\n", {"<silence>", "x", "<silence>"}, 0, ""},
      {"  no_input: {total: 2}\n", {"<silence>", "x", "<silence>"}, 3, "no_input"},
      // across nodes: the counters are call-wide even though the node would retry
      {"  no_input: {total: 2}\n", {"<silence>", "next", "<silence>"}, 3, "no_input"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.limits);
    auto script = load(counted_script(k.limits));
    ASSERT_TRUE(script);
    Call c(script);
    c.answer();
    std::size_t ended_at = 0;
    for (std::size_t i = 0; i < k.replies.size(); ++i) {
      ASSERT_EQ(c.reply(k.replies[i]), Status::ok) << i;
      if (c.s.ended()) {
        ended_at = i + 1;
        break;
      }
    }
    EXPECT_EQ(ended_at, k.ends_after);
    if (k.ends_after) {
      EXPECT_EQ(c.t.decision(), Decision::limit);
      EXPECT_EQ(to_string(c.t.limit()), k.reason);
      EXPECT_EQ(c.actions(), std::string("say:Closing | hangup:") + k.reason + " | end");
      EXPECT_EQ(to_string(c.s.result().hangup), k.reason);
    }
  }
}

// ---- visits, turns, duration ---------------------------------------------------

namespace {

std::string limit_script(const std::string& limits, bool with_close,
                         const std::string& a_extra = "") {
  return R"yaml(patter: 1
id: limits
locale: en-US
intents:
  again: [again]
  done: [done]
start: a
nodes:
  a:
    say: A
)yaml" + a_extra +
         R"yaml(    routes:
      - {intent: again, to: a}
      - {intent: done, to: b}
  b: {say: B, hangup: completed}
)yaml" + (with_close ? "  close: {say: Closing, hangup: completed}\n" : "") +
         "limits:\n" + (with_close ? "  close: close\n" : "") + limits;
}

}  // namespace

TEST(SessionLimits, VisitsAndTurnsEndTheCallWithTheirReason) {
  struct Case {
    const char* what;
    std::string limits, a_extra;
    std::size_t ends_after;
    HangupReason reason;
  };
  const std::vector<Case> cases = {
      {"node max_visits", "  max_turns: 100\n", "    max_visits: 2\n", 2, HangupReason::max_visits},
      {"limits.max_visits", "  max_visits: 3\n", "", 3, HangupReason::max_visits},
      {"node overrides limits", "  max_visits: 1\n", "    max_visits: 3\n", 3,
       HangupReason::max_visits},
      {"max_turns", "  max_turns: 4\n", "", 4, HangupReason::max_turns},
  };
  for (const Case& k : cases) {
    for (bool with_close : {true, false}) {
      SCOPED_TRACE(std::string(k.what) + (with_close ? " with close" : " without close"));
      auto script = load(limit_script(k.limits, with_close, k.a_extra));
      ASSERT_TRUE(script);
      Call c(script);
      c.answer();
      std::size_t n = 0;
      while (!c.s.ended() && n < 10) {
        ASSERT_EQ(c.say("again"), Status::ok);
        ++n;
      }
      EXPECT_EQ(n, k.ends_after);
      EXPECT_EQ(c.t.decision(), Decision::limit);
      EXPECT_EQ(c.t.limit(), k.reason);
      const std::string reason(to_string(k.reason));
      EXPECT_EQ(c.actions(), with_close ? "say:Closing | hangup:" + reason + " | end"
                                        : "hangup:" + reason + " | end");
      EXPECT_EQ(c.s.result().hangup, k.reason);
      EXPECT_EQ(c.s.result().outcome, Outcome::hangup);
      EXPECT_EQ(c.s.turns(), n);
    }
  }
}

TEST(SessionLimits, DurationLimitByTimerOrByTheNextEvent) {
  for (bool with_close : {true, false}) {
    SCOPED_TRACE(with_close ? "with close" : "without close");
    auto script = load(limit_script("  max_duration_s: 30\n", with_close));
    ASSERT_TRUE(script);
    {
      Call c(script);
      EXPECT_EQ(c.s.deadline_ms(), 0u) << "no deadline before the answer";
      c.send(Event::answered(5'000));
      EXPECT_EQ(c.s.deadline_ms(), 35'000u);
      EXPECT_EQ(c.send(Event::timer(20'000)), Status::ignored);
      EXPECT_EQ(c.t.decision(), Decision::none);
      EXPECT_TRUE(c.t.actions().empty());
      EXPECT_EQ(c.send(Event::utterance("again", 34'999)), Status::ok);
      EXPECT_EQ(c.t.decision(), Decision::route);
      EXPECT_EQ(c.send(Event::timer(35'000)), Status::ok);
      EXPECT_EQ(c.t.decision(), Decision::limit);
      EXPECT_EQ(c.t.limit(), HangupReason::max_duration);
      EXPECT_EQ(c.actions(), with_close ? "say:Closing | hangup:max_duration | end"
                                        : "hangup:max_duration | end");
      EXPECT_EQ(c.s.result().duration_ms, 30'000u);
      EXPECT_EQ(c.s.deadline_ms(), 0u);
    }
    {
      Call c(script);
      c.send(Event::answered(0));
      EXPECT_EQ(c.send(Event::utterance("done", 40'000)), Status::ok);
      EXPECT_EQ(c.t.limit(), HangupReason::max_duration) << "a late reply does not beat the limit";
      EXPECT_EQ(c.s.result().hangup, HangupReason::max_duration);
      EXPECT_EQ(c.s.turns(), 0u);
    }
  }
}

TEST(SessionLimits, NoDurationLimitWhileAPersonHasTheCall) {
  auto script = load(R"yaml(patter: 1
id: dur
locale: en-US
intents:
  human: [human]
start: a
nodes:
  a:
    say: A
    routes:
      - {intent: human, to: h}
  h: {say: H, escalate: asked_for_human}
limits:
  max_duration_s: 10
)yaml");
  Call c(script);
  c.send(Event::answered(0));
  c.send(Event::utterance("human", 1000));
  EXPECT_EQ(c.s.phase(), Phase::waiting);
  EXPECT_NE(c.s.deadline_ms(), 10'000u) << "not the call-duration limit";
  EXPECT_EQ(c.send(Event::timer(20'000)), Status::ignored);
  EXPECT_EQ(c.s.phase(), Phase::waiting);
  EXPECT_EQ(c.send(Event::agent_joined(21'000)), Status::ok);
  EXPECT_EQ(c.s.deadline_ms(), 0u);
  EXPECT_EQ(c.send(Event::timer(50'000)), Status::ignored);
  EXPECT_EQ(c.send(Event::utterance("human", 52'000)), Status::ok);
  EXPECT_EQ(c.s.phase(), Phase::human);
}

TEST(SessionLimits, PastTheTurnLimitTheRobotAsksNothingMore) {
  // The last reply is answered or re-prompted only if the call goes on: a
  // question the robot will not listen to is never said.
  auto script = load(R"yaml(patter: 1
id: turns
locale: en-US
intents:
  again: [again]
  done: [done]
  who: [who is this]
start: a
nodes:
  a:
    say: A
    routes:
      - {intent: again, to: a}
      - {intent: done, to: b}
    no_match: {retries: 5, reprompts: ["A?"]}
  b: {say: B, next: c}
  c: {say: C, hangup: completed}
  close: {say: Closing, hangup: completed}
globals:
  - {intent: who, say: "Acme."}
limits:
  max_turns: 2
  close: close
)yaml");
  struct Case {
    const char* last;
    const char* actions;
  };
  for (Case k : {Case{"again", "say:Closing | hangup:max_turns | end"},
                 Case{"blah", "say:Closing | hangup:max_turns | end"},
                 Case{"who is this", "say:Acme. | say:Closing | hangup:max_turns | end"},
                 // the last reply may still end the call its own way
                 Case{"done", "say:B | say:C | hangup:completed | end"}}) {
    SCOPED_TRACE(k.last);
    Call c(script);
    c.answer();
    c.say("again");
    EXPECT_EQ(c.actions(), "say:A | listen:6000");
    c.say(k.last);
    EXPECT_EQ(c.actions(), k.actions);
    EXPECT_TRUE(c.s.ended());
  }
}

// ---- barge-in ------------------------------------------------------------------

namespace {

const char* kBarge = R"yaml(patter: 1
id: barge
locale: en-US
settings:
  fillers: [um, uh, hmm]
  barge_in_opening: false
  no_barge_ms: 800
intents:
  affirm: [yes]
  stop: {phrases: [stop calling], priority: 10}
start: open
nodes:
  open:
    say: Opening line
    routes:
      - {intent: affirm, to: ask}
  ask:
    say: Question
    routes:
      - {intent: affirm, to: done}
  done: {say: Done, hangup: completed}
  dnc: {say: Sorry, hangup: opt_out}
globals:
  - {intent: stop, goto: dnc}
)yaml";

}  // namespace

TEST(SessionBargeIn, LinesSayWhetherTheyMayBeInterrupted) {
  Call c(load(kBarge));
  c.answer();
  ASSERT_EQ(c.t.actions().size(), 2u);
  EXPECT_FALSE(c.t.actions()[0].barge_in) << "barge_in_opening: false";
  EXPECT_EQ(c.t.actions()[0].no_barge_ms, 800u);
  c.say("yes");
  EXPECT_TRUE(c.t.actions()[0].barge_in);
}

TEST(SessionBargeIn, WhatCountsAsAnInterruption) {
  struct Case {
    const char* what;
    bool at_opening;  // the line playing is the opening (not interruptible)
    const char* text;
    std::uint32_t elapsed;
    Status status;
    Decision decision;
    const char* actions;
  };
  const std::vector<Case> cases = {
      {"non-interruptible line", true, "yes", 3000, Status::ignored, Decision::not_now, ""},
      {"opt-out wins anyway", true, "stop calling", 3000, Status::ok, Decision::opt_out,
       "stop_line | tag:dnc | say:Sorry | hangup:opt_out | end"},
      {"inside no_barge_ms", false, "yes", 799, Status::ignored, Decision::not_now, ""},
      {"opt-out inside no_barge_ms", false, "stop calling", 10, Status::ok, Decision::opt_out,
       "stop_line | tag:dnc | say:Sorry | hangup:opt_out | end"},
      {"fillers only", false, "um, uh... hmm", 3000, Status::ignored, Decision::not_now, ""},
      {"interruptible, after the window", false, "yes", 800, Status::ok, Decision::route,
       "stop_line | say:Done | hangup:completed | end"},
      {"interruptible, not understood", false, "what", 900, Status::ok, Decision::no_match,
       "stop_line | say:Question | listen:6000"},
  };
  auto script = load(kBarge);
  for (const Case& k : cases) {
    SCOPED_TRACE(k.what);
    Call c(script);
    c.answer();
    if (!k.at_opening) c.say("yes");
    const std::string before = c.s.snapshot();
    const std::uint32_t turns = c.s.turns();
    EXPECT_EQ(c.send(Event::utterance(k.text, c.now += 1000).during(k.elapsed)), k.status);
    EXPECT_EQ(c.t.decision(), k.decision);
    EXPECT_EQ(c.actions(), k.actions);
    if (k.status == Status::ignored) {
      EXPECT_EQ(c.s.turns(), turns) << "not a reply";
      EXPECT_EQ(c.node(), k.at_opening ? "open" : "ask");
      // Only the clock moved: the call goes on exactly as before.
      Restored r = Session::restore(script, before);
      ASSERT_TRUE(r.ok());
      Turn t1, t2;
      r->step(Event::utterance("yes", c.now + 1), t1);
      c.s.step(Event::utterance("yes", c.now + 1), t2);
      EXPECT_EQ(acts(t1), acts(t2));
    }
  }
}

TEST(SessionBargeIn, FillersAndEmptyTextAreNeverReplies) {
  auto script = load(kBarge);
  for (const char* text : {"", "   ", "\t\n", "um", "UM!", "uh, um", "...", "？！"}) {
    Call c(script);
    c.answer();
    EXPECT_EQ(c.say(text), Status::ignored) << '"' << text << '"';
    EXPECT_EQ(c.t.decision(), Decision::not_now);
    EXPECT_TRUE(c.t.actions().empty());
    EXPECT_EQ(c.s.turns(), 0u);
    EXPECT_EQ(c.s.result().no_matches, 0u);
  }
}

// ---- interest score ------------------------------------------------------------

TEST(SessionScore, CrossingEscalateScoreGoesToEscalateNodeOnce) {
  auto script = load(R"yaml(patter: 1
id: score
locale: en-US
intents:
  keen: {phrases: [great], score: 6}
  next: [next]
  bored: [bored]
start: a
nodes:
  a:
    say: A
    routes:
      - {intent: keen, to: a}
      - {intent: next, to: b}
      - {intent: bored, to: bye}
  b:
    say: B
    score: 20
    routes:
      - {intent: next, to: a}
      - {intent: bored, to: bye}
  hot: {say: Transferring, escalate: {reason: high_score, priority: high}}
  bye: {say: Bye, hangup: not_interested}
limits:
  escalate_score: 10
  escalate_node: hot
)yaml");
  {
    Call c(script);
    c.answer();
    c.say("great");  // 6
    EXPECT_EQ(c.t.decision(), Decision::route);
    EXPECT_EQ(c.path(), "a");
    c.say("great");  // 12: the route's target is replaced by escalate_node
    EXPECT_EQ(c.t.decision(), Decision::score);
    EXPECT_EQ(c.path(), "hot");
    EXPECT_EQ(c.actions(), "say:Transferring | escalate:high_score:high");
    ASSERT_EQ(c.t.actions().size(), 2u);
    EXPECT_EQ(c.t.actions()[1].score, 12);
    EXPECT_EQ(c.s.phase(), Phase::waiting);
  }
  {
    // The score comes from the node just entered: it escalates instead of listening.
    Call c(script);
    c.answer();
    c.say("next");
    EXPECT_EQ(c.t.decision(), Decision::score);
    EXPECT_EQ(c.path(), "b,hot");
    EXPECT_EQ(c.actions(), "say:B | say:Transferring | escalate:high_score:high");
  }
  {
    // An ending is not replaced.
    Call c(script);
    c.answer();
    c.say("great");
    c.send(Event::utterance("great bored", c.now += 1000));
    EXPECT_EQ(c.s.score(), 12);
    EXPECT_EQ(c.path(), "hot") << "keen outranks bored (earlier); its route goes on";
  }
}

// ---- opt-out -------------------------------------------------------------------

TEST(SessionOptOut, OptOutWinsOverEverythingElseSaid) {
  struct Case {
    const char* text;
    bool during_line;
  };
  for (Case k : {Case{"stop calling", false}, Case{"yes yes, but stop calling me", false},
                 Case{"no. stop calling", false}, Case{"i am driving, stop calling", false},
                 Case{"yes, stop calling", true}}) {
    SCOPED_TRACE(k.text);
    Call c(core(), {{"name", "Ann"}});
    c.answer();
    Event e = Event::utterance(k.text, c.now += 1000);
    ASSERT_EQ(c.send(k.during_line ? e.during(5000) : e), Status::ok);
    EXPECT_EQ(c.t.decision(), Decision::opt_out);
    EXPECT_EQ(c.t.index(), 0u);
    EXPECT_EQ(c.path(), "dnc_close");
    EXPECT_EQ(
        c.actions(),
        std::string(k.during_line ? "stop_line | " : "") +
            "tag:dnc | say:Sorry, we will not call again. | hangup:opt_out | tag:invalid | end");
    const CallResult r = c.s.result();
    EXPECT_EQ(r.hangup, HangupReason::opt_out);
    EXPECT_EQ(r.outcome, Outcome::hangup);
    EXPECT_EQ(r.grade, "E");
    EXPECT_TRUE(c.s.tagged("dnc"));
  }
}

TEST(SessionOptOut, AnOptOutHandlerThatHangsUpDirectly) {
  auto script = load(R"yaml(patter: 1
id: optout
locale: en-US
intents:
  affirm: [yes]
  remove: {phrases: [remove me], priority: 5}
start: a
nodes:
  a:
    say: A
    routes:
      - {intent: affirm, to: b}
      - {intent: remove, to: b}
  b: {say: B, hangup: completed}
globals:
  - {intent: remove, say: "Removed.", hangup: opt_out, max_times: 1}
)yaml");
  ASSERT_TRUE(script->intent(*script->find_intent("remove")).opt_out);
  Call c(script);
  c.answer();
  c.say("yes, remove me");
  EXPECT_EQ(c.t.decision(), Decision::opt_out) << "even with a route for it at the node";
  EXPECT_EQ(c.actions(), "tag:dnc | say:Removed. | hangup:opt_out | end");
}

// ---- escalation and people -----------------------------------------------------

TEST(SessionPeople, EscalateWaitJoinListenLeave) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.say("yes");
  c.say("I am interested");
  EXPECT_EQ(c.actions(), "say:Connecting you. | escalate:interested:high");
  ASSERT_EQ(c.t.actions().size(), 2u);
  EXPECT_EQ(c.t.actions()[1].score, 19);
  EXPECT_EQ(c.s.phase(), Phase::waiting);
  EXPECT_FALSE(c.s.ended());

  // While waiting, words are understood and counted, never acted on.
  EXPECT_EQ(c.say("how much"), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::human);
  EXPECT_TRUE(c.t.actions().empty());
  EXPECT_EQ(c.s.heard(*c.script->find_intent("price")), 1u);

  EXPECT_EQ(c.send(Event::agent_joined(c.now += 1000)), Status::ok);
  EXPECT_EQ(c.s.phase(), Phase::human);
  EXPECT_TRUE(c.t.actions().empty());
  EXPECT_EQ(c.say("stop calling"), Status::ok) << "a person has the call: not acted on";
  EXPECT_EQ(c.t.decision(), Decision::human);
  EXPECT_TRUE(c.t.actions().empty());
  EXPECT_FALSE(c.s.tagged("dnc"));
  EXPECT_EQ(c.s.turns(), 4u);
  const double score = c.s.score();
  EXPECT_EQ(score, 19 + 3);

  // The person hands back at a node: the robot goes on from there.
  EXPECT_EQ(c.send(Event::agent_left(c.now += 1000, c.id("greet"))), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::hand_back);
  EXPECT_EQ(c.s.phase(), Phase::robot);
  EXPECT_EQ(c.actions(), "say:So Ann, got a minute? | listen:6000");
  c.say("no");
  EXPECT_TRUE(c.s.ended());
  const CallResult r = c.s.result();
  EXPECT_EQ(r.outcome, Outcome::escalated) << "a person took part";
  EXPECT_EQ(r.hangup, HangupReason::not_interested);
  EXPECT_TRUE(r.escalated);
  EXPECT_EQ(r.escalation, EscalationReason::interested);
  EXPECT_EQ(r.grade, "A");  // escalated and score >= 15
}

TEST(SessionPeople, AgentLeftWithoutANodeEndsTheCall) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.say("real person");
  EXPECT_EQ(c.s.phase(), Phase::waiting);
  c.send(Event::agent_joined(c.now += 1000));
  EXPECT_EQ(c.send(Event::agent_left(c.now += 1000)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::ended);
  EXPECT_EQ(c.actions(), "hangup:agent_ended | end");
  EXPECT_TRUE(c.s.ended());
  EXPECT_EQ(c.s.result().outcome, Outcome::escalated);
  EXPECT_EQ(c.s.result().escalation, EscalationReason::asked_for_human);
  EXPECT_EQ(c.s.result().hangup, HangupReason::agent_ended);
}

TEST(SessionPeople, AGrabDuringTheRobotPhaseStopsTheLine) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  EXPECT_EQ(c.send(Event::agent_joined(c.now += 1000)), Status::ok);
  EXPECT_EQ(c.actions(), "stop_line");
  EXPECT_EQ(c.t.decision(), Decision::human);
  EXPECT_EQ(c.s.phase(), Phase::human);
  EXPECT_EQ(c.s.result().escalated, true);
  EXPECT_EQ(c.s.result().escalation, EscalationReason::other);
  EXPECT_EQ(c.hangup(), Status::ok);
  EXPECT_EQ(c.actions(), "end");
  EXPECT_EQ(c.s.result().outcome, Outcome::escalated);
  EXPECT_EQ(c.s.result().grade, "B");
}

TEST(SessionPeople, CustomerHangupAndVoicemail) {
  {
    Call c(core(), {{"name", "Ann"}});
    c.send(Event::customer_hangup(5000));
    EXPECT_EQ(c.actions(), "end");
    EXPECT_EQ(c.s.result().outcome, Outcome::no_answer);
    EXPECT_EQ(c.s.result().hangup, HangupReason::no_answer);
    EXPECT_EQ(c.s.result().duration_ms, 0u);
  }
  {
    Call c(core(), {{"name", "Ann"}});
    c.answer();
    c.hangup();
    EXPECT_EQ(c.t.decision(), Decision::ended);
    EXPECT_EQ(c.actions(), "end");
    EXPECT_EQ(c.s.result().outcome, Outcome::customer_hangup);
    EXPECT_EQ(c.s.result().duration_ms, 1000u);
  }
  {
    Call c(core(), {{"name", "Ann"}});
    c.answer();
    c.send(Event::voicemail(c.now += 2000));
    EXPECT_EQ(c.actions(), "hangup:voicemail | end");
    EXPECT_EQ(c.s.result().outcome, Outcome::voicemail);
    EXPECT_EQ(c.s.result().duration_ms, 2000u);
  }
}

TEST(SessionPeople, VoicemailBeforeTheAnswerHasNoDuration) {
  // duration_ms is "from answer to end (0 if never answered)".
  Call c(core(), {{"name", "Ann"}});
  ASSERT_EQ(c.send(Event::voicemail(1'700'000'000'000)), Status::ok);
  EXPECT_EQ(c.s.result().outcome, Outcome::voicemail);
  EXPECT_EQ(c.s.result().duration_ms, 0u);
}

TEST(SessionPeople, NoDurationInGradingWhenNobodyAnswered) {
  auto script = load(R"yaml(patter: 1
id: nodur
locale: en-US
intents:
  affirm: [yes]
start: a
nodes:
  a:
    say: A
    routes:
      - {intent: affirm, to: b}
  b: {say: B, hangup: completed}
grading:
  rules:
    - {grade: A, when: "duration_s > 60"}
  default: E
)yaml");
  for (EventType type : {EventType::customer_hangup, EventType::voicemail}) {
    Call c(script);
    Event e = type == EventType::voicemail ? Event::voicemail(1'700'000'000'000)
                                           : Event::customer_hangup(1'700'000'000'000);
    ASSERT_EQ(c.send(e), Status::ok);
    EXPECT_EQ(c.s.result().grade, "E") << to_string(type) << ": a call never answered lasted 0 s";
  }
}

// ---- errors --------------------------------------------------------------------

TEST(SessionErrors, ImpossibleEventsChangeNothing) {
  enum Where { fresh, robot, waiting, human, ended };
  struct Case {
    const char* what;
    Where where;
    std::function<Event(Call&)> event;
    Status status;
  };
  auto at = [](Call& c) { return c.now + 1000; };
  const std::vector<Case> cases = {
      {"utterance before answer", fresh, [&](Call& c) { return Event::utterance("yes", at(c)); },
       Status::not_answered},
      {"intent before answer", fresh, [&](Call& c) { return Event::intent_of(0, 1, at(c)); },
       Status::not_answered},
      {"silence before answer", fresh, [&](Call& c) { return Event::no_input(at(c)); },
       Status::not_answered},
      {"key before answer", fresh, [&](Call& c) { return Event::dtmf('1', at(c)); },
       Status::not_answered},
      {"timer before answer", fresh, [&](Call& c) { return Event::timer(at(c)); },
       Status::not_answered},
      {"grab before answer", fresh, [&](Call& c) { return Event::agent_joined(at(c)); },
       Status::not_answered},
      {"leave before answer", fresh, [&](Call& c) { return Event::agent_left(at(c)); },
       Status::not_answered},
      {"answered twice", robot, [&](Call& c) { return Event::answered(at(c)); },
       Status::already_answered},
      {"answered while waiting", waiting, [&](Call& c) { return Event::answered(at(c)); },
       Status::already_answered},
      {"utterance after end", ended, [&](Call& c) { return Event::utterance("yes", at(c)); },
       Status::call_ended},
      {"hangup after end", ended, [&](Call& c) { return Event::customer_hangup(at(c)); },
       Status::call_ended},
      {"answered after end", ended, [&](Call& c) { return Event::answered(at(c)); },
       Status::call_ended},
      {"silence while waiting", waiting, [&](Call& c) { return Event::no_input(at(c)); },
       Status::wrong_phase},
      {"key with a person", human, [&](Call& c) { return Event::dtmf('1', at(c)); },
       Status::wrong_phase},
      {"leave with no person", robot, [&](Call& c) { return Event::agent_left(at(c)); },
       Status::wrong_phase},
      {"join twice", human, [&](Call& c) { return Event::agent_joined(at(c)); },
       Status::wrong_phase},
      {"voicemail after transfer", waiting, [&](Call& c) { return Event::voicemail(at(c)); },
       Status::wrong_phase},
      {"unknown intent", robot, [&](Call& c) { return Event::intent_of(9999, 1, at(c)); },
       Status::unknown_intent},
      {"kNone intent", robot, [&](Call& c) { return Event::intent_of(kNone, 1, at(c)); },
       Status::unknown_intent},
      {"unknown node", human, [&](Call& c) { return Event::agent_left(at(c), 9999); },
       Status::unknown_node},
      {"bad key", robot, [&](Call& c) { return Event::dtmf('x', at(c)); }, Status::bad_key},
      {"NUL key", robot, [&](Call& c) { return Event::dtmf('\0', at(c)); }, Status::bad_key},
      {"time went back", robot, [&](Call& c) { return Event::utterance("yes", c.now - 1); },
       Status::time_went_back},
      {"time went back, hangup", robot, [&](Call& c) { return Event::customer_hangup(c.now - 1); },
       Status::time_went_back},
      {"unknown event", robot,
       [&](Call& c) {
         Event e = Event::timer(at(c));
         e.type = static_cast<EventType>(200);
         return e;
       },
       Status::unknown_event},
      {"unknown event after end", ended,
       [&](Call& c) {
         Event e = Event::timer(at(c));
         e.type = static_cast<EventType>(static_cast<int>(EventType::agent_said) + 1);  // one past
         return e;
       },
       Status::unknown_event},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.what);
    Call c(core(), {{"name", "Ann"}});
    if (k.where != fresh) c.answer();
    if (k.where == waiting || k.where == human) c.say("real person");
    if (k.where == human) c.send(Event::agent_joined(c.now += 1000));
    if (k.where == ended) c.say("no");
    const std::string before = c.s.snapshot();
    const Phase phase = c.s.phase();
    EXPECT_EQ(c.send(k.event(c)), k.status);
    EXPECT_EQ(c.t.status(), k.status);
    EXPECT_FALSE(c.t.ok());
    EXPECT_TRUE(is_error(k.status));
    EXPECT_TRUE(c.t.actions().empty());
    EXPECT_TRUE(c.t.path().empty());
    EXPECT_EQ(c.s.phase(), phase);
    EXPECT_EQ(c.s.snapshot(), before) << "an error leaves the session exactly as it was";
    EXPECT_NE(c.t.explain(*c.script).find(to_string(k.status)), std::string::npos);
    EXPECT_FALSE(describe(k.status).empty());
  }
}

TEST(SessionErrors, AnEventAtTheSameTimeIsNotTimeGoingBack) {
  Call c(core(), {{"name", "Ann"}});
  c.send(Event::answered(100));
  EXPECT_EQ(c.send(Event::utterance("who is this", 100)), Status::ok);
  EXPECT_EQ(c.send(Event::no_input(100)), Status::ok);
}

// ---- hooks ---------------------------------------------------------------------

namespace {

struct Recorder : Observer {
  const Script* script = nullptr;
  std::vector<std::string> log;
  bool throwing = false;
  void maybe_throw(const std::string& where) {
    if (throwing) throw std::runtime_error("hook " + where);
  }
  void node_entered(const Session& s, NodeId n) override {
    log.push_back("node:" + s.script().node(n).name);
    maybe_throw("node_entered");
  }
  void said(const Session&, const Action& a) override {
    log.push_back("said:" + std::string(a.text));
    maybe_throw("said");
  }
  void tagged(const Session& s, std::string_view tag) override {
    log.push_back("tagged:" + std::string(tag) + (s.tagged(tag) ? "" : "(not yet!)"));
    maybe_throw("tagged");
  }
  void escalated(const Session& s, const Action& a) override {
    log.push_back("escalated:" + std::string(to_string(a.escalation)) + ":" +
                  std::string(to_string(s.phase())));
    maybe_throw("escalated");
  }
  void turn(const Session&, const Turn& t) override {
    log.push_back("turn:" + std::string(to_string(t.decision())));
    maybe_throw("turn");
  }
  void call_ended(const Session& s, const CallResult& r) override {
    log.push_back("ended:" + std::string(to_string(r.outcome)) + ":" + r.grade +
                  (s.ended() ? "" : "(not yet!)"));
    maybe_throw("call_ended");
  }
};

const std::vector<std::string> kHookScript = {"yes", "who is this", "blah", "I am interested"};

}  // namespace

TEST(SessionHooks, CalledInTheDocumentedOrder) {
  Call c(core(), {{"name", "Ann"}});
  Recorder rec;
  c.s.set_observer(&rec);
  c.answer();
  EXPECT_EQ(rec.log, (std::vector<std::string>{"node:greet", "tagged:opened",
                                               "said:Hi Ann, got a minute?", "turn:start"}));
  rec.log.clear();
  c.say("how much");
  c.say("how much");  // goto pitch
  EXPECT_EQ(rec.log, (std::vector<std::string>{
                         "tagged:price_asked", "said:Ten euros.", "said:Hi Ann, got a minute?",
                         "turn:global", "node:pitch", "said:Offer for Paris: budget 0, vip false.",
                         "turn:global"}));
  rec.log.clear();
  c.say("no");
  EXPECT_EQ(rec.log, (std::vector<std::string>{"node:bye", "said:Goodbye.", "ended:hangup:D",
                                               "turn:route"}));
  rec.log.clear();
  EXPECT_EQ(c.say("hello?"), Status::call_ended);
  EXPECT_TRUE(rec.log.empty()) << "no hooks for a refused event";
}

TEST(SessionHooks, EscalationAndGradeTagsReachTheHooks) {
  Call c(core(), {{"name", "Ann"}});
  Recorder rec;
  c.s.set_observer(&rec);
  c.answer();
  c.say("yes");
  rec.log.clear();
  c.say("interested");
  EXPECT_EQ(rec.log, (std::vector<std::string>{"node:hot", "said:Connecting you.",
                                               "escalated:interested:waiting", "turn:route"}));
  c.send(Event::agent_joined(c.now += 1000));
  rec.log.clear();
  c.hangup();
  EXPECT_EQ(rec.log,
            (std::vector<std::string>{"tagged:high_intent", "ended:escalated:A", "turn:ended"}));
}

TEST(SessionHooks, AThrowingHookChangesNothing) {
  Call quiet(core(), {{"name", "Ann"}});
  Call loud(core(), {{"name", "Ann"}});
  Recorder rec;
  rec.throwing = true;
  loud.s.set_observer(&rec);
  quiet.answer();
  loud.answer();
  ASSERT_TRUE(loud.t.hook_error());
  EXPECT_EQ(loud.t.hook_error_message(), "hook node_entered") << "the first exception is kept";
  EXPECT_FALSE(quiet.t.hook_error());
  EXPECT_EQ(rec.log.size(), 4u) << "the other hooks still ran";
  for (const std::string& r : kHookScript) {
    SCOPED_TRACE(r);
    EXPECT_EQ(quiet.say(r), loud.say(r));
    EXPECT_EQ(quiet.actions(), loud.actions());
    EXPECT_EQ(quiet.t.decision(), loud.t.decision());
    EXPECT_TRUE(loud.t.hook_error());
    EXPECT_EQ(quiet.s.snapshot(), loud.s.snapshot());
  }
  EXPECT_EQ(quiet.hangup(), loud.hangup());
  EXPECT_EQ(quiet.s.result().to_json(*quiet.script), loud.s.result().to_json(*loud.script));

  struct Odd : Observer {
    void turn(const Session&, const Turn&) override { throw 42; }
  } odd;
  Call c(core(), {{"name", "Ann"}});
  c.s.set_observer(&odd);
  EXPECT_EQ(c.answer(), Status::ok);
  ASSERT_TRUE(c.t.hook_error());
  EXPECT_FALSE(c.t.hook_error_message().empty());
  c.say("who is this");  // a Turn reused: the previous error is cleared, then set again
  EXPECT_TRUE(c.t.hook_error());
  c.s.set_observer(nullptr);
  c.say("who is this");
  EXPECT_FALSE(c.t.hook_error());
  EXPECT_TRUE(c.t.hook_error_message().empty());
}

// ---- results -------------------------------------------------------------------

TEST(SessionResult, GradesFromRulesWithTheirTags) {
  struct Case {
    std::vector<std::string>
        replies;  // "<hangup>": the customer hangs up; "<join>": a person takes the call
    const char* grade;
    const char* last_tag;
    Outcome outcome;
  };
  const std::vector<Case> cases = {
      {{"stop calling"}, "E", "invalid", Outcome::hangup},
      {{"yes", "interested", "<join>", "<hangup>"}, "A", "high_intent", Outcome::escalated},
      {{"real person", "<join>", "<hangup>"}, "B", "opened", Outcome::escalated},
      {{"no"}, "D", "opened", Outcome::hangup},
      {{"driving"}, "C", "opened", Outcome::hangup},
      {{"<hangup>"}, "C", "opened", Outcome::customer_hangup},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.replies[0]);
    Call c(core(), {{"name", "Ann"}});
    c.answer();
    EXPECT_EQ(c.s.result().grade, "C") << "the default while the call runs";
    for (const std::string& r : k.replies)
      r == "<hangup>" ? c.hangup()
      : r == "<join>" ? c.send(Event::agent_joined(c.now += 1000))
                      : c.say(r);
    ASSERT_TRUE(c.s.ended());
    const CallResult res = c.s.result();
    EXPECT_EQ(res.grade, k.grade);
    EXPECT_EQ(res.outcome, k.outcome);
    ASSERT_FALSE(res.tags.empty());
    EXPECT_EQ(res.tags.back(), k.last_tag);
  }
}

TEST(SessionResult, ToJsonHasTheWholeCall) {
  Call c(core(), {{"name", "Ann"}});
  c.send(Event::answered(1000));
  c.send(Event::utterance("how much", 3000));
  c.send(Event::no_input(9000));
  c.send(Event::utterance("blah", 12000));
  c.send(Event::utterance("yes", 15000));
  c.send(Event::utterance("no \"thanks\"", 20500));
  ASSERT_TRUE(c.s.ended());
  const CallResult r = c.s.result();
  EXPECT_EQ(r.outcome, Outcome::hangup);
  EXPECT_EQ(r.hangup, HangupReason::not_interested);
  EXPECT_FALSE(r.escalated);
  EXPECT_EQ(r.grade, "D");
  EXPECT_EQ(r.turns, 4u);
  EXPECT_EQ(r.silences, 1u);
  EXPECT_EQ(r.no_matches, 1u);
  EXPECT_EQ(r.duration_ms, 19500u);
  EXPECT_EQ(r.score, 3 + 2 + 10 + 5 - 5);
  EXPECT_EQ(path_names(*c.script, r.path), "greet,pitch,bye");
  EXPECT_TRUE(r.transcript.empty());
  EXPECT_EQ(
      r.to_json(*c.script),
      "{\"script\":\"core\",\"version\":\"1.0\",\"fingerprint\":\"" + c.script->fingerprint() +
          "\",\"outcome\":\"hangup\",\"hangup\":\"not_interested\",\"escalated\":false,\"grade\":"
          "\"D\","
          "\"score\":15,\"turns\":4,\"silences\":1,\"no_matches\":1,\"duration_ms\":19500,"
          "\"tags\":[\"opened\",\"price_asked\",\"warm\"],\"path\":[\"greet\",\"pitch\",\"bye\"],"
          "\"variables\":{\"name\":\"Ann\",\"budget\":0,\"vip\":false,\"city\":\"Paris\"}}");
}

TEST(SessionResult, TranscriptIsCappedAndInTheJson) {
  Call c(core(), {{"name", "Ann"}}, SessionOptions{.transcript = 4});
  c.answer();
  EXPECT_EQ(c.s.transcript().size(), 1u);
  c.say("how much \"really\"");  // customer, answer, line again
  c.silence();                   // silence, reprompt
  c.key('9');                    // key, goodbye
  const auto& tr = c.s.transcript();
  ASSERT_EQ(tr.size(), 4u) << "the oldest went first";
  EXPECT_EQ(tr[0].who, TranscriptEntry::Who::silence);
  EXPECT_EQ(tr[1].who, TranscriptEntry::Who::robot);
  EXPECT_EQ(tr[1].text, "Hello?");
  EXPECT_EQ(tr[2].who, TranscriptEntry::Who::key);
  EXPECT_EQ(tr[2].text, "9");
  EXPECT_EQ(tr[3].text, "Goodbye.");
  EXPECT_EQ(tr[3].node, c.id("bye"));
  const std::string json = c.s.result().to_json(*c.script);
  EXPECT_NE(json.find("\"transcript\":[{\"who\":\"silence\""), std::string::npos) << json;
  EXPECT_NE(json.find("{\"who\":\"key\",\"at_ms\":13000,\"node\":\"greet\",\"text\":\"9\"}"),
            std::string::npos)
      << json;

  Call d(core(), {{"name", "Ann"}}, SessionOptions{.transcript = 10});
  d.answer();
  d.say("how much \"really\"");
  ASSERT_GE(d.s.transcript().size(), 2u);
  const TranscriptEntry& heard = d.s.transcript()[1];
  EXPECT_EQ(heard.who, TranscriptEntry::Who::customer);
  EXPECT_EQ(heard.intent, *d.script->find_intent("price"));
  EXPECT_EQ(heard.text, "how much \"really\"");
  EXPECT_NE(
      d.s.result().to_json(*d.script).find(R"("intent":"price","text":"how much \"really\"")"),
      std::string::npos)
      << d.s.result().to_json(*d.script);

  Call none(core(), {{"name", "Ann"}});
  none.answer();
  none.say("how much");
  EXPECT_TRUE(none.s.transcript().empty());
  EXPECT_EQ(none.s.result().to_json(*none.script).find("transcript"), std::string::npos);
}

// Found by tests/fuzz/snapshot_fuzzer.cpp: text that is not UTF-8 (from a
// host's variable, or a restored transcript) went into the JSON as it was.
TEST(SessionResult, ToJsonIsUtf8WhateverTheTextHeld) {
  // A host can no longer pass such a variable (Session::start refuses it),
  // but a transcript restored from another program's snapshot can hold it.
  Call c(core(), {{"name", "Ann"}}, SessionOptions{.transcript = 4});
  c.answer();
  CallResult said = c.s.result();
  ASSERT_EQ(said.transcript.size(), 1u);
  said.transcript[0].text = "Hi An\xFFn\xE5\xBE, got a minute?";
  const std::string json = said.to_json(*c.script);
  EXPECT_NE(json.find(R"("text":"Hi An\ufffdn\ufffd\ufffd, got a minute?")"), std::string::npos)
      << json;
  EXPECT_EQ(json.find('\xFF'), std::string::npos);

  CallResult r;
  r.tags = {"ok", "\xC0\xAF", "中\x80文"};
  const std::string tags = r.to_json(*c.script);
  EXPECT_NE(tags.find(R"("tags":["ok","\ufffd\ufffd","中\ufffd文"])"), std::string::npos) << tags;
}

// ---- snapshots -----------------------------------------------------------------

namespace {

// A call part-way: tags, score, variables, counters, a transcript.
Call mid_call() {
  Call c(core(), {{"name", "Ann"}, {"city", "Lyon"}}, SessionOptions{.transcript = 8});
  c.answer();
  c.say("how much");
  c.silence();
  c.say("blah");
  c.say("yes");
  return c;
}

}  // namespace

TEST(SessionSnapshot, RoundTripContinuesIdentically) {
  Call c = mid_call();
  const std::string bytes = c.s.snapshot();
  std::string reused = "leftovers";
  c.s.snapshot(reused);
  EXPECT_EQ(reused, bytes);
  Restored r = Session::restore(c.script, bytes);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r.code(), RestoreError::ok);
  Session& moved = *r;
  EXPECT_EQ(moved.snapshot(), bytes);
  EXPECT_EQ(moved.node(), c.s.node());
  EXPECT_EQ(moved.score(), c.s.score());
  EXPECT_EQ(moved.tags(), c.s.tags());
  EXPECT_EQ(moved.variable("city"), "Lyon");
  EXPECT_EQ(moved.transcript().size(), c.s.transcript().size());
  Turn t;
  for (const char* said : {"who is this", "what", "interested"}) {
    c.say(said);
    EXPECT_EQ(moved.step(Event::utterance(said, c.now), t), c.t.status());
    EXPECT_EQ(acts(t), c.actions()) << said;
  }
  EXPECT_EQ(moved.snapshot(), c.s.snapshot());
  EXPECT_EQ(moved.result().to_json(*c.script), c.s.result().to_json(*c.script));
}

TEST(SessionSnapshot, EveryPhaseRoundTrips) {
  std::vector<std::function<void(Call&)>> setups = {
      [](Call&) {},
      [](Call& c) { c.answer(); },
      [](Call& c) {
        c.answer();
        c.say("real person");
      },
      [](Call& c) {
        c.answer();
        c.send(Event::agent_joined(c.now += 1));
      },
      [](Call& c) {
        c.answer();
        c.say("no");
      },
  };
  for (auto& setup : setups) {
    Call c(core(), {{"name", "Ann"}});
    setup(c);
    Restored r = Session::restore(c.script, c.s.snapshot());
    ASSERT_TRUE(r.ok()) << to_string(c.s.phase()) << ": " << r.message();
    EXPECT_EQ(r->phase(), c.s.phase());
    EXPECT_EQ(r->snapshot(), c.s.snapshot());
  }
}

TEST(SessionSnapshot, AnotherScriptIsRefused) {
  Call c = mid_call();
  std::string other_yaml = kCore;
  other_yaml.replace(other_yaml.find("Goodbye."), 8, "Farewell");
  auto other = load(other_yaml);
  ASSERT_NE(other->fingerprint(), c.script->fingerprint());
  Restored r = Session::restore(other, c.s.snapshot());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.code(), RestoreError::other_script);
  EXPECT_NE(r.message().find(other->fingerprint()), std::string::npos) << r.message();

  // The same text loaded again is the same script.
  Restored same = Session::restore(load(kCore), c.s.snapshot());
  EXPECT_TRUE(same.ok()) << same.message();

  Restored none = Session::restore(nullptr, c.s.snapshot());
  EXPECT_FALSE(none.ok());
}

TEST(SessionSnapshot, CutAtEveryLength) {
  Call c = mid_call();
  const std::string bytes = c.s.snapshot();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    Restored r = Session::restore(c.script, std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.code(), n < 4 ? RestoreError::not_a_snapshot : RestoreError::truncated) << n;
    EXPECT_FALSE(r.message().empty());
  }
  Restored longer = Session::restore(c.script, bytes + "x");
  EXPECT_EQ(longer.code(), RestoreError::corrupted);
}

TEST(SessionSnapshot, AnyFlippedByteIsAnError) {
  Call c = mid_call();
  const std::string bytes = c.s.snapshot();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char bit : {0x01, 0x80}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ bit);
      Restored r = Session::restore(c.script, bad);
      ASSERT_FALSE(r.ok()) << "byte " << i << " bit " << int(bit);
      EXPECT_NE(r.code(), RestoreError::ok);
    }
  }
  EXPECT_EQ(Session::restore(c.script, "hello, world: not a snapshot").code(),
            RestoreError::not_a_snapshot);
}

namespace {

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 0x100000001b3ull;
  }
  return h;
}

// Recompute the trailing checksum, as a program that writes its own bytes would.
void reseal(std::string& bytes) {
  const std::uint64_t h = fnv1a(std::string_view(bytes).substr(0, bytes.size() - 8));
  for (std::size_t i = 0; i < 8; ++i)
    bytes[bytes.size() - 8 + i] = static_cast<char>((h >> (8 * i)) & 0xFF);
}

}  // namespace

TEST(SessionSnapshot, WrongVersionAndValuesOutOfRange) {
  Call c = mid_call();
  const std::string bytes = c.s.snapshot();
  ASSERT_EQ(bytes.substr(0, 4), "PTRS");
  {
    std::string v9 = bytes;
    v9[4] = 9;
    reseal(v9);
    Restored r = Session::restore(c.script, v9);
    EXPECT_EQ(r.code(), RestoreError::version);
    EXPECT_NE(r.message().find("format 9"), std::string::npos) << r.message();
  }
  {
    // Format 2 came before the state's single field list and the whole-script
    // fingerprint: refused as an earlier format, with what to do.
    std::string v2 = bytes;
    v2[4] = 2;
    reseal(v2);
    Restored r = Session::restore(c.script, v2);
    EXPECT_EQ(r.code(), RestoreError::version);
    EXPECT_NE(r.message().find("format 2 was written by an earlier patter"), std::string::npos)
        << r.message();
    EXPECT_NE(r.message().find("finish on the patter version that wrote them"), std::string::npos)
        << r.message();
  }
  // With a valid checksum, each value is still checked against the script.
  const std::size_t payload = 4 + 2 + 8 + 4;
  for (std::size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3},
                             std::size_t{4}, std::size_t{5}, std::size_t{6}}) {
    std::string bad = bytes;
    bad[payload + offset] = static_cast<char>(0xEE);  // phase, outcome, reasons, flags, grade, node
    reseal(bad);
    Restored r = Session::restore(c.script, bad);
    EXPECT_EQ(r.code(), RestoreError::corrupted) << "payload byte " << offset;
  }
  // Every byte of the payload replaced with valid checksums: an error or a
  // session, never a crash.
  for (std::size_t i = payload; i + 8 < bytes.size(); ++i) {
    for (unsigned char value : {0x00, 0x01, 0x7F, 0xFF}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(value);
      reseal(bad);
      Restored r = Session::restore(c.script, bad);
      if (!r.ok()) continue;
      Turn t;
      r->step(Event::utterance("who is this", 1'000'000), t);
      r->step(Event::no_input(1'000'001), t);
      (void)r->result().to_json(*c.script);
      (void)r->snapshot();
    }
  }
}

// Found by tests/fuzz/snapshot_fuzzer.cpp: a snapshot could list a tag the
// call did not hold (or one twice), so tags() and tagged() disagreed.
TEST(SessionSnapshot, TagsListedMustBeTheTagsHeld) {
  Call c(core(), {{"name", "Ann"}});  // no transcript: the tags end the payload
  c.answer();
  c.say("how much");
  ASSERT_EQ(c.s.tags(), (std::vector<std::string_view>{"opened", "price_asked"}));
  const std::string bytes = c.s.snapshot();
  // The last log entry's low half: before its high half, the transcript's
  // presence byte and the checksum.
  const std::size_t last_tag = bytes.size() - 8 - 1 - 2 - 2;
  const TagId held = *c.script->find_tag("opened"), not_held = *c.script->find_tag("warm");
  ASSERT_EQ(static_cast<unsigned char>(bytes[last_tag]), *c.script->find_tag("price_asked"));
  for (TagId wrong : {held, not_held}) {
    std::string bad = bytes;
    bad[last_tag] = static_cast<char>(wrong);
    reseal(bad);
    Restored r = Session::restore(c.script, bad);
    EXPECT_FALSE(r.ok()) << c.script->tags()[wrong];
    EXPECT_EQ(r.code(), RestoreError::corrupted);
  }
}

// Found by tests/fuzz/snapshot_fuzzer.cpp: a snapshot could hold a running
// call with an outcome, or an ended one without.
TEST(SessionSnapshot, AnOutcomeExactlyWhenEnded) {
  const std::size_t phase = 4 + 2 + 8 + 4, outcome = phase + 1;
  Call running(core(), {{"name", "Ann"}});
  running.answer();
  Call ended(core(), {{"name", "Ann"}});
  ended.answer();
  ended.say("no");
  ASSERT_TRUE(ended.s.ended());
  ASSERT_NE(ended.s.outcome(), Outcome::none);
  std::string bad = running.s.snapshot();
  bad[outcome] = static_cast<char>(Outcome::completed);
  reseal(bad);
  EXPECT_EQ(Session::restore(running.script, bad).code(), RestoreError::corrupted);
  bad = ended.s.snapshot();
  bad[outcome] = static_cast<char>(Outcome::none);
  reseal(bad);
  EXPECT_EQ(Session::restore(ended.script, bad).code(), RestoreError::corrupted);
  bad = ended.s.snapshot();
  bad[phase] = static_cast<char>(Phase::waiting);
  reseal(bad);
  EXPECT_EQ(Session::restore(ended.script, bad).code(), RestoreError::corrupted);
}

TEST(SessionSnapshot, CopiesAreForksOfTheCall) {
  Call c = mid_call();
  Session fork = c.s;
  Turn t;
  c.say("interested");
  fork.step(Event::utterance("no", c.now), t);
  EXPECT_EQ(c.s.phase(), Phase::waiting);
  EXPECT_TRUE(fork.ended());
  EXPECT_EQ(fork.result().hangup, HangupReason::not_interested);
  EXPECT_GT(c.s.memory_bytes(), sizeof(Session));
}

// ---- bad input through step ----------------------------------------------------

TEST(SessionInput, AnyBytesAreHandled) {
  struct Case {
    const char* what;
    std::string text;
    Status status;
    const char* node;  // where the call is afterwards
  };
  const std::vector<Case> cases = {
      {"invalid UTF-8 around a phrase", "yes\xFF\xFE", Status::ok, "pitch"},
      {"a lone continuation byte", "\x80", Status::ignored, "greet"},
      {"truncated sequence", "sure\xE4\xB8", Status::ok, "pitch"},
      {"overlong NUL", std::string("\xC0\x80yes"), Status::ok, "pitch"},
      {"control characters", std::string("\x01\x02yes\x07\x1B[0m"), Status::ok, "pitch"},
      {"embedded NUL", std::string("yes\0no", 6), Status::ok, "bye"},  // negate outranks affirm
      {"emoji", "👍 yes 😀", Status::ok, "pitch"},
      {"emoji only", "😀😀😀", Status::ignored, "greet"},  // symbols only separate words
      {"right-to-left marks", "\u202Eyes\u202C", Status::ok, "pitch"},
      {"a megabyte of text", std::string(1 << 20, 'a'), Status::ok, "question"},
      {"a megabyte after the answer", "yes " + std::string(1 << 20, 'x'), Status::ok, "pitch"},
      {"a megabyte of spaces", std::string(1 << 20, ' '), Status::ignored, "greet"},
      {"a megabyte of invalid bytes", std::string(1 << 20, '\xFF'), Status::ignored, "greet"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.what);
    Call c(core(), {{"name", "Ann"}}, SessionOptions{.transcript = 4});
    c.answer();
    EXPECT_EQ(c.say(k.text), k.status);
    EXPECT_EQ(c.node(), k.node);
    for (const TranscriptEntry& e : c.s.transcript()) EXPECT_LE(e.text.size(), 1024u);
    // The call goes on and its bytes survive a round trip.
    Restored r = Session::restore(c.script, c.s.snapshot());
    ASSERT_TRUE(r.ok()) << r.message();
    const std::string json = c.s.result().to_json(*c.script);
    EXPECT_EQ(json.front(), '{');
    EXPECT_EQ(json.back(), '}');
  }
}

TEST(SessionInput, ExplainSaysWhatHappened) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  EXPECT_NE(c.t.explain(*c.script).find("start at `greet`"), std::string::npos);
  c.say("yes");
  const std::string why = c.t.explain(*c.script);
  EXPECT_NE(why.find("route 1 of `greet`"), std::string::npos) << why;
  EXPECT_NE(why.find("`pitch`"), std::string::npos) << why;
  c.say("how much");
  EXPECT_NE(c.t.explain(*c.script).find("global handler 4"), std::string::npos)
      << c.t.explain(*c.script);
}

// ---- captures, hand-back edges, copies -----------------------------------------

TEST(SessionCaptures, PatternsFillVariablesThatLinesAndGuardsRead) {
  auto script = load(R"yaml(patter: 1
id: captures
locale: zh-CN
variables:
  age: {type: number, default: 0}
  city: {type: string, default: 本地}
intents:
  tell_age: {patterns: ['(?<age>[\d]+|[零一二两三四五六七八九十]+)岁']}
  tell_city: {patterns: ['在(?<city>\p{Han}{2})']}
start: ask
nodes:
  ask:
    say: 您多大了？住在哪里？
    routes:
      - {intent: tell_age, when: "age < 18", to: young}
      - {intent: tell_age, to: adult}
      - {intent: tell_city, to: ask}
  young: {say: "{age}岁还小，{city}见。", hangup: completed}
  adult: {say: "{age}岁，{city}，好的。", hangup: completed}
)yaml");
  struct Case {
    std::vector<std::string> replies;
    const char* line;
  };
  for (const Case& k :
       {Case{{"我十七岁"}, "17岁还小，本地见。"}, Case{{"三十五岁"}, "35岁，本地，好的。"},
        Case{{"我住在上海", "二十岁"}, "20岁，上海，好的。"}}) {
    Call c(script);
    c.answer();
    for (const std::string& r : k.replies) c.say(r);
    ASSERT_TRUE(c.s.ended()) << k.line;
    EXPECT_EQ(c.t.actions()[0].text, k.line);
  }
}

TEST(SessionPeople, HandBackAtAnEndingEndsTheCall) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  c.say("real person");
  c.send(Event::agent_joined(c.now += 1000));
  EXPECT_EQ(c.send(Event::agent_left(c.now += 1000, c.id("bye"))), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::hand_back);
  EXPECT_EQ(c.actions(), "say:Goodbye. | hangup:not_interested | end");
  EXPECT_EQ(c.s.result().outcome, Outcome::escalated);
  EXPECT_EQ(c.s.result().hangup, HangupReason::not_interested);
}

// A person talked with the customer for longer than the robot's turn limit,
// then handed the call back: the robot takes the call back and asks its
// question. The replies made to the person count in `turns` (the call's
// statistics), not against `limits.max_turns`, which is there to stop the
// robot going round in circles.
TEST(SessionPeople, HandBackIsNotClosedByThePersonsTurns) {
  auto script = load(limit_script("  max_turns: 3\n", true));
  ASSERT_TRUE(script);
  Call c(script);
  c.answer();
  c.send(Event::agent_joined(c.now += 1000));
  for (int i = 0; i < 5; ++i) c.say("we talk");
  EXPECT_EQ(c.s.turns(), 5u);
  c.send(Event::agent_left(c.now += 1000, c.id("a")));
  EXPECT_EQ(c.actions(), "say:A | listen:6000");
  // The robot's own three replies still end it, and survive a snapshot.
  Restored r = Session::restore(script, c.s.snapshot());
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->snapshot(), c.s.snapshot());
}

TEST(SessionSnapshot, CopyAssignmentForksAndRestoredSessionsTakeAnObserver) {
  Call a = mid_call();
  Call b(core(), {{"name", "Bo"}});
  b.s = a.s;
  EXPECT_EQ(b.s.snapshot(), a.s.snapshot());
  Restored r = Session::restore(a.script, a.s.snapshot());
  ASSERT_TRUE(r.ok());
  Recorder rec;
  r->set_observer(&rec);
  Turn t;
  r->step(Event::utterance("interested", a.now + 1000), t);
  EXPECT_EQ(rec.log.back(), "turn:route");
}

// ---- input past the limits (docs/limits.md) ---------------------------------------

// A reply of a mebibyte: the matcher reads its first Normalizer::kMaxBytes
// and says so, the transcript keeps its first KiB, and the call goes on
// with a snapshot as small as ever. Words past the cap are never heard.
TEST(SessionHugeInput, AMebibyteReplyIsReadUpToTheCapAndTheCallGoesOn) {
  Call c(core(), {{"name", "Ann"}}, SessionOptions{.transcript = 8});
  c.answer();
  std::string huge = "yes ";
  while (huge.size() < (1u << 20)) huge += "and then some more words ";
  ASSERT_EQ(c.say(huge), Status::ok);
  EXPECT_TRUE(c.t.understanding().truncated());
  EXPECT_LE(c.t.understanding().normalized().size(), Normalizer::kMaxBytes);
  EXPECT_EQ(c.t.decision(), Decision::route);
  EXPECT_EQ(c.node(), "pitch");
  std::size_t customer_lines = 0;
  for (const TranscriptEntry& e : c.s.transcript()) {
    if (e.who != TranscriptEntry::Who::customer) continue;
    ++customer_lines;
    EXPECT_LE(e.text.size(), 1024u);
    EXPECT_EQ(e.text.rfind("yes and then", 0), 0u);
  }
  EXPECT_EQ(customer_lines, 1u);
  const std::string snap = c.s.snapshot();
  EXPECT_LT(snap.size(), 4096u);
  ASSERT_TRUE(Session::restore(c.script, snap).ok());
  ASSERT_EQ(c.say("interested"), Status::ok);
  EXPECT_EQ(c.node(), "hot");

  Call late(core(), {{"name", "Bo"}});
  late.answer();
  std::string words;
  while (words.size() < (1u << 20)) words += "blah ";
  ASSERT_EQ(late.say(words + "yes"), Status::ok);
  EXPECT_TRUE(late.t.understanding().truncated());
  EXPECT_FALSE(late.t.understanding().matched());
  EXPECT_EQ(late.t.decision(), Decision::long_reply);
  EXPECT_EQ(late.node(), "question");

  // A mebibyte of bytes that are not UTF-8 is read up to the cap too; with
  // no word in it, it is no reply at all.
  Call bad(core(), {{"name", "Cy"}});
  bad.answer();
  ASSERT_EQ(bad.say(std::string(1u << 20, '\xFF')), Status::ignored);
  EXPECT_TRUE(bad.t.understanding().invalid_utf8());
  EXPECT_TRUE(bad.t.understanding().truncated());
  EXPECT_EQ(bad.s.phase(), Phase::robot);
  EXPECT_EQ(bad.node(), "greet");
  ASSERT_EQ(bad.say(std::string(1u << 20, '\xFF') + "yes"), Status::ignored);
  ASSERT_EQ(bad.say("\xFF\xFEyes"), Status::ok);
  EXPECT_EQ(bad.node(), "pitch");
}

// Names the script does not have, however long, are clear errors that
// change nothing: an intent from the host's NLU (the host, like the Python
// binding, finds no id for the name and passes one out of range), a
// variable at the start of a call, a number too long to be one.
TEST(SessionHugeInput, AMebibyteNameIsAClearErrorThatChangesNothing) {
  Call c(core(), {{"name", "Ann"}});
  c.answer();
  const std::string huge(1u << 20, 'a');
  EXPECT_FALSE(c.script->find_intent(huge).has_value());
  const std::string before = c.s.snapshot();
  EXPECT_EQ(
      c.send(Event::intent_of(static_cast<IntentId>(c.script->intents().size()), 1, c.now + 1000)),
      Status::unknown_intent);
  EXPECT_EQ(c.send(Event::intent_of(kNone, 1, c.now + 1000)), Status::unknown_intent);
  EXPECT_EQ(c.s.snapshot(), before);
  EXPECT_NE(describe(Status::unknown_intent).find("intent"), std::string_view::npos);

  const VariableValue unknown[] = {{"name", "Ann"}, {huge, "x"}};
  Started s = Session::start(c.script, unknown);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("is not declared in script `core`"), std::string::npos);

  const std::string digits(1u << 20, '9');
  const VariableValue number[] = {{"name", "Ann"}, {"budget", digits}};
  s = Session::start(c.script, number);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("is a number"), std::string::npos);

  // Error messages quote a huge name or value by its head only.
  EXPECT_LT(Session::start(c.script, unknown).message().size(), 400u);
  EXPECT_LT(s.message().size(), 400u);

  // A text value is the host's own: kept whole up to a mebibyte, and said.
  const std::string city(1u << 20, 'z');
  const VariableValue text[] = {{"name", "Ann"}, {"city", city}};
  Call big(core(), std::span<const VariableValue>(text));
  big.answer();
  ASSERT_EQ(big.say("yes"), Status::ok);
  std::size_t said = 0;
  for (const Action& a : big.t.actions())
    if (a.type == ActionType::say) said = a.text.size();
  EXPECT_GT(said, city.size());
  EXPECT_EQ(big.s.variable("city")->size(), city.size());
}

// A text value past a mebibyte, or not UTF-8, is refused at the start of the
// call with the variable's name and what to do: the robot would say it.
TEST(SessionHugeInput, TextValuesPastAMebibyteOrNotUtf8AreRefused) {
  const std::string over((1u << 20) + 1, 'z');
  const VariableValue big[] = {{"name", "Ann"}, {"city", over}};
  Started s = Session::start(core(), big);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("variable `city` is 1048577 bytes long"), std::string::npos)
      << s.message();
  EXPECT_LT(s.message().size(), 200u);

  const VariableValue latin1[] = {{"name",
                                   "Ren\xE9"
                                   "e"}};
  s = Session::start(core(), latin1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("variable `name` is not UTF-8 (byte 3"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("convert the text to UTF-8"), std::string::npos);

  const VariableValue fine[] = {{"name", "Renée"}, {"city", "上海"}};
  EXPECT_TRUE(Session::start(core(), fine).ok());
}
