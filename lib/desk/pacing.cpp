// The pacing adviser (patter/pacing.hpp): decayed estimates from the desk's
// observations, and the forecast of escalations that would find nobody.
#include "patter/pacing.hpp"

#include <algorithm>
#include <cmath>

namespace patter {
namespace {

// A wait, talk or call longer than a day is a host's mistake (a clock from
// another epoch, a missing end): it counts as a day, so one bad number
// cannot swamp the means.
constexpr std::uint64_t kLongest = 24ull * 3600 * 1000;

// Up to this many calls in progress and people talking, the forecast sums
// every call's and person's own chance exactly; past it, one Binomial each.
constexpr std::size_t kExact = 256;

double ms(std::uint64_t v) {
  return static_cast<double>(std::min(v, kLongest));
}

bool fraction(double v) {
  return v > 0 && v < 1;  // false for NaN too
}

// A binomial distribution's probabilities one after the other, from 0 up, in
// logarithms so that neither many trials nor small chances underflow.
class Binomial {
 public:
  Binomial(std::uint32_t n, double p) : n_(n) {
    p = std::clamp(p, 1e-12, 1 - 1e-12);
    log_p_ = static_cast<double>(n) * std::log1p(-p);
    odds_ = std::log(p / (1 - p));
  }
  double pmf() const { return x_ <= n_ ? std::exp(log_p_) : 0; }
  void next() {
    if (x_ < n_) log_p_ += std::log(static_cast<double>(n_ - x_) / (x_ + 1)) + odds_;
    ++x_;
  }

 private:
  std::uint32_t n_;
  std::uint32_t x_ = 0;
  double log_p_, odds_;
};

// E[(q + X - f - Y)+] for X ~ Binomial(c, p), Y ~ Binomial(b, g): the
// escalations (waiting, and to come from the calls in progress) beyond the
// people free now and those who free up in time.
double overflow(std::uint32_t q, std::uint32_t c, double p, std::uint32_t f, std::uint32_t b,
                double g) {
  const double mean_x = static_cast<double>(c) * std::clamp(p, 0.0, 1.0);
  Binomial x(c, p), y(b, g);
  // G(k) = E[(k - X)+] grows by P(X <= k - 1) from k - 1 to k.
  double g_k = 0, below = 0, out = 0;
  std::int64_t k_now = 0;
  for (std::uint32_t taken = 0; taken <= b; ++taken, y.next()) {
    const std::int64_t k = std::int64_t{f} - std::int64_t{q} + taken;  // people for X
    for (; k_now < k; ++k_now, x.next()) {
      below += x.pmf();
      g_k += below;
    }
    const double beyond = static_cast<double>(-k) + mean_x + (k > 0 ? g_k : 0);
    out += y.pmf() * beyond;
  }
  return std::max(out, 0.0);
}

// The distribution of the number of successes among independent trials of
// chances `p` (one each), into out[0..p.size()].
template <std::size_t N>
void poisson_binomial(std::span<const double> p, std::array<double, N>& out) {
  std::fill(out.begin(), out.end(), 0.0);
  out[0] = 1;
  for (std::size_t n = 0; n < p.size(); ++n) {
    const double q = std::clamp(p[n], 0.0, 1.0);
    for (std::size_t k = n + 1; k > 0; --k) out[k] = out[k] * (1 - q) + out[k - 1] * q;
    out[0] *= 1 - q;
  }
}

}  // namespace

std::string_view check(const PacingOptions& o) noexcept {
  if (!fraction(o.abandon_target))
    return "abandon_target must be a share between 0 and 1 (0.03 for 3%)";
  if (o.min_robots_per_person == 0) return "min_robots_per_person must be at least 1";
  if (o.max_robots_per_person < o.min_robots_per_person)
    return "max_robots_per_person must be at least min_robots_per_person";
  if (o.half_life_ms == 0) return "half_life_ms must be above 0";
  if (!(o.start_escalation_share >= 0 && o.start_escalation_share <= 1))
    return "start_escalation_share must be a share from 0 to 1";
  if (o.start_talk_ms == 0 || o.start_patience_ms == 0 || o.start_call_ms == 0)
    return "start_talk_ms, start_patience_ms and start_call_ms must be above 0";
  if (!(o.start_weight > 0 && o.start_weight < 1e9)) return "start_weight must be above 0";
  if (o.max_hold_ms < o.min_hold_ms) return "max_hold_ms must be at least min_hold_ms";
  if (!(o.feedback_weight >= 0 && o.feedback_weight < 1e9))
    return "feedback_weight must be 0 or above";
  return {};
}

PacingAdviser::PacingAdviser(PacingOptions options) noexcept : opt_(options) {
  const PacingOptions d;
  if (!fraction(opt_.abandon_target)) opt_.abandon_target = d.abandon_target;
  opt_.min_robots_per_person = std::max(opt_.min_robots_per_person, 1u);
  opt_.max_robots_per_person = std::max(opt_.max_robots_per_person, opt_.min_robots_per_person);
  if (opt_.half_life_ms == 0) opt_.half_life_ms = d.half_life_ms;
  if (!(opt_.start_escalation_share >= 0 && opt_.start_escalation_share <= 1))
    opt_.start_escalation_share = d.start_escalation_share;
  if (opt_.start_talk_ms == 0) opt_.start_talk_ms = d.start_talk_ms;
  if (opt_.start_patience_ms == 0) opt_.start_patience_ms = d.start_patience_ms;
  if (opt_.start_call_ms == 0) opt_.start_call_ms = d.start_call_ms;
  if (!(opt_.start_weight > 0 && opt_.start_weight < 1e9)) opt_.start_weight = d.start_weight;
  opt_.max_hold_ms = std::max(opt_.max_hold_ms, opt_.min_hold_ms);
  if (!(opt_.feedback_weight >= 0 && opt_.feedback_weight < 1e9))
    opt_.feedback_weight = d.feedback_weight;
}

// The weight of an observation at `at_ms`: 1 when it is the newest (the
// sums decay to it first), less when it comes late. Exponential decay makes
// both exact, so the order of observations does not matter.
double PacingAdviser::weight(std::uint64_t at_ms) noexcept {
  const double half = static_cast<double>(opt_.half_life_ms);
  if (at_ms < last_ms_) return std::exp2(-static_cast<double>(last_ms_ - at_ms) / half);
  const double f = std::exp2(-static_cast<double>(at_ms - last_ms_) / half);
  for (double* s : {&sums_.escalations, &sums_.escalate_after, &sums_.taken, &sums_.abandons,
                    &sums_.waits, &sums_.talks, &sums_.talk_ms, &sums_.calls, &sums_.call_ms})
    *s *= f;
  for (Spread* sp : {&sums_.talk_spread, &sums_.escalate_spread, &sums_.call_spread})
    for (double& b : sp->bins) b *= f;
  last_ms_ = at_ms;
  return 1;
}

void PacingAdviser::escalated(std::uint64_t at_ms, std::uint64_t after_dial_ms) noexcept {
  const double w = weight(at_ms);
  sums_.escalations += w;
  sums_.escalate_after += w * ms(after_dial_ms);
  sums_.escalate_spread.add(ms(after_dial_ms), w,
                            static_cast<double>(opt_.start_escalate_after_ms));
}

void PacingAdviser::taken(std::uint64_t at_ms, std::uint64_t waited_ms) noexcept {
  const double w = weight(at_ms);
  sums_.taken += w;
  sums_.waits += w * ms(waited_ms);
}

void PacingAdviser::abandoned(std::uint64_t at_ms, std::uint64_t waited_ms) noexcept {
  const double w = weight(at_ms);
  sums_.abandons += w;
  sums_.waits += w * ms(waited_ms);
}

void PacingAdviser::talk_ended(std::uint64_t at_ms, std::uint64_t talk_ms) noexcept {
  const double w = weight(at_ms);
  sums_.talks += w;
  sums_.talk_ms += w * ms(talk_ms);
  sums_.talk_spread.add(ms(talk_ms), w, static_cast<double>(opt_.start_talk_ms));
}

void PacingAdviser::Spread::add(double at, double weight, double start) noexcept {
  const double width = 4 * start / static_cast<double>(bins.size());
  bins[static_cast<std::size_t>(std::min(at / width, bins.size() - 1.0))] += weight;
}

double PacingAdviser::Spread::cdf(double at, double start, double count,
                                  double prior) const noexcept {
  const double width = 4 * start / static_cast<double>(bins.size());
  double below = 0;  // linearly within a bin
  for (std::size_t b = 0; b < bins.size(); ++b) {
    const double from = static_cast<double>(b) * width;
    below += bins[b] * std::clamp((at - from) / width, 0.0, 1.0);
    if (at < from + width) break;
  }
  return (below + prior * std::clamp(at / start - 0.5, 0.0, 1.0)) / (count + prior);
}

void PacingAdviser::Spread::edges_of(Edges& out, double start, double count,
                                     double prior) const noexcept {
  const double width = 4 * start / static_cast<double>(bins.size());
  double below = 0;
  for (std::size_t b = 0; b <= bins.size(); ++b) {
    const double at = static_cast<double>(b) * width;
    out[b] = (below + prior * std::clamp(at / start - 0.5, 0.0, 1.0)) / (count + prior);
    if (b < bins.size()) below += bins[b];
  }
}

double PacingAdviser::Spread::mean_left(const Edges& edges, double at, double start) noexcept {
  const std::size_t n = edges.size() - 1;
  const double width = 4 * start / static_cast<double>(n);
  const double pos = at / width;
  if (pos >= static_cast<double>(n)) return 0;
  const auto b = static_cast<std::size_t>(pos);
  const double frac = pos - static_cast<double>(b);
  const double here = edges[b] + (edges[b + 1] - edges[b]) * frac;
  // The survival 1 - F is linear within a bin: trapezoids are exact.
  double area = (2 - here - edges[b + 1]) / 2 * (1 - frac) * width;
  for (std::size_t k = b + 1; k < n; ++k) area += (2 - edges[k] - edges[k + 1]) / 2 * width;
  return 1 - here > 1e-12 ? area / (1 - here) : 0;
}

double PacingAdviser::talk_cdf(double at) const noexcept {
  return sums_.talk_spread.cdf(at, static_cast<double>(opt_.start_talk_ms), sums_.talks,
                               opt_.start_weight);
}

// Bayes: of the calls that last `age_ms`, the share that escalate (they are
// still waiting to) against those that end without (still before their end).
double PacingAdviser::escalates(const PacingEstimates& e, std::uint64_t age_ms) const noexcept {
  const double age = ms(age_ms), w = opt_.start_weight;
  const double esc =
      e.escalation_share *
      (1 - sums_.escalate_spread.cdf(age, static_cast<double>(opt_.start_escalate_after_ms),
                                     sums_.escalations, w));
  const double other =
      (1 - e.escalation_share) *
      (1 - sums_.call_spread.cdf(age, static_cast<double>(opt_.start_call_ms), sums_.calls, w));
  return esc + other > 1e-12 ? esc / (esc + other) : e.in_progress_share;
}

double PacingAdviser::finishes_within(std::uint64_t talked_ms,
                                      std::uint64_t within_ms) const noexcept {
  const double from = ms(talked_ms);
  const double left = 1 - talk_cdf(from);
  if (left < 1e-9) return 1;  // talked longer than anyone: about to finish
  return std::clamp((talk_cdf(from + ms(within_ms)) - (1 - left)) / left, 0.0, 1.0);
}

void PacingAdviser::call_ended(std::uint64_t at_ms, std::uint64_t duration_ms) noexcept {
  const double w = weight(at_ms);
  sums_.calls += w;
  sums_.call_ms += w * ms(duration_ms);
  sums_.call_spread.add(ms(duration_ms), w, static_cast<double>(opt_.start_call_ms));
}

PacingEstimates PacingAdviser::estimates() const noexcept {
  const double w = opt_.start_weight;
  const auto blend = [w](double sum, double count, double start) {
    return (sum + w * start) / (count + w);
  };
  PacingEstimates e;
  // Of the calls whose outcome is known: a call still in progress may yet
  // escalate, so counting it at its dial would pull the share down (at a
  // shift's start, when every robot dials at once, to almost nothing).
  e.escalation_share = std::clamp(
      blend(sums_.escalations, sums_.escalations + sums_.calls, opt_.start_escalation_share), 0.0,
      1.0);
  e.escalate_after_ms = blend(sums_.escalate_after, sums_.escalations,
                              static_cast<double>(opt_.start_escalate_after_ms));
  e.talk_ms = blend(sums_.talk_ms, sums_.talks, static_cast<double>(opt_.start_talk_ms));
  // Exponential patience: its mean is all the waiting over the abandonments.
  e.patience_ms = blend(sums_.waits, sums_.abandons, static_cast<double>(opt_.start_patience_ms));
  if (opt_.hold_timeout_ms)
    e.patience_ms = std::min(e.patience_ms, static_cast<double>(opt_.hold_timeout_ms));
  e.call_ms = blend(sums_.call_ms, sums_.calls, static_cast<double>(opt_.start_call_ms));
  const double escalating = e.escalation_share * e.escalate_after_ms;
  const double others = (1 - e.escalation_share) * e.call_ms;
  e.in_progress_share = escalating + others > 0 ? escalating / (escalating + others) : 0;
  // A robot's minute on calls: escalating ones until they escalate, others to their end.
  e.escalations_per_robot_minute =
      escalating + others > 0 ? e.escalation_share / (escalating + others) * 60000 : 0;
  const double ended = sums_.taken + sums_.abandons;
  e.abandoned_share = ended > 0 ? sums_.abandons / ended : 0;
  return e;
}

double PacingAdviser::forecast(const PacingNow& now) const noexcept {
  const PacingEstimates e = estimates();
  const std::uint32_t talking = std::min(now.talking, now.people);
  // Each call's chance to escalate and the time until it would, from its
  // age; the mean chance as one Binomial (see below), the mean time weighted
  // by the chances. A call about to be dialled (advise counts one more) is a
  // fresh one.
  double share = e.in_progress_share, until = e.escalate_after_ms;
  // Each call's own chance, for the exact sum below (up to kExact calls).
  std::array<double, kExact> chance{};
  const bool exact = now.dialling <= kExact && talking <= kExact;
  const std::size_t known =
      std::max({now.dialled_ms.size(), now.chances.size(), now.escalate_in_ms.size()});
  if (known > 0) {
    const double start = static_cast<double>(opt_.start_escalate_after_ms);
    Spread::Edges edges{};
    if (!now.dialled_ms.empty())
      sums_.escalate_spread.edges_of(edges, start, sums_.escalations, opt_.start_weight);
    double sum = 0, weighted = 0;
    for (std::size_t i = 0; i < known; ++i) {
      const bool aged = i < now.dialled_ms.size();
      const std::uint64_t age = aged ? now.dialled_ms[i] : 0;
      // The host's chance for the call where it is, else from its age.
      const double given = i < now.chances.size() ? static_cast<double>(now.chances[i]) : -1;
      const double q = given >= 0 && given <= 1 ? given : escalates(e, age);
      const double in =
          i < now.escalate_in_ms.size() ? static_cast<double>(now.escalate_in_ms[i]) : -1;
      const double left = in >= 0 && in <= static_cast<double>(kLongest) ? in
                          : aged ? Spread::mean_left(edges, ms(age), start)
                                 : e.escalate_after_ms;
      if (exact && i < now.dialling) chance[i] = q;
      sum += q;
      weighted += q * left;
    }
    if (now.dialling > known) {
      const double q = escalates(e, 0);
      if (exact)
        for (std::size_t i = known; i < now.dialling; ++i) chance[i] = q;
      const double fresh = static_cast<double>(now.dialling - known) * q;
      sum += fresh;
      weighted += fresh * e.escalate_after_ms;
    }
    share = sum / static_cast<double>(std::max<std::size_t>(known, now.dialling));
    if (sum > 0) until = weighted / sum;
  } else if (exact) {
    std::fill_n(chance.begin(), now.dialling, share);
  }
  const double demand =
      static_cast<double>(now.waiting) + static_cast<double>(now.dialling) * share;
  if (demand <= 0) return 0;
  if (now.people == 0) return 1;
  // Half the patience, at most `patience_counted_ms`: escalations from calls
  // dialled meanwhile will claim the people who free up late in it
  // (measured: with all of a 60 s hold, the share realised is twice the
  // target's, with none half of it; with all of a 3-minute hold, more).
  const double horizon =
      until + std::min(0.5 * e.patience_ms, static_cast<double>(opt_.patience_counted_ms));
  double in_time = 1 - std::exp(-horizon / std::max(e.talk_ms, 1.0));
  std::array<double, kExact> frees{};
  if (exact) std::fill_n(frees.begin(), talking, in_time);
  if (!now.talked_ms.empty()) {
    double sum = 0;
    for (std::size_t p = 0; p < now.talked_ms.size(); ++p) {
      const double f = finishes_within(now.talked_ms[p], static_cast<std::uint64_t>(horizon));
      if (exact && p < talking) frees[p] = f;
      sum += f;
    }
    in_time = sum / static_cast<double>(now.talked_ms.size());
  }
  if (exact) {
    // The exact sums of unequal chances (Poisson-binomial): a fresh call and
    // one about to escalate are not two calls of average chance.
    std::array<double, kExact + 1> x{}, y{};
    poisson_binomial(std::span(chance.data(), now.dialling), x);
    poisson_binomial(std::span(frees.data(), talking), y);
    const std::int64_t free = std::int64_t{now.people} - talking - std::int64_t{now.waiting};
    double lost = 0;
    for (std::uint32_t i = 0; i <= now.dialling; ++i)
      for (std::uint32_t j = 0; j <= talking; ++j) {
        const std::int64_t left = std::int64_t{i} - free - std::int64_t{j};
        if (left > 0) lost += x[i] * y[j] * static_cast<double>(left);
      }
    return std::min(1.0, lost / demand);
  }
  return std::min(
      1.0,
      overflow(now.waiting, now.dialling, share, now.people - talking, talking, in_time) / demand);
}

PacingAdvice PacingAdviser::advise(const PacingNow& now) const noexcept {
  PacingAdvice a;
  const std::uint64_t people = now.people;
  const std::uint64_t held = std::uint64_t{now.waiting} + std::min(now.talking, now.people);
  const std::uint64_t floor = people * opt_.min_robots_per_person;
  const std::uint64_t ceiling = people * opt_.max_robots_per_person;
  // Robot calls the bounds leave room for, and the most the forecast allows.
  const std::uint64_t room = ceiling > held ? ceiling - held : 0;
  // The target the forecast is held to, moved by how the desk's real
  // abandonment compares with the target (see PacingOptions::feedback_weight).
  double target = opt_.abandon_target;
  if (opt_.feedback_weight > 0) {
    const double ended = sums_.taken + sums_.abandons;
    const double real =
        (sums_.abandons + opt_.feedback_weight * target) / (ended + opt_.feedback_weight);
    target = std::clamp(target * std::clamp(target / std::max(real, 1e-9), 0.25, 4.0), 1e-6, 0.5);
  }
  PacingNow trial = now;
  std::uint64_t low = 0, high = std::min<std::uint64_t>(room, UINT32_MAX);
  while (low < high) {
    const std::uint64_t mid = (low + high + 1) / 2;
    trial.dialling = static_cast<std::uint32_t>(mid);
    if (forecast(trial) <= target)
      low = mid;
    else
      high = mid - 1;
  }
  const std::uint64_t least = floor > held ? floor - held : 0;
  a.calls_allowed = static_cast<std::uint32_t>(std::min(room, std::max(low, least)));
  a.robots_per_person = people == 0 ? opt_.min_robots_per_person
                                    : static_cast<std::uint32_t>(std::clamp<std::uint64_t>(
                                          (a.calls_allowed + held + people - 1) / people,
                                          opt_.min_robots_per_person, opt_.max_robots_per_person));
  trial.dialling = now.dialling == UINT32_MAX ? now.dialling : now.dialling + 1;
  a.forecast_abandon = forecast(trial);
  a.hold = people == 0 || std::uint64_t{now.dialling} + 1 > a.calls_allowed;
  if (a.hold) {
    // About the time until a person or a robot's call frees up.
    const PacingEstimates e = estimates();
    const double robot_ms =
        e.in_progress_share * e.escalate_after_ms + (1 - e.in_progress_share) * e.call_ms;
    const double rate = std::min(now.talking, now.people) / std::max(e.talk_ms, 1.0) +
                        now.dialling / std::max(robot_ms, 1.0);
    const double wait = rate > 0 ? 1 / rate : static_cast<double>(opt_.max_hold_ms);
    a.hold_ms = static_cast<std::uint32_t>(std::clamp(wait, static_cast<double>(opt_.min_hold_ms),
                                                      static_cast<double>(opt_.max_hold_ms)));
  }
  return a;
}

}  // namespace patter
