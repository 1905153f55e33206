// Training (patter/tooling/training.hpp, patter/tooling/training_assessment.hpp):
// the assessment against hand-made calls, and a trainee's session.
#include <patter/patter.hpp>
#include <patter/tooling/training.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

const std::string kExamples = std::string(PATTER_SOURCE_DIR) + "/examples/";

std::shared_ptr<const patter::Script> solar() {
  static const auto s = patter::load_file(kExamples + "scripts/appointment.en-US.yaml").script;
  return s;
}
std::shared_ptr<const patter::Script> screening() {
  static const auto s = patter::load_file(kExamples + "scripts/screening.zh-CN.yaml").script;
  return s;
}
const patter::PersonaSet& solar_personas() {
  static const patter::PersonaSet set =
      *patter::load_personas_file(kExamples + "personas/appointment.en-US.personas.yaml", *solar())
           .personas;
  return set;
}

patter::NodeId node(const patter::Script& s, const char* name) {
  return *s.find_node(name);
}

// A call the trainee took at `at`, on time, saying `lines`.
patter::TrainingCall taken(const patter::Script& s, const char* at,
                           std::vector<std::string> lines) {
  patter::TrainingCall c;
  c.call = 1;
  c.persona = "keen_owner";
  c.taken_at = node(s, at);
  c.grab = patter::GrabDecision{1, patter::GrabVerdict::on_time, 800};
  std::uint64_t t = 1000;
  for (std::string& l : lines) c.lines.push_back({t += 5000, std::move(l)});
  return c;
}

patter::TrainingReport assess_one(const patter::Script& s, const patter::TrainingCall& c,
                                  const patter::AssessmentOptions& o = {}) {
  return patter::assess(s, {&c, 1}, o);
}

TEST(TrainingAssessment, KeyPointsFollowTheWayToTheGoalFromWhereTheTraineeTookOver) {
  const auto points = patter::key_points(*solar(), node(*solar(), "offer_survey"));
  ASSERT_FALSE(points.empty());
  EXPECT_EQ(points.front().node, "offer_survey");
  EXPECT_EQ(points.front().text, "We offer a free");
  EXPECT_EQ(points.front().words, (std::vector<std::string>{"offer", "free"}));
  // The deepest completed close is the booking: through the calendar, not the objection.
  std::vector<std::string> nodes;
  for (const patter::KeyPoint& k : points)
    if (nodes.empty() || nodes.back() != k.node) nodes.push_back(k.node);
  EXPECT_EQ(nodes, (std::vector<std::string>{"offer_survey", "check_slot", "confirm_booking"}));
  // Variables say nothing to repeat: "I've put you down for {slot}" keeps put, down.
  bool holes = false;
  for (const patter::KeyPoint& k : points)
    for (const std::string& w : k.words) holes = holes || w.find("slot") != std::string::npos;
  EXPECT_FALSE(holes);
  patter::AssessmentOptions one;
  one.key_nodes = 1;
  for (const patter::KeyPoint& k :
       patter::key_points(*solar(), node(*solar(), "offer_survey"), one))
    EXPECT_EQ(k.node, "offer_survey");
}

TEST(TrainingAssessment, ChineseLinesAreSplitIntoWords) {
  const auto points = patter::key_points(*screening(), screening()->start());
  ASSERT_FALSE(points.empty());
  for (const patter::KeyPoint& k : points)
    for (const std::string& w : k.words) EXPECT_GE(w.size(), 6u) << w;  // 2+ CJK characters
}

TEST(TrainingAssessment, ATraineeWhoCoversEveryPoint) {
  std::string all;
  for (const patter::KeyPoint& k : patter::key_points(*solar(), node(*solar(), "offer_survey")))
    for (const std::string& w : k.words) all += w + " ";
  const patter::TrainingReport r = assess_one(*solar(), taken(*solar(), "offer_survey", {all}));
  ASSERT_EQ(r.calls.size(), 1u);
  EXPECT_EQ(r.calls[0].taken_at, "offer_survey");
  EXPECT_EQ(r.covered, r.key_points);
  EXPECT_DOUBLE_EQ(r.coverage, 1.0);
  EXPECT_DOUBLE_EQ(r.score, 100.0);
  EXPECT_TRUE(r.passed);
}

TEST(TrainingAssessment, ATraineeWhoMissesSomePoints) {
  const patter::TrainingReport r =
      assess_one(*solar(), taken(*solar(), "offer_survey",
                                 {"We offer a free home survey; it takes about 45 minutes.",
                                  "Let me check the calendar for you."}));
  const auto& points = r.calls[0].key_points;
  auto find = [&](std::string_view text) {
    for (const patter::KeyPoint& k : points)
      if (k.text == text) return k;
    ADD_FAILURE() << "no key point " << text;
    return patter::KeyPoint{};
  };
  EXPECT_TRUE(find("We offer a free").covered);
  EXPECT_TRUE(find("It takes about 45 minutes").covered);
  EXPECT_TRUE(find("Let me check the calendar").covered);
  const patter::KeyPoint estimate = find("and you get a savings estimate on the spot");
  EXPECT_FALSE(estimate.covered);
  EXPECT_TRUE(estimate.said.empty());
  // Half the words are enough: "no-obligation home survey" has obligation, home, survey.
  EXPECT_TRUE(find("no-obligation home survey").covered);
  EXPECT_EQ(find("no-obligation home survey").said, (std::vector<std::string>{"home", "survey"}));
  EXPECT_LT(r.covered, r.key_points);
  EXPECT_GT(r.covered, 0u);
  EXPECT_LT(r.score, 100.0);
  EXPECT_NE(r.to_text().find("- [offer_survey] and you get a savings estimate on the spot"),
            std::string::npos);
}

TEST(TrainingAssessment, AForbiddenPhraseIsFoundWhereItWasSaid) {
  patter::AssessmentOptions o;
  o.forbidden = {"best price in town"};
  const patter::TrainingReport r = assess_one(
      *solar(),
      taken(*solar(), "offer_survey",
            {"We offer a free survey.", "Honestly it's RISK-FREE, the best price in town!",
             "There is no risky part"}),
      o);
  const auto& f = r.calls[0].forbidden;
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].phrase, "risk-free");
  EXPECT_EQ(f[0].line, 1u);
  EXPECT_EQ(f[0].at_ms, 11000u);
  EXPECT_EQ(f[1].phrase, "best price in town");
  EXPECT_EQ(r.forbidden, 2u);
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.to_text().find("forbidden: \"risk-free\" in line 2 at 0:11"), std::string::npos);
  o.builtin_forbidden = false;
  EXPECT_EQ(assess_one(*solar(), taken(*solar(), "offer_survey", {"it's risk-free"}), o).forbidden,
            0u);
}

TEST(TrainingAssessment, ChineseForbiddenPhrasesCountOnceAndAcrossPunctuation) {
  const patter::TrainingReport r = assess_one(
      *screening(), taken(*screening(), "intro", {"这个课程稳赚不赔，学完保证收益！", "零 风险"}));
  const auto& f = r.calls[0].forbidden;
  ASSERT_EQ(f.size(), 3u);  // 稳赚 inside 稳赚不赔 is not a second one
  EXPECT_EQ(f[0].phrase, "稳赚不赔");
  EXPECT_EQ(f[1].phrase, "保证收益");
  EXPECT_EQ(f[2].phrase, "零风险");
  EXPECT_EQ(f[2].line, 1u);
}

TEST(TrainingAssessment, GrabTimingEarlyLateAndMissed) {
  std::vector<patter::TrainingCall> calls;
  const std::pair<patter::GrabVerdict, std::int64_t> grabs[] = {
      {patter::GrabVerdict::on_time, 1000},
      {patter::GrabVerdict::early, -20000},
      {patter::GrabVerdict::late, 30000},
      {patter::GrabVerdict::missed, 0}};
  for (const auto& [verdict, offset] : grabs) {
    patter::TrainingCall c;
    c.call = calls.size() + 1;
    c.grab = patter::GrabDecision{c.call, verdict, offset};
    if (verdict != patter::GrabVerdict::missed) c.taken_at = node(*solar(), "ask_bill");
    calls.push_back(c);
  }
  const patter::TrainingReport r = patter::assess(*solar(), calls);
  EXPECT_EQ(r.on_time, 1u);
  EXPECT_EQ(r.early, 1u);
  EXPECT_EQ(r.late, 1u);
  EXPECT_EQ(r.missed, 1u);
  EXPECT_EQ(r.taken, 3u);
  EXPECT_DOUBLE_EQ(r.timing, 0.25);
  EXPECT_DOUBLE_EQ(r.coverage, 0.0);  // nothing said
  EXPECT_DOUBLE_EQ(r.score, 12.5);
  EXPECT_TRUE(r.calls[3].key_points.empty());  // never had the call: nothing to say
  const std::string text = r.to_text();
  EXPECT_NE(text.find("grab early (-20.0 s)"), std::string::npos);
  EXPECT_NE(text.find("grab late (+30.0 s)"), std::string::npos);
  EXPECT_NE(text.find("not taken; grab missed"), std::string::npos);
  const std::string json = r.to_json();
  EXPECT_NE(json.find("\"grab\":{\"verdict\":\"missed\",\"offset_ms\":0}"), std::string::npos);
  EXPECT_NE(json.find("\"totals\":{\"calls\":4,\"taken\":3,\"on_time\":1,\"early\":1,\"late\":1,"
                      "\"missed\":1"),
            std::string::npos);
}

TEST(TrainingAssessment, BadWordsNeitherCrashNorBreakTheReport) {
  const std::string huge(100000, 'x');
  const patter::TrainingReport r = assess_one(
      *solar(), taken(*solar(), "offer_survey", {"", "free \xFF\xFE survey", huge + " risk-free"}));
  EXPECT_EQ(r.calls[0].lines[1].text, "free \xEF\xBF\xBD\xEF\xBF\xBD survey");  // U+FFFD each
  EXPECT_EQ(r.forbidden, 0u);  // past what is read of a line
  EXPECT_GT(r.covered, 0u);
  EXPECT_EQ(r.to_json().find('\xFF'), std::string::npos);
  const patter::TrainingReport none = patter::assess(*solar(), {});
  EXPECT_TRUE(none.calls.empty());
  EXPECT_DOUBLE_EQ(none.score, 100.0);
  EXPECT_TRUE(patter::key_points(*solar(), patter::kNone).empty());
}

TEST(TrainingAssessment, TheHostsKeyPointsReplaceTheScriptsLines) {
  patter::AssessmentOptions o;
  o.key_points = {"monthly payment plan", "federal tax credit"};
  const patter::TrainingReport r = assess_one(
      *solar(), taken(*solar(), "offer_survey", {"You can spread it as a monthly payment."}), o);
  ASSERT_EQ(r.calls[0].key_points.size(), 2u);
  EXPECT_TRUE(r.calls[0].key_points[0].covered);
  EXPECT_FALSE(r.calls[0].key_points[1].covered);
}

// ---- the session ------------------------------------------------------------------

patter::TrainingOptions three(std::uint64_t seed = 3) {
  patter::TrainingOptions o;
  o.calls = 2;
  o.seed = seed;
  return o;
}

// Runs until `stop` says so for an event; returns that event's call.
template <class Stop>
patter::CallId run_until(patter::TrainingSession& t, std::vector<patter::TrainingEvent>& seen,
                         Stop stop) {
  std::vector<patter::TrainingEvent> events;
  while (t.advance()) {
    events.clear();
    t.poll(events);
    for (const patter::TrainingEvent& e : events) {
      seen.push_back(e);
      if (stop(e)) return e.call;
    }
  }
  return 0;
}

bool escalated(const patter::TrainingEvent& e) {
  return e.type == patter::TrainingEventType::escalated;
}

TEST(TrainingSession, ATraineeTakesAnEscalationTalksAndFinishes) {
  patter::TrainingSession t(solar(), solar_personas(), three());
  std::vector<patter::TrainingEvent> seen;
  const patter::CallId call = run_until(t, seen, escalated);
  ASSERT_NE(call, 0u);
  EXPECT_EQ(seen.front().type, patter::TrainingEventType::dialed);
  EXPECT_EQ(t.waiting(), std::vector<patter::CallId>{call});
  ASSERT_EQ(t.grab(call), patter::TrainingStatus::ok);
  EXPECT_EQ(t.talking(), call);
  ASSERT_EQ(t.say(call, "We offer a free home survey; it takes 45 minutes. Shall I book one?"),
            patter::TrainingStatus::ok);
  const patter::CallId answered = run_until(t, seen, [&](const patter::TrainingEvent& e) {
    return e.type == patter::TrainingEventType::customer_said ||
           e.type == patter::TrainingEventType::ended;
  });
  EXPECT_EQ(answered, call);
  if (t.talking()) {
    ASSERT_EQ(t.finish(call), patter::TrainingStatus::ok);
  }
  run_until(t, seen, [](const patter::TrainingEvent&) { return false; });
  EXPECT_TRUE(t.done());
  const patter::TrainingReport r = t.report();
  ASSERT_EQ(r.calls.size(), 2u);
  EXPECT_EQ(r.calls[0].taken_at, "offer_survey");
  ASSERT_TRUE(r.calls[0].grab);
  EXPECT_EQ(r.calls[0].grab->verdict, patter::GrabVerdict::on_time);
  ASSERT_EQ(r.calls[0].lines.size(), 1u);
  EXPECT_GT(r.calls[0].covered(), 2u);
  EXPECT_TRUE(r.calls[0].ended);
}

TEST(TrainingSession, AnEscalationNobodyTakesIsMissed) {
  patter::TrainingSession t(solar(), solar_personas(), three());
  std::vector<patter::TrainingEvent> seen;
  run_until(t, seen, [](const patter::TrainingEvent&) { return false; });
  const patter::TrainingReport r = t.report();
  ASSERT_FALSE(r.calls.empty());
  ASSERT_TRUE(r.calls[0].grab);
  EXPECT_EQ(r.calls[0].grab->verdict, patter::GrabVerdict::missed);
  EXPECT_EQ(r.missed, 1u);
  EXPECT_TRUE(r.calls[0].taken_at.empty());
}

TEST(TrainingSession, AGrabBeforeTheScriptWouldEscalateIsNotOnTime) {
  patter::TrainingSession t(solar(), solar_personas(), three());
  std::vector<patter::TrainingEvent> seen;
  const patter::CallId call = run_until(t, seen, [](const patter::TrainingEvent& e) {
    return e.type == patter::TrainingEventType::robot_said;
  });
  ASSERT_EQ(t.grab(call), patter::TrainingStatus::ok);
  EXPECT_EQ(t.finish(call), patter::TrainingStatus::ok);
  const patter::TrainingReport r = t.report();
  ASSERT_TRUE(r.calls[0].grab);
  EXPECT_NE(r.calls[0].grab->verdict, patter::GrabVerdict::on_time);
  EXPECT_EQ(r.calls[0].taken_at, "opening");
}

TEST(TrainingSession, TheCustomerAnswersAtTheNodeTheWordsCoverBest) {
  patter::TrainingSession t(solar(), solar_personas(), three());
  std::vector<patter::TrainingEvent> seen;
  const patter::CallId call = run_until(t, seen, [](const patter::TrainingEvent& e) {
    return e.type == patter::TrainingEventType::robot_said &&
           e.node == *solar()->find_node("ask_owner");
  });
  ASSERT_NE(call, 0u);
  ASSERT_EQ(t.grab(call), patter::TrainingStatus::ok);
  auto said_at = [&](const char* words) {
    EXPECT_EQ(t.say(call, words), patter::TrainingStatus::ok);
    std::vector<patter::TrainingEvent> events;
    t.poll(events);
    for (const patter::TrainingEvent& e : events)
      if (e.type == patter::TrainingEventType::trainee_said) return solar()->node(e.node).name;
    return std::string("(none)");
  };
  EXPECT_EQ(said_at("Hello, this is Sam."), "ask_owner");  // nothing of the way: where it stands
  EXPECT_EQ(said_at("Does your roof get direct sun, without trees shading it?"), "roof_check");
  EXPECT_EQ(said_at("Okay, got it."), "roof_check");  // the conversation stands there now
  EXPECT_EQ(t.report().calls[0].taken_at, "ask_owner");
}

TEST(TrainingSession, WhatCannotBeDoneSaysWhyAndChangesNothing) {
  patter::TrainingSession t(solar(), solar_personas(), three());
  std::vector<patter::TrainingEvent> seen;
  const patter::CallId call = run_until(t, seen, escalated);
  ASSERT_NE(call, 0u);
  EXPECT_EQ(t.grab(999), patter::TrainingStatus::unknown_call);
  EXPECT_EQ(t.say(999, "hello"), patter::TrainingStatus::unknown_call);
  EXPECT_EQ(t.say(call, "hello"), patter::TrainingStatus::not_taken);  // before the grab
  EXPECT_EQ(t.hand_back(call, solar()->start()), patter::TrainingStatus::not_taken);
  EXPECT_EQ(t.finish(call), patter::TrainingStatus::not_taken);
  ASSERT_EQ(t.grab(call), patter::TrainingStatus::ok);
  EXPECT_EQ(t.grab(call), patter::TrainingStatus::already_taken);
  EXPECT_EQ(t.say(call, "  \t "), patter::TrainingStatus::empty_words);
  EXPECT_EQ(t.say(call, ""), patter::TrainingStatus::empty_words);
  EXPECT_EQ(t.say(call, std::string(patter::Normalizer::kMaxBytes + 1, 'a')),
            patter::TrainingStatus::too_long);
  EXPECT_EQ(t.hand_back(call, 100000), patter::TrainingStatus::unknown_node);
  EXPECT_TRUE(t.report().calls[0].lines.empty());
  EXPECT_EQ(t.say(call, "free \xFF survey"), patter::TrainingStatus::ok);
  EXPECT_EQ(t.report().calls[0].lines.at(0).text, "free \xEF\xBF\xBD survey");
  ASSERT_EQ(t.finish(call, patter::HangupReason::callback), patter::TrainingStatus::ok);
  EXPECT_EQ(t.say(call, "hello"), patter::TrainingStatus::unknown_call);  // it has ended
  EXPECT_EQ(t.finish(call), patter::TrainingStatus::unknown_call);
  EXPECT_EQ(t.report().calls[0].hangup, patter::HangupReason::callback);
  EXPECT_FALSE(patter::describe(patter::TrainingStatus::not_taken).empty());
}

TEST(TrainingSession, TheSameSeedGivesTheSameCustomers) {
  auto events = [](std::uint64_t seed) {
    patter::TrainingSession t(solar(), solar_personas(), three(seed));
    std::vector<patter::TrainingEvent> seen;
    run_until(t, seen, [](const patter::TrainingEvent&) { return false; });
    std::string out;
    for (const patter::TrainingEvent& e : seen)
      out += std::to_string(e.at_ms) + std::string(patter::to_string(e.type)) + e.text + "\n";
    return out;
  };
  EXPECT_EQ(events(5), events(5));
  EXPECT_NE(events(5), events(6));
}

TEST(TrainingSession, NoPersonasNothingToDo) {
  patter::TrainingSession t(solar(), patter::PersonaSet{}, three());
  EXPECT_FALSE(t.advance());
  EXPECT_TRUE(t.done());
  EXPECT_EQ(t.grab(1), patter::TrainingStatus::unknown_call);
  EXPECT_TRUE(t.report().calls.empty());
}

}  // namespace
