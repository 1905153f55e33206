// Training (patter/desk.hpp): a trainee's grabs against the escalations the
// script would have made, followed on a shadow of the session; the verdicts
// are the router's (router.cpp).
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
    if (a.type == ActionType::escalate) {
      // The script would have escalated only now: the grab was early (the
      // router decides, once).
      router.script_escalated(c.id, at);
      c.shadow.reset();
      return;
    }
  if (c.shadow->ended()) c.shadow.reset();
}

std::optional<TrainingAssessment> Desk::assessment(std::string_view trainee) const {
  return impl_->router.assessment(trainee);
}

}  // namespace patter
