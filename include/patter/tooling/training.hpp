// patter/tooling/training.hpp — a trainee practises on simulated customers:
// the robot runs the script, the trainee watches, takes over (or must take
// an escalation), talks to the customer in text, hands back or ends the
// call, and is assessed at the end.
//
//   patter::TrainingOptions opt;
//   opt.calls = 3;                              // three customers
//   opt.seed = 7;                               // the same seed, the same customers
//   opt.assessment.forbidden = {"best price in town"};
//   patter::TrainingSession training(script, personas, opt);
//
//   std::vector<patter::TrainingEvent> events;
//   while (training.advance()) {                // on to the next thing the trainee sees
//     training.poll(events);                    // robot lines, customer words, alerts...
//     for (const patter::TrainingEvent& e : events) show(e);
//     events.clear();
//     // ... and what the trainee decides, any time:
//     //   training.grab(call);                 take the call (or take an escalation)
//     //   training.say(call, "words");         the customer answers them
//     //   training.hand_back(call, node);      the robot goes on at `node`
//     //   training.finish(call, patter::HangupReason::completed);
//   }
//   std::cout << training.report().to_text();   // patter/tooling/training_assessment.hpp
//
// A host with a wall clock calls `step_until(ms)` instead of `advance()`.
// Built on a Campaign (patter/tooling/campaign.hpp) with one trainee and
// their robots: customers come from the personas (patter/tooling/simulation.hpp);
// what the trainee says is answered by the customer as if the robot had
// said the line of the nearest node (the one of the script's way on whose
// key points the words cover best, else where the conversation stands).
//
// Sans I/O and deterministic: no clock, no thread; the same seed and the
// same calls give the same session. Not thread-safe: one thread drives it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patter/desk.hpp"
#include "patter/script.hpp"
#include "patter/tooling/simulation.hpp"
#include "patter/tooling/training_assessment.hpp"

namespace patter {

struct TrainingOptions {
  std::uint32_t calls = 3;   ///< customers the trainee's robots call, one after another
  std::uint32_t robots = 1;  ///< robots the trainee watches at once
  std::uint64_t seed = 1;
  /// Every customer picks up (the personas' answer and voicemail shares set
  /// aside): practice needs someone on the line.
  bool answered_only = true;
  AssessmentOptions assessment;
};

enum class TrainingStatus : std::uint8_t {
  ok,
  unknown_call,   ///< not a call of this session, or it has ended
  not_taken,      ///< say, hand_back or finish before taking the call
  already_taken,  ///< grab of a call the trainee already has
  busy,           ///< grab while on another call
  empty_words,    ///< say with nothing but spaces
  too_long,       ///< say with more than Normalizer::kMaxBytes bytes
  unknown_node,   ///< hand_back to a node the script does not have
  refused,        ///< the desk refused (a call that ended as it was taken)
};
std::string_view to_string(TrainingStatus s) noexcept;
/// A sentence for the trainee: what was wrong and what to do.
std::string_view describe(TrainingStatus s) noexcept;

enum class TrainingEventType : std::uint8_t {
  dialed,         ///< a robot dials a customer (text: the persona)
  robot_said,     ///< text: the line
  customer_said,  ///< text: the words
  trainee_said,   ///< text: the trainee's words
  key,            ///< text: the key pressed
  silence,        ///< the customer said nothing
  escalated,      ///< the script escalates: take the call (text: the reason)
  joined,         ///< the trainee has the call
  handed_back,    ///< node: where the robot goes on
  ended,          ///< text: the outcome
};
std::string_view to_string(TrainingEventType t) noexcept;

struct TrainingEvent {
  CallId call = 0;
  TrainingEventType type = TrainingEventType::robot_said;
  std::uint64_t at_ms = 0;
  std::string text;
  NodeId node = kNone;
};

class TrainingSession {
 public:
  /// Personas without any customer give a session with nothing to do.
  TrainingSession(std::shared_ptr<const Script> script, const PersonaSet& personas,
                  TrainingOptions options = {});
  ~TrainingSession();
  TrainingSession(const TrainingSession&) = delete;
  TrainingSession& operator=(const TrainingSession&) = delete;

  // ---- the clock -----------------------------------------------------------------
  /// Run on to the next thing the trainee sees, unless events wait to be
  /// polled; false once nothing more will happen and none wait.
  bool advance();
  /// Everything due by `ms`, for a host with a wall clock.
  void step_until(std::uint64_t ms);
  std::optional<std::uint64_t> next_event_time() const;
  std::uint64_t now() const noexcept;
  /// Every call dialled and ended.
  bool done() const;

  /// Events since the last poll, appended to `out`; returns how many.
  std::size_t poll(std::vector<TrainingEvent>& out);

  // ---- the trainee ---------------------------------------------------------------
  TrainingStatus grab(CallId call);
  /// The trainee says `text` to the customer (UTF-8; invalid bytes read as U+FFFD).
  TrainingStatus say(CallId call, std::string_view text);
  TrainingStatus hand_back(CallId call, NodeId node);
  TrainingStatus finish(CallId call, HangupReason reason = HangupReason::completed);

  // ---- state ---------------------------------------------------------------------
  /// Calls going on now, oldest first.
  std::vector<CallId> live_calls() const;
  /// The call the trainee has, if any.
  std::optional<CallId> talking() const;
  /// Escalated calls waiting for the trainee.
  std::vector<CallId> waiting() const;
  /// Where a live call stands (the node the robot is at), or kNone.
  NodeId node(CallId call) const;
  const Script& script() const noexcept;
  /// The assessment of the calls so far (unfinished ones included).
  TrainingReport report() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace patter
