// The far end of one call (call_line.hpp).
#include "call_line.hpp"

#include <algorithm>

namespace fleet {

using patter::ActionType;
using patter::EventType;
using Kind = patter::PersonaChoice::Kind;

CallLine::CallLine(const Campaign& campaign, CallId id)
    : campaign_(&campaign),
      id_(id),
      rng_(stream_of(campaign.seed, id, Stream::customer)),
      persona_(&campaign.customers->persona(rng_.uniform())) {}

LineEvent CallLine::make(EventType type, std::uint64_t at) {
  LineEvent e;
  e.call = id_;
  e.seq = ++seq_;
  e.type = type;
  e.at_ms = now_ = std::max(at, now_);
  return e;
}

LineEvent CallLine::first() {
  const patter::Persona& p = *persona_;
  const double u = rng_.uniform();
  pickup_ = u < p.answer                 ? Pickup::answer
            : u < p.answer + p.voicemail ? Pickup::voicemail
                                         : Pickup::ring_out;
  std::vector<std::pair<std::string, std::string>> variables;
  for (const auto& [name, values] : campaign_->personas->variables)
    if (!values.empty()) variables.emplace_back(name, values[rng_.below(values.size())]);
  const std::uint64_t ring =
      pickup_ == Pickup::ring_out ? 30000 : rng_.between(p.ring_ms.min, p.ring_ms.max);
  const EventType type = pickup_ == Pickup::answer      ? EventType::answered
                         : pickup_ == Pickup::voicemail ? EventType::voicemail
                                                        : EventType::customer_hangup;
  LineEvent e = make(type, ring);
  e.script = campaign_->script->fingerprint();
  e.variables = std::move(variables);
  return e;
}

// What the customer will say to the robot's listen at `node`, and when.
void CallLine::plan_reply(patter::NodeId node, std::uint64_t line_end, std::uint32_t listen_ms) {
  const patter::CustomerReply r = campaign_->customers->reply(rng_, *persona_, node, listen_ms);
  reply_ = {true, r.choice, r.words, line_end + r.after_ms};
  listen_end_ = line_end + listen_ms;
  listened_ = true;
}

std::optional<LineEvent> CallLine::on_report(const TurnReport& r) {
  if (over_ || r.call != id_ || r.seq != seq_) return std::nullopt;
  phase_ = r.phase;
  if (r.ended) {
    over_ = true;
    return std::nullopt;
  }
  if (patter::is_error(r.status)) {
    // The robot refused the event: the customer hangs up (a defined end);
    // if it refuses that too, give the call up (counted as a failure).
    if (++refused_ > 1) {
      over_ = abandoned_ = true;
      return std::nullopt;
    }
    return make(EventType::customer_hangup, now_);
  }
  std::uint64_t line_end = now_;
  bool escalated = false, listen = false;
  patter::NodeId listen_at = patter::kNone;
  std::uint32_t listen_ms = 0;
  for (const ReportedAction& a : r.actions) {
    switch (a.type) {
      case ActionType::say: line_end += patter::CustomerModel::speaking_ms(a.text); break;
      case ActionType::listen:
        listen = true;
        listen_at = a.node;
        listen_ms = a.timeout_ms;
        break;
      case ActionType::escalate: escalated = true; break;
      default: break;
    }
  }
  deadline_ = r.deadline_ms;
  awaiting_ = r.awaiting;
  if (r.phase == patter::Phase::human) {
    reply_.planned = listened_ = false;  // the customer talks to the person now
    if (!with_person_ && plan_) {
      with_person_ = true;
      leave_at_ = now_ + plan_->talk_ms;
    }
  }
  if (listen) plan_reply(listen_at, line_end, listen_ms);
  if (escalated && r.awaiting) {
    escalated_seq_ = r.seq;
    escalated_at_ = line_end;
    patience_at_ = line_end + rng_.between(persona_->patience_ms.min, persona_->patience_ms.max);
    if (!plan_ || plan_->seq != r.seq) {
      parked_ = true;  // until the desk says who picks up, and when
      return std::nullopt;
    }
  }
  return next();
}

std::optional<LineEvent> CallLine::on_plan(const PersonPlan& plan) {
  if (over_ || plan.call != id_) return std::nullopt;
  plan_ = plan;
  if (parked_ && plan.seq == escalated_seq_) {
    parked_ = false;
    return next();
  }
  return std::nullopt;
}

// The earliest of what may happen next on the line; ties go to the first listed.
std::optional<LineEvent> CallLine::next() {
  if (seq_ >= kMaxEvents) return make(EventType::customer_hangup, now_);
  enum class What : std::uint8_t { reply, timer, join, patience, leave, silence, hangup };
  What what = What::hangup;
  std::uint64_t at = UINT64_MAX;
  auto consider = [&](What w, std::uint64_t t) {
    if (t < at) at = t, what = w;
  };
  if (reply_.planned && !with_person_) consider(What::reply, reply_.at);
  if (deadline_ != 0 && deadline_ != timer_sent_) consider(What::timer, deadline_);
  const bool planned = plan_ && plan_->seq == escalated_seq_;
  if (awaiting_ && planned) consider(What::join, escalated_at_ + plan_->pickup_ms);
  if (awaiting_) consider(What::patience, patience_at_);
  if (with_person_) consider(What::leave, leave_at_);
  if (at == UINT64_MAX) {
    // Nothing planned (the robot ignored the last words, say): the listen
    // times out; with no listen either, the customer gives up.
    if (listened_ && phase_ == patter::Phase::robot)
      consider(What::silence, listen_end_);
    else
      consider(What::hangup, now_ + 1000);
  }
  switch (what) {
    case What::reply: {
      reply_.planned = listened_ = false;
      switch (reply_.choice.kind) {
        case Kind::silence: return make(EventType::no_input, at);
        case Kind::hangup: return make(EventType::customer_hangup, at);
        case Kind::key: {
          LineEvent e = make(EventType::dtmf, at);
          e.key = reply_.choice.key;
          return e;
        }
        default: {
          LineEvent e = make(EventType::utterance, at);
          e.text = std::string(reply_.words);
          return e;
        }
      }
    }
    case What::timer: timer_sent_ = deadline_; return make(EventType::timer, at);
    case What::join: awaiting_ = false; return make(EventType::agent_joined, at);
    case What::patience: return make(EventType::customer_hangup, at);
    case What::leave: {
      LineEvent e = make(EventType::agent_left, at);
      e.reason = rng_.uniform() < persona_->buys ? patter::HangupReason::completed
                                                 : patter::HangupReason::not_interested;
      return e;
    }
    case What::silence: listened_ = false; return make(EventType::no_input, at);
    case What::hangup: break;
  }
  return make(EventType::customer_hangup, at);
}

}  // namespace fleet
