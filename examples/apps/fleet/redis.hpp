// redis.hpp — a small synchronous Redis client on hiredis, with pipelining
// and stream replies read in place.
//
//   std::string error;
//   auto redis = Redis::connect("127.0.0.1:6379", error);
//   if (!redis) { std::cerr << error << '\n'; return 1; }    // says how to start one
//   Reply r = redis->command({"XADD", "P:events", "*", "call", "1"});
//
//   redis->append({"HMGET", key, "seq"});                   // pipelined:
//   redis->append({"HMGET", key2, "seq"});                  //   one round trip
//   Reply a = redis->reply(), b = redis->reply();
//
//   Reply batch = redis->command({"XREAD", "COUNT", "100", "STREAMS", "P:actions", "0"});
//   for (const StreamBatch& s : read_streams(batch))
//     for (const Entry& e : s.entries) use(e.id, e.fields);  // views into `batch`
//
// A lost connection throws ConnectionLost, whose message names the server
// and says what to check; the caller decides what to redo and calls
// `reconnect`, which retries with backoff for a bounded time (a Redis
// restart, a network blip) before giving up with a RedisError. Replies that
// are Redis errors (`ERR ...`) are values the caller inspects (`is_error`,
// `text`).
//
//   for (;;) try {
//     return serve(*redis);                    // rebuilds what it needs from Redis
//   } catch (const ConnectionLost& e) {
//     redis->reconnect(30, "worker");          // throws RedisError after 30 s
//   }
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "protocol.hpp"

namespace fleet {

class RedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The connection broke (or Redis is still loading its data after a restart):
/// worth a `reconnect`.
class ConnectionLost : public RedisError {
 public:
  using RedisError::RedisError;
};

/// A part of a reply (the reply itself, or an element of an array).
class Value {
 public:
  Value() = default;
  explicit Value(const void* r) : r_(r) {}
  bool is_nil() const;
  bool is_error() const;
  bool is_array() const;
  bool is_integer() const;
  /// Strings, status replies and errors.
  std::string_view text() const;
  long long integer() const;
  std::size_t size() const;  ///< elements of an array
  Value operator[](std::size_t i) const;

 private:
  const void* r_ = nullptr;
};

/// An owned reply.
class Reply {
 public:
  Reply() = default;
  explicit Reply(void* r) : r_(r) {}
  Reply(Reply&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Reply& operator=(Reply&& o) noexcept;
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  ~Reply();
  Value value() const { return Value(r_); }
  bool is_nil() const { return value().is_nil(); }
  bool is_error() const { return value().is_error(); }
  std::string_view text() const { return value().text(); }
  long long integer() const { return value().integer(); }

 private:
  void* r_ = nullptr;
};

/// A stream entry's id, "<ms>-<seq>", as two numbers that order like ids.
struct StreamId {
  std::uint64_t ms = 0, seq = 0;
  static std::optional<StreamId> parse(std::string_view text);
  static StreamId max() { return {UINT64_MAX, UINT64_MAX}; }
  std::string text() const { return std::to_string(ms) + '-' + std::to_string(seq); }
  auto operator<=>(const StreamId&) const = default;
};

/// One stream entry: its id and fields (views into the reply).
struct Entry {
  std::string_view id;
  FieldsView fields;
  bool deleted = false;  ///< pending, but deleted from the stream since
};

struct StreamBatch {
  std::string_view stream;
  std::vector<Entry> entries;
};

/// The entries of an XREAD / XREADGROUP reply, per stream (none on a timeout).
std::vector<StreamBatch> read_streams(const Reply& reply);
/// Entries of an array of [id, [field, value, ...]] (XRANGE, XAUTOCLAIM's second element).
std::vector<Entry> read_entries(Value array);

class Redis {
 public:
  /// Connect to "host:port"; on failure nullptr, and `error` says which
  /// server could not be reached and how to start one.
  static std::unique_ptr<Redis> connect(const std::string& endpoint, std::string& error);
  ~Redis();

  Reply command(std::span<const std::string_view> args);
  Reply command(std::initializer_list<std::string_view> args) {
    return command(std::span<const std::string_view>(args.begin(), args.size()));
  }
  /// Queue a command; its reply comes from `reply()`, in order.
  void append(std::span<const std::string_view> args);
  void append(std::initializer_list<std::string_view> args) {
    append(std::span<const std::string_view>(args.begin(), args.size()));
  }
  Reply reply();

  const std::string& endpoint() const { return endpoint_; }

  /// Connect again after a ConnectionLost: tries with backoff (0.1 s,
  /// doubling to 2 s) until Redis answers PING, for up to `retry_s`
  /// seconds; then throws RedisError. Says on stderr, as `who`, what it does.
  /// Replies not yet read are lost with the old connection. Gives up at
  /// once when `stop` (a signal handler's flag) becomes true.
  void reconnect(std::uint32_t retry_s, std::string_view who,
                 const std::atomic<bool>* stop = nullptr);

 private:
  Redis() = default;
  static void* open(const std::string& host, int port, std::string& error);
  [[noreturn]] void lost(std::string_view what) const;
  void* c_ = nullptr;  // redisContext
  std::string endpoint_, host_;
  int port_ = 0;
  std::vector<const char*> argv_;
  std::vector<std::size_t> lens_;
};

/// XADD `stream` * with the fields, as arguments (the strings must outlive them).
std::vector<std::string_view> xadd_args(std::string_view stream, const Fields& fields);

}  // namespace fleet
