// Interruption policies: `interrupt: never | any | [intents] | clarify` per
// node, per global handler and in `settings`; `barge_in` mapped onto them;
// a false interruption says the cut line on.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include "session_support.hpp"

namespace {

using namespace patter;
using namespace patter::session_testing;

constexpr std::string_view kScript = R"(patter: 1
id: interrupts
locale: en-US
settings:
  no_barge_ms: 0
intents:
  affirm: [yes, sure]
  deny: [no]
  price: [how much]
  weather: [nice weather]
  opt_out: [stop calling]
globals:
  - intent: opt_out
    say: Sorry, goodbye.
    hangup: opt_out
  - intent: price
    say: It is free.
    interrupt: never
start: rules
nodes:
  rules:
    say: Let me read the rules.
    interrupt: [deny, price]
    routes:
      - intent: affirm
        to: open
      - intent: deny
        to: bye
  open:
    say: Tell me what you need.
    interrupt: clarify
    routes:
      - intent: affirm
        to: deaf
      - intent: deny
        to: bye
  deaf:
    say: Please listen to the end.
    interrupt: never
    routes:
      - intent: any
        to: bye
  bye:
    say: Goodbye.
    hangup: completed
)";

std::shared_ptr<const Script> script() {
  static const auto s = load(kScript, "interrupts.yaml");
  return s;
}

Status during(Call& c, std::string_view words, bool paused = true) {
  Event e = Event::utterance(words, c.now += 1000).during(1500);
  return c.send(paused ? e.paused() : e);
}

TEST(SessionInterrupt, PoliciesCompileFromTheNodeTheHandlerAndBargeIn) {
  const auto s = script();
  EXPECT_EQ(s->node(*s->find_node("rules")).interrupt, Interrupt::only);
  EXPECT_EQ(s->node(*s->find_node("rules")).interrupt_intents.size(), 2u);
  EXPECT_EQ(s->node(*s->find_node("open")).interrupt, Interrupt::clarify);
  EXPECT_EQ(s->node(*s->find_node("deaf")).interrupt, Interrupt::never);
  EXPECT_FALSE(s->node(*s->find_node("deaf")).barge_in);
  EXPECT_TRUE(s->node(*s->find_node("rules")).barge_in);  // the host must let words through
  EXPECT_EQ(s->node(*s->find_node("bye")).interrupt, Interrupt::any);
  EXPECT_EQ(s->globals()[0].interrupt, Interrupt::any);
  EXPECT_EQ(s->globals()[1].interrupt, Interrupt::never);
  EXPECT_EQ(s->settings().clarify.source, "Sure, go ahead.");
}

TEST(SessionInterrupt, OnlyTheListedIntentsCutTheLine) {
  Call c(script());
  c.answer();
  // Not in the list: ignored, and the paused line goes on.
  ASSERT_EQ(during(c, "nice weather"), Status::ignored);
  EXPECT_EQ(c.t.decision(), Decision::not_now);
  EXPECT_EQ(c.actions(), "resume_line:1500:Let me read the rules.");
  EXPECT_NE(c.t.explain(*c.script).find("may be cut only by deny, price"), std::string::npos)
      << c.t.explain(*c.script);
  // `affirm` answers the question, but only after the line: not now either.
  ASSERT_EQ(during(c, "yes"), Status::ignored);
  // In the list: it cuts the line and is the reply.
  ASSERT_EQ(during(c, "no"), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::route);
  EXPECT_EQ(c.actions(), "stop_line | say:Goodbye. | hangup:completed | end");
}

TEST(SessionInterrupt, AListedHandlerIntentCutsTheLineAndTheHandlerSaysItsOwnPolicy) {
  Call c(script());
  c.answer();
  ASSERT_EQ(during(c, "how much"), Status::ok);
  EXPECT_EQ(c.actions(), "stop_line | say:It is free. | say:Let me read the rules. | listen:6000");
  EXPECT_FALSE(c.t.actions()[1].barge_in) << "the handler's `interrupt: never`";
  EXPECT_TRUE(c.t.actions()[2].barge_in);
}

TEST(SessionInterrupt, AfterTheLineEveryReplyCounts) {
  Call c(script());
  c.answer();
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_EQ(c.path(), "open");
}

TEST(SessionInterrupt, ClarifyStopsSaysTheClarifyingLineAndListens) {
  Call c(script());
  c.answer();
  c.say("yes");
  const std::uint32_t turns = c.s.turns();
  ASSERT_EQ(during(c, "well actually"), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::barge_in);
  EXPECT_EQ(c.actions(), "stop_line | say:Sure, go ahead. | listen:6000");
  EXPECT_EQ(c.node(), "open");
  EXPECT_EQ(c.s.turns(), turns) << "the words that cut the line are not a reply";
  // The clarifying line itself may be cut, and backchannels do not cut it.
  ASSERT_EQ(during(c, "uh-huh"), Status::ignored);
  EXPECT_EQ(c.actions(), "resume_line:1500:Sure, go ahead.");
  ASSERT_EQ(c.say("yes"), Status::ok);
  EXPECT_EQ(c.path(), "deaf");
}

TEST(SessionInterrupt, AnOptOutCutsEveryLineAndIsActedOnAtOnce) {
  Call c(script());
  c.answer();
  c.say("yes");  // at `open`: clarify
  ASSERT_EQ(during(c, "stop calling"), Status::ok);
  EXPECT_EQ(c.actions(), "stop_line | tag:dnc | say:Sorry, goodbye. | hangup:opt_out | end");
  Call d(script());
  d.answer();
  d.say("yes");
  d.say("yes");  // at `deaf`: never
  ASSERT_EQ(during(d, "stop calling"), Status::ok);
  EXPECT_TRUE(d.s.ended());
}

TEST(SessionInterrupt, NeverIgnoresWordsAndSaysTheLineOn) {
  Call c(script());
  c.answer();
  c.say("yes");
  c.say("yes");
  ASSERT_EQ(during(c, "no"), Status::ignored);
  EXPECT_EQ(c.actions(), "resume_line:1500:Please listen to the end.");
  EXPECT_EQ(c.node(), "deaf");
}

TEST(SessionInterrupt, SettingsGiveTheDefaultAndTheClarifyingLine) {
  const auto s = load(R"(patter: 1
id: zh
locale: zh-CN
settings:
  interrupt: clarify
  clarify: "您说，我在听"
intents:
  affirm: [好的]
start: ask
nodes:
  ask:
    say: 您好
    routes: [{intent: affirm, to: bye}]
  bye:
    say: 再见
    barge_in: false
    hangup: completed
)");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->node(*s->find_node("ask")).interrupt, Interrupt::clarify);
  EXPECT_EQ(s->node(*s->find_node("bye")).interrupt, Interrupt::never);
  Call c(s);
  c.answer();
  ASSERT_EQ(during(c, "等一下我想问问"), Status::ok);
  EXPECT_EQ(c.actions(), "stop_line | say:您说，我在听 | listen:6000");
}

TEST(SessionInterrupt, TheChineseClarifyingLineIsTheDefaultInChinese) {
  const auto s = load(R"(patter: 1
id: zh
locale: zh-CN
start: bye
nodes:
  bye: {say: 再见, hangup: completed}
)");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->settings().clarify.source, "好的，您请说。");
}

std::vector<Diagnostic> diagnostics(std::string_view yaml) {
  return load_string(yaml, "bad.yaml").diagnostics;
}

bool has(const std::vector<Diagnostic>& ds, Code code, std::uint32_t line) {
  for (const Diagnostic& d : ds)
    if (d.code == code && d.where.line == line) return true;
  return false;
}

TEST(SessionInterrupt, MisusesAreDiagnosed) {
  constexpr std::string_view kHead = R"(patter: 1
id: bad
locale: en-US
intents:
  affirm: [yes]
start: ask
nodes:
  ask:
    say: Hi
    routes: [{intent: affirm, to: bye}]
)";
  // barge_in and interrupt together.
  EXPECT_TRUE(has(diagnostics(std::string(kHead) + "    barge_in: false\n    interrupt: any\n"
                                                   "  bye: {hangup: completed}\n"),
                  Code::conflicting_keys, 12));
  // An intent the script does not have, with did-you-mean.
  const auto unknown = diagnostics(std::string(kHead) +
                                   "    interrupt: [afirm]\n"
                                   "  bye: {hangup: completed}\n");
  ASSERT_TRUE(has(unknown, Code::unknown_intent, 11));
  // A policy that is not one, with did-you-mean.
  EXPECT_TRUE(has(diagnostics(std::string(kHead) + "    interrupt: clarfy\n"
                                                   "  bye: {hangup: completed}\n"),
                  Code::invalid_value, 11));
  EXPECT_TRUE(has(diagnostics(std::string(kHead) + "    interrupt: []\n"
                                                   "  bye: {hangup: completed}\n"),
                  Code::invalid_value, 11));
  EXPECT_TRUE(has(diagnostics(std::string(kHead) + "    interupt: never\n"
                                                   "  bye: {hangup: completed}\n"),
                  Code::unknown_key, 11));
  EXPECT_TRUE(
      has(diagnostics(std::string(kHead) + "  bye: {hangup: completed}\n"
                                           "settings: {barge_in: true, interrupt: never}\n"),
          Code::conflicting_keys, 12));
}

}  // namespace
