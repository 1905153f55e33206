// The desk's routing without sessions (patter/desk_router.hpp): hand-made
// event sequences, every refusal, training verdicts, and many threads.
#include <gtest/gtest.h>
#include <patter/desk_router.hpp>
#include <patter/random.hpp>

#include <atomic>
#include <thread>

namespace {

using patter::DeskRouter;
using patter::DeskStatus;
using patter::Priority;

// The calls given to people, as "call:agent" pairs.
std::vector<std::string> given(const patter::Routing& r) {
  std::vector<std::string> out;
  for (const auto& a : r.assigned) out.push_back(std::to_string(a.call) + ":" + a.agent);
  return out;
}

using Given = std::vector<std::string>;

}  // namespace

TEST(DeskRouter, AnEscalationGoesToTheFreeSupervisorAndTheNextWhenTheCallEnds) {
  DeskRouter r;
  ASSERT_EQ(r.add_agent("li"), DeskStatus::ok);
  ASSERT_EQ(r.open(1)->agent, "li");
  ASSERT_EQ(r.open(2)->agent, "li");
  EXPECT_EQ(given(r.escalated(1, Priority::normal, 0, 1000)), Given{"1:li"});
  EXPECT_EQ(r.call(1)->with, "li");
  // li is on call 1: call 2 waits.
  patter::Routing second = r.escalated(2, Priority::normal, 0, 2000);
  EXPECT_TRUE(second.queued);
  EXPECT_TRUE(second.assigned.empty());
  EXPECT_EQ(r.queue(), std::vector<patter::CallId>{2});
  EXPECT_TRUE(r.call(2)->waiting);
  EXPECT_EQ(r.call(2)->escalated_at_ms, 2000u);
  // Call 1 ends: li is free and takes call 2.
  EXPECT_EQ(given(r.ended(1, patter::Outcome::escalated, 5000)), Given{"2:li"});
  EXPECT_TRUE(r.queue().empty());
  EXPECT_FALSE(r.call(1));
  const patter::DeskCounters n = r.counters();
  EXPECT_EQ(n.raised, 2u);
  EXPECT_EQ(n.taken, 2u);
  EXPECT_EQ(n.queued, 1u);
  EXPECT_EQ(n.calls_ended, 1u);
  EXPECT_DOUBLE_EQ(r.stats("li")->mean_time_to_take_ms, (0 + 3000) / 2.0);
}

TEST(DeskRouter, AnotherFreePersonTakesAQueuedEscalationAtOnce) {
  DeskRouter r;
  r.add_agent("li");
  r.add_agent("wang");
  ASSERT_TRUE(r.open(1, "li"));
  ASSERT_TRUE(r.open(2, "li"));
  r.escalated(1, Priority::normal, 0, 0);
  EXPECT_EQ(given(r.escalated(2, Priority::normal, 0, 0)), Given{"2:wang"});
  EXPECT_EQ(r.call(2)->supervisor, "li");
  EXPECT_EQ(r.call(2)->with, "wang");
}

TEST(DeskRouter, TheQueueGoesByPriorityThenScoreThenWaitingTime) {
  DeskRouter r({.auto_assign = false});
  r.add_agent("li", {.capacity = 10});
  r.add_agent("wang", {.capacity = 0, .auto_answer = false});
  for (patter::CallId id = 1; id <= 5; ++id) ASSERT_TRUE(r.open(id, "li"));
  r.escalated(1, Priority::normal, 0, 0);  // li takes it
  r.escalated(2, Priority::normal, 10, 1000);
  r.escalated(3, Priority::normal, 10, 500);
  r.escalated(4, Priority::normal, 90, 2000);
  r.escalated(5, Priority::urgent, 0, 3000);
  EXPECT_EQ(r.queue(), (std::vector<patter::CallId>{5, 4, 3, 2}));
  EXPECT_EQ(given(r.take_next("wang", 4000)), Given{"5:wang"});
  EXPECT_EQ(r.take_next("wang", 4000).status, DeskStatus::agent_busy);
  r.hand_back("wang", 5, 5000);
  EXPECT_EQ(given(r.take_next("wang", 6000)), Given{"4:wang"});
  EXPECT_EQ(r.stats("wang")->hand_backs, 1u);
  DeskRouter empty;
  empty.add_agent("li");
  EXPECT_EQ(empty.take_next("li", 0).status, DeskStatus::queue_empty);
}

TEST(DeskRouter, CallsGoToTheLeastLoadedAgentWithRoom) {
  DeskRouter r;
  r.add_agent("li", {.capacity = 2});
  r.add_agent("wang", {.capacity = 1});
  EXPECT_EQ(r.open(1)->agent, "li");
  EXPECT_EQ(r.open(2)->agent, "wang");
  EXPECT_EQ(r.open(3)->agent, "li");
  EXPECT_EQ(r.open(4).code(), DeskStatus::no_capacity);
  EXPECT_EQ(r.open(5, "wang").code(), DeskStatus::no_capacity);
  EXPECT_EQ(r.open(6, "zhao").code(), DeskStatus::unknown_agent);
  EXPECT_EQ(r.open(1).code(), DeskStatus::call_exists);
  EXPECT_EQ(r.open_calls(), 3u);
  r.ended(2, patter::Outcome::completed, 0);
  EXPECT_EQ(r.open(4)->agent, "wang");
}

TEST(DeskRouter, AgentsAreRemovedOnlyWithoutCalls) {
  DeskRouter r;
  EXPECT_EQ(r.add_agent("li"), DeskStatus::ok);
  EXPECT_EQ(r.add_agent("li"), DeskStatus::agent_exists);
  EXPECT_EQ(r.remove_agent("zhao"), DeskStatus::unknown_agent);
  ASSERT_TRUE(r.open(1, "li"));
  EXPECT_EQ(r.remove_agent("li"), DeskStatus::agent_has_calls);
  r.ended(1, patter::Outcome::completed, 0);
  EXPECT_EQ(r.remove_agent("li"), DeskStatus::ok);
  EXPECT_TRUE(r.agents().empty());
  EXPECT_EQ(r.open(2).code(), DeskStatus::no_capacity);
  // The same name again is a new person.
  EXPECT_EQ(r.add_agent("li"), DeskStatus::ok);
  EXPECT_EQ(r.stats("li")->calls_supervised, 0u);
}

TEST(DeskRouter, GrabsAreTheSupervisorsAndOneWins) {
  DeskRouter r;
  r.add_agent("li");
  r.add_agent("wang");
  ASSERT_TRUE(r.open(1, "li"));
  ASSERT_TRUE(r.open(2, "li"));
  EXPECT_EQ(r.grab("wang", 1, 0).status, DeskStatus::not_supervisor);
  EXPECT_EQ(r.grab("zhao", 1, 0).status, DeskStatus::unknown_agent);
  EXPECT_EQ(r.grab("li", 9, 0).status, DeskStatus::unknown_call);
  // A robot call grabbed: raised and taken at once.
  EXPECT_EQ(given(r.grab("li", 1, 100)), Given{"1:li"});
  EXPECT_EQ(r.grab("li", 2, 200).status, DeskStatus::agent_busy);
  EXPECT_EQ(r.grab("li", 1, 200).status, DeskStatus::agent_busy);
  const patter::DeskCounters n = r.counters();
  EXPECT_EQ(n.grabs, 1u);
  EXPECT_EQ(n.raised, 1u);
  EXPECT_EQ(n.taken, 1u);
  // Handed back: the call is the robot's again, and li may take another.
  EXPECT_EQ(r.hand_back("wang", 1, 300).status, DeskStatus::not_with_agent);
  EXPECT_EQ(r.hand_back("li", 1, 300).status, DeskStatus::ok);
  EXPECT_TRUE(r.call(1)->with.empty());
  EXPECT_EQ(given(r.grab("li", 2, 400)), Given{"2:li"});
}

TEST(DeskRouter, EventsOutOfOrderChangeNothingAndSayWhy) {
  DeskRouter r;
  r.add_agent("li");
  EXPECT_EQ(r.escalated(7, Priority::normal, 0, 0).status, DeskStatus::unknown_call);
  EXPECT_EQ(r.ended(7, patter::Outcome::completed, 0).status, DeskStatus::unknown_call);
  EXPECT_EQ(r.gave_up(7, 0).status, DeskStatus::unknown_call);
  EXPECT_EQ(r.hand_back("li", 7, 0).status, DeskStatus::unknown_call);
  EXPECT_EQ(r.script_escalated(7, 0), DeskStatus::unknown_call);
  ASSERT_TRUE(r.open(1, "li"));
  EXPECT_EQ(r.gave_up(1, 0).status, DeskStatus::not_waiting);
  // Escalated twice while li has it: already taken, and by whom.
  r.escalated(1, Priority::normal, 0, 0);
  patter::Routing again = r.escalated(1, Priority::high, 0, 100);
  EXPECT_EQ(again.status, DeskStatus::already_taken);
  EXPECT_EQ(given(again), Given{"1:li"});
  EXPECT_EQ(r.counters().raised, 1u);
  // Ended twice, then escalated: the call is gone.
  EXPECT_TRUE(r.ended(1, patter::Outcome::escalated, 200));
  EXPECT_EQ(r.ended(1, patter::Outcome::escalated, 300).status, DeskStatus::unknown_call);
  EXPECT_EQ(r.escalated(1, Priority::normal, 0, 400).status, DeskStatus::unknown_call);
  EXPECT_EQ(r.counters().calls_ended, 1u);
  EXPECT_NE(patter::describe(DeskStatus::not_waiting).find("escalated"), std::string_view::npos);
  EXPECT_EQ(patter::to_string(DeskStatus::call_exists), "call_exists");
}

TEST(DeskRouter, EveryEscalationEndsOnceTakenGivenUpOrEndedWaiting) {
  DeskRouter r({.auto_assign = false});
  r.add_agent("li", {.capacity = 10, .auto_answer = false});
  for (patter::CallId id = 1; id <= 4; ++id) ASSERT_TRUE(r.open(id, "li"));
  for (patter::CallId id = 1; id <= 4; ++id) r.escalated(id, Priority::normal, 0, id * 100);
  // Escalated again while waiting: keeps its place, counted once.
  EXPECT_TRUE(r.escalated(1, Priority::urgent, 99, 900).queued);
  EXPECT_EQ(r.queue(), (std::vector<patter::CallId>{1, 2, 3, 4}));
  EXPECT_TRUE(r.gave_up(2, 1000));                     // the hold policy gave up
  r.ended(3, patter::Outcome::customer_hangup, 1000);  // the customer hung up waiting
  EXPECT_EQ(given(r.take_next("li", 1100)), Given{"1:li"});
  EXPECT_EQ(r.queue(), std::vector<patter::CallId>{4});
  r.ended(4, patter::Outcome::customer_hangup, 1200);
  const patter::DeskCounters n = r.counters();
  EXPECT_EQ(n.raised, 4u);
  EXPECT_EQ(n.taken, 1u);
  EXPECT_EQ(n.gave_up, 1u);
  EXPECT_EQ(n.ended_waiting, 2u);
  EXPECT_EQ(n.raised, n.taken + n.gave_up + n.ended_waiting);
  // A call whose hold gave up escalates again later: a new escalation.
  EXPECT_EQ(r.gave_up(2, 1300).status, DeskStatus::not_waiting);
  r.ended(1, patter::Outcome::escalated, 1400);
  EXPECT_EQ(given(r.escalated(2, Priority::normal, 0, 1500)), Given{});  // li answers by hand
  EXPECT_EQ(given(r.take_next("li", 1600)), Given{"2:li"});
  EXPECT_EQ(r.counters().raised, 5u);
}

TEST(DeskRouter, ATraineesGrabsAreGradedAgainstTheScript) {
  DeskRouter r({.on_time_ms = 3000});
  r.add_agent("trainee", {.capacity = 10, .trainee = true});
  for (patter::CallId id = 1; id <= 5; ++id) ASSERT_TRUE(r.open(id, "trainee"));
  // On time and late: the escalation waits for the trainee's own grab.
  EXPECT_TRUE(r.escalated(1, Priority::normal, 0, 1000).assigned.empty());
  EXPECT_FALSE(r.call(1)->queued);
  r.grab("trainee", 1, 3000);
  r.ended(1, patter::Outcome::escalated, 4000);
  r.escalated(2, Priority::normal, 0, 10000);
  r.grab("trainee", 2, 20000);
  r.ended(2, patter::Outcome::escalated, 21000);
  // Early: grabbed at 30 s, the script would have escalated at 34 s.
  r.grab("trainee", 3, 30000);
  EXPECT_EQ(r.script_escalated(3, 34000), DeskStatus::ok);
  r.ended(3, patter::Outcome::escalated, 35000);
  // Needless: grabbed, and the script never escalated.
  r.grab("trainee", 4, 40000);
  r.ended(4, patter::Outcome::escalated, 41000);
  // Missed: the script escalated, nobody took it.
  r.escalated(5, Priority::normal, 0, 50000);
  r.ended(5, patter::Outcome::customer_hangup, 60000);
  auto a = r.assessment("trainee");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->decisions.size(), 5u);
  EXPECT_EQ(a->decisions[0].verdict, patter::GrabVerdict::on_time);
  EXPECT_EQ(a->decisions[0].offset_ms, 2000);
  EXPECT_EQ(a->decisions[1].verdict, patter::GrabVerdict::late);
  EXPECT_EQ(a->decisions[2].verdict, patter::GrabVerdict::early);
  EXPECT_EQ(a->decisions[2].offset_ms, -4000);
  EXPECT_EQ(a->decisions[3].verdict, patter::GrabVerdict::needless);
  EXPECT_EQ(a->decisions[4].verdict, patter::GrabVerdict::missed);
  EXPECT_DOUBLE_EQ(a->score(), 0.2);
  r.add_agent("pro");
  EXPECT_FALSE(r.assessment("pro"));
  EXPECT_FALSE(r.assessment("nobody"));
}

// Threads escalate, grab, take, hand back and end calls at once, racing
// for the same people and the head of the queue: every escalation ends
// once, and every person ends free.
TEST(DeskRouterStress, ManyThreadsEveryEscalationEndsOnceAndNobodyIsLeftBusy) {
  constexpr int kAgents = 8, kCalls = 20000, kThreads = 4;
  DeskRouter r;
  for (int a = 0; a < kAgents; ++a) r.add_agent("agent" + std::to_string(a), {.capacity = 100000});
  std::atomic<int> opened{0};
  auto worker = [&](int seed) {
    patter::Random rng(seed);
    for (int i = seed + 1; i <= kCalls; i += kThreads) {
      const auto id = static_cast<patter::CallId>(i);
      if (!r.open(id)) continue;
      ++opened;
      for (int step = 0; step < 6; ++step) {
        const std::string someone = "agent" + std::to_string(rng.next() % kAgents);
        const auto info = r.call(id);
        switch (rng.next() % 6) {
          case 0: (void)(r.escalated(id, Priority::normal, double(rng.next() % 100), step)); break;
          case 1: (void)(r.grab(info->supervisor, id, step)); break;
          case 2: (void)(r.take_next(someone, step)); break;
          case 3:
            if (!info->with.empty()) (void)(r.hand_back(info->with, id, step));
            break;
          case 4: r.gave_up(id, step); break;
          default: (void)(r.escalated(id, Priority::high, 0, step)); break;
        }
      }
      (void)(r.ended(id, patter::Outcome::completed, 10));
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (auto& t : threads) t.join();
  // Calls the workers ended are gone; the people took calls from the queue
  // after that: end those too.
  for (patter::CallId id = 1; id <= kCalls; ++id) r.ended(id, patter::Outcome::completed, 20);
  EXPECT_EQ(r.open_calls(), 0u);
  EXPECT_TRUE(r.queue().empty());
  const patter::DeskCounters n = r.counters();
  EXPECT_EQ(n.calls_opened, std::uint64_t(opened.load()));
  EXPECT_EQ(n.calls_ended, n.calls_opened);
  EXPECT_GT(n.raised, 1000u);
  EXPECT_EQ(n.raised, n.taken + n.gave_up + n.ended_waiting);
  for (int a = 0; a < kAgents; ++a) {
    const std::string id = "agent" + std::to_string(a);
    EXPECT_EQ(r.take_next(id, 30).status, DeskStatus::queue_empty) << id;
    EXPECT_EQ(r.remove_agent(id), DeskStatus::ok) << id;
  }
}
