// Graphviz output. Authors' names and lines go into quoted DOT strings, so
// every piece of their text passes through `quote`; nothing they write can
// end a string early, start a Graphviz escape, or carry bytes that are not
// UTF-8 into the file.
#include "patter/dot.hpp"

#include "text/utf8.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace patter {
namespace {

/// Appends author text as the body of a DOT string. Quotes and backslashes
/// are escaped; a line break becomes Graphviz's `\n` (a raw one after a
/// backslash would be a line continuation); other control characters
/// become spaces; bytes that are not UTF-8 become U+FFFD.
void append_escaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t cp = detail::decode_utf8(s, i);
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      if (i < s.size() && s[i] == '\n') continue;  // CRLF: one break
      out += "\\n";
    } else if (cp < 0x20 || cp == 0x7F) {
      out += ' ';
    } else if (cp == detail::kReplacementChar && i - at == 1) {
      detail::append_utf8(out, detail::kReplacementChar);
    } else {
      out.append(s.data() + at, i - at);
    }
  }
}

/// Appends `s` as a quoted DOT string.
void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  append_escaped(out, s);
  out += '"';
}

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_quoted(out, s);
  return out;
}

/// At most `max` code points of `s` on one line, ending in "…" when cut.
std::string shorten(std::string_view s, std::size_t max) {
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = detail::decode_utf8(s, i);
    if (cp == '\n' || cp == '\r' || cp == '\t') cp = ' ';
    if (cp == ' ' && (cps.empty() || cps.back() == ' ')) continue;  // squeeze runs
    cps.push_back(cp);
  }
  while (!cps.empty() && cps.back() == ' ') cps.pop_back();
  std::string out;
  if (cps.size() <= max) {
    for (char32_t cp : cps) detail::append_utf8(out, cp);
    return out;
  }
  if (max == 0) return out;
  std::size_t keep = max - 1;
  while (keep > 0 && cps[keep - 1] == ' ') --keep;
  for (std::size_t k = 0; k < keep; ++k) detail::append_utf8(out, cps[k]);
  out += "\u2026";
  return out;
}

std::string join_intents(const Script& script, const std::vector<IntentId>& intents) {
  std::string out;
  for (IntentId id : intents) {
    if (!out.empty()) out += " | ";
    out += id < script.intents().size() ? script.intent(id).name : std::string("?");
  }
  return out;
}

std::string route_label(const Script& script, const Route& r) {
  std::string label = join_intents(script, r.intents);
  if (r.any) label += label.empty() ? "any" : " | any";
  for (char key : r.keys) {
    if (!label.empty()) label += " | ";
    label += "key ";
    label += key;
  }
  if (!r.guard.empty()) {
    if (!label.empty()) label += '\n';
    label += '[' + r.guard.source() + ']';
  }
  return label;
}

/// "A/B test: control 70 | short 30" under a node with `variants`.
std::string variants_label(const Node& node) {
  std::string label = "\nA/B " + node.experiment + ":";
  for (const Variant& v : node.variants)
    label += (&v == &node.variants.front() ? " " : " | ") + v.name + ' ' + std::to_string(v.weight);
  return label;
}

std::string node_label(const Node& node, const DotOptions& options,
                       const std::vector<Fetch>& fetches) {
  std::string label = node.name;
  if (!node.lines.empty() && options.max_label_chars > 0) {
    const std::string line = shorten(node.lines.front().source, options.max_label_chars);
    if (!line.empty()) label += '\n' + line;
  }
  if (!node.variants.empty()) label += variants_label(node);
  if (node.kind == NodeKind::hangup)
    label += "\n(hang up: " + std::string(to_string(node.hangup)) + ')';
  else if (node.kind == NodeKind::escalate)
    label += "\n(escalate: " + std::string(to_string(node.escalation.reason)) + ')';
  else if (node.kind == NodeKind::fetch && node.fetch < fetches.size())
    label += "\n(fetch: " + fetches[node.fetch].name + ')';
  return label;
}

std::string node_attributes(const Node& node, bool is_start) {
  std::string shape, style, extra;
  switch (node.kind) {
    case NodeKind::listen: shape = "box", style = "rounded"; break;
    case NodeKind::pass: shape = "ellipse"; break;
    case NodeKind::hangup: shape = "octagon", extra = ", color=red, fontcolor=red"; break;
    case NodeKind::escalate:
      shape = "doubleoctagon", extra = ", color=green4, fontcolor=green4";
      break;
    case NodeKind::branch: shape = "diamond"; break;
    case NodeKind::call: shape = "cds"; break;
    case NodeKind::ret: shape = "house", extra = ", color=blue4, fontcolor=blue4"; break;
    case NodeKind::fetch: shape = "hexagon", extra = ", color=blue4, fontcolor=blue4"; break;
  }
  if (is_start) {
    style += style.empty() ? "bold" : ",bold";
    extra += ", penwidth=2";
  }
  std::string out = "shape=" + shape;
  if (!style.empty()) out += ", style=\"" + style + '"';
  return out + extra;
}

std::string handler_label(const Script& script, const GlobalHandler& h) {
  std::string label = join_intents(script, h.intents);
  if (label.empty()) label = "(no intent)";
  label += '\n';
  switch (h.then) {
    case GlobalHandler::Then::resume: label += "resume"; break;
    case GlobalHandler::Then::go_to:
      label += "goto ";
      label += h.target < script.nodes().size() ? script.node(h.target).name : std::string("?");
      break;
    case GlobalHandler::Then::hangup:
      label += "hang up: " + std::string(to_string(h.hangup));
      break;
    case GlobalHandler::Then::escalate:
      label += "escalate: " + std::string(to_string(h.escalation.reason));
      break;
  }
  return label;
}

/// Ids for the boxes that are not nodes, chosen so that no node name, however
/// odd, can collide with them.
class IdMaker {
 public:
  explicit IdMaker(const Script& script) {
    for (const Node& n : script.nodes()) taken_.insert(n.name);
  }
  std::string make(std::string base) {
    std::string id = base;
    for (int k = 2; taken_.count(id) != 0; ++k) id = base + " (" + std::to_string(k) + ')';
    taken_.insert(id);
    return id;
  }

 private:
  std::set<std::string, std::less<>> taken_;
};

std::string fallback_style(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::no_match: return "style=dashed, label=\"no match\"";
    case EdgeKind::no_input: return "style=dashed, label=\"silence\"";
    case EdgeKind::long_reply: return "style=dashed, label=\"long reply\"";
    default: return {};
  }
}

/// An `at_total` arrow: "2nd no match in the call".
std::string at_total_style(const Script& script, const Edge& e) {
  const Node& node = script.nodes()[e.from];
  const auto& list = e.kind == EdgeKind::no_match ? node.no_match.at_total : node.no_input.at_total;
  if (e.index - 1 >= list.size()) return fallback_style(e.kind);
  const std::uint32_t n = list[e.index - 1].first;
  const char* th = n % 100 / 10 == 1 ? "th"
                   : n % 10 == 1     ? "st"
                   : n % 10 == 2     ? "nd"
                   : n % 10 == 3     ? "rd"
                                     : "th";
  return "style=dashed, label=" +
         quote(std::to_string(n) + th +
               (e.kind == EdgeKind::no_match ? " no match in the call" : " silence in the call"));
}

void append_header(std::string& out, const Script& script) {
  std::string graph_label = script.id();
  if (!script.version().empty()) graph_label += " v" + script.version();
  if (!script.locale().empty()) graph_label += " (" + script.locale() + ')';
  out += "digraph " + quote(script.id()) + " {\n";
  out += "  rankdir=LR;\n";
  out += "  charset=\"UTF-8\";\n";
  out += "  label=" + quote(graph_label) + ";\n";
  out += "  labelloc=t;\n";
  out += "  node [fontsize=11];\n";
  out += "  edge [fontsize=10];\n\n";
}

void append_nodes(std::string& out, const Script& script, const DotOptions& options) {
  const auto& nodes = script.nodes();
  for (NodeId id = 0; id < nodes.size(); ++id) {
    const Node& node = nodes[id];
    if (node.flow != kNoFlow) continue;  // drawn in its flow's box
    out += "  ";
    append_quoted(out, node.name);
    out += " [label=";
    append_quoted(out, node_label(node, options, script.fetches()));
    out += ", ";
    out += node_attributes(node, id == script.start());
    out += "];\n";
  }
  out += '\n';
}

/// A decision node's branch: its guard, or "otherwise", drawn dotted so
/// it reads apart from a reply's route.
std::string branch_attributes(const Script& script, const Edge& e) {
  const auto& branches = script.nodes()[e.from].branches;
  std::string label = "otherwise";
  if (e.index < branches.size() && !branches[e.index].guard.empty())
    label = '[' + branches[e.index].guard.source() + ']';
  return "style=dotted, label=" + quote(label);
}

/// A variant's own route or next: purple, labelled with the variant.
std::string variant_edge_attributes(const Script& script, const Edge& e) {
  const Node& node = script.nodes()[e.from];
  if (e.variant >= node.variants.size()) return std::string();
  const Variant& v = node.variants[e.variant];
  std::string label = "[" + v.name + "]";
  if (e.index < v.routes.size()) label += ' ' + route_label(script, v.routes[e.index]);
  return "color=purple, fontcolor=purple, label=" + quote(label);
}

/// A call is a bold arrow into the flow's box; a return a dashed one out of
/// it, saying the outcome.
std::string flow_edge_attributes(const Script& script, const Edge& e) {
  const Node& from = script.nodes()[e.from];
  if (e.kind == EdgeKind::call)
    return "style=bold, label=" + quote("call " + script.flows()[from.calls].name);
  const std::string& outcome = script.flows()[from.flow].outcomes[from.outcome];
  return "style=dashed, label=" + quote(outcome.empty() ? "returns" : "returns " + outcome);
}

/// Each flow as a box of its nodes, labelled with their names in the flow.
void append_flows(std::string& out, const Script& script, const DotOptions& options) {
  const auto& nodes = script.nodes();
  for (std::size_t f = 0; f < script.flows().size(); ++f) {
    const Flow& flow = script.flows()[f];
    out += "  subgraph ";
    append_quoted(out, "cluster_flow " + flow.name);
    out += " {\n    label=";
    append_quoted(out, "flow " + flow.name);
    out += ";\n    style=rounded;\n    color=blue4;\n";
    for (NodeId id = 0; id < nodes.size(); ++id) {
      if (nodes[id].flow != f) continue;
      std::string label = node_label(nodes[id], options, script.fetches());
      label.erase(0, flow.name.size() + 1);  // `confirm.ask` is `ask` in the box of `confirm`
      out += "    ";
      append_quoted(out, nodes[id].name);
      out += " [label=";
      append_quoted(out, label);
      out += ", ";
      out += node_attributes(nodes[id], false);
      out += "];\n";
    }
    out += "  }\n";
  }
  if (!script.flows().empty()) out += '\n';
}

/// A fetch's arrows: what the answer must hold, or how no answer came.
std::string fetch_edge_label(const Script& script, const Edge& e) {
  const Node& from = script.nodes()[e.from];
  if (from.fetch >= script.fetches().size()) return std::string();
  const Fetch& f = script.fetches()[from.fetch];
  if (e.index < f.routes.size()) {
    const std::string& when = f.routes[e.index].guard.source();
    return "color=blue4, label=" + quote(when.empty() ? std::string("data") : when);
  }
  const bool timeout = e.index == f.routes.size();
  return std::string("style=dashed, color=blue4, label=\"") +
         (timeout ? (f.failed == f.timeout ? "timeout / failed" : "timeout") : "failed") + '"';
}

/// The attributes of an arrow between two nodes, or nullopt when the arrow is
/// not drawn there (fallbacks left out, or drawn from the globals' box).
std::optional<std::string> edge_attributes(const Script& script, const Edge& e,
                                           const DotOptions& options) {
  switch (e.kind) {
    case EdgeKind::route: {
      const auto& routes = script.nodes()[e.from].routes;
      if (e.index < routes.size()) return "label=" + quote(route_label(script, routes[e.index]));
      return std::string();
    }
    case EdgeKind::next: return std::string();
    case EdgeKind::no_match:
    case EdgeKind::no_input:
    case EdgeKind::long_reply:
      if (!options.show_fallbacks) return std::nullopt;
      if (e.index > 0) return at_total_style(script, e);
      return fallback_style(e.kind);
    case EdgeKind::global_goto:
    case EdgeKind::limit:
    case EdgeKind::hold: return std::nullopt;
    case EdgeKind::branch: return branch_attributes(script, e);
    case EdgeKind::variant: return variant_edge_attributes(script, e);
    case EdgeKind::call:
    case EdgeKind::flow_return: return flow_edge_attributes(script, e);
    case EdgeKind::fetch: return fetch_edge_label(script, e);
  }
  return std::nullopt;
}

/// Draws the arrows between nodes; returns the limit and hold arrows, which
/// start at no node and are drawn from the globals' box.
std::vector<Edge> append_edges(std::string& out, const Script& script, const DotOptions& options) {
  const auto& nodes = script.nodes();
  std::vector<Edge> limit_edges;
  for (const Edge& e : script.edges()) {
    if (e.from == kNone) {
      if (e.kind == EdgeKind::limit || e.kind == EdgeKind::hold) limit_edges.push_back(e);
      continue;  // global gotos are drawn from their handler below
    }
    if (e.from >= nodes.size() || e.to >= nodes.size()) continue;
    const std::optional<std::string> attributes = edge_attributes(script, e, options);
    if (!attributes) continue;
    out += "  ";
    append_quoted(out, nodes[e.from].name);
    out += " -> ";
    append_quoted(out, nodes[e.to].name);
    if (!attributes->empty()) {
      out += " [";
      out += *attributes;
      out += ']';
    }
    out += ";\n";
  }
  return limit_edges;
}

/// Why a limit or hold arrow is taken. Limits: index 0 is the node said
/// before a limit hangs up, 1 the node taken when the interest score crosses
/// its threshold. Hold: 0 where the robot carries on while waiting, 1 the
/// timeout's node.
std::string limit_reason(const Script& script, const Edge& e) {
  if (e.kind == EdgeKind::hold)
    return e.index == 0 ? std::string("while waiting")
                        : "no person in " + std::to_string(script.hold().timeout_s) + " s";
  if (e.index >= 2) return "close: " + std::string(limit_close_name(e.index));
  return e.index == 0 ? std::string("close")
                      : "score >= " + std::to_string(script.limits().escalate_score);
}

void append_globals(std::string& out, const Script& script, const std::vector<Edge>& limit_edges) {
  const auto& nodes = script.nodes();
  const auto name_of = [&](NodeId id) { return quote(id < nodes.size() ? nodes[id].name : "?"); };
  const auto& globals = script.globals();
  IdMaker ids(script);
  std::string arrows;
  out += "\n  subgraph cluster_globals {\n";
  out += "    label=\"global handlers\";\n";
  out += "    style=rounded;\n";
  out += "    color=gray50;\n";
  for (std::size_t i = 0; i < globals.size(); ++i) {
    const GlobalHandler& h = globals[i];
    const std::string id = quote(ids.make("global " + std::to_string(i + 1)));
    out += "    " + id + " [shape=box, label=" + quote(handler_label(script, h)) + "];\n";
    if (h.then == GlobalHandler::Then::go_to && h.target < nodes.size())
      arrows += "  " + id + " -> " + name_of(h.target) + " [style=dotted];\n";
  }
  if (!limit_edges.empty()) {
    const std::string id = quote(ids.make("limits"));
    out += "    " + id + " [shape=box, label=\"limits\"];\n";
    for (const Edge& e : limit_edges) {
      if (e.to >= nodes.size()) continue;
      arrows += "  " + id + " -> " + name_of(e.to) +
                " [style=dotted, label=" + quote(limit_reason(script, e)) + "];\n";
    }
  }
  out += "  }\n";
  out += arrows;
}

}  // namespace

std::string to_dot(const Script& script, const DotOptions& options) {
  std::string out;
  out.reserve(256 + script.nodes().size() * 160);
  append_header(out, script);
  append_nodes(out, script, options);
  append_flows(out, script, options);
  const std::vector<Edge> limit_edges = append_edges(out, script, options);
  if (options.show_globals && (!script.globals().empty() || !limit_edges.empty()))
    append_globals(out, script, limit_edges);
  out += "}\n";
  return out;
}

}  // namespace patter
