// The desk's names and reports: statuses, listen-in events, training
// verdicts, and the JSON of agent statistics and assessments.
#include <fmt/format.h>

#include "patter/desk.hpp"
#include "text/json.hpp"

namespace patter {

std::string_view to_string(DeskStatus s) noexcept {
  switch (s) {
    case DeskStatus::ok: return "ok";
    case DeskStatus::unknown_agent: return "unknown_agent";
    case DeskStatus::agent_exists: return "agent_exists";
    case DeskStatus::agent_has_calls: return "agent_has_calls";
    case DeskStatus::no_capacity: return "no_capacity";
    case DeskStatus::unknown_call: return "unknown_call";
    case DeskStatus::not_supervisor: return "not_supervisor";
    case DeskStatus::already_taken: return "already_taken";
    case DeskStatus::not_with_agent: return "not_with_agent";
    case DeskStatus::unknown_node: return "unknown_node";
    case DeskStatus::agent_busy: return "agent_busy";
    case DeskStatus::queue_empty: return "queue_empty";
    case DeskStatus::session_error: return "session_error";
    case DeskStatus::bad_script: return "bad_script";
  }
  return "unknown";
}

std::string_view to_string(ListenEventType t) noexcept {
  switch (t) {
    case ListenEventType::robot_said: return "robot_said";
    case ListenEventType::customer_said: return "customer_said";
    case ListenEventType::key: return "key";
    case ListenEventType::silence: return "silence";
    case ListenEventType::escalated: return "escalated";
    case ListenEventType::queued: return "queued";
    case ListenEventType::joined: return "joined";
    case ListenEventType::handed_back: return "handed_back";
    case ListenEventType::ended: return "ended";
  }
  return "unknown";
}

std::string_view to_string(GrabVerdict v) noexcept {
  switch (v) {
    case GrabVerdict::on_time: return "on_time";
    case GrabVerdict::early: return "early";
    case GrabVerdict::late: return "late";
    case GrabVerdict::missed: return "missed";
    case GrabVerdict::needless: return "needless";
  }
  return "unknown";
}

double TrainingAssessment::score() const noexcept {
  const std::size_t n = decisions.size();
  return n == 0 ? 1.0 : static_cast<double>(on_time) / static_cast<double>(n);
}

std::string TrainingAssessment::to_json() const {
  std::string out = fmt::format(
      "{{\"trainee\":{},\"decisions\":{},\"on_time\":{},\"early\":{},\"late\":{},\"missed\":{},\"needless\":{},"
      "\"mean_offset_ms\":{},\"score\":{},\"calls\":[",
      detail::json_string(trainee), decisions.size(), on_time, early, late, missed, needless, mean_offset_ms,
      score());
  for (std::size_t i = 0; i < decisions.size(); ++i)
    out += fmt::format("{}{{\"call\":{},\"verdict\":\"{}\",\"offset_ms\":{}}}", i ? "," : "", decisions[i].call,
                       to_string(decisions[i].verdict), decisions[i].offset_ms);
  out += "]}";
  return out;
}

std::string AgentStats::to_json() const {
  std::string out = fmt::format(
      "{{\"agent\":{},\"calls_supervised\":{},\"escalations\":{},\"grabs\":{},\"hand_backs\":{},"
      "\"mean_time_to_take_ms\":{},\"outcomes\":{{",
      detail::json_string(agent), calls_supervised, escalations, grabs, hand_backs, mean_time_to_take_ms);
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    out += fmt::format("{}\"{}\":{}", i ? "," : "", to_string(outcomes[i].first), outcomes[i].second);
  out += "}}";
  return out;
}

}  // namespace patter
