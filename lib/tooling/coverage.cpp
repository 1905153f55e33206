// Coverage of a script by its test cases, and the reports of a test run.
#include <fmt/format.h>

#include "patter/json_writer.hpp"
#include "patter/tooling/conversation_test.hpp"
#include "tooling/coverage_variants.hpp"

namespace patter {
namespace {

std::string where(const Script& s, const Mark& m) {
  const SourceLocation at = s.locate(m);
  return fmt::format("{}:{}:{}", at.file, at.line, at.column);
}

std::string intents_of(const Script& s, const std::vector<IntentId>& ids) {
  std::string out;
  for (IntentId i : ids) {
    if (!out.empty()) out += ", ";
    out += s.intent(i).name;
  }
  return out;
}

// "intent affirm, interested when `x`" / "key 1" / "any reply".
std::string route_label(const Script& s, const Route& r) {
  std::string out = r.any ? std::string("any reply") : intents_of(s, r.intents);
  if (!r.keys.empty()) out += (out.empty() ? "key " : " or key ") + r.keys;
  if (!r.guard.empty()) out += fmt::format(" when `{}`", r.guard.source());
  return out;
}

std::string handler_label(const Script& s, const GlobalHandler& h) {
  switch (h.then) {
    case GlobalHandler::Then::resume:
      return fmt::format("{} (answer and resume)", intents_of(s, h.intents));
    case GlobalHandler::Then::go_to:
      return fmt::format("{} -> {}", intents_of(s, h.intents),
                         h.target < s.nodes().size() ? s.node(h.target).name : "?");
    case GlobalHandler::Then::hangup:
      return fmt::format("{} (hang up {})", intents_of(s, h.intents), to_string(h.hangup));
    case GlobalHandler::Then::escalate:
      return fmt::format("{} (escalate {})", intents_of(s, h.intents),
                         to_string(h.escalation.reason));
  }
  return intents_of(s, h.intents);
}

struct Missing {
  std::string kind, label, at;
};

// A decision node's branches are counted with the routes, after them.
void missing_branches(const Coverage& c, const Script& s, NodeId n, std::vector<Missing>& out) {
  const Node& node = s.node(n);
  for (std::size_t b = 0; b < node.branches.size(); ++b) {
    const std::size_t at = node.routes.size() + b;
    if (at >= c.routes[n].size() || c.routes[n][at]) continue;
    const Branch& br = node.branches[b];
    out.push_back({"route",
                   fmt::format("{} branch {} ({}) -> {}", node.name, b + 1,
                               br.guard.empty() ? std::string("otherwise")
                                                : "when `" + br.guard.source() + "`",
                               s.node(br.target).name),
                   where(s, br.where)});
  }
}

// A node's variants no case entered, and their own routes no case took.
void missing_variants(const Coverage& c, const Script& s, NodeId n, std::vector<Missing>& out) {
  const Node& node = s.node(n);
  for (std::size_t r = node.routes.size(); r < c.routes[n].size(); ++r) {
    const auto [v, i] = detail::slot_route(node, r);
    if (c.routes[n][r] || v == kNone) continue;
    const Route& route = node.variants[v].routes[i];
    out.push_back({"route",
                   fmt::format("{} [{}] #{} ({}) -> {}", node.name, node.variants[v].name, i + 1,
                               route_label(s, route), s.node(route.target).name),
                   where(s, route.where)});
  }
  if (n >= c.variants.size()) return;
  for (std::size_t v = 0; v < c.variants[n].size() && v < node.variants.size(); ++v)
    if (!c.variants[n][v])
      out.push_back({"variant", fmt::format("{} [{}]", node.name, node.variants[v].name),
                     where(s, node.variants[v].where)});
}

std::vector<Missing> missing(const Coverage& c, const Script& s) {
  std::vector<Missing> out;
  for (NodeId n = 0; n < c.nodes.size() && n < s.nodes().size(); ++n)
    if (!c.nodes[n]) out.push_back({"node", s.node(n).name, where(s, s.node(n).where)});
  for (NodeId n = 0; n < c.routes.size() && n < s.nodes().size(); ++n) {
    const Node& node = s.node(n);
    missing_branches(c, s, n, out);
    for (std::size_t r = 0; r < c.routes[n].size() && r < node.routes.size(); ++r)
      if (!c.routes[n][r])
        out.push_back(
            {"route",
             fmt::format("{} #{} ({}) -> {}", node.name, r + 1, route_label(s, node.routes[r]),
                         s.node(node.routes[r].target).name),
             where(s, node.routes[r].where)});
    missing_variants(c, s, n, out);
  }
  for (IntentId i = 0; i < c.intents.size() && i < s.intents().size(); ++i)
    if (c.intent_used[i] && !c.intents[i])
      out.push_back({"intent", s.intent(i).name, where(s, s.intent(i).where)});
  for (std::size_t h = 0; h < c.handlers.size() && h < s.globals().size(); ++h)
    if (!c.handlers[h])
      out.push_back({"handler", fmt::format("#{} {}", h + 1, handler_label(s, s.globals()[h])),
                     where(s, s.globals()[h].where)});
  return out;
}

void write_ratio(JsonWriter& w, std::string_view key, const Coverage::Ratio& r) {
  w.key(key).object().field("covered", r.covered).field("total", r.total);
  w.key("percent").fixed(r.percent(), 1).end();
}

/// A fetch node's ways out count as its routes: its `on` entries, then
/// `timeout`, then `failed` when it goes elsewhere.
std::size_t fetch_ways(const Script& script, std::size_t n) {
  const Node& node = script.nodes()[n];
  if (node.fetch >= script.fetches().size()) return 0;
  const Fetch& f = script.fetches()[node.fetch];
  return f.routes.size() + 1 + (f.failed != f.timeout);
}

}  // namespace

Coverage Coverage::empty_for(const Script& script) {
  Coverage c;
  c.nodes.assign(script.nodes().size(), 0);
  c.routes.resize(script.nodes().size());
  c.variants.resize(script.nodes().size());
  for (std::size_t n = 0; n < script.nodes().size(); ++n) {
    // A decision node's branches and a fetch node's ways out count after its
    // routes (neither has variant routes).
    c.routes[n].assign(detail::route_slots(script.nodes()[n]) + script.nodes()[n].branches.size() +
                           fetch_ways(script, n),
                       0);
    c.variants[n].assign(script.nodes()[n].variants.size(), 0);
  }
  c.intents.assign(script.intents().size(), 0);
  c.handlers.assign(script.globals().size(), 0);
  c.intent_used.assign(script.intents().size(), false);
  auto use = [&](const std::vector<IntentId>& ids) {
    for (IntentId i : ids)
      if (i < c.intent_used.size()) c.intent_used[i] = true;
  };
  for (const Node& n : script.nodes()) {
    for (const Route& r : n.routes) use(r.intents);
    for (const Variant& v : n.variants)
      for (const Route& r : v.routes) use(r.intents);
  }
  for (const GlobalHandler& h : script.globals()) use(h.intents);
  return c;
}

void Coverage::merge(const Coverage& o) {
  auto add = [](auto& a, const auto& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] += b[i];
  };
  add(nodes, o.nodes);
  add(intents, o.intents);
  add(handlers, o.handlers);
  for (std::size_t n = 0; n < routes.size() && n < o.routes.size(); ++n)
    add(routes[n], o.routes[n]);
  for (std::size_t n = 0; n < variants.size() && n < o.variants.size(); ++n)
    add(variants[n], o.variants[n]);
}

Coverage::Ratio Coverage::node_ratio() const noexcept {
  Ratio r;
  for (auto n : nodes) {
    r.covered += n > 0;
    ++r.total;
  }
  return r;
}
Coverage::Ratio Coverage::route_ratio() const noexcept {
  Ratio r;
  for (const auto& node : routes)
    for (auto n : node) {
      r.covered += n > 0;
      ++r.total;
    }
  return r;
}
Coverage::Ratio Coverage::intent_ratio() const noexcept {
  Ratio r;
  for (std::size_t i = 0; i < intents.size() && i < intent_used.size(); ++i)
    if (intent_used[i]) {
      r.covered += intents[i] > 0;
      ++r.total;
    }
  return r;
}
Coverage::Ratio Coverage::variant_ratio() const noexcept {
  Ratio r;
  for (const auto& node : variants)
    for (auto n : node) {
      r.covered += n > 0;
      ++r.total;
    }
  return r;
}
Coverage::Ratio Coverage::handler_ratio() const noexcept {
  Ratio r;
  for (auto n : handlers) {
    r.covered += n > 0;
    ++r.total;
  }
  return r;
}

std::string format(const Coverage& c, const Script& s) {
  std::string out = fmt::format("coverage of {} {}:\n", s.id(), s.version());
  auto line = [&](std::string_view what, const Coverage::Ratio& r) {
    out += fmt::format("  {:<9}{:>4}/{:<4}{:>4.0f}%\n", what, r.covered, r.total, r.percent());
  };
  line("nodes", c.node_ratio());
  line("routes", c.route_ratio());
  line("intents", c.intent_ratio());
  line("handlers", c.handler_ratio());
  if (c.variant_ratio().total) line("variants", c.variant_ratio());
  const std::vector<Missing> m = missing(c, s);
  if (m.empty()) {
    out += "  every node, route, intent and handler is reached\n";
    return out;
  }
  out += "  not reached by any test:\n";
  for (const Missing& x : m) out += fmt::format("    {:<8}{}  ({})\n", x.kind, x.label, x.at);
  return out;
}

std::string to_json(const Coverage& c, const Script& s) {
  JsonWriter w;
  w.object();
  write_ratio(w, "nodes", c.node_ratio());
  write_ratio(w, "routes", c.route_ratio());
  write_ratio(w, "intents", c.intent_ratio());
  write_ratio(w, "handlers", c.handler_ratio());
  if (c.variant_ratio().total) write_ratio(w, "variants", c.variant_ratio());
  w.key("missing").array();
  for (const Missing& x : missing(c, s))
    w.object().field("kind", x.kind).field("name", x.label).field("at", x.at).end();
  return w.end().end().take();
}

std::string to_json(const TestReport& r, const Script* script) {
  JsonWriter w;
  w.object().field("file", r.file).field("script", r.script_file);
  if (script) w.field("id", script->id());
  w.key("diagnostics").array();
  for (const Diagnostic& d : r.diagnostics) w.value(format(d));
  w.end().key("cases").array();
  for (const CaseResult& c : r.cases) {
    w.object().field("name", c.name).field("line", c.where.line).field("passed", c.passed);
    w.key("failures").array();
    for (const TestFailure& x : c.failures) {
      w.object().field("turn", x.turn).field("what", x.what).field("expected", x.expected);
      w.field("actual", x.actual).field("line", x.where.line).field("column", x.where.column).end();
    }
    w.end();
    if (script && c.result.outcome != Outcome::none) w.key("result").raw(c.result.to_json(*script));
    w.end();
  }
  w.end();
  if (script && !r.coverage.nodes.empty()) w.key("coverage").raw(to_json(r.coverage, *script));
  return w.field("passed", r.passed()).field("failed", r.failed()).end().take();
}

}  // namespace patter
