// Who a page is for: an agent at their robots, a trainee listening in (or
// in training), or a supervisor. Chosen in the page's address
// (`/?view=agent&name=agent01`) and sent again when it opens its WebSocket.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webdesk {

struct View {
  enum class Kind { agent, trainee, supervisor };
  Kind kind = Kind::supervisor;
  std::string name;    ///< agent or trainee
  std::string follow;  ///< trainee: the agent whose calls they listen in on

  /// What the page hears about: "agent:NAME" (the calls an agent supervises
  /// or talks on), "trainee:NAME" (training decisions), "wall" (every call,
  /// briefly), "summary:all" (queue, every person's load, funnel: the
  /// supervisor's) and "summary:NAME" (the same with NAME's load alone).
  std::vector<std::string> topics() const;
  std::string_view kind_name() const;

  /// From a query string ("view=trainee&name=trainee01&follow=agent01").
  static std::optional<View> parse(std::string_view query, std::string* error);
};

/// A query string's or a form's value with %XX and `+` decoded.
std::string url_decode(std::string_view s);

}  // namespace webdesk
