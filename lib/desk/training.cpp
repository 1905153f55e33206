// Training (patter/desk.hpp): a trainee's grabs against the escalations the
// script would have made, followed on a shadow of the session.
#include "desk_impl.hpp"

namespace patter {

void Desk::Impl::shadow_step(DeskCall& c, const Event& e, std::uint64_t at) {
  switch (e.type) {
    case EventType::utterance:
    case EventType::intent:
    case EventType::no_input:
    case EventType::dtmf:
    case EventType::timer: break;
    default: return;
  }
  Turn t;
  if (is_error(c.shadow->step(e, t))) return;
  for (const Action& a : t.actions())
    if (a.type == ActionType::escalate && !c.decided) {
      // The script would have escalated only now: the grab was early.
      decide(c, GrabVerdict::early,
             static_cast<std::int64_t>(c.grabbed_at) - static_cast<std::int64_t>(at));
      c.shadow.reset();
      return;
    }
  if (c.shadow->ended()) c.shadow.reset();
}

void Desk::Impl::decide(DeskCall& c, GrabVerdict v, std::int64_t offset) {
  c.decided = true;
  std::lock_guard lock(m);
  AgentState* a = agent(c.supervisor);
  if (!a) return;
  TrainingAssessment& as = a->assessment;
  as.decisions.push_back({c.id, v, offset});
  switch (v) {
    case GrabVerdict::on_time: ++as.on_time; break;
    case GrabVerdict::early: ++as.early; break;
    case GrabVerdict::late: ++as.late; break;
    case GrabVerdict::missed: ++as.missed; break;
    case GrabVerdict::needless: ++as.needless; break;
  }
  if (v == GrabVerdict::on_time || v == GrabVerdict::early || v == GrabVerdict::late) {
    a->offset_sum += static_cast<double>(offset);
    ++a->offset_n;
    as.mean_offset_ms = a->offset_sum / static_cast<double>(a->offset_n);
  }
}

std::optional<TrainingAssessment> Desk::assessment(std::string_view trainee) const {
  std::lock_guard lock(impl_->m);
  auto it = impl_->agents.find(trainee);
  if (it == impl_->agents.end() || !it->second.options.trainee) return std::nullopt;
  return it->second.assessment;
}

}  // namespace patter
