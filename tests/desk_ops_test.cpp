// Supervisors and the people on a call: whisper, barge, take over, leave,
// coaching notes, reassigning a waiting escalation, a person's own words and
// the handoff summary, on the desk and on the router alone; roles, every
// refusal, the counters, and two supervisors racing for one call.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

namespace {

using patter::CallId;
using patter::DeskStatus;
using patter::Event;
using patter::ListenEventType;

// "yes" escalates (the transfer node); "no" hangs up.
std::shared_ptr<const patter::Script> load(const std::string& extra = "") {
  const std::string text = R"(patter: 1
id: desk_ops_test
version: "1"
locale: en-US
variables:
  name: {default: friend}
intents:
  yes: [yes, sure, interested]
  no: [no, not interested]
  price: [how much, price]
start: hello
nodes:
  hello:
    say: "Hi {name}, interested in solar?"
    routes:
      - {intent: yes, to: transfer}
      - {intent: no, to: bye}
      - {intent: price, to: hello}
    no_match: {retries: 3, then: bye}
    no_input: {retries: 3, then: bye}
  transfer:
    say: "Connecting you now."
    escalate: {reason: interested, priority: normal}
  bye:
    say: "Goodbye."
    hangup: not_interested
)" + extra;
  auto r = patter::load_string(text, "desk_ops_test.yaml");
  std::string diags;
  for (const auto& d : r.diagnostics) diags += patter::format(d) + "\n";
  EXPECT_TRUE(r.ok()) << diags;
  return r.script;
}

constexpr patter::AgentOptions kSupervisor{.capacity = 0, .auto_answer = false, .supervisor = true};

// A desk with two salespeople (li, wang) and two supervisors (chen, zhou)
// who supervise no robot and are never given calls automatically.
struct Floor {
  explicit Floor(patter::DeskOptions o = {}, const std::string& extra = "")
      : script(load(extra)), desk(std::move(o)) {
    desk.add_agent("li");
    desk.add_agent("wang");
    desk.add_agent("chen", kSupervisor);
    desk.add_agent("zhou", kSupervisor);
  }
  std::shared_ptr<const patter::Script> script;
  patter::Desk desk;
  patter::Turn t;

  // Open a call under `agent`, answered at `at`.
  CallId robot_call(std::string_view agent, std::uint64_t at) {
    patter::SessionOptions so;
    so.transcript = 64;
    auto opened = desk.open_call(script, {}, agent, so);
    EXPECT_TRUE(opened.ok()) << patter::to_string(opened.code());
    EXPECT_EQ(desk.step(opened->id, Event::answered(at), t), DeskStatus::ok);
    return opened->id;
  }
  // ... and escalated at at + 1000; `assigned` says who took it at once.
  CallId escalated(std::string_view agent, std::uint64_t at, std::string* assigned = nullptr) {
    const CallId id = robot_call(agent, at);
    EXPECT_EQ(desk.step(id, Event::utterance("yes", at + 1000), t, assigned), DeskStatus::ok);
    return id;
  }
  std::string with(CallId id) const { return desk.call(id)->with; }
  std::string barged(CallId id) const { return desk.call(id)->barged; }
};

bool balanced(const patter::DeskCounters& n) {
  return n.raised == n.taken + n.gave_up + n.ended_waiting;
}

std::vector<patter::TranscriptEntry> transcript_of(const patter::Desk& desk, CallId id) {
  return desk.session(id)->transcript();
}

std::vector<patter::ListenEvent> drain(patter::Subscription& sub) {
  std::vector<patter::ListenEvent> out;
  sub.poll(out);
  return out;
}

}  // namespace

// ---- roles ---------------------------------------------------------------------------

TEST(DeskRoles, OnlySupervisorsWhisperBargeTakeOverReassignAndLeave) {
  Floor f;
  std::string assigned;
  const CallId call = f.escalated("li", 0, &assigned);
  ASSERT_EQ(assigned, "li");
  patter::Turn t;
  EXPECT_EQ(f.desk.whisper("wang", call, "ask the budget", 2000), DeskStatus::not_permitted);
  EXPECT_EQ(f.desk.barge("wang", call, 2000, t), DeskStatus::not_permitted);
  EXPECT_EQ(f.desk.take_over("wang", call, 2000, t), DeskStatus::not_permitted);
  EXPECT_EQ(f.desk.reassign("wang", call, "li", 2000, t), DeskStatus::not_permitted);
  EXPECT_EQ(f.desk.leave("wang", call, 2000), DeskStatus::not_permitted);
  // Nobody by that name.
  EXPECT_EQ(f.desk.whisper("nobody", call, "x", 2000), DeskStatus::unknown_agent);
  EXPECT_EQ(f.desk.barge("nobody", call, 2000, t), DeskStatus::unknown_agent);
  EXPECT_EQ(f.desk.take_over("nobody", call, 2000, t), DeskStatus::unknown_agent);
  EXPECT_EQ(f.desk.reassign("nobody", call, "li", 2000, t), DeskStatus::unknown_agent);
  EXPECT_EQ(f.desk.leave("nobody", call, 2000), DeskStatus::unknown_agent);
  EXPECT_EQ(f.desk.note("nobody", call, "x", 2000), DeskStatus::unknown_agent);
  EXPECT_EQ(f.desk.say("nobody", call, "x", 2000, t), DeskStatus::unknown_agent);
  // No such call.
  EXPECT_EQ(f.desk.whisper("chen", 999, "x", 2000), DeskStatus::unknown_call);
  EXPECT_EQ(f.desk.barge("chen", 999, 2000, t), DeskStatus::unknown_call);
  EXPECT_EQ(f.desk.take_over("chen", 999, 2000, t), DeskStatus::unknown_call);
  EXPECT_EQ(f.desk.reassign("chen", 999, "wang", 2000, t), DeskStatus::unknown_call);
  EXPECT_EQ(f.desk.leave("chen", 999, 2000), DeskStatus::unknown_call);
  EXPECT_EQ(f.desk.note("chen", 999, "x", 2000), DeskStatus::unknown_call);
  EXPECT_EQ(f.desk.say("li", 999, "x", 2000, t), DeskStatus::unknown_call);
  EXPECT_FALSE(f.desk.summary(999));
  EXPECT_TRUE(f.desk.notes(999).empty());
  // Nothing changed.
  EXPECT_EQ(f.with(call), "li");
  EXPECT_EQ(f.barged(call), "");
  const patter::DeskCounters n = f.desk.counters();
  EXPECT_EQ(n.take_overs + n.barges + n.reassigned, 0u);
}

TEST(DeskRoles, NamesAndDescriptionsOfTheNewValues) {
  for (DeskStatus s : {DeskStatus::not_permitted, DeskStatus::bad_text, DeskStatus::notes_full}) {
    EXPECT_NE(patter::to_string(s), "unknown");
    EXPECT_NE(patter::describe(s), "unknown desk status");
  }
  EXPECT_EQ(patter::to_string(DeskStatus::not_permitted), "not_permitted");
  const std::vector<std::pair<ListenEventType, std::string_view>> names = {
      {ListenEventType::whispered, "whispered"},
      {ListenEventType::barged, "barged"},
      {ListenEventType::taken_over, "taken_over"},
      {ListenEventType::noted, "noted"},
      {ListenEventType::reassigned, "reassigned"},
      {ListenEventType::person_said, "person_said"},
      {ListenEventType::left, "left"}};
  for (const auto& [type, name] : names) EXPECT_EQ(patter::to_string(type), name);
}

// ---- whisper -------------------------------------------------------------------------

TEST(DeskWhisper, ThePersonHearsItTheCustomerAndTheTranscriptDoNot) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  auto sub = f.desk.listen(call);
  ASSERT_EQ(f.desk.whisper("chen", call, "ask about the budget", 3000), DeskStatus::ok);
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, ListenEventType::whispered);
  EXPECT_EQ(events[0].agent, "chen");
  EXPECT_EQ(events[0].text, "ask about the budget");
  EXPECT_EQ(events[0].at_ms, 3000u);
  for (const patter::TranscriptEntry& e : transcript_of(f.desk, call))
    EXPECT_EQ(e.text.find("budget"), std::string::npos) << e.text;
}

TEST(DeskWhisper, Refusals) {
  Floor f;
  const CallId robot = f.robot_call("li", 0);
  // Only the robot on the call: nobody to whisper to.
  EXPECT_EQ(f.desk.whisper("chen", robot, "hello", 1000), DeskStatus::not_with_agent);
  const CallId call = f.escalated("wang", 0);
  EXPECT_EQ(f.desk.whisper("chen", call, "", 2000), DeskStatus::bad_text);
  EXPECT_EQ(f.desk.whisper("chen", call, " \t\n", 2000), DeskStatus::bad_text);
  EXPECT_EQ(f.desk.whisper("chen", call, "bad \xff byte", 2000), DeskStatus::bad_text);
}

TEST(DeskWhisper, LongWordsAreCutBetweenCharacters) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  auto sub = f.desk.listen(call);
  std::string long_text;
  while (long_text.size() < 2 * patter::kNoteTextMax) long_text += "预算";  // 3 bytes each
  ASSERT_EQ(f.desk.whisper("chen", call, long_text, 3000), DeskStatus::ok);
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_LE(events[0].text.size(), patter::kNoteTextMax);
  EXPECT_GT(events[0].text.size(), patter::kNoteTextMax - 3);
  EXPECT_EQ(events[0].text.size() % 3, 0u);  // whole characters
}

// ---- barge and leave -----------------------------------------------------------------

TEST(DeskBarge, TheSupervisorJoinsBesideThePersonAndBothSpeak) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  auto sub = f.desk.listen(call);
  const patter::DeskCounters before = f.desk.counters();
  patter::Turn t;
  ASSERT_EQ(f.desk.barge("chen", call, 3000, t), DeskStatus::ok);
  EXPECT_TRUE(t.actions().empty());  // the robot stays quiet
  EXPECT_EQ(f.with(call), "li");
  EXPECT_EQ(f.barged(call), "chen");
  EXPECT_EQ(f.desk.remove_agent("chen"), DeskStatus::agent_has_calls);  // on a call
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, ListenEventType::barged);
  EXPECT_EQ(events[0].agent, "chen");
  EXPECT_EQ(events[0].text, "li");
  // Both are on the call: both speak, in the transcript with who said it.
  ASSERT_EQ(f.desk.say("li", call, "Let me bring in my manager.", 4000, t), DeskStatus::ok);
  ASSERT_EQ(f.desk.say("chen", call, "Hello, I am Chen.", 5000, t), DeskStatus::ok);
  const auto transcript = f.desk.session(call)->transcript();
  ASSERT_GE(transcript.size(), 2u);
  EXPECT_EQ(transcript[transcript.size() - 2].speaker, "li");
  EXPECT_EQ(transcript.back().speaker, "chen");
  EXPECT_EQ(transcript.back().who, patter::TranscriptEntry::Who::agent);
  // Not an escalation: raised and taken do not move.
  const patter::DeskCounters after = f.desk.counters();
  EXPECT_EQ(after.raised, before.raised);
  EXPECT_EQ(after.taken, before.taken);
  EXPECT_EQ(after.barges, 1u);
  EXPECT_EQ(f.desk.stats("chen")->barges, 1u);
}

TEST(DeskBarge, Refusals) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  const CallId other = f.escalated("wang", 0);
  patter::Turn t;
  ASSERT_EQ(f.desk.barge("chen", call, 3000, t), DeskStatus::ok);
  EXPECT_EQ(f.desk.barge("chen", call, 3000, t), DeskStatus::already_taken);  // already there
  EXPECT_EQ(f.desk.barge("zhou", call, 3000, t), DeskStatus::already_taken);  // one at a time
  EXPECT_EQ(f.desk.barge("chen", other, 3000, t), DeskStatus::agent_busy);    // on a call
  // A call a supervisor has is theirs: no barging into it.
  ASSERT_EQ(f.desk.take_over("zhou", other, 3000, t), DeskStatus::ok);
  ASSERT_EQ(f.desk.leave("chen", call, 3500), DeskStatus::ok);
  EXPECT_EQ(f.desk.barge("chen", other, 4000, t), DeskStatus::already_taken);
  EXPECT_EQ(f.barged(other), "");
}

TEST(DeskBarge, WithOnlyTheRobotOnTheCallTheSupervisorTakesIt) {
  Floor f;
  const CallId call = f.robot_call("li", 0);
  auto sub = f.desk.listen(call);
  patter::Turn t;
  ASSERT_EQ(f.desk.barge("chen", call, 2000, t), DeskStatus::ok);
  EXPECT_EQ(f.with(call), "chen");
  EXPECT_EQ(f.barged(call), "");
  EXPECT_EQ(f.desk.session(call)->phase(), patter::Phase::human);
  const auto events = drain(*sub);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, ListenEventType::taken_over);
  EXPECT_EQ(f.desk.counters().take_overs, 1u);
  EXPECT_EQ(f.desk.counters().barges, 0u);
}

TEST(DeskLeave, TheBargedSupervisorLeavesAndThePersonKeepsTheCall) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  const CallId second = f.escalated("wang", 0);
  patter::Turn t;
  EXPECT_EQ(f.desk.leave("chen", call, 2500), DeskStatus::not_with_agent);  // not on it
  ASSERT_EQ(f.desk.barge("chen", call, 3000, t), DeskStatus::ok);
  auto sub = f.desk.listen(call);
  ASSERT_EQ(f.desk.leave("chen", call, 4000), DeskStatus::ok);
  EXPECT_EQ(f.with(call), "li");
  EXPECT_EQ(f.barged(call), "");
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, ListenEventType::left);
  EXPECT_EQ(events[0].agent, "chen");
  EXPECT_EQ(f.desk.leave("chen", call, 4000), DeskStatus::not_with_agent);
  // Off the call, chen says nothing on it and is free for another.
  EXPECT_EQ(f.desk.say("chen", call, "still here?", 4500, t), DeskStatus::not_with_agent);
  EXPECT_EQ(f.desk.barge("chen", second, 5000, t), DeskStatus::ok);
}

TEST(DeskBarge, HandingBackOrEndingTakesTheSupervisorOffTheCallToo) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  const CallId second = f.escalated("wang", 0);
  patter::Turn t;
  ASSERT_EQ(f.desk.barge("chen", call, 3000, t), DeskStatus::ok);
  // Only the person who has the call hands it back or finishes it.
  EXPECT_EQ(f.desk.hand_back("chen", call, 0, 3500, t), DeskStatus::not_with_agent);
  EXPECT_EQ(f.desk.finish("chen", call, 3500, t), DeskStatus::not_with_agent);
  ASSERT_EQ(f.desk.hand_back("li", call, 0, 4000, t), DeskStatus::ok);
  EXPECT_EQ(f.with(call), "");
  EXPECT_EQ(f.barged(call), "");
  EXPECT_EQ(f.desk.say("chen", call, "hello?", 4500, t), DeskStatus::not_with_agent);
  // chen is free: barges into wang's call, which then ends.
  ASSERT_EQ(f.desk.barge("chen", second, 5000, t), DeskStatus::ok);
  ASSERT_EQ(f.desk.finish("wang", second, 6000, t, patter::HangupReason::completed),
            DeskStatus::ok);
  EXPECT_FALSE(f.desk.call(second));
  // ... and chen is free again: takes over the robot's call.
  EXPECT_EQ(f.desk.take_over("chen", call, 7000, t), DeskStatus::ok);
}

// ---- take over -----------------------------------------------------------------------

TEST(DeskTakeOver, FromAPersonWhoIsFreedAndGivenTheNextWaitingCall) {
  std::vector<std::pair<std::string, CallId>> given;
  patter::DeskOptions o;
  o.on_assigned = [&](std::string_view who, CallId id) { given.emplace_back(who, id); };
  Floor f(o);
  std::string a, b;
  const CallId first = f.escalated("li", 0, &a);
  f.escalated("wang", 0, &b);
  ASSERT_EQ(a, "li");
  ASSERT_EQ(b, "wang");
  const CallId waiting = f.escalated("li", 500);  // both busy: queued
  ASSERT_TRUE(f.desk.call(waiting)->queued);
  given.clear();
  auto sub = f.desk.listen(first);
  const patter::DeskCounters before = f.desk.counters();
  patter::Turn t;
  ASSERT_EQ(f.desk.take_over("chen", first, 3000, t), DeskStatus::ok);
  EXPECT_TRUE(t.actions().empty());  // a person had it, a person has it
  EXPECT_EQ(f.with(first), "chen");
  EXPECT_EQ(f.desk.session(first)->phase(), patter::Phase::human);
  // li, freed, took the waiting call.
  EXPECT_EQ(f.with(waiting), "li");
  ASSERT_EQ(given.size(), 1u);
  EXPECT_EQ(given[0], (std::pair<std::string, CallId>{"li", waiting}));
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, ListenEventType::taken_over);
  EXPECT_EQ(events[0].agent, "chen");
  EXPECT_EQ(events[0].text, "li");
  // Not a new escalation: only the waiting one li took is counted as taken.
  const patter::DeskCounters after = f.desk.counters();
  EXPECT_EQ(after.raised, before.raised);
  EXPECT_EQ(after.taken, before.taken + 1);
  EXPECT_EQ(after.take_overs, 1u);
  EXPECT_EQ(after.grabs, 0u);
  EXPECT_EQ(f.desk.stats("chen")->take_overs, 1u);
  EXPECT_NE(f.desk.stats("chen")->to_json().find("\"take_overs\":1"), std::string::npos);
  EXPECT_EQ(f.desk.remove_agent("chen"), DeskStatus::agent_has_calls);  // on a call
  // The person who lost the call no longer speaks on it; the supervisor does.
  EXPECT_EQ(f.desk.say("li", first, "hello?", 4000, t), DeskStatus::not_with_agent);
  EXPECT_EQ(f.desk.say("chen", first, "I will take it from here.", 4000, t), DeskStatus::ok);
  EXPECT_EQ(f.desk.hand_back("li", first, 0, 4000, t), DeskStatus::not_with_agent);
  ASSERT_EQ(f.desk.finish("chen", first, 5000, t, patter::HangupReason::completed), DeskStatus::ok);
  EXPECT_FALSE(f.desk.call(first));
}

TEST(DeskTakeOver, FromTheRobotCountsAsAnEscalationRaisedAndTaken) {
  Floor f;
  const CallId call = f.robot_call("li", 0);
  auto sub = f.desk.listen(call);
  patter::Turn t;
  ASSERT_EQ(f.desk.take_over("chen", call, 2000, t), DeskStatus::ok);
  EXPECT_EQ(f.with(call), "chen");
  EXPECT_EQ(f.desk.session(call)->phase(), patter::Phase::human);
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, ListenEventType::taken_over);
  EXPECT_EQ(events[0].text, "");  // from the robot
  const patter::DeskCounters n = f.desk.counters();
  EXPECT_EQ(n.raised, 1u);
  EXPECT_EQ(n.taken, 1u);
  EXPECT_EQ(n.take_overs, 1u);
  EXPECT_EQ(n.grabs, 0u);  // grabs are the supervising agent's own
  EXPECT_TRUE(balanced(n));
  // The handoff summary says a person took it unasked.
  const std::optional<patter::HandoffSummary> s = f.desk.summary(call, 2000);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->grabbed);
}

TEST(DeskTakeOver, FromTheQueue) {
  patter::DeskOptions o;
  o.auto_assign = false;
  Floor f(o);
  const CallId busy = f.escalated("li", 0);  // li takes it
  const CallId call = f.escalated("li", 1000);
  ASSERT_EQ(f.with(busy), "li");
  ASSERT_TRUE(f.desk.call(call)->queued);
  patter::Turn t;
  ASSERT_EQ(f.desk.take_over("chen", call, 6000, t), DeskStatus::ok);
  EXPECT_EQ(f.with(call), "chen");
  EXPECT_TRUE(f.desk.queue().empty());
  EXPECT_FALSE(f.desk.call(call)->queued);
  const patter::DeskCounters n = f.desk.counters();
  EXPECT_EQ(n.raised, 2u);
  EXPECT_EQ(n.taken, 2u);
  EXPECT_TRUE(balanced(n));
  EXPECT_EQ(f.desk.stats("chen")->mean_time_to_take_ms, 4000);  // escalated at 2000
}

TEST(DeskTakeOver, Refusals) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  const CallId other = f.escalated("wang", 0);
  patter::Turn t;
  ASSERT_EQ(f.desk.take_over("chen", call, 3000, t), DeskStatus::ok);
  EXPECT_EQ(f.desk.take_over("chen", call, 3000, t), DeskStatus::already_taken);  // theirs
  EXPECT_EQ(f.desk.take_over("zhou", call, 3000, t), DeskStatus::already_taken);  // a supervisor's
  EXPECT_EQ(f.desk.take_over("chen", other, 3000, t), DeskStatus::agent_busy);
  EXPECT_EQ(f.with(call), "chen");
  EXPECT_EQ(f.with(other), "wang");
  // A barged-in supervisor may take over the call they are on; the other
  // supervisor barged in may not.
  ASSERT_EQ(f.desk.barge("zhou", other, 4000, t), DeskStatus::ok);
  ASSERT_EQ(f.desk.take_over("zhou", other, 5000, t), DeskStatus::ok);
  EXPECT_EQ(f.with(other), "zhou");
  EXPECT_EQ(f.barged(other), "");
  // A call not yet answered: the session refuses the person.
  auto ringing = f.desk.open_call(f.script, {}, "li");
  ASSERT_TRUE(ringing.ok());
  ASSERT_EQ(f.desk.finish("chen", call, 6000, t), DeskStatus::ok);
  EXPECT_EQ(f.desk.take_over("chen", ringing->id, 7000, t), DeskStatus::session_error);
  EXPECT_EQ(t.status(), patter::Status::not_answered);
  EXPECT_EQ(f.desk.take_over("zhou", ringing->id, 7000, t), DeskStatus::agent_busy);
  // chen was given back: free for another call.
  const CallId robot = f.robot_call("wang", 8000);
  EXPECT_EQ(f.desk.take_over("chen", robot, 9000, t), DeskStatus::ok);
}

TEST(DeskTakeOver, PastTheDurationLimitTheRobotClosesTheCallAndTheSupervisorStaysFree) {
  std::vector<patter::CallResult> ended;
  patter::DeskOptions o;
  o.on_call_ended = [&](CallId, const patter::CallResult& r) { ended.push_back(r); };
  Floor f(o, "limits:\n  max_duration_s: 10\n");
  const CallId call = f.robot_call("li", 0);
  patter::Turn t;
  ASSERT_EQ(f.desk.take_over("chen", call, 20000, t), DeskStatus::unknown_call);
  EXPECT_EQ(t.limit(), patter::HangupReason::max_duration);
  EXPECT_FALSE(f.desk.call(call));
  ASSERT_EQ(ended.size(), 1u);
  const patter::DeskCounters n = f.desk.counters();
  EXPECT_EQ(n.take_overs, 0u);
  EXPECT_TRUE(balanced(n));
  const CallId next = f.robot_call("li", 30000);
  EXPECT_EQ(f.desk.take_over("chen", next, 31000, t), DeskStatus::ok);
}

TEST(DeskTakeOver, TwoSupervisorsAtOnceExactlyOneWins) {
  for (int round = 0; round < 40; ++round) {
    Floor f;
    // Odd rounds: a call li has; even rounds: the robot's.
    const CallId call = round % 2 ? f.escalated("li", 0) : f.robot_call("li", 0);
    std::atomic<int> wins{0}, lost{0};
    std::vector<std::thread> threads;
    for (const char* who : {"chen", "zhou"})
      threads.emplace_back([&, who] {
        patter::Turn mine;
        const DeskStatus st = round % 4 < 2 ? f.desk.take_over(who, call, 3000, mine)
                                            : f.desk.barge(who, call, 3000, mine);
        if (st == DeskStatus::ok)
          ++wins;
        else if (st == DeskStatus::already_taken)
          ++lost;
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(lost.load(), 1);
    const patter::Desk::CallInfo info = *f.desk.call(call);
    const std::string winner = info.barged.empty() ? info.with : info.barged;
    EXPECT_TRUE(winner == "chen" || winner == "zhou") << winner;
    EXPECT_TRUE(balanced(f.desk.counters()));
  }
}

// ---- notes ---------------------------------------------------------------------------

TEST(DeskNotes, AnyoneOnTheDeskNotesAndTheNotesStayWithTheCall) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  auto sub = f.desk.listen(call);
  ASSERT_EQ(f.desk.note("chen", call, "good rapport; too fast on price", 3000), DeskStatus::ok);
  ASSERT_EQ(f.desk.note("wang", call, "customer asked for a brochure", 4000), DeskStatus::ok);
  const std::vector<patter::CoachingNote> notes = f.desk.notes(call);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].author, "chen");
  EXPECT_EQ(notes[0].text, "good rapport; too fast on price");
  EXPECT_EQ(notes[0].at_ms, 3000u);
  EXPECT_EQ(notes[1].author, "wang");
  ASSERT_EQ(f.desk.call(call)->notes.size(), 2u);
  EXPECT_EQ(f.desk.call(call)->notes[1].text, "customer asked for a brochure");
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, ListenEventType::noted);
  EXPECT_EQ(events[0].agent, "chen");
  EXPECT_EQ(events[1].text, "customer asked for a brochure");
  // Notes are the desk's, not the session's nor the transcript's.
  for (const patter::TranscriptEntry& e : transcript_of(f.desk, call))
    EXPECT_EQ(e.text.find("brochure"), std::string::npos);
  // On a call with only the robot too.
  const CallId robot = f.robot_call("wang", 0);
  EXPECT_EQ(f.desk.note("li", robot, "call back after 6pm", 1000), DeskStatus::ok);
}

TEST(DeskNotes, RefusalsAndTheCap) {
  Floor f;
  const CallId call = f.robot_call("li", 0);
  EXPECT_EQ(f.desk.note("chen", call, "", 1000), DeskStatus::bad_text);
  EXPECT_EQ(f.desk.note("chen", call, "   ", 1000), DeskStatus::bad_text);
  EXPECT_EQ(f.desk.note("chen", call, "\xc3(", 1000), DeskStatus::bad_text);
  for (std::size_t i = 0; i < patter::kMaxNotes; ++i)
    ASSERT_EQ(f.desk.note("chen", call, "note " + std::to_string(i), 1000 + i), DeskStatus::ok);
  EXPECT_EQ(f.desk.note("chen", call, "one too many", 5000), DeskStatus::notes_full);
  const auto notes = f.desk.notes(call);
  ASSERT_EQ(notes.size(), patter::kMaxNotes);
  EXPECT_EQ(notes.back().text, "note " + std::to_string(patter::kMaxNotes - 1));
  // A long note is kept cut, between characters.
  const CallId other = f.robot_call("wang", 0);
  ASSERT_EQ(f.desk.note("chen", other, std::string(3000, 'x'), 1000), DeskStatus::ok);
  EXPECT_EQ(f.desk.notes(other)[0].text.size(), patter::kNoteTextMax);
}

TEST(DeskNotes, ReadableWhileTheHostIsToldTheCallEndedThenGone) {
  std::vector<patter::CoachingNote> at_end;
  patter::Desk* desk = nullptr;
  patter::DeskOptions o;
  o.on_call_ended = [&](CallId id, const patter::CallResult&) { at_end = desk->notes(id); };
  Floor f(o);
  desk = &f.desk;
  const CallId call = f.escalated("li", 0);
  ASSERT_EQ(f.desk.note("chen", call, "strong lead", 3000), DeskStatus::ok);
  patter::Turn t;
  ASSERT_EQ(f.desk.finish("li", call, 4000, t, patter::HangupReason::completed), DeskStatus::ok);
  ASSERT_EQ(at_end.size(), 1u);
  EXPECT_EQ(at_end[0].text, "strong lead");
  EXPECT_TRUE(f.desk.notes(call).empty());
  EXPECT_EQ(f.desk.note("chen", call, "too late", 5000), DeskStatus::unknown_call);
}

// ---- reassign ------------------------------------------------------------------------

TEST(DeskReassign, AWaitingCallGoesToTheNamedFreePerson) {
  std::vector<std::pair<std::string, CallId>> given;
  patter::DeskOptions o;
  o.auto_assign = false;
  o.on_assigned = [&](std::string_view who, CallId id) { given.emplace_back(who, id); };
  Floor f(o);
  const CallId busy = f.escalated("li", 0);        // li takes it
  const CallId call = f.escalated("li", 1000);     // queued
  const CallId wangs = f.escalated("wang", 1000);  // wang takes it
  ASSERT_EQ(f.with(busy), "li");
  ASSERT_EQ(f.with(wangs), "wang");
  ASSERT_TRUE(f.desk.call(call)->queued);
  given.clear();
  auto sub = f.desk.listen(call);
  patter::Turn t;
  EXPECT_EQ(f.desk.reassign("chen", call, "wang", 3000, t), DeskStatus::agent_busy);
  EXPECT_EQ(f.desk.reassign("chen", call, "nobody", 3000, t), DeskStatus::unknown_agent);
  EXPECT_EQ(f.desk.reassign("li", call, "wang", 3000, t), DeskStatus::not_permitted);
  EXPECT_TRUE(f.desk.call(call)->queued);
  ASSERT_EQ(f.desk.finish("wang", wangs, 3500, t), DeskStatus::ok);
  const patter::DeskCounters before = f.desk.counters();
  ASSERT_EQ(f.desk.reassign("chen", call, "wang", 4000, t), DeskStatus::ok);
  EXPECT_EQ(f.with(call), "wang");
  EXPECT_EQ(f.desk.session(call)->phase(), patter::Phase::human);
  EXPECT_TRUE(f.desk.queue().empty());
  ASSERT_EQ(given.size(), 1u);
  EXPECT_EQ(given[0], (std::pair<std::string, CallId>{"wang", call}));
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, ListenEventType::reassigned);
  EXPECT_EQ(events[0].agent, "wang");
  EXPECT_EQ(events[0].text, "chen");
  const patter::DeskCounters after = f.desk.counters();
  EXPECT_EQ(after.raised, before.raised);
  EXPECT_EQ(after.taken, before.taken + 1);
  EXPECT_EQ(after.reassigned, 1u);
  EXPECT_EQ(f.desk.stats("chen")->reassigned, 1u);
  EXPECT_EQ(f.desk.stats("wang")->escalations, before.taken == 0 ? 1u : 2u);
  // Now it has a person; the robot's calls wait for nobody.
  EXPECT_EQ(f.desk.reassign("chen", call, "zhou", 5000, t), DeskStatus::already_taken);
  const CallId robot = f.robot_call("wang", 5000);
  EXPECT_EQ(f.desk.reassign("chen", robot, "zhou", 6000, t), DeskStatus::not_waiting);
}

TEST(DeskReassign, CallsWaitingForATraineeOrAPersonWhoDoesNotAutoAnswer) {
  patter::DeskOptions o;
  o.auto_assign = false;
  Floor f(o);
  f.desk.add_agent("xiao", {.capacity = 2, .trainee = true});
  f.desk.add_agent("sun", {.capacity = 2, .auto_answer = false});
  std::string a, b;
  const CallId trainees = f.escalated("xiao", 0, &a);
  const CallId suns = f.escalated("sun", 0, &b);
  EXPECT_EQ(a, "");
  EXPECT_EQ(b, "");
  ASSERT_TRUE(f.desk.session(trainees)->awaiting_person());
  ASSERT_TRUE(f.desk.call(suns)->queued);
  patter::Turn t;
  ASSERT_EQ(f.desk.reassign("chen", trainees, "wang", 3000, t), DeskStatus::ok);
  ASSERT_EQ(f.desk.reassign("zhou", suns, "li", 3000, t), DeskStatus::ok);
  EXPECT_EQ(f.with(trainees), "wang");
  EXPECT_EQ(f.with(suns), "li");
  ASSERT_EQ(f.desk.finish("li", suns, 4000, t), DeskStatus::ok);
  // The trainee missed it.
  ASSERT_EQ(f.desk.finish("wang", trainees, 4000, t), DeskStatus::ok);
  ASSERT_EQ(f.desk.assessment("xiao")->missed, 1u);
  EXPECT_TRUE(balanced(f.desk.counters()));
}

// ---- say -----------------------------------------------------------------------------

TEST(DeskSay, ThePersonsWordsGoIntoTheTranscriptWithWhoSaidThem) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  auto sub = f.desk.listen(call);
  patter::Turn t;
  ASSERT_EQ(f.desk.say("li", call, "您好，我是李老师。", 3000, t), DeskStatus::ok);
  const auto transcript = f.desk.session(call)->transcript();
  ASSERT_FALSE(transcript.empty());
  EXPECT_EQ(transcript.back().who, patter::TranscriptEntry::Who::agent);
  EXPECT_EQ(transcript.back().speaker, "li");
  EXPECT_EQ(transcript.back().text, "您好，我是李老师。");
  const auto events = drain(*sub);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, ListenEventType::person_said);
  EXPECT_EQ(events[0].agent, "li");
  EXPECT_EQ(events[0].text, "您好，我是李老师。");
  // Never routed: the call is li's still, nothing said by the robot.
  EXPECT_TRUE(t.actions().empty());
  EXPECT_EQ(f.with(call), "li");
  // A time before the call's last event counts as that event's.
  EXPECT_EQ(f.desk.say("li", call, "still there?", 10, t), DeskStatus::ok);
}

TEST(DeskSay, Refusals) {
  Floor f;
  const CallId robot = f.robot_call("li", 0);
  const CallId call = f.escalated("wang", 0);
  patter::Turn t;
  EXPECT_EQ(f.desk.say("li", robot, "hello", 1000, t), DeskStatus::not_with_agent);
  EXPECT_EQ(f.desk.say("li", call, "hello", 3000, t), DeskStatus::not_with_agent);
  EXPECT_EQ(f.desk.say("chen", call, "hello", 3000, t), DeskStatus::not_with_agent);
  EXPECT_EQ(f.desk.say("wang", call, "", 3000, t), DeskStatus::bad_text);
  EXPECT_EQ(t.status(), patter::Status::no_text);
  EXPECT_EQ(f.desk.say("wang", call, "caf\xe9", 3000, t), DeskStatus::bad_text);
  EXPECT_EQ(t.status(), patter::Status::bad_text);
  for (const patter::TranscriptEntry& e : transcript_of(f.desk, call))
    EXPECT_NE(e.who, patter::TranscriptEntry::Who::agent);
}

// ---- summary -------------------------------------------------------------------------

TEST(DeskSummary, TheHandoffSummaryOfALiveCall) {
  Floor f;
  const CallId call = f.escalated("li", 0);
  const std::optional<patter::HandoffSummary> s = f.desk.summary(call, 4000);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->script, "desk_ops_test");
  EXPECT_TRUE(s->escalated);
  EXPECT_FALSE(s->grabbed);
  EXPECT_EQ(s->escalation_node, "transfer");
  EXPECT_EQ(s->duration_ms, 4000u);
  EXPECT_EQ(s->trigger, "yes");
}

// ---- the router alone ----------------------------------------------------------------

// li has call 1, wang call 3; call 2 (li's) waits in the queue; call 4
// (wang's) is the robot's.
struct RouterFloor {
  RouterFloor() {
    r.add_agent("li");
    r.add_agent("wang");
    r.add_agent("chen", kSupervisor);
    r.add_agent("zhou", kSupervisor);
    for (CallId id : {1, 2}) EXPECT_TRUE(r.open(id, "li").ok());
    for (CallId id : {3, 4}) EXPECT_TRUE(r.open(id, "wang").ok());
    EXPECT_EQ(r.escalated(1, patter::Priority::normal, 50, 1000).assigned.size(), 1u);
    EXPECT_EQ(r.escalated(3, patter::Priority::normal, 50, 1000).assigned.size(), 1u);
    EXPECT_TRUE(r.escalated(2, patter::Priority::normal, 50, 1500).queued);
  }
  patter::DeskRouter r;
};

TEST(DeskRouterOps, TakeOverBargeAndLeave) {
  RouterFloor f;
  patter::DeskRouter& r = f.r;
  // Roles and refusals.
  EXPECT_EQ(r.take_over("li", 1, 2000).status, DeskStatus::not_permitted);
  EXPECT_EQ(r.barge("nobody", 1, 2000).status, DeskStatus::unknown_agent);
  EXPECT_EQ(r.take_over("chen", 99, 2000).status, DeskStatus::unknown_call);
  EXPECT_EQ(r.leave("chen", 1, 2000).status, DeskStatus::not_with_agent);

  // chen takes over li's call: li is freed and takes the waiting call 2.
  patter::Routing took = r.take_over("chen", 1, 3000);
  ASSERT_EQ(took.status, DeskStatus::ok);
  ASSERT_EQ(took.assigned.size(), 2u);
  EXPECT_EQ(took.assigned[0].agent, "chen");
  EXPECT_EQ(took.assigned[0].call, 1u);
  EXPECT_EQ(took.assigned[1].agent, "li");
  EXPECT_EQ(took.assigned[1].call, 2u);
  EXPECT_EQ(r.call(1)->with, "chen");
  EXPECT_EQ(r.take_over("zhou", 1, 3000).status, DeskStatus::already_taken);

  // zhou barges into wang's call, leaves, barges again; wang hands back.
  patter::Routing barged = r.barge("zhou", 3, 4000);
  ASSERT_EQ(barged.status, DeskStatus::ok);
  ASSERT_EQ(barged.assigned.size(), 1u);
  EXPECT_EQ(barged.assigned[0].agent, "zhou");
  EXPECT_EQ(r.call(3)->barged, "zhou");
  EXPECT_EQ(r.barge("chen", 3, 4000).status, DeskStatus::already_taken);
  EXPECT_EQ(r.leave("zhou", 3, 4500).status, DeskStatus::ok);
  EXPECT_EQ(r.call(3)->barged, "");
  ASSERT_EQ(r.barge("zhou", 3, 5000).status, DeskStatus::ok);
  ASSERT_EQ(r.hand_back("wang", 3, 6000).status, DeskStatus::ok);
  EXPECT_EQ(r.call(3)->barged, "");
  // zhou is free: barging into a robot's call takes it.
  ASSERT_EQ(r.barge("zhou", 4, 7000).status, DeskStatus::ok);
  EXPECT_EQ(r.call(4)->with, "zhou");
  const patter::DeskCounters n = r.counters();
  EXPECT_EQ(n.take_overs, 2u);  // call 1 from li, call 4 from the robot
  EXPECT_EQ(n.barges, 2u);
  EXPECT_EQ(r.stats("chen")->take_overs, 1u);
  EXPECT_EQ(r.stats("zhou")->barges, 2u);
}

TEST(DeskRouterOps, ReassignAndTheEndOfACallWithASupervisorOnIt) {
  RouterFloor f;
  patter::DeskRouter& r = f.r;
  r.add_agent("sun", {.auto_answer = false});
  ASSERT_TRUE(r.open(5, "sun").ok());
  ASSERT_TRUE(r.escalated(5, patter::Priority::normal, 50, 1600).queued);
  EXPECT_EQ(r.reassign("li", 5, "sun", 2000).status, DeskStatus::not_permitted);
  EXPECT_EQ(r.reassign("chen", 4, "sun", 2000).status, DeskStatus::not_waiting);
  EXPECT_EQ(r.reassign("chen", 1, "sun", 2000).status, DeskStatus::already_taken);
  EXPECT_EQ(r.reassign("chen", 5, "li", 2000).status, DeskStatus::agent_busy);
  EXPECT_EQ(r.reassign("chen", 5, "nobody", 2000).status, DeskStatus::unknown_agent);
  patter::Routing given = r.reassign("chen", 5, "sun", 3000);
  ASSERT_EQ(given.status, DeskStatus::ok);
  ASSERT_EQ(given.assigned.size(), 1u);
  EXPECT_EQ(given.assigned[0].agent, "sun");
  EXPECT_EQ(r.call(5)->with, "sun");
  EXPECT_EQ(r.queue(), std::vector<CallId>{2});

  // The call a barged-in supervisor is on ends: both are free, and the
  // person takes the waiting call.
  ASSERT_EQ(r.barge("zhou", 3, 4000).status, DeskStatus::ok);
  patter::Routing ended = r.ended(3, patter::Outcome::escalated, 5000);
  ASSERT_EQ(ended.assigned.size(), 1u);
  EXPECT_EQ(ended.assigned[0].agent, "wang");
  EXPECT_EQ(ended.assigned[0].call, 2u);
  EXPECT_EQ(r.barge("zhou", 1, 6000).status, DeskStatus::ok);

  for (CallId id : {1, 2, 4, 5}) r.ended(id, patter::Outcome::escalated, 7000);
  const patter::DeskCounters n = r.counters();
  EXPECT_EQ(n.calls_opened, n.calls_ended);
  EXPECT_TRUE(balanced(n));
  EXPECT_EQ(n.reassigned, 1u);
  EXPECT_EQ(n.barges, 2u);
  EXPECT_EQ(r.stats("chen")->reassigned, 1u);
  EXPECT_EQ(r.stats("sun")->escalations, 1u);
  for (const char* who : {"li", "wang", "chen", "zhou", "sun"})
    EXPECT_EQ(r.remove_agent(who), DeskStatus::ok) << who;
}

// ---- many threads --------------------------------------------------------------------

// Dialers and supervisors on one desk at once: every operation on random
// calls. At the end every escalation ended once and nobody is left on a call.
TEST(DeskOpsStress, SupervisorsAndDialersAtOnceLeaveNobodyStuck) {
  patter::DeskOptions o;
  Floor f(o);
  for (const char* a : {"a0", "a1", "a2", "a3"}) f.desk.add_agent(a, {.capacity = 6});
  std::atomic<std::uint64_t> clock{0};
  std::mutex m;
  std::vector<CallId> calls;
  const std::vector<std::string> people = {"li", "wang", "chen", "zhou", "a0", "a1", "a2", "a3"};
  auto worker = [&](unsigned seed) {
    std::mt19937 rng(seed);
    patter::Turn t;
    for (int i = 0; i < 4000; ++i) {
      const std::uint64_t now = clock.fetch_add(10);
      CallId id = 0;
      {
        std::lock_guard lock(m);
        if (calls.empty() || rng() % 6 == 0) {
          auto opened = f.desk.open_call(f.script);
          if (!opened.ok()) continue;
          calls.push_back(opened->id);
          f.desk.step(opened->id, Event::answered(now), t);
          continue;
        } else {
          // Half the time one of the recent calls: most others have ended.
          const std::size_t span =
              rng() % 2 ? std::min<std::size_t>(calls.size(), 12) : calls.size();
          id = calls[calls.size() - 1 - rng() % span];
        }
      }
      // Mostly who may: a supervisor, the person on the call; now and then anyone.
      const std::string& anyone = people[rng() % people.size()];
      const std::string& other = people[rng() % people.size()];
      const std::string& who = rng() % 4 ? people[2 + rng() % 2] : anyone;
      std::string on = anyone;
      if (auto info = f.desk.call(id); info && rng() % 4)
        on = !info->barged.empty() && rng() % 2 ? info->barged : info->with;
      if (id == 0) continue;
      switch (rng() % 14) {
        case 0: f.desk.step(id, Event::answered(now), t); break;
        case 1:
        case 2: f.desk.step(id, Event::utterance("yes", now), t); break;
        case 3: f.desk.take_over(who, id, now, t); break;
        case 4: f.desk.barge(who, id, now, t); break;
        case 5: f.desk.leave(on, id, now); break;
        case 6: f.desk.whisper(who, id, "slow down", now); break;
        case 7: f.desk.note(who, id, "noted", now); break;
        case 8: f.desk.reassign(who, id, other, now, t); break;
        case 9: f.desk.say(on, id, "hello", now, t); break;
        case 10: f.desk.hand_back(on, id, 0, now, t); break;
        case 11: f.desk.finish(on, id, now, t); break;
        case 12: f.desk.grab(anyone, id, now, t); break;
        case 13: f.desk.step(id, Event::customer_hangup(now), t); break;
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned s = 1; s <= 4; ++s) threads.emplace_back(worker, s);
  for (auto& th : threads) th.join();
  patter::Turn t;
  for (CallId id : calls) f.desk.step(id, Event::customer_hangup(clock.fetch_add(10)), t);
  EXPECT_EQ(f.desk.live_calls(), 0u);
  const patter::DeskCounters n = f.desk.counters();
  EXPECT_EQ(n.calls_opened, n.calls_ended);
  EXPECT_TRUE(balanced(n)) << n.raised << " " << n.taken << " " << n.gave_up << " "
                           << n.ended_waiting;
  EXPECT_GT(n.take_overs + n.barges + n.reassigned, 0u);
  // Nobody is left on a call or supervising one: everyone can go.
  for (const std::string& p : people) EXPECT_EQ(f.desk.remove_agent(p), DeskStatus::ok) << p;
}
