// What a page sends over its WebSocket, as a Command for the campaign:
//   {"cmd":"grab","call":12}            {"cmd":"take_next"}
//   {"cmd":"reply","call":12,"text":"..."}
//   {"cmd":"hand_back","call":12,"node":"ask_owner"}
//   {"cmd":"end","call":12,"reason":"completed"}
//   {"cmd":"start_training"}
//   a supervisor's: {"cmd":"watch","call":12}  {"cmd":"whisper","call":12,"text":"..."}
//   {"cmd":"barge","call":12}  {"cmd":"take_over","call":12}  {"cmd":"leave","call":12}
//   {"cmd":"reassign","call":12,"to":"agent02"}  {"cmd":"note","call":12,"text":"..."}
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "live_campaign.hpp"

namespace webdesk {

/// The command, or why the text is not one (in `error`, quoting at most a
/// few dozen bytes of it: a refusal never sends a big command back).
std::optional<Command> parse_page_command(std::string_view json, std::string* error);

}  // namespace webdesk

namespace webdesk {

/// `text`, or its first `max_bytes` (whole UTF-8 characters) and "...".
std::string quote_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace webdesk
