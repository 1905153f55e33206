// desk — the desk service: it reads the campaign's escalations, gives each
// to a person (roster.hpp: a patter::Desk whose calls are remote, their
// sessions in Redis) and tells the dialer who picks up and when.
//
//   patter_fleet desk --redis 127.0.0.1:6379 --agents 20
//
// Escalations come from P:escalations, written by the worker that applied
// the escalating turn, in the same atomic commit as the turn itself: an
// escalation is never lost or published twice. Plans go to P:plans, which
// the dialer reads; it bridges the person in (agent_joined) and out
// (agent_left). A person is free again when their call's result appears on
// P:results. The service stops when the dialer sets P:done.
//
// Nothing the desk knows lives only in its memory. It reads escalations
// through the consumer group "desk" and acknowledges one only when its call
// has ended, so an escalation waiting for a person, or with a person, stays
// pending; a plan is published together with P:desk:taken (who took which
// escalation), in one MULTI. A desk killed and started again (or one that
// lost Redis and reconnected) reads its pending escalations back: those
// whose call ended meanwhile are acknowledged, those a person had taken go
// back to that person without a second plan, and the rest wait for one as
// before. None is stranded, none is taken twice. Run one desk service per
// campaign (its consumer name is fixed: "desk").
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>
#include <unordered_map>

#include "options.hpp"
#include "protocol.hpp"
#include "redis.hpp"
#include "roster.hpp"

namespace fleet {
namespace {

std::atomic<bool> stop_requested{false};
void on_stop_signal(int) {
  stop_requested = true;
}

constexpr std::string_view kConsumer = "desk";

class DeskService {
 public:
  DeskService(const Options& o, std::unique_ptr<Redis> redis)
      : o_(o), keys_(o.prefix), redis_(std::move(redis)) {}

  int run() {
    for (;;) {
      try {
        if (!seed_ && !wait_for_seed()) return 0;
        recover();
        serve();
        break;
      } catch (const ConnectionLost& e) {
        std::cerr << "desk: " << e.what() << '\n';
        redis_->reconnect(o_.redis_retry_s, "desk", &stop_requested);
        writes_ = 0;  // their replies went with the connection
      }
    }
    std::cerr << "desk: " << escalations_ << " escalations, " << roster_->taken()
              << " given to a person (" << roster_->waited() << " waited for one to be free)";
    if (recovered_) std::cerr << ", " << recovered_ << " taken up again after a restart";
    if (malformed_) std::cerr << ", " << malformed_ << " malformed";
    std::cerr << '\n';
    return 0;
  }

 private:
  // The people's draws use the campaign's seed, which the dialer publishes.
  bool wait_for_seed() {
    for (int waited = 0; !seed_ && !stop_requested; ++waited) {
      Reply s = ask({"HGET", keys_.campaign, "seed"});
      if (!s.is_nil()) seed_ = parse_uint(s.text());
      if (!seed_ && waited == 50)
        std::cerr << "desk: waiting for a dialer to start the campaign " << o_.prefix << " on "
                  << redis_->endpoint() << '\n';
      if (!seed_) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return seed_.has_value();
  }

  // A command and its reply, after the replies of the writes queued before
  // it (the pipeline answers in order).
  Reply ask(std::initializer_list<std::string_view> args) {
    read_writes();
    return redis_->command(args);
  }

  void check(const Reply& r, std::string_view what) {
    if (r.is_error())
      throw RedisError(std::string(what) + " on " + redis_->endpoint() +
                       " failed: " + std::string(r.text()));
  }

  // From what Redis holds: the escalations still pending (their calls not
  // ended), and who had taken them.
  void recover() {
    roster_.emplace(*seed_, o_.agents);
    pending_.clear();
    Reply g = ask({"XGROUP", "CREATE", keys_.escalations, Keys::desk_group, "0", "MKSTREAM"});
    if (g.is_error() && !g.text().starts_with("BUSYGROUP")) check(g, "XGROUP CREATE");
    // Results from now on release people; a call that ended before is seen
    // in its hash below. (The cursor first, so no result falls between.)
    Reply last = ask({"XREVRANGE", keys_.results, "+", "-", "COUNT", "1"});
    check(last, "XREVRANGE");
    results_cursor_ = last.value().size() ? std::string(last.value()[0][0].text()) : "0";
    std::unordered_map<CallId, std::pair<std::uint32_t, std::string>> taken;
    Reply t = ask({"HGETALL", keys_.desk_taken});
    check(t, "HGETALL");
    for (std::size_t i = 0; i + 1 < t.value().size(); i += 2) {
      const std::string_view v = t.value()[i + 1].text();
      const auto call = parse_uint(t.value()[i].text());
      const auto seq = parse_uint(v.substr(0, v.find(' ')));
      if (call && seq && v.find(' ') != std::string_view::npos)
        taken[*call] = {static_cast<std::uint32_t>(*seq), std::string(v.substr(v.find(' ') + 1))};
    }
    std::vector<EscalationNote> notes;
    // Those read before (pending), then those never read: a call may have
    // escalated and ended while no desk was running, with its result before
    // the cursor; its hash says so.
    bool unread = false;
    for (std::string after = "0";;) {
      Reply r = ask({"XREADGROUP", "GROUP", Keys::desk_group, kConsumer, "COUNT", "1000", "STREAMS",
                     keys_.escalations, unread ? std::string_view(">") : std::string_view(after)});
      check(r, "XREADGROUP");
      const auto batches = read_streams(r);
      if (batches.empty() || batches[0].entries.empty()) {
        if (unread) break;
        unread = true;
        continue;
      }
      for (const Entry& e : batches[0].entries)
        if (auto n = note_of(e)) notes.push_back(*n);
      after.assign(batches[0].entries.back().id);
      last_read_.assign(after);
    }
    read_writes();
    for (const EscalationNote& n : notes) redis_->append({"HEXISTS", keys_.call(n.call), "snap"});
    std::vector<bool> live(notes.size());
    for (std::size_t i = 0; i < notes.size(); ++i) live[i] = redis_->reply().integer() == 1;
    // Those a person had taken first, so their person is free for them;
    // then the ones still waiting.
    std::vector<const EscalationNote*> waiting;
    for (std::size_t i = 0; i < notes.size(); ++i) {
      const EscalationNote& n = notes[i];
      if (!live[i]) continue;  // ended meanwhile: released (acknowledged) below
      const auto it = taken.find(n.call);
      if (it != taken.end() && n.seq < it->second.first) continue;  // a later one was taken
      ++recovered_;
      if (it == taken.end() || n.seq != it->second.first) {
        waiting.push_back(&n);
        continue;
      }
      bool adopted = false;
      for (const PersonPlan& p : roster_->adopt(n, it->second.second, &adopted)) publish(p);
    }
    for (const EscalationNote* n : waiting)
      for (const PersonPlan& p : roster_->escalate(*n)) publish(p);
    for (std::size_t i = 0; i < notes.size(); ++i)
      if (!live[i]) release(notes[i].call);
    for (const auto& [call, who] : taken)
      if (!pending_.count(call))
        redis_->append({"HDEL", keys_.desk_taken, std::to_string(call)}), ++writes_;
    read_writes();
    if (!notes.empty())
      std::cerr << "desk: " << notes.size() << " escalations were pending or unread; "
                << pending_.size() << " calls still wait for a person or have one\n";
    std::cerr << "desk: " << roster_->agents() << " people ready for the campaign " << o_.prefix
              << " (seed " << *seed_ << ")\n";
  }

  // An escalation read from the group: kept pending (by call) until the call ends.
  std::optional<EscalationNote> note_of(const Entry& e) {
    std::string error;
    auto note = decode_escalation(e.fields, error);
    if (!note) {
      std::cerr << "desk: escalation " << e.id << " is malformed (" << error
                << "); acknowledged and skipped\n";
      ++malformed_;
      redis_->append({"XACK", keys_.escalations, Keys::desk_group, e.id});
      ++writes_;  // read before the next command (ask)
      return std::nullopt;
    }
    pending_[note->call].emplace_back(e.id);
    return note;
  }

  void serve() {
    std::uint64_t since_trim = 0;
    while (!stop_requested) {
      // Results first, then escalations: every escalation of a call whose
      // result is in hand is then in hand too, and is handled before the
      // call is released.
      Reply res =
          ask({"XREAD", "COUNT", "1000", "BLOCK", "50", "STREAMS", keys_.results, results_cursor_});
      check(res, "XREAD");
      bool got = false;
      for (;;) {
        Reply r = ask({"XREADGROUP", "GROUP", Keys::desk_group, kConsumer, "COUNT", "1000",
                       "STREAMS", keys_.escalations, ">"});
        check(r, "XREADGROUP");
        const auto batches = read_streams(r);
        if (batches.empty() || batches[0].entries.empty()) break;
        got = true;
        last_read_ = std::string(batches[0].entries.back().id);
        for (const Entry& e : batches[0].entries) {
          const auto note = note_of(e);
          if (!note) continue;
          ++escalations_;
          for (const PersonPlan& p : roster_->escalate(*note)) publish(p);
        }
        if (batches[0].entries.size() < 1000) break;
      }
      for (const StreamBatch& s : read_streams(res)) {
        if (s.entries.empty()) continue;
        got = true;
        results_cursor_ = std::string(s.entries.back().id);
        for (const Entry& e : s.entries)
          if (const auto call = parse_uint(field(e.fields, "call").value_or(""))) {
            release(*call);
            ++since_trim;
          }
      }
      if (since_trim >= 500) {
        since_trim = 0;
        trim();
      }
      read_writes();
      if (!got && ask({"EXISTS", keys_.done}).integer() == 1) break;
    }
  }

  // A plan and who took it, in one step: a restarted desk never publishes
  // a second plan for an escalation a person has taken.
  void publish(const PersonPlan& p) {
    const Fields f = encode(p);
    redis_->append({"MULTI"});
    redis_->append(xadd_args(keys_.plans, f));
    redis_->append(
        {"HSET", keys_.desk_taken, std::to_string(p.call), std::to_string(p.seq) + ' ' + p.agent});
    redis_->append({"EXEC"});
    writes_ += 4;
  }

  // The call ended: its escalations are done with, and its person is free.
  void release(CallId call) {
    const auto it = pending_.find(call);
    if (it != pending_.end()) {
      std::vector<std::string_view> ack{"XACK", keys_.escalations, Keys::desk_group};
      for (const std::string& id : it->second) ack.push_back(id);
      const std::string field = std::to_string(call);
      redis_->append({"MULTI"});
      redis_->append(ack);
      redis_->append({"HDEL", keys_.desk_taken, field});
      redis_->append({"EXEC"});
      writes_ += 4;
      pending_.erase(it);
    }
    for (const PersonPlan& p : roster_->release(call)) publish(p);
  }

  // Only the desk reads the escalations: keep those still pending.
  void trim() {
    Reply p = ask({"XPENDING", keys_.escalations, Keys::desk_group});
    check(p, "XPENDING");
    if (p.value()[0].integer() > 0)
      redis_->append({"XTRIM", keys_.escalations, "MINID", p.value()[1].text()});
    else if (!last_read_.empty())  // entries after it have not been read yet
      redis_->append({"XTRIM", keys_.escalations, "MINID", last_read_});
    else
      return;
    ++writes_;
  }

  void read_writes() {
    for (; writes_ > 0; --writes_) {
      Reply w = redis_->reply();
      if (w.is_error())
        std::cerr << "desk: a write to " << redis_->endpoint() << " failed: " << w.text() << '\n';
    }
  }

  const Options& o_;
  Keys keys_;
  std::unique_ptr<Redis> redis_;
  std::optional<std::uint64_t> seed_;
  std::optional<Roster> roster_;
  // The ids of each call's escalations read and not acknowledged.
  std::unordered_map<CallId, std::vector<std::string>> pending_;
  std::string results_cursor_ = "0", last_read_;
  std::size_t writes_ = 0;  // replies not read yet
  std::uint64_t escalations_ = 0, malformed_ = 0, recovered_ = 0;
};

}  // namespace

int run_desk(const Options& o) {
  std::string error;
  auto redis = Redis::connect(o.redis, error);
  if (!redis) {
    std::cerr << "desk: " << error << '\n';
    return 1;
  }
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  DeskService desk(o, std::move(redis));
  return desk.run();
}

}  // namespace fleet
