// A finished call as JSON, for CRMs and `patter stats`.
#include "patter/json_writer.hpp"
#include "patter/session.hpp"

#include <cstdlib>

namespace patter {

/// "variables": each declared variable by name, as its type reads (numbers
/// and booleans bare, text quoted; a time as the customer's words), and
/// "times": the moment each filled time variable names, ms since 1970 UTC.
void CallResult::variables_json(const Script& script, JsonWriter& w) const {
  if (variables.empty()) return;
  const auto& decl = script.variables();
  w.key("variables").object();
  for (const Variable& v : variables) {
    if (v.id >= decl.size()) continue;
    const std::string& name = decl[v.id].name;
    switch (decl[v.id].type) {
      case patter::Variable::Type::number:
        w.field(name, std::strtod(v.value.c_str(), nullptr));
        break;
      case patter::Variable::Type::boolean: w.field(name, v.value == "true"); break;
      default: w.field(name, v.value); break;
    }
  }
  w.end();
  bool any_time = false;
  for (const Variable& v : variables) any_time = any_time || v.has_time;
  if (!any_time) return;
  w.key("times").object();
  for (const Variable& v : variables)
    if (v.has_time && v.id < decl.size()) w.field(decl[v.id].name, v.time_ms);
  w.end();
}

std::string CallResult::to_json(const Script& script) const {
  auto node_name = [&](NodeId n) -> std::string_view {
    return n < script.nodes().size() ? std::string_view(script.nodes()[n].name)
                                     : std::string_view();
  };
  JsonWriter w;
  w.object()
      .field("script", script.id())
      .field("version", script.version())
      .field("fingerprint", script.fingerprint())
      .field("outcome", patter::to_string(outcome))
      .field("hangup", patter::to_string(hangup))
      .field("escalated", escalated);
  if (escalated) w.field("escalation", patter::to_string(escalation));
  w.field("grade", grade)
      .field("score", score)
      .field("turns", turns)
      .field("silences", silences)
      .field("no_matches", no_matches)
      .field("duration_ms", duration_ms)
      .key("tags")
      .values(tags);
  w.key("path").array();
  for (NodeId n : path) w.value(node_name(n));
  w.end();
  variables_json(script, w);
  if (!transcript.empty()) {
    w.key("transcript").array();
    for (const TranscriptEntry& e : transcript) {
      w.object().field("who", patter::to_string(e.who)).field("at_ms", e.at_ms);
      if (e.node != kNone) w.field("node", node_name(e.node));
      if (e.intent != kNone && e.intent < script.intents().size())
        w.field("intent", script.intents()[e.intent].name);
      w.field("text", e.text);
      if (!e.speaker.empty()) w.field("speaker", e.speaker);
      w.end();
    }
    w.end();
  }
  if (!variants.empty()) {  // experiment -> variant, for `patter stats`
    w.key("variants").object();
    for (const VariantSeen& v : variants) w.field(v.experiment, v.variant);
    w.end();
  }
  return w.end().take();
}

}  // namespace patter
