// A program outside patter's tree that runs a conversation test: the
// tooling library (patter::tooling, pkg-config patter-tooling) installed
// beside the core.
#include <iostream>
#include <string_view>

#include <patter/tooling.hpp>

namespace {
constexpr std::string_view kScript = R"(patter: 1
id: consumer
version: "1.0"
locale: en-US
start: greet
intents:
  affirm: [yes, sure, go ahead]
nodes:
  greet:
    say: Hi, this is Acme. Do you have a minute?
    routes:
      - intent: affirm
        to: handoff
      - intent: any
        to: bye
  handoff:
    say: Great, let me get a colleague for you.
    escalate: {reason: interested}
  bye:
    say: Thanks for your time. Goodbye.
    hangup: not_interested
)";

constexpr std::string_view kTests = R"(cases:
  - name: a yes goes to a colleague
    turns:
      - customer: sure
        node: handoff
)";
}  // namespace

int main() {
  patter::LoadResult loaded = patter::load_string(kScript, "consumer.yaml");
  patter::TestLoad tests = patter::load_tests_string(kTests, "consumer.tests.yaml");
  for (const patter::Diagnostic& d : tests.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!loaded.ok() || !tests.ok()) return 1;
  const patter::TestReport report = patter::run_tests(*tests.suite, loaded.script);
  std::cout << "consumer tooling: " << report.passed() << " passed, " << report.failed()
            << " failed\n";
  return report.failed() == 0 && report.passed() == 1 ? 0 : 1;
}
