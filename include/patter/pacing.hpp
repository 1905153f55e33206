// patter/pacing.hpp — how fast robots may dial so that people keep up: a
// pacing adviser for the desk, like a predictive dialer's abandon-rate pacing.
//
//   patter::PacingOptions opt;
//   opt.abandon_target = 0.03;             // at most 3% of escalations left untaken
//   opt.max_robots_per_person = 6;         // bounds of the advice
//   opt.hold_timeout_ms = 60000;           // the script's `hold.timeout_s`
//   patter::PacingAdviser pacing(opt);
//
//   // The host tells it what the desk saw, with the desk's own times:
//   pacing.escalated(now, now - dialled_at);    // a call escalated, this long after its dial
//   pacing.taken(now, waited_ms);               // a person took it after waiting this long
//   pacing.abandoned(now, waited_ms);           // ... or nobody did: it hung up, gave up
//   pacing.talk_ended(now, talk_ms);            // a person finished a call they talked on
//   pacing.call_ended(now, now - dialled_at);   // a call ended without escalating
//
//   // Before a robot dials its next call, with the desk's state now:
//   patter::PacingAdvice a = pacing.advise({.at_ms = now, .people = 4, .talking = 3,
//                                           .waiting = 0, .dialling = 5});
//   if (a.hold) retry_at(now + a.hold_ms);      // people are behind: wait, then ask again
//   else dial();
//   show(a.robots_per_person);                  // how many robots each person can drive now
//
//   // Sharper: with each call's chance to escalate and how soon, from where
//   // it is (node and score), learnt by patter::EscalationOdds:
//   //   PacingNow{..., .chances = chances, .escalate_in_ms = soon}
//
// The model (docs/pacing.md). From recent observations, each weighted by
// how recent it is (exponential decay, half-life `half_life_ms`), it
// estimates: the share p of dialled calls that escalate (of those whose
// outcome is known: escalated, or ended without), the delay d from
// a dial to its escalation, the length of the calls that do not escalate,
// the people's talk time T, and the customers' patience P on hold (all
// waiting over the abandonments: the maximum-likelihood estimate for
// exponential patience, capped by the hold timeout). Each starts from its
// `start_*` value, counted as a few observations, so the advice is
// sensible before any data.
//
// For the state now it forecasts the escalations that would find nobody:
//   demand D = waiting + Binomial(dialling, e), e the chance that a call in
//     progress escalates (the host's `chances`, learnt from where each call
//     is: patter/escalation_odds.hpp; else from its age `dialled_ms`; else
//     the share of escalating calls among calls in progress: escalating
//     calls last longer, so it is more than p);
//   supply S = free people + Binomial(talking, f), f the chance that a
//     person talking finishes within h = the time until the escalations
//     come (`escalate_in_ms`, else from each call's age) + P / 2 (the
//     other half goes to calls dialled meanwhile), from
//     the talk times seen and each person's `talked_ms`, else exponential;
//   forecast share abandoned = E[(D - S)+] / E[D].
// A robot may dial when, with its call counted, that share stays within
// the target, corrected by the desk's real abandonment (`feedback_weight`:
// the target times the target over the share recently left untaken, so a
// forecast too cautious or too bold for its desk is pulled back to it);
// otherwise it holds for about the time until a person or a
// call frees up. `robots_per_person` is the robot calls the forecast
// allows, plus those people and the queue hold, per person, in the bounds.
//
// Limits: people are interchangeable (anyone takes any escalation); past
// 256 calls or people talking, their chances are averaged into one
// Binomial; one horizon for all pending escalations. It forecasts the next
// minute or two, not a steady state: pacing is a feedback loop, and the
// desk's real abandonment is what to watch (on the simulator's demo
// campaign, with learnt chances and a 3% target: 8 people left 1.5% of
// escalations untaken at 84.6% utilisation, 4 people 2.3% at 73.6%; no
// target gave 4 people both at most 3% and 80%: docs/pacing.md).
//
// Sans-I/O and deterministic: no clock, no threads, no allocation. Not
// thread-safe: one thread feeds it (or guard it); `advise` is const.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace patter {

struct PacingOptions {
  /// The share of escalations allowed to go untaken, in (0, 1).
  double abandon_target = 0.03;
  /// Bounds of `robots_per_person` (min at least 1, max at least min).
  std::uint32_t min_robots_per_person = 1;
  std::uint32_t max_robots_per_person = 6;
  /// The script's hold timeout: nobody waits longer (0: no timeout).
  std::uint64_t hold_timeout_ms = 60000;
  /// The forecast counts on people who free up while an escalation waits,
  /// for half the customers' patience and at most this long: escalations
  /// from calls dialled meanwhile claim the people who free up later
  /// (measured on the simulator: counting all of a 3-minute hold, 8 people
  /// left 6% untaken against a 3% target; with 30 s, 1.3%).
  std::uint32_t patience_counted_ms = 30000;
  /// The forecast is a model; the desk's real abandonment is the truth.
  /// The forecast is held to the target times the target over the share of
  /// escalations recently left untaken (within a quarter and four times;
  /// the target itself blended in as this many escalations, so the
  /// correction grows with the evidence). 0: held to the target as it is.
  /// (Measured on the simulator: with 8 people and a 3% target, the
  /// forecast alone left 0.6% untaken at 79.7% utilisation; with this,
  /// docs/pacing.md.)
  double feedback_weight = 10;
  /// An observation this old weighs half as much as a new one.
  std::uint64_t half_life_ms = 15 * 60000;
  /// Before data: escalations per dialled call, dial to escalation, talk
  /// time, patience on hold, a robot's call. Each weighs as `start_weight`
  /// observations.
  double start_escalation_share = 0.2;
  std::uint64_t start_escalate_after_ms = 60000;
  std::uint64_t start_talk_ms = 120000;
  std::uint64_t start_patience_ms = 60000;
  std::uint64_t start_call_ms = 40000;
  double start_weight = 5;
  /// Bounds of `hold_ms`.
  std::uint32_t min_hold_ms = 1000, max_hold_ms = 30000;
};

/// What is wrong with `o`, in a sentence; empty when nothing is. An adviser
/// built from bad options uses the defaults for the bad fields.
std::string_view check(const PacingOptions& o) noexcept;

/// The desk now, from the host.
struct PacingNow {
  std::uint64_t at_ms = 0;
  std::uint32_t people = 0;    ///< people on duty, taking escalations
  std::uint32_t talking = 0;   ///< of them, on a call (more than `people` counts as `people`)
  std::uint32_t waiting = 0;   ///< escalations waiting for a person
  std::uint32_t dialling = 0;  ///< robot calls in progress, not (yet) escalated
  /// Optional: how long each person on a call has talked so far (one per
  /// person talking). A person who just started is unlikely to free up
  /// soon; without these, talk times count as memoryless (exponential).
  std::span<const std::uint64_t> talked_ms = {};
  /// Optional: how long ago each call in progress was dialled (one per call
  /// in `dialling`). A call that has lasted is likelier to escalate than a
  /// fresh one; without these, every call counts as `in_progress_share`.
  std::span<const std::uint64_t> dialled_ms = {};
  /// Optional: the chance that each call in progress escalates, later in
  /// the call (soon or not), in the order of `dialled_ms`: from where it is,
  /// e.g. EscalationOdds::chance (patter/escalation_odds.hpp). Used instead
  /// of the chance from its age; a value not in [0, 1] (or NaN), and calls
  /// beyond the span, fall back to that.
  std::span<const float> chances = {};
  /// Optional (usually with `chances`): for each call, if it escalates,
  /// the mean time until it does (EscalationOdds::escalate_in_ms); instead
  /// of the time from its age. A negative value (or NaN, or more than a
  /// day), and calls beyond the span, fall back to that.
  std::span<const float> escalate_in_ms = {};
};

struct PacingAdvice {
  /// How many robots each person can drive now, within the bounds.
  std::uint32_t robots_per_person = 0;
  /// A robot about to dial should wait `hold_ms`, then ask again.
  bool hold = false;
  std::uint32_t hold_ms = 0;
  /// Robot calls in progress the forecast allows now (within the bounds).
  std::uint32_t calls_allowed = 0;
  /// Forecast share of escalations that find nobody, with one more dial.
  double forecast_abandon = 0;
};

/// What the adviser believes now (decayed means, start values blended in).
struct PacingEstimates {
  double escalation_share = 0;  ///< escalations per dialled call
  double escalations_per_robot_minute = 0;
  double escalate_after_ms = 0;  ///< from a dial to its escalation
  double talk_ms = 0;            ///< a person's talk on a call, on average
  double patience_ms = 0;        ///< how long customers wait on hold
  double call_ms = 0;            ///< a call that did not escalate, dial to end
  /// Of the calls in progress at any moment, the share that will escalate:
  /// escalating calls last longer, so more of them are in progress than of
  /// the calls dialled (p d / (p d + (1 - p) call_ms), Little's law).
  double in_progress_share = 0;
  double abandoned_share = 0;  ///< of escalations that ended waiting, recently
};

class PacingAdviser {
 public:
  explicit PacingAdviser(PacingOptions options = {}) noexcept;

  // ---- what the desk saw (times on the host's clock, any order) ----
  // Every dialled call ends in exactly one of `escalated` and `call_ended`.
  void escalated(std::uint64_t at_ms, std::uint64_t after_dial_ms) noexcept;
  void taken(std::uint64_t at_ms, std::uint64_t waited_ms) noexcept;
  void abandoned(std::uint64_t at_ms, std::uint64_t waited_ms) noexcept;
  void talk_ended(std::uint64_t at_ms, std::uint64_t talk_ms) noexcept;
  /// A call ended (or a person grabbed it) without escalating, this long
  /// after its dial.
  void call_ended(std::uint64_t at_ms, std::uint64_t duration_ms) noexcept;

  PacingEstimates estimates() const noexcept;
  PacingAdvice advise(const PacingNow& now) const noexcept;
  /// The forecast share of escalations that find nobody, with `now` as it is.
  double forecast(const PacingNow& now) const noexcept;
  /// The chance that a person who has talked `talked_ms` finishes within
  /// `within_ms`, from the talk times seen (before them: talks last from
  /// half to one and a half times `start_talk_ms`, evenly).
  double finishes_within(std::uint64_t talked_ms, std::uint64_t within_ms) const noexcept;
  const PacingOptions& options() const noexcept { return opt_; }

 private:
  // Durations seen (talks, dial to escalation, calls that did not
  // escalate), in 64 bins up to 4 times their start value.
  struct Spread {
    std::array<double, 64> bins{};
    void add(double ms, double weight, double start) noexcept;
    // The share up to `ms`, blended with the start spread (even, from half
    // to one and a half times `start`) weighing `prior` observations.
    double cdf(double ms, double start, double count, double prior) const noexcept;
    // The mean time left after `ms`, for what lasted that long, from the
    // shares at the bins' edges (`edges`, filled by `edges_of`).
    using Edges = std::array<double, 65>;
    void edges_of(Edges& out, double start, double count, double prior) const noexcept;
    static double mean_left(const Edges& edges, double ms, double start) noexcept;
  };
  // Decayed sums, all as of `last_ms_`.
  struct Sums {
    double escalations = 0, escalate_after = 0, taken = 0, abandons = 0, waits = 0, talks = 0,
           talk_ms = 0, calls = 0, call_ms = 0;
    Spread talk_spread, escalate_spread, call_spread;
  };
  double weight(std::uint64_t at_ms) noexcept;
  double talk_cdf(double ms) const noexcept;
  // The chance that a call in progress for `age_ms` escalates.
  double escalates(const PacingEstimates& e, std::uint64_t age_ms) const noexcept;

  PacingOptions opt_;
  Sums sums_;
  std::uint64_t last_ms_ = 0;
};

}  // namespace patter
