#include "page_command.hpp"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <sstream>

namespace webdesk {

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
  if (cmd == "grab") c.kind = Command::Kind::grab;
  else if (cmd == "take_next") c.kind = Command::Kind::take_next;
  else if (cmd == "reply") c.kind = Command::Kind::reply;
  else if (cmd == "hand_back") c.kind = Command::Kind::hand_back;
  else if (cmd == "end") c.kind = Command::Kind::end;
  else if (cmd == "start_training") c.kind = Command::Kind::start_training;
  else {
    if (error) *error = "unknown command `" + cmd + "`";
    return std::nullopt;
  }
  c.call = tree.get<patter::CallId>("call", 0);
  if (c.kind == Command::Kind::reply) c.text = tree.get<std::string>("text", "");
  if (c.kind == Command::Kind::hand_back) c.text = tree.get<std::string>("node", "");
  if (c.kind == Command::Kind::end) c.text = tree.get<std::string>("reason", "");
  return c;
}

}  // namespace webdesk
