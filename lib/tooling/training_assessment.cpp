// Assessing a training run (patter/tooling/training_assessment.hpp): grab
// timing from the desk's verdicts, key points covered, forbidden phrases
// said, and the score.
#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>

#include "patter/tooling/training_assessment.hpp"
#include "training_words.hpp"

namespace patter {
namespace {

// Guarantees of returns and pressure to decide now: what a salesperson of
// financial or education products must never promise, whatever the script.
constexpr std::string_view kZh[] = {"保证收益",     "稳赚不赔", "零风险",    "无风险",
                                    "没有任何风险", "保本保息", "包赚",      "稳赚",
                                    "保证赚钱",     "百分百赚", "一定赚钱",  "绝对赚钱",
                                    "保证回本",     "保证通过", "包过",      "今天不买就没了",
                                    "错过就没有了", "最后一天", "不买会后悔"};
constexpr std::string_view kEn[] = {"guaranteed returns", "guaranteed return",
                                    "guaranteed profit",  "guarantee you a return",
                                    "risk-free",          "risk free",
                                    "no risk at all",     "zero risk",
                                    "can't lose",         "cannot lose",
                                    "double your money",  "you will definitely make money",
                                    "last chance",        "today only",
                                    "you'll regret it",   "sign now or"};
constexpr auto kBoth = [] {
  std::array<std::string_view, std::size(kZh) + std::size(kEn)> all{};
  std::size_t i = 0;
  for (std::string_view p : kZh) all[i++] = p;
  for (std::string_view p : kEn) all[i++] = p;
  return all;
}();

void count_verdict(TrainingReport& r, GrabVerdict v) {
  switch (v) {
    case GrabVerdict::on_time: ++r.on_time; break;
    case GrabVerdict::early: ++r.early; break;
    case GrabVerdict::late: ++r.late; break;
    case GrabVerdict::missed: ++r.missed; break;
    case GrabVerdict::needless: ++r.needless; break;
  }
}

// The trainee's words against the call's key points.
void cover(const Normalizer& norm, CallAssessment& a) {
  std::string all;
  for (const TraineeLine& l : a.lines) all.append(l.text).append("\n");
  const training_detail::Said said(norm, all);
  for (KeyPoint& k : a.key_points) {
    for (const std::string& w : k.words)
      if (said.has_word(w)) k.said.push_back(w);
    k.covered = !k.words.empty() && k.said.size() * 2 >= k.words.size();
  }
}

void find_forbidden(const Normalizer& norm, const std::vector<std::string>& phrases,
                    const std::vector<std::string>& normalised, CallAssessment& a) {
  for (std::uint32_t i = 0; i < a.lines.size(); ++i) {
    const training_detail::Said said(norm, a.lines[i].text);
    std::vector<std::pair<std::size_t, std::size_t>> found;  // where, which
    for (std::size_t p = 0; p < phrases.size(); ++p)
      if (const std::size_t at = said.find(normalised[p]); at != std::string::npos)
        found.emplace_back(at, p);
    std::sort(found.begin(), found.end());  // in the order they were said
    // 稳赚 within 稳赚不赔 is one thing said, not two.
    for (const auto& hit : found) {
      const std::size_t p = hit.second;  // not a structured binding: clang 14 cannot capture one
      const bool inside = std::any_of(found.begin(), found.end(), [&](const auto& other) {
        const std::size_t q = other.second;
        return q != p && normalised[q].size() > normalised[p].size() &&
               normalised[q].find(normalised[p]) != std::string::npos;
      });
      if (!inside) a.forbidden.push_back({phrases[p], i, a.lines[i].at_ms});
    }
  }
}

void score(TrainingReport& r, double pass_score) {
  const std::uint32_t decisions = r.on_time + r.early + r.late + r.missed + r.needless;
  r.timing = decisions ? static_cast<double>(r.on_time) / decisions : 1.0;
  r.coverage = r.key_points ? static_cast<double>(r.covered) / r.key_points : 1.0;
  const double s = 50 * r.timing + 50 * r.coverage - 25.0 * r.forbidden;
  r.score = std::round(std::clamp(s, 0.0, 100.0) * 10) / 10;
  r.passed = r.score >= pass_score && r.forbidden == 0;
}

}  // namespace

std::span<const std::string_view> builtin_forbidden_phrases(std::string_view locale) {
  const std::string_view lang = locale.substr(0, 2);
  if (lang == "zh") return kZh;
  if (lang == "en") return kEn;
  return kBoth;
}

std::uint32_t CallAssessment::covered() const noexcept {
  return static_cast<std::uint32_t>(std::count_if(key_points.begin(), key_points.end(),
                                                  [](const KeyPoint& k) { return k.covered; }));
}

double CallAssessment::coverage() const noexcept {
  return key_points.empty() ? 1.0 : static_cast<double>(covered()) / key_points.size();
}

TrainingReport assess(const Script& script, std::span<const TrainingCall> calls,
                      const AssessmentOptions& options) {
  const Normalizer norm({.locale = script.locale(), .fillers = {}});
  std::vector<std::string> phrases;
  if (options.builtin_forbidden)
    for (std::string_view p : builtin_forbidden_phrases(script.locale())) phrases.emplace_back(p);
  for (const std::string& p : options.forbidden) phrases.push_back(training_detail::valid_utf8(p));
  std::vector<std::string> normalised;
  std::vector<std::string> kept;
  for (std::string& p : phrases) {
    std::string n;
    norm.normalize(p, n, Clauses::join);
    // "risk-free" and "risk free" read the same: one phrase.
    if (n.empty() || std::find(normalised.begin(), normalised.end(), n) != normalised.end())
      continue;
    normalised.push_back(std::move(n));
    kept.push_back(std::move(p));
  }
  phrases = std::move(kept);

  TrainingReport r;
  r.script = script.id() + " " + script.version();
  for (const TrainingCall& c : calls) {
    CallAssessment& a = r.calls.emplace_back();
    a.call = c.call;
    a.persona = c.persona;
    a.grab = c.grab;
    a.ended = c.ended;
    a.outcome = c.outcome;
    a.hangup = c.hangup;
    for (const TraineeLine& l : c.lines)
      a.lines.push_back({l.at_ms, training_detail::valid_utf8(l.text)});
    if (c.grab) count_verdict(r, c.grab->verdict);
    const bool taken = c.taken_at < script.nodes().size();
    if (taken) {
      ++r.taken;
      a.taken_at = script.node(c.taken_at).name;
      a.key_points = key_points(script, c.taken_at, options);
      cover(norm, a);
    }
    find_forbidden(norm, phrases, normalised, a);
    r.key_points += static_cast<std::uint32_t>(a.key_points.size());
    r.covered += a.covered();
    r.forbidden += static_cast<std::uint32_t>(a.forbidden.size());
  }
  score(r, options.pass_score);
  return r;
}

}  // namespace patter
