#include "tooling/tooling_names.hpp"

#include <cstdint>

namespace patter {

std::string_view to_string(TestInput t) noexcept {
  switch (t) {
    case TestInput::answer: return "answer";
    case TestInput::text: return "customer";
    case TestInput::intent: return "intent";
    case TestInput::silence: return "silence";
    case TestInput::key: return "key";
    case TestInput::hangup: return "hangup";
    case TestInput::no_answer: return "no_answer";
    case TestInput::voicemail: return "voicemail";
    case TestInput::grab: return "grab";
    case TestInput::back: return "back";
    case TestInput::finish: return "finish";
    case TestInput::wait: return "wait";
    case TestInput::data: return "data";
  }
  return "unknown";
}

namespace detail {
namespace {

// The last value of each enumeration a test file names: a value added to
// the end of one must move its mark, or test files cannot name it.
constexpr ActionType kLastAction = ActionType::fetch;
constexpr Decision kLastDecision = Decision::data;
constexpr Status kLastStatus = Status::bad_text;

// Every value of an enumeration from 0 to `last`, by its to_string spelling.
template <class E>
const std::vector<std::string>& names_of(E last) {
  static const std::vector<std::string> names = [last] {
    std::vector<std::string> v;
    for (unsigned i = 0; i <= static_cast<unsigned>(last); ++i)
      v.emplace_back(to_string(static_cast<E>(i)));
    return v;
  }();
  return names;
}

template <class E>
std::optional<E> parse_of(std::string_view s, E last) {
  const auto& names = names_of(last);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& action_type_names() {
  return names_of(kLastAction);
}
const std::vector<std::string>& decision_names() {
  return names_of(kLastDecision);
}
const std::vector<std::string>& status_names() {
  return names_of(kLastStatus);
}
const std::vector<std::string>& phase_names() {
  return names_of(Phase::ended);
}
const std::vector<std::string>& outcome_names() {
  // Outcome::none prints as nothing; in a test file it is `none`: the call has not ended.
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = names_of(Outcome::error);
    v[0] = "none";
    return v;
  }();
  return names;
}

std::optional<ActionType> parse_action_type(std::string_view s) {
  return parse_of(s, kLastAction);
}
std::optional<Decision> parse_decision(std::string_view s) {
  return parse_of(s, kLastDecision);
}
std::optional<Status> parse_status(std::string_view s) {
  return parse_of(s, kLastStatus);
}
std::optional<Phase> parse_phase(std::string_view s) {
  return parse_of(s, Phase::ended);
}
std::optional<Outcome> parse_outcome(std::string_view s) {
  const auto& names = outcome_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<Outcome>(i);
  return std::nullopt;
}
std::optional<TestInput> parse_test_input(std::string_view s) {
  return parse_of(s, TestInput::data);
}

}  // namespace detail
}  // namespace patter
