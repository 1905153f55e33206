// The campaign's people (patter/tooling/campaign.hpp): simulated ones who
// take escalations, grab promising calls and end the calls they take, and
// the host's, who act through the campaign's calls.
#include <cmath>
#include <limits>

#include "campaign_impl.hpp"

namespace patter {

using namespace campaign_detail;

/// Person `p` is on robot `i`'s call now (an assignment, a grab or a take).
void Campaign::Impl::joined(std::uint32_t i, std::uint32_t p, bool grabbed) {
  Slot& s = slots_[i];
  if (s.state == State::holding) {
    leave_hold(s, true);
    s.taken = true;
  }
  s.state = State::person;
  s.grabbed = grabbed;
  s.with = p;
  s.joined_at = now_;
  people_[p].talking = robots_[i].call;
  ++counters_.taken;
  ++s.gen;  // the customer no longer answers the robot, nor hangs up on hold
  ++s.person_gen;
  if (people_[p].present)  // the customer waits for the person to speak, for a while
    push(now_ + rng_.between(s.persona->patience_ms.min, s.persona->patience_ms.max), Ev::patience,
         i);
  else
    push(std::max(now_, line_end_) + rng_.between(opt_.handle_ms.min, opt_.handle_ms.max),
         Ev::person_done, i);
  changed(i);
}

// A free simulated person at a robot of theirs: grab a promising call.
void Campaign::Impl::maybe_grab(std::uint32_t i) {
  if (opt_.grab_score <= 0 && !(opt_.pacing && opt_.idle_grab_score)) return;
  const std::uint32_t p = robots_[i].person;
  if (people_[p].talking || people_[p].present) return;
  const CallId id = robots_[i].call;
  const auto info = desk_.call(id);
  if (!info || info->score < grab_score_now(info->score)) return;
  Turn t;
  if (desk_.grab(people_[p].name, id, now_, t) != DeskStatus::ok) return;
  joined(i, p, true);
  settle(i);
}

// The score a free person grabs at now: `grab_score`, or with pacing and
// room in its forecast, `idle_grab_score`.
double Campaign::Impl::grab_score_now(double score) {
  const double usual =
      opt_.grab_score > 0 ? opt_.grab_score : std::numeric_limits<double>::infinity();
  const auto idle = opt_.idle_grab_score;
  if (!opt_.pacing || !idle || !std::isfinite(*idle) || score >= usual || score < *idle)
    return usual;
  return pacing_.advise(pacing_now()).hold ? usual : *idle;
}

void Campaign::Impl::person_done(std::uint32_t i) {
  Slot& s = slots_[i];
  if (s.state != State::person || s.with == kNobody) return;
  const bool sold = rng_.uniform() < s.persona->buys;
  Person& person = people_[s.with];
  s.person_ms = now_ - s.joined_at;
  person.talking = 0;
  if (desk_.finish(person.name, robots_[i].call, now_, turn_,
                   sold ? HangupReason::completed : HangupReason::not_interested) !=
      DeskStatus::ok) {
    ++counters_.errors;
    drop(i);
  }
  settle(i);
}

// The desk's timers (hold lines, hold timeouts), and simulated people
// picking up waiting calls when the desk does not give them out.
void Campaign::Impl::tick() {
  if (holding_ == 0 && opt_.desk_assigns) return;
  for (CallId id : desk_.due(now_)) {
    const auto it = by_call_.find(id);
    if (it == by_call_.end()) continue;
    step(it->second, Event::timer(now_));
  }
  if (!opt_.desk_assigns) people_pick_up();
  // Without the desk giving calls out, people look every second; a campaign
  // with an end stops looking once its last call has ended, so it ends too.
  const bool over = opt_.calls && counters_.ended >= opt_.calls;
  if (holding_ > 0 || (!opt_.desk_assigns && !over)) push(now_ + 1000, Ev::tick, 0);
}

void Campaign::Impl::people_pick_up() {
  for (CallId id : desk_.queue()) {
    const auto it = by_call_.find(id);
    if (it == by_call_.end()) continue;
    const std::uint32_t i = it->second;
    const Slot& s = slots_[i];
    if (s.state != State::holding) continue;
    const std::uint32_t own = robots_[i].person;
    if (simulated_and_free(own) && now_ >= s.react_at) {
      grab_for(own, id, i);
      continue;
    }
    if (people_[own].trainee || now_ < s.escalated_at + opt_.help_after_ms) continue;
    // Waited long enough: a free colleague takes it (the queue's head first).
    for (std::uint32_t p = 0; p < people_.size(); ++p) {
      if (!simulated_and_free(p)) continue;
      if (take_next_for(p, nullptr) == DeskStatus::ok) break;
    }
  }
}

DeskStatus Campaign::Impl::grab_for(std::uint32_t p, CallId id, std::uint32_t i) {
  Turn t;
  const DeskStatus st = desk_.grab(people_[p].name, id, now_, t);
  if (st != DeskStatus::ok) return st;
  joined(i, p, slots_[i].state != State::holding);
  settle(i);
  return st;
}

DeskStatus Campaign::Impl::take_next_for(std::uint32_t p, CallId* got) {
  Turn t;
  CallId id = 0;
  const DeskStatus st = desk_.take_next(people_[p].name, now_, t, &id);
  if (got) *got = id;
  if (st != DeskStatus::ok) return st;
  const auto it = by_call_.find(id);
  if (it != by_call_.end()) {
    joined(it->second, p, false);
    settle(it->second);
  }
  return st;
}

void Campaign::Impl::set_present(std::uint32_t p, bool present) {
  Person& person = people_[p];
  if (person.present == present) return;
  person.present = present;
  const std::uint32_t i = robot_of(person.talking);
  if (i == kNobody) return;
  ++slots_[i].person_gen;  // a real person came (the simulated one stops), or left (one takes over)
  if (!present)
    push(now_ + rng_.between(opt_.handle_ms.min, opt_.handle_ms.max) / 4, Ev::person_done, i);
}

DeskStatus Campaign::Impl::allow_calls(std::uint32_t p, std::uint32_t calls) {
  if (!people_[p].trainee) return DeskStatus::unknown_agent;
  Quota& q = quotas_[p];
  q.limit = q.dialed + calls;
  for (std::uint32_t i = 0; i < robots_.size(); ++i)
    if (robots_[i].person == p && !robots_[i].busy)
      push(now_ + 300 * robots_[i].number, Ev::dial, i);
  return DeskStatus::ok;
}

DeskStatus Campaign::Impl::grab(std::uint32_t p, CallId id) {
  const std::uint32_t i = robot_of(id);
  if (i == kNobody) return DeskStatus::unknown_call;
  return grab_for(p, id, i);
}

DeskStatus Campaign::Impl::say(std::uint32_t p, CallId id, std::string_view text, NodeId node) {
  const std::uint32_t i = robot_of(id);
  if (i == kNobody) return DeskStatus::unknown_call;
  Slot& s = slots_[i];
  if (s.state != State::person || s.with != p) return DeskStatus::not_with_agent;
  if (node >= script_->nodes().size()) return DeskStatus::unknown_node;
  const std::uint64_t line_end = now_ + speaking_ms(text);
  plan_reply(i, node, line_end, script_->node(node).listen_ms);
  push(line_end + rng_.between(s.persona->patience_ms.min, s.persona->patience_ms.max),
       Ev::patience, i);
  return DeskStatus::ok;
}

DeskStatus Campaign::Impl::hand_back(std::uint32_t p, CallId id, NodeId node) {
  const std::uint32_t i = robot_of(id);
  if (i == kNobody) return DeskStatus::unknown_call;
  const DeskStatus st = desk_.hand_back(people_[p].name, id, node, now_, turn_);
  if (st != DeskStatus::ok) return st;
  people_[p].talking = 0;
  Slot& s = slots_[i];
  s.state = State::robot;
  s.with = kNobody;
  ++s.gen;
  ++s.person_gen;
  after(i, turn_);
  return st;
}

DeskStatus Campaign::Impl::finish(std::uint32_t p, CallId id, HangupReason reason) {
  const std::uint32_t i = robot_of(id);
  if (i == kNobody) return DeskStatus::unknown_call;
  const DeskStatus st = desk_.finish(people_[p].name, id, now_, turn_, reason);
  if (st != DeskStatus::ok) return st;
  changed(i);
  settle(i);
  return st;
}

void Campaign::set_present(std::string_view person, bool present) {
  const std::uint32_t p = impl_->person_index(person);
  if (p != kNobody) impl_->set_present(p, present);
}

DeskStatus Campaign::allow_calls(std::string_view trainee, std::uint32_t calls) {
  const std::uint32_t p = impl_->person_index(trainee);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->allow_calls(p, calls);
}

DeskStatus Campaign::grab(std::string_view person, CallId call) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->grab(p, call);
}

DeskStatus Campaign::take_next(std::string_view person, CallId* call) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->take_next_for(p, call);
}

DeskStatus Campaign::say(std::string_view person, CallId call, std::string_view text, NodeId node) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->say(p, call, text, node);
}

DeskStatus Campaign::hand_back(std::string_view person, CallId call, NodeId node) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->hand_back(p, call, node);
}

DeskStatus Campaign::finish(std::string_view person, CallId call, HangupReason reason) {
  const std::uint32_t p = impl_->person_index(person);
  return p == kNobody ? DeskStatus::unknown_agent : impl_->finish(p, call, reason);
}

}  // namespace patter
