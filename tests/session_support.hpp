// What the session tests share: loading a test script, a turn's actions
// on one line, and one call on a steady clock.
#pragma once

#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace patter::session_testing {

inline std::shared_ptr<const Script> load(std::string_view yaml,
                                          std::string_view name = "session.yaml") {
  auto r = load_string(yaml, std::string(name));
  std::string all;
  for (const auto& d : r.diagnostics) all += format(d) + "\n";
  EXPECT_TRUE(r.ok()) << all;
  return r.script;
}

#ifdef PATTER_SOURCE_DIR
/// A bundled script (examples/scripts/NAME), loaded once per test binary.
inline std::shared_ptr<const Script> bundled(const std::string& name) {
  static std::map<std::string, std::shared_ptr<const Script>> cache;
  auto& s = cache[name];
  if (!s) {
    LoadResult r = load_file(PATTER_SOURCE_DIR "/examples/scripts/" + name);
    EXPECT_TRUE(r.ok()) << name;
    s = r.script;
  }
  return s;
}
#endif

inline Session must_start(std::shared_ptr<const Script> script, std::span<const VariableValue> vars,
                          SessionOptions options) {
  Started s = Session::start(std::move(script), vars, options);
  if (!s.ok()) throw std::runtime_error("start failed: " + s.message());
  return std::move(*s);
}

inline std::string node_name(const Script& s, NodeId n) {
  return n == kNone ? "-" : s.node(n).name;
}

// The actions of a turn on one line: "say:Hi | listen:6000 | hangup:busy | end".
inline std::string acts(const Turn& t) {
  std::string out;
  for (const Action& a : t.actions()) {
    if (!out.empty()) out += " | ";
    switch (a.type) {
      case ActionType::say: out += "say:" + std::string(a.text); break;
      case ActionType::listen: out += "listen:" + std::to_string(a.timeout_ms); break;
      case ActionType::stop_line: out += "stop_line"; break;
      case ActionType::tag: out += "tag:" + std::string(a.text); break;
      case ActionType::hangup: out += "hangup:" + std::string(to_string(a.hangup)); break;
      case ActionType::escalate:
        out += "escalate:" + std::string(to_string(a.escalation)) + ":" +
               std::string(to_string(a.priority));
        break;
      case ActionType::end: out += "end"; break;
      case ActionType::resume_line:
        out += "resume_line:" + std::to_string(a.offset_ms) + ":" + std::string(a.text);
        break;
      case ActionType::understand: out += "understand:" + std::string(a.text); break;
      case ActionType::fetch:
        out += "fetch:" + std::string(a.text) + "#" + std::to_string(a.fetch);
        break;
    }
  }
  return out;
}

inline std::string path_names(const Script& s, std::span<const NodeId> path) {
  std::string out;
  for (NodeId n : path) out += (out.empty() ? "" : ",") + node_name(s, n);
  return out;
}

// One call on a steady clock: each event comes a second after the last.
struct Call {
  std::shared_ptr<const Script> script;
  Session s;
  Turn t;
  std::uint64_t now = 10'000;

  explicit Call(std::shared_ptr<const Script> sc, std::initializer_list<VariableValue> vars = {},
                SessionOptions options = {})
      : Call(sc, std::span<const VariableValue>(vars.begin(), vars.size()), options) {}
  Call(std::shared_ptr<const Script> sc, std::span<const VariableValue> vars,
       SessionOptions options = {})
      : script(sc), s(must_start(sc, vars, options)) {}

  Status send(const Event& e) { return s.step(e, t); }
  Status answer() { return send(Event::answered(now)); }
  Status say(std::string_view text) { return send(Event::utterance(text, now += 1000)); }
  Status silence() { return send(Event::no_input(now += 1000)); }
  Status key(char k) { return send(Event::dtmf(k, now += 1000)); }
  Status intent(std::string_view name, float confidence = 0.9f) {
    return send(Event::intent_of(*script->find_intent(name), confidence, now += 1000));
  }
  Status hangup() { return send(Event::customer_hangup(now += 1000)); }
  /// "<silence>", "#<key>" or words.
  Status reply(std::string_view r) {
    if (r == "<silence>") return silence();
    if (r.size() == 2 && r[0] == '#') return key(r[1]);
    return say(r);
  }

  std::string actions() const { return acts(t); }
  std::string node() const { return node_name(*script, s.node()); }
  std::string path() const { return path_names(*script, t.path()); }
  NodeId id(std::string_view node) const { return *script->find_node(node); }
};

}  // namespace patter::session_testing
