// HTTP and WebSocket sessions with Boost.Beast. Everything here runs on the
// one thread that calls run(): no locks, only posts from other threads.
#include "web_server.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <deque>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace webdesk {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// More than this many messages unsent: the page is too slow, close it.
constexpr std::size_t kMaxBacklog = 20000;

std::string_view content_type(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

}  // namespace

class Page;
class HttpConnection;

struct ServerState : std::enable_shared_from_this<ServerState> {
  using Handlers = WebServer::Handlers;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::steady_timer stop_timer{ioc};
  std::string root;
  Handlers handlers;
  std::uint64_t next_page = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<Page>> pages;
  std::vector<std::weak_ptr<HttpConnection>> connections;  // for shutdown
  std::atomic<std::size_t> page_count{0};

  void accept();
  void deliver(const std::vector<Update>& updates);
  void opened(const std::shared_ptr<Page>& p);
  void closed(std::uint64_t id);
  void shutdown();
};

/// One open page: its WebSocket, its topics, what is still to be sent.
class Page : public std::enable_shared_from_this<Page> {
 public:
  Page(tcp::socket socket, std::shared_ptr<ServerState> server)
      : ws_(std::move(socket)), server_(std::move(server)) {}

  std::uint64_t id = 0;
  std::unordered_set<std::string> topics;
  std::string query;

  void accept(http::request<http::string_body> req) {
    const std::string_view target(req.target().data(), req.target().size());
    const auto q = target.find('?');
    query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    beast::get_lowest_layer(ws_).expires_never();
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->server_->opened(self);
    });
  }

  void start_reading() {
    ws_.text(true);
    ws_.auto_fragment(false);         // one frame per update
    ws_.read_message_max(64 * 1024);  // commands are small
    read();
  }

  void send(std::shared_ptr<const std::string> text) {
    if (closing_) return;
    if (backlog_.size() >= kMaxBacklog) {
      std::cerr << "web desk: page " << id << " is too slow to keep up; closing it\n";
      drop();
      return;
    }
    backlog_.push_back(std::move(text));
    if (backlog_.size() == 1) write();
  }

  /// Turn the page away before anything was sent to it; it sees why.
  void refuse(const std::string& why) {
    closing_ = true;
    ws_.async_close(
        websocket::close_reason(websocket::close_code::policy_error, why.substr(0, 120)),
        [self = shared_from_this()](beast::error_code) {});
  }

  /// Close the connection at once: its pending reads and writes end.
  void drop() {
    closing_ = true;
    backlog_.clear();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  void read() {
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->server_->closed(self->id);
        return;
      }
      const std::string text = beast::buffers_to_string(self->in_.data());
      self->in_.consume(self->in_.size());
      if (self->server_->handlers.message) self->server_->handlers.message(self->id, text);
      self->read();
    });
  }

  void write() {
    ws_.async_write(net::buffer(*backlog_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) {
                        self->backlog_.clear();
                        return;
                      }
                      if (!self->backlog_.empty()) self->backlog_.pop_front();
                      if (!self->backlog_.empty()) self->write();
                    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<ServerState> server_;
  beast::flat_buffer in_;
  std::deque<std::shared_ptr<const std::string>> backlog_;
  bool closing_ = false;
};

/// One HTTP connection: files, or the upgrade to a page's WebSocket.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(tcp::socket socket, std::shared_ptr<ServerState> server)
      : stream_(std::move(socket)), server_(std::move(server)) {}

  void start() { read(); }
  void drop() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

 private:
  void read() {
    req_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, req_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return;
                       self->handle();
                     });
  }

  void handle() {
    const std::string_view target(req_.target().data(), req_.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    if (websocket::is_upgrade(req_)) {
      if (path != "/ws")
        return respond(http::status::not_found, "text/plain", "WebSocket is at /ws\n");
      beast::get_lowest_layer(stream_).expires_never();
      auto page = std::make_shared<Page>(stream_.release_socket(), server_);
      page->accept(std::move(req_));
      return;
    }
    if (req_.method() != http::verb::get && req_.method() != http::verb::head)
      return respond(http::status::method_not_allowed, "text/plain", "GET only\n");
    // The page's own files only: no paths into the rest of the disk.
    std::string file;
    if (path == "/" || path == "/index.html")
      file = "index.html";
    else if (path == "/desk.css")
      file = "desk.css";
    else if (path == "/desk.js")
      file = "desk.js";
    else
      return respond(http::status::not_found, "text/plain", "not found\n");
    std::ifstream in(server_->root + "/" + file, std::ios::binary);
    if (!in)
      return respond(
          http::status::internal_server_error, "text/plain",
          "cannot read " + server_->root + "/" + file + ": start the server with --web-root DIR\n");
    std::ostringstream body;
    body << in.rdbuf();
    respond(http::status::ok, content_type(file), body.str());
  }

  void respond(http::status status, std::string_view type, std::string body) {
    auto res = std::make_shared<http::response<http::string_body>>(status, req_.version());
    res->set(http::field::server, "patter-web-desk");
    res->set(http::field::content_type, std::string(type));
    res->set(http::field::cache_control, "no-store");
    res->keep_alive(req_.keep_alive());
    if (req_.method() != http::verb::head) res->body() = std::move(body);
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (res->need_eof()) {
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        self->read();
                      });
  }

  beast::tcp_stream stream_;
  std::shared_ptr<ServerState> server_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
};

void ServerState::accept() {
  acceptor.async_accept(
      net::make_strand(ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
        if (!self->acceptor.is_open()) return;
        if (!ec) {
          s.set_option(tcp::no_delay(true), ec);  // updates are small: send each at once
          auto c = std::make_shared<HttpConnection>(std::move(s), self);
          std::erase_if(self->connections, [](const auto& w) { return w.expired(); });
          self->connections.push_back(c);
          c->start();
        }
        self->accept();
      });
}

void ServerState::opened(const std::shared_ptr<Page>& p) {
  p->id = next_page++;
  std::string error;
  std::optional<std::vector<std::string>> topics;
  if (handlers.open) topics = handlers.open(p->id, p->query, &error);
  if (!topics) {
    p->refuse(error);
    return;
  }
  p->topics.insert(topics->begin(), topics->end());
  pages.emplace(p->id, p);
  page_count = pages.size();
  p->start_reading();
}

void ServerState::closed(std::uint64_t id) {
  if (pages.erase(id) == 0) return;
  page_count = pages.size();
  if (handlers.close) handlers.close(id);
}

void ServerState::deliver(const std::vector<Update>& updates) {
  for (const Update& u : updates) {
    auto text = std::make_shared<const std::string>(u.json);
    if (u.to) {
      const auto it = pages.find(u.to);
      if (it != pages.end()) it->second->send(text);
      continue;
    }
    for (auto& [id, page] : pages)
      for (const std::string& t : u.topics)
        if (page->topics.count(t)) {
          page->send(text);
          break;
        }
  }
}

WebServer::WebServer(const std::string& host, std::uint16_t port, std::string web_root,
                     Handlers handlers)
    : impl_(std::make_shared<ServerState>()) {
  impl_->root = std::move(web_root);
  impl_->handlers = std::move(handlers);
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec)
    throw std::runtime_error("`" + host +
                             "` is not an IP address: give one such as 127.0.0.1 with --host");
  const tcp::endpoint endpoint(address, port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (ec == net::error::address_in_use)
    throw std::runtime_error(
        "port " + std::to_string(port) + " on " + host +
        " is in use: pick another with --port N, or --port 0 for any free port");
  if (ec == net::error::access_denied)
    throw std::runtime_error("no permission to listen on port " + std::to_string(port) +
                             ": use a port above 1023, or --port 0 for any free port");
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             ec.message());
}

WebServer::~WebServer() {
  stop();
  impl_->shutdown();
}

std::uint16_t WebServer::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void WebServer::run() {
  impl_->accept();
  impl_->signals.async_wait([impl = impl_](beast::error_code ec, int) {
    if (!ec) impl->ioc.stop();
  });
  impl_->ioc.run();
}

// Close everything and let the handlers still queued run (with errors), so
// the sessions they keep alive are freed.
void ServerState::shutdown() {
  beast::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  stop_timer.cancel();
  for (auto& [id, p] : pages) p->drop();
  pages.clear();
  for (auto& w : connections)
    if (auto c = w.lock()) c->drop();
  connections.clear();
  ioc.restart();
  ioc.run_for(std::chrono::seconds(2));
}

void WebServer::stop() {
  impl_->ioc.stop();
}

void WebServer::stop_after(std::uint32_t seconds) {
  impl_->stop_timer.expires_after(std::chrono::seconds(seconds));
  impl_->stop_timer.async_wait([impl = impl_](beast::error_code ec) {
    if (!ec) impl->ioc.stop();
  });
}

void WebServer::deliver(std::vector<Update> updates) {
  net::post(impl_->ioc, [impl = impl_, u = std::move(updates)] { impl->deliver(u); });
}

std::size_t WebServer::pages() const {
  return impl_->page_count;
}

}  // namespace webdesk
