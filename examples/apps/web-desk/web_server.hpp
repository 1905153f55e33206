// The page server: HTTP for the page's files and sign-in, a WebSocket per
// open page for the updates, on one thread (Boost.Beast over Boost.Asio,
// with TLS from libssl when given a certificate).
//
//   webdesk::WebServer::Options o;  // host, port, web root, TLS, limits, names
//   webdesk::WebServer server(o, handlers);   // binds, or throws with what to do
//   std::cout << server.url() << "\n";        // the address that works
//   server.run();                             // until stop(), from any thread
//   // from any thread: server.deliver(updates);
//
// Nobody gets past the sign-in page without a session cookie; a page's
// WebSocket is refused (401) without one and (403) from a foreign Origin or
// Host. A signed-in page opens `/ws?view=agent&name=agent01`;
// `handlers.open` decides what it may see (its topics) or refuses it.
// Updates go to every page subscribed to one of their topics, or to one
// page by id; a page with more unsent bytes than the limit is cut off.
// Beast's types stay in web_server.cpp: this header is plain C++.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "command_line.hpp"
#include "live_campaign.hpp"

namespace webdesk {

struct ServerState;

class WebServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::string web_root;
    std::string tls_cert, tls_key;  ///< both or neither
    std::string server_name;        ///< the name people type (else the address, or the machine's)
    ServerLimits limits;
  };

  struct Handlers {
    /// A sign-in attempt: the account's name when the password is right.
    std::function<std::optional<std::string>(std::string_view name, std::string_view password)>
        sign_in;
    /// The query string of the signed-in person's own page ("view=agent&name=agent01").
    std::function<std::string(const std::string& person)> home;
    /// A signed-in person's page opened its WebSocket with this query
    /// string; give its topics, or nullopt (and why, in `error`) to refuse
    /// it. On the server's thread.
    std::function<std::optional<std::vector<std::string>>(
        std::uint64_t page, const std::string& person, std::string_view query, std::string* error)>
        open;
    /// A text message from the page.
    std::function<void(std::uint64_t page, std::string_view text)> message;
    /// The page went away.
    std::function<void(std::uint64_t page)> close;
  };

  /// Binds and listens at once; throws std::runtime_error with a message a
  /// person can act on (port in use, no such address, unreadable key).
  WebServer(Options options, Handlers handlers);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  std::uint16_t port() const;
  /// The address to open: https when serving TLS, a name or address that
  /// reaches this server (the machine's name when bound to every address).
  std::string url() const;
  /// Serve until stop() (or SIGINT/SIGTERM).
  void run();
  /// From any thread.
  void stop();
  /// From any thread: queued to the server's thread.
  void deliver(std::vector<Update> updates);
  /// Stop after this long (for smoke tests), from the server's own clock.
  void stop_after(std::uint32_t seconds);
  /// Pages open now (for logs).
  std::size_t pages() const;

 private:
  std::shared_ptr<ServerState> impl_;
};

/// Whether `host` is a loopback address (127.0.0.0/8, ::1), where only this
/// machine's users can connect; false for names and for anything else.
bool is_loopback(const std::string& host);

}  // namespace webdesk
