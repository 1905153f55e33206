// patter/tooling/conversation_test.hpp — conversation tests for a script: what the
// customer does, turn by turn, what the robot should do, and how much of the
// script the tests reach.
//
//   patter::TestLoad tests =
//   patter::load_tests_file("examples/scripts/tests/screening.zh-CN.tests.yaml"); for (const
//   patter::Diagnostic& d : tests.diagnostics) std::cerr << patter::format(d) << '\n'; if
//   (!tests.ok()) return 1; patter::LoadResult loaded = patter::load_file(tests.suite->script); if
//   (!loaded.ok()) return 1;
//
//   patter::TestReport report = patter::run_tests(*tests.suite, loaded.script);
//   for (const patter::Diagnostic& d : report.diagnostics) std::cerr << patter::format(d) << '\n';
//   for (const patter::CaseResult& c : report.cases)
//     std::cout << (c.passed ? "pass " : "FAIL ") << c.name << '\n' << c.diff;
//   std::cout << patter::format(report.coverage, *loaded.script);
//   std::cout << report.passed() << " passed, " << report.failed() << " failed\n";
//
// A test file sits beside its script: `screening.zh-CN.tests.yaml` (or in a
// `tests/` folder beside it) tests `screening.zh-CN.yaml`. Each case is one
// call: the call is answered, then its turns run in order, each one a
// customer input (words, a host intent, silence, a key, hanging up, a person
// grabbing the call or handing it back) with what should follow (the node,
// the robot's lines, the actions, the tags...). A case stops at its first
// turn that does not go as expected and says why, quoting `Turn::explain`.
// The format is documented in docs/testing-scripts.md.
//
// Errors follow the loader's model: a test file that cannot be read, is not
// YAML, has unknown keys or bad values, or names nodes, intents, tags or
// variables the script does not have, comes back as Diagnostics with the
// file, line and column. Nothing here throws for bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patter/diagnostic.hpp"
#include "patter/loader.hpp"
#include "patter/session.hpp"

namespace patter {

/// A name the script must have (a node, an intent, a tag, a variable), with
/// where the test file says it, for messages.
struct TestName {
  std::string name;
  SourceLocation where;
};

/// What the customer (or the person at the desk) does in one turn.
enum class TestInput : std::uint8_t {
  answer,     ///< the call is answered (sent first unless the first turn is answer, no_answer or
              ///< voicemail)
  text,       ///< the customer says `text`
  intent,     ///< the host's NLU heard intent `text` with `confidence`
  silence,    ///< the listen timed out
  key,        ///< DTMF key `text`
  hangup,     ///< the customer hangs up
  no_answer,  ///< nobody picks up (a hang-up before the answer)
  voicemail,  ///< an answering machine takes the call
  grab,       ///< a person takes the call
  back,       ///< the person hands the call back at node `text`
  finish,     ///< the person ends the call, with reason `text` (empty: agent_ended)
  wait,       ///< time passes (`after_ms`); a timer event is sent
  data,       ///< the host's data (`data`): the answer to the fetch that waits, or variables it
              ///< sets; `text` "failed": the host could not fetch it
};
std::string_view to_string(TestInput t) noexcept;

/// An action that should be among the turn's actions. `detail` narrows it:
/// the hang-up or escalation reason, the tag, the listen timeout in ms, or
/// text contained in the line; empty matches any.
struct ExpectedAction {
  ActionType type = ActionType::say;
  std::string detail;
};

/// What should hold after a turn, or at the end of the call. Unset fields
/// are not checked.
struct TestExpectations {
  std::optional<TestName> node;               ///< where the call is now
  std::optional<std::vector<TestName>> path;  ///< turn: nodes entered in it; call: the whole path
  std::vector<std::string> says;              ///< each contained in the robot's lines, in order
  std::optional<std::vector<std::string>> says_exactly;     ///< the robot's lines, exactly
  std::vector<TestName> heard;                              ///< intents understood in the turn
  std::optional<Decision> decision;                         ///< how the turn was decided
  std::vector<ExpectedAction> actions;                      ///< among the actions, in this order
  std::vector<TestName> tags;                               ///< the call has these tags
  std::vector<TestName> no_tags;                            ///< and not these
  std::optional<double> score;                              ///< the interest score, exactly
  std::vector<std::pair<TestName, std::string>> variables;  ///< variable values, as text
  std::optional<Status> status;  ///< the step's status (default: not an error)
  std::optional<Phase> phase;
  std::optional<bool> ended;
  // At the end of the call only:
  std::optional<Outcome> outcome;
  std::optional<std::string> grade;  ///< a grade code of the script
  std::optional<HangupReason> hangup;
  std::optional<EscalationReason> escalation;
  std::optional<std::uint32_t> turns;

  bool empty() const noexcept;
};

struct TestTurn {
  TestInput input = TestInput::text;
  std::string text;               ///< the words, key, intent, node or reason
  float confidence = 1;           ///< intent
  std::uint32_t after_ms = 3000;  ///< time since the previous event
  std::optional<std::uint32_t>
      during_ms;  ///< text/intent: heard this far into the robot's line (barge-in)
  TestExpectations expect;
  SourceLocation where;
  std::vector<std::pair<std::string, std::string>> data;  ///< data: variable values, as text
};

struct TestCase {
  std::string name;
  std::string description;
  std::vector<std::pair<TestName, std::string>> variables;  ///< the suite's, then the case's
  std::vector<TestTurn> turns;
  TestExpectations expect;  ///< at the end of the call
  SourceLocation where;
  /// `variants: {offer: short}`: the A/B test variants the call is in, by
  /// experiment (the runner picks a variant key that gives them).
  std::vector<std::pair<TestName, std::string>> variants;
};

/// The cases of one test file.
struct TestSuite {
  std::string file;    ///< the test file, as given
  std::string script;  ///< the script it tests (path resolved against the test file)
  std::vector<TestCase> cases;
};

struct TestLoad {
  std::optional<TestSuite> suite;
  std::vector<Diagnostic> diagnostics;
  bool ok() const noexcept { return suite.has_value(); }
};

struct TestLoadOptions {
  std::size_t max_file_bytes = 16u << 20;
  std::size_t max_depth = 32;
  std::size_t max_elements = 2'000'000;
};

/// Read a test file. Errors (no suite) for unreadable files, bad YAML,
/// unknown keys (with a suggestion), wrong types and bad values.
TestLoad load_tests_file(const std::string& path, const TestLoadOptions& options = {});
/// Same, from memory; `name` is used in diagnostics and to find the script.
TestLoad load_tests_string(std::string_view yaml, const std::string& name = "<string>",
                           const TestLoadOptions& options = {});

/// The naming convention. For a script `dir/name.yaml`, the test files that
/// exist among `dir/name.tests.yaml` and `dir/tests/name.tests.yaml`.
std::vector<std::string> find_tests_for(const std::string& script_path);
/// True for `*.tests.yaml`.
bool is_tests_file(std::string_view path) noexcept;
/// For a test file `dir/name.tests.yaml` without a `script:` key: `dir/name.yaml`,
/// or `dir/../name.yaml` when the file is in a `tests/` folder.
std::string script_for_tests(const std::string& tests_path);

/// Names in the suite that `script` does not have (nodes, intents, tags,
/// variables), as errors with a suggestion.
std::vector<Diagnostic> check_tests(const TestSuite& suite, const Script& script);

// ---- results ------------------------------------------------------------------

/// One expectation that did not hold.
struct TestFailure {
  std::size_t turn = 0;  ///< 1-based turn; 0: the end of the call
  std::string what;      ///< "node", "says", "outcome"...
  std::string expected;
  std::string actual;
  SourceLocation where;
};

struct CaseResult {
  std::string name;
  SourceLocation where;
  bool passed = false;
  std::vector<TestFailure> failures;
  /// Readable: the failing turn, expected against actual, and why the
  /// session did what it did. Empty when passed.
  std::string diff;
  CallResult result;
};

/// What the cases reached. Routes and handlers are indexed as in the Script.
struct Coverage {
  std::vector<std::uint32_t> nodes;                ///< entries per node
  std::vector<std::vector<std::uint32_t>> routes;  ///< per node, per route: times taken
  std::vector<std::uint32_t> intents;              ///< times heard, per intent
  std::vector<std::uint32_t> handlers;             ///< runs per global handler
  std::vector<bool> intent_used;  ///< the intent is in a route or handler (counted)
  /// Per node, per variant (`variants:`): calls that entered the node in it.
  /// A variant's own routes are counted in `routes`, after the node's.
  std::vector<std::vector<std::uint32_t>> variants;

  struct Ratio {
    std::size_t covered = 0, total = 0;
    double percent() const noexcept {
      return total ? 100.0 * double(covered) / double(total) : 100.0;
    }
  };
  Ratio node_ratio() const noexcept;
  Ratio route_ratio() const noexcept;
  Ratio intent_ratio() const noexcept;
  Ratio handler_ratio() const noexcept;
  Ratio variant_ratio() const noexcept;

  /// Sized for `script`, all zero.
  static Coverage empty_for(const Script& script);
  /// Add another run's counts (same script).
  void merge(const Coverage& other);
};

/// The cases of one suite, run against its script.
struct TestReport {
  std::string file;
  std::string script_file;
  std::vector<Diagnostic> diagnostics;  ///< from check_tests; with errors, no case ran
  std::vector<CaseResult> cases;
  Coverage coverage;
  std::size_t passed() const noexcept;
  std::size_t failed() const noexcept;
};

/// Check the suite's names against the script, then run every case.
TestReport run_tests(const TestSuite& suite, std::shared_ptr<const Script> script);
/// One case, adding what it reached to `coverage` (sized for the script).
CaseResult run_case(const TestCase& test, const std::shared_ptr<const Script>& script,
                    Coverage& coverage);

/// Percentages, then a list of what no test reaches, with source places.
std::string format(const Coverage& coverage, const Script& script);
/// One JSON object: counts and what is missing.
std::string to_json(const Coverage& coverage, const Script& script);
/// One JSON object: file, script, cases (with failures), coverage, counts.
std::string to_json(const TestReport& report, const Script* script);

}  // namespace patter
