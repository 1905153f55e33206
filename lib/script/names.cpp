// The YAML spellings of the script's enumerations.
#include <array>
#include <string_view>
#include <vector>

#include "patter/script.hpp"

namespace patter {
namespace {
template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 17> kHangup = {
    "completed", "not_interested", "opt_out",         "wrong_person", "callback",   "busy",
    "no_answer", "voicemail",      "max_turns",       "max_duration", "max_visits", "no_input",
    "no_match",  "no_agent",       "customer_hangup", "agent_ended",  "error"};
constexpr std::array<std::string_view, 7> kEscalation = {
    "interested", "question", "asked_for_human", "complaint", "high_score", "callback", "other"};
constexpr std::array<std::string_view, 4> kPriority = {"low", "normal", "high", "urgent"};
constexpr std::array<std::string_view, 8> kKind = {"listen", "pass", "hangup", "escalate",
                                                   "branch", "call", "return", "fetch"};
constexpr std::array<std::string_view, 4> kInterrupt = {"any", "never", "only", "clarify"};
}  // namespace

std::string_view to_string(NodeKind k) noexcept {
  return kKind[static_cast<std::size_t>(k)];
}
std::string_view to_string(HangupReason r) noexcept {
  return kHangup[static_cast<std::size_t>(r)];
}
std::string_view to_string(EscalationReason r) noexcept {
  return kEscalation[static_cast<std::size_t>(r)];
}
std::string_view to_string(Priority p) noexcept {
  return kPriority[static_cast<std::size_t>(p)];
}

std::string_view to_string(Interrupt i) noexcept {
  return kInterrupt[static_cast<std::size_t>(i)];
}

std::optional<HangupReason> parse_hangup_reason(std::string_view s) noexcept {
  return lookup<HangupReason>(kHangup, s);
}
std::optional<EscalationReason> parse_escalation_reason(std::string_view s) noexcept {
  return lookup<EscalationReason>(kEscalation, s);
}
std::optional<Priority> parse_priority(std::string_view s) noexcept {
  return lookup<Priority>(kPriority, s);
}

const std::vector<std::string_view>& hangup_reason_names() {
  static const std::vector<std::string_view> v(kHangup.begin(), kHangup.end());
  return v;
}
const std::vector<std::string_view>& escalation_reason_names() {
  static const std::vector<std::string_view> v(kEscalation.begin(), kEscalation.end());
  return v;
}

}  // namespace patter
