// How the session takes what the customer meant: backchannels during a line
// and after a question, a line said on after a false interruption, the
// host's intents (confidence threshold, n-best) and asking the host to
// understand what the matcher could not.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "session_support.hpp"

namespace {

using namespace patter;

std::shared_ptr<const Script> load(std::string_view yaml) {
  return session_testing::load(yaml, "understanding.yaml");
}
using session_testing::acts;

// A call already answered, on a steady clock.
struct Call : session_testing::Call {
  explicit Call(std::shared_ptr<const Script> sc, SessionOptions options = {})
      : session_testing::Call(sc, {}, options) {
    EXPECT_EQ(answer(), Status::ok);
  }
  Status during(std::string_view text, std::uint32_t ms) {
    return send(Event::utterance(text, now += 1000).during(ms));
  }
  Status paused(std::string_view text, std::uint32_t ms) {
    return send(Event::utterance(text, now += 1000).during(ms).paused());
  }
  IntentId id(std::string_view intent) const { return *script->find_intent(intent); }
};

const char* kZh = R"yaml(patter: 1
id: bc_zh
version: "1"
locale: zh-CN
settings:
  fillers: [嗯, 啊]
intents:
  affirm: [好的, 可以]
  negate: [不要, 不用]
  price: [多少钱]
  busy: [在开车]
start: ask
nodes:
  ask:
    say: 您现在方便吗？
    routes:
      - {intent: affirm, to: pitch}
      - {intent: negate, to: bye}
    no_match: {retries: 2, reprompts: ["您方便吗？"], then: bye}
  pitch:
    say: 课程是线上的，您有兴趣吗？
    min_confidence: 0.8
    routes:
      - {intent: affirm, to: done}
      - {intent: negate, to: bye}
  done:
    say: 好的。
    hangup: completed
  bye:
    say: 再见。
    hangup: not_interested
globals:
  - {intent: price, say: 三百元。, reprompt: false}
)yaml";

std::shared_ptr<const Script> zh() {
  static auto s = load(kZh);
  return s;
}

}  // namespace

// ---- backchannels ----------------------------------------------------------------

TEST(Backchannel, DuringALineIsNoInterruption) {
  for (const char* words : {"嗯", "对", "对对", "嗯嗯，是的", "好"}) {
    Call c(zh());
    ASSERT_EQ(c.during(words, 1200), Status::ignored) << words;
    EXPECT_EQ(c.t.decision(), Decision::backchannel) << words;
    EXPECT_EQ(c.actions(), "") << words;  // no stop_line: the line goes on
    EXPECT_EQ(c.s.turns(), 0u);
    EXPECT_EQ(c.node(), "ask");
    EXPECT_NE(c.t.explain(*c.script).find("backchannel"), std::string::npos);
  }
}

TEST(Backchannel, FillersDuringALineAreNoInterruptionEither) {
  Call c(zh());
  ASSERT_EQ(c.during("啊，啊", 800), Status::ignored);
  EXPECT_EQ(c.t.decision(), Decision::not_now);
  EXPECT_EQ(c.actions(), "");
}

TEST(Backchannel, RealWordsDuringALineStillBargeIn) {
  Call c(zh());
  ASSERT_EQ(c.during("嗯，不要了", 1500), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::route);
  EXPECT_EQ(c.actions(), "stop_line | say:再见。 | hangup:not_interested | end");
  Call d(zh());
  ASSERT_EQ(d.paused("多少钱", 1500),
            Status::ok);  // paused, and a real question: stopped, not resumed
  EXPECT_EQ(d.actions(), "stop_line | say:三百元。 | listen:6000");
}

TEST(Backchannel, AfterAQuestionIsAnAffirm) {
  // 嗯 is a filler of this script too: it used to be taken as nothing at all.
  for (const char* words : {"嗯", "嗯。", "对", "对对对", "是的"}) {
    Call c(zh());
    ASSERT_EQ(c.say(words), Status::ok) << words;
    EXPECT_EQ(c.t.decision(), Decision::route) << words;
    EXPECT_EQ(c.node(), "pitch") << words;
    EXPECT_EQ(c.s.heard(c.id("affirm")), 1u) << words;
    EXPECT_NE(c.t.explain(*c.script).find("a backchannel after a question: taken as `affirm`"),
              std::string::npos);
  }
  Call c(zh());
  ASSERT_EQ(c.say("啊"), Status::ignored);  // a filler alone is still no answer
  EXPECT_EQ(c.t.decision(), Decision::not_now);
  EXPECT_EQ(c.node(), "ask");
}

TEST(Backchannel, TheAuthorsPhrasesWinOverTheBackchannelAnswer) {
  auto sc = load(R"yaml(patter: 1
id: own
version: "1"
locale: zh-CN
intents:
  affirm: [好的]
  negate: [不是]
  confirm_name: [是]
start: ask
nodes:
  ask:
    say: 是王先生吗？
    routes:
      - {intent: confirm_name, to: named}
      - {intent: affirm, to: bye}
  named: {say: 好。, hangup: completed}
  bye: {say: 再见。, hangup: completed}
)yaml");
  Call c(sc);
  ASSERT_EQ(c.say("是"), Status::ok);
  EXPECT_EQ(c.node(), "named");
  EXPECT_EQ(c.s.heard(c.id("confirm_name")), 1u);
  EXPECT_EQ(c.s.heard(c.id("affirm")), 0u);
}

TEST(Backchannel, SettingsReplaceTheListAndTheIntent) {
  auto sc = load(R"yaml(patter: 1
id: custom
version: "1"
locale: zh-CN
settings:
  backchannels: [收到, 明白]
  backchannel_intent: ok
intents:
  affirm: [好的]
  ok: [行]
start: ask
nodes:
  ask:
    say: 您方便吗？
    routes:
      - {intent: ok, to: fine}
      - {intent: affirm, to: agreed}
    no_match: {retries: 3}
  fine: {say: 好。, hangup: completed}
  agreed: {say: 好。, hangup: completed}
)yaml");
  Call c(sc);
  ASSERT_EQ(c.during("收到", 900), Status::ignored);
  EXPECT_EQ(c.t.decision(), Decision::backchannel);
  ASSERT_EQ(c.during("对", 900), Status::ok);  // not in this script's list: an interruption
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_EQ(c.actions().rfind("stop_line", 0), 0u);
  ASSERT_EQ(c.say("明白明白"), Status::ok);
  EXPECT_EQ(c.s.heard(c.id("ok")), 1u);
  EXPECT_EQ(c.t.path().size(), 1u);
  EXPECT_EQ(sc->node(c.t.path()[0]).name, "fine");

  auto off = load(R"yaml(patter: 1
id: off
version: "1"
locale: zh-CN
settings: {backchannel_intent: none}
intents:
  affirm: [好的]
start: ask
nodes:
  ask:
    say: 您方便吗？
    routes: [{intent: affirm, to: agreed}]
    no_match: {retries: 3}
  agreed: {say: 好。, hangup: completed}
)yaml");
  Call d(off);
  ASSERT_EQ(d.say("对"), Status::ok);
  EXPECT_EQ(d.t.decision(), Decision::no_match);    // answers nothing here
  ASSERT_EQ(d.during("对", 500), Status::ignored);  // ... and still no interruption
}

TEST(Backchannel, EnglishBackchannelsAreWholeWords) {
  auto sc = load(R"yaml(patter: 1
id: en
version: "1"
locale: en-US
settings: {fillers: [um]}
intents:
  affirm: [sure]
  price: [how much]
start: ask
nodes:
  ask:
    say: Do you have a minute?
    routes: [{intent: affirm, to: agreed}]
    no_match: {retries: 3}
  agreed: {say: Great., hangup: completed}
globals:
  - {intent: price, say: Ten euros.}
)yaml");
  for (const char* words : {"uh-huh", "Mm-hmm.", "Right, right", "OK", "um, I see"}) {
    Call c(sc);
    ASSERT_EQ(c.during(words, 700), Status::ignored) << words;
    EXPECT_EQ(c.t.decision(), Decision::backchannel) << words;
  }
  Call c(sc);
  ASSERT_EQ(c.during("okay so how much", 700), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::global);
  Call d(sc);
  ASSERT_EQ(d.say("yep"), Status::ok);
  EXPECT_EQ(d.s.heard(d.id("affirm")), 1u);
  Call e(sc);
  ASSERT_EQ(e.say("okey-dokey"), Status::ok);  // "ok" does not cover "okey"
  EXPECT_EQ(e.t.decision(), Decision::no_match);
}

// ---- saying a line on --------------------------------------------------------------

TEST(ResumeLine, APausedLineGoesOnAfterABackchannel) {
  Call c(zh());
  ASSERT_EQ(c.paused("嗯嗯", 1300), Status::ignored);
  EXPECT_EQ(c.actions(), "resume_line:1300:您现在方便吗？");
  const Action& a = c.t.actions()[0];
  EXPECT_EQ(a.node, *c.script->find_node("ask"));
  EXPECT_TRUE(a.barge_in);
  ASSERT_EQ(c.paused("啊", 2100), Status::ignored);  // a filler too
  EXPECT_EQ(c.actions(), "resume_line:2100:您现在方便吗？");
  ASSERT_EQ(c.during("嗯", 2500), Status::ignored);  // not paused: nothing to resume
  EXPECT_EQ(c.actions(), "");
}

TEST(ResumeLine, ResumesTheLastLineSaid) {
  Call c(zh());
  ASSERT_EQ(c.say("今天天气不错"), Status::ok);  // no match: the reprompt
  EXPECT_EQ(c.actions(), "say:您方便吗？ | listen:6000");
  ASSERT_EQ(c.paused("对", 400), Status::ignored);
  EXPECT_EQ(c.actions(), "resume_line:400:您方便吗？");
  ASSERT_EQ(c.say("多少钱"), Status::ok);  // a handler that does not say the node's line again
  ASSERT_EQ(c.paused("嗯", 300), Status::ignored);
  EXPECT_EQ(c.actions(), "resume_line:300:三百元。");
  // The line to say on survives a snapshot.
  Restored r = Session::restore(c.script, c.s.snapshot());
  ASSERT_TRUE(r.ok()) << r.message();
  Turn t;
  ASSERT_EQ(r->step(Event::utterance("嗯", c.now + 1000).during(350).paused(), t), Status::ignored);
  EXPECT_EQ(acts(t), "resume_line:350:三百元。");
}

TEST(ResumeLine, ALineThatMayNotBeInterruptedResumes) {
  auto sc = load(R"yaml(patter: 1
id: nobarge
version: "1"
locale: zh-CN
intents:
  negate: [不要]
start: ask
nodes:
  ask:
    say: 请听我说完。
    barge_in: false
    routes: [{intent: negate, to: bye}]
  bye: {say: 再见。, hangup: completed}
)yaml");
  Call c(sc);
  ASSERT_EQ(c.paused("不要", 500), Status::ignored);
  EXPECT_EQ(c.t.decision(), Decision::not_now);
  EXPECT_EQ(c.actions(), "resume_line:500:请听我说完。");
  EXPECT_FALSE(c.t.actions()[0].barge_in);
}

// ---- the host's intents ------------------------------------------------------------

TEST(HostIntent, BelowMinConfidenceIsANoMatch) {
  Call c(zh());
  ASSERT_EQ(c.intent("affirm", 0.4f), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_EQ(c.node(), "ask");
  EXPECT_EQ(c.s.heard(c.id("affirm")), 0u);
  EXPECT_EQ(c.actions(), "say:您方便吗？ | listen:6000");
  EXPECT_NE(c.t.explain(*c.script).find("below min_confidence 0.50"), std::string::npos)
      << c.t.explain(*c.script);
  ASSERT_EQ(c.intent("affirm", 0.5f), Status::ok);  // at the threshold: it counts
  EXPECT_EQ(c.node(), "pitch");
  ASSERT_EQ(c.intent("affirm", 0.7f), Status::ok);  // pitch asks for 0.8
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_NE(c.t.explain(*c.script).find("below min_confidence 0.80"), std::string::npos);
  ASSERT_EQ(c.intent("affirm", 0.85f), Status::ok);
  EXPECT_EQ(c.node(), "done");
}

TEST(HostIntent, NBestIsTakenInOrderOfConfidence) {
  Call c(zh());
  const HostIntent nbest[] = {
      {c.id("negate"), 0.3f}, {c.id("affirm"), 0.6f}, {c.id("price"), 0.7f}};
  ASSERT_EQ(c.send(Event::intents(nbest, c.now += 1000)), Status::ok);
  // price is the most confident and has a handler: it wins over affirm's route.
  EXPECT_EQ(c.t.decision(), Decision::global);
  EXPECT_EQ(c.actions(), "say:三百元。 | listen:6000");
  EXPECT_EQ(c.s.heard(c.id("price")), 1u);
  EXPECT_EQ(c.s.heard(c.id("affirm")), 1u);
  EXPECT_EQ(c.s.heard(c.id("negate")), 0u);  // below min_confidence
  EXPECT_EQ(c.s.turns(), 1u);

  // A candidate with neither route nor handler here gives way to the next.
  const HostIntent busy_first[] = {{c.id("busy"), 0.9f}, {c.id("negate"), 0.6f}};
  ASSERT_EQ(c.send(Event::intents(busy_first, c.now += 1000)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::route);
  EXPECT_EQ(c.actions(), "say:再见。 | hangup:not_interested | end");
}

TEST(HostIntent, NBestAllBelowOrEmptyIsANoMatch) {
  Call c(zh());
  const HostIntent low[] = {{c.id("affirm"), 0.2f}, {c.id("negate"), 0.1f}};
  ASSERT_EQ(c.send(Event::intents(low, c.now += 1000)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_NE(c.t.explain(*c.script).find("below min_confidence"), std::string::npos);
  ASSERT_EQ(c.send(Event::intents({}, c.now += 1000)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::no_match);
}

TEST(HostIntent, BadNBestListsChangeNothing) {
  Call c(zh());
  const std::string before = c.s.snapshot();
  const HostIntent unknown[] = {{c.id("affirm"), 0.9f}, {9999, 0.8f}};
  EXPECT_EQ(c.send(Event::intents(unknown, c.now + 1000)), Status::unknown_intent);
  std::vector<HostIntent> many(kMaxHostIntents + 1, HostIntent{c.id("affirm"), 0.9f});
  EXPECT_EQ(c.send(Event::intents(many, c.now + 1000)), Status::too_many_intents);
  EXPECT_EQ(c.s.snapshot(), before);
  many.pop_back();  // exactly the most: fine
  EXPECT_EQ(c.send(Event::intents(many, c.now + 1000)), Status::ok);
  EXPECT_EQ(c.s.heard(c.id("affirm")), 1u);  // once per turn, however often listed
}

// ---- asking the host ---------------------------------------------------------------

namespace {

const char* kAsk = R"yaml(patter: 1
id: ask
version: "1"
locale: zh-CN
settings:
  understand: host
  understand_ms: 1500
  long_reply_chars: 12
intents:
  affirm: [好的, 可以]
  negate: [不要]
  price: [多少钱]
  considering: {phrases: [考虑考虑], examples: [我得想一想再说]}
start: ask
nodes:
  ask:
    say: 您现在方便吗？
    routes:
      - {intent: affirm, to: pitch}
      - {intent: negate, to: bye}
      - {intent: considering, to: later}
    no_match: {retries: 2, reprompts: ["您方便吗？"], then: bye, long_reply: person}
  pitch:
    say: 课程是线上的。
    understand: none
    routes: [{intent: affirm, to: bye}]
    no_match: {retries: 2}
  later: {say: 那我改天再打。, hangup: callback}
  person: {say: 我请同事来。, escalate: question}
  bye: {say: 再见。, hangup: completed}
globals:
  - {intent: price, say: 三百元。}
)yaml";

std::shared_ptr<const Script> asking() {
  static auto s = load(kAsk);
  return s;
}

/// Say something the matcher does not know: the host is asked.
void ask(Call& c, std::string_view words = "这个我得问问我老婆") {
  ASSERT_EQ(c.say(words), Status::ok);
  ASSERT_EQ(c.t.decision(), Decision::understand) << c.t.explain(*c.script);
  ASSERT_TRUE(c.s.asking_host());
}

}  // namespace

TEST(Understand, TheHostIsAskedAndItsAnswerRoutes) {
  Call c(asking(), SessionOptions{.transcript = 10});
  ask(c);
  ASSERT_EQ(c.t.actions().size(), 1u);
  const Action& a = c.t.actions()[0];
  EXPECT_EQ(a.type, ActionType::understand);
  EXPECT_EQ(a.text, "这个我得问问我老婆");
  EXPECT_EQ(a.timeout_ms, 1500u);
  std::vector<std::string> names;
  for (IntentId i : c.t.candidates()) names.push_back(c.script->intent(i).name);
  EXPECT_EQ(names, (std::vector<std::string>{"affirm", "negate", "considering", "price"}));
  ASSERT_EQ(c.t.context().size(), 2u);  // the robot's question, then the reply
  EXPECT_EQ(c.t.context()[0].text, "您现在方便吗？");
  EXPECT_EQ(c.t.context()[1].text, "这个我得问问我老婆");
  EXPECT_EQ(c.s.deadline_ms(), c.now + 1500);
  EXPECT_EQ(c.s.turns(), 1u);

  ASSERT_EQ(c.send(Event::intent_of(c.id("considering"), 0.8f, c.now + 900)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::route);
  EXPECT_FALSE(c.s.asking_host());
  EXPECT_EQ(c.s.turns(), 1u);  // the answer is the same reply, not a second one
  EXPECT_EQ(c.s.heard(c.id("considering")), 1u);
  EXPECT_EQ(c.actions(), "say:那我改天再打。 | hangup:callback | end");
}

TEST(Understand, AnNBestAnswerAndALowOne) {
  Call c(asking());
  ask(c);
  const HostIntent nbest[] = {{c.id("negate"), 0.2f}, {c.id("affirm"), 0.75f}};
  ASSERT_EQ(c.send(Event::intents(nbest, c.now + 500)), Status::ok);
  EXPECT_EQ(c.node(), "pitch");
  Call d(asking());
  ask(d);
  ASSERT_EQ(d.send(Event::intent_of(d.id("affirm"), 0.3f, d.now + 500)), Status::ok);
  EXPECT_EQ(d.t.decision(), Decision::no_match);  // below min_confidence: not understood
  EXPECT_EQ(d.actions(), "say:您方便吗？ | listen:6000");
  EXPECT_FALSE(d.s.asking_host());
}

TEST(Understand, NotUnderstoodAndTimeoutAreANoMatch) {
  Call c(asking());
  ask(c);
  ASSERT_EQ(c.send(Event::not_understood(c.now + 400)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_EQ(c.actions(), "say:您方便吗？ | listen:6000");
  EXPECT_NE(c.t.explain(*c.script).find("not_understood"), std::string::npos);
  EXPECT_EQ(c.s.deadline_ms(), 0u);

  ask(c);
  const std::uint64_t due = c.s.deadline_ms();
  ASSERT_EQ(c.send(Event::timer(due - 1)), Status::ignored);  // early
  EXPECT_TRUE(c.s.asking_host());
  ASSERT_EQ(c.send(Event::timer(due)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  EXPECT_NE(c.t.explain(*c.script).find("no answer from the host by the deadline"),
            std::string::npos);
  EXPECT_EQ(c.s.result().no_matches, 2u);

  c.now = due;
  ask(c);  // third no-match: retries are spent, on to `then`
  ASSERT_EQ(c.send(Event::intent_of(c.id("affirm"), 0.9f, c.s.deadline_ms())), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::no_match);  // at the deadline: too late
  EXPECT_EQ(c.s.heard(c.id("affirm")), 0u);
  EXPECT_NE(c.t.explain(*c.script).find("at or after the deadline"), std::string::npos);
  EXPECT_EQ(c.actions(), "say:再见。 | hangup:completed | end");
}

// The host's `not_understood` goes on to the node's `any` route, which
// does all a route does: its tags, score and `set:` too.
TEST(Understand, NotUnderstoodTakesAnAnyRouteWithItsSet) {
  const auto script = load(R"yaml(patter: 1
id: ask_any
version: "1"
locale: zh-CN
settings:
  understand: host
variables:
  unclear: false
intents:
  affirm: [好的, 可以]
start: ask
nodes:
  ask:
    say: 您现在方便吗？
    routes:
      - {intent: affirm, to: bye}
      - {intent: any, to: bye, set: {unclear: true}, tags: [unclear], score: 5}
  bye: {say: 再见。, hangup: completed}
)yaml");
  Call c(script);
  ask(c);
  ASSERT_EQ(c.send(Event::not_understood(c.now + 400)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::route);
  EXPECT_EQ(c.s.variable("unclear").value_or("<none>"), "true");
  EXPECT_EQ(c.s.score(), 5);
  EXPECT_EQ(c.actions(), "tag:unclear | say:再见。 | hangup:completed | end");
}

TEST(Understand, ALongReplyNotUnderstoodGoesToLongReply) {
  Call c(asking());
  ask(c, "我跟你说我们家那边最近在装修然后我老婆她也不在家");
  ASSERT_EQ(c.send(Event::not_understood(c.now + 400)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::long_reply);
  EXPECT_EQ(c.s.phase(), Phase::waiting);
}

TEST(Understand, OnlyWhenTheMatcherFindsNothing) {
  Call c(asking());
  ASSERT_EQ(c.say("好的"), Status::ok);  // understood: nobody is asked
  EXPECT_EQ(c.t.decision(), Decision::route);
  ASSERT_EQ(c.say("这个我得问问我老婆"), Status::ok);  // pitch: `understand: none`
  EXPECT_EQ(c.t.decision(), Decision::no_match);
  Call d(asking());
  ASSERT_EQ(d.say("嗯"), Status::ok);  // a backchannel is an answer, not a question for the host
  EXPECT_EQ(d.node(), "pitch");
  ASSERT_EQ(d.send(Event::intent_of(d.id("affirm"), 0.2f, d.now += 1000)), Status::ok);
  EXPECT_FALSE(d.s.asking_host());  // a host intent is never sent back to the host
}

TEST(Understand, OutOfOrderEvents) {
  Call c(asking());
  const std::string before = c.s.snapshot();
  EXPECT_EQ(c.send(Event::not_understood(c.now + 100)), Status::not_asked);  // nothing was asked
  EXPECT_EQ(c.s.snapshot(), before);

  ask(c);
  const std::string waiting = c.s.snapshot();
  EXPECT_EQ(c.send(Event::no_input(c.now + 100)), Status::wrong_phase);  // the customer did speak
  EXPECT_EQ(c.s.snapshot(), waiting);

  // The customer speaks again: that is the reply; the question is dropped.
  ASSERT_EQ(c.say("好的"), Status::ok);
  EXPECT_EQ(c.node(), "pitch");
  EXPECT_FALSE(c.s.asking_host());
  EXPECT_NE(c.t.explain(*c.script).find("question to the host is dropped"), std::string::npos);
  EXPECT_EQ(c.s.result().no_matches, 0u);
  EXPECT_EQ(c.send(Event::not_understood(c.now + 100)),
            Status::not_asked);  // its answer comes too late

  Call d(asking());
  ask(d);
  ASSERT_EQ(d.send(Event::dtmf('5', d.now + 100)), Status::ok);  // a key is a new reply too
  EXPECT_FALSE(d.s.asking_host());

  Call e(asking());
  ask(e);
  ASSERT_EQ(e.send(Event::customer_hangup(e.now + 100)), Status::ok);
  EXPECT_TRUE(e.s.ended());
  EXPECT_EQ(e.s.deadline_ms(), 0u);
  EXPECT_EQ(e.send(Event::intent_of(e.id("affirm"), 0.9f, e.now + 200)), Status::call_ended);

  Call f(asking());
  ask(f);
  ASSERT_EQ(f.send(Event::agent_joined(f.now + 100)), Status::ok);  // a grab
  EXPECT_FALSE(f.s.asking_host());
  EXPECT_EQ(f.send(Event::not_understood(f.now + 200)), Status::not_asked);
}

TEST(Understand, SnapshotWhileWaitingRestoresTheSameFuture) {
  Call c(asking(), SessionOptions{.transcript = 4});
  ask(c);
  const std::string bytes = c.s.snapshot();
  Restored r = Session::restore(c.script, bytes);
  ASSERT_TRUE(r.ok()) << r.message();
  Session moved = std::move(*r);
  EXPECT_TRUE(moved.asking_host());
  EXPECT_EQ(moved.deadline_ms(), c.s.deadline_ms());
  EXPECT_EQ(moved.snapshot(), bytes);
  Session copy = c.s;  // a fork keeps the question too
  EXPECT_EQ(copy.snapshot(), bytes);

  for (const Event& answer :
       {Event::intent_of(c.id("negate"), 0.9f, c.now + 700), Event::not_understood(c.now + 700),
        Event::timer(c.s.deadline_ms())}) {
    Session a = c.s, b = moved;
    Turn ta, tb;
    ASSERT_EQ(a.step(answer, ta), b.step(answer, tb));
    EXPECT_EQ(acts(ta), acts(tb));
    EXPECT_EQ(a.snapshot(), b.snapshot());
  }
}

TEST(Understand, ScriptKeysAreChecked) {
  auto bad = [](std::string_view settings, std::string_view expect) {
    std::string yaml = std::string(R"yaml(patter: 1
id: bad
version: "1"
locale: en-US
settings:
)yaml") + std::string(settings) +
                       R"yaml(
intents:
  affirm: [yes]
start: ask
nodes:
  ask:
    say: Hi?
    routes: [{intent: affirm, to: bye}]
  bye: {say: Bye., hangup: completed}
)yaml";
    auto r = load_string(yaml, "bad.yaml");
    EXPECT_FALSE(r.ok()) << settings;
    std::string all;
    for (const auto& d : r.diagnostics) all += format(d) + "\n";
    EXPECT_NE(all.find(expect), std::string::npos) << all;
    EXPECT_NE(all.find("bad.yaml:6:"), std::string::npos) << all;
  };
  bad("  min_confidence: 1.5", "`min_confidence` is 1.5, outside 0..1");
  bad("  understand: llm", "llm");
  bad("  understand_ms: 5", "`understand_ms` is 5, outside 100..60000");
  bad("  backchannel_intent: afirm", "did you mean");
}

TEST(Understand, WordsIntoALineStopItBeforeTheHostIsAsked) {
  Call c(asking());
  ASSERT_EQ(c.paused("这个我得问问我老婆", 900), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::understand);
  EXPECT_EQ(c.actions(), "stop_line | understand:这个我得问问我老婆");
  Call d(asking());
  ASSERT_EQ(d.paused("嗯", 900), Status::ignored);  // a backchannel: no question, the line goes on
  EXPECT_EQ(d.actions(), "resume_line:900:您现在方便吗？");
  EXPECT_FALSE(d.s.asking_host());
}
