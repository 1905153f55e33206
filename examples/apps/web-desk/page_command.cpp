#include "page_command.hpp"

#include <nlohmann/json.hpp>

namespace webdesk {
namespace {

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80           ? 1
                    : (b >> 5) == 0x6  ? 2
                    : (b >> 4) == 0xE  ? 3
                    : (b >> 3) == 0x1E ? 4
                                       : 0;
    if (n == 0 || i + n > s.size()) return false;
    char32_t c = n == 1 ? b : b & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto x = static_cast<unsigned char>(s[i + k]);
      if ((x & 0xC0) != 0x80) return false;
      c = (c << 6) | (x & 0x3F);
    }
    const bool overlong = (n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000);
    if (overlong || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

}  // namespace

std::string quote_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t n = max_bytes;
  // Never cut a UTF-8 sequence: back up to the start of a character.
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return std::string(text.substr(0, n)) + "...";
}

namespace {

std::optional<Command> fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return std::nullopt;
}

std::optional<Command::Kind> kind_of(const std::string& cmd) {
  if (cmd == "grab") return Command::Kind::grab;
  if (cmd == "take_next") return Command::Kind::take_next;
  if (cmd == "reply") return Command::Kind::reply;
  if (cmd == "hand_back") return Command::Kind::hand_back;
  if (cmd == "end") return Command::Kind::end;
  if (cmd == "start_training") return Command::Kind::start_training;
  if (cmd == "watch") return Command::Kind::watch;
  if (cmd == "whisper") return Command::Kind::whisper;
  if (cmd == "barge") return Command::Kind::barge;
  if (cmd == "take_over") return Command::Kind::take_over;
  if (cmd == "reassign") return Command::Kind::reassign;
  if (cmd == "note") return Command::Kind::note;
  if (cmd == "leave") return Command::Kind::leave;
  return std::nullopt;
}

bool needs_call(Command::Kind k) {
  using K = Command::Kind;
  return k != K::open && k != K::close && k != K::take_next && k != K::start_training;
}

/// The string field a command carries, if any.
const char* text_field(Command::Kind k) {
  using K = Command::Kind;
  switch (k) {
    case K::reply:
    case K::whisper:
    case K::note: return "text";
    case K::hand_back: return "node";
    case K::end: return "reason";
    case K::reassign: return "to";
    default: return nullptr;
  }
}

/// The call number: a whole number from 1 up, as JSON writes one (not a
/// string, not negative, not past 2^64 - 1, which the parser keeps as a float).
bool read_call(const nlohmann::json& tree, Command& c, std::string* error) {
  const auto it = tree.find("call");
  if (it == tree.end()) return fail(error, "`call` is missing: give the call's number").has_value();
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0)
    return fail(error, "`call` must be a call number (a whole number from 1), not " +
                           quote_prefix(it->dump(), 24))
        .has_value();
  c.call = it->get<patter::CallId>();
  return true;
}

}  // namespace

std::optional<Command> parse_page_command(std::string_view json, std::string* error) {
  const nlohmann::json tree = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (tree.is_discarded()) return fail(error, "not JSON: `" + quote_prefix(json, 40) + "`");
  if (!tree.is_object())
    return fail(error, "a command is a JSON object such as {\"cmd\":\"grab\"}");
  const auto cmd = tree.find("cmd");
  if (cmd == tree.end() || !cmd->is_string()) return fail(error, "`cmd` is missing");
  const auto kind = kind_of(cmd->get<std::string>());
  if (!kind)
    return fail(error, "unknown command `" + quote_prefix(cmd->get<std::string>(), 40) + "`");
  Command c;
  c.kind = *kind;
  if (needs_call(c.kind) && !read_call(tree, c, error)) return std::nullopt;
  if (const char* field = text_field(c.kind)) {
    const auto it = tree.find(field);
    if (it != tree.end() && !it->is_string())
      return fail(error, std::string("`") + field + "` must be a string");
    if (it != tree.end()) c.text = it->get<std::string>();
  }
  // The text goes out to other pages, whose browsers drop a connection on
  // invalid UTF-8 (a lone surrogate escape decodes to such bytes).
  if (!valid_utf8(c.text)) return fail(error, "the text is not valid UTF-8");
  return c;
}

}  // namespace webdesk
