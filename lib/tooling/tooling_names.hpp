// Spellings of the runtime's enumerations, read back: test files name
// decisions, statuses, phases, outcomes and actions the way the runtime
// writes them (to_string).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patter/tooling/conversation_test.hpp"

namespace patter::detail {

std::optional<ActionType> parse_action_type(std::string_view s);
std::optional<Decision> parse_decision(std::string_view s);
std::optional<Status> parse_status(std::string_view s);
std::optional<Phase> parse_phase(std::string_view s);
std::optional<Outcome> parse_outcome(std::string_view s);
std::optional<TestInput> parse_test_input(std::string_view s);

const std::vector<std::string>& action_type_names();
const std::vector<std::string>& decision_names();
const std::vector<std::string>& status_names();
const std::vector<std::string>& phase_names();
const std::vector<std::string>& outcome_names();

}  // namespace patter::detail
