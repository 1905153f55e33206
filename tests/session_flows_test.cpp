// Sub-flows: a node calls a flow, the flow's `return:` comes back to the
// caller, which goes on by the outcome; flows inside flows; leaving a flow
// by a global handler; the flow stack in snapshots.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <functional>

#include "runtime/session_state.hpp"
#include "session_support.hpp"

namespace {

using namespace patter;
using namespace patter::session_testing;

// pitch -> call confirm -> (yes: book | no: fix -> call confirm again)
// confirm: ask -> yes (return yes) | no (return no) | details (call spell)
// spell: say -> return (plain) -> back in confirm at `ask`
constexpr std::string_view kScript = R"(patter: 1
id: flows
locale: en-US
intents:
  affirm: [yes, sure]
  deny: [no, wrong]
  spell: [spell it]
  price: [how much]
  opt_out: [stop calling]
globals:
  - intent: price
    say: It is free.
  - intent: opt_out
    goto: bye
start: pitch
nodes:
  pitch:
    say: We have an offer.
    call: {flow: confirm}
    on_return: {yes: book, no: fix}
  fix:
    say: Let me correct that.
    call: {flow: confirm, then: book}
  book:
    say: Booked.
    hangup: completed
  bye:
    say: Goodbye.
    hangup: opt_out
flows:
  confirm:
    start: ask
    nodes:
      ask:
        say: Is your number 555?
        routes:
          - intent: affirm
            to: yes
          - intent: deny
            to: no
          - intent: spell
            to: spelled
      yes: {return: yes}
      no:
        say: Sorry about that.
        return: no
      spelled:
        call: {flow: spell, then: ask}
  spell:
    nodes:
      say_it:
        say: Five five five.
        return:
)";

std::shared_ptr<const Script> script() {
  static const auto s = load(kScript, "flows.yaml");
  return s;
}

TEST(SessionFlows, FlowNodesAreNamedAfterTheirFlow) {
  const auto s = script();
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->find_node("confirm.ask"));
  EXPECT_FALSE(s->find_node("ask"));
  EXPECT_EQ(s->node(*s->find_node("pitch")).kind, NodeKind::call);
  EXPECT_EQ(s->node(*s->find_node("confirm.yes")).kind, NodeKind::ret);
  ASSERT_EQ(s->flows().size(), 2u);
  EXPECT_EQ(s->flows()[0].name, "confirm");
  EXPECT_EQ(s->flows()[0].outcomes, (std::vector<std::string>{"yes", "no"}));
  EXPECT_EQ(s->flows()[1].outcomes, (std::vector<std::string>{""}));
  EXPECT_EQ(to_string(NodeKind::ret), "return");
}

TEST(SessionFlows, CallRunsTheFlowAndTheOutcomeRoutesTheCaller) {
  Call c(script());
  ASSERT_EQ(c.answer(), Status::ok);
  EXPECT_EQ(c.actions(), "say:We have an offer. | say:Is your number 555? | listen:6000");
  EXPECT_EQ(c.path(), "pitch,confirm.ask");
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_EQ(c.path(), "confirm.yes,book");
  EXPECT_EQ(c.actions(), "say:Booked. | hangup:completed | end");
}

TEST(SessionFlows, AnotherOutcomeGoesElsewhereAndThenCoversEveryOutcome) {
  Call c(script());
  c.answer();
  ASSERT_EQ(c.say("no"), Status::ok);
  EXPECT_EQ(c.path(), "confirm.no,fix,confirm.ask");
  EXPECT_EQ(c.actions(),
            "say:Sorry about that. | say:Let me correct that. | say:Is your number 555? | "
            "listen:6000");
  ASSERT_EQ(c.say("no"), Status::ok);  // from `fix`, `then: book` takes every outcome
  EXPECT_EQ(c.path(), "confirm.no,book");
  EXPECT_TRUE(c.s.ended());
}

TEST(SessionFlows, AFlowCallsAFlowAndEachReturnsToItsCaller) {
  Call c(script());
  c.answer();
  ASSERT_EQ(c.say("spell it"), Status::ok);
  EXPECT_EQ(c.path(), "confirm.spelled,spell.say_it,confirm.ask");
  EXPECT_EQ(c.actions(), "say:Five five five. | say:Is your number 555? | listen:6000");
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_EQ(c.path(), "confirm.yes,book");  // the outer flow returns to `pitch`'s on_return
}

TEST(SessionFlows, AGlobalHandlerResumesInsideTheFlow) {
  Call c(script());
  c.answer();
  ASSERT_EQ(c.say("how much"), Status::ok);
  EXPECT_EQ(c.actions(), "say:It is free. | say:Is your number 555? | listen:6000");
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_EQ(c.path(), "confirm.yes,book");
}

TEST(SessionFlows, LeavingAFlowByAGotoEmptiesTheStack) {
  Call c(script());
  c.answer();
  ASSERT_EQ(c.say("spell it"), Status::ok);
  c.s.step(Event::utterance("stop calling", c.now += 1000), c.t);
  EXPECT_EQ(c.path(), "bye");
  // A restored copy carries the same (empty) stack: equal state.
  const Restored back = Session::restore(c.script, c.s.snapshot());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->snapshot(), c.s.snapshot());
}

TEST(SessionFlows, ASnapshotInsideNestedFlowsGoesOnTheSameWay) {
  Call c(script());
  c.answer();
  ASSERT_EQ(c.say("no"), Status::ok);  // now in confirm, called from `fix`
  std::string bytes = c.s.snapshot();
  Restored back = Session::restore(c.script, bytes);
  ASSERT_TRUE(back.ok()) << back.message();
  Session restored = std::move(*back);
  Turn t;
  ASSERT_EQ(restored.step(Event::utterance("yes", c.now + 1000), t), Status::ok);
  EXPECT_EQ(path_names(*c.script, t.path()), "confirm.yes,book");
}

/// Restore a snapshot taken inside `confirm` after `edit` changed the
/// flow stack behind the session's back.
RestoreError restore_edited(
    const std::function<void(detail::SessionState&, std::uint16_t*)>& edit) {
  Call c(script());
  c.answer();
  auto& st = const_cast<detail::SessionState&>(SessionAccess::state(c.s));
  edit(st, st.counts.data() + SessionLayout(*c.script).flows());
  return Session::restore(c.script, c.s.snapshot()).code();
}

TEST(SessionFlows, SnapshotsWithAStackThatDoesNotFitAreRefused) {
  const NodeId book = *script()->find_node("book");
  auto word = [](std::string_view node) {  // a caller's word: 1 + its node id
    return static_cast<std::uint16_t>(*script()->find_node(node) + 1);
  };
  EXPECT_EQ(restore_edited([](detail::SessionState& st, std::uint16_t* callers) {
              EXPECT_EQ(SessionAccess::flow_depth(st, SessionLayout(*script())), 1u);
              EXPECT_NE(callers[0], 0);
            }),
            RestoreError::ok);
  // A caller that calls no flow.
  EXPECT_EQ(restore_edited([&](detail::SessionState&, std::uint16_t* callers) {
              callers[0] = static_cast<std::uint16_t>(book + 1);
            }),
            RestoreError::corrupted);
  // A node that is not there.
  EXPECT_EQ(
      restore_edited([](detail::SessionState&, std::uint16_t* callers) { callers[0] = 0xFFFF; }),
      RestoreError::corrupted);
  // A caller left past the top of the stack.
  EXPECT_EQ(restore_edited([&](detail::SessionState&, std::uint16_t* callers) {
              callers[0] = 0;
              callers[1] = word("fix");
            }),
            RestoreError::corrupted);
  // `confirm.spelled` calls `spell`, but only from inside `confirm`.
  EXPECT_EQ(restore_edited([&](detail::SessionState&, std::uint16_t* callers) {
              callers[0] = word("confirm.spelled");
            }),
            RestoreError::corrupted);
}

TEST(SessionFlows, AScriptWithoutFlowsKeepsNoRoomForThem) {
  const auto plain = load(R"(patter: 1
id: plain
locale: en-US
start: bye
nodes:
  bye: {say: Bye., hangup: completed}
)");
  EXPECT_EQ(SessionLayout(*plain).flow_words, 0u);
  EXPECT_EQ(SessionLayout(*plain).seed_words, 0u);
  EXPECT_EQ(SessionLayout(*script()).flow_words, kMaxFlowDepth);
}

}  // namespace
