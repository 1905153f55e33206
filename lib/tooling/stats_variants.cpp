// A/B tests in `patter stats`: which variant converts better, and how sure
// that is (patter/tooling/stats.hpp).
#include "tooling/stats_variants.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tooling/columns.hpp"

namespace patter {
namespace {

constexpr double kZ95 = 1.959963984540054;   // two-sided 95%
constexpr double kZ80 = 0.8416212335729143;  // one-sided 80% (power)

double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// "+2.1" percentage points.
std::string points(double d) {
  return fmt::format("{:+.1f}", d * 100.0);
}

std::string verdict(const VariantRow& control, const VariantRow& v) {
  if (v.calls == 0 || control.calls == 0)
    return fmt::format("no calls yet for {}", v.calls == 0 ? v.variant : control.variant);
  const std::string ci =
      fmt::format("95% CI {} to {} points", points(v.diff_ci.low), points(v.diff_ci.high));
  if (v.diff_ci.low > 0)
    return fmt::format("{} converts better than {} ({})", v.variant, control.variant, ci);
  if (v.diff_ci.high < 0)
    return fmt::format("{} converts worse than {} ({})", v.variant, control.variant, ci);
  const std::uint64_t need = calls_needed(control.rate, v.rate);
  const std::uint64_t more =
      (need > control.calls ? need - control.calls : 0) + (need > v.calls ? need - v.calls : 0);
  const std::string which = fmt::format("{} against {}", v.variant, control.variant);
  if (need == 0 || more == 0)
    return fmt::format("{}: not yet decided, no clear difference so far ({})", which, ci);
  return fmt::format("{}: not yet decided, need about {} more calls ({})", which, more, ci);
}

}  // namespace

Interval wilson_interval(std::uint64_t converted, std::uint64_t calls) noexcept {
  if (calls == 0) return {};
  const double n = static_cast<double>(calls);
  const double p = ratio(converted, calls);
  const double z2 = kZ95 * kZ95;
  const double denom = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denom;
  const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Interval difference_interval(std::uint64_t converted_a, std::uint64_t calls_a,
                             std::uint64_t converted_b, std::uint64_t calls_b) noexcept {
  if (calls_a == 0 || calls_b == 0) return {};
  const double pa = ratio(converted_a, calls_a), pb = ratio(converted_b, calls_b);
  const Interval a = wilson_interval(converted_a, calls_a);
  const Interval b = wilson_interval(converted_b, calls_b);
  const double d = pb - pa;
  return {d - std::sqrt((pb - b.low) * (pb - b.low) + (a.high - pa) * (a.high - pa)),
          d + std::sqrt((b.high - pb) * (b.high - pb) + (pa - a.low) * (pa - a.low))};
}

std::uint64_t calls_needed(double a, double b) noexcept {
  const double d = std::abs(b - a);
  if (d < 1e-12) return 0;
  const double mean = (a + b) / 2;
  const double n =
      kZ95 * std::sqrt(2 * mean * (1 - mean)) + kZ80 * std::sqrt(a * (1 - a) + b * (1 - b));
  return static_cast<std::uint64_t>(std::ceil(n * n / (d * d)));
}

namespace detail {

void VariantTally::declare(const Script& script) {
  for (const Node& node : script.nodes()) {
    if (node.variants.empty()) continue;
    auto it = std::find_if(tests_.begin(), tests_.end(),
                           [&](const auto& t) { return t.first == node.experiment; });
    if (it != tests_.end()) continue;
    std::vector<Count> counts;
    for (const Variant& v : node.variants) counts.push_back({v.name});
    tests_.emplace_back(node.experiment, std::move(counts));
  }
}

void VariantTally::add(std::string_view experiment, std::string_view variant, bool converted) {
  auto it = std::find_if(tests_.begin(), tests_.end(),
                         [&](const auto& t) { return t.first == experiment; });
  if (it == tests_.end()) it = tests_.insert(tests_.end(), {std::string(experiment), {}});
  auto& counts = it->second;
  auto c = std::find_if(counts.begin(), counts.end(),
                        [&](const Count& x) { return x.variant == variant; });
  if (c == counts.end()) c = counts.insert(counts.end(), Count{std::string(variant)});
  ++c->calls;
  c->converted += converted;
}

std::vector<ExperimentReport> VariantTally::report() const {
  std::vector<ExperimentReport> out;
  for (const auto& [name, counts] : tests_) {
    std::uint64_t calls = 0;
    for (const Count& c : counts) calls += c.calls;
    if (calls == 0) continue;
    ExperimentReport e;
    e.experiment = name;
    for (const Count& c : counts) {
      VariantRow row;
      row.variant = c.variant;
      row.calls = c.calls;
      row.converted = c.converted;
      row.rate = ratio(c.converted, c.calls);
      row.rate_ci = wilson_interval(c.converted, c.calls);
      if (!e.variants.empty()) {
        const VariantRow& control = e.variants.front();
        row.diff = row.rate - control.rate;
        row.diff_ci = difference_interval(control.converted, control.calls, c.converted, c.calls);
        row.verdict = verdict(control, row);
      }
      e.variants.push_back(std::move(row));
    }
    out.push_back(std::move(e));
  }
  return out;
}

void append_variants_text(std::string& out, const std::vector<ExperimentReport>& tests,
                          std::string_view converted_grades) {
  if (tests.empty()) return;
  auto add = Appender{out};
  add("\nA/B tests (converted = grade {}; 95% confidence intervals)\n", converted_grades);
  for (const ExperimentReport& e : tests) {
    std::size_t width = 7;
    for (const VariantRow& v : e.variants) width = std::max(width, display_width(v.variant));
    add("  {}\n    {}  {:>7}  {:>9}  {:>6}  {:>15}  {:>6}\n", e.experiment, pad("variant", width),
        "calls", "converted", "rate", "95% CI", "vs " + e.variants.front().variant);
    for (const VariantRow& v : e.variants) {
      const std::string ci =
          v.calls ? fmt::format("{:.1f}-{:.1f}%", v.rate_ci.low * 100, v.rate_ci.high * 100)
                  : std::string("-");
      add("    {}  {:>7}  {:>9}  {:>5.1f}%  {:>15}  {:>6}\n", pad(v.variant, width), v.calls,
          v.converted, v.rate * 100, ci, &v == &e.variants.front() ? "" : points(v.diff));
    }
    for (const VariantRow& v : e.variants)
      if (!v.verdict.empty()) add("    {}\n", v.verdict);
  }
}

void append_variants_json(JsonWriter& w, const std::vector<ExperimentReport>& tests) {
  if (tests.empty()) return;
  w.key("experiments").array();
  for (const ExperimentReport& e : tests) {
    w.object().field("experiment", e.experiment).key("variants").array();
    for (const VariantRow& v : e.variants) {
      w.object()
          .field("variant", v.variant)
          .field("calls", v.calls)
          .field("converted", v.converted);
      w.key("rate").fixed(v.rate, 4);
      w.key("rate_low").fixed(v.rate_ci.low, 4).key("rate_high").fixed(v.rate_ci.high, 4);
      w.key("diff").fixed(v.diff, 4);
      w.key("diff_low").fixed(v.diff_ci.low, 4).key("diff_high").fixed(v.diff_ci.high, 4);
      w.field("verdict", v.verdict).end();
    }
    w.end().end();
  }
  w.end();
}

}  // namespace detail
}  // namespace patter
