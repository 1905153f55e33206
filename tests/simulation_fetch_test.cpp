// The simulated dialer's answers to a script's fetches: the persona file's
// `fetches:` (patter/tooling/simulation.hpp) and the campaign that sends them.
#include <patter/patter.hpp>
#include <patter/tooling/simulation.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

const char* const kCalendar = R"(patter: 1
id: calendar
locale: en-US
variables:
  day: {type: string, default: Tuesday}
  free: {type: bool, default: false}
intents:
  yes: [yes, sure]
start: ask
nodes:
  ask:
    say: Shall I book Tuesday?
    routes:
      - {intent: yes, to: check}
  check:
    say: Let me check.
    fetch:
      name: calendar
      with: {day: "{day}"}
      timeout_ms: 4000
      routes:
        - {when: free, to: booked}
        - {to: taken}
      timeout: slow
      failed: down
  booked: {say: Booked., hangup: completed}
  taken: {say: Taken., hangup: not_interested}
  slow: {say: Slow., hangup: completed}
  down: {say: Down., hangup: completed}
)";

std::shared_ptr<const patter::Script> calendar() {
  static const auto script = [] {
    patter::LoadResult r = patter::load_string(kCalendar, "calendar.yaml");
    for (const auto& d : r.diagnostics)
      if (d.severity == patter::Severity::error) ADD_FAILURE() << patter::format(d);
    return r.script;
  }();
  return script;
}

// Every customer picks up and says yes; `fetches` is the file's section.
patter::PersonaLoad personas(const std::string& fetches) {
  std::string yaml =
      "patter_personas: 1\n"
      "personas:\n"
      "  keen: {answer: 1, voicemail: 0, default: {yes: 1}}\n";
  yaml.append(fetches);
  return patter::load_personas_string(yaml, "p.yaml", *calendar());
}

std::string first(const patter::PersonaLoad& r) {
  return r.diagnostics.empty() ? std::string() : patter::format(r.diagnostics.front());
}

// How many of `calls` calls reached each ending.
struct Endings {
  std::uint64_t ended = 0, booked = 0, taken = 0, slow = 0, down = 0;
};

Endings simulate(const patter::PersonaSet& set, std::uint64_t calls = 200) {
  patter::SimulationOptions opt;
  opt.calls = calls;
  opt.seed = 5;
  const patter::Simulation s = patter::simulate(calendar(), set, opt);
  EXPECT_EQ(s.errors, 0u);
  const patter::Script& sc = *calendar();
  auto reached = [&](const char* node) { return s.report.funnel.at(*sc.find_node(node)).reached; };
  return {s.desk.calls_ended, reached("booked"), reached("taken"), reached("slow"),
          reached("down")};
}

TEST(SimulatedFetch, AFetchWithoutAnswersTimesOutAndEveryCallEnds) {
  const patter::PersonaLoad p = personas("");
  ASSERT_TRUE(p.ok()) << first(p);
  const Endings e = simulate(*p.personas);
  EXPECT_EQ(e.ended, 200u);  // none waits for ever on the dialer
  EXPECT_EQ(e.slow, 200u);
  EXPECT_EQ(e.booked + e.taken + e.down, 0u);
  // The default customers too.
  EXPECT_EQ(simulate(patter::default_personas(*calendar())).ended, 200u);
}

TEST(SimulatedFetch, AnswersAreDrawnByShareAndRouteTheCall) {
  const patter::PersonaLoad p = personas(
      "fetches:\n"
      "  calendar:\n"
      "    - {share: 2, data: {free: true}}\n"
      "    - {share: 1, data: {free: false}}\n"
      "    - {share: 1, failed: true}\n"
      "    - {share: 1, timeout: true}\n");
  ASSERT_TRUE(p.ok()) << first(p);
  ASSERT_EQ(p.personas->fetches.size(), 1u);
  ASSERT_EQ(p.personas->fetches[0].second.size(), 4u);
  const Endings e = simulate(*p.personas, 1000);
  EXPECT_EQ(e.ended, 1000u);
  EXPECT_EQ(e.booked + e.taken + e.slow + e.down, 1000u);
  EXPECT_NEAR(static_cast<double>(e.booked), 400, 60);
  EXPECT_NEAR(static_cast<double>(e.taken), 200, 50);
  EXPECT_NEAR(static_cast<double>(e.down), 200, 50);
  EXPECT_NEAR(static_cast<double>(e.slow), 200, 50);
}

TEST(SimulatedFetch, DataComesWhenTheLineEndsWithinTheDeadline) {
  const patter::PersonaLoad p = personas("fetches: {calendar: [{data: {free: true}}]}\n");
  ASSERT_TRUE(p.ok()) << first(p);
  patter::SimulationOptions opt;
  opt.calls = 1;
  opt.transcripts = 1;
  const patter::Simulation s = patter::simulate(calendar(), *p.personas, opt);
  ASSERT_EQ(s.transcripts.size(), 1u);
  const auto& t = s.transcripts[0].result.transcript;
  std::uint64_t check = 0, booked = 0;
  for (const patter::TranscriptEntry& x : t) {
    if (x.text == "Let me check.") check = x.at_ms;
    if (x.text == "Booked.") booked = x.at_ms;
  }
  ASSERT_NE(check, 0u);
  EXPECT_GT(booked, check);         // after the line ...
  EXPECT_LT(booked, check + 4000);  // ... and before the deadline
}

TEST(SimulatedFetch, MistakesInFetchesSayWhereAndWhat) {
  struct Bad {
    const char* yaml;
    patter::Code code;
    const char* text;
  } bad[] = {
      {"fetches: {calender: [{failed: true}]}\n", patter::Code::invalid_value,
       "p.yaml:4:11: error[P014]: the script fetches nothing named `calender`"},
      {"fetches: {calendar: {failed: true}}\n", patter::Code::wrong_type,
       "the answers to `calendar` must be a list"},
      {"fetches: {calendar: [{share: 1}]}\n", patter::Code::invalid_value,
       "has none of `data`, `failed` and `timeout`"},
      {"fetches: {calendar: [{failed: true, timeout: true}]}\n", patter::Code::invalid_value,
       "has more than one of `data`, `failed` and `timeout`"},
      {"fetches: {calendar: [{failed: false}]}\n", patter::Code::invalid_value,
       "`failed` is only ever `true`"},
      {"fetches: {calendar: [{data: {fre: true}}]}\n", patter::Code::undeclared_variable,
       "the script has no variable `fre`"},
      {"fetches: {calendar: [{data: {free: [1]}}]}\n", patter::Code::wrong_type,
       "the value of `free` must be one value"},
      {"fetches: {calendar: [{failed: true, later: 1}]}\n", patter::Code::unknown_key, "later"},
      {"fetches: [calendar]\n", patter::Code::wrong_type, "`fetches` must be a map"},
  };
  for (const Bad& b : bad) {
    const patter::PersonaLoad p = personas(b.yaml);
    EXPECT_FALSE(p.ok()) << b.yaml;
    ASSERT_FALSE(p.diagnostics.empty()) << b.yaml;
    EXPECT_EQ(p.diagnostics[0].code, b.code) << b.yaml << first(p);
    EXPECT_NE(first(p).find(b.text), std::string::npos) << b.yaml << first(p);
  }
  // A near miss gets a suggestion.
  EXPECT_NE(first(personas("fetches: {calender: [{failed: true}]}\n")).find("`calendar`"),
            std::string::npos);
}

}  // namespace
