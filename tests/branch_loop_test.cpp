// Decision loops (P064): a loop that a certain `set:` on the way breaks is
// no warning; a loop that can go round for ever still is. And what the
// check builds on: evaluating a guard when only some variables are known.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <string>

#include "script/expr_known.hpp"
#include "session_support.hpp"

namespace {

using namespace patter;
using session_testing::Call;

// A form as in formbot: a decision node that checks the answer, and a node
// that says it is wrong, forgets it and goes back to the decision node.
std::string form(const std::string& wrong_cuisine_set, const std::string& wrong_people_set) {
  return R"yaml(patter: 1
id: form
locale: en-US
variables:
  cuisine: ""
  people: 0
  checked: false
intents:
  cuisine:
    patterns: ['(?<cuisine>chinese|greek|thai)']
  any_number: [people]
start: form
nodes:
  form:
    branch:
      - when: "cuisine != '' and lower(cuisine) not in ['chinese', 'greek']"
        to: wrong_cuisine
      - when: "cuisine == ''"
        to: ask_cuisine
      - when: "people < 0 or not whole(people)"
        to: wrong_people
      - when: "people == 0"
        to: ask_people
      - to: done
  wrong_cuisine:
    set: )yaml" +
         wrong_cuisine_set + R"yaml(
    say: We do not have that one.
    next: form
  wrong_people:
    set: )yaml" +
         wrong_people_set + R"yaml(
    say: A whole number, please.
    next: form
  ask_cuisine:
    say: What cuisine?
    routes:
      - {intent: cuisine, to: form}
  ask_people:
    say: How many?
    capture: people
    routes:
      - {intent: any, to: form}
  done:
    say: "Done: {cuisine} for {people}."
    hangup: completed
)yaml";
}

bool warns(const LoadResult& r) {
  for (const auto& d : r.diagnostics)
    if (d.code == Code::branch_loop) return true;
  return false;
}

std::string loop_warning(const LoadResult& r) {
  for (const auto& d : r.diagnostics)
    if (d.code == Code::branch_loop) return format(d);
  return {};
}

TEST(BranchLoop, ASetThatMakesTheGuardFalseIsNoLoop) {
  auto r = load_string(form("{cuisine: \"\"}", "{people: 0}"), "form.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(warns(r)) << loop_warning(r);

  // And the call does what the check says: one round, then a question.
  Call c(r.script);
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("thai"), Status::ok);
  EXPECT_NE(c.actions().find("We do not have that one."), std::string::npos) << c.actions();
  EXPECT_NE(c.actions().find("What cuisine?"), std::string::npos) << c.actions();
  EXPECT_FALSE(c.s.ended());
  ASSERT_EQ(c.say("greek"), Status::ok);
  ASSERT_EQ(c.say("2.5 people"), Status::ok);
  EXPECT_NE(c.actions().find("A whole number, please."), std::string::npos) << c.actions();
  EXPECT_NE(c.actions().find("How many?"), std::string::npos) << c.actions();
  ASSERT_EQ(c.say("4 people"), Status::ok);
  EXPECT_NE(c.actions().find("Done: greek for 4."), std::string::npos) << c.actions();
}

TEST(BranchLoop, ASetThatKeepsTheGuardTrueIsStillALoop) {
  // `cuisine: "{cuisine}"` changes nothing; `people: -1` keeps `people < 0`.
  EXPECT_TRUE(warns(load_string(form("{cuisine: \"{cuisine}\"}", "{people: 0}"), "f.yaml")));
  EXPECT_TRUE(warns(load_string(form("{cuisine: \"\"}", "{people: -1}"), "f.yaml")));
  EXPECT_TRUE(warns(load_string(form("{cuisine: \"\"}", "{people: 2.5}"), "f.yaml")));
  // A value that is not certain breaks nothing.
  EXPECT_TRUE(warns(load_string(form("{cuisine: \"\"}", "{people: \"people + 1\"}"), "f.yaml")));
  // A set of a variable no guard reads neither.
  EXPECT_TRUE(warns(load_string(form("{cuisine: \"\"}", "{checked: true}"), "f.yaml")));
  // A calculation from a known value is certain.
  EXPECT_FALSE(warns(load_string(form("{cuisine: \"\"}", "{people: \"3 - 3\"}"), "f.yaml")));
}

// Two ways round that undo each other's set: x == 1 is true again every
// other round, so the call goes round for ever.
const char* kSeesaw = R"yaml(patter: 1
id: seesaw
locale: en-US
variables:
  x: 0
intents:
  affirm: [yes]
  deny: ["no"]
start: ask
nodes:
  ask:
    say: Ready?
    routes:
      - {intent: affirm, to: pick}
      - {intent: deny, to: bye}
  bye:
    say: Bye.
    hangup: completed
  pick:
    branch:
      - {when: "x == 1", to: two}
      - {when: "x > 2", to: bye}
      - to: one
  one:
    set: {x: 1}
    next: pick
  two:
    set: {x: 2}
    next: pick
)yaml";

TEST(BranchLoop, SetsThatUndoEachOtherStillWarnAndTheCallEnds) {
  auto r = load_string(kSeesaw, "seesaw.yaml");
  ASSERT_TRUE(r.ok());
  const std::string w = loop_warning(r);
  EXPECT_NE(w.find("seesaw.yaml:19:3"), std::string::npos) << w;  // at `pick`
  EXPECT_NE(w.find("`one`"), std::string::npos) << w;
  EXPECT_NE(w.find("`two`"), std::string::npos) << w;
  Call c(r.script);
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_NE(c.actions().find("hangup:error"), std::string::npos) << c.actions();
}

// The otherwise branch loops until a set makes an earlier guard true.
TEST(BranchLoop, ASetThatMakesAnEarlierBranchTrueIsNoLoop) {
  std::string yaml = kSeesaw;
  const std::string from = "set: {x: 2}\n    next: pick";
  yaml.replace(yaml.find(from), from.size(), "say: Done.\n    hangup: completed");
  // pick: x == 1 -> two (ends); otherwise -> one, which sets x to 1.
  auto r = load_string(yaml, "otherwise.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(warns(r)) << loop_warning(r);
}

std::optional<bool> decide(const std::string& guard, std::optional<Value> cuisine) {
  // The guard compiled as the first branch of the form, with its names.
  std::string yaml = form("{cuisine: \"\"}", "{people: 0}");
  const std::string first = "cuisine != '' and lower(cuisine) not in ['chinese', 'greek']";
  yaml.replace(yaml.find(first), first.size(), guard);
  auto g = load_string(yaml, "g.yaml");
  EXPECT_TRUE(g.ok()) << guard;
  if (!g.ok()) return std::nullopt;
  const Expr& e = g.script->node(g.script->start()).branches[0].guard;
  const VariableId id = *g.script->find_variable("cuisine");
  auto v = detail::evaluate_known(
      e, [&](std::uint32_t i) { return i == id ? cuisine : std::nullopt; }, true);
  if (!v) return std::nullopt;
  return v->truthy();
}

TEST(BranchLoop, GuardsAreDecidedFromWhatIsKnown) {
  const Value empty = Value::of(std::string_view(""));
  const Value thai = Value::of(std::string_view("Thai"));
  EXPECT_EQ(decide("cuisine != '' and people > 0", empty), false);
  EXPECT_EQ(decide("people > 0 and cuisine != ''", empty), false);  // either side decides
  EXPECT_EQ(decide("people > 0 or cuisine == ''", empty), true);
  EXPECT_EQ(decide("people > 0 or cuisine != ''", empty), std::nullopt);
  EXPECT_EQ(decide("people > 0 and cuisine != ''", std::nullopt), std::nullopt);
  EXPECT_EQ(decide("lower(cuisine) in ['thai']", thai), true);
  EXPECT_EQ(decide("lower(cuisine) not in ['thai'] or turns > 3", thai), std::nullopt);
  EXPECT_EQ(decide("(people > 1 or people < 2) and cuisine == 'Thai'", thai), std::nullopt);
  EXPECT_EQ(decide("not (cuisine == 'Thai') and visits('form') > 0", thai), false);
}

}  // namespace
