// Remote calls on the desk (patter/desk.hpp): calls whose sessions live
// elsewhere, routed next to the calls the desk owns, with the same people,
// queue, counters and training verdicts; and every operation that cannot
// apply to one kind refused with a status that says why.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using patter::Desk;
using patter::DeskStatus;
using patter::Priority;
using patter::remote_call;

std::shared_ptr<const patter::Script> load() {
  auto r = patter::load_string(R"(patter: 1
id: desk_remote_test
version: "1"
locale: en-US
intents:
  yes: [yes, sure]
  no: [no]
start: hello
nodes:
  hello:
    say: "Hi, interested in solar?"
    routes:
      - {intent: yes, to: transfer}
      - {intent: no, to: bye}
  transfer:
    say: "Connecting you now."
    escalate: interested
  bye:
    say: "Goodbye."
    hangup: not_interested
)",
                               "desk_remote_test.yaml");
  EXPECT_TRUE(r.ok());
  return r.script;
}

// An owned call, answered, that escalated ("yes").
patter::CallId owned_escalated(Desk& desk, const std::shared_ptr<const patter::Script>& s,
                               std::string_view agent, std::uint64_t at) {
  auto c = desk.open_call(s, {}, agent);
  EXPECT_TRUE(c.ok()) << patter::to_string(c.code());
  patter::Turn t;
  EXPECT_EQ(desk.step(c->id, patter::Event::answered(at), t), DeskStatus::ok);
  EXPECT_EQ(desk.step(c->id, patter::Event::utterance("yes", at + 100), t), DeskStatus::ok);
  return c->id;
}

std::vector<std::string> given(const patter::Routing& r) {
  std::vector<std::string> out;
  for (const auto& a : r.assigned)
    out.push_back(std::to_string(patter::host_call_id(a.call)) +
                  (patter::is_remote_call(a.call) ? "r:" : ":") + a.agent);
  return out;
}
using Given = std::vector<std::string>;

}  // namespace

TEST(DeskRemote, RemoteIdsAreTheHostsWithTheTopBitAndNeverMeetOwnedOnes) {
  static_assert(patter::is_remote_call(remote_call(0)));
  static_assert(patter::host_call_id(remote_call(42)) == 42);
  static_assert(!patter::is_remote_call(42));
  Desk desk;
  desk.add_agent("li", {.capacity = 100});
  auto s = load();
  std::set<patter::CallId> owned;
  for (int i = 0; i < 50; ++i) {
    auto c = desk.open_call(s);
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(patter::is_remote_call(c->id));
    EXPECT_TRUE(owned.insert(c->id).second) << "ids are never given twice";
    // The host may use the same number for its own call: a remote id differs.
    auto r = desk.open_remote(remote_call(c->id), "li");
    ASSERT_TRUE(r.ok()) << patter::to_string(r.code());
    EXPECT_NE(r->id, c->id);
  }
  EXPECT_EQ(desk.live_calls(), 100u);
  EXPECT_EQ(desk.counters().calls_opened, 100u);
  // One thread's own calls are numbered in a row.
  EXPECT_EQ(*owned.rbegin() - *owned.begin(), 49u);
}

TEST(DeskRemote, AnEscalationGoesToTheFreeSupervisorAndTheNextWhenTheCallEnds) {
  Desk desk;
  desk.add_agent("li");
  const patter::CallId a = remote_call(1), b = remote_call(2);
  auto opened = desk.open_remote(a);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->agent, "li");
  ASSERT_TRUE(desk.open_remote(b, "li").ok());
  EXPECT_EQ(given(desk.escalated(a, Priority::normal, 0.5, 1000)), Given{"1r:li"});
  EXPECT_EQ(desk.call(a)->with, "li");
  EXPECT_EQ(desk.call(a)->phase, patter::Phase::human);
  EXPECT_TRUE(desk.call(a)->remote);
  // li is busy: b waits in the queue.
  const patter::Routing r = desk.escalated(b, Priority::normal, 0.5, 2000);
  EXPECT_TRUE(r);
  EXPECT_TRUE(r.queued);
  EXPECT_TRUE(r.assigned.empty());
  EXPECT_EQ(desk.queue(), std::vector<patter::CallId>{b});
  EXPECT_EQ(desk.call(b)->phase, patter::Phase::waiting);
  EXPECT_EQ(desk.call(b)->escalated_at_ms, 2000u);
  // Escalating again while waiting keeps its place.
  EXPECT_TRUE(desk.escalated(b, Priority::normal, 0.5, 2500).queued);
  // a ends: li is free and takes b.
  EXPECT_EQ(given(desk.ended(a, patter::Outcome::escalated, 5000)), Given{"2r:li"});
  EXPECT_FALSE(desk.call(a));
  EXPECT_TRUE(desk.queue().empty());
  EXPECT_EQ(given(desk.ended(b, patter::Outcome::escalated, 9000)), Given{});
  const patter::DeskCounters n = desk.counters();
  EXPECT_EQ(n.calls_opened, 2u);
  EXPECT_EQ(n.calls_ended, 2u);
  EXPECT_EQ(n.raised, 2u);
  EXPECT_EQ(n.taken, 2u);
  EXPECT_EQ(n.queued, 1u);
  const auto st = desk.stats("li");
  EXPECT_EQ(st->escalations, 2u);
  EXPECT_DOUBLE_EQ(st->mean_time_to_take_ms, 1500);  // 0 for a, 3000 for b
  EXPECT_EQ(desk.live_calls(), 0u);
}

TEST(DeskRemote, RemoteAndOwnedCallsShareThePeopleAndTheQueue) {
  std::vector<std::pair<std::string, patter::CallId>> assigned;
  std::mutex m;
  patter::DeskOptions o;
  o.on_assigned = [&](std::string_view who, patter::CallId id) {
    std::lock_guard lock(m);
    assigned.emplace_back(std::string(who), id);
  };
  Desk desk(o);
  desk.add_agent("li");
  auto s = load();
  const patter::CallId r = remote_call(7);
  ASSERT_TRUE(desk.open_remote(r, "li").ok());
  ASSERT_EQ(desk.escalated(r, Priority::normal, 0, 1000).assigned.size(), 1u);
  // An owned call escalates while li talks on the remote one: it waits.
  const patter::CallId owned = owned_escalated(desk, s, "li", 2000);
  EXPECT_EQ(desk.queue(), std::vector<patter::CallId>{owned});
  // The remote call ends: li takes the owned call, whose session has them joined.
  const patter::Routing done = desk.ended(r, patter::Outcome::escalated, 4000);
  ASSERT_EQ(done.assigned.size(), 1u);
  EXPECT_EQ(done.assigned[0].call, owned);
  EXPECT_EQ(desk.session(owned)->phase(), patter::Phase::human);
  // And the other way: a remote call waits behind li's owned call, and is
  // given to li (on_assigned) when li finishes it.
  const patter::CallId r2 = remote_call(8);
  ASSERT_TRUE(desk.open_remote(r2, "li").ok());
  EXPECT_TRUE(desk.escalated(r2, Priority::normal, 0, 5000).queued);
  patter::Turn t;
  ASSERT_EQ(desk.finish("li", owned, 6000, t), DeskStatus::ok);
  EXPECT_EQ(desk.call(r2)->with, "li");
  std::lock_guard lock(m);
  ASSERT_EQ(assigned.size(), 3u);
  EXPECT_EQ(assigned[0], std::make_pair(std::string("li"), r));
  EXPECT_EQ(assigned[1], std::make_pair(std::string("li"), owned));
  EXPECT_EQ(assigned[2], std::make_pair(std::string("li"), r2));
}

TEST(DeskRemote, GrabTakeNextHandBackAndFinishWorkOnRemoteCalls) {
  patter::DeskOptions manual;
  manual.auto_assign = false;
  Desk desk(manual);
  desk.add_agent("li");
  desk.add_agent("wang", {.capacity = 0});
  const patter::CallId a = remote_call(1), b = remote_call(2);
  ASSERT_TRUE(desk.open_remote(a, "li").ok());
  ASSERT_TRUE(desk.open_remote(b, "li").ok());
  patter::Turn t;
  // A grab of a robot call: raised and taken at once. The turn is the host's.
  ASSERT_EQ(desk.step(a, patter::Event::answered(0), t), DeskStatus::remote_call);
  EXPECT_EQ(desk.grab("li", a, 1000, t), DeskStatus::ok);
  EXPECT_TRUE(t.actions().empty());
  EXPECT_EQ(desk.call(a)->with, "li");
  EXPECT_EQ(desk.grab("li", b, 1000, t), DeskStatus::agent_busy);
  // b escalates; li is busy, auto-assignment is off: wang takes the head.
  EXPECT_TRUE(desk.escalated(b, Priority::urgent, 0.9, 2000).queued);
  patter::CallId got = 0;
  EXPECT_EQ(desk.take_next("wang", 3000, t, &got), DeskStatus::ok);
  EXPECT_EQ(got, b);
  EXPECT_EQ(desk.call(b)->with, "wang");
  EXPECT_EQ(desk.take_next("wang", 3000, t), DeskStatus::agent_busy);
  // li hands a back (the node is for the host's session), wang finishes b.
  EXPECT_EQ(desk.hand_back("wang", a, patter::kNone, 4000, t), DeskStatus::not_with_agent);
  EXPECT_EQ(desk.hand_back("li", a, patter::kNone, 4000, t), DeskStatus::ok);
  EXPECT_EQ(desk.call(a)->with, "");
  EXPECT_EQ(desk.call(a)->phase, patter::Phase::robot);
  EXPECT_EQ(desk.finish("li", b, 5000, t), DeskStatus::not_with_agent);
  EXPECT_EQ(desk.finish("wang", b, 5000, t), DeskStatus::ok);
  EXPECT_FALSE(desk.call(b));
  EXPECT_EQ(desk.finish("wang", b, 5000, t), DeskStatus::unknown_call);
  EXPECT_EQ(desk.stats("li")->grabs, 1u);
  EXPECT_EQ(desk.stats("li")->hand_backs, 1u);
  // A call a person finished ended as `escalated`, as a session's would.
  ASSERT_EQ(desk.stats("li")->outcomes.size(), 1u);
  EXPECT_EQ(desk.stats("li")->outcomes[0].first, patter::Outcome::escalated);
  EXPECT_EQ(desk.counters().grabs, 1u);
  EXPECT_EQ(desk.counters().raised, 2u);
}

TEST(DeskRemote, SupervisorsOperationsOnARemoteCallSayItIsRemote) {
  // The person's words and the session are the host's: the desk cannot
  // whisper, barge or take over there, and says so (DeskRouter routes them).
  Desk desk;
  desk.add_agent("li");
  desk.add_agent("zhao", {.supervisor = true});
  const patter::CallId r = remote_call(11);
  ASSERT_TRUE(desk.open_remote(r, "li").ok());
  ASSERT_FALSE(desk.escalated(r, Priority::normal, 0, 1000).assigned.empty());
  patter::Turn t;
  EXPECT_EQ(desk.whisper("zhao", r, "ask for the budget", 2000), DeskStatus::remote_call);
  EXPECT_EQ(desk.barge("zhao", r, 2000, t), DeskStatus::remote_call);
  EXPECT_EQ(desk.take_over("zhao", r, 2000, t), DeskStatus::remote_call);
  EXPECT_EQ(desk.leave("zhao", r, 2000), DeskStatus::remote_call);
  EXPECT_EQ(desk.note("zhao", r, "good call", 2000), DeskStatus::remote_call);
  EXPECT_EQ(desk.reassign("zhao", r, "li", 2000, t), DeskStatus::remote_call);
  EXPECT_EQ(desk.say("li", r, "hello", 2000, t), DeskStatus::remote_call);
  EXPECT_FALSE(desk.summary(r, 2000));
  EXPECT_TRUE(desk.notes(r).empty());
  EXPECT_EQ(desk.call(r)->with, "li");  // nothing moved
  // A remote id the desk never opened, and an owned id it does not know.
  EXPECT_EQ(desk.whisper("zhao", remote_call(12), "x", 2000), DeskStatus::unknown_call);
  EXPECT_EQ(desk.take_over("zhao", 12, 2000, t), DeskStatus::unknown_call);
  EXPECT_EQ(desk.ended(r, patter::Outcome::escalated, 3000).status, DeskStatus::ok);
  EXPECT_EQ(desk.whisper("zhao", r, "x", 4000), DeskStatus::unknown_call);  // ended
}

TEST(DeskRemote, AHoldPolicyThatGivesUpIsCountedOnce) {
  patter::DeskOptions manual;
  manual.auto_assign = false;
  Desk desk(manual);
  desk.add_agent("li", {.auto_answer = false});  // escalations wait for li
  const patter::CallId a = remote_call(1);
  ASSERT_TRUE(desk.open_remote(a).ok());
  EXPECT_EQ(desk.gave_up(a, 0).status, DeskStatus::not_waiting);
  desk.escalated(a, Priority::normal, 0, 1000);
  EXPECT_EQ(desk.queue().size(), 1u);
  EXPECT_TRUE(desk.gave_up(a, 20000));
  EXPECT_TRUE(desk.queue().empty());
  EXPECT_EQ(desk.gave_up(a, 20000).status, DeskStatus::not_waiting);
  desk.ended(a, patter::Outcome::hangup, 30000);
  const patter::DeskCounters n = desk.counters();
  EXPECT_EQ(n.raised, 1u);
  EXPECT_EQ(n.gave_up, 1u);
  EXPECT_EQ(n.ended_waiting, 0u);
  EXPECT_EQ(n.raised, n.taken + n.gave_up + n.ended_waiting);
}

TEST(DeskRemote, UnknownRemoteCallsAreRefused) {
  Desk desk;
  desk.add_agent("li");
  const patter::CallId x = remote_call(99);
  patter::Turn t;
  EXPECT_EQ(desk.escalated(x, Priority::normal, 0, 0).status, DeskStatus::unknown_call);
  EXPECT_EQ(desk.gave_up(x, 0).status, DeskStatus::unknown_call);
  EXPECT_EQ(desk.ended(x, patter::Outcome::hangup, 0).status, DeskStatus::unknown_call);
  EXPECT_EQ(desk.script_escalated(x, 0), DeskStatus::unknown_call);
  EXPECT_EQ(desk.step(x, patter::Event::answered(0), t), DeskStatus::unknown_call);
  EXPECT_EQ(desk.grab("li", x, 0, t), DeskStatus::unknown_call);
  EXPECT_EQ(desk.hand_back("li", x, patter::kNone, 0, t), DeskStatus::unknown_call);
  EXPECT_EQ(desk.finish("li", x, 0, t), DeskStatus::unknown_call);
  EXPECT_FALSE(desk.call(x));
  // Opening one needs a person with room.
  EXPECT_EQ(desk.open_remote(x, "wang").code(), DeskStatus::unknown_agent);
  Desk empty;
  EXPECT_EQ(empty.open_remote(x).code(), DeskStatus::no_capacity);
}

TEST(DeskRemote, ARemoteCallIsOpenedOnce) {
  Desk desk;
  desk.add_agent("li");
  ASSERT_TRUE(desk.open_remote(remote_call(5)).ok());
  auto again = desk.open_remote(remote_call(5));
  EXPECT_EQ(again.code(), DeskStatus::call_exists);
  EXPECT_EQ(desk.live_calls(), 1u);
  EXPECT_EQ(desk.stats("li")->calls_supervised, 1u);
  // Once it has ended, the host may use the id again.
  desk.ended(remote_call(5), patter::Outcome::completed, 0);
  EXPECT_TRUE(desk.open_remote(remote_call(5)).ok());
}

TEST(DeskRemote, RemoteEventsOnOwnedCallsAreRefused) {
  Desk desk;
  desk.add_agent("li");
  auto s = load();
  auto c = desk.open_call(s);
  ASSERT_TRUE(c.ok());
  // The id of a call the desk owns, or one it may own later: never a remote one.
  EXPECT_EQ(desk.open_remote(c->id).code(), DeskStatus::owned_call);
  EXPECT_EQ(desk.open_remote(123456).code(), DeskStatus::owned_call);
  EXPECT_EQ(desk.escalated(c->id, Priority::normal, 0, 0).status, DeskStatus::owned_call);
  EXPECT_EQ(desk.gave_up(c->id, 0).status, DeskStatus::owned_call);
  EXPECT_EQ(desk.ended(c->id, patter::Outcome::hangup, 0).status, DeskStatus::owned_call);
  EXPECT_EQ(desk.script_escalated(c->id, 0), DeskStatus::owned_call);
  // Nothing changed: the call is open, with its robot.
  EXPECT_EQ(desk.live_calls(), 1u);
  EXPECT_EQ(desk.counters().raised, 0u);
  EXPECT_FALSE(desk.call(c->id)->remote);
  EXPECT_NE(patter::describe(DeskStatus::owned_call).find("remote_call("), std::string::npos);
}

TEST(DeskRemote, SessionOperationsOnRemoteCallsAreRefused) {
  Desk desk;
  desk.add_agent("li");
  const patter::CallId r = remote_call(3);
  ASSERT_TRUE(desk.open_remote(r).ok());
  patter::Turn t;
  EXPECT_EQ(desk.step(r, patter::Event::utterance("yes", 0), t), DeskStatus::remote_call);
  EXPECT_EQ(desk.step(r, patter::Event::agent_joined(0), t), DeskStatus::remote_call);
  EXPECT_FALSE(desk.assist(r));
  EXPECT_FALSE(desk.session(r));
  EXPECT_EQ(desk.listen(r), nullptr);
  EXPECT_TRUE(desk.due(UINT64_MAX).empty());
  EXPECT_EQ(desk.counters().raised, 0u);
  EXPECT_NE(patter::describe(DeskStatus::remote_call).find("escalated"), std::string::npos);
  EXPECT_EQ(patter::to_string(DeskStatus::remote_call), "remote_call");
  EXPECT_EQ(patter::to_string(DeskStatus::owned_call), "owned_call");
}

TEST(DeskRemote, ATraineesGrabsOfRemoteCallsAreGraded) {
  patter::DeskOptions o;
  o.on_time_ms = 3000;
  Desk desk(o);
  desk.add_agent("trainee", {.capacity = 10, .trainee = true});
  for (std::uint64_t n = 1; n <= 4; ++n) ASSERT_TRUE(desk.open_remote(remote_call(n)).ok());
  patter::Turn t;
  // On time: the escalation waits for the trainee's own grab.
  const patter::Routing r = desk.escalated(remote_call(1), Priority::normal, 0, 1000);
  EXPECT_TRUE(r.assigned.empty());
  EXPECT_FALSE(r.queued);
  desk.grab("trainee", remote_call(1), 3000, t);
  desk.ended(remote_call(1), patter::Outcome::escalated, 4000);
  // Early: the host's shadow of the session escalated 4 s after the grab.
  desk.grab("trainee", remote_call(2), 10000, t);
  EXPECT_EQ(desk.script_escalated(remote_call(2), 14000), DeskStatus::ok);
  desk.finish("trainee", remote_call(2), 15000, t);
  // Needless, and missed.
  desk.grab("trainee", remote_call(3), 20000, t);
  desk.finish("trainee", remote_call(3), 21000, t);
  desk.escalated(remote_call(4), Priority::normal, 0, 30000);
  desk.ended(remote_call(4), patter::Outcome::customer_hangup, 40000);
  const auto a = desk.assessment("trainee");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->decisions.size(), 4u);
  EXPECT_EQ(a->decisions[0].verdict, patter::GrabVerdict::on_time);
  EXPECT_EQ(a->decisions[0].call, remote_call(1));
  EXPECT_EQ(a->decisions[1].verdict, patter::GrabVerdict::early);
  EXPECT_EQ(a->decisions[1].offset_ms, -4000);
  EXPECT_EQ(a->decisions[2].verdict, patter::GrabVerdict::needless);
  EXPECT_EQ(a->decisions[3].verdict, patter::GrabVerdict::missed);
}

// Dialer threads run owned calls and report remote ones on one desk at
// once: every escalation ends once, ids never meet, nobody is left busy.
TEST(DeskRemoteStress, OwnedAndRemoteCallsFromManyThreads) {
  Desk desk;
  for (int a = 0; a < 4; ++a) desk.add_agent("agent" + std::to_string(a), {.capacity = 1000});
  auto s = load();
  constexpr int kThreads = 4, kCalls = 300;
  std::mutex m;
  std::set<patter::CallId> ids;
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th)
    threads.emplace_back([&, th] {
      patter::Turn t;
      for (int i = 0; i < kCalls; ++i) {
        // One clock for all: a person freed on one thread joins a call of
        // another at their own time, which must not pass the call's next event.
        const std::uint64_t at = 1000;
        const patter::CallId owned = owned_escalated(desk, s, {}, at);
        const patter::CallId remote = remote_call(static_cast<std::uint64_t>(th) * kCalls + i);
        EXPECT_TRUE(desk.open_remote(remote).ok());
        desk.escalated(remote, Priority::normal, 0, at);
        {
          std::lock_guard lock(m);
          EXPECT_TRUE(ids.insert(owned).second);
          EXPECT_TRUE(ids.insert(remote).second);
        }
        desk.step(owned, patter::Event::customer_hangup(at + 500), t);
        EXPECT_TRUE(desk.ended(remote, patter::Outcome::customer_hangup, at + 500));
      }
    });
  for (auto& th : threads) th.join();
  const patter::DeskCounters n = desk.counters();
  EXPECT_EQ(n.calls_opened, 2u * kThreads * kCalls);
  EXPECT_EQ(n.calls_ended, n.calls_opened);
  EXPECT_EQ(n.raised, 2u * kThreads * kCalls);
  EXPECT_EQ(n.raised, n.taken + n.gave_up + n.ended_waiting);
  EXPECT_TRUE(desk.queue().empty());
  EXPECT_EQ(desk.live_calls(), 0u);
  // Everyone is free again: each can grab a new call.
  patter::Turn t;
  for (int a = 0; a < 4; ++a) {
    const std::string who = "agent" + std::to_string(a);
    const patter::CallId c = remote_call(1'000'000 + static_cast<std::uint64_t>(a));
    ASSERT_TRUE(desk.open_remote(c, who).ok());
    EXPECT_EQ(desk.grab(who, c, 0, t), DeskStatus::ok) << who;
  }
}

// The desk holds each script through handles of its own (one per shard, so
// threads never share a reference count): a call keeps its script alive, and
// a script the host replaced is let go once its calls have ended.
TEST(DeskScripts, AReplacedScriptIsLetGoOnceItsCallsHaveEnded) {
  Desk desk;
  desk.add_agent("li", {.capacity = 10});
  auto old_version = load();
  const std::weak_ptr<const patter::Script> watch = old_version;
  auto c = desk.open_call(old_version);
  ASSERT_TRUE(c.ok());
  old_version.reset();  // a hot reload: the host has a new version
  auto new_version = load();
  auto d = desk.open_call(new_version);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(watch.expired()) << "a call in flight keeps the version it started with";
  EXPECT_EQ(&desk.session(c->id)->script(), watch.lock().get());
  patter::Turn t;
  ASSERT_EQ(desk.step(c->id, patter::Event::customer_hangup(0), t), DeskStatus::ok);
  ASSERT_TRUE(desk.open_call(new_version).ok());
  EXPECT_TRUE(watch.expired());
}
