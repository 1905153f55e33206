// call_line.hpp — the far end of one call: the customer, and the person who
// takes it over, as the dialer sees them.
//
//   CallLine line(campaign, id);
//   publish(line.first());                         // answered, voicemail or rang out
//   ... a worker applies it; its TurnReport comes back:
//   if (auto next = line.on_report(report)) publish(*next);
//   ... an escalation parks the line until the desk's plan comes:
//   if (auto next = line.on_plan(plan)) publish(*next);
//
// Every event a line produces depends only on (campaign seed, call id) and
// the robot's answers, never on wall time or on other calls: its random
// choices come from the call's own streams (rng.hpp) and its clock is the
// call's own, from 0 at the dial. So a call has the same events, hence the
// same CallResult, whichever worker applies them and however calls
// interleave: what the fleet test checks against the in-process run.
//
// One event at a time: the line answers a report with at most one event,
// numbered seq + 1, and expects the report of that event next.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "campaign.hpp"
#include "protocol.hpp"
#include "rng.hpp"

namespace fleet {

class CallLine {
 public:
  CallLine(const Campaign& campaign, CallId id);

  /// The first event (seq 1): the customer picks up, a machine does, or it rings out.
  LineEvent first();
  /// The robot's answer to the last event: the next event, or nothing when
  /// the call is over or waits for the desk's plan.
  std::optional<LineEvent> on_report(const TurnReport& report);
  /// The desk's plan for the escalation of turn `plan.seq`. The next event
  /// if the line was waiting for it; a plan that comes before its report is kept.
  std::optional<LineEvent> on_plan(const PersonPlan& plan);

  CallId id() const { return id_; }
  /// The seq of the last event sent: the report the line expects next.
  std::uint32_t seq() const { return seq_; }
  bool over() const { return over_; }
  /// Waiting for the desk's plan for an escalation.
  bool parked() const { return parked_; }
  /// Gave up on a call the robot kept refusing events for (a bug: counted).
  bool abandoned() const { return abandoned_; }
  const patter::Persona& persona() const { return *persona_; }

  /// Events per call at most; then the customer hangs up (a script that
  /// never lets go must not hold a line forever).
  static constexpr std::uint32_t kMaxEvents = 400;

 private:
  enum class Pickup : std::uint8_t { answer, voicemail, ring_out };
  void plan_reply(patter::NodeId node, std::uint64_t line_end, std::uint32_t listen_ms);
  std::optional<LineEvent> next();
  LineEvent make(patter::EventType type, std::uint64_t at);

  const Campaign* campaign_;
  CallId id_;
  Rng rng_;
  const patter::Persona* persona_;
  Pickup pickup_ = Pickup::answer;
  std::uint32_t seq_ = 0;
  std::uint64_t now_ = 0;  // the call's clock: the last event sent
  patter::Phase phase_ = patter::Phase::dialing;
  // The customer's reply to the robot's last listen.
  struct Reply {
    bool planned = false;
    patter::PersonaChoice choice;
    std::string_view words;
    std::uint64_t at = 0;
  } reply_;
  std::uint64_t listen_end_ = 0;  // when the last listen times out
  bool listened_ = false;
  // The session's timer, and the last one sent (never the same one twice).
  std::uint64_t deadline_ = 0, timer_sent_ = 0;
  // An escalation waiting for a person.
  bool awaiting_ = false, parked_ = false;
  std::uint32_t escalated_seq_ = 0;
  std::uint64_t escalated_at_ = 0, patience_at_ = 0;
  std::optional<PersonPlan> plan_;
  // A person on the call.
  bool with_person_ = false;
  std::uint64_t leave_at_ = 0;
  bool over_ = false, abandoned_ = false;
  std::uint32_t refused_ = 0;
};

}  // namespace fleet
