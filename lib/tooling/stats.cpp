// Funnels from finished calls (patter/tooling/stats.hpp).
#include "patter/tooling/stats.hpp"

#include "patter/json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <unordered_set>

#include "text/utf8.hpp"
#include "tooling/columns.hpp"
#include "tooling/stats_json.hpp"
#include "tooling/stats_variants.hpp"

namespace patter {
namespace {

using detail::Appender;

constexpr int kOutcomes = static_cast<int>(Outcome::error) + 1;

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (int i = 0; i < kOutcomes; ++i)
    if (to_string(static_cast<Outcome>(i)) == s) return static_cast<Outcome>(i);
  return std::nullopt;
}

using detail::display_width;
using detail::pad;

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string seconds(double ms) {
  return fmt::format("{:.1f} s", ms / 1000.0);
}

std::string hours(std::uint64_t ms) {
  const std::uint64_t minutes = ms / 60000;
  if (minutes < 60) return fmt::format("{:.1f} min", static_cast<double>(ms) / 60000.0);
  return fmt::format("{}h {:02}m", minutes / 60, minutes % 60);
}

std::string dot_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

struct AgentAcc {
  std::uint64_t calls = 0, grabbed = 0, sold = 0, busy_ms = 0;
};

}  // namespace

std::string to_json_line(const CallResult& result, const Script& script, const CallContext& c) {
  std::string out = result.to_json(script);
  if (!c.has_context || out.empty() || out.back() != '}') return out;
  JsonWriter w = JsonWriter::extending(std::move(out));
  w.key("call").object();
  if (!c.persona.empty()) w.field("persona", c.persona);
  if (!c.agent.empty()) w.field("agent", c.agent);
  w.field("dialed_ms", c.dialed_ms).field("ended_ms", c.ended_ms);
  if (c.wait_ms) w.field("wait_ms", *c.wait_ms);
  w.field("taken", c.taken).field("grabbed", c.grabbed).field("person_ms", c.person_ms);
  return w.end().end().take();
}

struct Stats::Impl {
  std::shared_ptr<const Script> script;
  StatsOptions options;
  std::string script_id, other;
  std::vector<std::string> names;
  std::unordered_map<std::string, std::uint32_t> index;
  std::vector<FunnelRow> rows;
  std::vector<std::uint64_t> stamp;  // the call that last counted a node, to count it once per call
  std::unordered_map<std::uint64_t, std::uint64_t> edges;  // from << 32 | to
  std::uint64_t calls = 0, answered = 0, converted = 0;
  std::array<std::uint64_t, kOutcomes> outcomes{};
  std::map<std::string, std::uint64_t, std::less<>> grades;  // by code
  bool has_context = false;
  std::uint64_t escalations = 0, taken = 0, grabs = 0;
  std::vector<double> waits;
  double abandoned_sum = 0;
  std::uint64_t abandoned = 0;
  std::uint64_t first_ms = UINT64_MAX, last_ms = 0;
  std::map<std::string, AgentAcc, std::less<>> agents;
  std::vector<std::uint32_t> path;  // scratch
  detail::VariantTally variants;    // A/B tests

  /// StatsOptions::converted_grades: codes separated by commas or spaces;
  /// one word that is not a grade of the script is read letter by letter
  /// ("AB": A and B).
  bool converts(std::string_view grade) const {
    const std::string& list = options.converted_grades;
    if (list.find_first_of(", ") == std::string::npos &&
        !(script && script->find_grade(list).has_value()))
      return grade.size() == 1 && list.find(grade[0]) != std::string::npos;
    for (std::size_t at = 0; at <= list.size();) {
      std::size_t end = list.find_first_of(", ", at);
      if (end == std::string::npos) end = list.size();
      if (end > at && std::string_view(list).substr(at, end - at) == grade) return true;
      at = end + 1;
    }
    return false;
  }

  std::uint32_t node_index(std::string_view name) {
    if (auto it = index.find(std::string(name)); it != index.end()) return it->second;
    const auto i = static_cast<std::uint32_t>(names.size());
    names.emplace_back(name);
    index.emplace(std::string(name), i);
    rows.push_back(FunnelRow{std::string(name)});
    stamp.push_back(0);
    return i;
  }

  void record(Outcome outcome, HangupReason hangup, bool escalated, std::string_view grade,
              const CallContext& c) {
    ++calls;
    ++outcomes[static_cast<std::size_t>(outcome)];
    if (auto it = grades.find(grade); it != grades.end())
      ++it->second;
    else
      grades.emplace(std::string(grade), 1);
    const bool conv = converts(grade);
    converted += conv;
    if (!path.empty()) ++answered;
    for (std::size_t i = 0; i < path.size(); ++i) {
      FunnelRow& row = rows[path[i]];
      if (stamp[path[i]] != calls) {
        stamp[path[i]] = calls;
        ++row.reached;
        row.converted += conv;
      }
      if (i + 1 < path.size()) ++edges[(std::uint64_t{path[i]} << 32) | path[i + 1]];
    }
    if (!path.empty()) {
      FunnelRow& last = rows[path.back()];
      last.hung_up += outcome == Outcome::customer_hangup;
      last.escalated += escalated;
    }
    if (!c.has_context) return;
    has_context = true;
    if (c.dialed_ms < first_ms) first_ms = c.dialed_ms;
    last_ms = std::max(last_ms, c.ended_ms);
    if (escalated && !c.grabbed) {
      ++escalations;
      if (c.taken) {
        ++taken;
        waits.push_back(static_cast<double>(c.wait_ms.value_or(0)));
      } else if (c.wait_ms) {
        ++abandoned;
        abandoned_sum += static_cast<double>(*c.wait_ms);
      }
    }
    grabs += c.grabbed;
    if (!c.agent.empty()) {
      auto it = agents.find(c.agent);
      if (it == agents.end()) it = agents.emplace(std::string(c.agent), AgentAcc{}).first;
      AgentAcc& a = it->second;
      ++a.calls;
      a.grabbed += c.grabbed;
      a.sold += outcome == Outcome::escalated && hangup == HangupReason::completed;
      a.busy_ms += c.person_ms;
    }
  }
};

Stats::Stats(std::shared_ptr<const Script> script, StatsOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->script = std::move(script);
  if (impl_->script) {
    impl_->script_id = impl_->script->id();
    for (const Node& n : impl_->script->nodes()) impl_->node_index(n.name);
    impl_->variants.declare(*impl_->script);
  }
}
Stats::~Stats() = default;
Stats::Stats(Stats&&) noexcept = default;
Stats& Stats::operator=(Stats&&) noexcept = default;

std::uint64_t Stats::calls() const noexcept {
  return impl_->calls;
}
const std::string& Stats::other_script() const noexcept {
  return impl_->other;
}

void Stats::add(const CallResult& r, const CallContext& c) {
  Impl& m = *impl_;
  m.path.clear();
  const std::size_t known = m.script ? m.script->nodes().size() : 0;
  for (NodeId n : r.path)
    if (n < known) m.path.push_back(n);
  const bool conv = m.converts(r.grade);
  for (const VariantSeen& v : r.variants) m.variants.add(v.experiment, v.variant, conv);
  m.record(r.outcome, r.hangup, r.escalated, r.grade, c);
}

std::string_view to_string(StatsError e) noexcept {
  switch (e) {
    case StatsError::ok: return "ok";
    case StatsError::not_json: return "not_json";
    case StatsError::not_a_result: return "not_a_result";
  }
  return "unknown";
}

std::string_view describe(StatsError e) noexcept {
  switch (e) {
    case StatsError::ok: return "the call result was added";
    case StatsError::not_json:
      return "the line is not JSON: pass one JSON object per line, as to_json_line writes them";
    case StatsError::not_a_result:
      return "the line is JSON but no call result (an outcome, a path of node names, a "
             "grade): pass what to_json_line or CallResult::to_json writes";
  }
  return "unknown stats error";
}

Result<void, StatsError> Stats::add_json(std::string_view line) {
  auto fail = [](std::string why) { return Failure{StatsError::not_a_result, std::move(why)}; };
  std::size_t b = line.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  detail::JsonValue v;
  std::string why;
  if (!detail::parse_json(line, v, why)) return Failure{StatsError::not_json, "not JSON: " + why};
  using K = detail::JsonValue::Kind;
  if (v.kind != K::object) return fail("not a JSON object");
  auto text = [&](std::string_view key) -> const std::string* {
    const detail::JsonValue* f = v.find(key);
    return f && f->kind == K::string ? &f->text : nullptr;
  };
  auto number = [&](const detail::JsonValue& o, std::string_view key) -> std::optional<double> {
    const detail::JsonValue* f = o.find(key);
    if (!f || f->kind != K::number) return std::nullopt;
    return f->number;
  };
  const std::string* outcome_s = text("outcome");
  if (!outcome_s) return fail("no \"outcome\": not a call result");
  const std::optional<Outcome> outcome = parse_outcome(*outcome_s);
  if (!outcome) return fail("unknown outcome `" + *outcome_s + "`");
  const detail::JsonValue* path = v.find("path");
  if (!path || path->kind != K::array) return fail("no \"path\" list");
  const std::string* grade = text("grade");
  if (!grade || grade->empty()) return fail("no \"grade\"");
  HangupReason hangup = HangupReason::completed;
  if (const std::string* h = text("hangup")) {
    if (auto p = parse_hangup_reason(*h)) hangup = *p;
  }
  const detail::JsonValue* esc = v.find("escalated");
  const bool escalated = esc && esc->kind == K::boolean && esc->boolean;

  Impl& m = *impl_;
  m.path.clear();
  for (const detail::JsonValue& n : path->items) {
    if (n.kind != K::string) return fail("\"path\" holds something other than node names");
    m.path.push_back(m.node_index(n.text));
  }
  if (const std::string* id = text("script")) {
    if (m.script_id.empty()) {
      m.script_id = *id;
    } else if (*id != m.script_id && m.other.empty()) {
      m.other = *id;
    } else if (m.script && m.other.empty()) {
      const std::string* fp = text("fingerprint");
      if (fp && *fp != m.script->fingerprint()) m.other = *id + " (fingerprint " + *fp + ")";
    }
  }
  CallContext c;
  std::string persona, agent;
  if (const detail::JsonValue* call = v.find("call"); call && call->kind == K::object) {
    c.has_context = true;
    if (auto* p = call->find("persona"); p && p->kind == K::string) persona = p->text;
    if (auto* a = call->find("agent"); a && a->kind == K::string) agent = a->text;
    c.persona = persona;
    c.agent = agent;
    auto u = [](double d) { return d > 0 ? static_cast<std::uint64_t>(d) : std::uint64_t{0}; };
    c.dialed_ms = u(number(*call, "dialed_ms").value_or(0));
    c.ended_ms = u(number(*call, "ended_ms").value_or(0));
    if (auto w = number(*call, "wait_ms")) c.wait_ms = u(*w);
    c.person_ms = u(number(*call, "person_ms").value_or(0));
    auto flag = [&](std::string_view k) {
      const detail::JsonValue* f = call->find(k);
      return f && f->kind == K::boolean && f->boolean;
    };
    c.taken = flag("taken");
    c.grabbed = flag("grabbed");
  }
  if (const detail::JsonValue* ab = v.find("variants"); ab && ab->kind == K::object) {
    const bool conv = m.converts(*grade);
    for (const auto& [experiment, variant] : ab->members)
      if (variant.kind == K::string) m.variants.add(experiment, variant.text, conv);
  }
  m.record(*outcome, hangup, escalated, *grade, c);
  return {};
}

StatsReport Stats::report() const {
  const Impl& m = *impl_;
  StatsReport r;
  r.script = m.script_id;
  r.calls = m.calls;
  r.answered = m.answered;
  for (int i = 1; i < kOutcomes; ++i)
    r.outcomes.emplace_back(std::string(to_string(static_cast<Outcome>(i))),
                            m.outcomes[static_cast<std::size_t>(i)]);
  r.funnel = m.rows;
  // The script's grades in its order (best first), then any others by code.
  if (m.script)
    for (const std::string& g : m.script->grades())
      if (auto it = m.grades.find(g); it != m.grades.end()) r.grades.emplace_back(g, it->second);
  for (const auto& [g, n] : m.grades)
    if (!m.script || !m.script->find_grade(g)) r.grades.emplace_back(g, n);
  r.converted = m.converted;
  r.converted_grades = m.options.converted_grades;
  for (const auto& [key, n] : m.edges)
    r.edges.push_back({m.names[key >> 32], m.names[key & 0xFFFFFFFFu], n});
  std::sort(r.edges.begin(), r.edges.end(), [](const EdgeTraffic& a, const EdgeTraffic& b) {
    return a.calls != b.calls ? a.calls > b.calls : std::tie(a.from, a.to) < std::tie(b.from, b.to);
  });
  r.has_context = m.has_context;
  r.escalations = m.escalations;
  r.taken = m.taken;
  if (m.escalations)
    r.abandoned = static_cast<double>(m.escalations - m.taken) / static_cast<double>(m.escalations);
  r.grabs = m.grabs;
  if (!m.waits.empty()) {
    std::vector<double> w = m.waits;
    std::sort(w.begin(), w.end());
    double sum = 0;
    for (double x : w) sum += x;
    r.wait_mean_ms = sum / static_cast<double>(w.size());
    r.wait_median_ms = w[w.size() / 2];
    r.wait_p90_ms = w[std::min(w.size() - 1, w.size() * 9 / 10)];
    r.wait_max_ms = w.back();
  }
  if (m.abandoned) r.abandoned_wait_mean_ms = m.abandoned_sum / static_cast<double>(m.abandoned);
  r.span_ms = m.has_context && m.last_ms > m.first_ms ? m.last_ms - m.first_ms : 0;
  double total = 0;
  for (const auto& [name, a] : m.agents) {
    AgentRow row{name, a.calls, a.grabbed, a.sold, a.busy_ms, 0};
    if (r.span_ms)
      row.utilisation = static_cast<double>(a.busy_ms) / static_cast<double>(r.span_ms);
    total += row.utilisation;
    r.agents.push_back(std::move(row));
  }
  if (!r.agents.empty()) r.utilisation = total / static_cast<double>(r.agents.size());
  r.experiments = m.variants.report();
  return r;
}

std::string StatsReport::to_text() const {
  std::string out;
  auto add = Appender{out};
  add("{} {}{}, {} answered ({})\n", calls, calls == 1 ? "call" : "calls",
      script.empty() ? "" : " of " + script, answered, percent(answered, calls));
  add("outcomes:");
  for (const auto& [name, n] : outcomes)
    if (n) add(" {} {} ({}),", name, n, percent(n, calls));
  if (out.back() == ',') out.pop_back();
  add("\n\n");

  std::size_t width = 4;
  for (const FunnelRow& f : funnel) width = std::max(width, display_width(f.node));
  add("funnel ({} answered = 100%; converted = grade {})\n", answered, converted_grades);
  add("  {}  {:>8} {:>7}  {:>8}  {:>9}  {:>9} {:>7}\n", pad("node", width), "reached", "%",
      "hung up", "escalated", "converted", "%");
  for (const FunnelRow& f : funnel) {
    add("  {}  {:>8} {:>7}  {:>8}  {:>9}  {:>9} {:>7}\n", pad(f.node, width), f.reached,
        percent(f.reached, answered), f.hung_up, f.escalated, f.converted,
        percent(f.converted, f.reached));
  }
  add("\ngrades:");
  for (const auto& [g, n] : grades) add("  {} {} ({})", g, n, percent(n, calls));
  add("\nconverted: {} ({} of calls, {} of answered)\n", converted, percent(converted, calls),
      percent(converted, answered));
  detail::append_variants_text(out, experiments, converted_grades);
  if (!has_context) return out;

  add("\nescalations: {} raised by the script, {} taken by a person ({}), {} never taken ({}); {} "
      "grabbed early\n",
      escalations, taken, percent(taken, escalations), escalations - taken,
      percent(escalations - taken, escalations), grabs);
  if (taken)
    add("  waiting for a person: mean {}, median {}, p90 {}, max {}\n", seconds(wait_mean_ms),
        seconds(wait_median_ms), seconds(wait_p90_ms), seconds(wait_max_ms));
  if (escalations > taken && abandoned_wait_mean_ms > 0)
    add("  never taken: waited {} on average before the call ended\n",
        seconds(abandoned_wait_mean_ms));
  if (!agents.empty()) {
    std::size_t aw = 5;
    for (const AgentRow& a : agents) aw = std::max(aw, display_width(a.agent));
    add("\nagents over {}: utilisation {:.1f}% on average\n", hours(span_ms), utilisation * 100);
    add("  {}  {:>6}  {:>7}  {:>5}  {:>9}  {:>6}\n", pad("agent", aw), "calls", "grabbed", "sold",
        "talking", "busy");
    for (const AgentRow& a : agents)
      add("  {}  {:>6}  {:>7}  {:>5}  {:>9}  {:>5.1f}%\n", pad(a.agent, aw), a.calls, a.grabbed,
          a.sold, hours(a.busy_ms), a.utilisation * 100);
  }
  return out;
}

std::string StatsReport::to_json() const {
  JsonWriter w;
  w.object().field("script", script).field("calls", calls).field("answered", answered);
  w.key("outcomes").object();
  for (const auto& [outcome, n] : outcomes) w.field(outcome, n);
  w.end().key("funnel").array();
  for (const FunnelRow& f : funnel)
    w.object()
        .field("node", f.node)
        .field("reached", f.reached)
        .field("hung_up", f.hung_up)
        .field("escalated", f.escalated)
        .field("converted", f.converted)
        .end();
  w.end().key("grades").object();
  for (const auto& [grade, n] : grades) w.field(grade, n);
  w.end().field("converted", converted).field("converted_grades", converted_grades);
  w.key("edges").array();
  for (const EdgeTraffic& e : edges)
    w.object().field("from", e.from).field("to", e.to).field("calls", e.calls).end();
  w.end();
  if (has_context) {
    w.key("escalations")
        .object()
        .field("raised", escalations)
        .field("taken", taken)
        .field("grabs", grabs)
        .key("abandoned")
        .fixed(abandoned, 4);
    w.key("wait_ms").object();
    w.key("mean").fixed(wait_mean_ms, 0).key("median").fixed(wait_median_ms, 0);
    w.key("p90").fixed(wait_p90_ms, 0).key("max").fixed(wait_max_ms, 0);
    w.end().key("never_taken_wait_mean_ms").fixed(abandoned_wait_mean_ms, 0).end();
    w.field("span_ms", span_ms).key("utilisation").fixed(utilisation, 4);
    w.key("agents").array();
    for (const AgentRow& a : agents) {
      w.object().field("agent", a.agent).field("calls", a.calls).field("grabbed", a.grabbed);
      w.field("sold", a.sold)
          .field("busy_ms", a.busy_ms)
          .key("utilisation")
          .fixed(a.utilisation, 4)
          .end();
    }
    w.end();
  }
  detail::append_variants_json(w, experiments);
  return w.end().take() + '\n';
}

std::string Stats::to_dot() const {
  const Impl& m = *impl_;
  if (!m.script) return {};
  const Script& s = *m.script;
  std::uint64_t widest = 1;
  for (const auto& [key, n] : m.edges) widest = std::max(widest, n);
  std::string out;
  auto add = Appender{out};
  add("digraph \"{}\" {{\n  rankdir=LR;\n  label=\"{}: {} calls, {} answered\";\n  labelloc=t;\n"
      "  node [shape=box, style=rounded, fontname=\"Noto Sans CJK SC,sans-serif\"];\n  edge "
      "[fontsize=10];\n",
      dot_escape(s.id()), dot_escape(s.id()), m.calls, m.answered);
  for (std::size_t i = 0; i < m.names.size(); ++i) {
    const FunnelRow& f = m.rows[i];
    std::string attrs;
    if (i < s.nodes().size()) {
      const Node& n = s.nodes()[i];
      if (n.kind == NodeKind::hangup) attrs = ", shape=octagon, color=red";
      if (n.kind == NodeKind::escalate) attrs = ", shape=doubleoctagon, color=darkgreen";
      if (i == s.start()) attrs += ", penwidth=2";
    } else {
      attrs = ", style=dashed";
    }
    if (f.reached == 0) attrs += ", fontcolor=gray50, color=gray70";
    add("  n{} [label=\"{}\\n{} ({})\"{}];\n", i, dot_escape(m.names[i]), f.reached,
        percent(f.reached, m.answered), attrs);
  }
  std::unordered_set<std::uint64_t> drawn;
  auto width = [&](std::uint64_t n) {
    return 1.0 + 9.0 * static_cast<double>(n) / static_cast<double>(widest);
  };
  for (const Edge& e : s.edges()) {
    if (e.from == kNone || e.to == kNone) continue;
    const std::uint64_t key = (std::uint64_t{e.from} << 32) | e.to;
    if (!drawn.insert(key).second) continue;
    const auto it = m.edges.find(key);
    const std::uint64_t n = it == m.edges.end() ? 0 : it->second;
    if (n == 0)
      add("  n{} -> n{} [style=dotted, color=gray60, penwidth=0.5];\n", e.from, e.to);
    else
      add("  n{} -> n{} [label=\"{}\", penwidth={:.2f}];\n", e.from, e.to, n, width(n));
  }
  // Moves the graph has no edge for: global handlers' gotos, limits, holds.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> rest;
  for (const auto& [key, n] : m.edges)
    if (!drawn.count(key)) rest.emplace_back(key, n);
  std::sort(rest.begin(), rest.end());
  for (const auto& [key, n] : rest)
    add("  n{} -> n{} [label=\"{}\", penwidth={:.2f}, style=dashed, color=blue];\n", key >> 32,
        key & 0xFFFFFFFFu, n, width(n));
  add("}}\n");
  return out;
}

}  // namespace patter
