#include "loader/spec_reader.hpp"

#include <fmt/format.h>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <string_view>

#include "patter/script.hpp"
#include "patter/version.hpp"
#include "yaml/reader.hpp"

namespace patter::detail {
namespace {

using Kind = YamlNode::Kind;

/// Phrasings of one node (or hold lines): said in turn, so a revisit never
/// sounds the same; past a few dozen a script is hard to review.
constexpr std::size_t kMaxPhrasings = 32;

// The shared reader, with the script model's own shapes: marks into the
// spec's files, names that must not be empty, numbers within ±1e9.
class Reader : public YamlReader {
 public:
  Reader(const YamlTree& tree, const std::string& file, std::uint32_t file_id,
         std::size_t max_visits, std::vector<Diagnostic>& diags)
      : YamlReader(tree, file, diags, max_visits), file_id_(file_id) {}

  Mark mark(const YamlNode& n) const { return {file_id_, n.line, n.column}; }

  using YamlReader::boolean;
  using YamlReader::integer;
  using YamlReader::text;

  bool text(const YamlNode& n, const What& what, Text& out) {
    out.where = mark(n);
    out.where.column += n.inner;
    return text(n, what, out.text);
  }

  bool ref(const YamlNode& n, const What& what, Ref& out) {
    out.where = mark(n);
    if (!text(n, what, out.name)) return false;
    if (out.name.empty()) {
      error(n, Code::invalid_value, fmt::format("{} is empty", what.str()), "write a name");
      return false;
    }
    return true;
  }

  template <class Optional>  // std::optional<Ref> or Boxed<Ref>
  bool ref(const YamlNode& n, const What& what, Optional& out) {
    Ref r;
    if (!ref(n, what, r)) return false;
    out = std::move(r);
    return true;
  }

  void texts(const YamlNode& n, const What& what, std::vector<Text>& out) {
    list(n, what, out, [&](const YamlNode& c, Text& t) { return text(c, what, t); });
  }
  void refs(const YamlNode& n, const What& what, std::vector<Ref>& out) {
    list(n, what, out, [&](const YamlNode& c, Ref& r) { return ref(c, what, r); });
  }

  template <class I>
  bool integer(const YamlNode& n, const What& what, std::optional<I>& out, long long lo,
               long long hi) {
    I v{};
    if (!integer(n, what, v, lo, hi)) return false;
    out = v;
    return true;
  }

  bool number(const YamlNode& n, const What& what, double& out, std::string_view hint = {},
              double lo = -1e9, double hi = 1e9) {
    return YamlReader::number(n, what, out, lo, hi, hint);
  }

  // Calls fn(name, key, value) for each entry of a map of named things
  // (variables, intents, nodes). A name given twice is left to the
  // compiler, which names both places.
  template <class Fn>
  void each_named(const YamlNode& map, const What& what, Fn&& fn) {
    for (std::uint32_t i = 0; i + 1 < map.size; i += 2) {
      visit();
      const YamlNode& k = child(map, i);
      std::string name;
      if (text(k, what, name)) fn(std::move(name), k, child(map, i + 1));
    }
  }

  bool boolean(const YamlNode& n, const What& what, std::optional<bool>& out) {
    bool v = false;
    if (!boolean(n, what, v)) return false;
    out = v;
    return true;
  }

  // A value from a fixed set, with a suggestion.
  bool choice(const YamlNode& n, const What& what, const std::vector<std::string_view>& allowed,
              std::string& out) {
    return YamlReader::choice(n, what, allowed, out, "a valid ");
  }

 private:
  std::uint32_t file_id_;
};

const std::vector<std::string_view>& locales() {
  static const std::vector<std::string_view> v = {"zh-CN", "en-US"};
  return v;
}
const std::vector<std::string_view>& priorities() {
  static const std::vector<std::string_view> v = {"low", "normal", "high", "urgent"};
  return v;
}
const std::vector<std::string_view>& intent_kinds() {
  static const std::vector<std::string_view> v = {"opt_out", "human", "question", "refusal",
                                                  "answer"};
  return v;
}
const std::vector<std::string_view>& var_types() {
  static const std::vector<std::string_view> v = {"string", "number", "bool", "time"};
  return v;
}

void read_escalation(Reader& r, const YamlNode& v, const What& what, EscalationSpec& e) {
  e.where = r.mark(v);
  if (v.kind == Kind::scalar) {
    r.choice(v, "escalation reason", escalation_reason_names(), e.reason);
    return;
  }
  if (!r.is_map(v, what)) return;
  r.each_key(v, what, {"reason", "priority"},
             [&](std::string_view k, const YamlNode&, const YamlNode& x) {
               if (k == "reason")
                 r.choice(x, "escalation reason", escalation_reason_names(), e.reason);
               else
                 r.choice(x, "priority", priorities(), e.priority);
             });
}

void read_variables(Reader& r, const YamlNode& v, ScriptSpec& out) {
  if (!r.is_map(v, "`variables`")) return;
  r.each_named(v, "a variable name", [&](std::string name, const YamlNode& k, const YamlNode& x) {
    VariableSpec var;
    var.name = std::move(name);
    var.where = r.mark(k);
    // Without a `type`, an unquoted default says it: 3 is a number, true a bool.
    auto infer = [&](const YamlNode& d) {
      if (d.kind != Kind::scalar || d.quoted) return;
      if (d.value == "true" || d.value == "false") {
        var.type = "bool";
        return;
      }
      double num;
      auto [p, ec] = std::from_chars(d.value.data(), d.value.data() + d.value.size(), num);
      if (ec == std::errc() && p == d.value.data() + d.value.size()) var.type = "number";
    };
    if (x.kind == Kind::scalar) {
      var.default_value = std::string(x.value);
      infer(x);
    } else if (x.kind == Kind::null) {
      // declared with no default
    } else if (bool typed = false; r.is_map(x, What("variable `", var.name, "`"))) {
      r.each_key(x, What("variable `", var.name, "`"),
                 {"type", "default", "required", "description", "host_settable"},
                 [&](std::string_view key, const YamlNode&, const YamlNode& y) {
                   if (key == "type") {
                     r.choice(y, "variable type", var_types(), var.type);
                     typed = true;
                   } else if (key == "default") {
                     std::string d;
                     if (r.text(y, "a default", d)) var.default_value = d;
                     if (!typed) infer(y);
                   } else if (key == "required")
                     r.boolean(y, "`required`", var.required);
                   else if (key == "host_settable")
                     r.boolean(y, "`host_settable`", var.host_settable);
                   else
                     r.text(y, "a description", var.description);
                 });
    }
    out.variables.push_back(std::move(var));
  });
}

void read_intents(Reader& r, const YamlNode& v, ScriptSpec& out) {
  if (!r.is_map(v, "`intents`")) return;
  out.intents.reserve(out.intents.size() + v.size / 2);
  r.each_named(v, "an intent name", [&](std::string name, const YamlNode& k, const YamlNode& x) {
    IntentSpec in;
    in.name = std::move(name);
    in.where = r.mark(k);
    const What what("intent `", in.name, "`");
    if (x.kind == Kind::sequence || x.kind == Kind::scalar) {
      r.texts(x, "phrases", in.phrases);
    } else if (r.is_map(x, what)) {
      r.each_key(x, what,
                 {"phrases", "patterns", "examples", "opposite", "priority", "score", "description",
                  "kind"},
                 [&](std::string_view key, const YamlNode&, const YamlNode& y) {
                   if (key == "phrases")
                     r.texts(y, "phrases", in.phrases);
                   else if (key == "patterns")
                     r.texts(y, "patterns", in.patterns);
                   else if (key == "examples")
                     r.texts(y, "examples", in.examples);
                   else if (key == "opposite")
                     r.ref(y, "`opposite`", in.opposite);
                   else if (key == "priority")
                     r.integer(y, "`priority`", in.priority, -1000, 1000);
                   else if (key == "score")
                     r.number(y, "`score`", in.score);
                   else if (key == "kind")
                     r.choice(y, "intent kind", intent_kinds(), in.kind);
                   else
                     r.text(y, "a description", in.description);
                 });
      if (in.phrases.empty() && in.patterns.empty() && in.examples.empty())
        r.error(k, Code::missing_key,
                fmt::format("intent `{}` has no phrases, patterns or examples", in.name),
                "add `phrases: [...]` with what customers say");
    }
    out.intents.push_back(std::move(in));
  });
}

// `at_total: {2: purpose, 4: bye}`: the call's Nth miss goes to the node.
void read_at_total(Reader& r, const YamlNode& v, std::vector<std::pair<int, Ref>>& out) {
  if (!r.is_map(v, "`at_total`")) return;
  for (std::uint32_t i = 0; i + 1 < v.size; i += 2) {
    r.visit();
    std::pair<int, Ref> entry;
    if (r.integer(r.child(v, i), "a count in `at_total` (the call's Nth miss)", entry.first, 1,
                  1000) &&
        r.ref(r.child(v, i + 1), "`at_total` node", entry.second))
      out.push_back(std::move(entry));
  }
}

void read_fallback(Reader& r, const YamlNode& v, const What& what, bool allow_long,
                   Boxed<FallbackSpec>& out) {
  if (!r.is_map(v, what)) return;
  FallbackSpec f;
  f.where = r.mark(v);
  auto fn = [&](std::string_view key, const YamlNode&, const YamlNode& y) {
    if (key == "retries")
      r.integer(y, "`retries`", f.retries, 0, 10);
    else if (key == "reprompts")
      r.texts(y, "reprompts", f.reprompts);
    else if (key == "then")
      r.ref(y, "`then`", f.then);
    else if (key == "at_total")
      read_at_total(r, y, f.at_total);
    else
      r.ref(y, "`long_reply`", f.long_reply);
  };
  if (allow_long)
    r.each_key(v, what, {"retries", "reprompts", "then", "long_reply", "at_total"}, fn);
  else
    r.each_key(v, what, {"retries", "reprompts", "then", "at_total"}, fn);
  out = std::move(f);
}

// `set: {variable: value, ...}`: the values stay text until the compiler
// knows each variable's type.
void read_set(Reader& r, const YamlNode& v, std::vector<AssignmentSpec>& out) {
  if (!r.is_map(v, "`set`", "`set: {variable: value}`")) return;
  r.each_named(v, "a variable name", [&](std::string name, const YamlNode& k, const YamlNode& x) {
    AssignmentSpec a;
    a.where = r.mark(k);
    a.variable = {std::move(name), r.mark(k)};
    if (x.kind == Kind::null) {
      r.error(x, Code::missing_key, fmt::format("`set` gives `{}` no value", a.variable.name),
              "write the value after the colon, e.g. `" + a.variable.name + ": true`");
      return;
    }
    if (r.text(x, What("the value of `", a.variable.name, "`"), a.value))
      out.push_back(std::move(a));
  });
}

// `branch:` of a decision node: `- when: <guard>` / `to: <node>` / `set:`.
void read_branches(Reader& r, const YamlNode& v, std::string_view node,
                   std::vector<BranchSpec>& out) {
  if (!r.is_list(v, What("`branch` of node `", node, "`"), "`- when: ... to: ...`")) return;
  for (std::uint32_t i = 0; i < v.size; ++i) {
    const YamlNode& x = r.child(v, i);
    BranchSpec b;
    b.where = r.mark(x);
    const What what("a branch of node `", node, "`");
    if (!r.is_map(x, what)) continue;
    bool has_to = false;
    r.each_key(x, what, {"when", "to", "set"},
               [&](std::string_view key, const YamlNode&, const YamlNode& y) {
                 if (key == "when") {
                   Text t;
                   if (r.text(y, "`when`", t)) b.when = t;
                 } else if (key == "to")
                   has_to = r.ref(y, "`to`", b.to) || true;
                 else
                   read_set(r, y, b.set);
               });
    if (!has_to)
      r.error(x, Code::missing_key, fmt::format("{} has no `to`", what.str()),
              "add `to: <node>` naming where it goes");
    out.push_back(std::move(b));
  }
}

// A node's `say`: texts, or `{text, when}` items whose guard picks them.
void read_node_say(Reader& r, const YamlNode& y, NodeSpec& node) {
  bool guarded = false;
  if (y.kind == Kind::sequence)
    for (std::uint32_t i = 0; i < y.size; ++i) guarded = guarded || r.child(y, i).kind == Kind::map;
  if (!guarded) {
    r.texts(y, "`say`", node.say);
    return;
  }
  for (std::uint32_t i = 0; i < y.size; ++i) {
    const YamlNode& x = r.child(y, i);
    Text line;
    std::optional<Text> when;
    if (x.kind != Kind::map) {
      if (r.text(x, "`say`", line))
        node.say.push_back(std::move(line)), node.say_when.emplace_back();
      continue;
    }
    bool has_text = false;
    r.each_key(x, "a phrasing of `say`", {"text", "when"},
               [&](std::string_view key, const YamlNode&, const YamlNode& z) {
                 if (key == "text")
                   has_text = r.text(z, "`text`", line);
                 else if (Text t; r.text(z, "`when`", t))
                   when = std::move(t);
               });
    if (!has_text) {
      r.error(x, Code::missing_key, "a phrasing of `say` has no `text`",
              "write `- {text: \"...\", when: \"...\"}`");
      continue;
    }
    node.say.push_back(std::move(line));
    node.say_when.push_back(std::move(when));
  }
}

void read_route(Reader& r, const YamlNode& v, std::string_view node, RouteSpec& route) {
  route.where = r.mark(v);
  const What what("a route of node `", node, "`");
  if (!r.is_map(v, what)) return;
  bool has_to = false, has_trigger = false;
  r.each_key(v, what, {"intent", "key", "when", "to", "tags", "score", "set"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               if (key == "intent") {
                 r.refs(y, "`intent`", route.intents);
                 has_trigger = true;
               } else if (key == "key") {
                 r.text(y, "`key`", route.keys);
                 has_trigger = true;
               } else if (key == "when") {
                 Text t;
                 if (r.text(y, "`when`", t)) route.when = t;
               } else if (key == "to")
                 has_to = r.ref(y, "`to`", route.to) || true;
               else if (key == "tags")
                 r.strings(y, "`tags`", route.tags);
               else if (key == "set")
                 read_set(r, y, route.set);
               else
                 r.number(y, "`score`", route.score);
             });
  if (!has_to)
    r.error(v, Code::missing_key, fmt::format("{} has no `to`", what.str()),
            "add `to: <node>` naming where it goes");
  if (!has_trigger)
    r.error(v, Code::missing_key, fmt::format("{} has neither `intent` nor `key`", what.str()),
            "add `intent: <name>` (or `intent: any` for any reply)");
}

// What a node and a global handler both say and do when they are reached.
struct Said {
  std::vector<Text>& say;
  std::string& recording;
  std::vector<std::string>& tags;
  double& score;
};

// False when `key` is not one of Said's.
bool read_said(Reader& r, std::string_view key, const YamlNode& y, Said to) {
  if (key == "say")
    r.texts(y, "`say`", to.say);
  else if (key == "recording")
    r.text(y, "`recording`", to.recording);
  else if (key == "tags")
    r.strings(y, "`tags`", to.tags);
  else if (key == "score")
    r.number(y, "`score`", to.score);
  else
    return false;
  return true;
}

// The keys a node shares with `settings` (a node's own value overrides).
struct Shared {
  std::optional<std::uint32_t>& listen_ms;
  std::optional<bool>& barge_in;
  std::optional<double>& min_confidence;
  std::optional<std::string>& understand;
  std::optional<std::uint32_t>& understand_ms;
};

// False when `key` is not one of the shared keys.
bool read_shared(Reader& r, std::string_view key, const YamlNode& y, Shared to) {
  static const std::vector<std::string_view> kWays = {"host", "none"};
  auto& [listen_ms, barge_in, min_confidence, understand, understand_ms] = to;
  double v = 0;
  std::string way;
  if (key == "listen_ms") {
    r.integer(y, "`listen_ms`", listen_ms, 500, 120000);
  } else if (key == "barge_in") {
    r.boolean(y, "`barge_in`", barge_in);
  } else if (key == "min_confidence") {
    if (r.number(y, "`min_confidence`", v,
                 "0.5 is a good start; 0 takes every intent the host sends", 0, 1))
      min_confidence = v;
  } else if (key == "understand") {
    if (r.choice(y, "way to understand", kWays, way)) understand = way;
  } else if (key == "understand_ms") {
    r.integer(y, "`understand_ms`", understand_ms, 100, 60000);
  } else {
    return false;
  }
  return true;
}

// False when `key` is not one of the slots' node keys (`set`, `capture`,
// `branch`, and `say` for its guarded phrasings).
bool read_node_slots(Reader& r, std::string_view key, const YamlNode& y, NodeSpec& node) {
  if (key == "say") {
    read_node_say(r, y, node);
    if (node.say.size() > kMaxPhrasings)
      r.error(y, Code::invalid_value,
              fmt::format("node `{}` has {} phrasings; at most {} are used", node.name,
                          node.say.size(), kMaxPhrasings),
              fmt::format("keep the best {}", kMaxPhrasings));
  } else if (key == "set")
    read_set(r, y, node.set);
  else if (key == "capture")
    r.ref(y, "`capture`", node.capture);
  else if (key == "branch")
    read_branches(r, y, node.name, node.branch);
  else
    return false;
  return true;
}

// `globals: none`, `globals: all`, or `globals: [opt_out, ask_human]`.
void read_node_globals(Reader& r, const YamlNode& y, NodeSpec& node) {
  std::vector<Ref>& allowed = node.globals.emplace();
  if (y.kind == Kind::scalar && y.value == "none") return;
  if (y.kind == Kind::scalar && y.value == "all") {
    node.globals.reset();
    return;
  }
  r.refs(y, "`globals` (intents whose global handlers apply here)", allowed);
}

// One entry of `variants:`.
void read_variant(Reader& r, const YamlNode& v, std::string_view node, VariantSpec& out) {
  out.where = r.mark(v);
  const What what("a variant of node `", node, "`");
  if (!r.is_map(v, what)) return;
  bool named = false;
  r.each_key(v, what, {"name", "weight", "say", "recording", "routes", "next"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               if (key == "name") {
                 named = true;
                 if (r.text(y, "`name`", out.name) && out.name.empty())
                   r.error(y, Code::invalid_value, "a variant's `name` is empty",
                           "name it as reports should show it (`short`, `B`)");
               } else if (key == "weight") {
                 double w = 0;
                 out.weight_where = r.mark(y);
                 if (r.number(y, "`weight`", w)) out.weight = w;  // range: checked when compiled
               } else if (key == "say") {
                 r.texts(y, "`say`", out.say);
                 if (out.say.size() > kMaxPhrasings)
                   r.error(
                       y, Code::invalid_value,
                       fmt::format("a variant of node `{}` has {} phrasings; at most {} are used",
                                   node, out.say.size(), kMaxPhrasings),
                       fmt::format("keep the best {}", kMaxPhrasings));
               } else if (key == "recording")
                 r.text(y, "`recording`", out.recording);
               else if (key == "next")
                 r.ref(y, "`next`", out.next);
               else if (r.is_list(y, What("`routes` of a variant of node `", node, "`"),
                                  "`- intent: ... to: ...`")) {
                 out.has_routes = true;
                 for (std::uint32_t i = 0; i < y.size; ++i) {
                   RouteSpec route;
                   read_route(r, r.child(y, i), node, route);
                   out.routes.push_back(std::move(route));
                 }
               }
             });
  if (!named)
    r.error(v, Code::missing_key, fmt::format("{} has no `name`", what.str()),
            "add `name: B` (reports show the variants by name)");
}

// `variants:` and `experiment:` of a node; false for any other key.
bool read_variant_keys(Reader& r, std::string_view key, const YamlNode& y, NodeSpec& node) {
  if (key == "experiment") {
    Text t;
    if (r.text(y, "`experiment`", t)) node.experiment = std::move(t);
    return true;
  }
  if (key != "variants") return false;
  if (!r.is_list(y, What("`variants` of node `", node.name, "`"), "`- name: A ... weight: 50`"))
    return true;
  node.variants.reserve(y.size);
  for (std::uint32_t i = 0; i < y.size; ++i) {
    VariantSpec v;
    read_variant(r, r.child(y, i), node.name, v);
    node.variants.push_back(std::move(v));
  }
  return true;
}

// `interrupt: never | any | clarify | [intent, ...]`.
void read_interrupt(Reader& r, const YamlNode& v, Boxed<InterruptSpec>& out) {
  static const std::vector<std::string_view> kModes = {"never", "any", "clarify"};
  InterruptSpec spec;
  spec.where = r.mark(v);
  if (v.kind == Kind::sequence) {
    spec.mode = "only";
    r.refs(v, "`interrupt` intent", spec.intents);
    if (spec.intents.empty()) {
      r.error(v, Code::invalid_value, "`interrupt` lists no intent",
              "name the intents that may cut the line, or write `interrupt: never`");
      return;
    }
  } else if (!r.choice(v, "`interrupt` policy (or a list of intents)", kModes, spec.mode)) {
    return;
  }
  out = std::move(spec);
}

// `call: confirm` or `call: {flow: confirm, then: pitch}`.
void read_call(Reader& r, const YamlNode& v, NodeSpec& node) {
  CallSpec call;
  call.where = r.mark(v);
  if (v.kind == Kind::scalar) {
    if (r.ref(v, "the flow to call", call.flow)) node.call = std::move(call);
    return;
  }
  const What what("`call` of node `", node.name, "`");
  if (!r.is_map(v, what, "`call: {flow: confirm, then: pitch}`")) return;
  bool has_flow = false;
  r.each_key(v, what, {"flow", "then"},
             [&](std::string_view k, const YamlNode&, const YamlNode& y) {
               if (k == "flow")
                 has_flow = r.ref(y, "the flow to call", call.flow) || true;
               else
                 r.ref(y, "`then`", call.then);
             });
  if (!has_flow)
    r.error(v, Code::missing_key, fmt::format("{} names no flow", what.str()),
            "add `flow: <name>` naming a flow under `flows:`");
  node.call = std::move(call);
}

// `on_return: {yes: book, no: bye}`: each outcome of the flow, and where to go.
void read_on_return(Reader& r, const YamlNode& v, NodeSpec& node) {
  if (!r.is_map(v, What("`on_return` of node `", node.name, "`"), "`on_return: {yes: book}`"))
    return;
  for (std::uint32_t i = 0; i + 1 < v.size; i += 2) {
    r.visit();
    ReturnRouteSpec route;
    if (r.text(r.child(v, i), "an outcome", route.outcome) &&
        r.ref(r.child(v, i + 1), "the node an outcome goes to", route.to))
      node.on_return.push_back(std::move(route));
  }
}

// The keys of sub-flows and interruptions; false when `key` is none of them.
bool read_flow_keys(Reader& r, std::string_view key, const YamlNode& y, NodeSpec& node) {
  if (key == "call") {
    read_call(r, y, node);
  } else if (key == "on_return") {
    read_on_return(r, y, node);
  } else if (key == "return") {
    Text t;
    t.where = r.mark(y);
    if (y.kind == Kind::null || r.text(y, "`return` (an outcome)", t)) node.returns = std::move(t);
  } else if (key == "interrupt") {
    read_interrupt(r, y, node.interrupt);
  } else {
    return false;
  }
  return true;
}

void read_fetch_route(Reader& r, const YamlNode& v, std::string_view node, FetchRouteSpec& out) {
  out.where = r.mark(v);
  const What what("a `routes:` entry of the fetch of node `", node, "`");
  if (!r.is_map(v, what)) return;
  bool has_to = false;
  r.each_key(v, what, {"when", "to"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               if (key == "when") {
                 Text t;
                 if (r.text(y, "`when`", t)) out.when = std::move(t);
               } else {
                 has_to = r.ref(y, "`to`", out.to) || true;
               }
             });
  if (!has_to)
    r.error(v, Code::missing_key, fmt::format("{} has no `to`", what.str()),
            "add `to: <node>` naming where the answer leads");
}

void read_fetch_key(Reader& r, std::string_view key, const YamlNode& y, std::string_view node,
                    FetchSpec& f) {
  if (key == "name") {
    r.text(y, "`name`", f.name);
  } else if (key == "with") {
    if (!r.is_map(y, "`with`")) return;
    r.each_named(y, "an argument name", [&](std::string name, const YamlNode&, const YamlNode& x) {
      Text t;
      if (r.text(x, "an argument", t)) f.with.emplace_back(std::move(name), std::move(t));
    });
  } else if (key == "timeout_ms") {
    r.integer(y, "`timeout_ms`", f.timeout_ms, 100, 600000);
  } else if (key == "routes" || key == "on") {
    if (!r.is_list(y, What("`routes` of the fetch of node `", node, "`"), "`- when: ... to: ...`"))
      return;
    for (std::uint32_t i = 0; i < y.size; ++i) {
      FetchRouteSpec route;
      read_fetch_route(r, r.child(y, i), node, route);
      f.routes.push_back(std::move(route));
    }
  } else if (key == "timeout") {
    r.ref(y, "`timeout`", f.timeout);
  } else {
    r.ref(y, "`failed`", f.failed);
  }
}

// `fetch:` of a node: what to ask the host, and where each answer leads.
void read_fetch(Reader& r, const YamlNode& v, NodeSpec& node) {
  FetchSpec f;
  f.where = r.mark(v);
  const What what("`fetch` of node `", node.name, "`");
  if (!r.is_map(v, what)) return;
  r.each_key(v, what, {"name", "with", "timeout_ms", "routes", "timeout", "failed", "on"},
             [&](std::string_view key, const YamlNode& k, const YamlNode& y) {
               // `on` reads as `true` in YAML 1.1 tools (PyYAML, some editors):
               // refused with the way out; its routes are still read, so that
               // nothing else is reported.
               if (key == "on")
                 r.error(k, Code::unknown_key, "a fetch's answers go under `routes:`, not `on:`",
                         "rename `on:` to `routes:` (YAML 1.1 tools read `on` as true)");
               read_fetch_key(r, key, y, node.name, f);
             });
  if (f.name.empty())
    r.error(v, Code::missing_key, fmt::format("{} has no `name`", what.str()),
            "add `name: <what to fetch>` (the host sees it in the fetch action)");
  node.fetch = std::move(f);
}

void read_voicemail(Reader& r, const YamlNode& v, ScriptSpec& out) {
  VoicemailSpec m;
  m.where = r.mark(v);
  if (v.kind == Kind::scalar) {
    Text t;
    if (r.text(v, "`voicemail`", t)) m.say.push_back(std::move(t));
    out.voicemail = std::move(m);
    return;
  }
  if (!r.is_map(v, "`voicemail`")) return;
  r.each_key(v, "`voicemail`", {"say", "recording"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               if (key == "say")
                 r.texts(y, "`say`", m.say);
               else
                 r.text(y, "`recording`", m.recording);
             });
  out.voicemail = std::move(m);
}

void read_node(Reader& r, const YamlNode& k, const YamlNode& v, NodeSpec& node, const Settings*) {
  node.where = r.mark(k);
  const What what("node `", node.name, "`");
  if (!r.is_map(v, what)) return;
  r.each_key(
      v, what, {"say",        "recording",      "barge_in",   "listen_ms",     "tags", "score",
                "max_visits", "routes",         "no_match",   "no_input",      "next", "hangup",
                "escalate",   "min_confidence", "understand", "understand_ms", "set",  "capture",
                "branch",     "globals",        "variants",   "experiment",    "call", "on_return",
                "return",     "interrupt",      "fetch"},
      [&](std::string_view key, const YamlNode&, const YamlNode& y) {
        if (read_node_slots(r, key, y, node)) return;
        if (read_said(r, key, y, {node.say, node.recording, node.tags, node.score})) {
          if (key == "say" && node.say.size() > kMaxPhrasings)
            r.error(y, Code::invalid_value,
                    fmt::format("node `{}` has {} phrasings; at most {} are used", node.name,
                                node.say.size(), kMaxPhrasings),
                    fmt::format("keep the best {}", kMaxPhrasings));
        } else if (key == "max_visits")
          r.integer(y, "`max_visits`", node.max_visits, 1, 1000);
        else if (key == "routes") {
          if (!r.is_list(y, What("`routes` of node `", node.name, "`"), "`- intent: ... to: ...`"))
            return;
          node.routes.reserve(y.size);
          for (std::uint32_t i = 0; i < y.size; ++i) {
            RouteSpec route;
            read_route(r, r.child(y, i), node.name, route);
            node.routes.push_back(std::move(route));
          }
        } else if (key == "no_match")
          read_fallback(r, y, "`no_match`", true, node.no_match);
        else if (key == "no_input")
          read_fallback(r, y, "`no_input`", false, node.no_input);
        else if (key == "next")
          r.ref(y, "`next`", node.next);
        else if (key == "globals")
          read_node_globals(r, y, node);
        else if (read_flow_keys(r, key, y, node))
          return;
        else if (read_shared(r, key, y,
                             {node.listen_ms, node.barge_in, node.min_confidence, node.understand,
                              node.understand_ms}))
          return;
        else if (read_variant_keys(r, key, y, node))
          return;
        else if (key == "hangup") {
          std::string reason;
          if (r.choice(y, "hang-up reason", hangup_reason_names(), reason)) node.hangup = reason;
        } else if (key == "fetch") {
          read_fetch(r, y, node);
        } else {
          EscalationSpec e;
          read_escalation(r, y, "`escalate`", e);
          node.escalate = e;
        }
      });
}

void read_nodes(Reader& r, const YamlNode& v, ScriptSpec& out) {
  if (!r.is_map(v, "`nodes`")) return;
  out.nodes.reserve(out.nodes.size() + v.size / 2);
  r.each_named(v, "a node name", [&](std::string name, const YamlNode& k, const YamlNode& x) {
    NodeSpec node;
    node.name = std::move(name);
    read_node(r, k, x, node, nullptr);
    out.nodes.push_back(std::move(node));
  });
}

void read_flow(Reader& r, const YamlNode& k, const YamlNode& v, FlowSpec& flow) {
  flow.where = r.mark(k);
  const What what("flow `", flow.name, "`");
  if (!r.is_map(v, what, "`start:` and `nodes:`")) return;
  bool has_nodes = false;
  r.each_key(v, what, {"start", "nodes", "description"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               if (key == "start") {
                 r.ref(y, "`start`", flow.start);
               } else if (key == "description") {
                 r.text(y, "a description", flow.description);
               } else if (r.is_map(y, What("`nodes` of flow `", flow.name, "`"))) {
                 has_nodes = true;
                 r.each_named(y, "a node name",
                              [&](std::string name, const YamlNode& nk, const YamlNode& x) {
                                NodeSpec node;
                                node.name = std::move(name);
                                read_node(r, nk, x, node, nullptr);
                                flow.nodes.push_back(std::move(node));
                              });
               }
             });
  if (!has_nodes)
    r.error(k, Code::missing_key, fmt::format("{} has no `nodes`", what.str()),
            "add `nodes:` with the exchange's nodes, one of them ending in `return:`");
}

void read_flows(Reader& r, const YamlNode& v, ScriptSpec& out) {
  if (!r.is_map(v, "`flows`")) return;
  r.each_named(v, "a flow name", [&](std::string name, const YamlNode& k, const YamlNode& x) {
    FlowSpec flow;
    flow.name = std::move(name);
    read_flow(r, k, x, flow);
    out.flows.push_back(std::move(flow));
  });
}

void read_globals(Reader& r, const YamlNode& v, ScriptSpec& out) {
  if (!r.is_list(v, "`globals`", "`- intent: ...`")) return;
  for (std::uint32_t i = 0; i < v.size; ++i) {
    const YamlNode& x = r.child(v, i);
    GlobalSpec g;
    g.where = r.mark(x);
    if (!r.is_map(x, "a global handler")) continue;
    bool has_intent = false;
    int actions = 0;
    r.each_key(x, "a global handler",
               {"intent", "say", "recording", "tags", "score", "reprompt", "goto", "hangup",
                "escalate", "max_times", "set", "repeat", "interrupt"},
               [&](std::string_view key, const YamlNode&, const YamlNode& y) {
                 if (key == "intent") {
                   r.refs(y, "`intent`", g.intents);
                   has_intent = true;
                 } else if (read_said(r, key, y, {g.say, g.recording, g.tags, g.score}))
                   return;
                 else if (key == "reprompt")
                   r.boolean(y, "`reprompt`", g.reprompt);
                 else if (key == "repeat")
                   r.boolean(y, "`repeat`", g.repeat);
                 else if (key == "max_times")
                   r.integer(y, "`max_times`", g.max_times, 1, 1000);
                 else if (key == "set")
                   read_set(r, y, g.set);
                 else if (key == "interrupt")
                   read_interrupt(r, y, g.interrupt);
                 else if (key == "goto") {
                   ++actions;
                   g.then = "goto";
                   r.ref(y, "`goto`", g.target);
                 } else if (key == "hangup") {
                   ++actions;
                   g.then = "hangup";
                   std::string reason;
                   if (r.choice(y, "hang-up reason", hangup_reason_names(), reason))
                     g.hangup = reason;
                 } else {
                   ++actions;
                   g.then = "escalate";
                   EscalationSpec e;
                   read_escalation(r, y, "`escalate`", e);
                   g.escalate = e;
                 }
               });
    if (!has_intent)
      r.error(x, Code::missing_key, "a global handler has no `intent`", "add `intent: <name>`");
    if (actions > 1)
      r.error(x, Code::conflicting_keys,
              "a global handler may have only one of `goto`, `hangup`, `escalate`",
              "keep one; without any the handler answers and resumes");
    out.globals.push_back(std::move(g));
  }
}

void read_settings(Reader& r, const YamlNode& v, SettingsSpec& s) {
  s.where = r.mark(v);
  if (!r.is_map(v, "`settings`")) return;
  r.each_key(
      v, "`settings`",
      {"listen_ms", "barge_in", "barge_in_opening", "barge_in_closing", "no_barge_ms",
       "long_reply_chars", "fillers", "negation_window", "similarity_threshold", "backchannels",
       "backchannel_intent", "min_confidence", "understand", "understand_ms", "interrupt",
       "clarify", "time_zone"},
      [&](std::string_view key, const YamlNode&, const YamlNode& y) {
        if (read_shared(r, key, y,
                        {s.listen_ms, s.barge_in, s.min_confidence, s.understand, s.understand_ms}))
          return;
        else if (key == "barge_in_opening")
          r.boolean(y, "`barge_in_opening`", s.barge_in_opening);
        else if (key == "barge_in_closing")
          r.boolean(y, "`barge_in_closing`", s.barge_in_closing);
        else if (key == "no_barge_ms")
          r.integer(y, "`no_barge_ms`", s.no_barge_ms, 0, 60000);
        else if (key == "long_reply_chars")
          r.integer(y, "`long_reply_chars`", s.long_reply_chars, 1, 1000);
        else if (key == "fillers")
          r.texts(y, "`fillers`", s.fillers);
        else if (key == "negation_window")
          r.integer(y, "`negation_window`", s.negation_window, 0, 10);
        else if (key == "backchannels")
          r.texts(y, "`backchannels`", s.backchannels.emplace());
        else if (key == "backchannel_intent")
          r.ref(y, "`backchannel_intent`", s.backchannel_intent);
        else if (key == "interrupt")
          read_interrupt(r, y, s.interrupt);
        else if (key == "clarify") {
          Text t;
          if (r.text(y, "`clarify`", t)) s.clarify = std::move(t);
        } else if (key == "time_zone") {
          Text t;
          if (r.text(y, "`time_zone`", t)) s.time_zone = std::move(t);
        } else {
          double v = 0;
          if (r.number(y, "`similarity_threshold`", v,
                       "0.45 is a good start; 1 turns the fallback off", 0, 1))
            s.similarity_threshold = v;
        }
      });
}

void read_counts(Reader& r, const YamlNode& v, const What& what, std::optional<int>& consecutive,
                 std::optional<int>& total) {
  if (!r.is_map(v, what)) return;
  r.each_key(v, what, {"consecutive", "total"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               if (key == "consecutive")
                 r.integer(y, "`consecutive`", consecutive, 1, 1000);
               else
                 r.integer(y, "`total`", total, 1, 1000);
             });
}

// `close: bye`, or a close node per limit: `close: {max_turns: bye_rounds,
// no_match: bye_confused, default: bye}`.
void read_close(Reader& r, const YamlNode& v, LimitsSpec& l) {
  if (v.kind != Kind::map) {
    r.ref(v, "`close`", l.close);
    return;
  }
  r.each_key(
      v, "`limits.close`",
      {"default", "max_turns", "max_duration_s", "max_visits", "no_match", "no_match_consecutive",
       "no_match_total", "no_input", "no_input_consecutive", "no_input_total"},
      [&](std::string_view key, const YamlNode&, const YamlNode& y) {
        if (key == "default") {
          r.ref(y, "`close.default`", l.close);
          return;
        }
        Ref node;
        if (r.ref(y, What("`close.", key, "`"), node))
          l.close_by.emplace_back(std::string(key), std::move(node));
      });
}

void read_limits(Reader& r, const YamlNode& v, LimitsSpec& l) {
  l.where = r.mark(v);
  if (!r.is_map(v, "`limits`")) return;
  r.each_key(v, "`limits`",
             {"max_turns", "max_duration_s", "max_visits", "no_match", "no_input", "close",
              "escalate_score", "escalate_node"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               if (key == "max_turns")
                 r.integer(y, "`max_turns`", l.max_turns, 1, 10000);
               else if (key == "max_duration_s")
                 r.integer(y, "`max_duration_s`", l.max_duration_s, 1, 86400);
               else if (key == "max_visits")
                 r.integer(y, "`max_visits`", l.max_visits, 1, 1000);
               else if (key == "no_match")
                 read_counts(r, y, "`limits.no_match`", l.no_match_consecutive, l.no_match_total);
               else if (key == "no_input")
                 read_counts(r, y, "`limits.no_input`", l.no_input_consecutive, l.no_input_total);
               else if (key == "close")
                 read_close(r, y, l);
               else if (key == "escalate_score")
                 r.integer(y, "`escalate_score`", l.escalate_score, 1, 1000000);
               else
                 r.ref(y, "`escalate_node`", l.escalate_node);
             });
}

void read_hold(Reader& r, const YamlNode& v, ScriptSpec& out) {
  HoldSpec h;
  h.where = r.mark(v);
  if (!r.is_map(v, "`hold`")) return;
  r.each_key(v, "`hold`", {"while_waiting", "say", "interval_s", "resume", "timeout_s", "then"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               static const std::vector<std::string_view> modes = {"lines", "silence", "script"};
               if (key == "while_waiting")
                 r.choice(y, "`while_waiting`", modes, h.while_waiting);
               else if (key == "say") {
                 r.texts(y, "`say`", h.say);
                 if (h.say.size() > kMaxPhrasings)
                   r.error(y, Code::invalid_value,
                           fmt::format("`hold` has {} hold lines; at most {} are used",
                                       h.say.size(), kMaxPhrasings),
                           fmt::format("keep the best {}", kMaxPhrasings));
               } else if (key == "interval_s")
                 r.integer(y, "`interval_s`", h.interval_s, 1, 3600);
               else if (key == "resume")
                 r.ref(y, "`resume`", h.resume);
               else if (key == "timeout_s")
                 r.integer(y, "`timeout_s`", h.timeout_s, 0, 86400);
               else
                 r.ref(y, "`then`", h.then);
             });
  out.hold = std::move(h);
}

void read_grading(Reader& r, const YamlNode& v, ScriptSpec& out) {
  if (!r.is_map(v, "`grading`")) return;
  r.each_key(v, "`grading`", {"rules", "default"},
             [&](std::string_view key, const YamlNode&, const YamlNode& y) {
               if (key == "default") {
                 out.default_grade_where = r.mark(y);
                 r.text(y, "`default` grade", out.default_grade);
                 return;
               }
               if (!r.is_list(y, "`rules`", "`- grade: A`")) return;
               for (std::uint32_t i = 0; i < y.size; ++i) {
                 const YamlNode& x = r.child(y, i);
                 GradeRuleSpec rule;
                 rule.where = r.mark(x);
                 if (!r.is_map(x, "a grading rule")) continue;
                 bool has_grade = false, has_when = false;
                 r.each_key(x, "a grading rule", {"grade", "when", "tags"},
                            [&](std::string_view k2, const YamlNode&, const YamlNode& z) {
                              if (k2 == "grade")
                                has_grade = r.text(z, "`grade`", rule.grade) || true;
                              else if (k2 == "when")
                                has_when = r.text(z, "`when`", rule.when) || true;
                              else
                                r.strings(z, "`tags`", rule.tags);
                            });
                 if (!has_grade)
                   r.error(x, Code::missing_key, "a grading rule has no `grade`",
                           "add `grade: A` (A to E, or one of `grades:`)");
                 if (!has_when)
                   r.error(x, Code::missing_key, "a grading rule has no `when`",
                           "add `when: \"score >= 50\"` or similar");
                 out.grading.push_back(std::move(rule));
               }
             });
}

// The keys at the top that must be there, as they are found.
struct TopKeys {
  bool format = false, id = false, locale = false, library = false;
};

void read_top_key(Reader& r, std::string_view key, const YamlNode& v, ScriptSpec& out,
                  TopKeys& seen) {
  if (key == "patter") {
    seen.format = true;
    if (r.integer(v, "`patter` (the format version)", out.format, 0, 1000000) &&
        (out.format < 1 || out.format > kFormatVersion))
      r.error(v, Code::unsupported_version,
              fmt::format("format version {} is not supported; this patter reads version {}",
                          out.format, kFormatVersion),
              fmt::format("write `patter: {}`", kFormatVersion));
  } else if (key == "id")
    seen.id = r.text(v, "`id`", out.id) || true;
  else if (key == "library") {
    std::string ignored;
    seen.library = r.text(v, "`library`", ignored) || true;
  } else if (key == "version")
    r.text(v, "`version`", out.version);
  else if (key == "locale")
    seen.locale = r.choice(v, "locale", locales(), out.locale) || true;
  else if (key == "title")
    r.text(v, "`title`", out.title);
  else if (key == "description")
    r.text(v, "`description`", out.description);
  else if (key == "include")
    r.texts(v, "`include`", out.includes);
  else if (key == "variables")
    read_variables(r, v, out);
  else if (key == "intents")
    read_intents(r, v, out);
  else if (key == "settings")
    read_settings(r, v, out.settings);
  else if (key == "limits")
    read_limits(r, v, out.limits);
  else if (key == "hold")
    read_hold(r, v, out);
  else if (key == "start")
    r.ref(v, "`start`", out.start);
  else if (key == "nodes")
    read_nodes(r, v, out);
  else if (key == "globals")
    read_globals(r, v, out);
  else if (key == "grading")
    read_grading(r, v, out);
  else if (key == "grades")
    r.texts(v, "`grades`", out.grades);
  else if (key == "flows")
    read_flows(r, v, out);
  else if (key == "voicemail")
    read_voicemail(r, v, out);
}

void check_top_keys(Reader& r, const YamlNode& root, FileRole role, const TopKeys& seen) {
  if (!seen.format)
    r.error(root, Code::missing_key, "the file does not say which format it uses",
            fmt::format("add `patter: {}` as the first line", kFormatVersion));
  if (role == FileRole::script) {
    if (!seen.id)
      r.error(root, Code::missing_key, "the script has no `id`",
              "add `id: my-script` (a short name used in reports)");
    if (!seen.locale)
      r.error(root, Code::missing_key, "the script has no `locale`",
              "add `locale: zh-CN` or `locale: en-US`");
  } else if (!seen.library) {
    r.error(root, Code::missing_key, "an included file has no `library` name",
            "add `library: common` (a short name for this shared file)");
  }
}

void read_top(Reader& r, const YamlNode& root, FileRole role, ScriptSpec& out) {
  if (root.kind != Kind::map) {
    r.error(root, Code::wrong_type,
            fmt::format("a script must be a map of `key: value` lines at the top, not {}",
                        describe(root)),
            "start with `patter: 1`, `id: ...`, `locale: ...`");
    return;
  }
  TopKeys seen;
  auto fn = [&](std::string_view key, const YamlNode&, const YamlNode& v) {
    read_top_key(r, key, v, out, seen);
  };
  if (role == FileRole::script) {
    r.each_key(root, "the script",
               {"patter", "id", "version", "locale", "title", "description", "include", "variables",
                "intents", "settings", "limits", "hold", "start", "nodes", "globals", "grading",
                "grades", "flows", "voicemail"},
               fn);
  } else {
    r.each_key(root, "an included library",
               {"patter", "library", "locale", "description", "include", "variables", "intents",
                "nodes", "globals"},
               fn);
  }
  check_top_keys(r, root, role, seen);
}

}  // namespace

bool read_spec(const YamlTree& tree, const std::string& file, std::uint32_t file_id, FileRole role,
               std::size_t max_visits, ScriptSpec& out, std::vector<Diagnostic>& diags) {
  Reader r(tree, file, file_id, max_visits, diags);
  const YamlNode& root = tree.root();
  out.where = r.mark(root);
  try {
    read_top(r, root, role, out);
  } catch (const YamlBudget&) {
    r.error(r.last() ? *r.last() : root, Code::too_many_elements,
            fmt::format("the document expands to more than {} elements (aliases used many times?)",
                        max_visits),
            "use fewer `*alias` references, or split the script");
    return false;
  }
  return true;
}

}  // namespace patter::detail
