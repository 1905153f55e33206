// The words of the people on a call (Event::agent_said): kept in the
// transcript with who said them, shown in the call's JSON and snapshots,
// and never routing the call; every bad input refused with nothing changed.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "session_support.hpp"
#include "text/fnv1a.hpp"

namespace {

using namespace patter;
using patter::session_testing::Call;
using patter::session_testing::load;

const char* kScript = R"yaml(patter: 1
id: people
locale: en-US
intents:
  affirm: [yes, sure]
  human: [real person]
start: ask
nodes:
  ask:
    say: "Shall I tell you more?"
    routes:
      - {intent: affirm, to: more, score: 10}
      - {intent: human, to: person}
  more:
    say: "Here is more."
    hangup: completed
  person:
    say: "One moment, please."
    escalate: interested
)yaml";

/// A call a person has taken (after the customer asked for one).
Call taken(std::uint32_t transcript = 50) {
  static const auto script = load(kScript);
  Call c(script, {}, SessionOptions{.transcript = transcript});
  c.answer();
  c.say("a real person please");
  EXPECT_EQ(c.s.phase(), Phase::waiting);
  EXPECT_EQ(c.send(Event::agent_joined(c.now += 1000)), Status::ok);
  EXPECT_EQ(c.s.phase(), Phase::human);
  return c;
}

TEST(PeopleOnTheCall, WordsAreKeptWithWhoSaidThem) {
  Call c = taken();
  ASSERT_EQ(c.send(Event::agent_said("Hi, this is Li from Acme.", "li", c.now += 1000)),
            Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::human);
  EXPECT_TRUE(c.t.actions().empty());
  const TranscriptEntry& e = c.s.transcript().back();
  EXPECT_EQ(e.who, TranscriptEntry::Who::agent);
  EXPECT_EQ(e.speaker, "li");
  EXPECT_EQ(e.text, "Hi, this is Li from Acme.");
  EXPECT_EQ(e.at_ms, c.now);
  EXPECT_EQ(e.node, c.s.node());
  EXPECT_EQ(e.intent, kNone);
  // A second person (a supervisor who joined) is told apart.
  ASSERT_EQ(c.send(Event::agent_said("I can help with the price.", "wang", c.now += 1000)),
            Status::ok);
  EXPECT_EQ(c.s.transcript().back().speaker, "wang");

  const std::string json = c.s.result().to_json(*c.script);
  EXPECT_NE(json.find(R"("who":"agent")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("text":"Hi, this is Li from Acme.","speaker":"li")"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("speaker":"wang")"), std::string::npos) << json;
  // Other entries carry no speaker.
  EXPECT_EQ(c.s.transcript().front().speaker, "");
}

TEST(PeopleOnTheCall, WordsNeverRouteCountOrScore) {
  Call c = taken();
  const double score = c.s.score();
  const std::uint32_t turns = c.s.turns();
  const NodeId node = c.s.node();
  const IntentId affirm = *c.script->find_intent("affirm");
  // "yes, sure" from the customer would take a route and score 10.
  ASSERT_EQ(c.send(Event::agent_said("yes, sure", "li", c.now += 1000)), Status::ok);
  EXPECT_EQ(c.s.score(), score);
  EXPECT_EQ(c.s.turns(), turns);
  EXPECT_EQ(c.s.node(), node);
  EXPECT_EQ(c.s.heard(affirm), 0u);
  EXPECT_EQ(c.s.phase(), Phase::human);
  EXPECT_EQ(c.s.last_event_ms(), c.now);  // the clock moved on
  // Handed back, the robot goes on as if the person had said nothing.
  ASSERT_EQ(c.send(Event::agent_left(c.now += 1000, c.id("ask"))), Status::ok);
  c.say("yes");
  EXPECT_EQ(c.node(), "more");
}

TEST(PeopleOnTheCall, WithoutATranscriptNothingIsKept) {
  Call c = taken(0);
  const std::size_t bytes = c.s.memory_bytes();
  ASSERT_EQ(c.send(Event::agent_said("Hello there.", "li", c.now += 1000)), Status::ok);
  EXPECT_TRUE(c.s.transcript().empty());
  EXPECT_EQ(c.s.memory_bytes(), bytes);
}

/// The session refuses `e` with `want` and is exactly as it was.
void refused(Call& c, const Event& e, Status want) {
  const std::string before = c.s.snapshot();
  EXPECT_EQ(c.send(e), want) << describe(want);
  EXPECT_FALSE(c.t.ok());
  EXPECT_EQ(c.s.snapshot(), before);
}

TEST(PeopleOnTheCall, EmptyWordsAreRefused) {
  Call c = taken();
  refused(c, Event::agent_said("", "li", c.now + 1), Status::no_text);
  refused(c, Event::agent_said(" \t\n", "li", c.now + 1), Status::no_text);
}

TEST(PeopleOnTheCall, TextThatIsNotUtf8IsRefused) {
  Call c = taken();
  refused(c, Event::agent_said("price is \xff\xfe", "li", c.now + 1), Status::bad_text);
  refused(c, Event::agent_said("Hello.", "l\xc3", c.now + 1), Status::bad_text);
  refused(c, Event::agent_said("Hello.", std::string(kMaxSpeakerBytes + 1, 'x'), c.now + 1),
          Status::bad_text);
  // The longest id is taken.
  EXPECT_EQ(c.send(Event::agent_said("Hello.", std::string(kMaxSpeakerBytes, 'x'), c.now + 1)),
            Status::ok);
  EXPECT_EQ(c.s.transcript().back().speaker.size(), kMaxSpeakerBytes);
}

TEST(PeopleOnTheCall, HugeTextIsCutBetweenCharacters) {
  Call c = taken();
  std::string huge;
  while (huge.size() < 1 << 20) huge += "学费";  // 1 MiB of 3-byte characters
  ASSERT_EQ(c.send(Event::agent_said(huge, "li", c.now += 1000)), Status::ok);
  const std::string& kept = c.s.transcript().back().text;
  EXPECT_EQ(kept.size(), 1023u);  // 341 characters: 1024 would cut one in two
  EXPECT_EQ(kept, huge.substr(0, 1023));
  // Bad bytes past what is kept are never read.
  huge[(1 << 20) - 1] = '\xff';
  EXPECT_EQ(c.send(Event::agent_said(huge, "li", c.now += 1000)), Status::ok);
}

TEST(PeopleOnTheCall, OnlyWhileAPersonHasTheCall) {
  static const auto script = load(kScript);
  Call c(script, {}, SessionOptions{.transcript = 10});
  refused(c, Event::agent_said("Hello?", "li", 5), Status::not_answered);
  c.answer();
  refused(c, Event::agent_said("Hello?", "li", c.now + 1), Status::wrong_phase);  // the robot talks
  c.say("a real person please");
  refused(c, Event::agent_said("Hello?", "li", c.now + 1), Status::wrong_phase);  // still waiting
  c.send(Event::agent_joined(c.now += 1000));
  refused(c, Event::agent_said("Hello?", "li", c.now - 1), Status::time_went_back);
  c.send(Event::agent_left(c.now += 1000));  // the person ends the call
  ASSERT_TRUE(c.s.ended());
  refused(c, Event::agent_said("Goodbye.", "li", c.now + 1), Status::call_ended);
  // Bad words after the end: the end is what the host needs to hear.
  refused(c, Event::agent_said("", "li", c.now + 1), Status::call_ended);
}

TEST(PeopleOnTheCall, SnapshotsKeepWhoSaidWhat) {
  Call c = taken();
  ASSERT_EQ(c.send(Event::agent_said("你好，我是招生老师。", "li", c.now += 1000)), Status::ok);
  const std::string bytes = c.s.snapshot();
  Restored back = Session::restore(c.script, bytes);
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->transcript().back().speaker, "li");
  EXPECT_EQ(back->transcript().back().text, "你好，我是招生老师。");
  EXPECT_EQ(back->snapshot(), bytes);
}

/// `bytes` as the previous format wrote them: the version, and the checksum.
std::string as_format(std::string bytes, std::uint16_t version) {
  bytes[4] = static_cast<char>(version & 0xFF);
  bytes[5] = static_cast<char>(version >> 8);
  const std::uint64_t sum = detail::fnv1a(std::string_view(bytes).substr(0, bytes.size() - 8));
  for (int i = 0; i < 8; ++i) bytes[bytes.size() - 8 + i] = static_cast<char>(sum >> (8 * i));
  return bytes;
}

TEST(PeopleOnTheCall, SnapshotsOfThePreviousFormatStillRestore) {
  // Format 5 had no people's words; a call that started before the upgrade
  // goes on after it.
  static const auto script = load(kScript);
  Call c(script, {}, SessionOptions{.transcript = 10});
  c.answer();
  c.say("a real person please");
  Restored old = Session::restore(script, as_format(c.s.snapshot(), 5));
  ASSERT_TRUE(old.ok()) << old.message();
  EXPECT_EQ(old->transcript().size(), c.s.transcript().size());
  Restored ancient = Session::restore(script, as_format(c.s.snapshot(), 4));
  EXPECT_EQ(ancient.code(), RestoreError::version);
}

}  // namespace
