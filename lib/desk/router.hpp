// The desk's routing (patter/desk_router.hpp), with the finer steps a
// session owner needs: patter::Desk reserves a person, steps the session
// (which may refuse or end the call instead) and only then commits the
// person, or gives them back. DeskRouter composes the same steps.
//
// Locks, so that threads on different calls and agents do not meet:
//   - a call's routing state is under the mutex of its shard of the call
//     table (64 shards, each on its own cache line), with the counters the
//     call moves (summed when read);
//   - an agent's state is atomics: `talking` is claimed by compare-exchange,
//     the counters are relaxed; its training assessment has a mutex;
//   - the table of agents is copied on write (add/remove are rare): readers
//     load a pointer, never lock;
//   - the queue has a mutex of its own, and its size in an atomic, so the
//     many operations that free a person look at it without locking.
// Order: a shard, then the queue, then an agent's assessment. No thread
// holds two shards; taking the head of the queue pops it, lets the queue
// go, then locks the call's shard.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "patter/desk_router.hpp"

namespace patter::detail {

constexpr std::size_t kOutcomeCount = static_cast<std::size_t>(Outcome::error) + 1;

/// The shards of the call tables (the router's, the desk's).
constexpr std::size_t kCallShards = 64;
/// patter::Desk numbers its own calls in blocks of kIdBlock ids, block b
/// belonging to shard b % kCallShards: a thread opens its calls in a shard
/// of its own, with ids consecutive within a block (1, 2, 3... for the
/// first thread). Other ids (remote calls, DeskRouter's) go by id %
/// kCallShards, so a host's interleaved ids spread over the shards.
constexpr CallId kIdBlock = CallId{1} << 16;
constexpr std::size_t shard_of(CallId id, bool blocks) noexcept {
  return static_cast<std::size_t>((blocks && (id >> 63) == 0 ? id / kIdBlock : id) % kCallShards);
}

/// What the desk's per-thread and per-person structures are aligned to:
/// two cache lines, the pair that x86 cores' adjacent-line prefetchers
/// fetch together, so two threads' hot fields (a shard's lock, a person's
/// counters) never share a pair, wherever the allocator puts them.
constexpr std::size_t kFalseSharingSpan = 128;

struct alignas(kFalseSharingSpan) RouterAgent {
  std::string id;
  AgentOptions options;
  std::atomic<std::uint32_t> supervising{0};
  std::atomic<CallId> talking{0};  // the call this person is on (or reserved for); 0: free
  std::atomic<bool> removed{false};
  std::atomic<std::uint64_t> calls{0}, escalations{0}, grabs{0}, hand_backs{0}, takes{0},
      take_ms{0};
  std::atomic<std::uint64_t> take_overs{0}, barges{0}, reassigns{0};  // a supervisor's
  std::array<std::atomic<std::uint64_t>, kOutcomeCount> outcomes{};
  std::mutex m;  // the assessment
  TrainingAssessment assessment;
  double offset_sum = 0;
  std::uint64_t offset_n = 0;
};

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

struct RouterCall {
  RouterAgent* supervisor = nullptr;
  RouterAgent* with = nullptr;    // committed: the person on the call
  RouterAgent* barged = nullptr;  // a supervisor beside them (router_supervision.cpp)
  bool waiting = false, queued = false;
  std::uint64_t since = 0;
  QueueKey key;
  // Training (supervised by a trainee).
  bool script_escalated = false, grabbed = false, decided = false;
  std::uint64_t script_escalated_at = 0, grabbed_at = 0;
};

/// What an escalation asks of the owner: join `to` now (reserved), or the
/// call is queued and `free` may take the head (auto-assignment).
struct Escalated {
  DeskStatus status = DeskStatus::ok;
  RouterAgent* to = nullptr;
  RouterAgent* free = nullptr;
  bool queued = false;
};

class Router {
 public:
  /// `desk_ids`: the owner numbers its calls in blocks (kIdBlock).
  explicit Router(RouterOptions o, bool desk_ids = false);
  ~Router();

  const RouterOptions& options() const { return opt_; }

  DeskStatus add_agent(std::string id, AgentOptions options);
  DeskStatus remove_agent(std::string_view id);
  std::vector<std::string> agents() const;
  RouterAgent* agent(std::string_view id) const;

  /// Opens `call` under `agent` (or the least loaded); the supervisor out.
  DeskStatus open(CallId call, std::string_view agent, RouterAgent** supervisor);
  Escalated escalate(CallId call, int priority, double score, std::uint64_t at);
  /// The call stopped waiting without a person: the hold policy gave up
  /// (`gave_up`), or the call ended. False when it was not waiting.
  bool stopped_waiting(CallId call, bool gave_up);
  /// The call is over; `freed`: the person it freed (to take the next), if
  /// any, and `freed_barged` the supervisor barged in beside them. With
  /// `by`: only when that person has the call (not_with_agent), who ended it.
  DeskStatus ended(CallId call, Outcome outcome, RouterAgent** freed,
                   RouterAgent** freed_barged = nullptr, std::string_view by = {});
  bool has_call(CallId call) const;

  /// Claims `agent` for a grab of `call` (not yet committed).
  DeskStatus reserve_grab(std::string_view agent, CallId call, RouterAgent** out);
  /// Claims `agent` and pops the head of the queue for them.
  DeskStatus reserve_head(std::string_view agent, bool automatic, RouterAgent** out, CallId* call);
  /// A reserved person joined: `grab` (their own) or an assignment. Not
  /// ok when the call ended, has a person, or (assignment) waits no more.
  DeskStatus commit(RouterAgent& a, CallId call, std::uint64_t at, bool grab);
  /// A reserved person did not join (the call ended or stopped waiting).
  static void release(RouterAgent& a, CallId call);
  /// The person hands the call back; `out`: them, `out_barged`: the
  /// supervisor barged in beside them, who leaves with them.
  DeskStatus handed_back(std::string_view agent, CallId call, RouterAgent** out,
                         RouterAgent** out_barged = nullptr);

  // ---- supervisors (router_supervision.cpp) ----------------------------------
  /// The agent named, if a supervisor: else unknown_agent or not_permitted.
  DeskStatus supervisor(std::string_view name, RouterAgent** out) const;
  /// `s` replaces the person on `call`, who is freed (`displaced`).
  /// not_with_agent when nobody has the call (take it: reserve_take_over).
  DeskStatus replace_person(RouterAgent& s, CallId call, RouterAgent** displaced);
  /// Claims `s` for a call nobody has (the robot's, or waiting); committed
  /// by commit_take_over once the session has them joined.
  DeskStatus reserve_take_over(RouterAgent& s, CallId call);
  DeskStatus commit_take_over(RouterAgent& s, CallId call, std::uint64_t at);
  /// `s` joins the person on `call`; not_with_agent when nobody has it.
  DeskStatus barge(RouterAgent& s, CallId call);
  /// The barged-in `s` leaves the call (and is free).
  DeskStatus leave(RouterAgent& s, CallId call);
  /// Claims `to` for a waiting call; committed by commit_reassign.
  DeskStatus reserve_reassign(RouterAgent& to, CallId call);
  DeskStatus commit_reassign(RouterAgent& by, RouterAgent& to, CallId call, std::uint64_t at);
  DeskStatus script_escalated(CallId call, std::uint64_t at);

  std::optional<RoutedCall> call(CallId call) const;
  std::vector<CallId> queue() const;
  std::size_t open_calls() const;
  DeskCounters counters() const;
  std::optional<AgentStats> stats(std::string_view agent) const;
  std::vector<AgentStats> all_stats() const;
  std::optional<TrainingAssessment> assessment(std::string_view trainee) const;

 private:
  using AgentTable = std::map<std::string, RouterAgent*, std::less<>>;
  struct alignas(kFalseSharingSpan) Shard {
    mutable std::mutex m;
    std::unordered_map<CallId, RouterCall> calls;
    DeskCounters counters;
  };
  static constexpr std::size_t kShards = kCallShards;
  Shard& shard(CallId id) noexcept { return shards_[shard_of(id, desk_ids_)]; }
  const Shard& shard(CallId id) const noexcept { return shards_[shard_of(id, desk_ids_)]; }
  const AgentTable& table() const noexcept { return *table_.load(std::memory_order_acquire); }
  static bool claim_room(RouterAgent& a);
  RouterAgent* least_loaded() const;
  RouterAgent* free_answerer() const;
  void enqueue(RouterCall& c, CallId id, int priority, double score, std::uint64_t at, Shard& sh);
  void unqueue(RouterCall& c);
  void decide(RouterCall& c, CallId id, GrabVerdict v, std::int64_t offset);

  RouterOptions opt_;
  bool desk_ids_ = false;
  std::array<Shard, kShards> shards_;
  // The agents: a table copied on each change, old tables and removed
  // agents kept until the router goes (readers never lock).
  std::atomic<const AgentTable*> table_;
  std::mutex write_m_;
  std::vector<std::unique_ptr<AgentTable>> tables_;
  std::vector<std::unique_ptr<RouterAgent>> all_agents_;
  mutable std::mutex queue_m_;
  std::set<QueueKey> queue_;
  // Its size, read without the lock: a person freed looks at the queue
  // only when a call waits. (A person freed stores `talking` before reading
  // it; an escalation queued writes it before looking for a free person:
  // one of the two sees the other.)
  std::atomic<std::size_t> queued_n_{0};
  std::uint64_t queue_seq_ = 0;
};

AgentStats stats_of(const RouterAgent& a);

}  // namespace patter::detail
