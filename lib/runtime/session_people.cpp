// The words of the people on a call (Event::agent_said): kept in the
// transcript with who said them, and nothing else. A person's words never
// route the call, count as a turn or move the score: the robot is silent
// while a person has the call, and its statistics stay the customer's.
#include "patter/session.hpp"

#include "runtime/session_state.hpp"
#include "text/utf8.hpp"

namespace patter {

namespace {

bool only_spaces(std::string_view s) noexcept {
  for (const char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}

}  // namespace

Status Session::check_words(const Event& e) const noexcept {
  if (only_spaces(e.text)) return Status::no_text;
  if (e.speaker.size() > kMaxSpeakerBytes) return Status::bad_text;
  if (detail::find_invalid_utf8(e.speaker) != std::string_view::npos) return Status::bad_text;
  // Only the part the transcript keeps is read: a huge text costs no more.
  if (detail::find_invalid_utf8(detail::utf8_head(e.text, kTranscriptTextMax)) !=
      std::string_view::npos)
    return Status::bad_text;
  return Status::ok;
}

void Session::person_said(const Event& e, Turn& t) {
  t.decision_ = Decision::human;
  if (!st_.transcript) return;
  record(TranscriptEntry::Who::agent, e.at_ms, st_.node, kNone, e.text);
  st_.transcript->lines.back().speaker.assign(e.speaker);
}

}  // namespace patter
