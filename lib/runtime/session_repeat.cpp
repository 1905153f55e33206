// "Say that again": the last line the robot said, whatever it was.

#include "runtime/session_engine.hpp"

namespace patter {

/// A `repeat: true` handler resumes with the line said before its own
/// answer: the node's line, a re-prompt, another handler's answer or a hold
/// line, in the phrasing that was said. Before any line: the node's.
void SessionEngine::say_again(std::uint8_t kind, std::uint32_t owner, std::uint32_t phrasing) {
  const NodeId at = s.st_.node;
  auto pick = [&](const std::vector<Template>& lines) -> const Template* {
    return lines.empty() ? nullptr : &lines[phrasing_of(phrasing, lines.size())];
  };
  switch (static_cast<LineKind>(kind)) {
    case LineKind::node:
      if (owner < sc.nodes().size()) return say_node(owner, phrasing);
      break;
    case LineKind::no_match:
    case LineKind::no_input:
      if (owner < sc.nodes().size()) {
        const Node& n = sc.nodes()[owner];
        const bool nm = static_cast<LineKind>(kind) == LineKind::no_match;
        return say(pick(nm ? n.no_match.reprompts : n.no_input.reprompts), {}, n.barge_in, owner,
                   static_cast<LineKind>(kind), owner, phrasing);
      }
      break;
    case LineKind::handler:
      if (owner < sc.globals().size()) {
        const GlobalHandler& g = sc.globals()[owner];
        return say(pick(g.lines), g.recording, sc.settings().barge_in, at, LineKind::handler, owner,
                   phrasing);
      }
      break;
    case LineKind::hold:
      return say(pick(sc.hold().lines), {}, sc.settings().barge_in, at, LineKind::hold, owner,
                 phrasing);
    case LineKind::clarify:  // "go ahead" again says nothing: the node's line instead
    case LineKind::none: break;
  }
  say_node(at, current_phrasing(at));
}

}  // namespace patter
