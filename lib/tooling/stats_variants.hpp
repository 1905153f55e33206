// A/B tests in `patter stats`: calls and conversions per variant of each
// experiment, and the report's rows, text and JSON (patter/tooling/stats.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patter/json_writer.hpp"
#include "patter/tooling/stats.hpp"

namespace patter::detail {

class VariantTally {
 public:
  /// The script's experiments, each with its variants in the script's
  /// order, so that the first (the control) comes first in the report.
  void declare(const Script& script);
  void add(std::string_view experiment, std::string_view variant, bool converted);
  /// Experiments with calls, in the order declared (then first seen).
  std::vector<ExperimentReport> report() const;

 private:
  struct Count {
    std::string variant;
    std::uint64_t calls = 0, converted = 0;
  };
  std::vector<std::pair<std::string, std::vector<Count>>> tests_;
};

/// "A/B tests" for StatsReport::to_text.
void append_variants_text(std::string& out, const std::vector<ExperimentReport>& tests,
                          std::string_view converted_grades);
/// "experiments": [...] for StatsReport::to_json.
void append_variants_json(JsonWriter& w, const std::vector<ExperimentReport>& tests);

}  // namespace patter::detail
