// The handoff summary (patter/handoff.hpp) on the bundled scripts: who the
// customer is, what they asked, what the call learned, why it escalated.
#include <patter/handoff.hpp>
#include <patter/loader.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "session_support.hpp"

namespace {

using namespace patter;
using patter::session_testing::Call;

using patter::session_testing::bundled;

/// A screening call: a high-school graduate asks the price, wants a better
/// job, gives their age; the interest score reaches the script's
/// escalate_score (60) and the call goes to a teacher.
Call screening(std::uint32_t transcript) {
  Call c(bundled("screening.zh-CN.yaml"), {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
         SessionOptions{.transcript = transcript});
  c.answer();
  for (const char* words : {"是我", "对，想了解一下", "高中毕业", "那学费多少钱？",
                            "想换个好点的工作", "明年吧", "我今年35岁"})
    EXPECT_FALSE(is_error(c.say(words))) << words;
  EXPECT_EQ(c.node(), "transfer_hot");
  EXPECT_EQ(c.s.phase(), Phase::waiting);
  return c;
}

/// A college graduate sitting the civil-service exam, in a hurry: the
/// route to transfer_hot escalates.
Call hurried(std::uint32_t transcript) {
  Call c(bundled("screening.zh-CN.yaml"), {{"customer_name", "王女士"}},
         SessionOptions{.transcript = transcript});
  c.answer();
  for (const char* words : {"是我", "对，想了解一下", "我是大专", "想考公务员", "越快越好"})
    EXPECT_FALSE(is_error(c.say(words))) << words;
  EXPECT_EQ(c.node(), "transfer_hot");
  return c;
}

const HandoffSummary::Value* find(const std::vector<HandoffSummary::Value>& vs,
                                  std::string_view name) {
  for (const auto& v : vs)
    if (v.name == name) return &v;
  return nullptr;
}

TEST(HandoffSummary, NamesTheCustomerTheQuestionTheValuesAndTheReason) {
  Call c = screening(100);
  const std::uint64_t escalated_at = c.now;
  const HandoffSummary s = handoff_summary(c.s, escalated_at + 12'000);
  EXPECT_TRUE(s.transcript);
  EXPECT_EQ(s.script, "edu_screening");
  // The host's facts about the customer; the script's own settings
  // (company, agent_name at their defaults) are not the customer.
  ASSERT_NE(find(s.customer, "customer_name"), nullptr);
  EXPECT_EQ(find(s.customer, "customer_name")->value, "张先生");
  ASSERT_NE(find(s.customer, "lead_source"), nullptr);
  EXPECT_EQ(find(s.customer, "lead_source")->value, "抖音");
  EXPECT_EQ(find(s.customer, "company"), nullptr);
  EXPECT_EQ(find(s.customer, "age"), nullptr);
  // What the call captured.
  ASSERT_NE(find(s.learned, "age"), nullptr);
  EXPECT_EQ(find(s.learned, "age")->value, "35");
  // The question, in the customer's words, where it was asked.
  ASSERT_EQ(s.questions.size(), 1u);
  EXPECT_EQ(s.questions[0].intent, "ask_price");
  EXPECT_EQ(s.questions[0].words, "那学费多少钱？");
  EXPECT_EQ(s.questions[0].node, "ask_goal");
  // Intents in the order first heard, each with its count.
  ASSERT_GE(s.intents.size(), 5u);
  EXPECT_EQ(s.intents[0].intent, "affirm");
  std::vector<std::string> order;
  for (const auto& h : s.intents) order.push_back(h.intent);
  auto at = [&](std::string_view i) { return std::find(order.begin(), order.end(), i); };
  EXPECT_LT(at("edu_high_school"), at("ask_price"));
  EXPECT_LT(at("ask_price"), at("start_later"));
  EXPECT_LT(at("start_later"), at("tell_age"));
  EXPECT_NE(at("tell_age"), order.end());
  for (const auto& h : s.intents)
    EXPECT_EQ(h.count, c.s.heard(*c.script->find_intent(h.intent))) << h.intent;
  // Why it escalated.
  EXPECT_TRUE(s.escalated);
  EXPECT_FALSE(s.grabbed);
  EXPECT_EQ(s.reason, EscalationReason::interested);
  EXPECT_EQ(s.priority, Priority::high);
  EXPECT_EQ(s.escalation_node, "transfer_hot");
  EXPECT_TRUE(s.score_escalated);
  EXPECT_EQ(s.escalate_score, 60u);
  EXPECT_EQ(s.trigger, "我今年35岁");
  EXPECT_EQ(s.score, c.s.score());
  EXPECT_EQ(s.grade, c.s.grade_so_far());
  EXPECT_EQ(s.waiting_ms, 12'000u);
  EXPECT_EQ(s.duration_ms, escalated_at + 12'000 - 10'000);  // answered at 10 s
  ASSERT_FALSE(s.path.empty());
  EXPECT_EQ(s.path.front(), "opening");
  EXPECT_EQ(s.path.back(), "transfer_hot");

  const std::string text = s.to_text();
  EXPECT_NE(text.find("交接摘要 · edu_screening"), std::string::npos) << text;
  EXPECT_NE(text.find("客户：customer_name=张先生；lead_source=抖音"), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          "转人工：interested（优先级 high，评分达到 60），在 transfer_hot；客户说：“我今年35岁”"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("问过：ask_price “那学费多少钱？”（ask_goal）"), std::string::npos) << text;
  EXPECT_NE(text.find("了解到：age=35"), std::string::npos) << text;
  EXPECT_NE(text.find("转人工后 12秒"), std::string::npos) << text;
  EXPECT_NE(text.find("路径：opening → intro → ask_education"), std::string::npos) << text;
  EXPECT_EQ(text.find("未保留"), std::string::npos) << text;

  const std::string json = s.to_json();
  EXPECT_NE(json.find(R"("customer":{"customer_name":"张先生","lead_source":"抖音"})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("learned":{"age":"35"})"), std::string::npos) << json;
  EXPECT_NE(
      json.find(R"({"intent":"ask_price","times":1,"words":"那学费多少钱？","node":"ask_goal")"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"("reason":"interested","priority":"high","score_escalated":true,"node":"transfer_hot")"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("trigger":"我今年35岁")"), std::string::npos) << json;
}

TEST(HandoffSummary, WithoutATranscriptHasTheCountsAndSaysSo) {
  Call c = screening(0);
  const HandoffSummary s = handoff_summary(c.s);
  EXPECT_FALSE(s.transcript);
  EXPECT_EQ(find(s.customer, "customer_name")->value, "张先生");
  EXPECT_EQ(find(s.learned, "age")->value, "35");
  ASSERT_EQ(s.questions.size(), 1u);
  EXPECT_EQ(s.questions[0].intent, "ask_price");
  EXPECT_EQ(s.questions[0].words, "");
  EXPECT_EQ(s.trigger, "");
  EXPECT_EQ(s.escalation_node, "transfer_hot");
  EXPECT_EQ(s.waiting_ms, 0u);  // now is the escalation itself
  const std::string text = s.to_text();
  EXPECT_NE(text.find("（未保留通话记录：只有计数，没有原话）"), std::string::npos) << text;
  EXPECT_NE(text.find("问过：ask_price"), std::string::npos) << text;
  EXPECT_NE(s.to_json().find(R"("transcript":false)"), std::string::npos);
}

TEST(HandoffSummary, AnEscalatingRoute) {
  Call c = hurried(100);
  const HandoffSummary s = handoff_summary(c.s);
  EXPECT_EQ(s.reason, EscalationReason::interested);
  EXPECT_EQ(s.priority, Priority::high);
  EXPECT_EQ(s.escalation_node, "transfer_hot");
  EXPECT_EQ(s.trigger, "越快越好");
  EXPECT_TRUE(s.questions.empty());
  EXPECT_TRUE(s.learned.empty());
  EXPECT_EQ(s.customer.size(), 1u);  // lead_source kept its default
  EXPECT_NE(s.to_text().find("问过：（无）"), std::string::npos) << s.to_text();
}

TEST(HandoffSummary, AGlobalHandlerThatEscalatesInEnglish) {
  Call c(bundled("appointment.en-US.yaml"), {{"first_name", "Dana"}, {"lead_source", "Facebook"}},
         SessionOptions{.transcript = 100});
  c.answer();
  for (const char* words :
       {"yes, speaking", "sure, go ahead", "we own it", "about 180 dollars a month",
        "how much does it cost?", "can I talk to a real person"})
    EXPECT_FALSE(is_error(c.say(words))) << words;
  ASSERT_EQ(c.s.phase(), Phase::waiting);
  const HandoffSummary s = handoff_summary(c.s, c.now + 65'000);
  EXPECT_EQ(s.reason, EscalationReason::asked_for_human);
  EXPECT_EQ(s.priority, Priority::high);
  EXPECT_EQ(s.handler, "ask_human");
  EXPECT_EQ(s.escalation_node, "roof_check");
  EXPECT_EQ(s.trigger, "can I talk to a real person");
  EXPECT_EQ(find(s.learned, "bill")->value, "180");
  EXPECT_EQ(find(s.customer, "first_name")->value, "Dana");
  const std::string text = s.to_text();
  EXPECT_NE(text.find("Handoff · solar_survey_booking"), std::string::npos) << text;
  EXPECT_NE(text.find("Customer: first_name=Dana; lead_source=Facebook"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Escalated: asked_for_human (priority high) at roof_check, by the global "
                      "handler for ask_human; the customer said: “can I talk to a real person”"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Asked: ask_price “how much does it cost?” (roof_check)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("since the escalation: 1 min 05 s"), std::string::npos) << text;
  EXPECT_NE(text.find("Learned: bill=180"), std::string::npos) << text;
}

TEST(HandoffSummary, WhatAGlobalHandlerAnsweredCountsAsAsked) {
  Call c(bundled("screening.zh-CN.yaml"), {{"customer_name", "李女士"}},
         SessionOptions{.transcript = 100});
  c.answer();
  for (const char* words : {"是我", "对，想了解一下", "就是太贵了"}) c.say(words);
  ASSERT_EQ(c.node(), "ask_education");  // answered, and back to the question
  const HandoffSummary s = handoff_summary(c.s);
  ASSERT_EQ(s.questions.size(), 1u);
  EXPECT_EQ(s.questions[0].intent, "too_expensive");
  EXPECT_EQ(s.questions[0].words, "就是太贵了");
}

TEST(HandoffSummary, APersonWhoTookTheCallUnasked) {
  Call c(bundled("screening.zh-CN.yaml"), {{"customer_name", "李女士"}},
         SessionOptions{.transcript = 100});
  c.answer();
  c.say("是我");
  c.say("对，想了解一下");
  HandoffSummary before = handoff_summary(c.s);
  EXPECT_FALSE(before.escalated);
  EXPECT_NE(before.to_text().find("未转人工"), std::string::npos);
  ASSERT_EQ(c.send(Event::agent_joined(c.now += 1000)), Status::ok);
  const HandoffSummary s = handoff_summary(c.s);
  EXPECT_TRUE(s.escalated);
  EXPECT_TRUE(s.grabbed);
  EXPECT_EQ(s.escalation_node, "ask_education");
  EXPECT_EQ(s.trigger, "对，想了解一下");
  EXPECT_TRUE(s.questions.empty());
  EXPECT_NE(s.to_text().find("人工接管（脚本未转人工）"), std::string::npos) << s.to_text();
  EXPECT_NE(s.to_json().find(R"("grabbed":true)"), std::string::npos);
}

}  // namespace
