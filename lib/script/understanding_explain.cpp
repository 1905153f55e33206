// An Understanding told in a script's terms: intent names, kinds,
// priorities, the author's phrases and variables. Above the matcher (which
// knows intents by number only) and the compiled Script (which holds them).
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "patter/matcher.hpp"
#include "patter/script.hpp"

namespace patter {

std::string Understanding::explain(const Script& script) const {
  const std::string_view t = normalized_;
  auto span = [&](std::uint32_t b, std::uint32_t e) { return std::string(t.substr(b, e - b)); };
  auto describe = [&](const IntentMatch& m) {
    const Intent& in = script.intent(m.negated && m.original != kNone ? m.original : m.intent);
    std::string what;
    switch (m.source) {
      case MatchSource::phrase:
        what = fmt::format("phrase \"{}\" of {} on \"{}\"",
                           m.rule < in.phrases.size() ? in.phrases[m.rule] : "", in.name,
                           span(m.begin, m.end));
        break;
      case MatchSource::pattern:
        what = fmt::format("pattern /{}/ of {} on \"{}\"",
                           m.rule < in.patterns.size() ? in.patterns[m.rule] : "", in.name,
                           std::string_view(original_).substr(m.begin, m.end - m.begin));
        break;
      case MatchSource::example:
        what = fmt::format("example \"{}\" of {}, similarity {:.2f}",
                           m.rule < in.examples.size() ? in.examples[m.rule] : "", in.name,
                           m.confidence);
        break;
      case MatchSource::host:
        what = fmt::format("the host's NLU, confidence {:.2f}", m.confidence);
        break;
      case MatchSource::none: break;
    }
    if (m.negated) {
      what += fmt::format(", negated by \"{}\"", span(m.cue_begin, m.cue_end));
      if (m.double_negation) what += " (a double negation)";
      if (m.original != kNone) what += ", flipped to its opposite";
    } else if (m.double_negation) {
      what += fmt::format(", a double negation \"{}\" that cancels itself",
                          span(m.cue_begin, m.cue_end));
    }
    return what;
  };
  auto kind = [&](IntentId i) { return to_string(script.intent(i).kind); };
  std::string out = fmt::format("heard \"{}\"", t);
  if (flags_.invalid_utf8) out += " (invalid UTF-8 replaced)";
  if (flags_.truncated) out += " (truncated)";
  out += '\n';
  explain_clauses(script, out);
  if (intents_.empty()) {
    out += "no intent\n";
  } else {
    if (intents_.size() > 1) out += why_first(script) + '\n';
    for (std::size_t i = 0; i < intents_.size(); ++i) {
      const IntentMatch& m = intents_[i];
      out += fmt::format("{} {} ({}, priority {}): {}\n", i == 0 ? "intent" : "also",
                         script.intent(m.intent).name, kind(m.intent),
                         script.intent(m.intent).priority, describe(m));
    }
  }
  for (const Capture& c : captures_) {
    out += fmt::format("captured {} = \"{}\"", script.variables().at(c.variable).name,
                       capture_text(c));
    if (c.numeric) out += fmt::format(" ({})", c.number);
    out += '\n';
  }
  for (const SuppressedMatch& s : suppressed_)
    out += fmt::format("not {}: {}: {}\n", script.intent(s.match.intent).name, describe(s.match),
                       to_string(s.why));
  return out;
}

// One line per clause when there are several: its words and the intents
// found in it (phrases only: patterns and examples read the whole reply).
void Understanding::explain_clauses(const Script& script, std::string& out) const {
  const std::string_view t = normalized_;
  if (t.find(Normalizer::kClauseMark) == std::string_view::npos) return;
  std::size_t b = 0;
  for (int n = 1; b <= t.size(); ++n) {
    std::size_t e = t.find(Normalizer::kClauseMark, b);
    if (e == std::string_view::npos) e = t.size();
    out += fmt::format("clause {} \"{}\":", n, t.substr(b, e - b));
    bool any = false;
    for (const IntentMatch& m : intents_) {
      if (m.source != MatchSource::phrase || m.begin < b || m.begin >= e) continue;
      out += fmt::format("{} {} ({})", any ? "," : "", script.intent(m.intent).name,
                         to_string(script.intent(m.intent).kind));
      any = true;
    }
    out += any ? "\n" : " no intent\n";
    b = e + 1;
  }
}

// Which rule of the precedence put the best intent before the next one.
std::string Understanding::why_first(const Script& script) const {
  const IntentMatch& a = intents_[0];
  const IntentMatch* b = nullptr;
  for (const IntentMatch& m : intents_)
    if (m.intent != a.intent) {
      b = &m;
      break;
    }
  const Intent& x = script.intent(a.intent);
  if (!b) return fmt::format("{} wins: the only intent heard", x.name);
  const Intent& y = script.intent(b->intent);
  if (x.kind != y.kind)
    return fmt::format(
        "{} wins over {}: its kind {} ranks above {} (opt_out > human > question > refusal > "
        "answer)",
        x.name, y.name, to_string(x.kind), to_string(y.kind));
  if (x.priority != y.priority)
    return fmt::format("{} wins over {}: both {}, and its priority {} is higher than {}", x.name,
                       y.name, to_string(x.kind), x.priority, y.priority);
  if (a.end - a.begin != b->end - b->begin)
    return fmt::format("{} wins over {}: same kind and priority, and its words are longer", x.name,
                       y.name);
  return fmt::format("{} wins over {}: same kind, priority and length, and it came first", x.name,
                     y.name);
}

}  // namespace patter
