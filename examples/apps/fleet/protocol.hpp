// protocol.hpp — what the fleet's processes say to each other through Redis.
//
//   dialer ──events──▶ workers ──actions──▶ dialer
//                         ├─────results───▶ (CRM, check, desk)
//                         └──escalations──▶ desk ──plans──▶ dialer
//
// Keys, under a campaign prefix P (default "patter:fleet"):
//   P:campaign       hash {seed, calls, script}: written by the dialer first;
//                    the desk takes the seed from it
//   P:call:<id>      hash {seq, fp, snap}: the last turn applied, the script's
//                    fingerprint and the session's snapshot (`snap` goes when
//                    the call ends; the rest stays as a tombstone for a day,
//                    so a late duplicate is still recognised; `failed`
//                    marks a call that ended as failed)
//   P:events:<fp>    stream of the calls of the script with fingerprint <fp>,
//                    consumer group "workers": one LineEvent per entry. A
//                    worker reads the streams of the scripts it has loaded,
//                    so workers of two deployments share one Redis safely
//   P:actions        stream: one TurnReport per turn applied
//   P:results        stream: one CallResult (JSON) per call, when it ends;
//                    a call that could not go on has `failed` (its reason)
//                    and the JSON {"outcome":"failed","reason":...}
//   P:escalations    stream: one EscalationNote per escalation, consumer
//                    group "desk": an escalation stays pending there until
//                    its call has ended, so a restarted desk takes up exactly
//                    the calls still waiting (or still with a person)
//   P:desk:taken     hash {call: "<seq> <agent>"}: the escalation a person has
//                    taken, written with its plan in one MULTI; gone when
//                    the call ends
//   P:plans          stream: the desk's PersonPlan for each escalation
//   P:dead           stream, the dead letters: one entry per call whose
//                    snapshot would not restore {call, seq, event, error,
//                    worker, snap}; the call ended as `failed`
//                    (`restore_failed`) in the same atomic step
//   P:done           set by the dialer when every call has ended
//
// The campaign hash also holds `placed`: the highest call id the dialer has
// published an event for, written before those events, so a restarted
// dialer knows which calls are in flight (placed, and no result yet).
//
// A turn id is (call, seq): seq counts the call's events from 1. The dialer
// sends event seq+1 only after it has read the TurnReport of seq, so a call
// has at most one event in flight; a worker applies an event only when the
// stored seq is exactly one less, and writes the snapshot, the new seq, the
// report, the result and the escalation in one atomic script, which also
// acknowledges the event. Every entry is plain text fields, readable with
// redis-cli (XRANGE P:events - + COUNT 5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <patter/ids.hpp>
#include <patter/session.hpp>

namespace fleet {

using patter::CallId;

/// A stream entry's fields, as written (owning) and as read (views into a reply).
using Fields = std::vector<std::pair<std::string, std::string>>;
using FieldsView = std::vector<std::pair<std::string_view, std::string_view>>;

/// One thing that happened on a call's line, on the call's own clock.
struct LineEvent {
  CallId call = 0;
  std::uint32_t seq = 0;  ///< the turn id's second half; 1 is the call's first event
  patter::EventType type = patter::EventType::answered;
  std::uint64_t at_ms = 0;
  std::string text;                                                 ///< utterance
  char key = 0;                                                     ///< dtmf
  patter::HangupReason reason = patter::HangupReason::agent_ended;  ///< agent_left
  // The first event only: the script (by fingerprint) and the CRM fields.
  std::string script;
  std::vector<std::pair<std::string, std::string>> variables;

  /// The patter Event; it borrows `text`.
  patter::Event event() const;
};

/// An action as the dialer needs it (texts owned, nodes by id).
struct ReportedAction {
  patter::ActionType type = patter::ActionType::end;
  patter::NodeId node = patter::kNone;
  std::string text;
  std::uint32_t timeout_ms = 0;
  patter::HangupReason hangup = patter::HangupReason::completed;
  patter::EscalationReason escalation = patter::EscalationReason::interested;
  patter::Priority priority = patter::Priority::normal;
  double score = 0;
};

/// What the robot did with one event: the worker's answer to the dialer.
struct TurnReport {
  CallId call = 0;
  std::uint32_t seq = 0;
  patter::Status status = patter::Status::ok;
  patter::Phase phase = patter::Phase::dialing;
  bool awaiting = false;  ///< an escalation waits for a person
  bool ended = false;
  std::uint64_t deadline_ms = 0;  ///< send `timer` then, if nothing else happens first
  std::vector<ReportedAction> actions;
  std::string worker;  ///< who applied it
};

/// A call waits for a person (from the escalate action of turn `seq`).
struct EscalationNote {
  CallId call = 0;
  std::uint32_t seq = 0;
  patter::EscalationReason reason = patter::EscalationReason::interested;
  patter::Priority priority = patter::Priority::normal;
  double score = 0;
  std::uint64_t at_ms = 0;
};

/// The desk's answer to an escalation: who takes it, how long after the
/// escalation they pick up, how long they talk.
struct PersonPlan {
  CallId call = 0;
  std::uint32_t seq = 0;  ///< the escalating turn
  std::string agent;
  std::uint64_t pickup_ms = 0;
  std::uint64_t talk_ms = 0;
};

Fields encode(const LineEvent& e);
Fields encode(const TurnReport& r);
Fields encode(const EscalationNote& n);
Fields encode(const PersonPlan& p);

// Decoding says what is wrong with a malformed entry in `error`.
std::optional<LineEvent> decode_event(const FieldsView& f, std::string& error);
std::optional<TurnReport> decode_report(const FieldsView& f, std::string& error);
std::optional<EscalationNote> decode_escalation(const FieldsView& f, std::string& error);
std::optional<PersonPlan> decode_plan(const FieldsView& f, std::string& error);

/// A report's actions as one field (length-prefixed, any bytes allowed).
std::string pack_actions(const std::vector<ReportedAction>& actions);
std::optional<std::vector<ReportedAction>> unpack_actions(std::string_view packed);

/// The value of `name` in an entry, or nullopt.
std::optional<std::string_view> field(const FieldsView& f, std::string_view name);

/// A call id from its decimal text.
std::optional<std::uint64_t> parse_uint(std::string_view s);

/// The campaign's keys.
struct Keys {
  explicit Keys(const std::string& prefix);
  std::string call(CallId id) const;
  /// The events of the calls of one script, by its fingerprint.
  std::string events(std::string_view fingerprint) const;
  std::string prefix, campaign, actions, results, escalations, plans, done, dead, desk_taken;
  static constexpr std::string_view group = "workers";
  static constexpr std::string_view desk_group = "desk";
};

}  // namespace fleet
