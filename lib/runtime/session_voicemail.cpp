// Voicemail: an answering machine took the call; the script's message for
// it, if it has one, is left before the robot hangs up.

#include "runtime/session_engine.hpp"

namespace patter {

void SessionEngine::leave_voicemail() {
  const std::optional<Voicemail>& vm = sc.voicemail();
  if (!vm) return;
  // Nobody listens to interrupt a machine: the message is said whole.
  say(vm->lines.empty() ? nullptr : &vm->lines.front(), vm->recording, /*barge_in=*/false,
      s.st_.node, LineKind::none, kNone, 0);
}

}  // namespace patter
