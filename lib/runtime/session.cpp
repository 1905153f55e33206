// The call runtime: Session::step checks an event against the call's life
// (runtime/call_life.hpp) and hands it to the engine (runtime/session_engine.hpp).
#include "patter/session.hpp"

#include "runtime/backchannel.hpp"
#include "runtime/call_life.hpp"
#include "runtime/session_engine.hpp"

namespace patter {

using ReplyFrom = SessionEngine::ReplyFrom;

namespace {

bool valid_key(char k) noexcept {
  return (k >= '0' && k <= '9') || k == '*' || k == '#';
}

/// A host intent as the transcript writes it: the best one that counts,
/// else the host's first.
std::string_view host_said(const Script& sc, const Event& e, const Understanding& u) {
  if (u.matched()) return sc.intents()[u.best().intent].name;
  if (!e.ranked) return sc.intents()[e.intent].name;
  return e.candidates.empty() ? std::string_view()
                              : std::string_view(sc.intents()[e.candidates[0].intent].name);
}

/// An intent the author's phrases or patterns (or the host) found: words
/// that mean more than a backchannel.
bool explicit_intent(const Understanding& u) noexcept {
  for (const IntentMatch& m : u.intents())
    if (m.source != MatchSource::example && m.source != MatchSource::none) return true;
  return false;
}

/// A backchannel after a question: the reply is `answer`, over all of it.
void as_backchannel(Understanding& u, IntentId answer) {
  std::vector<IntentMatch>& in = MatcherAccess::intents(u);
  in.clear();
  MatcherAccess::captures(u).clear();
  IntentMatch m;
  m.intent = answer;
  m.source = MatchSource::none;
  m.confidence = 1;
  m.end = static_cast<std::uint32_t>(u.normalized().size());
  in.push_back(m);
}

}  // namespace

PATTER_TURN_INLINE void Turn::reset() noexcept {
  status_ = Status::ok;
  note_ = Note::none;
  decision_ = Decision::none;
  index_ = 0;
  from_ = kNone;
  variant_ = kNone;
  limit_ = HangupReason::completed;
  if (!candidates_.empty()) {
    candidates_ = {};
    context_ = {};
  }
  actions_used_ = 0;
  path_used_ = 0;
  text_used_ = 0;
  fetch_args_used_ = 0;
  if (hook_error_) [[unlikely]] {  // exception_ptr's assignment is not inline
    hook_error_ = nullptr;
    hook_message_.clear();
  }
}

PATTER_TURN_INLINE Status Session::check(const Event& e) const noexcept {
  if (static_cast<std::uint8_t>(e.type) > static_cast<std::uint8_t>(EventType::agent_said))
    return Status::unknown_event;
  const Status rule = detail::call_life(e.type, st_.phase);
  if (rule == Status::call_ended) return rule;
  if (e.at_ms < st_.last_at) return Status::time_went_back;
  if (rule != Status::ok) return rule;
  // The phase takes the event: now what it carries, and the question to the host.
  switch (e.type) {
    case EventType::intent:
      if (!e.ranked)
        return e.intent < SessionLayout(*script_).intents ? Status::ok : Status::unknown_intent;
      if (e.candidates.size() > kMaxHostIntents) return Status::too_many_intents;
      for (const HostIntent& h : e.candidates)
        if (h.intent >= script_->intents().size()) return Status::unknown_intent;
      return Status::ok;
    case EventType::not_understood:
      return st_.has(detail::kAsking) ? Status::ok : Status::not_asked;
    case EventType::data: return check_data(e);
    case EventType::agent_said: return check_words(e);
    case EventType::no_input: return st_.has(detail::kAsking) ? Status::wrong_phase : Status::ok;
    case EventType::dtmf: return valid_key(e.key) ? Status::ok : Status::bad_key;
    case EventType::agent_left:
      return (e.node == kNone || e.node < script_->nodes().size()) ? Status::ok
                                                                   : Status::unknown_node;
    default: return Status::ok;
  }
}

/// An utterance or the host's intents. Words during a line interrupt it
/// unless they are only backchannels or fillers, or the line may not be
/// interrupted; a backchannel after a question answers it.
void Session::hear_reply(const Event& e, SessionEngine& g) {
  Turn& t = g.t;
  Understanding& u = t.understanding_;  // understand() and from_host() replace it
  const bool words = e.type == EventType::utterance;
  if (words)
    script_->matcher().understand(e.text, u);
  else
    g.from_host(e, u);
  // The transcript keeps the customer's words as recognised (their
  // normalised form when they were not valid UTF-8).
  auto keep = [&] {
    if (!st_.transcript) return;
    const std::string_view said = !words             ? host_said(*script_, e, u)
                                  : u.invalid_utf8() ? std::string_view(u.normalized())
                                                     : e.text;
    record(TranscriptEntry::Who::customer, e.at_ms, st_.node, u.matched() ? u.best().intent : kNone,
           said);
  };
  if (st_.phase != Phase::robot) {  // a person has the call: understood and counted, not acted on
    t.decision_ = Decision::human;
    ++st_.turns;
    g.edit_extras(
        [](Extras& x) { SessionEngine::bump(x.person_turns); });  // no turn limit for a person
    g.absorb(u);
    keep();
    return;
  }
  if (st_.has(detail::kAsking)) {
    if (!words) {  // the host's answer
      if (e.at_ms >= g.extras().ask_deadline) return g.unanswered(Turn::Note::host_late);
      st_.set(detail::kAsking, false);
      return g.reply(u, 0, g.opt_out_handler(u), ReplyFrom::answer);
    }
    st_.set(detail::kAsking, false);  // the customer spoke again: that is the reply now
    t.note_ = Turn::Note::ask_dropped;
  }
  const std::optional<std::uint32_t> opt_out = g.opt_out_handler(u);
  // Only backchannels or fillers? Asked during a line, and after a question
  // when the author's phrases and patterns found nothing.
  detail::ReplyShape shape = detail::ReplyShape::words;
  if (words && !opt_out && (e.during_line || !explicit_intent(u)))
    shape = detail::reply_shape(u.normalized(), e.text, *script_, t.scratch_);
  if (!opt_out && e.during_line &&
      (shape != detail::ReplyShape::words || !st_.has(detail::kLineBargeIn) ||
       e.line_elapsed_ms < script_->settings().no_barge_ms || !g.cuts_line(u))) {
    // Not an interruption: the line goes on (said on, if the host paused it).
    t.decision_ =
        shape == detail::ReplyShape::backchannel ? Decision::backchannel : Decision::not_now;
    t.status_ = Status::ignored;
    if (e.line_paused) g.resume_line(e.line_elapsed_ms);
    return;
  }
  const IntentId answer = script_->settings().backchannel_intent;
  if (shape == detail::ReplyShape::backchannel && answer != kNone) {
    as_backchannel(u, answer);
    t.note_ = Turn::Note::backchannel_answer;
  } else if (words && !opt_out && u.normalized().empty()) {  // only fillers: not a reply
    t.decision_ = Decision::not_now;
    t.status_ = Status::ignored;
    return;
  }
  keep();
  if (e.during_line) {
    g.push(ActionType::stop_line, st_.node);
    t.decision_ = Decision::barge_in;
    if (!opt_out && g.clarify_cut()) return;  // an opt-out is acted on at once
  }
  g.reply(u, 0, opt_out, words ? ReplyFrom::words : ReplyFrom::host, e.text);
}

Status Session::step(const Event& e, Turn& t) {
  t.reset();
  t.from_ = st_.node;
  t.status_ = check(e);
  // Utterances and host intents replace the understanding; nothing else has one.
  if (is_error(t.status_) || (e.type != EventType::utterance && e.type != EventType::intent))
    t.understanding_.clear();
  if (is_error(t.status_)) return t.status_;
  st_.last_at = e.at_ms;

  SessionEngine g(*this, t, e.at_ms);
  const bool robot = st_.phase == Phase::robot;

  // The call-duration limit comes before anything else the robot would do.
  if (robot && e.type != EventType::customer_hangup && g.duration_over()) {
    g.close_for(HangupReason::max_duration);
  } else if (st_.has(detail::kFetching) && robot && g.while_fetching(e)) {
    // a reply while the host fetches: heard, not acted on
  } else {
    switch (e.type) {
      case EventType::answered:
        st_.answered_at = e.at_ms;
        t.decision_ = Decision::start;
        g.enter(script_->start());
        break;
      case EventType::customer_hangup:
        t.decision_ = Decision::ended;
        g.end_call(
            st_.phase == Phase::dialing ? Outcome::no_answer : Outcome::customer_hangup,
            st_.phase == Phase::dialing ? HangupReason::no_answer : HangupReason::customer_hangup);
        break;
      case EventType::voicemail:
        t.decision_ = Decision::ended;
        g.leave_voicemail();
        g.hangup(HangupReason::voicemail, st_.node, Outcome::voicemail);
        break;
      case EventType::data: g.data(e); break;
      case EventType::timer: g.timer(); break;
      case EventType::intent:
        if (robot && !st_.has(detail::kAsking) &&
            !e.during_line) {  // the host's NLU, on its usual way
          Understanding& u = t.understanding_;
          g.from_host(e, u);
          if (st_.transcript)
            record(TranscriptEntry::Who::customer, e.at_ms, st_.node,
                   u.matched() ? u.best().intent : kNone, host_said(*script_, e, u));
          g.reply(u, 0, g.opt_out_handler(u), ReplyFrom::host);
          break;
        }
        [[fallthrough]];
      case EventType::utterance: hear_reply(e, g); break;
      case EventType::not_understood:  // checked: asked
        g.unanswered(Turn::Note::host_none);
        break;
      case EventType::no_input: g.silence(); break;
      case EventType::dtmf: {
        t.understanding_.clear();
        if (st_.has(detail::kAsking)) {  // a new reply: the question to the host is dropped
          st_.set(detail::kAsking, false);
          t.note_ = Turn::Note::ask_dropped;
        }
        const char key[2] = {e.key, 0};
        record(TranscriptEntry::Who::key, e.at_ms, st_.node, kNone, std::string_view(key, 1));
        g.reply(t.understanding_, e.key, std::nullopt, ReplyFrom::key);
        break;
      }
      case EventType::agent_joined: g.person_joined(); break;
      case EventType::agent_left: g.person_left(e.node, e.reason); break;
      case EventType::agent_said: person_said(e, t); break;
    }
  }

  if (observer_) notify(t);
  return t.status_;
}

void Turn::clear() noexcept {
  reset();
  understanding_.clear();
}

}  // namespace patter
