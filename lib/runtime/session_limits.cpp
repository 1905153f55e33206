// Limits and fallbacks: replies not understood, silence, re-prompts, and
// the call-wide limits that close the call.

#include "runtime/session_engine.hpp"

namespace patter {

/// A limit ends the call: the close node's line, then hang up for `reason`.
void SessionEngine::close_for(HangupReason reason, bool total) {
  t.decision_ = Decision::limit;
  t.limit_ = reason;
  const NodeId close = sc.limits().close_of(reason, total);
  if (close == kNone || closing) {
    hangup(reason, s.st_.node);
    return;
  }
  closing = true;
  forced = reason;
  enter(close);
}

void SessionEngine::no_match(std::uint32_t length, const Node& node) {
  const NodeId at = s.st_.node;
  const Limits& lim = sc.limits();
  bump(s.st_.no_matches);
  bump(s.st_.no_match_run);
  t.decision_ = Decision::no_match;
  if (lim.no_match_consecutive > 0 && s.st_.no_match_run >= lim.no_match_consecutive) {
    close_for(HangupReason::no_match);
    return;
  }
  if (lim.no_match_total > 0 &&
      s.st_.no_matches >= static_cast<std::uint32_t>(lim.no_match_total)) {
    close_for(HangupReason::no_match, /*total=*/true);
    return;
  }
  if (node.no_match.long_reply != kNone &&
      length > static_cast<std::uint32_t>(sc.settings().long_reply_chars)) {
    t.decision_ = Decision::long_reply;
    enter(node.no_match.long_reply);
    return;
  }
  if (at_total(node.no_match, s.st_.no_matches)) return;
  fallback(node.no_match, at, HangupReason::no_match, s.st_.no_match_tries);
}

void SessionEngine::silence() {
  const NodeId at = s.st_.node;
  const Node& node = sc.nodes()[at];
  const Limits& lim = sc.limits();
  bump(s.st_.silences);
  bump(s.st_.no_input_run);
  t.decision_ = Decision::no_input;
  if (s.st_.transcript) s.record(TranscriptEntry::Who::silence, now, at, kNone, {});
  if (lim.no_input_consecutive > 0 && s.st_.no_input_run >= lim.no_input_consecutive) {
    close_for(HangupReason::no_input);
    return;
  }
  if (lim.no_input_total > 0 && s.st_.silences >= static_cast<std::uint32_t>(lim.no_input_total)) {
    close_for(HangupReason::no_input, /*total=*/true);
    return;
  }
  if (at_total(node.no_input, s.st_.silences)) return;
  fallback(node.no_input, at, HangupReason::no_input, s.st_.no_input_tries);
}

bool SessionEngine::at_total(const Fallback& f, std::uint32_t count) {
  for (const auto& [n, to] : f.at_total)
    if (n == count) {
      enter(to);
      return true;
    }
  return false;
}

void SessionEngine::fallback(const Fallback& f, NodeId at, HangupReason limit,
                             std::uint8_t& tries) {
  if (tries < f.retries) {
    if (turns_over()) {
      close_for(HangupReason::max_turns);
      return;
    }
    ++tries;
    if (f.reprompts.empty())
      say_node(at, current_phrasing(at));
    else
      say(&f.reprompts[phrasing_of(tries - 1u, f.reprompts.size())], {}, sc.nodes()[at].barge_in,
          at, &f == &sc.nodes()[at].no_match ? LineKind::no_match : LineKind::no_input, at,
          tries - 1u);
    listen(at);
    return;
  }
  if (f.then != kNone) {
    enter(f.then);
    return;
  }
  close_for(limit);
}

}  // namespace patter
