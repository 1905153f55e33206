// Which requests come from the desk's own pages: the Host they name must be
// one the desk answers to, and a browser's Origin must be that same place.
//
//   webdesk::OriginCheck check({"localhost", "desk.example.com"}, /*tls=*/true);
//   check.host_ok("desk.example.com:8443");                                   // true
//   check.origin_ok("https://desk.example.com:8443", "desk.example.com:8443"); // true
//   check.origin_ok("https://evil.example", "desk.example.com:8443");         // false
//
// The Origin check stops another site's page in the person's browser from
// opening the desk's WebSocket (cross-site WebSocket hijacking); the Host
// check stops a site whose name was pointed at the desk's address (DNS
// rebinding): addresses typed as numbers and the names given here only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace webdesk {

class OriginCheck {
 public:
  OriginCheck(std::vector<std::string> names, bool tls);

  /// A Host header ("127.0.0.1:8080", "[::1]:8080", "desk.example.com").
  bool host_ok(std::string_view host) const;
  /// An Origin header, for a request whose Host is `host`.
  bool origin_ok(std::string_view origin, std::string_view host) const;
  /// "http" or "https".
  std::string_view scheme() const { return tls_ ? "https" : "http"; }

 private:
  std::vector<std::string> names_;
  bool tls_;
};

}  // namespace webdesk
