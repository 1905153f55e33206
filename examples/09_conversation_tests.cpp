// 09 — Conversation tests: calls written down as YAML, turn by turn, with
// what the robot should do; run against the script, with the coverage of
// nodes, routes and intents they reach. (`patter test` runs the same.)
//
//   tests YAML ──load_tests_string──▶ TestSuite ──run_tests──▶ TestReport
//                                                               ├── cases: pass / FAIL + diff
//   script: greet ──agree──▶ advisor [escalate]                 └── coverage
//             └──decline──▶ bye [hang up]
#include <iostream>

#include <patter/tooling.hpp>

namespace {

constexpr const char* kScript = R"(patter: 1
id: renewal
version: "1"
locale: en-US
start: greet
intents:
  agree: ["yes", sure, okay]
  decline: ["no", not interested]
nodes:
  greet:
    say: Hi, your plan renews next month with twenty percent off. Shall an advisor call you?
    routes:
      - {intent: agree, to: advisor, tags: [hot]}
      - {intent: decline, to: bye}
    no_input: {retries: 1, then: bye}
  advisor: {say: "Great, connecting you now.", escalate: interested}
  bye: {say: No problem. Goodbye!, hangup: not_interested}
)";

// The second case is wrong on purpose: the script says "Goodbye", not "Bye".
constexpr const char* kTests = R"(cases:
  - name: a yes goes to an advisor
    turns:
      - customer: sure, why not
        node: advisor
        actions: [{escalate: interested}]
    expect: {tags: [hot], phase: waiting}
  - name: a no ends politely
    turns:
      - customer: no thanks
        says: Bye!
    expect: {hangup: not_interested}
)";

}  // namespace

int main() {
  auto loaded = patter::load_string(kScript, "renewal.yaml");
  if (!loaded.ok()) return 1;
  patter::TestLoad tests = patter::load_tests_string(kTests, "renewal.tests.yaml");
  for (const patter::Diagnostic& d : tests.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!tests.ok()) return 1;

  const patter::TestReport report = patter::run_tests(*tests.suite, loaded.script);
  for (const patter::CaseResult& c : report.cases) {
    std::cout << (c.passed ? "pass " : "FAIL ") << c.name << '\n';
    if (!c.passed) std::cout << c.diff;
  }
  std::cout << patter::format(report.coverage, *loaded.script);
  std::cout << report.passed() << " passed, " << report.failed() << " failed\n";
  return report.failed() == 1 ? 0 : 1;  // the one broken on purpose
}
