// Saying a line on after words that were no interruption.

#include "runtime/session_engine.hpp"

namespace patter {

/// The host paused the last line said for words that were no
/// interruption: say it on from where it stopped.
void SessionEngine::resume_line(std::uint32_t offset_ms) {
  const Template* line = nullptr;
  std::string_view recording;
  bool barge_in = sc.settings().barge_in;
  NodeId node = s.st_.node;
  const std::uint32_t owner = s.st_.line_owner;
  const std::uint32_t p = s.st_.line_phrasing;
  auto pick = [&](const std::vector<Template>& lines) {
    if (!lines.empty()) line = &lines[phrasing_of(p, lines.size())];
  };
  switch (static_cast<LineKind>(s.st_.line_kind)) {
    case LineKind::none: return;
    case LineKind::node:
      if (const Variant* v = variant_line(sc.nodes()[owner])) {
        pick(v->lines);
        recording = v->recording;
      } else {
        pick(sc.nodes()[owner].lines);
        recording = sc.nodes()[owner].recording;
      }
      barge_in = sc.nodes()[owner].barge_in;
      node = owner;
      break;
    case LineKind::no_match:
    case LineKind::no_input: {
      const Node& n = sc.nodes()[owner];
      pick(static_cast<LineKind>(s.st_.line_kind) == LineKind::no_match ? n.no_match.reprompts
                                                                        : n.no_input.reprompts);
      barge_in = n.barge_in;
      node = owner;
      break;
    }
    case LineKind::handler:
      pick(sc.globals()[owner].lines);
      recording = sc.globals()[owner].recording;
      barge_in = sc.globals()[owner].interrupt != Interrupt::never;
      break;
    case LineKind::hold: pick(sc.hold().lines); break;
    case LineKind::clarify:
      line = &sc.settings().clarify;
      node = owner;
      barge_in = true;
      break;
  }
  const std::string_view text = line ? put_line(line) : std::string_view();
  Action& a = push(ActionType::resume_line, node);
  a.text = text;
  a.recording = recording;
  a.barge_in = barge_in;
  a.offset_ms = offset_ms;
}

}  // namespace patter
