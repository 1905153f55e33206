// What a session's conditions read: the call's counters, variables, tags,
// visits and intents heard.
#pragma once

#include "patter/session.hpp"
#include "runtime/session_state.hpp"

namespace patter {

class SessionEnv final : public ExprEnv {
 public:
  explicit SessionEnv(const Session& s) noexcept : s_(s) {}

  Value counter(Counter c) const override {
    switch (c) {
      case Counter::score: return Value::of(s_.st_.score);
      case Counter::turns: return Value::of(static_cast<double>(s_.st_.turns));
      case Counter::duration_s: {
        const std::uint64_t end = s_.st_.last_at;
        // Answering enters the start node; a call that ended unanswered lasted 0 s.
        const bool answered = SessionAccess::entered_any(s_) && end >= s_.st_.answered_at;
        return Value::of(answered ? static_cast<double>((end - s_.st_.answered_at) / 1000u) : 0.0);
      }
      case Counter::silences: return Value::of(static_cast<double>(s_.st_.silences));
      case Counter::no_matches: return Value::of(static_cast<double>(s_.st_.no_matches));
      case Counter::nodes_passed:
        return Value::of(static_cast<double>(SessionAccess::nodes_passed(s_)));
      case Counter::escalations:
        return Value::of(static_cast<double>(
            SessionAccess::extras(s_.st_, SessionLayout(*s_.script_)).escalations));
      case Counter::outcome:
        return Value::of(s_.st_.phase == Phase::ended ? to_string(s_.st_.outcome)
                                                      : std::string_view());
      case Counter::no_matches_in_row: return Value::of(static_cast<double>(s_.st_.no_match_run));
      case Counter::silences_in_row: return Value::of(static_cast<double>(s_.st_.no_input_run));
      case Counter::reason:
        // Why the call was escalated, if it was; else why it was hung up.
        if (s_.st_.has(detail::kEscalated)) return Value::of(to_string(s_.st_.escalation));
        return Value::of(s_.st_.phase == Phase::ended ? to_string(s_.st_.hangup)
                                                      : std::string_view());
    }
    return Value::of(false);
  }

  Value variable(std::uint32_t index) const override {
    if (index >= s_.script_->variables().size()) return Value::of(std::string_view());
    const Variable& v = s_.script_->variables()[index];
    switch (v.type) {
      case Variable::Type::text:
        if (const auto own = SessionAccess::text(s_, index)) return Value::of(*own);
        return Value::of(v.default_value ? std::string_view(*v.default_value) : std::string_view());
      case Variable::Type::number: return Value::of(SessionAccess::number(s_, index));
      case Variable::Type::boolean: return Value::of(SessionAccess::number(s_, index) != 0);
      case Variable::Type::time: return Value::of(SessionAccess::time_words(s_, index));
    }
    return Value::of(false);
  }

  bool tagged(std::string_view tag) const override { return s_.tagged(tag); }
  std::uint32_t visits(std::uint32_t node) const override { return s_.visits(node); }
  std::uint32_t heard(std::uint32_t intent) const override { return s_.heard(intent); }

 private:
  const Session& s_;
};

}  // namespace patter
