#include "page_command.hpp"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <sstream>

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

std::optional<Command> parse_page_command(std::string_view json, std::string* error) {
  namespace pt = boost::property_tree;
  pt::ptree tree;
  try {
    std::istringstream in{std::string(json)};
    pt::read_json(in, tree);
  } catch (const pt::json_parser_error& e) {
    if (error) *error = "not JSON: " + e.message();
    return std::nullopt;
  }
  const std::string cmd = tree.get<std::string>("cmd", "");
  Command c;
  if (cmd == "grab")
    c.kind = Command::Kind::grab;
  else if (cmd == "take_next")
    c.kind = Command::Kind::take_next;
  else if (cmd == "reply")
    c.kind = Command::Kind::reply;
  else if (cmd == "hand_back")
    c.kind = Command::Kind::hand_back;
  else if (cmd == "end")
    c.kind = Command::Kind::end;
  else if (cmd == "start_training")
    c.kind = Command::Kind::start_training;
  else {
    if (error) *error = "unknown command `" + cmd + "`";
    return std::nullopt;
  }
  try {
    c.call = tree.get<patter::CallId>("call", 0);
  } catch (const pt::ptree_bad_data&) {
    if (error) *error = "`call` must be a call number";
    return std::nullopt;
  }
  if (c.kind == Command::Kind::reply) c.text = tree.get<std::string>("text", "");
  if (c.kind == Command::Kind::hand_back) c.text = tree.get<std::string>("node", "");
  if (c.kind == Command::Kind::end) c.text = tree.get<std::string>("reason", "");
  // The text goes out to other pages, whose browsers drop a connection on
  // invalid UTF-8 (a lone surrogate escape decodes to such bytes).
  if (!valid_utf8(c.text)) {
    if (error) *error = "the text is not valid UTF-8";
    return std::nullopt;
  }
  return c;
}

}  // namespace webdesk
