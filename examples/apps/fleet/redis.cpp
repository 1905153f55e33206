// A small Redis client on hiredis (redis.hpp).
#include "redis.hpp"

#include <hiredis.h>

#include <sys/time.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

namespace fleet {
namespace {

const redisReply* rr(const void* p) {
  return static_cast<const redisReply*>(p);
}

}  // namespace

bool Value::is_nil() const {
  return !r_ || rr(r_)->type == REDIS_REPLY_NIL;
}
bool Value::is_error() const {
  return r_ && rr(r_)->type == REDIS_REPLY_ERROR;
}
bool Value::is_array() const {
  return r_ && rr(r_)->type == REDIS_REPLY_ARRAY;
}
bool Value::is_integer() const {
  return r_ && rr(r_)->type == REDIS_REPLY_INTEGER;
}

std::string_view Value::text() const {
  if (!r_) return {};
  const redisReply* r = rr(r_);
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
      r->type == REDIS_REPLY_ERROR)
    return {r->str, static_cast<std::size_t>(r->len)};
  return {};
}

long long Value::integer() const {
  return is_integer() ? rr(r_)->integer : 0;
}
std::size_t Value::size() const {
  return is_array() ? rr(r_)->elements : 0;
}
Value Value::operator[](std::size_t i) const {
  return i < size() ? Value(rr(r_)->element[i]) : Value();
}

Reply& Reply::operator=(Reply&& o) noexcept {
  if (this != &o) {
    if (r_) freeReplyObject(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}

Reply::~Reply() {
  if (r_) freeReplyObject(r_);
}

std::optional<StreamId> StreamId::parse(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto ms = parse_uint(text.substr(0, dash)), seq = parse_uint(text.substr(dash + 1));
  if (!ms || !seq) return std::nullopt;
  return StreamId{*ms, *seq};
}

std::vector<Entry> read_entries(Value array) {
  std::vector<Entry> out;
  out.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    const Value e = array[i];
    Entry entry;
    entry.id = e[0].text();
    const Value f = e[1];
    entry.deleted = f.is_nil();
    entry.fields.reserve(f.size() / 2);
    for (std::size_t k = 0; k + 1 < f.size(); k += 2)
      entry.fields.emplace_back(f[k].text(), f[k + 1].text());
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<StreamBatch> read_streams(const Reply& reply) {
  std::vector<StreamBatch> out;
  const Value v = reply.value();
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back({v[i][0].text(), read_entries(v[i][1])});
  return out;
}

void* Redis::open(const std::string& host, int port, std::string& error) {
  const timeval timeout{5, 0};
  redisContext* c = redisConnectWithTimeout(host.c_str(), port, timeout);
  if (!c || c->err) {
    error = c ? c->errstr : "out of memory";
    if (c) redisFree(c);
    return nullptr;
  }
  // Blocking reads (BLOCK n) come back within their own timeout; this one
  // only catches a server that stopped answering.
  const timeval io{30, 0};
  redisSetTimeout(c, io);
  return c;
}

std::unique_ptr<Redis> Redis::connect(const std::string& endpoint, std::string& error) {
  const std::size_t colon = endpoint.rfind(':');
  const auto port = colon == std::string::npos
                        ? std::nullopt
                        : parse_uint(std::string_view(endpoint).substr(colon + 1));
  if (!port || *port == 0 || *port > 65535) {
    error = "--redis " + endpoint + ": expected HOST:PORT, e.g. 127.0.0.1:6379";
    return nullptr;
  }
  const std::string host = endpoint.substr(0, colon);
  std::string why;
  void* c = open(host, static_cast<int>(*port), why);
  if (!c) {
    error = "cannot reach Redis at " + endpoint + " (" + why +
            "). Start one, e.g.: redis-server --bind " + host + " --port " + std::to_string(*port) +
            " --save '' --appendonly no   (Debian: apt-get install redis-server), or pass --redis "
            "HOST:PORT";
    return nullptr;
  }
  std::unique_ptr<Redis> r(new Redis);
  r->c_ = c;
  r->endpoint_ = endpoint;
  r->host_ = host;
  r->port_ = static_cast<int>(*port);
  return r;
}

void Redis::reconnect(std::uint32_t retry_s, std::string_view who, const std::atomic<bool>* stop) {
  using Clock = std::chrono::steady_clock;
  if (c_) redisFree(static_cast<redisContext*>(c_));
  c_ = nullptr;
  std::cerr << who << ": retrying Redis at " << endpoint_ << " for up to " << retry_s << " s\n";
  const auto give_up = Clock::now() + std::chrono::seconds(retry_s);
  auto pause = std::chrono::milliseconds(100);
  std::string why = "not tried";
  for (;;) {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
    if (void* c = open(host_, port_, why)) {
      c_ = c;
      redisReply* pong =
          static_cast<redisReply*>(redisCommand(static_cast<redisContext*>(c), "PING"));
      const bool ready = pong && pong->type != REDIS_REPLY_ERROR;
      if (pong) why = ready ? "" : std::string(pong->str, pong->len);  // LOADING: reading its AOF
      if (pong) freeReplyObject(pong);
      if (ready) {
        std::cerr << who << ": connected again to Redis at " << endpoint_ << '\n';
        return;
      }
      redisFree(static_cast<redisContext*>(c_));
      c_ = nullptr;
    }
    if (stop && *stop) throw RedisError(std::string(who) + ": stopped while Redis was away");
    if (Clock::now() >= give_up)
      throw RedisError("gave up on Redis at " + endpoint_ + " after retrying for " +
                       std::to_string(retry_s) + " s (" + why +
                       "): start redis-server there again, or raise --redis-retry-s");
  }
}

Redis::~Redis() {
  if (c_) redisFree(static_cast<redisContext*>(c_));
}

void Redis::lost(std::string_view what) const {
  const redisContext* c = static_cast<const redisContext*>(c_);
  if (!c) throw ConnectionLost("not connected to Redis at " + endpoint_);
  throw ConnectionLost("lost the connection to Redis at " + endpoint_ + " during " +
                       std::string(what) + " (" + (c->err ? c->errstr : "no reply") +
                       "): is redis-server still running there?");
}

Reply Redis::command(std::span<const std::string_view> args) {
  append(args);
  return reply();
}

void Redis::append(std::span<const std::string_view> args) {
  argv_.clear();
  lens_.clear();
  for (std::string_view a : args) {
    argv_.push_back(a.data());
    lens_.push_back(a.size());
  }
  if (!c_ || redisAppendCommandArgv(static_cast<redisContext*>(c_), static_cast<int>(args.size()),
                                    argv_.data(), lens_.data()) != REDIS_OK)
    lost(args.empty() ? "a command" : args[0]);
}

Reply Redis::reply() {
  void* r = nullptr;
  if (!c_ || redisGetReply(static_cast<redisContext*>(c_), &r) != REDIS_OK || !r) lost("a reply");
  Reply out(r);
  // A Redis restarted with AOF answers LOADING until it has read it back.
  if (out.is_error() && out.text().starts_with("LOADING"))
    lost("a reply (Redis is loading its data)");
  return out;
}

std::vector<std::string_view> xadd_args(std::string_view stream, const Fields& fields) {
  std::vector<std::string_view> args{"XADD", stream, "*"};
  for (const auto& [k, v] : fields) {
    args.push_back(k);
    args.push_back(v);
  }
  return args;
}

}  // namespace fleet
