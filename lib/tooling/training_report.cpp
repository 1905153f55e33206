// A training report as text for the trainee and as JSON for a host
// (patter/tooling/training_assessment.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "patter/json_writer.hpp"
#include "patter/tooling/training_assessment.hpp"

namespace patter {
namespace {

std::string clock(std::uint64_t ms) {
  return fmt::format("{}:{:02}", ms / 60000, (ms / 1000) % 60);
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::string grab_text(const std::optional<GrabDecision>& g) {
  if (!g) return "no grab decision";
  std::string out = fmt::format("grab {}", to_string(g->verdict));
  if (g->verdict != GrabVerdict::missed && g->verdict != GrabVerdict::needless)
    out += fmt::format(" ({:+.1f} s)", static_cast<double>(g->offset_ms) / 1000);
  return out;
}

void call_text(const CallAssessment& c, std::string& out) {
  out += fmt::format("call {} ({}): ", c.call, c.persona);
  out += c.taken_at.empty() ? std::string("not taken") : "took over at " + c.taken_at;
  out += "; " + grab_text(c.grab) + "; ";
  out += c.ended ? fmt::format("ended {}, {}\n", to_string(c.outcome), to_string(c.hangup))
                 : std::string("unfinished\n");
  if (!c.key_points.empty()) {
    out += fmt::format("  key points {}/{}:\n", c.covered(), c.key_points.size());
    for (const KeyPoint& k : c.key_points) {
      std::vector<std::string> missing;
      for (const std::string& w : k.words)
        if (std::find(k.said.begin(), k.said.end(), w) == k.said.end()) missing.push_back(w);
      out += fmt::format("    {} [{}] {}  (", k.covered ? '+' : '-', k.node, k.text);
      out += k.said.empty() ? "" : "said: " + joined(k.said);
      out += missing.empty()
                 ? ""
                 : std::string(k.said.empty() ? "" : "; ") + "missing: " + joined(missing);
      out += ")\n";
    }
  }
  for (const ForbiddenSaid& f : c.forbidden)
    out +=
        fmt::format("  forbidden: \"{}\" in line {} at {}\n", f.phrase, f.line + 1, clock(f.at_ms));
  for (const TraineeLine& l : c.lines) out += fmt::format("  {} you: {}\n", clock(l.at_ms), l.text);
}

void key_point_json(JsonWriter& w, const KeyPoint& k) {
  w.object().field("node", k.node).field("text", k.text);
  w.key("words").values(k.words).key("said").values(k.said);
  w.field("covered", k.covered).end();
}

void call_json(JsonWriter& w, const CallAssessment& c) {
  w.object().field("call", c.call).field("persona", c.persona);
  w.key("grab");
  if (c.grab)
    w.object()
        .field("verdict", to_string(c.grab->verdict))
        .field("offset_ms", c.grab->offset_ms)
        .end();
  else
    w.null();
  w.field("taken_at", c.taken_at).field("ended", c.ended);
  w.field("outcome", to_string(c.outcome)).field("hangup", to_string(c.hangup));
  w.key("key_points").array();
  for (const KeyPoint& k : c.key_points) key_point_json(w, k);
  w.end().field("covered", c.covered()).key("forbidden").array();
  for (const ForbiddenSaid& f : c.forbidden)
    w.object().field("phrase", f.phrase).field("line", f.line).field("at_ms", f.at_ms).end();
  w.end().key("lines").array();
  for (const TraineeLine& l : c.lines)
    w.object().field("at_ms", l.at_ms).field("text", l.text).end();
  w.end().end();
}

}  // namespace

std::string TrainingReport::to_text() const {
  std::string out = fmt::format("training report: {}\n", script);
  for (const CallAssessment& c : calls) call_text(c, out);
  out += fmt::format(
      "totals: {} calls, {} taken; grabs {} on time, {} early, {} late, {} missed, {} needless; "
      "key points {}/{} ({:.0f}%); forbidden phrases {}\n",
      calls.size(), taken, on_time, early, late, missed, needless, covered, key_points,
      coverage * 100, forbidden);
  out += fmt::format("score {:.1f}/100: {}\n", score,
                     passed           ? "passed"
                     : forbidden != 0 ? "not passed (a forbidden phrase was said)"
                                      : "not passed");
  return out;
}

std::string TrainingReport::to_json() const {
  JsonWriter w;
  w.object().field("script", script).key("calls").array();
  for (const CallAssessment& c : calls) call_json(w, c);
  w.end().key("totals").object().field("calls", calls.size()).field("taken", taken);
  w.field("on_time", on_time).field("early", early).field("late", late).field("missed", missed);
  w.field("needless", needless).field("key_points", key_points).field("covered", covered);
  w.field("forbidden", forbidden).end();
  w.key("timing").fixed(timing, 3).key("coverage").fixed(coverage, 3).key("score").fixed(score, 1);
  w.field("passed", passed).end();
  return w.take();
}

}  // namespace patter
