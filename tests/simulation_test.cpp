// Personas and simulated campaigns (patter/tooling/simulation.hpp).
#include <patter/patter.hpp>
#include <patter/tooling/simulation.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

const std::string kScripts = std::string(PATTER_SOURCE_DIR) + "/examples/scripts/";
const std::string kPersonas = std::string(PATTER_SOURCE_DIR) + "/examples/personas/";

std::shared_ptr<const patter::Script> screening() {
  static const auto script = patter::load_file(kScripts + "screening.zh-CN.yaml").script;
  return script;
}

// The first diagnostic, as `file:line:col: severity[code]: message`.
std::string first(const patter::PersonaLoad& r) {
  return r.diagnostics.empty() ? std::string() : patter::format(r.diagnostics.front());
}

patter::PersonaLoad load(const std::string& yaml) {
  return patter::load_personas_string(yaml, "p.yaml", *screening());
}

const char* const kHeader =
    "patter_personas: 1\n"
    "variables:\n"
    "  customer_name: [张先生]\n";

// kHeader, then `body` (appended, not `+`: GCC 12 warns wrongly about the operator).
std::string with_header(const std::string& body) {
  std::string s = kHeader;
  s.append(body);
  return s;
}

TEST(Personas, BundledPersonasLoadForEveryScript) {
  for (const char* name :
       {"screening.zh-CN", "invitation.zh-CN", "reactivation.zh-CN", "appointment.en-US"}) {
    auto script = patter::load_file(kScripts + name + ".yaml").script;
    ASSERT_TRUE(script) << name;
    const patter::PersonaLoad r =
        patter::load_personas_file(kPersonas + name + ".personas.yaml", *script);
    EXPECT_TRUE(r.ok()) << name << ": " << first(r);
    EXPECT_TRUE(r.diagnostics.empty()) << first(r);
  }
}

TEST(Personas, SmallFileLoads) {
  const auto r =
      load(with_header("personas:\n"
                       "  hot:\n"
                       "    share: 2\n"
                       "    answer: 0.9\n"
                       "    think_ms: [100, 200]\n"
                       "    nodes:\n"
                       "      opening: {affirm: 3, silence: 1, key_1: 1}\n"));
  ASSERT_TRUE(r.ok()) << first(r);
  const patter::Persona& p = r.personas->personas.at(0);
  EXPECT_EQ(p.name, "hot");
  EXPECT_EQ(p.share, 2);
  EXPECT_DOUBLE_EQ(p.answer, 0.9);
  EXPECT_EQ(p.think_ms.min, 100u);
  EXPECT_EQ(p.think_ms.max, 200u);
  const auto opening = *screening()->find_node("opening");
  ASSERT_EQ(p.nodes[opening].size(), 3u);
  EXPECT_EQ(p.nodes[opening][0].kind, patter::PersonaChoice::Kind::intent);
  EXPECT_EQ(p.nodes[opening][2].key, '1');
  // Words come from the script's phrases and examples.
  const auto affirm = *screening()->find_intent("affirm");
  EXPECT_FALSE(r.personas->utterances[affirm].empty());
}

TEST(Personas, UnknownKeySaysWhereAndWhatWasMeant) {
  const auto r =
      load(with_header("personas:\n"
                       "  hot:\n"
                       "    anwser: 0.9\n"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(
      first(r),
      "p.yaml:6:5: error[P010]: unknown key `anwser` in persona `hot`; did you mean `answer`?");
}

TEST(Personas, UnknownNodeAndIntentPointAtTheirLines) {
  const auto r =
      load(with_header("personas:\n"
                       "  hot:\n"
                       "    nodes:\n"
                       "      opneing: {affirm: 1}\n"
                       "      intro: {afirm: 1}\n"));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(patter::format(r.diagnostics[0]),
            "p.yaml:7:7: error[P021]: the script has no node `opneing`; did you mean `opening`?");
  EXPECT_EQ(r.diagnostics[1].code, patter::Code::unknown_intent);
  EXPECT_EQ(r.diagnostics[1].where.line, 8u);
  EXPECT_EQ(r.diagnostics[1].where.column, 15u);
  EXPECT_NE(r.diagnostics[1].hint.find("affirm"), std::string::npos);
}

TEST(Personas, BadNumbersAndRanges) {
  const auto r =
      load(with_header("personas:\n"
                       "  hot:\n"
                       "    answer: 1.5\n"
                       "    think_ms: [2000, 100]\n"
                       "    share: lots\n"));
  ASSERT_EQ(r.diagnostics.size(), 3u);
  EXPECT_EQ(r.diagnostics[0].where.line, 6u);
  EXPECT_EQ(r.diagnostics[0].where.column, 13u);
  EXPECT_EQ(r.diagnostics[0].code, patter::Code::invalid_value);
  EXPECT_EQ(r.diagnostics[1].where.line, 7u);
  EXPECT_EQ(r.diagnostics[2].code, patter::Code::wrong_type);
}

TEST(Personas, IntentWithNothingToSayNeedsUtterances) {
  const std::string body =
      "personas:\n"
      "  hot:\n"
      "    nodes:\n"
      "      ask_age: {tell_age: 1}\n";
  const auto bad = load(with_header(body));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.diagnostics[0].where.line, 7u);
  EXPECT_NE(bad.diagnostics[0].message.find("tell_age"), std::string::npos);
  EXPECT_NE(bad.diagnostics[0].hint.find("utterances"), std::string::npos);
  const auto good = load(with_header("utterances:\n  tell_age: [我今年30岁]\n" + body));
  EXPECT_TRUE(good.ok()) << first(good);
}

TEST(Personas, MissingRequiredVariableAndBadYaml) {
  const auto r = load("patter_personas: 1\npersonas: {hot: {share: 1}}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(first(r).find("customer_name"), std::string::npos);
  const auto y = load("patter_personas: 1\npersonas: [\n");
  ASSERT_FALSE(y.ok());
  EXPECT_EQ(y.diagnostics[0].code, patter::Code::yaml_syntax);
  EXPECT_GT(y.diagnostics[0].where.line, 0u);
  const auto none = patter::load_personas_file("/nonexistent/p.yaml", *screening());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.diagnostics[0].code, patter::Code::io_error);
}

TEST(Personas, AnOversizedFileIsRefusedBeforeItIsRead) {
  // Persona files are a few kilobytes; 4 MiB is the limit, for text in
  // memory and on disk alike.
  std::string big = with_header("personas: {hot: {share: 1}}\n# ");
  big.append((4u << 20) + 1 - big.size(), 'x');
  const auto from_text = load(big);
  ASSERT_FALSE(from_text.ok());
  EXPECT_EQ(from_text.diagnostics.at(0).code, patter::Code::file_too_large);
  EXPECT_EQ(from_text.diagnostics.at(0).message,
            "the file is 4194305 bytes, over the limit of 4194304");
  const std::string path =
      (std::filesystem::temp_directory_path() / "patter_big.personas.yaml").string();
  std::ofstream(path, std::ios::binary) << big;
  const auto from_file = patter::load_personas_file(path, *screening());
  std::filesystem::remove(path);
  ASSERT_EQ(from_file.diagnostics.size(), 1u);
  EXPECT_EQ(first(from_file),
            path +
                ": error[P002]: the file is 4194305 bytes, over the limit of 4194304; a persona "
                "file holds customer types and what they say; keep it under 4 MiB by giving "
                "fewer utterances");
}

TEST(Personas, BytesAndNestingAreCheckedLikeAScript) {
  const auto bad = load(std::string("patter_personas: 1\nunclear: [\xff]\n"));
  EXPECT_EQ(first(bad),
            "p.yaml:2:11: error[P003]: byte 0xFF is not valid UTF-8; save the file as UTF-8");
  std::string deep = "patter_personas: 1\nunclear: ";
  for (int i = 0; i < 20; ++i) deep += "[";
  const auto nested = load(deep + "\n");
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.diagnostics.at(0).code, patter::Code::nesting_too_deep);
}

TEST(Personas, AKeyGivenTwiceIsNamed) {
  const auto r =
      load(with_header("personas:\n"
                       "  hot: {share: 1, share: 2}\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(first(r),
            "p.yaml:5:19: error[P013]: `share` appears twice in persona `hot`; keep one of them");
}

TEST(Personas, WhatCustomersSayMustBeText) {
  const auto r =
      load(with_header("utterances:\n"
                       "  affirm: [好的, {a: 1}]\n"
                       "personas: {hot: {share: 1}}\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(first(r),
            "p.yaml:5:16: error[P011]: what customers say for `affirm` must be text, not a map");
}

patter::Simulation run(std::uint64_t seed, std::uint64_t calls = 400) {
  static const auto personas =
      patter::load_personas_file(kPersonas + "screening.zh-CN.personas.yaml", *screening())
          .personas;
  patter::SimulationOptions opt;
  opt.calls = calls;
  opt.agents = 2;
  opt.robots_per_agent = 3;
  opt.seed = seed;
  opt.grab_score = 40;
  opt.transcripts = 2;
  return patter::simulate(screening(), *personas, opt);
}

TEST(Simulation, SameSeedSameCampaign) {
  const patter::Simulation a = run(7), b = run(7), c = run(8);
  EXPECT_EQ(a.report.to_json(), b.report.to_json());
  EXPECT_EQ(a.sim_ms, b.sim_ms);
  EXPECT_NE(a.report.to_json(), c.report.to_json());
  EXPECT_EQ(a.errors, 0u);
}

TEST(Simulation, EveryCallIsCountedOnceAndEveryEscalationEnds) {
  const patter::Simulation s = run(3, 1000);
  const patter::StatsReport& r = s.report;
  EXPECT_EQ(r.calls, 1000u);
  std::uint64_t outcomes = 0;
  for (const auto& [name, n] : r.outcomes) outcomes += n;
  EXPECT_EQ(outcomes, 1000u);
  std::uint64_t graded = 0;
  for (const auto& [g, n] : r.grades) graded += n;
  EXPECT_EQ(graded, 1000u);
  // The start node is reached exactly by the calls answered.
  EXPECT_EQ(r.funnel.at(screening()->start()).reached, r.answered);
  EXPECT_EQ(s.desk.calls_opened, 1000u);
  EXPECT_EQ(s.desk.calls_ended, 1000u);
  EXPECT_EQ(s.desk.raised, s.desk.taken + s.desk.gave_up + s.desk.ended_waiting);
  EXPECT_GT(r.taken, 0u);
  EXPECT_GT(r.grabs, 0u);
  ASSERT_EQ(r.agents.size(), 2u);
  EXPECT_GT(r.utilisation, 0);
  EXPECT_LE(r.utilisation, 1);
  ASSERT_EQ(s.transcripts.size(), 2u);
  EXPECT_FALSE(s.transcripts[0].result.transcript.empty());
  EXPECT_NE(patter::format_transcript(s.transcripts[0], *screening()).find("robot"),
            std::string::npos);
  // The contexts name the transcripts' own persona and agent, wherever the
  // list of transcripts grew to.
  for (const patter::SimulatedTranscript& t : s.transcripts) {
    EXPECT_EQ(t.context.persona, t.persona);
    EXPECT_EQ(t.context.persona.data(), t.persona.data());
    EXPECT_EQ(t.context.agent.data(), t.agent.data());
  }
}

// `hold: while_waiting: script`: the robot goes on with the customer while
// the call waits in the queue. That is waiting, not giving up: a person who
// comes later takes the escalation, and the report counts it as the desk does.
TEST(Simulation, ARobotTalkingOnWhileTheCallWaitsStillWaits) {
  std::ifstream in(kScripts + "screening.zh-CN.yaml");
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t hold = yaml.find("\nhold:\n") + 1, start = yaml.find("start: opening\n");
  yaml.replace(hold, start - hold,
               "hold:\n  while_waiting: script\n  resume: hold_chat\n  timeout_s: 600\n");
  const std::string nodes = "nodes:\n";
  yaml.replace(yaml.find(nodes), nodes.size(),
               "nodes:\n  hold_chat:\n    say: 老师马上就来，您平时周末有空吗？\n"
               "    max_visits: 100\n"
               "    routes:\n      - {intent: any, to: hold_chat}\n"
               "    no_match: {retries: 0, then: hold_chat}\n"
               "    no_input: {retries: 3, then: callback_close}\n");
  const auto loaded = patter::load_string(yaml, "screening-hold.yaml");
  ASSERT_TRUE(loaded.ok()) << (loaded.diagnostics.empty()
                                   ? std::string()
                                   : patter::format(loaded.diagnostics.front()));
  const auto personas =
      patter::load_personas_file(kPersonas + "screening.zh-CN.personas.yaml", *loaded.script);
  ASSERT_TRUE(personas.ok());
  patter::SimulationOptions opt;
  opt.calls = 400;
  opt.agents = 1;
  opt.robots_per_agent = 6;  // more escalations than one person takes at once
  opt.grab_score = 0;
  const patter::Simulation s = patter::simulate(loaded.script, *personas.personas, opt);
  ASSERT_EQ(s.errors, 0u);
  EXPECT_GT(s.desk.queued, 0u);  // calls did wait, with the robot talking
  EXPECT_GT(s.desk.taken, 0u);
  EXPECT_EQ(s.report.escalations, s.desk.raised);
  EXPECT_EQ(s.report.taken, s.desk.taken);
}

TEST(Simulation, WithoutPersonasOneAverageCustomer) {
  const patter::PersonaSet set = patter::default_personas(*screening());
  ASSERT_EQ(set.personas.size(), 1u);
  patter::SimulationOptions opt;
  opt.calls = 200;
  const patter::Simulation s = patter::simulate(screening(), set, opt);
  EXPECT_EQ(s.report.calls, 200u);
  EXPECT_EQ(s.errors, 0u);
}

TEST(Simulation, NoCallsNoAgentsNothingHappens) {
  patter::SimulationOptions opt;
  opt.agents = 0;
  const patter::Simulation s =
      patter::simulate(screening(), patter::default_personas(*screening()), opt);
  EXPECT_EQ(s.report.calls, 0u);
}

}  // namespace
