// patter/tooling/stats.hpp — funnels from finished calls: where customers go, where
// they drop off, what the calls are worth, how long escalations wait.
//
//   patter::Stats stats(script);                       // the script gives node order and edges
//   for (const patter::CallResult& r : results) stats.add(r);
//   // ... or from recorded results, one JSON object per line:
//   if (auto added = stats.add_json(line); !added)     // patter/result.hpp
//     std::cerr << "line " << n << ": " << added.message() << '\n';
//
//   patter::StatsReport report = stats.report();
//   std::cout << report.to_text();                     // or report.to_json()
//   std::ofstream("traffic.dot") << stats.to_dot();    // edge widths show traffic
//
// With A/B tests in the script (`variants:`), each test's variants side by
// side: calls, conversions, the rate with a 95% interval, the difference
// from the control with its interval, and a verdict in plain words.
//
// A funnel row per node: calls that reached it, customers who hung up while
// the robot was there, calls escalated there, and calls through it that
// converted (graded A or B by the script's own grading, by default). Then
// the grade distribution, and, when the results carry them (a simulation's
// do, see patter/tooling/simulation.hpp), escalation waiting times and how busy the
// people were.
//
// A Stats takes calls from one thread at a time; build one per thread and
// merge the reports' inputs instead of sharing it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "patter/result.hpp"
#include "patter/session.hpp"

namespace patter {

/// What a dialer (or the simulator) knows about a call beyond its
/// CallResult: who took it and when. All optional; times on the campaign's
/// clock in milliseconds.
struct CallContext {
  std::string_view persona;  ///< simulated customer type
  std::string_view agent;    ///< the person who took the call, if one did
  std::uint64_t dialed_ms = 0;
  std::uint64_t ended_ms = 0;
  /// The escalation waited this long: until a person took it, or the call
  /// ended or gave up waiting. Empty when the call was never escalated.
  std::optional<std::uint64_t> wait_ms;
  bool taken = false;           ///< a person joined after an escalation
  bool grabbed = false;         ///< a person grabbed the call before any escalation
  std::uint64_t person_ms = 0;  ///< how long a person talked on it
  bool has_context = false;     ///< the fields above were filled in
};

/// One JSON object on one line: `result.to_json(script)` with the context
/// added as `"call":{...}`. What `patter simulate --results` writes and
/// `Stats::add_json` reads.
std::string to_json_line(const CallResult& result, const Script& script,
                         const CallContext& context);

/// Why Stats::add_json added nothing.
enum class StatsError : std::uint8_t {
  ok,
  not_json,      ///< the line does not parse as JSON
  not_a_result,  ///< JSON, but not a call result (no outcome, path or grade; a wrong type)
};
std::string_view to_string(StatsError e) noexcept;
std::string_view describe(StatsError e) noexcept;

struct StatsOptions {
  /// Grades that count as converted: codes separated by commas or spaces
  /// ("A1,A2"); one word that is not a grade of the script counts letter
  /// by letter ("AB": A and B).
  std::string converted_grades = "AB";
};

struct FunnelRow {
  std::string node;
  std::uint64_t reached = 0;    ///< calls that entered the node (once per call)
  std::uint64_t hung_up = 0;    ///< the customer hung up while the robot was here
  std::uint64_t escalated = 0;  ///< the call was escalated here (the robot's last node)
  std::uint64_t converted = 0;  ///< calls through here that converted
};

struct EdgeTraffic {
  std::string from, to;
  std::uint64_t calls = 0;  ///< calls that went from `from` to `to` (each time they did)
};

struct AgentRow {
  std::string agent;
  std::uint64_t calls = 0;    ///< calls the person talked on
  std::uint64_t grabbed = 0;  ///< of them, grabbed before any escalation
  std::uint64_t sold = 0;     ///< finished as `completed`
  std::uint64_t busy_ms = 0;  ///< time talking to customers
  double utilisation = 0;     ///< busy time over the campaign's span, 0..1
};

/// A 95% confidence interval for a conversion rate: Wilson's score
/// interval, good for small counts and rates near 0 or 1. {0, 0} for no calls.
struct Interval {
  double low = 0, high = 0;
};
Interval wilson_interval(std::uint64_t converted, std::uint64_t calls) noexcept;
/// A 95% interval for rate(b) - rate(a) (Newcombe's hybrid score method, from
/// the two Wilson intervals).
Interval difference_interval(std::uint64_t converted_a, std::uint64_t calls_a,
                             std::uint64_t converted_b, std::uint64_t calls_b) noexcept;
/// Calls each of two variants needs to tell rates `a` and `b` apart (95%
/// confidence, 80% power); 0 when they are equal.
std::uint64_t calls_needed(double a, double b) noexcept;

/// One variant of an A/B test (`variants:` in the script): the calls that
/// took it, how many converted, and how sure that is.
struct VariantRow {
  std::string variant;
  std::uint64_t calls = 0;      ///< calls that entered a node of the test in this variant
  std::uint64_t converted = 0;  ///< ... and converted (StatsOptions::converted_grades)
  double rate = 0;              ///< converted / calls, 0..1
  Interval rate_ci;             ///< 95% (Wilson)
  double diff = 0;              ///< rate minus the control's; 0 for the control
  Interval diff_ci;             ///< 95% (Newcombe); {0, 0} for the control
  /// Against the control, in plain words: "short converts better than
  /// control (95% CI +2.1 to +7.9 points)", "short against control: not yet
  /// decided, need about 900 more calls (...)". Empty for the control.
  std::string verdict;
};

struct ExperimentReport {
  std::string experiment;            ///< the node's `experiment`, or its name
  std::vector<VariantRow> variants;  ///< the control (the script's first variant) first
};

struct StatsReport {
  std::string script;  ///< script id, from the script or the results
  std::uint64_t calls = 0, answered = 0;
  std::vector<std::pair<std::string, std::uint64_t>> outcomes;  ///< by outcome name, in enum order
  std::vector<FunnelRow> funnel;  ///< script order (or first seen, without a script)
  /// By grade code: the script's grades in its order (best first), then
  /// any others by code.
  std::vector<std::pair<std::string, std::uint64_t>> grades;
  std::uint64_t converted = 0;
  std::string converted_grades;
  std::vector<EdgeTraffic> edges;  ///< busiest first

  // Escalations (only with context).
  bool has_context = false;
  std::uint64_t escalations = 0;  ///< calls the script escalated
  std::uint64_t taken = 0;        ///< ... that a person took
  /// Share of the escalations never taken (the customer hung up, or the
  /// hold gave up waiting), 0..1: what pacing (patter/pacing.hpp) keeps low.
  double abandoned = 0;
  std::uint64_t grabs = 0;  ///< calls grabbed before the script escalated
  double wait_mean_ms = 0, wait_median_ms = 0, wait_p90_ms = 0,
         wait_max_ms = 0;             ///< of those taken
  double abandoned_wait_mean_ms = 0;  ///< of those never taken
  std::uint64_t span_ms = 0;          ///< first dial to last end
  std::vector<AgentRow> agents;       ///< sorted by name
  /// People's utilisation: the mean over agents of the share of the
  /// campaign's span they spent talking to customers, 0..1.
  double utilisation = 0;

  /// A/B tests, when the calls took part in any (CallResult::variants).
  std::vector<ExperimentReport> experiments;

  std::string to_text() const;
  std::string to_json() const;
};

class Stats {
 public:
  /// With a script: its node order, every node (reached or not) and its
  /// edges for `to_dot`. Without: nodes as they appear in the results.
  explicit Stats(std::shared_ptr<const Script> script = nullptr, StatsOptions options = {});
  ~Stats();
  Stats(Stats&&) noexcept;
  Stats& operator=(Stats&&) noexcept;

  /// A finished call of the script given to the constructor.
  void add(const CallResult& result, const CallContext& context = {});
  /// One line as written by `to_json_line` or `CallResult::to_json`. Blank
  /// lines are skipped (ok). A line that is not such an object adds nothing;
  /// the message says what is wrong with it.
  Result<void, StatsError> add_json(std::string_view line);

  std::uint64_t calls() const noexcept;
  /// A result names a script other than the constructor's (id or
  /// fingerprint): the first such id, for a warning.
  const std::string& other_script() const noexcept;
  StatsReport report() const;
  /// The script as Graphviz DOT, each edge as wide as its traffic and
  /// labelled with it, each node with its calls. Empty without a script.
  std::string to_dot() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace patter
