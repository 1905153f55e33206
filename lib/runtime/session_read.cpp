// Reading a call: counts, tags, variables, deadlines, the result, the grade
// so far, a preview of what the robot would do, and the memory it takes.

#include "runtime/session_engine.hpp"

namespace patter {

std::uint32_t Session::visits(NodeId node) const noexcept {
  const SessionLayout l(*script_);
  return node < l.nodes ? SessionAccess::counts(*this)[l.visits() + node] : 0;
}

std::uint32_t Session::heard(IntentId intent) const noexcept {
  const SessionLayout l(*script_);
  return intent < l.intents ? SessionAccess::counts(*this)[l.heard() + intent] : 0;
}

bool Session::tagged(std::string_view tag) const noexcept {
  auto id = script_->find_tag(tag);
  if (!id) return false;
  const SessionLayout l(*script_);
  return (SessionAccess::counts(*this)[l.tags() + *id / 16] >> (*id % 16)) & 1u;
}

std::vector<std::string_view> Session::tags() const {
  std::vector<std::string_view> out;
  SessionAccess::each_logged(*this, [&](std::uint32_t e) {
    if (e & kTagEntry) out.push_back(script_->tags()[e & ~kTagEntry]);
  });
  return out;
}

std::string Session::variable(VariableId id) const {
  if (id >= script_->variables().size()) return {};
  const Variable& v = script_->variables()[id];
  switch (v.type) {
    case Variable::Type::text:
      if (const auto own = SessionAccess::text(*this, id)) return std::string(*own);
      return v.default_value.value_or(std::string());
    case Variable::Type::number: return fmt::format("{}", SessionAccess::number(*this, id));
    case Variable::Type::boolean: return SessionAccess::number(*this, id) != 0 ? "true" : "false";
    case Variable::Type::time: return std::string(SessionAccess::time_words(*this, id));
  }
  return {};
}

std::optional<std::int64_t> Session::time_of(VariableId id) const noexcept {
  if (id >= script_->variables().size() || script_->variables()[id].type != Variable::Type::time)
    return std::nullopt;
  return SessionAccess::time_ms(*this, id);
}

std::optional<std::string> Session::variable(std::string_view name) const {
  auto id = script_->find_variable(name);
  if (!id) return std::nullopt;
  return variable(*id);
}

std::uint64_t Session::escalated_at_ms() const noexcept {
  return SessionAccess::extras(st_, SessionLayout(*script_)).waiting_since;
}

std::uint32_t Session::fetch_id() const noexcept {
  return SessionAccess::extras(st_, SessionLayout(*script_)).fetch_id;
}

std::uint64_t Session::deadline_ms() const noexcept {
  std::uint64_t at = 0;
  auto sooner = [&](std::uint64_t t) {
    if (at == 0 || t < at) at = t;
  };
  const Hold& hold = script_->hold();
  const Extras x = SessionAccess::extras(st_, SessionLayout(*script_));
  if (st_.has(detail::kAwaiting) && (st_.phase == Phase::robot || st_.phase == Phase::waiting)) {
    sooner(x.waiting_since + std::uint64_t{hold.timeout_s} * 1000u);
    if (st_.phase == Phase::waiting && hold.mode == Hold::While::lines && !hold.lines.empty())
      sooner(x.waiting_since + std::uint64_t{hold.interval_s} * 1000u * (x.hold_said + 1u));
  }
  const int max_s = script_->limits().max_duration_s;
  if (max_s > 0 && st_.phase == Phase::robot)
    sooner(st_.answered_at + static_cast<std::uint64_t>(max_s) * 1000u);
  if ((st_.has(detail::kAsking) || st_.has(detail::kFetching)) && st_.phase == Phase::robot)
    sooner(x.ask_deadline);
  return at;
}

Status Session::preview(const Event& event, Turn& out) const {
  Session copy(*this);
  copy.observer_ = nullptr;
  copy.st_.transcript.reset();
  if ((copy.st_.phase == Phase::human || copy.st_.phase == Phase::waiting) &&
      copy.st_.last_listen != kNone) {
    copy.st_.phase = Phase::robot;
    copy.st_.node = copy.st_.last_listen;
    copy.st_.set(detail::kAwaiting, false);
  }
  return copy.step(event, out);
}

CallResult Session::result() const {
  CallResult r;
  r.outcome = st_.outcome;
  r.hangup = st_.hangup;
  r.escalated = st_.has(detail::kEscalated);
  r.escalation = st_.escalation;
  r.grade = script_->grade_name(st_.grade ? st_.grade - 1u : script_->default_grade());
  SessionAccess::each_logged(*this, [&](std::uint32_t e) {
    if (e & kTagEntry)
      r.tags.push_back(script_->tags()[e & ~kTagEntry]);
    else
      r.path.push_back(e);
  });
  r.score = st_.score;
  r.turns = st_.turns;
  r.silences = st_.silences;
  r.no_matches = st_.no_matches;
  if (!r.path.empty()) {  // answered: the start node was entered
    r.duration_ms = st_.last_at >= st_.answered_at ? st_.last_at - st_.answered_at : 0;
  }
  r.transcript = transcript();
  variants_seen(*this, r);
  result_variables(r);
  return r;
}

void Session::result_variables(CallResult& r) const {
  r.variables.reserve(script_->variables().size());
  for (VariableId id = 0; id < script_->variables().size(); ++id) {
    CallResult::Variable& v = r.variables.emplace_back();
    v.id = id;
    v.value = variable(id);
    if (const auto ms = time_of(id)) {
      v.has_time = true;
      v.time_ms = *ms;
    }
  }
}

std::string_view Session::grade_so_far() const {
  if (st_.phase == Phase::ended && st_.grade) return script_->grade_name(st_.grade - 1u);
  SessionEnv env(*this);
  for (const GradeRule& rule : script_->grading())
    if (rule.when.test(env)) return script_->grade_name(rule.grade);
  return script_->grade_name(script_->default_grade());
}

std::size_t Session::memory_bytes() const noexcept {
  return sizeof(Session) + SessionAccess::heap_bytes(st_);
}

}  // namespace patter
