// Supervisors and the people on a call (patter/desk.hpp): whispering to the
// person, barging in beside them, taking the call over, leaving, coaching
// notes, reassigning a waiting escalation, and a person's own words. The
// routing's side of each is router_supervision.cpp; here the session is
// stepped and the listeners told, under the call's lock.
#include "desk_impl.hpp"

#include "text/utf8.hpp"

namespace patter {

namespace {

bool only_spaces(std::string_view s) noexcept {
  for (const char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}

// A whisper's or a note's words: something in them, UTF-8 as far as kept.
DeskStatus check_words(std::string_view text) noexcept {
  if (only_spaces(text)) return DeskStatus::bad_text;
  if (detail::find_invalid_utf8(detail::utf8_head(text, kNoteTextMax)) != std::string_view::npos)
    return DeskStatus::bad_text;
  return DeskStatus::ok;
}

ListenEvent event(ListenEventType type, std::uint64_t at, std::string_view text,
                  std::string_view agent, NodeId node) {
  return ListenEvent{0, type, at, std::string(text), std::string(agent), node, kNone};
}

}  // namespace

void Desk::Impl::keep_notes(DeskCall& c) {
  if (c.notes.empty()) return;
  std::lock_guard lock(ending_m);
  ending_notes[c.id] = std::move(c.notes);
}

void Desk::Impl::drop_notes(CallId id) {
  std::lock_guard lock(ending_m);
  ending_notes.erase(id);
}

DeskStatus Desk::Impl::take_call(DeskCall& c, detail::RouterAgent& s, std::uint64_t at, Turn& t,
                                 Later& later) {
  if (c.session.ended()) return DeskStatus::unknown_call;
  at = std::max(at, c.session.last_event_ms());  // as in hand_back
  if (!c.with.empty()) {
    // From its person: the session has a person still, so it is not stepped.
    detail::RouterAgent* was = nullptr;
    if (const DeskStatus st = router.replace_person(s, c.id, &was); st != DeskStatus::ok) return st;
    t.clear();
    c.with = s.id;
    c.barged.clear();
    publish(c, event(ListenEventType::taken_over, at, was->id, s.id, c.session.node()));
    if (opt.auto_assign) later([this, who = was->id, at] { assign_next(who, at); });
    return DeskStatus::ok;
  }
  // From the robot or the queue, as a grab.
  if (const DeskStatus st = router.reserve_take_over(s, c.id); st != DeskStatus::ok) return st;
  const bool waiting = c.session.awaiting_person();
  if (is_error(c.session.step(Event::agent_joined(at), t))) {
    detail::Router::release(s, c.id);
    return DeskStatus::session_error;
  }
  if (c.session.ended()) {  // past the duration limit: the robot closed the call
    after_step(c, nullptr, t, at, waiting, later, nullptr);
    detail::Router::release(s, c.id);
    return DeskStatus::unknown_call;
  }
  c.with = s.id;
  router.commit_take_over(s, c.id, at);  // the call's lock keeps anyone else from joining
  publish(c, event(ListenEventType::taken_over, at, {}, s.id, c.session.node()));
  return DeskStatus::ok;
}

DeskStatus Desk::Impl::give(DeskCall& c, detail::RouterAgent& by, detail::RouterAgent& to,
                            std::uint64_t at, Turn& t, Later& later) {
  if (c.session.ended()) return DeskStatus::unknown_call;
  if (!c.with.empty()) return DeskStatus::already_taken;
  if (!c.session.awaiting_person()) return DeskStatus::not_waiting;
  if (const DeskStatus st = router.reserve_reassign(to, c.id); st != DeskStatus::ok) return st;
  at = std::max(at, c.session.last_event_ms());
  if (is_error(c.session.step(Event::agent_joined(at), t))) {
    detail::Router::release(to, c.id);
    return DeskStatus::session_error;
  }
  if (c.session.ended()) {  // past the duration limit: the robot closed the call
    after_step(c, nullptr, t, at, true, later, nullptr);
    detail::Router::release(to, c.id);
    return DeskStatus::unknown_call;
  }
  c.with = to.id;
  router.commit_reassign(by, to, c.id, at);
  publish(c, event(ListenEventType::reassigned, at, by.id, to.id, c.session.node()));
  if (opt.on_assigned) later([this, who = to.id, id = c.id] { opt.on_assigned(who, id); });
  return DeskStatus::ok;
}

DeskStatus Desk::whisper(std::string_view supervisor, CallId id, std::string_view text,
                         std::uint64_t at_ms) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return impl_->missing(id);
  detail::RouterAgent* s = nullptr;
  if (const DeskStatus st = impl_->router.supervisor(supervisor, &s); st != DeskStatus::ok)
    return st;
  if (const DeskStatus st = check_words(text); st != DeskStatus::ok) return st;
  std::lock_guard lock(c->m);
  if (c->session.ended()) return DeskStatus::unknown_call;
  if (c->with.empty()) return DeskStatus::not_with_agent;  // nobody to whisper to
  Impl::publish(*c, event(ListenEventType::whispered, at_ms, detail::utf8_head(text, kNoteTextMax),
                          supervisor, c->session.node()));
  return DeskStatus::ok;
}

DeskStatus Desk::take_over(std::string_view supervisor, CallId id, std::uint64_t at_ms,
                           Turn& turn) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return impl_->missing(id);
  detail::RouterAgent* s = nullptr;
  if (const DeskStatus st = impl_->router.supervisor(supervisor, &s); st != DeskStatus::ok)
    return st;
  Later later;
  DeskStatus status;
  {
    std::lock_guard lock(c->m);
    status = impl_->take_call(*c, *s, at_ms, turn, later);
  }
  later.run();
  return status;
}

DeskStatus Desk::barge(std::string_view supervisor, CallId id, std::uint64_t at_ms, Turn& turn) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return impl_->missing(id);
  detail::RouterAgent* s = nullptr;
  if (const DeskStatus st = impl_->router.supervisor(supervisor, &s); st != DeskStatus::ok)
    return st;
  Later later;
  DeskStatus status = DeskStatus::ok;
  {
    std::lock_guard lock(c->m);
    if (c->session.ended()) {
      status = DeskStatus::unknown_call;
    } else if (c->with.empty()) {
      status = impl_->take_call(*c, *s, at_ms, turn, later);  // only the robot: take it
    } else if (status = impl_->router.barge(*s, id); status == DeskStatus::ok) {
      turn.clear();
      c->barged = s->id;
      Impl::publish(*c, event(ListenEventType::barged, std::max(at_ms, c->session.last_event_ms()),
                              c->with, s->id, c->session.node()));
    }
  }
  later.run();
  return status;
}

DeskStatus Desk::leave(std::string_view supervisor, CallId id, std::uint64_t at_ms) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return impl_->missing(id);
  detail::RouterAgent* s = nullptr;
  if (const DeskStatus st = impl_->router.supervisor(supervisor, &s); st != DeskStatus::ok)
    return st;
  {
    std::lock_guard lock(c->m);
    if (c->session.ended()) return DeskStatus::unknown_call;
    if (const DeskStatus st = impl_->router.leave(*s, id); st != DeskStatus::ok) return st;
    c->barged.clear();
    Impl::publish(*c, event(ListenEventType::left, std::max(at_ms, c->session.last_event_ms()), {},
                            s->id, c->session.node()));
  }
  if (impl_->opt.auto_assign) impl_->assign_next(s->id, at_ms);
  return DeskStatus::ok;
}

DeskStatus Desk::note(std::string_view author, CallId id, std::string_view text,
                      std::uint64_t at_ms) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return impl_->missing(id);
  if (!impl_->router.agent(author)) return DeskStatus::unknown_agent;
  if (const DeskStatus st = check_words(text); st != DeskStatus::ok) return st;
  std::lock_guard lock(c->m);
  if (c->session.ended()) return DeskStatus::unknown_call;
  if (c->notes.size() >= kMaxNotes) return DeskStatus::notes_full;
  const std::string_view kept = detail::utf8_head(text, kNoteTextMax);
  c->notes.push_back(CoachingNote{std::string(author), std::string(kept), at_ms});
  Impl::publish(*c, event(ListenEventType::noted, at_ms, kept, author, c->session.node()));
  return DeskStatus::ok;
}

std::vector<CoachingNote> Desk::notes(CallId id) const {
  if (std::shared_ptr<DeskCall> c = impl_->find(id)) {
    std::lock_guard lock(c->m);
    return c->notes;
  }
  std::lock_guard lock(impl_->ending_m);
  auto it = impl_->ending_notes.find(id);
  return it == impl_->ending_notes.end() ? std::vector<CoachingNote>{} : it->second;
}

DeskStatus Desk::reassign(std::string_view supervisor, CallId id, std::string_view to,
                          std::uint64_t at_ms, Turn& turn) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return impl_->missing(id);
  detail::RouterAgent* s = nullptr;
  if (const DeskStatus st = impl_->router.supervisor(supervisor, &s); st != DeskStatus::ok)
    return st;
  detail::RouterAgent* person = impl_->router.agent(to);
  if (!person) return DeskStatus::unknown_agent;
  Later later;
  DeskStatus status;
  {
    std::lock_guard lock(c->m);
    status = impl_->give(*c, *s, *person, at_ms, turn, later);
  }
  later.run();
  return status;
}

DeskStatus Desk::say(std::string_view person, CallId id, std::string_view text, std::uint64_t at_ms,
                     Turn& turn) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return impl_->missing(id);
  if (!impl_->router.agent(person)) return DeskStatus::unknown_agent;
  std::lock_guard lock(c->m);
  if (c->session.ended()) return DeskStatus::unknown_call;
  if (c->with != person && c->barged != person) return DeskStatus::not_with_agent;
  at_ms = std::max(at_ms, c->session.last_event_ms());
  const Status st = c->session.step(Event::agent_said(text, person, at_ms), turn);
  if (st == Status::no_text || st == Status::bad_text) return DeskStatus::bad_text;
  if (is_error(st)) return DeskStatus::session_error;
  Impl::publish(*c, event(ListenEventType::person_said, at_ms,
                          detail::utf8_head(text, kListenTextMax), person, c->session.node()));
  return DeskStatus::ok;
}

std::optional<HandoffSummary> Desk::summary(CallId id, std::uint64_t now_ms) const {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return std::nullopt;
  std::lock_guard lock(c->m);
  return handoff_summary(c->session, now_ms);
}

}  // namespace patter
