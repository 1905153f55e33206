#include "view.hpp"

namespace webdesk {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> View::topics() const {
  switch (kind) {
    case Kind::agent: return {"agent:" + name, "summary:" + name};
    case Kind::trainee: {
      std::vector<std::string> t = {"agent:" + name, "trainee:" + name, "summary:" + name};
      if (!follow.empty()) t.push_back("agent:" + follow);
      return t;
    }
    case Kind::supervisor: break;
  }
  return {"wall", "summary:all"};
}

std::string_view View::kind_name() const {
  switch (kind) {
    case Kind::agent: return "agent";
    case Kind::trainee: return "trainee";
    case Kind::supervisor: break;
  }
  return "supervisor";
}

std::optional<View> View::parse(std::string_view query, std::string* error) {
  View v;
  std::string kind;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = url_decode(pair.substr(0, eq));
    std::string value = url_decode(pair.substr(eq + 1));
    if (key == "view")
      kind = std::move(value);
    else if (key == "name")
      v.name = std::move(value);
    else if (key == "follow")
      v.follow = std::move(value);
  }
  if (kind == "agent")
    v.kind = Kind::agent;
  else if (kind == "trainee")
    v.kind = Kind::trainee;
  else if (kind == "supervisor" || kind.empty())
    v.kind = Kind::supervisor;
  else {
    if (error) *error = "unknown view `" + kind + "`: agent, trainee or supervisor";
    return std::nullopt;
  }
  if (v.kind != Kind::supervisor && v.name.empty()) {
    if (error) *error = "an " + kind + " view needs a name (name=...)";
    return std::nullopt;
  }
  return v;
}

}  // namespace webdesk
