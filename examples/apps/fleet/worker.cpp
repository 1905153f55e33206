// worker — a stateless worker: for each call event, load the call's
// snapshot from Redis, step the session, write it back; exactly once.
//
//   patter_fleet worker --redis 127.0.0.1:6379 --name worker1
//
// Events come from the streams P:events:<fingerprint> of the scripts the
// worker has loaded (--script, one or more), through the consumer group
// "workers", a batch at a time: a worker never sees a call of a script it
// does not have. For a batch the worker makes three round
// trips: read the events, read the calls' hashes (HMGET seq fp snap,
// pipelined), and commit each turn with one script (EVALSHA, pipelined).
//
// The commit script is the whole of exactly-once. In one atomic step it
// acknowledges the event, compares the call's stored seq with
// the one the worker read, and only if they are equal writes the new
// snapshot and seq and publishes the turn's report, escalation and result.
// So:
//   - a worker killed before its commit leaves the event pending in the
//     group; another worker takes it over (XAUTOCLAIM, after
//     --claim-idle-ms) and applies it from the snapshot as it was;
//   - a worker killed after its commit has nothing left to redo;
//   - two workers holding the same event (a slow one and the one that took
//     it over, or a duplicate publish) both step it, and one commit wins:
//     the other finds the seq moved and writes nothing;
//   - an event whose turn id is already applied (seq <= stored) is
//     acknowledged without effect.
// A worker never holds a call between events: any worker can take any call.
//
// A call whose snapshot will not restore (garbage bytes, a snapshot of
// another script version) cannot go on, and retrying it would only fail the
// same way: a second script (kFail) ends it once, atomically, under the
// same seq compare: the event acknowledged, the snapshot moved to the dead
// letters (P:dead), a last report (ended) and a result with outcome
// `failed`, reason `restore_failed` (or `start_failed`, for a first event
// the script refuses). A lost Redis connection is retried with backoff
// (--redis-retry-s); what was read and not committed is simply read again.
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <set>

#include <patter/patter.hpp>

#include "cpu_time.hpp"
#include "options.hpp"
#include "protocol.hpp"
#include "redis.hpp"
#include "robot_turn.hpp"

namespace fleet {
namespace {

// KEYS: 1 the call's hash, 2 events, 3 actions, 4 results, 5 escalations.
// ARGV: 1 group, 2 event id, 3 the seq read, 4 the new seq, 5 fingerprint,
// 6 snapshot ("" when the call ended), 7 tombstone seconds, 8 report
// field pairs, 9 escalation field pairs, 10 result JSON ("" if none),
// 11 call id, 12 worker, then the report's and the escalation's fields.
constexpr std::string_view kCommit = R"lua(
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
local seq = redis.call('HGET', KEYS[1], 'seq') or '0'
if seq ~= ARGV[3] then return 0 end
if ARGV[6] == '' then
  redis.call('HDEL', KEYS[1], 'snap')
  redis.call('HSET', KEYS[1], 'seq', ARGV[4], 'fp', ARGV[5])
  redis.call('EXPIRE', KEYS[1], ARGV[7])
else
  redis.call('HSET', KEYS[1], 'seq', ARGV[4], 'fp', ARGV[5], 'snap', ARGV[6])
end
local nr, ne = tonumber(ARGV[8]), tonumber(ARGV[9])
local i = 13
local report = {}
for k = 1, 2 * nr do report[k] = ARGV[i]; i = i + 1 end
redis.call('XADD', KEYS[3], '*', unpack(report))
if ne > 0 then
  local esc = {}
  for k = 1, 2 * ne do esc[k] = ARGV[i]; i = i + 1 end
  redis.call('XADD', KEYS[5], '*', unpack(esc))
end
if ARGV[10] ~= '' then
  redis.call('XADD', KEYS[4], '*', 'call', ARGV[11], 'seq', ARGV[4], 'worker', ARGV[12], 'json', ARGV[10])
end
return 1
)lua";

// KEYS: 1 the call's hash, 2 events, 3 actions, 4 results, 5 dead letters.
// ARGV: 1 group, 2 event id, 3 the seq read, 4 the event's seq, 5 reason,
// 6 error, 7 the snapshot that failed, 8 tombstone seconds, 9 call id,
// 10 worker, 11 report field pairs, then the report's fields.
constexpr std::string_view kFail = R"lua(
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
local seq = redis.call('HGET', KEYS[1], 'seq') or '0'
if seq ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[1], 'snap')
redis.call('HSET', KEYS[1], 'seq', ARGV[4], 'failed', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[8])
redis.call('XADD', KEYS[5], '*', 'call', ARGV[9], 'seq', ARGV[4], 'event', ARGV[2],
           'reason', ARGV[5], 'error', ARGV[6], 'worker', ARGV[10], 'snap', ARGV[7])
local report = {}
for k = 1, 2 * tonumber(ARGV[11]) do report[k] = ARGV[11 + k] end
redis.call('XADD', KEYS[3], '*', unpack(report))
redis.call('XADD', KEYS[4], '*', 'call', ARGV[9], 'seq', ARGV[4], 'worker', ARGV[10],
           'failed', ARGV[5], 'json', '{"outcome":"failed","reason":"' .. ARGV[5] .. '"}')
return 1
)lua";

constexpr std::string_view kTombstoneSeconds = "86400";

std::atomic<bool> stop_requested{false};
void on_stop_signal(int) {
  stop_requested = true;
}

using Clock = std::chrono::steady_clock;

class Worker {
 public:
  Worker(const Options& o, std::map<std::string, std::shared_ptr<const patter::Script>> scripts,
         std::unique_ptr<Redis> redis)
      : o_(o), keys_(o.prefix), redis_(std::move(redis)), scripts_(std::move(scripts)) {
    name_ = o.name.empty() ? "worker-" + std::to_string(::getpid()) : o.name;
    for (const auto& [fingerprint, script] : scripts_) {
      streams_.push_back({keys_.events(fingerprint), "0-0"});
      loaded_ += (loaded_.empty() ? "" : ", ") + script->id() + " (" + fingerprint + ")";
    }
  }

  int run() {
    for (;;) {
      try {
        prepare();
        serve();
        break;
      } catch (const ConnectionLost& e) {
        // What was read and not committed stays pending: read again (XAUTOCLAIM).
        std::cerr << name_ << ": " << e.what() << '\n';
        redis_->reconnect(o_.redis_retry_s, name_, &stop_requested);
      }
    }
    std::cerr << name_ << ": " << applied_ << " turns applied, " << claimed_
              << " taken over from other workers, " << duplicates_
              << " duplicates acknowledged without effect, " << lost_ << " lost to another worker";
    if (dead_) std::cerr << ", " << dead_ << " calls ended as failed (dead letters)";
    if (refused_) std::cerr << ", " << refused_ << " refused (script not loaded here)";
    if (malformed_) std::cerr << ", " << malformed_ << " malformed";
    std::cerr << "; cpu " << cpu_seconds() << " s\n";
    return 0;
  }

 private:
  void serve() {
    std::cerr << name_ << ": ready on " << redis_->endpoint() << " for the calls of " << loaded_
              << '\n';
    auto last_claim = Clock::now();
    const auto claim_every =
        std::chrono::milliseconds(std::max<std::uint32_t>(o_.claim_idle_ms / 2, 20));
    const std::string batch = std::to_string(o_.batch);
    std::vector<std::string_view> read{"XREADGROUP", "GROUP", Keys::group, name_,    "COUNT",
                                       batch,        "BLOCK", "100",       "STREAMS"};
    for (const Stream& s : streams_) read.push_back(s.key);
    for (std::size_t i = 0; i < streams_.size(); ++i) read.push_back(">");
    while (!stop_requested) {
      Reply r = redis_->command(read);
      if (r.is_error() && r.text().starts_with("NOGROUP")) {  // Redis lost its data
        std::cerr << name_ << ": the consumer group is gone from " << redis_->endpoint()
                  << " (restarted without persistence?); creating it again\n";
        prepare();
        continue;
      }
      if (r.is_error()) fail(r, "XREADGROUP");
      std::size_t got = 0;
      for (StreamBatch& s : read_streams(r)) {
        got += s.entries.size();
        process(s.stream, s.entries);
      }
      if (Clock::now() - last_claim >= claim_every) {
        for (Stream& s : streams_) got += claim(s);
        last_claim = Clock::now();
      }
      if (got == 0 && redis_->command({"EXISTS", keys_.done}).integer() == 1) break;
    }
  }

  struct Stream {
    std::string key;
    std::string cursor;  // XAUTOCLAIM's, through the pending entries
  };

  struct Job {
    std::string_view id, stream;
    LineEvent event;
    enum class Do : std::uint8_t { commit, fail, ack, leave } what = Do::leave;
    std::string reason, error;  // Do::fail: why the call cannot go on
    std::uint64_t stored = 0;
    AppliedTurn out;
    std::string snapshot;
    std::string fingerprint;
  };

  [[noreturn]] void fail(const Reply& r, std::string_view what) {
    std::string message =
        std::string(what) + " on " + redis_->endpoint() + " failed: " + std::string(r.text());
    if (r.text().find("unknown command") != std::string_view::npos)
      message += " (the fleet needs Redis 6.2 or later: streams, consumer groups, XAUTOCLAIM)";
    throw RedisError(message);
  }

  void prepare() {
    for (const Stream& s : streams_) {
      Reply g = redis_->command({"XGROUP", "CREATE", s.key, Keys::group, "0", "MKSTREAM"});
      if (g.is_error() && !g.text().starts_with("BUSYGROUP")) fail(g, "XGROUP CREATE");
    }
    load_script();
  }

  void load_script() {
    Reply s = redis_->command({"SCRIPT", "LOAD", kCommit});
    if (s.is_error()) fail(s, "SCRIPT LOAD");
    sha_ = std::string(s.text());
    Reply f = redis_->command({"SCRIPT", "LOAD", kFail});
    if (f.is_error()) fail(f, "SCRIPT LOAD");
    fail_sha_ = std::string(f.text());
  }

  // Take over events other workers have held too long (a worker that died
  // mid-turn, or a very slow one); returns how many.
  std::size_t claim(Stream& s) {
    Reply r =
        redis_->command({"XAUTOCLAIM", s.key, Keys::group, name_, std::to_string(o_.claim_idle_ms),
                         s.cursor, "COUNT", std::to_string(o_.batch)});
    if (r.is_error()) fail(r, "XAUTOCLAIM");
    s.cursor = std::string(r.value()[0].text());
    std::vector<Entry> entries = read_entries(r.value()[1]);
    if (entries.empty()) return 0;
    claimed_ += entries.size();
    process(s.key, entries);
    return entries.size();
  }

  void process(std::string_view stream, std::vector<Entry>& entries) {
    const std::size_t to_commit = step_jobs(stream, entries);
    // A test's crash: the turns are stepped, none is written.
    if (o_.crash_after && applied_ + to_commit >= o_.crash_after && to_commit > 0) {
      std::cerr << name_ << ": crashing mid-turn, as asked (--crash-after " << o_.crash_after
                << ")\n";
      std::raise(SIGKILL);
    }
    commit_jobs();
  }

  // Round trip 1 (each call's stored seq, script and snapshot), then each
  // call stepped; returns how many turns are to be committed.
  std::size_t step_jobs(std::string_view stream, std::vector<Entry>& entries) {
    jobs_.clear();
    jobs_.resize(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      Job& j = jobs_[i];
      j.id = entries[i].id;
      j.stream = stream;
      if (entries[i].deleted) continue;  // acknowledged and gone meanwhile
      std::string error;
      auto e = decode_event(entries[i].fields, error);
      if (!e) {
        std::cerr << name_ << ": event " << j.id << " is malformed (" << error << "); dropped\n";
        ++malformed_;
        j.what = Job::Do::ack;
        continue;
      }
      j.event = std::move(*e);
      j.what = Job::Do::commit;
      const std::string key = keys_.call(j.event.call);
      redis_->append({"HMGET", key, "seq", "fp", "snap"});
    }
    std::vector<Reply> loaded(jobs_.size());
    for (std::size_t i = 0; i < jobs_.size(); ++i)
      if (jobs_[i].what == Job::Do::commit) loaded[i] = redis_->reply();
    // Step each call.
    std::size_t to_commit = 0;
    for (std::size_t i = 0; i < jobs_.size(); ++i) {
      Job& j = jobs_[i];
      if (j.what != Job::Do::commit) continue;
      if (loaded[i].is_error()) fail(loaded[i], "HMGET");
      const Value v = loaded[i].value();
      j.stored = v[0].is_nil() ? 0 : parse_uint(v[0].text()).value_or(0);
      if (j.event.seq <= j.stored) {  // this turn was applied already
        ++duplicates_;
        j.what = Job::Do::ack;
        continue;
      }
      if (j.event.seq > j.stored + 1) {  // cannot happen while the dialer waits for each report
        std::cerr << name_ << ": call " << j.event.call << " turn " << j.event.seq
                  << " arrived before turn " << j.stored + 1 << "; left pending\n";
        j.what = Job::Do::leave;
        continue;
      }
      if (!step(j, v[1].text(), v[2].text())) {
        if (j.what != Job::Do::fail) j.what = Job::Do::leave;
        continue;
      }
      ++to_commit;
    }
    return to_commit;
  }

  void commit_jobs() {
    // Round trip 2: commit each turn, or acknowledge what needs no turn.
    for (Job& j : jobs_) {
      if (j.what == Job::Do::commit)
        append_commit(j);
      else if (j.what == Job::Do::fail)
        append_fail(j);
      else if (j.what == Job::Do::ack)
        append_ack(j);
    }
    bool reload = false;
    for (Job& j : jobs_) {
      if (j.what == Job::Do::fail) {
        Reply r = redis_->reply();
        if (r.is_error() && r.text().starts_with("NOSCRIPT"))
          reload = true;
        else if (r.is_error())
          fail(r, "the dead-letter script");
        else if (r.integer() == 1)
          ++dead_;
        else
          ++lost_;
      } else if (j.what == Job::Do::commit) {
        Reply r = redis_->reply();
        if (r.is_error() && r.text().starts_with("NOSCRIPT"))
          reload = true;
        else if (r.is_error())
          fail(r, "the commit script");
        else if (r.integer() == 1)
          ++applied_;
        else
          ++lost_;
      } else if (j.what == Job::Do::ack) {
        redis_->reply();
      }
    }
    if (reload) {  // Redis lost its scripts (a restart): load it and commit again; the seq check
                   // makes it safe
      load_script();
      for (Job& j : jobs_)
        if (j.what == Job::Do::commit || j.what == Job::Do::fail) {
          j.what == Job::Do::commit ? append_commit(j) : append_fail(j);
          Reply r = redis_->reply();
          if (r.is_error()) fail(r, "the commit script");
          r.integer() != 1 ? ++lost_ : j.what == Job::Do::commit ? ++applied_ : ++dead_;
        }
    }
  }

  // Restore (or start) the call's session and apply the event.
  bool step(Job& j, std::string_view fingerprint, std::string_view snapshot) {
    const std::string_view wanted =
        j.event.seq == 1 ? std::string_view(j.event.script) : fingerprint;
    const auto script = scripts_.find(std::string(wanted));
    if (script == scripts_.end()) {
      // Another worker may have the script: leave the event for it.
      if (refused_scripts_.insert(std::string(wanted)).second)
        std::cerr
            << name_ << ": call " << j.event.call << " runs script "
            << (wanted.empty() ? "(none)" : wanted) << ", which this worker has not loaded (it has "
            << loaded_
            << "); start workers with --script for it. Leaving such events to other workers.\n";
      ++refused_;
      return false;
    }
    std::optional<patter::Session> session;
    if (j.event.seq == 1) {
      patter::Started s = start_call(script->second, j.event);
      if (!s.ok()) {
        std::cerr << name_ << ": call " << j.event.call << " cannot start: " << s.message()
                  << "; it ends as failed (start_failed)\n";
        return give_up(j, "start_failed", std::string(s.message()), snapshot);
      }
      session = std::move(*s);
    } else {
      patter::Restored r = patter::Session::restore(script->second, snapshot);
      if (!r.ok()) {
        const std::string why =
            std::string(patter::to_string(r.code())) + ": " + std::string(r.message());
        std::cerr << name_ << ": call " << j.event.call << ": its snapshot does not restore ("
                  << why << "); it ends as failed (restore_failed), the snapshot goes to "
                  << keys_.dead << '\n';
        return give_up(j, "restore_failed", why, snapshot);
      }
      session = std::move(*r);
    }
    apply(*session, j.event, turn_, name_, j.out);
    j.snapshot.clear();
    if (!j.out.report.ended) session->snapshot(j.snapshot);
    j.fingerprint = script->first;
    return true;
  }

  // The call cannot go on: end it once, as failed (kFail).
  bool give_up(Job& j, std::string_view reason, std::string error, std::string_view snapshot) {
    j.what = Job::Do::fail;
    j.reason = std::string(reason);
    j.error = std::move(error);
    j.snapshot = std::string(snapshot);
    TurnReport& r = j.out.report;
    r = TurnReport{};
    r.call = j.event.call;
    r.seq = j.event.seq;
    r.status = patter::Status::call_ended;
    r.phase = patter::Phase::ended;
    r.ended = true;
    r.worker = name_;
    return false;
  }

  void append_fail(const Job& j) {
    const Fields report = encode(j.out.report);
    const std::string key = keys_.call(j.event.call);
    const std::string stored = std::to_string(j.stored), seq = std::to_string(j.event.seq);
    const std::string nr = std::to_string(report.size()), call = std::to_string(j.event.call);
    args_.assign({"EVALSHA", fail_sha_, "5", key, j.stream, keys_.actions, keys_.results,
                  keys_.dead, Keys::group, j.id, stored, seq, j.reason, j.error, j.snapshot,
                  kTombstoneSeconds, call, name_, nr});
    for (const auto& [k, v] : report) {
      args_.push_back(k);
      args_.push_back(v);
    }
    redis_->append(args_);
  }

  void append_commit(const Job& j) {
    const Fields report = encode(j.out.report);
    Fields escalation;
    if (j.out.escalation) escalation = encode(*j.out.escalation);
    const std::string key = keys_.call(j.event.call);
    const std::string stored = std::to_string(j.stored), seq = std::to_string(j.event.seq);
    const std::string nr = std::to_string(report.size()), ne = std::to_string(escalation.size());
    const std::string call = std::to_string(j.event.call);
    args_.assign(
        {"EVALSHA",         sha_,        "5",  key,          j.stream, keys_.actions, keys_.results,
         keys_.escalations, Keys::group, j.id, stored,       seq,      j.fingerprint, j.snapshot,
         kTombstoneSeconds, nr,          ne,   j.out.result, call,     name_});
    for (const Fields* f : std::initializer_list<const Fields*>{&report, &escalation})
      for (const auto& [k, v] : *f) {
        args_.push_back(k);
        args_.push_back(v);
      }
    redis_->append(args_);
  }

  void append_ack(const Job& j) { redis_->append({"XACK", j.stream, Keys::group, j.id}); }

  const Options& o_;
  Keys keys_;
  std::unique_ptr<Redis> redis_;
  std::map<std::string, std::shared_ptr<const patter::Script>> scripts_;  // by fingerprint
  std::vector<Stream> streams_;                                           // one per script
  std::string name_, sha_, fail_sha_, loaded_;
  std::set<std::string> refused_scripts_;
  std::vector<Job> jobs_;
  std::vector<std::string_view> args_;
  patter::Turn turn_;
  std::uint64_t applied_ = 0, claimed_ = 0, duplicates_ = 0, lost_ = 0, refused_ = 0,
                malformed_ = 0, dead_ = 0;
};

}  // namespace

int run_worker(const Options& o) {
  // Scripts only: a worker needs no personas, and no seed.
  std::map<std::string, std::shared_ptr<const patter::Script>> scripts;
  for (const std::string& path : o.scripts) {
    patter::LoadResult loaded = patter::load_file(path);
    if (!loaded.ok()) {
      std::cerr << "worker: cannot load the script " << path << ':';
      for (const patter::Diagnostic& d : loaded.diagnostics)
        if (d.severity == patter::Severity::error) std::cerr << "\n  " << patter::format(d);
      std::cerr << "\n(check it with `patter validate " << path << "`)\n";
      return 1;
    }
    scripts[loaded.script->fingerprint()] = loaded.script;
  }
  std::string error;
  auto redis = Redis::connect(o.redis, error);
  if (!redis) {
    std::cerr << "worker: " << error << '\n';
    return 1;
  }
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  Worker w(o, std::move(scripts), std::move(redis));
  return w.run();
}

}  // namespace fleet
