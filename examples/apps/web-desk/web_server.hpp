// The page server: HTTP for the page's three files, a WebSocket per open
// page for the updates, on one thread (Boost.Beast over Boost.Asio).
//
//   webdesk::WebServer server("127.0.0.1", 0, "examples/apps/web-desk/web", handlers);  // binds
//   now std::cout << "http://127.0.0.1:" << server.port() << "/\n"; server.run(); // until stop(),
//   from any thread
//   // from any thread: server.deliver(updates);
//
// A page opens `/ws?view=agent&name=agent01`; `handlers.open` decides what
// it is (its topics) or refuses it. Updates go to every page subscribed to
// one of their topics, or to one page by id; a page that cannot keep up
// (too much unsent) is closed rather than let the server's memory grow.
// Beast's types stay in web_server.cpp: this header is plain C++.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "live_campaign.hpp"

namespace webdesk {

struct ServerState;

class WebServer {
 public:
  struct Handlers {
    /// A page opened its WebSocket with this query string; give its topics,
    /// or nullopt (and why, in `error`) to refuse it. On the server's thread.
    std::function<std::optional<std::vector<std::string>>(
        std::uint64_t page, std::string_view query, std::string* error)>
        open;
    /// A text message from the page.
    std::function<void(std::uint64_t page, std::string_view text)> message;
    /// The page went away.
    std::function<void(std::uint64_t page)> close;
  };

  /// Binds and listens at once; throws std::runtime_error with a message a
  /// person can act on (port in use, no such address).
  WebServer(const std::string& host, std::uint16_t port, std::string web_root, Handlers handlers);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  std::uint16_t port() const;
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

}  // namespace webdesk
