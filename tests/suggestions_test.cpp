// Ranked suggestions for the person on a call (patter/suggestions.hpp), on
// the bundled scripts: the answer to the customer's question first, then
// the listening node's next lines, then the way to the goal.
#include <patter/loader.hpp>
#include <patter/suggestions.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "session_support.hpp"

namespace {

using namespace patter;
using patter::session_testing::Call;

using patter::session_testing::bundled;

/// A screening call a person grabbed at ask_goal.
Call grabbed_at_ask_goal(std::uint32_t transcript = 0) {
  Call c(bundled("screening.zh-CN.yaml"), {{"customer_name", "张先生"}},
         SessionOptions{.transcript = transcript});
  c.answer();
  for (const char* words : {"是我", "对，想了解一下", "我是大专"}) c.say(words);
  EXPECT_EQ(c.node(), "ask_goal");
  EXPECT_EQ(c.send(Event::agent_joined(c.now += 1000)), Status::ok);
  return c;
}

/// The suggestions are ranked, each text once.
void well_formed(const std::vector<RankedSuggestion>& got) {
  std::set<std::string> texts;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(texts.insert(got[i].text).second) << "twice: " << got[i].text;
    EXPECT_FALSE(got[i].why.empty());
    if (i) {
      EXPECT_GE(got[i - 1].score, got[i].score);
    }
  }
}

TEST(Suggestions, TheAnswerToHowMuchComesFirst) {
  Call c = grabbed_at_ask_goal();
  const std::size_t before = c.s.snapshot().size();
  const auto got = suggestions(c.s, "那学费多少钱？");
  ASSERT_GE(got.size(), 3u);
  well_formed(got);
  EXPECT_EQ(got[0].kind, SuggestionKind::answer);
  EXPECT_EQ(got[0].intent, *c.script->find_intent("ask_price"));
  EXPECT_EQ(got[0].text.rfind("学费要看学校和专业", 0), 0u) << got[0].text;
  EXPECT_NE(got[0].why.find("ask_price"), std::string::npos) << got[0].why;
  EXPECT_EQ(got[0].score, 1.0);
  // Then the node's next lines: ask_goal's routes lead to ask_time (and retain).
  bool next_ask_time = false;
  for (const auto& s : got)
    next_ask_time = next_ask_time ||
                    (s.kind == SuggestionKind::next && s.node == *c.script->find_node("ask_time"));
  EXPECT_TRUE(next_ask_time);
  EXPECT_EQ(c.s.snapshot().size(), before);  // the call is as it was
  EXPECT_EQ(c.s.phase(), Phase::human);
  // The desk's plain form.
  EXPECT_EQ(got[0].suggestion().text, got[0].text);
}

TEST(Suggestions, HowMuchInEnglish) {
  Call c(bundled("appointment.en-US.yaml"), {{"first_name", "Dana"}});
  c.answer();
  for (const char* words : {"yes, speaking", "sure, go ahead", "we own it"}) c.say(words);
  ASSERT_EQ(c.node(), "ask_bill");
  ASSERT_EQ(c.send(Event::agent_joined(c.now += 1000)), Status::ok);
  const auto got = suggestions(c.s, "ok but how much does it cost?");
  ASSERT_FALSE(got.empty());
  well_formed(got);
  EXPECT_EQ(got[0].kind, SuggestionKind::answer);
  EXPECT_EQ(got[0].text.rfind("The survey is free.", 0), 0u) << got[0].text;
}

TEST(Suggestions, AnAnswerAlreadyGivenComesInItsNextPhrasing) {
  Call c(bundled("screening.zh-CN.yaml"), {{"customer_name", "张先生"}});
  c.answer();
  for (const char* words : {"是我", "对，想了解一下", "我是大专", "多少钱"}) c.say(words);
  c.send(Event::agent_joined(c.now += 1000));
  const auto got = suggestions(c.s, "到底多少钱");
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got[0].text.rfind("具体费用老师会按您选的学校和专业算", 0), 0u) << got[0].text;
}

TEST(Suggestions, WordsThatAnswerTheNodeBringItsRouteFirst) {
  Call c = grabbed_at_ask_goal();
  const auto got = suggestions(c.s, "想考公务员");
  ASSERT_FALSE(got.empty());
  well_formed(got);
  // No question: what the robot would say is the route goal_exam → ask_time.
  EXPECT_NE(got[0].kind, SuggestionKind::answer);
  EXPECT_EQ(got[0].node, *c.script->find_node("ask_time"));
  for (const auto& s : got) EXPECT_NE(s.kind, SuggestionKind::answer) << s.text;
}

TEST(Suggestions, TheWayToTheGoal) {
  Call c(bundled("screening.zh-CN.yaml"), {{"customer_name", "张先生"}});
  c.answer();
  for (const char* words : {"是我", "对，想了解一下"}) c.say(words);
  ASSERT_EQ(c.node(), "ask_education");
  c.send(Event::agent_joined(c.now += 1000));
  const auto got = suggestions(c.s, {}, {.max = 20});
  well_formed(got);
  // ask_education → ask_goal → ask_time → transfer_hot: ask_goal is one of
  // the node's next lines, ask_time is on the way.
  const NodeId ask_time = *c.script->find_node("ask_time");
  bool on_the_way = false;
  for (const auto& s : got) {
    if (s.kind != SuggestionKind::goal) continue;
    EXPECT_NE(s.node, *c.script->find_node("transfer_hot")) << "the hand-over line";
    if (s.node == ask_time) {
      on_the_way = true;
      EXPECT_NE(s.why.find("transfer_hot"), std::string::npos) << s.why;
    }
  }
  EXPECT_TRUE(on_the_way);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got[0].kind, SuggestionKind::next);
  // At most `max`.
  EXPECT_EQ(suggestions(c.s, {}, {.max = 2}).size(), 2u);
}

TEST(Suggestions, TheTranscriptGivesTheLastWords) {
  Call c = grabbed_at_ask_goal(50);
  c.say("那学费多少钱？");  // heard by the session while the person has the call
  const auto got = suggestions(c.s);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got[0].kind, SuggestionKind::answer);
  EXPECT_EQ(got[0].intent, *c.script->find_intent("ask_price"));
}

TEST(Suggestions, NoneForAnEndedCall) {
  Call c = grabbed_at_ask_goal();
  c.send(Event::agent_left(c.now += 1000));
  ASSERT_TRUE(c.s.ended());
  EXPECT_TRUE(suggestions(c.s, "多少钱").empty());
}

}  // namespace
