// A handoff summary as a person reads it (labels in the script's locale)
// and as a screen receives it (JSON).
#include <fmt/format.h>

#include "patter/handoff.hpp"
#include "patter/json_writer.hpp"

namespace patter {

namespace {

/// The words of one summary, in one language.
struct Labels {
  const char *title, *no_transcript, *customer, *escalated, *not_escalated, *priority, *at,
      *by_handler, *grabbed, *score_reached, *said, *call, *since_escalation, *score, *grade,
      *asked, *heard, *learned, *path, *none, *sep, *open_quote, *close_quote, *open_paren,
      *close_paren;
  const char *seconds, *minutes;  // "{} s" / "{} min {:02} s"
};

constexpr Labels kChinese{"交接摘要",
                          "（未保留通话记录：只有计数，没有原话）",
                          "客户：",
                          "转人工：",
                          "未转人工",
                          "优先级 ",
                          "，在 ",
                          "，由全局应答 ",
                          "人工接管（脚本未转人工）",
                          "，评分达到 ",
                          "；客户说：",
                          "通话：",
                          "转人工后 ",
                          "评分 ",
                          "，等级 ",
                          "问过：",
                          "听到：",
                          "了解到：",
                          "路径：",
                          "（无）",
                          "；",
                          "“",
                          "”",
                          "（",
                          "）",
                          "{}秒",
                          "{}分{:02}秒"};

constexpr Labels kEnglish{"Handoff",
                          " (no transcript kept: counts only, no words)",
                          "Customer: ",
                          "Escalated: ",
                          "Not escalated",
                          "priority ",
                          " at ",
                          ", by the global handler for ",
                          "Taken over by a person (the script did not escalate)",
                          ", score reached ",
                          "; the customer said: ",
                          "Call: ",
                          "since the escalation: ",
                          "score ",
                          ", grade ",
                          "Asked: ",
                          "Heard: ",
                          "Learned: ",
                          "Path: ",
                          "(none)",
                          "; ",
                          "“",
                          "”",
                          " (",
                          ")",
                          "{} s",
                          "{} min {:02} s"};

const Labels& labels_for(const std::string& locale) {
  return locale.rfind("zh", 0) == 0 ? kChinese : kEnglish;
}

std::string duration(const Labels& l, std::uint64_t ms) {
  const std::uint64_t s = ms / 1000;
  return s < 60 ? fmt::format(fmt::runtime(l.seconds), s)
                : fmt::format(fmt::runtime(l.minutes), s / 60, s % 60);
}

/// Appends each part (one `append` each: no temporaries to concatenate).
template <class... Parts>
void add(std::string& out, const Parts&... parts) {
  (out.append(std::string_view(parts)), ...);
}

std::string value_list(const Labels& l, const std::vector<HandoffSummary::Value>& vs) {
  if (vs.empty()) return l.none;
  std::string out;
  for (const auto& v : vs) add(out, out.empty() ? "" : l.sep, v.name, "=", v.value);
  return out;
}

std::string escalation_line(const Labels& l, const HandoffSummary& s) {
  if (!s.escalated) return l.not_escalated;
  std::string out;
  if (s.grabbed) {
    add(out, l.grabbed);
  } else {
    add(out, l.escalated, to_string(s.reason), l.open_paren, l.priority, to_string(s.priority));
    if (s.score_escalated) add(out, l.score_reached, std::to_string(s.escalate_score));
    add(out, l.close_paren, l.at, s.escalation_node);
  }
  if (!s.handler.empty()) add(out, l.by_handler, s.handler);
  if (!s.trigger.empty()) add(out, l.said, l.open_quote, s.trigger, l.close_quote);
  return out;
}

std::string questions_line(const Labels& l, const HandoffSummary& s) {
  if (s.questions.empty()) return l.none;
  std::string out;
  for (const auto& q : s.questions) {
    add(out, out.empty() ? "" : l.sep, q.intent);
    if (!q.words.empty()) add(out, " ", l.open_quote, q.words, l.close_quote);
    if (!q.node.empty()) add(out, l.open_paren, q.node, l.close_paren);
    if (q.times > 1) add(out, fmt::format(" ×{}", q.times));
  }
  return out;
}

std::string heard_line(const Labels& l, const std::vector<HandoffSummary::Heard>& intents) {
  if (intents.empty()) return l.none;
  std::string out;
  for (const auto& h : intents) {
    add(out, out.empty() ? "" : l.sep, h.intent);
    if (h.count > 1) add(out, fmt::format(" ×{}", h.count));
  }
  return out;
}

std::string path_line(const Labels& l, const std::vector<std::string>& path) {
  if (path.empty()) return l.none;
  std::string out;
  for (const auto& n : path) add(out, out.empty() ? "" : " → ", n);
  return out;
}

}  // namespace

std::string HandoffSummary::to_text() const {
  const Labels& l = labels_for(locale);
  std::string out =
      fmt::format("{} · {} {}{}\n", l.title, script, version, transcript ? "" : l.no_transcript);
  add(out, l.customer, value_list(l, customer), "\n", escalation_line(l, *this), "\n");
  add(out, l.call, duration(l, duration_ms));
  if (waiting_ms) add(out, l.sep, l.since_escalation, duration(l, waiting_ms));
  add(out, fmt::format("{}{}{}{}{}\n", l.sep, l.score, score, l.grade, grade));
  add(out, l.asked, questions_line(l, *this), "\n", l.heard, heard_line(l, intents), "\n");
  add(out, l.learned, value_list(l, learned), "\n", l.path, path_line(l, path), "\n");
  return out;
}

std::string HandoffSummary::to_json() const {
  JsonWriter w;
  w.object()
      .field("script", script)
      .field("version", version)
      .field("locale", locale)
      .field("transcript", transcript);
  auto value_object = [&](std::string_view key, const std::vector<Value>& vs) {
    w.key(key).object();
    for (const Value& v : vs) w.field(v.name, v.value);
    w.end();
  };
  value_object("customer", customer);
  value_object("learned", learned);
  w.key("questions").array();
  for (const Question& q : questions) {
    w.object().field("intent", q.intent).field("times", q.times);
    if (!q.words.empty()) w.field("words", q.words).field("node", q.node).field("at_ms", q.at_ms);
    w.end();
  }
  w.end().key("intents").array();
  for (const Heard& h : intents) w.object().field("intent", h.intent).field("count", h.count).end();
  w.end().field("score", score).field("grade", grade).field("escalated", escalated);
  if (escalated) {
    w.field("grabbed", grabbed);
    if (!grabbed)
      w.field("reason", to_string(reason))
          .field("priority", to_string(priority))
          .field("score_escalated", score_escalated);
    w.field("node", escalation_node);
    if (!handler.empty()) w.field("handler", handler);
    if (!trigger.empty()) w.field("trigger", trigger);
  }
  w.field("duration_ms", duration_ms).field("waiting_ms", waiting_ms).key("path").values(path);
  return w.end().take();
}

}  // namespace patter
