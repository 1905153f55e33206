// dialer — the simulated dialer: it places the campaign's calls, publishes
// what happens on each line, and reacts to what the robots do.
//
//   patter_fleet dialer --redis 127.0.0.1:6379 --calls 10000 --seed 7
//
// Up to --window calls are in flight. Each call's far end is a CallLine
// (the customer and, after an escalation, a person); its events go to
// P:events:<script fingerprint>, one at a time: the next only after the report of the last has
// come back on P:actions (and, after an escalation, the desk's plan on
// P:plans). Results come on P:results. The dialer checks as it goes that
// every turn is reported once and every call ends once; at the end it sets
// P:done (workers and the desk stop), prints the totals, the per-turn
// latency it saw, and the campaign's funnel.
//
// A dialer started on a campaign that has begun and not finished (same
// --prefix, --seed, --calls and script) resumes it from what Redis holds:
// the calls ended are on P:results; the calls in flight are those placed
// (P:campaign `placed`) without a result, each at the turn its hash
// records. Since a call's far end is deterministic, the dialer replays
// each such call in memory (the same CallLine and robot turn code as the
// workers) up to that turn and publishes the next event again (a copy still
// in the stream is a duplicate, applied once). A call waiting for a person
// takes its plan from P:desk:taken if the desk had made one. A lost Redis
// connection is retried with backoff (--redis-retry-s) and then resumed the
// same way.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "call_line.hpp"
#include "campaign.hpp"
#include "cpu_time.hpp"
#include "latency.hpp"
#include "options.hpp"
#include "protocol.hpp"
#include "redis.hpp"
#include "robot_turn.hpp"
#include "roster.hpp"

namespace fleet {
namespace {

using Clock = std::chrono::steady_clock;

class Dialer {
 public:
  Dialer(const Options& o, Campaign campaign, std::unique_ptr<Redis> redis)
      : o_(o),
        keys_(o.prefix),
        campaign_(std::move(campaign)),
        redis_(std::move(redis)),
        events_key_(keys_.events(campaign_.script->fingerprint())) {}

  int run() {
    start_ = Clock::now();
    bool prepared = false;
    for (;;) {
      try {
        // Until the campaign is set up, set it up (it may have been, or not);
        // after a lost connection, take it up again from Redis.
        if (!prepared ? !prepare() : !resume()) return 1;
        prepared = true;
        return serve();
      } catch (const ConnectionLost& e) {
        std::cerr << "dialer: " << e.what() << '\n';
        redis_->reconnect(o_.redis_retry_s, "dialer");
        writes_.clear();  // their replies went with the connection
      }
    }
  }

 private:
  struct Call {
    CallLine line;
    Clock::time_point sent;
    StreamId event;  // of its last event: not yet applied, or just applied
    bool reported_end = false, result = false;
    std::uint32_t replayed_to = 0;  // resumed: its reports up to here were replayed
  };

  int serve() {
    auto last_move = Clock::now();
    auto last_progress = last_move;
    start_calls();
    while (ended_ < o_.calls) {
      flush();
      if (trimmed_ + 2000 < turns_) {
        trimmed_ = turns_;
        trim();
        flush();  // their replies come before the next command's
      }
      Reply r = redis_->command({"XREAD", "COUNT", "1000", "BLOCK", "200", "STREAMS", keys_.actions,
                                 keys_.plans, keys_.results, cursor_[0], cursor_[1], cursor_[2]});
      if (r.is_error()) return fail(r, "XREAD");
      bool moved = false;
      for (StreamBatch& s : read_streams(r)) {
        if (s.entries.empty()) continue;
        moved = true;
        const int which = s.stream == keys_.actions ? 0 : s.stream == keys_.plans ? 1 : 2;
        cursor_[which] = std::string(s.entries.back().id);
        for (const Entry& e : s.entries) {
          if (which == 0)
            on_report(e);
          else if (which == 1)
            on_plan(e);
          else
            on_result(e);
        }
      }
      start_calls();
      const auto now = Clock::now();
      if (moved) last_move = now;
      if (now - last_move > std::chrono::seconds(o_.stall_s)) {
        std::cerr << "dialer: nothing has moved for " << o_.stall_s << " s with " << lines_.size()
                  << " calls in flight (" << parked() << " waiting for the desk).";
        if (parked() == lines_.size())
          std::cerr << " Every one waits for a person: is the desk service running against "
                    << redis_->endpoint() << " with --prefix " << o_.prefix << "?\n";
        else if (workers() == 0)
          std::cerr << " No worker serves the script " << campaign_.script->id() << " ("
                    << campaign_.script->fingerprint() << "): start workers with it:\n"
                    << "  patter_fleet worker --redis " << redis_->endpoint() << " --prefix "
                    << o_.prefix << " --script " << o_.script << '\n';
        else
          std::cerr << " Are the workers and the desk running against " << redis_->endpoint()
                    << " with --prefix " << o_.prefix << "?\n";
        std::cerr << "  patter_fleet desk --redis " << redis_->endpoint() << " --prefix "
                  << o_.prefix << '\n';
        return 1;
      }
      if (now - last_progress > std::chrono::seconds(2)) {
        last_progress = now;
        std::cerr << "dialer: " << ended_ << " of " << o_.calls << " calls ended, " << turns_
                  << " turns\n";
      }
    }
    flush();
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    redis_->command({"SET", keys_.done, "1"});
    report(seconds);
    return violations_ == 0 && abandoned_ == 0 ? 0 : 1;
  }

  int fail(const Reply& r, std::string_view what) {
    std::cerr << "dialer: " << what << " on " << redis_->endpoint() << " failed: " << r.text()
              << '\n';
    return 1;
  }

  bool prepare() {
    if (redis_->command({"EXISTS", keys_.done}).integer()) {
      std::cerr << "dialer: the campaign " << o_.prefix << " on " << redis_->endpoint()
                << " has finished already. Pick a new --prefix, or delete its keys:\n"
                << "  redis-cli -h HOST -p PORT --scan --pattern '" << o_.prefix
                << ":*' | xargs redis-cli -h HOST -p PORT del\n";
      return false;
    }
    Reply had = redis_->command({"HMGET", keys_.campaign, "seed", "calls", "script"});
    if (had.is_error()) return fail(had, "HMGET") == 0;
    const Value v = had.value();
    if (!v[0].is_nil()) {
      const std::string seed = std::to_string(o_.seed), calls = std::to_string(o_.calls);
      if (v[0].text() != seed || v[1].text() != calls ||
          v[2].text() != campaign_.script->fingerprint()) {
        std::cerr << "dialer: the campaign " << o_.prefix << " on " << redis_->endpoint()
                  << " was started with --seed " << v[0].text() << " --calls " << v[1].text()
                  << " and the script " << v[2].text() << "; this dialer has --seed " << seed
                  << " --calls " << calls << " and " << o_.script << " ("
                  << campaign_.script->fingerprint()
                  << "). Resume it with the same ones, or pick a new --prefix.\n";
        return false;
      }
      std::cerr << "dialer: the campaign " << o_.prefix
                << " has begun and not finished: resuming it\n";
      return resume();
    }
    Reply g = redis_->command({"XGROUP", "CREATE", events_key_, Keys::group, "0", "MKSTREAM"});
    if (g.is_error() && !g.text().starts_with("BUSYGROUP")) return fail(g, "XGROUP CREATE") == 0;
    Reply c = redis_->command({"HSET", keys_.campaign, "seed", std::to_string(o_.seed), "calls",
                               std::to_string(o_.calls), "script", campaign_.script->fingerprint(),
                               "placed", "0"});
    if (c.is_error()) return fail(c, "HSET") == 0;
    return true;
  }

  // The campaign from what Redis holds: the calls ended, and each call in
  // flight replayed to the turn its hash records.
  bool resume() {
    ++resumes_;
    Reply g = redis_->command({"XGROUP", "CREATE", events_key_, Keys::group, "0", "MKSTREAM"});
    if (g.is_error() && !g.text().starts_with("BUSYGROUP")) return fail(g, "XGROUP CREATE") == 0;
    // The streams' ends and `placed` at one instant: what came after is read as it comes.
    redis_->append({"MULTI"});
    for (const std::string* k : {&keys_.actions, &keys_.plans, &keys_.results})
      redis_->append({"XREVRANGE", *k, "+", "-", "COUNT", "1"});
    redis_->append({"HGET", keys_.campaign, "placed"});
    redis_->append({"EXEC"});
    for (int i = 0; i < 5; ++i) redis_->reply();
    Reply at = redis_->reply();
    if (at.is_error() || at.value()[3].is_nil()) {
      std::cerr << "dialer: the campaign " << o_.prefix << " is gone from " << redis_->endpoint()
                << " (Redis restarted without persistence?): the calls it held are lost. Run Redis "
                   "with appendonly yes (docs/scaling.md), and start the campaign again under a "
                   "new --prefix.\n";
      return false;
    }
    for (int i = 0; i < 3; ++i)
      cursor_[i] = at.value()[i].size() ? std::string(at.value()[i][0][0].text()) : "0";
    const CallId placed = parse_uint(at.value()[3].text()).value_or(0);
    if (!read_results()) return false;
    lines_.clear();
    plans_seen_.clear();
    std::vector<CallId> live;
    for (CallId id = 1; id <= placed && id <= o_.calls; ++id)
      if (!results_.count(id)) live.push_back(id);
    for (const CallId id : live) {
      redis_->append({"HMGET", keys_.call(id), "seq", "failed"});
      redis_->append({"HGET", keys_.desk_taken, std::to_string(id)});
    }
    std::vector<std::pair<Reply, Reply>> held;
    for (std::size_t i = 0; i < live.size(); ++i) {
      Reply h = redis_->reply();
      held.emplace_back(std::move(h), redis_->reply());
    }
    next_id_ = placed + 1;
    for (std::size_t i = 0; i < live.size(); ++i) {
      const Value h = held[i].first.value();
      const std::uint32_t seq =
          h[0].is_nil() ? 0 : static_cast<std::uint32_t>(parse_uint(h[0].text()).value_or(0));
      replay(live[i], seq, !h[1].is_nil(), held[i].second.text());
    }
    flush();
    std::cerr << "dialer: resumed: " << results_.size() << " calls had ended, " << live.size()
              << " were in flight, the next call is " << next_id_ << '\n';
    return true;
  }

  // P:results up to its cursor: the calls that ended before the resume.
  bool read_results() {
    results_.clear();
    ended_ = failed_ = 0;
    for (std::string from = "-";;) {
      Reply r = redis_->command({"XRANGE", keys_.results, from, cursor_[2], "COUNT", "2000"});
      if (r.is_error()) return fail(r, "XRANGE") == 0;
      const std::vector<Entry> batch = read_entries(r.value());
      if (batch.empty()) break;
      for (const Entry& e : batch) record_result(e);
      from.assign(1, '(');  // exclusive start
      from.append(batch.back().id);
    }
    return true;
  }

  // One call in flight, as it stood: its line replayed through the turns
  // its hash records (`seq`), with the robot's answers computed again here.
  void replay(CallId id, std::uint32_t seq, bool failed, std::string_view taken) {
    auto [it, _] = lines_.emplace(id, Call{CallLine(campaign_, id), {}, StreamId::max()});
    Call& c = it->second;
    c.replayed_to = seq;
    std::optional<LineEvent> next = c.line.first();
    if (failed) {  // ended as failed: its result comes after the cursor
      c.reported_end = true;
      return;
    }
    std::optional<patter::Session> session;
    while (next && next->seq <= seq) {
      if (next->seq == 1) {
        patter::Started s = start_call(campaign_.script, *next);
        if (!s.ok()) break;
        session = std::move(*s);
      }
      apply(*session, *next, turn_, "replay", applied_);
      const std::uint32_t at = next->seq;
      next = c.line.on_report(applied_.report);
      if (applied_.report.ended) c.reported_end = true;
      // Parked on an escalation: a later turn means its plan had come; the
      // last turn's plan is in P:desk:taken if the desk has made it.
      const std::string mine = std::to_string(at) + ' ';
      const bool taken_now = taken.starts_with(mine);
      if (!next && c.line.parked() && (at < seq || taken_now))
        next = c.line.on_plan(Roster::plan_of(
            o_.seed, id, at, taken_now ? std::string(taken.substr(mine.size())) : std::string()));
    }
    if (c.line.abandoned()) {  // given up before, as on_report does: no result will come
      ++abandoned_;
      ++ended_;
      lines_.erase(it);
      return;
    }
    if (next && next->seq == seq + 1) send(c, *next);
  }

  // Workers that have ever read the events of the campaign's script.
  long long workers() {
    flush();
    Reply r = redis_->command({"XINFO", "GROUPS", events_key_});
    for (std::size_t g = 0; g < r.value().size(); ++g) {
      const Value group = r.value()[g];
      for (std::size_t k = 0; k + 1 < group.size(); k += 2)
        if (group[k].text() == "consumers") return group[k + 1].integer();
    }
    return 0;
  }

  std::size_t parked() const {
    std::size_t n = 0;
    for (const auto& [id, c] : lines_) n += c.line.parked();
    return n;
  }

  void start_calls() {
    if (lines_.size() >= o_.window || next_id_ > o_.calls) return;
    // `placed` before the events: a resumed dialer knows every call that may have begun.
    const CallId last = std::min<CallId>(o_.calls, next_id_ + (o_.window - lines_.size()) - 1);
    redis_->append({"HSET", keys_.campaign, "placed", std::to_string(last)});
    writes_.push_back(0);
    while (lines_.size() < o_.window && next_id_ <= o_.calls) {
      const CallId id = next_id_++;
      auto [it, _] = lines_.emplace(id, Call{CallLine(campaign_, id), {}, {}});
      send(it->second, it->second.line.first());
    }
  }

  void send(Call& c, const LineEvent& e) {
    c.sent = Clock::now();
    const Fields f = encode(e);
    redis_->append(xadd_args(events_key_, f));
    writes_.push_back(c.line.id());
    ++events_;
    if (o_.duplicate_every &&
        events_ % o_.duplicate_every == 0) {  // a test: the same turn id twice
      redis_->append(xadd_args(events_key_, f));
      writes_.push_back(0);  // the first copy's id is the one that counts
      ++duplicates_sent_;
    }
    if (writes_.size() >= 256) flush();
  }

  // The replies of the writes sent; an event's is its id in the stream.
  void flush() {
    for (const CallId call : writes_) {
      Reply r = redis_->reply();
      if (r.is_error()) {
        std::cerr << "dialer: a write to " << redis_->endpoint() << " failed: " << r.text() << '\n';
        continue;
      }
      if (call == 0) continue;
      const auto it = lines_.find(call);
      const auto id = StreamId::parse(r.text());
      if (it != lines_.end() && id) it->second.event = *id;
    }
    writes_.clear();
  }

  // Only the dialer reads the actions and the plans, and every event older
  // than the oldest one a call still waits on has been applied and
  // acknowledged: trim the three streams so Redis holds only what is live.
  // (Workers never delete events themselves: XDEL in the commit costs more
  // than the rest of the commit's writes together.)
  void trim() {
    StreamId oldest = StreamId::max();
    for (const auto& [id, c] : lines_) oldest = std::min(oldest, c.event);
    if (oldest != StreamId::max()) {
      redis_->append({"XTRIM", events_key_, "MINID", oldest.text()});
      writes_.push_back(0);
    }
    redis_->append({"XTRIM", keys_.actions, "MINID", cursor_[0]});
    redis_->append({"XTRIM", keys_.plans, "MINID", cursor_[1]});
    writes_.push_back(0);
    writes_.push_back(0);
  }

  void violation(const std::string& what) {
    if (++violations_ <= 10) std::cerr << "dialer: PROTOCOL VIOLATION: " << what << '\n';
  }

  void on_report(const Entry& e) {
    std::string error;
    auto r = decode_report(e.fields, error);
    if (!r) return violation("report " + std::string(e.id) + " is malformed: " + error);
    const auto it = lines_.find(r->call);
    // Resumed: reports of turns replayed already, or of calls that had ended.
    if (resumes_ && ((it != lines_.end() && r->seq <= it->second.replayed_to) ||
                     (it == lines_.end() && results_.count(r->call))))
      return;
    ++turns_;
    ++by_worker_[r->worker];
    if (it == lines_.end() || it->second.line.seq() != r->seq || it->second.reported_end)
      return violation("call " + std::to_string(r->call) + " turn " + std::to_string(r->seq) +
                       " was reported twice, or for a call that is over");
    Call& c = it->second;
    latency_.add(Clock::now() - c.sent);
    if (r->ended) c.reported_end = true;
    if (auto next = c.line.on_report(*r)) send(c, *next);
    if (c.line.abandoned()) {
      ++abandoned_;
      std::cerr << "dialer: call " << r->call << ": the robot refused two events in a row ("
                << patter::to_string(r->status) << "); giving the call up\n";
      finish(it);
      return;
    }
    if (c.reported_end && c.result) finish(it);
  }

  void on_plan(const Entry& e) {
    std::string error;
    auto p = decode_plan(e.fields, error);
    if (!p) return violation("plan " + std::string(e.id) + " is malformed: " + error);
    if (!plans_seen_.insert((std::uint64_t{p->call} << 20) ^ p->seq).second)
      return violation("call " + std::to_string(p->call) + ": the escalation of turn " +
                       std::to_string(p->seq) + " was taken twice (a second plan, by " + p->agent +
                       ")");
    const auto it = lines_.find(p->call);
    if (it == lines_.end()) return;  // a plan for a call that ended meanwhile
    if (auto next = it->second.line.on_plan(*p)) send(it->second, *next);
  }

  // A call's result: false when it is malformed or the call had ended already.
  std::optional<CallId> record_result(const Entry& e) {
    const auto call = parse_uint(field(e.fields, "call").value_or(""));
    const auto json = field(e.fields, "json");
    if (!call || !json) {
      violation("result " + std::string(e.id) + " is malformed");
      return std::nullopt;
    }
    if (!results_.emplace(*call, std::string(*json)).second) {
      violation("call " + std::to_string(*call) + " ended twice");
      return std::nullopt;
    }
    if (field(e.fields, "failed")) failed_calls_.insert(*call), ++failed_;
    ++ended_;
    return call;
  }

  void on_result(const Entry& e) {
    const auto call = record_result(e);
    if (!call) return;
    const auto it = lines_.find(*call);
    if (it == lines_.end())
      return violation("a result for call " + std::to_string(*call) + ", never placed");
    it->second.result = true;
    if (it->second.reported_end) finish(it);
  }

  void finish(std::unordered_map<CallId, Call>::iterator it) {
    if (it->second.line.abandoned()) ++ended_;
    lines_.erase(it);
  }

  void report(double seconds) {
    std::cout << "fleet campaign: " << o_.calls << " calls, " << turns_ << " turns in " << seconds
              << " s: " << static_cast<std::uint64_t>(static_cast<double>(turns_) / seconds)
              << " turns/s\n"
              << "per-turn latency (event published -> its actions read back): "
              << latency_.summary() << '\n'
              << "dialer cpu: " << cpu_seconds() << " s\n"
              << "turns applied per worker:";
    for (const auto& [worker, n] : by_worker_) std::cout << ' ' << worker << '=' << n;
    std::cout << '\n';
    if (duplicates_sent_)
      std::cout << "duplicate events published (same turn id): " << duplicates_sent_ << '\n';
    std::cout << "calls ended: " << results_.size()
              << " (each exactly once), protocol violations: " << violations_
              << ", calls given up: " << abandoned_ << '\n';
    if (failed_)
      std::cout << "calls failed (their snapshot would not restore, or the script refused their "
                   "start; dead letters in "
                << keys_.dead << "): " << failed_ << '\n';
    if (resumes_) std::cout << "resumed from Redis: " << resumes_ << " times\n";
    if (!o_.results.empty()) {
      std::ofstream out(o_.results);
      for (const auto& [id, json] :
           std::map<CallId, std::string_view>(results_.begin(), results_.end()))
        out << id << '\t' << json << '\n';
      if (!out) std::cerr << "dialer: cannot write " << o_.results << '\n';
    }
    if (o_.funnel) {
      patter::Stats stats(campaign_.script);
      for (const auto& [id, json] : results_)
        if (!failed_calls_.count(id)) (void)stats.add_json(json);
      std::cout << '\n' << stats.report().to_text();
    }
  }

  const Options& o_;
  Keys keys_;
  Campaign campaign_;
  std::unique_ptr<Redis> redis_;
  std::string events_key_;
  std::unordered_map<CallId, Call> lines_;
  std::unordered_map<CallId, std::string> results_;
  std::map<std::string, std::uint64_t> by_worker_;
  std::string cursor_[3] = {"0", "0", "0"};
  Latency latency_;
  CallId next_id_ = 1;
  std::uint64_t ended_ = 0, turns_ = 0, events_ = 0, duplicates_sent_ = 0, violations_ = 0,
                abandoned_ = 0;
  std::uint64_t trimmed_ = 0, failed_ = 0, resumes_ = 0;
  std::unordered_set<CallId> failed_calls_;
  std::unordered_set<std::uint64_t> plans_seen_;  // (call, seq) of each plan read
  Clock::time_point start_;
  patter::Turn turn_;  // replays
  AppliedTurn applied_;
  std::vector<CallId> writes_;  // writes sent, replies not read: the call of each event, else 0
};

}  // namespace

int run_dialer(const Options& o) {
  std::string error;
  auto campaign = Campaign::load(o.script, o.personas, o.seed, error);
  if (!campaign) {
    std::cerr << "dialer: " << error << '\n';
    return 1;
  }
  auto redis = Redis::connect(o.redis, error);
  if (!redis) {
    std::cerr << "dialer: " << error << '\n';
    return 1;
  }
  Dialer d(o, std::move(*campaign), std::move(redis));
  return d.run();
}

}  // namespace fleet
