// The desk's insides, shared by the files that implement it by concept:
// desk.cpp (calls and people), escalation_routing.cpp (the queue and who
// takes a call), listen_in.cpp (what subscribers see), training.cpp (a
// trainee's grabs against the script's escalations), desk_supervision.cpp
// (supervisors and the people on a call: whisper, barge, take over, notes,
// reassign, say).
//
// Locks: each call has its own mutex (its session, its person, its
// subscribers); the routing (people, the queue, the counters) is
// detail::Router's, with locks of its own (router.hpp), taken while a
// call's mutex is held, never the other way round. The table of calls is in
// shards with reader-writer locks, held only to look a call up, add or
// remove it. Callbacks to the host run after every lock is released.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "patter/desk.hpp"
#include "router.hpp"

namespace patter {

/// Work for after the locks are released: host callbacks, auto-assignment.
struct Later {
  std::vector<std::function<void()>> jobs;
  void operator()(std::function<void()> f) { jobs.push_back(std::move(f)); }
  void run() {
    for (auto& j : jobs) j();
  }
};

/// Longest customer text a listen-in event carries, in bytes.
constexpr std::size_t kListenTextMax = 1024;

struct DeskCall {
  explicit DeskCall(Session s) : session(std::move(s)) {}
  std::mutex m;
  CallId id = 0;
  Session session;
  std::string supervisor;           // fixed when the call opens
  bool trainee = false;             // supervised by a trainee: escalations wait for their grab
  std::string with;                 // the person who has the call
  std::string barged;               // a supervisor beside them (desk_supervision.cpp)
  std::vector<CoachingNote> notes;  // at most kMaxNotes
  std::vector<std::shared_ptr<Subscription>> subs;
  // The customer's last words, for assist().
  bool has_last = false;
  Event last;
  std::string last_text;
  // Training: the script's escalation point and the trainee's decision.
  std::optional<Session> shadow;  // the robot's course after an early grab
  bool script_escalated = false;  // (the verdicts are the router's)
  bool closed = false;            // ended() has run: out of the table, counted, its hooks queued
};

struct Desk::Impl {
  explicit Impl(DeskOptions o)
      : opt(std::move(o)),
        router(RouterOptions{opt.auto_assign, opt.on_time_ms}, /*desk_ids=*/true) {}

  DeskOptions opt;
  detail::Router router;
  // The table of calls, in shards by id, so threads working on different
  // calls rarely touch the same lock. A call opens in the shard of the
  // thread that opens it (its home, see home()) and takes its id from that
  // shard's blocks of ids (detail::kIdBlock; block b is shard b % kShards's,
  // in the router too). So a dialer thread's calls stay on cache lines,
  // locks and router shards of its own, no counter is shared by all
  // threads, and one thread's ids are consecutive within a block. Ids stay
  // below kRemoteCall.
  struct alignas(detail::kFalseSharingSpan) Shard {
    mutable std::shared_mutex m;
    std::unordered_map<CallId, std::shared_ptr<DeskCall>> calls;
    CallId next = 0, end = 0;  // the ids left in the shard's current block
    CallId blocks = 0;         // blocks taken so far
    // The scripts this shard opens calls with, each under a reference count
    // of the shard's own (desk.cpp): sessions starting and ending on
    // different threads then never write to one shared count. A handle
    // holds the host's shared_ptr; it goes once its calls here have ended
    // and the shard opens a call on another script.
    struct ScriptSlot {
      const Script* script = nullptr;
      std::shared_ptr<const Script> local;
    };
    std::array<ScriptSlot, 4> scripts;
    std::uint8_t next_slot = 0;
    const std::shared_ptr<const Script>& local(const std::shared_ptr<const Script>& s);
  };
  static constexpr std::size_t kShards = detail::kCallShards;
  std::array<Shard, kShards> shards;
  Shard& shard(CallId id) noexcept { return shards[detail::shard_of(id, true)]; }
  const Shard& shard(CallId id) const noexcept { return shards[detail::shard_of(id, true)]; }
  /// The calling thread's shard: threads take shards in turn as they first
  /// open a call (on any desk), so a few dialer threads get one each.
  static std::size_t home() noexcept;

  std::shared_ptr<DeskCall> find(CallId id) const {
    const Shard& sh = shard(id);
    std::shared_lock lock(sh.m);
    auto it = sh.calls.find(id);
    return it == sh.calls.end() ? nullptr : it->second;
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
  bool join(DeskCall& c, detail::RouterAgent& who, std::uint64_t at, Later& later);

  /// Give the head of the queue to a free agent (auto-assignment).
  void assign_next(const std::string& who, std::uint64_t at);

  /// `routed`: where to list the call given (for a remote call's event).
  DeskStatus take(std::string_view who, std::uint64_t at, Turn& t, CallId* out, bool automatic,
                  Routing* routed = nullptr);

  DeskStatus take_head(std::string_view who, std::uint64_t at, Turn& t, CallId* out, bool automatic,
                       Later& later, Routing* routed);

  // ---- remote calls (desk_remote.cpp): no session, no call lock ---------------

  /// What an operation on a session says of a remote call's id.
  DeskStatus remote_status(CallId id) const;
  /// What an operation on a call says when the desk holds no session for
  /// `id`: remote_call for an open remote call, else unknown_call.
  DeskStatus missing(CallId id) const {
    return is_remote_call(id) ? remote_status(id) : DeskStatus::unknown_call;
  }
  DeskStatus grab_remote(std::string_view agent, CallId id, std::uint64_t at);
  DeskStatus hand_back_remote(std::string_view agent, CallId id, std::uint64_t at);
  DeskStatus finish_remote(std::string_view agent, CallId id, std::uint64_t at);
  std::optional<CallInfo> remote_info(CallId id) const;
  /// A person freed (by a remote call) takes the head of the queue.
  void next_for(detail::RouterAgent* freed, std::uint64_t at, Routing* routed);

  // ---- supervisors (desk_supervision.cpp) -------------------------------------

  /// Supervisor `s` takes the call (call lock held): from its person, or
  /// from the robot or the queue.
  DeskStatus take_call(DeskCall& c, detail::RouterAgent& s, std::uint64_t at, Turn& t,
                       Later& later);
  /// Supervisor `by` gives the waiting call to `to` (call lock held).
  DeskStatus give(DeskCall& c, detail::RouterAgent& by, detail::RouterAgent& to, std::uint64_t at,
                  Turn& t, Later& later);

  /// The notes of calls that ended, kept while on_call_ended runs for them.
  mutable std::mutex ending_m;
  std::unordered_map<CallId, std::vector<CoachingNote>> ending_notes;
  void keep_notes(DeskCall& c);
  void drop_notes(CallId id);

  // ---- training --------------------------------------------------------------

  void shadow_step(DeskCall& c, const Event& e, std::uint64_t at);
};

}  // namespace patter
