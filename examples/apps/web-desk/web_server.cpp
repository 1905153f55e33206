// HTTP and WebSocket sessions with Boost.Beast, plain or over TLS (the same
// code, templated on the stream). Everything here runs on the one thread
// that calls run(): no locks, only posts from other threads.
#include "web_server.hpp"

#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <atomic>
#include <deque>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "origin_check.hpp"
#include "session_cookies.hpp"
#include "view.hpp"

namespace webdesk {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

namespace {

constexpr std::size_t kMaxRequestBody = 8 * 1024;  // a sign-in form
// Passwords are checked on their own thread, each taking ~0.1 s and 64 MiB:
// past this many waiting, a sign-in is turned away rather than queued.
constexpr std::size_t kMaxSignInsWaiting = 4;

std::string_view content_type(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

std::string_view header(const Request& req, http::field f) {
  const auto it = req.find(f);
  return it == req.end() ? std::string_view()
                         : std::string_view(it->value().data(), it->value().size());
}

/// A field of an application/x-www-form-urlencoded body.
std::string form_field(std::string_view form, std::string_view key) {
  while (!form.empty()) {
    const std::size_t amp = form.find('&');
    const std::string_view pair = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view() : form.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && url_decode(pair.substr(0, eq)) == key)
      return url_decode(pair.substr(eq + 1));
  }
  return {};
}

}  // namespace

/// What the server can close at shutdown: a connection or a page.
struct Droppable {
  virtual ~Droppable() = default;
  virtual void drop() = 0;
};

/// One open page, whatever its stream: who it is, what it hears.
struct PageBase : Droppable {
  std::uint64_t id = 0;
  std::string person;
  std::string query;
  std::unordered_set<std::string> topics;
  virtual void send(std::shared_ptr<const std::string> text) = 0;
  virtual void refuse(const std::string& why) = 0;
  virtual void start_reading() = 0;
};

struct ServerState : std::enable_shared_from_this<ServerState> {
  using Handlers = WebServer::Handlers;
  ServerState(WebServer::Options o, Handlers h);

  WebServer::Options opt;
  Handlers handlers;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::steady_timer stop_timer{ioc};
  net::steady_timer accept_timer{ioc};
  std::chrono::milliseconds accept_backoff{0};
  std::optional<ssl::context> tls;
  OriginCheck origin;
  SessionCookies sessions;
  std::uint64_t next_page = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<PageBase>> pages;
  std::vector<std::weak_ptr<Droppable>> connections;  // for shutdown
  std::size_t open_connections = 0;
  std::size_t signing_in = 0;   // password checks waiting or running
  net::thread_pool hashing{1};  // where they run, so pages are not held up
  std::atomic<std::size_t> page_count{0};

  void accept();
  void accepted(tcp::socket s);
  void accept_failed(const beast::error_code& ec);
  template <class Stream>
  void serve(Stream stream);
  void deliver(const std::vector<Update>& updates);
  void opened(const std::shared_ptr<PageBase>& p);
  void closed(std::uint64_t id);
  std::string page_room(const std::string& person) const;
  void shutdown();
};

/// Counts an open connection while alive: moved from the HTTP connection
/// to the page it becomes.
class Slot {
 public:
  explicit Slot(ServerState* s) : s_(s) { ++s_->open_connections; }
  Slot(Slot&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Slot& operator=(Slot&&) = delete;
  ~Slot() {
    if (s_) --s_->open_connections;
  }

 private:
  ServerState* s_;
};

/// One open page's WebSocket and what is still to be sent to it, bounded in
/// bytes: a page that does not read is cut off, not buffered for.
template <class Stream>
class Page : public PageBase, public std::enable_shared_from_this<Page<Stream>> {
 public:
  Page(Stream stream, std::shared_ptr<ServerState> server, Slot slot)
      : ws_(std::move(stream)), server_(std::move(server)), slot_(std::move(slot)) {}

  void accept(Request req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    beast::get_lowest_layer(ws_).expires_never();
    ws_.async_accept(req, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->server_->opened(self);
    });
  }

  void start_reading() override {
    ws_.text(true);
    ws_.auto_fragment(false);         // one frame per update
    ws_.read_message_max(64 * 1024);  // commands are small
    read();
  }

  void send(std::shared_ptr<const std::string> text) override {
    if (closing_) return;
    if (queued_bytes_ + text->size() > server_->opt.limits.send_queue_bytes) {
      std::cerr << "web desk: page " << id << " (" << person << ") has "
                << queued_bytes_ + text->size() << " bytes unsent, over --send-queue-bytes "
                << server_->opt.limits.send_queue_bytes << "; cutting it off\n";
      drop();
      return;
    }
    queued_bytes_ += text->size();
    backlog_.push_back(std::move(text));
    if (backlog_.size() == 1) write();
  }

  /// Turn the page away before anything was sent to it; it sees why.
  void refuse(const std::string& why) override {
    closing_ = true;
    ws_.async_close(
        websocket::close_reason(websocket::close_code::policy_error, why.substr(0, 120)),
        [self = this->shared_from_this()](beast::error_code) {});
  }

  /// Close the connection at once: its pending reads and writes end.
  void drop() override {
    closing_ = true;
    backlog_.clear();
    queued_bytes_ = 0;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  void read() {
    ws_.async_read(in_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->server_->closed(self->id);
        return;
      }
      const std::string text = beast::buffers_to_string(self->in_.data());
      self->in_.consume(self->in_.size());
      if (!self->within_rate()) {
        std::cerr << "web desk: page " << self->id << " (" << self->person
                  << ") sends commands faster than --commands-per-second; closing it\n";
        self->server_->closed(self->id);  // no read is pending to notice the close
        return self->refuse("too many commands: reload the page");
      }
      if (self->server_->handlers.message) self->server_->handlers.message(self->id, text);
      self->read();
    });
  }

  /// A token bucket: `commands_per_second`, bursts of two seconds' worth.
  bool within_rate() {
    const double rate = server_->opt.limits.commands_per_second;
    const auto now = std::chrono::steady_clock::now();
    const std::chrono::duration<double> since = now - refilled_;
    refilled_ = now;
    tokens_ = std::min(2 * rate, tokens_ + since.count() * rate);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  void write() {
    ws_.async_write(net::buffer(*backlog_.front()),
                    [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec || self->backlog_.empty()) {
                        self->backlog_.clear();
                        self->queued_bytes_ = 0;
                        return;
                      }
                      self->queued_bytes_ -= self->backlog_.front()->size();
                      self->backlog_.pop_front();
                      if (!self->backlog_.empty()) self->write();
                    });
  }

  websocket::stream<Stream> ws_;
  std::shared_ptr<ServerState> server_;
  Slot slot_;
  beast::flat_buffer in_;
  std::deque<std::shared_ptr<const std::string>> backlog_;
  std::size_t queued_bytes_ = 0;
  bool closing_ = false;
  double tokens_ = 1e18;  // full, clamped at the first command
  std::chrono::steady_clock::time_point refilled_ = std::chrono::steady_clock::now();
};

/// What a request gets: a response, or (for the WebSocket) the person whose
/// page it is.
struct Answer {
  Answer(Response r) : response(std::move(r)) {}  // NOLINT: every route returns one
  explicit Answer(std::string who) : person(std::move(who)) {}
  Answer(std::string name, std::string password)
      : sign_in{{std::move(name), std::move(password)}} {}
  std::optional<Response> response;
  std::string person;                                          // set: upgrade to a page of theirs
  std::optional<std::pair<std::string, std::string>> sign_in;  // set: check this password first
};

Response reply(const Request& req, http::status status, std::string_view type, std::string body) {
  Response res(status, req.version());
  res.set(http::field::server, "patter-web-desk");
  res.set(http::field::content_type, std::string(type));
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
  res.set("Referrer-Policy", "same-origin");  // no-referrer would make form posts say Origin: null
  res.keep_alive(req.keep_alive());
  if (req.method() != http::verb::head) res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response redirect(const Request& req, const std::string& to) {
  Response res = reply(req, http::status::see_other, "text/plain", "see " + to + "\n");
  res.set(http::field::location, to);
  return res;
}

/// Routes a request, after the Host and Origin checks:
///   GET /sign-in, POST /sign-in, POST /sign-out  the form, a session, its end
///   GET /session                                 401 when signed out (the page asks)
///   GET /                                        signed in: the page; else to /sign-in
///   GET /desk.css, /desk.js, /labels.js,         the page's files
///       /supervision.js
///   /ws (upgrade)                                a signed-in person's page
class Router {
 public:
  Router(ServerState& s, const Request& req) : s_(s), req_(req) {
    const std::string_view target(req.target().data(), req.target().size());
    path_ = target.substr(0, target.find('?'));
    const auto q = target.find('?');
    query_ = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    if (const auto token = cookie_value(header(req, http::field::cookie), kSessionCookie))
      if (const std::string* who = s.sessions.find(*token)) person_ = *who;
  }

  Answer route() {
    const std::string_view host = header(req_, http::field::host);
    if (!s_.origin.host_ok(host))
      return {text(http::status::forbidden, "this desk does not answer to that Host name\n")};
    const std::string_view origin = header(req_, http::field::origin);
    const bool foreign = !origin.empty() && !s_.origin.origin_ok(origin, host);
    if (websocket::is_upgrade(req_)) return upgrade(origin.empty() || foreign);
    if (foreign)
      return {text(http::status::forbidden, "requests from another site's page are refused\n")};
    if (path_ == "/sign-in" && req_.method() == http::verb::post)
      return Answer(form_field(req_.body(), "name"), form_field(req_.body(), "password"));
    if (path_ == "/sign-out" && req_.method() == http::verb::post) return {sign_out()};
    if (req_.method() != http::verb::get && req_.method() != http::verb::head)
      return {text(http::status::method_not_allowed, "GET only\n")};
    if (path_ == "/sign-in") return {file("sign-in.html", http::status::ok, {})};
    if (path_ == "/session") return {session()};
    if (path_ == "/" || path_ == "/index.html") {
      if (person_.empty()) return {redirect(req_, "/sign-in")};
      if (query_.empty()) return {redirect(req_, "/?" + s_.handlers.home(person_))};
      return {file("index.html", http::status::ok, {})};
    }
    if (path_ == "/desk.css") return {file("desk.css", http::status::ok, {})};
    if (path_ == "/desk.js") return {file("desk.js", http::status::ok, {})};
    if (path_ == "/labels.js") return {file("labels.js", http::status::ok, {})};
    if (path_ == "/supervision.js") return {file("supervision.js", http::status::ok, {})};
    return {text(http::status::not_found, "not found\n")};
  }

  /// After the password check: the person's page with a session, or the form again.
  Response signed_in(const std::optional<std::string>& who) {
    if (!who)
      return file("sign-in.html", http::status::unauthorized,
                  "<p class=\"error\" data-test=\"sign-in-error\">Wrong name or password. · "
                  "姓名或密码错误。</p>");
    Response res = redirect(req_, "/?" + s_.handlers.home(*who));
    res.set(http::field::set_cookie, session_cookie(s_.sessions.open(*who), s_.tls.has_value()));
    return res;
  }

 private:
  Answer upgrade(bool bad_origin) {
    if (path_ != "/ws") return {text(http::status::not_found, "WebSocket is at /ws\n")};
    if (bad_origin)
      return {text(http::status::forbidden,
                   "the WebSocket opens only from the desk's own pages (Origin)\n")};
    if (person_.empty()) return {text(http::status::unauthorized, "sign in first: /sign-in\n")};
    if (const std::string why = s_.page_room(person_); !why.empty())
      return {text(http::status::service_unavailable, why + "\n")};
    return Answer(person_);
  }

  Response sign_out() {
    if (const auto token = cookie_value(header(req_, http::field::cookie), kSessionCookie))
      s_.sessions.close(*token);
    Response res = redirect(req_, "/sign-in");
    res.set(http::field::set_cookie, cleared_cookie(s_.tls.has_value()));
    return res;
  }

  Response session() {
    if (person_.empty()) return text(http::status::unauthorized, "{}");
    Response res = reply(req_, http::status::ok, "application/json",
                         "{\"home\":\"/?" + s_.handlers.home(person_) + "\"}");
    return res;
  }

  Response file(const std::string& name, http::status status, const std::string& message) {
    std::ifstream in(s_.opt.web_root + "/" + name, std::ios::binary);
    if (!in)
      return text(http::status::internal_server_error,
                  "cannot read " + s_.opt.web_root + "/" + name +
                      ": start the server with --web-root DIR\n");
    std::ostringstream body;
    body << in.rdbuf();
    std::string html = body.str();
    if (const auto at = html.find("<!--message-->"); at != std::string::npos)
      html.replace(at, 14, message);
    return reply(req_, status, content_type(name), std::move(html));
  }

  Response text(http::status status, std::string body) {
    return reply(req_, status, "text/plain; charset=utf-8", std::move(body));
  }

  ServerState& s_;
  const Request& req_;
  std::string_view path_, query_;
  std::string person_;
};

/// One HTTP connection: files and sign-in, or the upgrade to a page's WebSocket.
template <class Stream>
class HttpConnection : public Droppable,
                       public std::enable_shared_from_this<HttpConnection<Stream>> {
 public:
  HttpConnection(Stream stream, std::shared_ptr<ServerState> server, Slot slot)
      : stream_(std::move(stream)), server_(std::move(server)), slot_(std::move(slot)) {}

  void start() { read(); }
  void drop() override {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kMaxRequestBody);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return;
                       self->handle(self->parser_->release());
                     });
  }

  void handle(Request req) {
    Answer a = Router(*server_, req).route();
    if (a.response) return respond(std::move(*a.response));
    if (a.sign_in) return sign_in(std::move(req), std::move(*a.sign_in));
    beast::get_lowest_layer(stream_).expires_never();
    auto page = std::make_shared<Page<Stream>>(std::move(stream_), server_, std::move(slot_));
    page->person = a.person;
    const std::string_view target(req.target().data(), req.target().size());
    const auto q = target.find('?');
    page->query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
    server_->connections.push_back(page);
    page->accept(std::move(req));
  }

  // The password is checked on the hashing thread; the answer comes back
  // to the server's thread.
  void sign_in(Request req, std::pair<std::string, std::string> credentials) {
    if (server_->signing_in >= kMaxSignInsWaiting)
      return respond(reply(req, http::status::service_unavailable, "text/plain",
                           "too many sign-ins at once: try again in a moment\n"));
    ++server_->signing_in;
    auto request = std::make_shared<Request>(std::move(req));
    net::post(server_->hashing,
              [self = this->shared_from_this(), request, c = std::move(credentials)] {
                const WebServer::Handlers& h = self->server_->handlers;
                auto who = h.sign_in ? h.sign_in(c.first, c.second) : std::nullopt;
                net::post(self->server_->ioc, [self, request, who = std::move(who)] {
                  --self->server_->signing_in;
                  self->respond(Router(*self->server_, *request).signed_in(who));
                });
              });
  }

  void respond(Response response) {
    auto res = std::make_shared<Response>(std::move(response));
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (res->need_eof()) {
                          beast::error_code ignored;
                          beast::get_lowest_layer(self->stream_)
                              .socket()
                              .shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        self->read();
                      });
  }

  Stream stream_;
  std::shared_ptr<ServerState> server_;
  Slot slot_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

ServerState::ServerState(WebServer::Options o, Handlers h)
    : opt(std::move(o)),
      handlers(std::move(h)),
      origin({"localhost", net::ip::host_name(), opt.server_name}, !opt.tls_cert.empty()) {}

void ServerState::accept() {
  acceptor.async_accept(net::make_strand(ioc),
                        [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
                          if (!self->acceptor.is_open()) return;
                          if (ec) return self->accept_failed(ec);
                          self->accept_backoff = std::chrono::milliseconds(0);
                          self->accepted(std::move(s));
                          self->accept();
                        });
}

// Out of file descriptors (or memory), accepting again at once fails again
// at once: wait, longer each time up to a second, so the loop does not spin.
void ServerState::accept_failed(const beast::error_code& ec) {
  if (accept_backoff.count() == 0)
    std::cerr << "web desk: cannot accept connections (" << ec.message()
              << "); waiting before trying again\n";
  accept_backoff = std::min(std::chrono::milliseconds(1000),
                            std::max(std::chrono::milliseconds(50), accept_backoff * 2));
  accept_timer.expires_after(accept_backoff);
  accept_timer.async_wait([self = shared_from_this()](beast::error_code e) {
    if (!e) self->accept();
  });
}

void ServerState::accepted(tcp::socket s) {
  if (open_connections >= opt.limits.max_connections) {
    beast::error_code ignored;
    s.close(ignored);  // over the cap: closed at once, nothing read
    return;
  }
  beast::error_code ignored;
  s.set_option(tcp::no_delay(true), ignored);  // updates are small: send each at once
  std::erase_if(connections, [](const auto& w) { return w.expired(); });
  if (!tls) return serve(beast::tcp_stream(std::move(s)));
  auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(s), *tls);
  beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(30));
  auto slot = std::make_shared<Slot>(this);  // counted during the handshake too
  stream->async_handshake(ssl::stream_base::server,
                          [self = shared_from_this(), stream, slot](beast::error_code ec) {
                            if (!ec) self->serve(std::move(*stream));
                          });
}

template <class Stream>
void ServerState::serve(Stream stream) {
  auto c =
      std::make_shared<HttpConnection<Stream>>(std::move(stream), shared_from_this(), Slot(this));
  connections.push_back(c);
  c->start();
}

std::string ServerState::page_room(const std::string& person) const {
  if (pages.size() >= opt.limits.max_pages)
    return "the desk has " + std::to_string(pages.size()) + " pages open, its limit: try later";
  std::size_t theirs = 0;
  for (const auto& [id, p] : pages) theirs += p->person == person;
  if (theirs >= opt.limits.max_pages_per_person)
    return "you have " + std::to_string(theirs) + " pages open already: close one";
  return {};
}

void ServerState::opened(const std::shared_ptr<PageBase>& p) {
  p->id = next_page++;
  std::string error;
  std::optional<std::vector<std::string>> topics;
  // Counted at once, so pages opening together stay within the caps.
  if (const std::string why = page_room(p->person); !why.empty()) return p->refuse(why);
  if (handlers.open) topics = handlers.open(p->id, p->person, p->query, &error);
  if (!topics) return p->refuse(error);
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
    // A page cut off for its backlog stays in the map until its read ends.
    for (auto& [id, page] : pages)
      for (const std::string& t : u.topics)
        if (page->topics.count(t)) {
          page->send(text);
          break;
        }
  }
}

bool is_loopback(const std::string& host) {
  beast::error_code ec;
  const net::ip::address a = net::ip::make_address(host, ec);
  return !ec && a.is_loopback();
}

namespace {

ssl::context tls_context(const std::string& cert, const std::string& key) {
  ssl::context ctx(ssl::context::tls_server);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  beast::error_code ec;
  ctx.use_certificate_chain_file(cert, ec);
  if (ec)
    throw std::runtime_error("cannot use the certificate `" + cert + "` (" + ec.message() +
                             "): give a PEM certificate chain with --tls-cert FILE");
  ctx.use_private_key_file(key, ssl::context::pem, ec);
  if (ec)
    throw std::runtime_error("cannot use the key `" + key + "` (" + ec.message() +
                             "): give the certificate's PEM private key with --tls-key FILE");
  return ctx;
}

}  // namespace

WebServer::WebServer(Options options, Handlers handlers)
    : impl_(std::make_shared<ServerState>(std::move(options), std::move(handlers))) {
  const Options& o = impl_->opt;
  if (!o.tls_cert.empty()) impl_->tls.emplace(tls_context(o.tls_cert, o.tls_key));
  beast::error_code ec;
  const auto address = net::ip::make_address(o.host, ec);
  if (ec)
    throw std::runtime_error("`" + o.host +
                             "` is not an IP address: give one such as 127.0.0.1 with --host");
  const tcp::endpoint endpoint(address, o.port);
  const std::string port = std::to_string(o.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (ec == net::error::address_in_use)
    throw std::runtime_error(
        "port " + port + " on " + o.host +
        " is in use: pick another with --port N, or --port 0 for any free port");
  if (ec == net::error::access_denied)
    throw std::runtime_error("no permission to listen on port " + port +
                             ": use a port above 1023, or --port 0 for any free port");
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + o.host + ":" + port + ": " + ec.message());
}

WebServer::~WebServer() {
  stop();
  impl_->shutdown();
}

std::uint16_t WebServer::port() const {
  return impl_->acceptor.local_endpoint().port();
}

std::string WebServer::url() const {
  const Options& o = impl_->opt;
  std::string host = o.server_name;
  if (host.empty()) {
    const net::ip::address a = impl_->acceptor.local_endpoint().address();
    host = a.is_unspecified() ? net::ip::host_name()
           : a.is_v6()        ? "[" + a.to_string() + "]"
                              : a.to_string();
  }
  return std::string(impl_->origin.scheme()) + "://" + host + ":" + std::to_string(port()) + "/";
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
  accept_timer.cancel();
  hashing.join();
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
