// Slots and decisions: `set:` on routes, nodes and handlers, a node's own
// `capture:`, decision nodes (`branch:`) and phrasings chosen by a guard.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <memory>
#include <string>

#include "session_support.hpp"

namespace {

using namespace patter;
using session_testing::Call;

std::shared_ptr<const Script> load(std::string_view yaml) {
  return session_testing::load(yaml, "slots.yaml");
}

std::string value(const Call& c, std::string_view name) {
  return c.s.variable(name).value_or("<none>");
}

const char* kBooking = R"yaml(patter: 1
id: booking
locale: en-US
variables:
  outdoor: false
  party: 2
  note: ""
  city: Paris
  vip: false
  asked: 0
intents:
  affirm: [yes, sure]
  negate: ["no", nope]
  ask_who:
    phrases: [who is this]
  book:
    examples: [i would like to book a table for dinner, can i reserve a table tonight]
start: ask_outdoor
nodes:
  ask_outdoor:
    say: Would you like to sit outside?
    routes:
      - intent: affirm
        to: ask_size
        set: {outdoor: true, party: "party + 1", note: "outside in {city}"}
      - intent: negate
        to: ask_size
  ask_size:
    set: {asked: "asked + 1"}
    say: "Table for {party} in {city}, outdoor {outdoor}. How many of you? ({asked})"
    capture: party
    routes:
      - intent: any
        to: ask_note
  ask_note:
    say: Anything we should know?
    capture: note
    routes:
      - intent: book
        to: decide
      - intent: any
        to: decide
  decide:
    branch:
      - when: "party >= 6"
        to: big
        set: {vip: true}
      - when: "note == ''"
        to: plain
      - to: noted
  big:
    say:
      - {text: "A big party of {party}, our VIP room.", when: vip}
      - A table for {party}.
    hangup: completed
  plain:
    say: Booked.
    hangup: completed
  noted:
    say: "Noted: {note}"
    hangup: completed
globals:
  - intent: ask_who
    say: This is the Bistro.
    set: {city: Lyon}
)yaml";

TEST(SessionSlots, RouteSetAssignsInOrderBeforeTheTarget) {
  Call c(load(kBooking));
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_EQ(value(c, "outdoor"), "true");
  EXPECT_EQ(value(c, "party"), "3");
  EXPECT_EQ(value(c, "note"), "outside in Paris");
  // The node's own `set` ran on entry, before its line.
  EXPECT_EQ(value(c, "asked"), "1");
  EXPECT_NE(c.actions().find("Table for 3 in Paris, outdoor true. How many of you? (1)"),
            std::string::npos)
      << c.actions();
}

TEST(SessionSlots, HandlerSetAndResume) {
  Call c(load(kBooking));
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("no"), Status::ok);
  ASSERT_EQ(c.say("who is this"), Status::ok);
  EXPECT_EQ(value(c, "city"), "Lyon");
  // A question the knowledge base answers is not the answer the node asked for.
  EXPECT_EQ(value(c, "party"), "2");
  EXPECT_EQ(c.node(), "ask_size");
  // Said again on resume: the node's line, set on the first entry only.
  EXPECT_NE(c.actions().find("in Lyon"), std::string::npos) << c.actions();
  EXPECT_EQ(value(c, "asked"), "1");
}

TEST(SessionSlots, NodeCaptureTakesTheNumberAndTheWholeReplyOnlyAtItsNode) {
  Call c(load(kBooking));
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("no"), Status::ok);
  ASSERT_EQ(c.say("We are 4 people"), Status::ok);
  EXPECT_EQ(value(c, "party"), "4");
  EXPECT_EQ(value(c, "note"), "");  // not captured at ask_size
  ASSERT_EQ(c.say("  Gluten-FREE, table #12 & a high chair!  "), Status::ok);
  // The customer's own text: case, digits and symbols kept, spaces trimmed.
  EXPECT_EQ(value(c, "note"), "Gluten-FREE, table #12 & a high chair!");
  EXPECT_EQ(value(c, "party"), "4");  // a later reply elsewhere leaves it alone
  EXPECT_EQ(c.node(), "noted");
  EXPECT_NE(c.actions().find("Noted: Gluten-FREE, table #12 & a high chair!"), std::string::npos);
}

TEST(SessionSlots, NodeCaptureOfBytesThatAreNotUtf8KeepsUtf8) {
  Call c(load(kBooking));
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("no"), Status::ok);
  ASSERT_EQ(c.say("two"), Status::ok);
  // A recogniser that sends stray bytes: what is kept and said back is
  // UTF-8, the bad bytes shown as U+FFFD, the rest as said.
  ASSERT_EQ(c.say(std::string("Window \x80\x81seat \xe3\x80") + "please"), Status::ok);
  EXPECT_EQ(value(c, "note"), "Window \xEF\xBF\xBD\xEF\xBF\xBDseat \xEF\xBF\xBD\xEF\xBF\xBDplease");
  EXPECT_NE(c.actions().find("Noted: Window \xEF\xBF\xBD"), std::string::npos) << c.actions();
}

TEST(SessionSlots, NodeCaptureKeepsTheSimilarityFallback) {
  Call c(load(kBooking));
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("no"), Status::ok);
  ASSERT_EQ(c.say("three"), Status::ok);
  ASSERT_EQ(c.say("I would like to book a table for dinner please"), Status::ok);
  // The example-similarity fallback still found `book`: route 1, not `any`.
  EXPECT_EQ(c.t.decision(), Decision::route);
  EXPECT_EQ(c.t.index(), 0u);
  ASSERT_FALSE(c.t.understanding().intents().empty());
  EXPECT_EQ(c.script->intent(c.t.understanding().intents()[0].intent).name, "book");
  EXPECT_EQ(value(c, "note"), "I would like to book a table for dinner please");
}

TEST(SessionSlots, BranchIsTakenWithoutAReplyAndItsSetRuns) {
  Call c(load(kBooking));
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("no"), Status::ok);
  ASSERT_EQ(c.say("eight of us"), Status::ok);
  ASSERT_EQ(c.say("nothing"), Status::ok);
  EXPECT_EQ(c.path(), "decide,big");
  EXPECT_EQ(value(c, "vip"), "true");
  // The decision node has no line: it says nothing; the guarded phrasing holds.
  EXPECT_EQ(c.actions(), "say:A big party of 8, our VIP room. | hangup:completed | end");
}

TEST(SessionSlots, BranchOtherwiseAndPlainPhrasing) {
  Call c(load(kBooking));
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("no"), Status::ok);
  ASSERT_EQ(c.say("two"), Status::ok);
  ASSERT_EQ(c.say("a quiet corner"), Status::ok);
  EXPECT_EQ(c.path(), "decide,noted");
  EXPECT_EQ(value(c, "vip"), "false");
}

TEST(SessionSlots, DecisionNodeSaysItsLineThenGoesOnWithoutListening) {
  std::string yaml = kBooking;
  const std::string from = "  decide:\n    branch:";
  yaml.replace(yaml.find(from), from.size(), "  decide:\n    say: Let me check.\n    branch:");
  Call c(load(yaml));
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("no"), Status::ok);
  ASSERT_EQ(c.say("two"), Status::ok);
  ASSERT_EQ(c.say("nothing"), Status::ok);
  EXPECT_EQ(c.actions(), "say:Let me check. | say:Noted: nothing | hangup:completed | end");
  EXPECT_EQ(c.path(), "decide,noted");
}

const char* kLines = R"yaml(patter: 1
id: lines
locale: en-US
variables:
  vip: false
  city: ""
intents:
  affirm: [yes]
  again: [again]
  stop: [stop]
start: ask
nodes:
  ask:
    say:
      - {text: "Welcome back, our VIP.", when: vip}
      - First plain.
      - {text: "Hello from {city}.", when: "city != ''"}
      - Second plain.
    routes:
      - {intent: again, to: ask}
      - {intent: stop, to: bye}
      - {intent: affirm, to: ask, set: {vip: true}}
      - {intent: any, to: ask, set: {city: Rome}}
  bye:
    say: Bye.
    hangup: completed
limits:
  close: bye
)yaml";

TEST(SessionSlots, GuardedPhrasingFirstThenPlainOnesInTurn) {
  Call c(load(kLines));
  ASSERT_EQ(c.answer(), Status::ok);
  EXPECT_EQ(c.actions(), "say:First plain. | listen:6000");
  ASSERT_EQ(c.say("again"), Status::ok);
  EXPECT_EQ(c.actions(), "say:Second plain. | listen:6000");
  ASSERT_EQ(c.say("again"), Status::ok);
  EXPECT_EQ(c.actions(), "say:First plain. | listen:6000");
  ASSERT_EQ(c.say("whatever"), Status::ok);  // city set: its guarded phrasing
  EXPECT_EQ(c.actions(), "say:Hello from Rome. | listen:6000");
  ASSERT_EQ(c.say("yes"), Status::ok);  // both guards hold: the first written wins
  EXPECT_EQ(c.actions(), "say:Welcome back, our VIP. | listen:6000");
}

const char* kLoop = R"yaml(patter: 1
id: loop
locale: en-US
variables:
  n: 0
intents:
  affirm: [yes]
start: ask
nodes:
  ask:
    say: Ready?
    routes:
      - {intent: affirm, to: a}
  a:
    set: {n: "n + 1"}
    branch:
      - {when: "n < 100000", to: b}
      - to: bye
  b:
    branch:
      - to: a
  bye:
    say: Bye.
    hangup: completed
)yaml";

TEST(SessionSlots, DecisionLoopWarnsAndEndsTheCallAtTheStepLimit) {
  auto r = load_string(kLoop, "loop.yaml");
  ASSERT_TRUE(r.ok());
  bool warned = false;
  for (const auto& d : r.diagnostics) warned = warned || d.code == Code::branch_loop;
  EXPECT_TRUE(warned);
  Call c(r.script);
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_TRUE(c.s.ended());
  EXPECT_NE(c.actions().find("hangup:error"), std::string::npos) << c.actions();
  EXPECT_LT(std::stod(value(c, "n")), 200);
}

TEST(SessionSlots, SnapshotCarriesSetAndCapturedValues) {
  auto script = load(kBooking);
  Call c(script);
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("yes"), Status::ok);
  ASSERT_EQ(c.say("We are 5"), Status::ok);
  auto snap = c.s.snapshot();
  auto back = Session::restore(script, snap);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->variable("party").value_or(""), "5");
  EXPECT_EQ(back->variable("note").value_or(""), "outside in Paris");
}

}  // namespace
