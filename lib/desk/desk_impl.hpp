// The desk's insides, shared by the files that implement it by concept:
// desk.cpp (calls and people), escalation_routing.cpp (the queue and who
// takes a call), listen_in.cpp (what subscribers see), training.cpp (a
// trainee's grabs against the script's escalations).
//
// Locks: each call has its own mutex (its session, its person, its
// subscribers); one desk mutex covers the agents, the queue and the
// counters; the table of calls has a reader-writer lock of its own, held
// only to look a call up, add or remove it. A thread may take the desk
// mutex while holding a call's, never the other way round, so they cannot
// deadlock. Callbacks to the host run after every lock is released.
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "patter/desk.hpp"

namespace patter {

struct QueueKey {
  int priority = 0;         // higher first
  double score = 0;         // higher first
  std::uint64_t since = 0;  // earlier first
  std::uint64_t seq = 0;
  CallId call = 0;
  bool operator<(const QueueKey& o) const noexcept {
    if (priority != o.priority) return priority > o.priority;
    if (score != o.score) return score > o.score;
    if (since != o.since) return since < o.since;
    return seq < o.seq;
  }
};

/// Work for after the locks are released: host callbacks, auto-assignment.
struct Later {
  std::vector<std::function<void()>> jobs;
  void operator()(std::function<void()> f) { jobs.push_back(std::move(f)); }
  void run() {
    for (auto& j : jobs) j();
  }
};

constexpr std::size_t kOutcomes = static_cast<std::size_t>(Outcome::error) + 1;
/// Longest customer text a listen-in event carries, in bytes.
constexpr std::size_t kListenTextMax = 1024;

struct DeskCall {
  explicit DeskCall(Session s) : session(std::move(s)) {}
  std::mutex m;
  CallId id = 0;
  Session session;
  std::string supervisor;  // fixed when the call opens
  bool trainee = false;    // supervised by a trainee: escalations wait for their grab
  std::string with;        // the person who has the call
  std::vector<std::shared_ptr<Subscription>> subs;
  // The customer's last words, for assist().
  bool has_last = false;
  Event last;
  std::string last_text;
  // Training: the script's escalation point and the trainee's decision.
  std::optional<Session> shadow;  // the robot's course after an early grab
  bool script_escalated = false, grabbed = false, decided = false;
  bool closed = false;  // ended() has run: out of the table, counted, its hooks queued
  std::uint64_t script_escalated_at = 0, grabbed_at = 0;
};

struct AgentState {
  std::string id;
  AgentOptions options;
  std::uint32_t supervising = 0;
  CallId talking = 0;  // the call this person is on; 0: free
  std::uint64_t calls = 0, escalations = 0, grabs = 0, hand_backs = 0, takes = 0;
  double take_ms = 0;
  std::array<std::uint64_t, kOutcomes> outcomes{};
  TrainingAssessment assessment;
  double offset_sum = 0;
  std::uint64_t offset_n = 0;
};

struct Desk::Impl {
  explicit Impl(DeskOptions o) : opt(std::move(o)) {}

  DeskOptions opt;
  mutable std::mutex m;
  // The table of calls, in shards by id, so threads working on different
  // calls rarely touch the same lock.
  struct Shard {
    mutable std::shared_mutex m;
    std::unordered_map<CallId, std::shared_ptr<DeskCall>> calls;
  };
  static constexpr std::size_t kShards = 16;
  std::array<Shard, kShards> shards;
  Shard& shard(CallId id) noexcept { return shards[id % kShards]; }
  const Shard& shard(CallId id) const noexcept { return shards[id % kShards]; }
  std::map<std::string, AgentState, std::less<>> agents;
  std::set<QueueKey> queue;
  std::unordered_map<CallId, QueueKey> in_queue;
  std::uint64_t seq = 0;
  CallId next_id = 1;
  DeskCounters counters;

  std::shared_ptr<DeskCall> find(CallId id) const {
    const Shard& sh = shard(id);
    std::shared_lock lock(sh.m);
    auto it = sh.calls.find(id);
    return it == sh.calls.end() ? nullptr : it->second;
  }

  AgentState* agent(std::string_view id) {
    auto it = agents.find(id);
    return it == agents.end() ? nullptr : &it->second;
  }

  void unqueue(CallId id) {  // desk lock held
    auto it = in_queue.find(id);
    if (it == in_queue.end()) return;
    queue.erase(it->second);
    in_queue.erase(it);
  }

  void release(std::string_view agent_id, CallId id) {  // desk lock held
    if (AgentState* a = agent(agent_id); a && a->talking == id) a->talking = 0;
  }

  // ---- listen-in -------------------------------------------------------------

  static void publish(DeskCall& c, ListenEvent e);

  static void publish_turn(DeskCall& c, const Event* event, const Turn& t, std::uint64_t at);

  // ---- after each step of a call's session (call lock held) ------------------

  void after_step(DeskCall& c, const Event* event, Turn& t, std::uint64_t at, bool was_awaiting,
                  Later& later, std::string* assigned);

  /// The call is over (call lock held).
  void ended(DeskCall& c, std::uint64_t at, Later& later);

  // ---- escalations: the queue and who takes a call ---------------------------

  /// An escalation from the script: to the supervisor if free, else the queue.
  void route(DeskCall& c, const Action& a, std::uint64_t at, Later& later, std::string* assigned);

  /// A person joins the call (call lock held; the person is reserved).
  /// False when the call ended instead: a robot still talking (hold mode
  /// `script`) was past the call's duration limit, which comes first, and
  /// closed the call; the caller gives the person back.
  bool join(DeskCall& c, const std::string& who, std::uint64_t at, bool taken, Later& later);

  /// Give the head of the queue to a free agent (auto-assignment).
  void assign_next(const std::string& who, std::uint64_t at);

  DeskStatus take(std::string_view who, std::uint64_t at, Turn& t, CallId* out, bool automatic);

  DeskStatus take_head(std::string_view who, std::uint64_t at, Turn& t, CallId* out, bool automatic,
                       Later& later);

  // ---- training --------------------------------------------------------------

  void shadow_step(DeskCall& c, const Event& e, std::uint64_t at);

  void decide(DeskCall& c, GrabVerdict v, std::int64_t offset);
};

}  // namespace patter
