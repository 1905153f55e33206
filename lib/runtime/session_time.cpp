// Time variables: the customer's words for a moment ("明天下午三点",
// "tomorrow at 3 pm"), read against the host's clock (the event's at_ms,
// ms since 1970 UTC) in the script's `settings.time_zone`.

#include "patter/time_mention.hpp"
#include "runtime/session_engine.hpp"

namespace patter {

/// The capture's words are kept as the customer said them; the moment comes
/// from the whole reply as the matcher normalised it, where find_time reads
/// (a capture of "明天下午三点" names the same first time as the reply).
/// A reply that names no time leaves the variable as it was.
void SessionEngine::capture_time(VariableId v, std::string_view words, const Understanding& u) {
  const auto when = find_time(u.normalized(), static_cast<std::int64_t>(now), sc.time_zone());
  if (!when) return;
  SessionAccess::set_time(s, v, when->utc_ms, words);
}

}  // namespace patter
