// patter/tooling/training_assessment.hpp — how a trainee did on their
// calls: when they took over, what they said against the script's lines,
// and whether they said what must never be said.
//
//   patter::TrainingCall call;                 // one call, as it happened
//   call.call = 1;
//   call.taken_at = *script->find_node("ask_owner");   // where the trainee took over
//   call.grab = patter::GrabDecision{1, patter::GrabVerdict::on_time, 1200};
//   call.lines = {{30000, "Do you own your home? What is your monthly electric bill?"}};
//
//   patter::AssessmentOptions opt;
//   opt.forbidden = {"best price in town"};    // beside the built-in list
//   patter::TrainingReport report = patter::assess(*script, {&call, 1}, opt);
//   std::cout << report.to_text();             // or report.to_json()
//   for (const patter::KeyPoint& k : report.calls[0].key_points)
//     std::cout << (k.covered ? "said:   " : "missed: ") << k.text << '\n';
//
// What is assessed (docs/training.md):
//   - grab timing: the desk's verdict (patter/desk.hpp, GrabVerdict) on
//     each call where the script escalated or the trainee grabbed;
//   - key points: from where the trainee took over (the last node where the
//     robot listened), the script's way to its goal: the shortest path to
//     the deepest `hangup: completed` node reachable from there, not
//     through an escalation. The first `key_nodes` nodes with lines on that
//     path give the key points: each clause of their first phrasing (split
//     at ， 。 ？ ！ ； and , . ? ! ;) is one point, made of its content
//     words (words of 2+ characters in Chinese, 3+ letters otherwise, and
//     numbers; common words and `{variables}` left out). A point is
//     covered when the trainee said at least half of its words on the call
//     (Chinese words anywhere in what they said; other words as words, a
//     shared start of 4+ letters counting: "survey"/"surveys");
//   - forbidden phrases: the built-in list of the script's locale
//     (guarantees of returns, pressure: 保证收益, 稳赚不赔, "guaranteed
//     returns", "risk-free"...) and the host's own, found in each line the
//     trainee said, both sides normalised by the script's Normalizer.
// The score: 50 × timing (the share of grab decisions on time) + 50 ×
// coverage (the share of key points covered), minus 25 for each forbidden
// phrase said, from 0 to 100. Passed: at least `pass_score` and nothing
// forbidden said.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patter/desk.hpp"
#include "patter/script.hpp"

namespace patter {

/// One thing the trainee said to the customer.
struct TraineeLine {
  std::uint64_t at_ms = 0;
  std::string text;
};

/// One call of a training run, as it happened: the input of `assess`.
struct TrainingCall {
  CallId call = 0;
  std::string persona;
  /// The last node where the robot listened when the trainee took the
  /// call; kNone when they never had it.
  NodeId taken_at = kNone;
  /// The desk's verdict on the takeover; none when the script never
  /// escalated and the trainee never grabbed.
  std::optional<GrabDecision> grab;
  std::vector<TraineeLine> lines;
  bool ended = false;
  Outcome outcome = Outcome::none;
  HangupReason hangup = HangupReason::completed;
};

struct AssessmentOptions {
  /// Phrases the trainee must not say, beside the built-in ones.
  std::vector<std::string> forbidden;
  /// Use the built-in list of the script's locale (builtin_forbidden_phrases).
  bool builtin_forbidden = true;
  /// How many nodes with lines, from where the trainee took over, give the
  /// key points.
  std::uint32_t key_nodes = 3;
  /// The host's own key points for every call, instead of the script's
  /// lines: each phrase is one point, made of its content words.
  std::vector<std::string> key_points;
  /// The score a trainee needs to pass (0..100).
  double pass_score = 70;
};

/// One point the trainee should have made.
struct KeyPoint {
  std::string node;                ///< the node whose line it comes from (empty: the host's)
  std::string text;                ///< the clause as the author wrote it
  std::vector<std::string> words;  ///< its content words, normalised
  std::vector<std::string> said;   ///< those the trainee said
  bool covered = false;            ///< at least half of `words` said
};

/// A forbidden phrase the trainee said.
struct ForbiddenSaid {
  std::string phrase;      ///< as listed
  std::uint32_t line = 0;  ///< index into the call's lines
  std::uint64_t at_ms = 0;
};

struct CallAssessment {
  CallId call = 0;
  std::string persona;
  std::optional<GrabDecision> grab;
  std::string taken_at;  ///< the node's name; empty when the trainee never had the call
  std::vector<TraineeLine> lines;
  std::vector<KeyPoint> key_points;  ///< empty when the trainee never had the call
  std::vector<ForbiddenSaid> forbidden;
  bool ended = false;
  Outcome outcome = Outcome::none;
  HangupReason hangup = HangupReason::completed;

  std::uint32_t covered() const noexcept;
  /// Share of key points covered, 0..1 (1 when there are none).
  double coverage() const noexcept;
};

struct TrainingReport {
  std::string script;  ///< id and version
  std::vector<CallAssessment> calls;
  std::uint32_t taken = 0;  ///< calls the trainee had
  std::uint32_t on_time = 0, early = 0, late = 0, missed = 0, needless = 0;
  std::uint32_t key_points = 0, covered = 0;
  std::uint32_t forbidden = 0;  ///< forbidden phrases said, over all calls
  double timing = 1;            ///< share of grab decisions on time (1 when none)
  double coverage = 1;          ///< share of key points covered (1 when none)
  double score = 100;           ///< 0..100 (see the top of this file)
  bool passed = true;

  std::string to_text() const;
  std::string to_json() const;
};

/// Assess a training run's calls against `script`.
TrainingReport assess(const Script& script, std::span<const TrainingCall> calls,
                      const AssessmentOptions& options = {});

/// The key points of a call taken over at `from` (see the top of this file).
std::vector<KeyPoint> key_points(const Script& script, NodeId from,
                                 const AssessmentOptions& options = {});

/// The built-in forbidden phrases for a locale ("zh-CN", "en-US"...):
/// guarantees of returns and pressure to decide now. A locale that is
/// neither Chinese nor English gets both lists.
std::span<const std::string_view> builtin_forbidden_phrases(std::string_view locale);

}  // namespace patter
