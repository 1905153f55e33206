// A finished call as JSON, for CRMs and `patter stats`.
#include <fmt/format.h>

#include "patter/session.hpp"
#include "text/json.hpp"

namespace patter {

std::string CallResult::to_json(const Script& script) const {
  using detail::append_json_escaped;
  std::string out;
  auto key = [&](std::string_view k) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += k;
    out += "\":";
  };
  auto text = [&](std::string_view k, std::string_view v) {
    key(k);
    out += '"';
    append_json_escaped(out, v);
    out += '"';
  };
  auto node_name = [&](NodeId n) -> std::string_view {
    return n < script.nodes().size() ? std::string_view(script.nodes()[n].name) : std::string_view();
  };
  out += '{';
  text("script", script.id());
  text("version", script.version());
  text("fingerprint", script.fingerprint());
  text("outcome", patter::to_string(outcome));
  text("hangup", patter::to_string(hangup));
  key("escalated");
  out += escalated ? "true" : "false";
  if (escalated) text("escalation", patter::to_string(escalation));
  text("grade", std::string_view(&grade, 1));
  key("score");
  fmt::format_to(std::back_inserter(out), "{}", score);
  key("turns");
  fmt::format_to(std::back_inserter(out), "{}", turns);
  key("silences");
  fmt::format_to(std::back_inserter(out), "{}", silences);
  key("no_matches");
  fmt::format_to(std::back_inserter(out), "{}", no_matches);
  key("duration_ms");
  fmt::format_to(std::back_inserter(out), "{}", duration_ms);
  key("tags");
  out += '[';
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i) out += ',';
    out += '"';
    append_json_escaped(out, tags[i]);
    out += '"';
  }
  out += ']';
  key("path");
  out += '[';
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (i) out += ',';
    out += '"';
    append_json_escaped(out, node_name(path[i]));
    out += '"';
  }
  out += ']';
  if (!transcript.empty()) {
    key("transcript");
    out += '[';
    for (std::size_t i = 0; i < transcript.size(); ++i) {
      const TranscriptEntry& e = transcript[i];
      if (i) out += ',';
      fmt::format_to(std::back_inserter(out), "{{\"who\":\"{}\",\"at_ms\":{}", patter::to_string(e.who), e.at_ms);
      if (e.node != kNone) {
        out += ",\"node\":\"";
        append_json_escaped(out, node_name(e.node));
        out += '"';
      }
      if (e.intent != kNone && e.intent < script.intents().size()) {
        out += ",\"intent\":\"";
        append_json_escaped(out, script.intents()[e.intent].name);
        out += '"';
      }
      out += ",\"text\":\"";
      append_json_escaped(out, e.text);
      out += "\"}";
    }
    out += ']';
  }
  out += '}';
  return out;
}

}  // namespace patter
