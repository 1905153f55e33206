// The desk: assignment, the queue, grabs, hold policies, hand-back,
// listen-in, training assessment, statistics, and many threads at once.
#include <gtest/gtest.h>
#include <patter/patter.hpp>
#include <patter/random.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "text/utf8.hpp"

namespace {

// A short sales call: "interested" escalates (normal priority, or high with
// "now"), "no" hangs up, the rest is not understood.
std::string script_text(const std::string& hold) {
  return R"(patter: 1
id: desk_test
version: "1"
locale: en-US
variables:
  name: {default: friend}
intents:
  yes: [yes, sure, interested]
  hot: [right now, today]
  no: [no, not interested]
  price: [how much, price]
start: hello
nodes:
  hello:
    say: "Hi {name}, interested in solar?"
    routes:
      - {intent: hot, to: urgent}
      - {intent: yes, to: transfer}
      - {intent: no, to: bye}
      - {intent: price, to: quote}
    no_match: {retries: 1, then: bye}
    no_input: {retries: 1, then: bye}
  quote:
    say: "About ten thousand. Want to talk to an expert?"
    routes:
      - {intent: [yes, hot], to: transfer}
      - {intent: no, to: bye}
    no_match: {retries: 1, then: bye}
    no_input: {retries: 1, then: bye}
  transfer:
    say: "Connecting you now."
    escalate: {reason: interested, priority: normal}
  urgent:
    say: "Connecting you at once."
    escalate: {reason: interested, priority: urgent}
  keep_going:
    say: "While you wait: is your roof south facing?"
    routes:
      - {intent: any, to: keep_going}
    no_input: {retries: 5, then: bye}
  callback_offer:
    say: "Everyone is busy; we will call you back."
    tags: [callback]
    hangup: callback
  bye:
    say: "Goodbye."
    hangup: not_interested
)" + hold;
}

std::shared_ptr<const patter::Script> load(const std::string& hold = "") {
  auto r = patter::load_string(script_text(hold), "desk_test.yaml");
  std::string text;
  for (const auto& d : r.diagnostics) text += patter::format(d) + "\n";
  EXPECT_TRUE(r.ok()) << text;
  return r.script;
}

bool has(const patter::Turn& t, patter::ActionType type) {
  for (const auto& a : t.actions())
    if (a.type == type) return true;
  return false;
}

std::vector<std::string> said(const patter::Turn& t) {
  std::vector<std::string> out;
  for (const auto& a : t.actions())
    if (a.type == patter::ActionType::say) out.emplace_back(a.text);
  return out;
}

// Open a call, answer it, and make it escalate; returns its id.
patter::CallId escalated_call(patter::Desk& desk, const std::shared_ptr<const patter::Script>& s,
                              std::uint64_t at, std::string* assigned = nullptr,
                              std::string_view agent = {}, const char* words = "yes") {
  auto opened = desk.open_call(s, {}, agent);
  EXPECT_TRUE(opened.ok()) << patter::to_string(opened.code());
  patter::Turn t;
  EXPECT_EQ(desk.step(opened->id, patter::Event::answered(at), t), patter::DeskStatus::ok);
  EXPECT_EQ(desk.step(opened->id, patter::Event::utterance(words, at + 1000), t, assigned),
            patter::DeskStatus::ok);
  EXPECT_TRUE(has(t, patter::ActionType::escalate));
  return opened->id;
}

}  // namespace

TEST(Desk, AgentsAreAddedOnceAndRemovedOnlyWhenIdle) {
  patter::Desk desk;
  EXPECT_EQ(desk.add_agent("li"), patter::DeskStatus::ok);
  EXPECT_EQ(desk.add_agent("li"), patter::DeskStatus::agent_exists);
  EXPECT_EQ(desk.remove_agent("wang"), patter::DeskStatus::unknown_agent);
  auto s = load();
  auto call = desk.open_call(s);
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(desk.remove_agent("li"), patter::DeskStatus::agent_has_calls);
  patter::Turn t;
  desk.step(call->id, patter::Event::customer_hangup(0), t);
  EXPECT_EQ(desk.remove_agent("li"), patter::DeskStatus::ok);
  EXPECT_TRUE(desk.agents().empty());
}

TEST(Desk, CallsGoToTheLeastLoadedAgentWithRoom) {
  patter::Desk desk;
  desk.add_agent("a", {.capacity = 2});
  desk.add_agent("b", {.capacity = 3});
  auto s = load();
  std::map<std::string, int> load_of;
  for (int i = 0; i < 5; ++i) {
    auto c = desk.open_call(s);
    ASSERT_TRUE(c.ok());
    ++load_of[c->agent];
  }
  EXPECT_EQ(load_of["a"], 2);
  EXPECT_EQ(load_of["b"], 3);
  auto full = desk.open_call(s);
  EXPECT_EQ(full.code(), patter::DeskStatus::no_capacity);
  // The host may name the agent; a full or unknown one is refused.
  EXPECT_EQ(desk.open_call(s, {}, "a").code(), patter::DeskStatus::no_capacity);
  EXPECT_EQ(desk.open_call(s, {}, "zhao").code(), patter::DeskStatus::unknown_agent);
  // Variables are checked like Session::start.
  auto bad = desk.open_call(s, {{"nmae", "x"}});
  EXPECT_EQ(bad.code(), patter::DeskStatus::bad_script);
  EXPECT_NE(bad.message().find("did you mean `name`?"), std::string::npos) << bad.message();
  EXPECT_EQ(desk.counters().calls_opened, 5u);
}

TEST(Desk, EscalationGoesToTheFreeSupervisor) {
  std::vector<std::pair<std::string, patter::CallId>> assigned_events;
  std::mutex m;
  patter::DeskOptions o;
  o.on_assigned = [&](std::string_view a, patter::CallId c) {
    std::lock_guard lock(m);
    assigned_events.emplace_back(std::string(a), c);
  };
  patter::Desk desk(o);
  desk.add_agent("li");
  auto s = load();
  std::string assigned;
  const auto id = escalated_call(desk, s, 0, &assigned);
  EXPECT_EQ(assigned, "li");
  auto info = desk.call(id);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->with, "li");
  EXPECT_EQ(info->phase, patter::Phase::human);
  EXPECT_FALSE(info->queued);
  ASSERT_EQ(assigned_events.size(), 1u);
  EXPECT_EQ(assigned_events[0], std::make_pair(std::string("li"), id));
  auto stats = desk.stats("li");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->escalations, 1u);
  EXPECT_EQ(desk.counters().raised, 1u);
  EXPECT_EQ(desk.counters().taken, 1u);
}

TEST(Desk, BusyAgentsQueueByPriorityThenScoreThenWaitingTime) {
  patter::DeskOptions o;
  o.auto_assign = false;
  patter::Desk desk(o);
  desk.add_agent("li", {.capacity = 10});
  auto s = load();
  // li takes the first escalation and is busy from then on.
  const auto first = escalated_call(desk, s, 0);
  ASSERT_EQ(desk.call(first)->with, "li");
  const auto normal_early = escalated_call(desk, s, 1000);
  const auto normal_late = escalated_call(desk, s, 2000);
  const auto urgent = escalated_call(desk, s, 3000, nullptr, {}, "right now");
  // "how much" then "yes": the same priority with a higher... the same score here,
  // so waiting time decides between the two normal ones.
  EXPECT_EQ(desk.queue(), (std::vector<patter::CallId>{urgent, normal_early, normal_late}));
  EXPECT_TRUE(desk.call(urgent)->queued);
  EXPECT_EQ(desk.counters().queued, 3u);

  patter::Turn t;
  patter::CallId got = 0;
  EXPECT_EQ(desk.take_next("li", 5000, t, &got), patter::DeskStatus::agent_busy);
  desk.finish("li", first, 6000, t);
  EXPECT_TRUE(has(t, patter::ActionType::end));
  EXPECT_EQ(desk.take_next("li", 7000, t, &got), patter::DeskStatus::ok);
  EXPECT_EQ(got, urgent);
  EXPECT_EQ(desk.call(urgent)->with, "li");
  EXPECT_EQ(desk.queue(), (std::vector<patter::CallId>{normal_early, normal_late}));
  desk.add_agent("wang");
  EXPECT_EQ(desk.take_next("wang", 8000, t, &got), patter::DeskStatus::ok);
  EXPECT_EQ(got, normal_early);
  // Time to take: from each escalation to its person.
  auto st = desk.stats("wang");
  EXPECT_DOUBLE_EQ(st->mean_time_to_take_ms, 8000.0 - 2000.0);
  patter::Desk empty;
  empty.add_agent("x");
  EXPECT_EQ(empty.take_next("x", 0, t), patter::DeskStatus::queue_empty);
  EXPECT_EQ(empty.take_next("y", 0, t), patter::DeskStatus::unknown_agent);
}

TEST(Desk, HigherScoreComesFirstWithinAPriority) {
  patter::DeskOptions o;
  o.auto_assign = false;
  patter::Desk desk(o);
  desk.add_agent("li", {.capacity = 10});
  // Interest score from the intent: a script where "how much" adds 30.
  std::string text = script_text("");
  text.replace(text.find("  price: [how much, price]"), 26,
               "  price: {phrases: [how much, price], score: 30}");
  auto r = patter::load_string(text, "scored.yaml");
  ASSERT_TRUE(r.ok());
  const auto busy = escalated_call(desk, r.script, 0);
  ASSERT_EQ(desk.call(busy)->with, "li");
  const auto plain = escalated_call(desk, r.script, 1000);
  auto opened = desk.open_call(r.script);
  patter::Turn t;
  desk.step(opened->id, patter::Event::answered(2000), t);
  desk.step(opened->id, patter::Event::utterance("how much", 3000), t);
  desk.step(opened->id, patter::Event::utterance("yes", 4000), t);
  EXPECT_EQ(desk.queue(), (std::vector<patter::CallId>{opened->id, plain}));
}

TEST(Desk, AFreeAgentTakesAQueuedEscalationAtOnce) {
  patter::Desk desk;  // auto_assign on
  desk.add_agent("li", {.capacity = 2});
  desk.add_agent("wang", {.capacity = 0});  // supervises nothing, answers the queue
  auto s = load();
  const auto a = escalated_call(desk, s, 0, nullptr, "li");
  EXPECT_EQ(desk.call(a)->with, "li");
  std::string assigned;
  const auto b = escalated_call(desk, s, 1000, &assigned, "li");
  EXPECT_TRUE(assigned.empty());          // li is busy ...
  EXPECT_EQ(desk.call(b)->with, "wang");  // ... so wang took it from the queue
  EXPECT_TRUE(desk.queue().empty());
}

TEST(Desk, AgentsWhoDoNotAutoAnswerAreAlertedAndChoose) {
  patter::Desk desk;  // auto_assign on: it skips such agents too
  desk.add_agent("li", {.capacity = 3, .auto_answer = false});
  desk.add_agent("wang", {.capacity = 0, .auto_answer = false});
  auto s = load();
  std::string assigned;
  const auto a = escalated_call(desk, s, 0, &assigned, "li");
  EXPECT_TRUE(assigned.empty());  // nobody joined: li is alerted, the call waits
  auto info = desk.call(a);
  EXPECT_TRUE(info->with.empty());
  EXPECT_TRUE(info->queued);
  EXPECT_EQ(info->phase, patter::Phase::waiting);
  patter::Turn t;
  ASSERT_EQ(desk.grab("li", a, 2000, t), patter::DeskStatus::ok);
  EXPECT_EQ(desk.call(a)->with, "li");
  EXPECT_TRUE(desk.queue().empty());
  EXPECT_EQ(desk.stats("li")->mean_time_to_take_ms, 1000.0);  // escalated at 1 s
  // While li talks, the next one waits for whoever takes it.
  const auto b = escalated_call(desk, s, 3000, nullptr, "li");
  EXPECT_EQ(desk.queue(), std::vector<patter::CallId>{b});
  EXPECT_EQ(desk.finish("li", a, 5000, t), patter::DeskStatus::ok);
  EXPECT_TRUE(desk.call(b)->with.empty());  // li is free, and still chooses
  patter::CallId got = 0;
  EXPECT_EQ(desk.take_next("wang", 6000, t, &got), patter::DeskStatus::ok);
  EXPECT_EQ(got, b);
  EXPECT_EQ(desk.counters().taken, 2u);
}

TEST(Desk, SuggestionsRightAfterTakingAnEscalatedCall) {
  // The person joins seconds after the customer's last words: the script's
  // suggestion for those words is there at once.
  patter::Desk desk;
  desk.add_agent("li", {.auto_answer = false});
  auto s = load();
  auto c = desk.open_call(s, {}, "li");
  patter::Turn t;
  desk.step(c->id, patter::Event::answered(0), t);
  desk.step(c->id, patter::Event::utterance("how much", 1000), t);
  desk.step(c->id, patter::Event::utterance("yes", 2000), t);  // escalates
  ASSERT_EQ(desk.grab("li", c->id, 5000, t), patter::DeskStatus::ok);
  auto help = desk.assist(c->id);
  ASSERT_TRUE(help);
  EXPECT_EQ(help->heard, "yes");
  ASSERT_FALSE(help->lines.empty());
  // What the robot said to "yes" at `quote` hands the call to a person: the
  // person has it, so that line is no help and is left out.
  for (const patter::Suggestion& l : help->lines) {
    EXPECT_NE(l.text, "Connecting you now.");
    EXPECT_FALSE(l.why.empty()) << l.text;
  }
}

TEST(Desk, TwoAgentsGrabbingOneCallExactlyOneWins) {
  for (int round = 0; round < 50; ++round) {
    patter::Desk desk;
    desk.add_agent("li");
    desk.add_agent("wang");
    auto s = load();
    auto c = desk.open_call(s, {}, "li");
    patter::Turn t;
    desk.step(c->id, patter::Event::answered(0), t);
    // Only the supervisor may grab; a grab from both li (twice, two threads)
    // and wang: exactly one ok.
    std::atomic<int> wins{0}, taken{0}, other{0};
    std::vector<std::thread> threads;
    for (const char* who : {"li", "li", "wang"})
      threads.emplace_back([&, who] {
        patter::Turn mine;
        auto st = desk.grab(who, c->id, 500, mine);
        if (st == patter::DeskStatus::ok)
          ++wins;
        else if (st == patter::DeskStatus::already_taken || st == patter::DeskStatus::agent_busy)
          ++taken;
        else if (st == patter::DeskStatus::not_supervisor)
          ++other;
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(taken.load(), 1);
    EXPECT_EQ(other.load(), 1);
    EXPECT_EQ(desk.call(c->id)->with, "li");
  }
}

TEST(Desk, GrabSilencesTheRobotAndTheAgentGetsSuggestions) {
  patter::Desk desk;
  desk.add_agent("li");
  auto s = load();
  auto c = desk.open_call(s, {{"name", "Sam"}}, "li");
  patter::Turn t;
  desk.step(c->id, patter::Event::answered(0), t);
  ASSERT_EQ(desk.grab("li", c->id, 500, t), patter::DeskStatus::ok);
  EXPECT_TRUE(has(t, patter::ActionType::stop_line));
  EXPECT_EQ(desk.grab("li", c->id, 600, t), patter::DeskStatus::agent_busy);
  // The customer asks the price: the robot says nothing, the agent gets the
  // script's line for it.
  ASSERT_EQ(desk.step(c->id, patter::Event::utterance("how much is it", 1000), t),
            patter::DeskStatus::ok);
  EXPECT_TRUE(t.actions().empty());
  EXPECT_EQ(t.decision(), patter::Decision::human);
  auto help = desk.assist(c->id);
  ASSERT_TRUE(help);
  EXPECT_EQ(help->heard, "how much is it");
  ASSERT_FALSE(help->intents.empty());
  EXPECT_EQ(s->intent(help->intents[0]).name, "price");
  ASSERT_GE(help->lines.size(), 1u);  // the answer first, then other lines of the script
  EXPECT_EQ(help->lines[0].text, "About ten thousand. Want to talk to an expert?");
  for (std::size_t i = 1; i < help->lines.size(); ++i)
    EXPECT_LE(help->lines[i].score, help->lines[0].score);
  EXPECT_EQ(help->lines[0].node, *s->find_node("quote"));
  EXPECT_EQ(help->decision, patter::Decision::route);
  EXPECT_EQ(help->grade, "E");
  // Suggestions change nothing in the call.
  auto before = desk.session(c->id)->snapshot();
  desk.assist(c->id);
  EXPECT_EQ(desk.session(c->id)->snapshot(), before);
  // Other agents' and unknown calls.
  desk.add_agent("wang");
  EXPECT_EQ(desk.grab("wang", c->id, 700, t), patter::DeskStatus::not_supervisor);
  EXPECT_EQ(desk.grab("li", 999, 700, t), patter::DeskStatus::unknown_call);
  EXPECT_FALSE(desk.assist(999));
}

TEST(Desk, HandBackResumesTheRobotAtANode) {
  patter::Desk desk;
  desk.add_agent("li");
  auto s = load();
  const auto id = escalated_call(desk, s, 0);
  patter::Turn t;
  EXPECT_EQ(desk.hand_back("wang", id, *s->find_node("quote"), 5000, t),
            patter::DeskStatus::not_with_agent);
  EXPECT_EQ(desk.hand_back("li", id, 12345, 5000, t), patter::DeskStatus::unknown_node);
  ASSERT_EQ(desk.hand_back("li", id, *s->find_node("quote"), 5000, t), patter::DeskStatus::ok);
  EXPECT_EQ(said(t), std::vector<std::string>{"About ten thousand. Want to talk to an expert?"});
  EXPECT_TRUE(has(t, patter::ActionType::listen));
  auto info = desk.call(id);
  EXPECT_EQ(info->phase, patter::Phase::robot);
  EXPECT_TRUE(info->with.empty());
  EXPECT_EQ(desk.stats("li")->hand_backs, 1u);
  // The robot goes on; "no" ends the call.
  desk.step(id, patter::Event::utterance("no", 7000), t);
  EXPECT_TRUE(has(t, patter::ActionType::end));
  EXPECT_FALSE(desk.call(id));
  // Agent events go through the desk's own calls, not step().
  patter::Desk d2;
  d2.add_agent("li");
  auto c = d2.open_call(s);
  EXPECT_EQ(d2.step(c->id, patter::Event::agent_joined(0), t), patter::DeskStatus::not_with_agent);
}

TEST(Desk, FinishEndsTheCallAsEscalated) {
  std::vector<patter::CallResult> results;
  patter::DeskOptions o;
  o.on_call_ended = [&](patter::CallId, const patter::CallResult& r) { results.push_back(r); };
  patter::Desk desk(o);
  desk.add_agent("li");
  auto s = load();
  const auto id = escalated_call(desk, s, 0);
  patter::Turn t;
  ASSERT_EQ(desk.finish("li", id, 60000, t), patter::DeskStatus::ok);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, patter::Outcome::escalated);
  EXPECT_EQ(results[0].hangup, patter::HangupReason::agent_ended);
  EXPECT_EQ(desk.live_calls(), 0u);
  auto st = desk.stats("li");
  ASSERT_EQ(st->outcomes.size(), 1u);
  EXPECT_EQ(st->outcomes[0], std::make_pair(patter::Outcome::escalated, std::uint64_t{1}));
  EXPECT_NE(st->to_json().find("\"escalated\":1"), std::string::npos) << st->to_json();
  EXPECT_EQ(desk.finish("li", id, 61000, t), patter::DeskStatus::unknown_call);

  // The person may give their verdict; the call stays escalated.
  const auto sold = escalated_call(desk, s, 70000);
  ASSERT_EQ(desk.finish("li", sold, 90000, t, patter::HangupReason::completed),
            patter::DeskStatus::ok);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].outcome, patter::Outcome::escalated);
  EXPECT_EQ(results[1].hangup, patter::HangupReason::completed);
}

// ---- hold policies --------------------------------------------------------------------

namespace {
// A desk whose only agent is on another call, so escalations wait.
struct Waiting {
  explicit Waiting(const std::string& hold) : script(load(hold)) {
    patter::DeskOptions o;
    o.auto_assign = false;
    o.on_call_ended = [this](patter::CallId, const patter::CallResult& r) { results.push_back(r); };
    desk = std::make_unique<patter::Desk>(o);
    desk->add_agent("li", {.capacity = 5});
    busy = escalated_call(*desk, script, 0);
    call = escalated_call(*desk, script, 1000);
  }
  std::shared_ptr<const patter::Script> script;
  std::unique_ptr<patter::Desk> desk;
  std::vector<patter::CallResult> results;
  patter::CallId busy = 0, call = 0;
  // Send timers as the desk says they are due, until `until`.
  std::vector<std::string> run_until(std::uint64_t until, patter::Turn& last) {
    std::vector<std::string> lines;
    for (std::uint64_t now = 2000; now <= until; now += 500)
      for (patter::CallId id : desk->due(now)) {
        desk->step(id, patter::Event::timer(now), last);
        for (auto& l : said(last)) lines.push_back(l);
      }
    return lines;
  }
};
}  // namespace

TEST(DeskHold, LinesAtAnIntervalThenGiveUp) {
  Waiting w("hold:\n  say: [Please hold., Still looking.]\n  interval_s: 10\n  timeout_s: 35\n");
  EXPECT_TRUE(w.desk->call(w.call)->queued);
  auto s = w.desk->session(w.call);
  EXPECT_EQ(s->escalated_at_ms(), 2000u);
  EXPECT_EQ(s->deadline_ms(), 12000u);  // the first hold line
  patter::Turn last;
  auto lines = w.run_until(40000, last);
  EXPECT_EQ(lines, (std::vector<std::string>{"Please hold.", "Still looking.", "Please hold."}));
  // At 37 s: nobody came; no `then`: hang up with no_agent.
  EXPECT_EQ(last.decision(), patter::Decision::no_person);
  ASSERT_EQ(w.results.size(), 1u);
  EXPECT_EQ(w.results[0].hangup, patter::HangupReason::no_agent);
  EXPECT_EQ(w.results[0].outcome, patter::Outcome::hangup);
  EXPECT_TRUE(w.results[0].escalated);
  EXPECT_TRUE(w.desk->queue().empty());
  auto n = w.desk->counters();
  EXPECT_EQ(n.raised, 2u);
  EXPECT_EQ(n.taken, 1u);
  EXPECT_EQ(n.gave_up, 1u);
}

TEST(DeskHold, SilenceThenOfferACallback) {
  Waiting w("hold:\n  while_waiting: silence\n  timeout_s: 20\n  then: callback_offer\n");
  patter::Turn last;
  auto lines = w.run_until(30000, last);
  EXPECT_EQ(lines, std::vector<std::string>{"Everyone is busy; we will call you back."});
  ASSERT_EQ(w.results.size(), 1u);
  EXPECT_EQ(w.results[0].hangup, patter::HangupReason::callback);
  EXPECT_EQ(w.results[0].outcome, patter::Outcome::hangup);
  EXPECT_EQ(w.results[0].tags, std::vector<std::string>{"callback"});
}

TEST(DeskHold, CallbackAtOnceWhenNobodyIsFree) {
  Waiting w("hold:\n  while_waiting: silence\n  timeout_s: 0\n  then: callback_offer\n");
  // Due at once: the escalation time itself.
  EXPECT_EQ(w.desk->session(w.call)->deadline_ms(), 2000u);
  patter::Turn last;
  w.run_until(2000, last);
  ASSERT_EQ(w.results.size(), 1u);
  EXPECT_EQ(w.results[0].duration_ms, 0u + 2000u - 1000u);
  EXPECT_EQ(w.results[0].hangup, patter::HangupReason::callback);
}

TEST(DeskHold, KeepFollowingTheScriptUntilAPersonComes) {
  Waiting w("hold:\n  while_waiting: script\n  resume: keep_going\n  timeout_s: 600\n");
  auto info = w.desk->call(w.call);
  EXPECT_EQ(info->phase, patter::Phase::robot);
  EXPECT_TRUE(info->queued);
  EXPECT_EQ(w.script->node(info->node).name, "keep_going");
  patter::Turn t;
  w.desk->step(w.call, patter::Event::utterance("yes it is", 5000), t);
  EXPECT_EQ(said(t), std::vector<std::string>{"While you wait: is your roof south facing?"});
  // The busy agent finishes and takes the waiting call: the robot stops.
  w.desk->finish("li", w.busy, 6000, t);
  patter::CallId got = 0;
  ASSERT_EQ(w.desk->take_next("li", 7000, t, &got), patter::DeskStatus::ok);
  EXPECT_EQ(got, w.call);
  EXPECT_EQ(w.desk->call(w.call)->phase, patter::Phase::human);
  EXPECT_EQ(w.desk->counters().taken, 2u);
}

TEST(DeskHold, CustomerHangingUpWhileWaitingEndsTheEscalation) {
  Waiting w("hold:\n  say: [Please hold.]\n");
  patter::Turn t;
  w.desk->step(w.call, patter::Event::customer_hangup(5000), t);
  ASSERT_EQ(w.results.size(), 1u);
  EXPECT_EQ(w.results[0].outcome, patter::Outcome::customer_hangup);
  EXPECT_TRUE(w.desk->queue().empty());
  EXPECT_EQ(w.desk->counters().ended_waiting, 1u);
}

// ---- listen-in -------------------------------------------------------------------------

TEST(DeskListen, SubscribersSeeTheCallAndASlowOneNeverBlocksIt) {
  patter::Desk desk;
  desk.add_agent("li");
  auto s = load();
  auto c = desk.open_call(s, {}, "li");
  auto fast = desk.listen(c->id);
  auto slow = desk.listen(c->id, 3);  // reads nothing until the end
  ASSERT_TRUE(fast && slow);
  EXPECT_FALSE(desk.listen(999));
  patter::Turn t;
  std::vector<patter::ListenEvent> seen;
  desk.step(c->id, patter::Event::answered(0), t);
  desk.step(c->id, patter::Event::utterance("how much", 1000), t);
  desk.step(c->id, patter::Event::no_input(8000), t);
  desk.step(c->id, patter::Event::utterance("sure", 9000), t);  // escalates; li joins
  fast->poll(seen);
  desk.step(c->id, patter::Event::utterance("tell me more", 10000), t);
  desk.finish("li", c->id, 20000, t);
  fast->poll(seen);
  std::vector<std::string> kinds;
  for (const auto& e : seen) kinds.emplace_back(patter::to_string(e.type));
  EXPECT_EQ(kinds, (std::vector<std::string>{"robot_said", "customer_said", "robot_said", "silence",
                                             "robot_said", "customer_said", "robot_said",
                                             "escalated", "joined", "customer_said", "ended"}));
  EXPECT_EQ(seen[1].text, "how much");
  EXPECT_EQ(s->intent(seen[1].intent).name, "price");
  EXPECT_EQ(seen[8].agent, "li");
  EXPECT_EQ(seen.back().text, "escalated");
  EXPECT_TRUE(fast->closed());
  EXPECT_EQ(fast->dropped(), 0u);
  // The slow one kept the last three and counted the rest.
  std::vector<patter::ListenEvent> tail;
  EXPECT_EQ(slow->poll(tail), 3u);
  EXPECT_EQ(slow->dropped(), seen.size() - 3);
  EXPECT_EQ(tail.back().type, patter::ListenEventType::ended);
}

// ---- training --------------------------------------------------------------------------

TEST(DeskTraining, GrabDecisionsAreGradedAgainstTheScript) {
  patter::DeskOptions o;
  o.on_time_ms = 3000;
  patter::Desk desk(o);
  desk.add_agent("trainee", {.capacity = 10, .trainee = true});
  auto s = load("hold:\n  while_waiting: silence\n  timeout_s: 30\n");
  patter::Turn t;
  auto open = [&](std::uint64_t at) {
    auto c = desk.open_call(s, {}, "trainee");
    EXPECT_TRUE(c.ok());
    desk.step(c->id, patter::Event::answered(at), t);
    return c->id;
  };
  // On time: the script escalates at 1 s, the trainee takes it at 3 s.
  auto on_time = open(0);
  desk.step(on_time, patter::Event::utterance("yes", 1000), t);
  EXPECT_TRUE(desk.call(on_time)->with.empty());  // a trainee's escalation waits for them
  EXPECT_FALSE(desk.call(on_time)->queued);
  ASSERT_EQ(desk.grab("trainee", on_time, 3000, t), patter::DeskStatus::ok);
  desk.finish("trainee", on_time, 9000, t);
  // Late: taken 10 s after the escalation.
  auto late = open(10000);
  desk.step(late, patter::Event::utterance("yes", 11000), t);
  ASSERT_EQ(desk.grab("trainee", late, 21000, t), patter::DeskStatus::ok);
  desk.finish("trainee", late, 25000, t);
  // Early: grabbed at the price question; the script would have escalated
  // at the "yes" that came 4 s later.
  auto early = open(30000);
  desk.step(early, patter::Event::utterance("how much", 31000), t);
  ASSERT_EQ(desk.grab("trainee", early, 32000, t), patter::DeskStatus::ok);
  desk.step(early, patter::Event::utterance("yes", 36000), t);
  desk.finish("trainee", early, 40000, t);
  // Needless: grabbed, and the customer said no.
  auto needless = open(50000);
  ASSERT_EQ(desk.grab("trainee", needless, 50500, t), patter::DeskStatus::ok);
  desk.step(needless, patter::Event::utterance("no", 52000), t);
  desk.finish("trainee", needless, 53000, t);
  // Missed: the script escalated and nobody took it before the hold gave up.
  auto missed = open(60000);
  desk.step(missed, patter::Event::utterance("yes", 61000), t);
  for (patter::CallId id : desk.due(91000)) desk.step(id, patter::Event::timer(91000), t);
  EXPECT_FALSE(desk.call(missed));
  // A call the robot closed by itself is no decision at all.
  auto quiet = open(70000);
  desk.step(quiet, patter::Event::utterance("no", 71000), t);

  auto a = desk.assessment("trainee");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->decisions.size(), 5u);
  auto verdict = [&](patter::CallId id) {
    for (const auto& d : a->decisions)
      if (d.call == id) return std::pair{d.verdict, d.offset_ms};
    return std::pair{patter::GrabVerdict::on_time, std::int64_t{-1}};
  };
  EXPECT_EQ(verdict(on_time), std::pair(patter::GrabVerdict::on_time, std::int64_t{2000}));
  EXPECT_EQ(verdict(late), std::pair(patter::GrabVerdict::late, std::int64_t{10000}));
  EXPECT_EQ(verdict(early), std::pair(patter::GrabVerdict::early, std::int64_t{-4000}));
  EXPECT_EQ(verdict(needless).first, patter::GrabVerdict::needless);
  EXPECT_EQ(verdict(missed).first, patter::GrabVerdict::missed);
  EXPECT_EQ(a->on_time, 1u);
  EXPECT_EQ(a->late, 1u);
  EXPECT_EQ(a->early, 1u);
  EXPECT_EQ(a->needless, 1u);
  EXPECT_EQ(a->missed, 1u);
  EXPECT_DOUBLE_EQ(a->score(), 0.2);
  EXPECT_DOUBLE_EQ(a->mean_offset_ms, (2000.0 + 10000.0 - 4000.0) / 3.0);
  EXPECT_NE(a->to_json().find("\"verdict\":\"early\",\"offset_ms\":-4000"), std::string::npos)
      << a->to_json();
  EXPECT_FALSE(desk.assessment("nobody"));
  desk.add_agent("pro");
  EXPECT_FALSE(desk.assessment("pro"));  // not a trainee
}

// ---- many threads -----------------------------------------------------------------------

TEST(DeskStress, ManyThreadsManyCallsEveryEscalationEndsOnce) {
  constexpr int kAgents = 100, kCalls = 10000, kThreads = 4;
  patter::Desk desk;
  for (int a = 0; a < kAgents; ++a) desk.add_agent("agent" + std::to_string(a), {.capacity = 1000});
  auto s = load("hold:\n  say: [Please hold.]\n  interval_s: 5\n  timeout_s: 20\n");
  std::atomic<int> ended{0}, opened{0};
  // One clock for every thread, as a host has: the desk gives a call to a
  // person freed on another thread at that thread's time, so per-thread
  // clocks would send events back in time.
  std::atomic<std::uint64_t> clock{0};
  auto tick = [&clock](std::uint64_t ms) { return clock.fetch_add(ms) + ms; };
  std::mutex results_m;
  std::set<patter::CallId> ended_ids;

  auto worker = [&](int seed) {
    patter::Random rng(seed);
    patter::Turn t;
    const char* words[] = {"yes", "right now", "no", "how much", "blah", "sure"};
    for (int i = seed; i < kCalls; i += kThreads) {
      auto c = desk.open_call(s);
      if (!c.ok()) continue;
      ++opened;
      std::uint64_t now = tick(100);
      desk.step(c->id, patter::Event::answered(now), t);
      for (int turn = 0; turn < 8; ++turn) {
        now = tick(1000 + rng.next() % 4000);
        auto info = desk.call(c->id);
        if (!info) break;
        const int r = int(rng.next() % 10);
        if (r == 0) {
          desk.step(c->id, patter::Event::customer_hangup(now), t);
        } else if (r == 1) {
          desk.grab(info->supervisor, c->id, now, t);
        } else if (r == 2 && !info->with.empty()) {
          if (rng.next() % 2)
            desk.finish(info->with, c->id, now, t);
          else
            desk.hand_back(info->with, c->id, *s->find_node("quote"), now, t);
        } else if (r == 3) {
          patter::CallId got;
          desk.take_next("agent" + std::to_string(rng.next() % kAgents), now, t, &got);
        } else if (r == 4) {
          for (patter::CallId id : desk.due(now)) desk.step(id, patter::Event::timer(now), t);
        } else {
          desk.step(c->id, patter::Event::utterance(words[rng.next() % 6], now), t);
        }
      }
      // Close whatever is left: the person finishes, or the customer hangs up.
      if (auto info = desk.call(c->id)) {
        now = tick(100000);
        if (!info->with.empty())
          desk.finish(info->with, c->id, now, t);
        else
          desk.step(c->id, patter::Event::customer_hangup(now), t);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (auto& th : threads) th.join();

  EXPECT_EQ(desk.live_calls(), 0u);
  EXPECT_TRUE(desk.queue().empty());
  auto n = desk.counters();
  EXPECT_EQ(n.calls_opened, std::uint64_t(opened.load()));
  EXPECT_EQ(n.calls_ended, n.calls_opened);
  EXPECT_GT(n.raised, 1000u);
  EXPECT_EQ(n.raised, n.taken + n.gave_up + n.ended_waiting)
      << "raised " << n.raised << " taken " << n.taken << " gave_up " << n.gave_up
      << " ended_waiting " << n.ended_waiting;
  // Nobody is left talking: every agent can take a call again.
  for (int a = 0; a < kAgents; ++a) {
    patter::Turn t;
    EXPECT_EQ(desk.take_next("agent" + std::to_string(a), 0, t), patter::DeskStatus::queue_empty);
  }
  std::uint64_t supervised = 0;
  for (const auto& st : desk.all_stats()) {
    supervised += st.calls_supervised;
    std::uint64_t outcomes = 0;
    for (auto& [o, k] : st.outcomes) outcomes += k;
    EXPECT_EQ(outcomes, st.calls_supervised) << st.agent;
  }
  EXPECT_EQ(supervised, n.calls_opened);
}

// ---- long replies ------------------------------------------------------------------------

// A listen-in event carries the first KiB of a long reply, cut between two
// characters (subscribers such as the Python binding decode it as UTF-8),
// and the desk keeps for assist() only what the matcher reads of it.
TEST(DeskListen, LongRepliesAreCutBetweenCharacters) {
  patter::Desk desk;
  desk.add_agent("li");
  auto s = load();
  auto c = desk.open_call(s, {}, "li");
  auto sub = desk.listen(c->id);
  patter::Turn t;
  desk.step(c->id, patter::Event::answered(0), t);
  std::string words;
  while (words.size() < 1500) words += "多少钱";  // 3 bytes a character: byte 1024 is inside one
  ASSERT_EQ(desk.step(c->id, patter::Event::utterance(words, 1000), t), patter::DeskStatus::ok);
  std::vector<patter::ListenEvent> seen;
  sub->poll(seen);
  const patter::ListenEvent* said = nullptr;
  for (const auto& e : seen)
    if (e.type == patter::ListenEventType::customer_said) said = &e;
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->text.size(), 1023u);
  EXPECT_EQ(words.rfind(said->text, 0), 0u);
  EXPECT_EQ(patter::detail::find_invalid_utf8(said->text), std::string::npos);

  ASSERT_EQ(desk.grab("li", c->id, 2000, t), patter::DeskStatus::ok);
  std::string huge = "how much ";
  while (huge.size() < (1u << 20)) huge += "is it, really, ";
  ASSERT_EQ(desk.step(c->id, patter::Event::utterance(huge, 3000), t), patter::DeskStatus::ok);
  auto help = desk.assist(c->id);
  ASSERT_TRUE(help);
  EXPECT_LE(help->heard.size(), patter::Normalizer::kMaxBytes);
  EXPECT_EQ(huge.rfind(help->heard, 0), 0u);
  ASSERT_FALSE(help->intents.empty());
  EXPECT_EQ(s->intent(help->intents[0]).name, "price");
}

// ---- the duration limit comes before a person ----------------------------------------

// A grab that comes after the call's duration limit: the robot closes the
// call first (the turn has its hang-up), nobody joins, and the agent stays
// free. The call ends once and the books balance.
TEST(DeskDuration, AGrabPastTheLimitClosesTheCallAndLeavesTheAgentFree) {
  auto s = load("limits:\n  max_duration_s: 10\n");
  std::vector<patter::CallResult> results;
  patter::DeskOptions o;
  o.on_call_ended = [&](patter::CallId, const patter::CallResult& r) { results.push_back(r); };
  patter::Desk desk(o);
  desk.add_agent("li");
  auto c = desk.open_call(s, {}, "li");
  patter::Turn t;
  desk.step(c->id, patter::Event::answered(0), t);
  desk.step(c->id, patter::Event::utterance("how much", 1000), t);
  ASSERT_EQ(desk.grab("li", c->id, 20000, t), patter::DeskStatus::unknown_call);
  ASSERT_TRUE(has(t, patter::ActionType::hangup));
  EXPECT_EQ(t.limit(), patter::HangupReason::max_duration);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].hangup, patter::HangupReason::max_duration);
  EXPECT_FALSE(desk.call(c->id));
  EXPECT_EQ(desk.live_calls(), 0u);
  const patter::DeskCounters n = desk.counters();
  EXPECT_EQ(n.calls_ended, 1u);
  EXPECT_EQ(n.grabs, 0u);
  EXPECT_EQ(n.raised, n.taken + n.gave_up + n.ended_waiting);
  // li was never on the call: the next grab works.
  auto next = desk.open_call(s, {}, "li");
  desk.step(next->id, patter::Event::answered(30000), t);
  EXPECT_EQ(desk.grab("li", next->id, 31000, t), patter::DeskStatus::ok);
}

// The same for a call taken from the queue whose robot kept talking (hold
// mode `script`) past the limit: take_next closes it, gives nothing, and
// the agent is free for the next.
TEST(DeskDuration, ACallTakenPastTheLimitEndsInsteadOfWedgingTheAgent) {
  Waiting w(
      "hold:\n  while_waiting: script\n  resume: keep_going\n  timeout_s: 600\nlimits:\n  "
      "max_duration_s: 30\n");
  patter::Turn t;
  ASSERT_EQ(w.desk->finish("li", w.busy, 40000, t), patter::DeskStatus::ok);
  patter::CallId got = 0;
  EXPECT_EQ(w.desk->take_next("li", 41000, t, &got), patter::DeskStatus::queue_empty);
  EXPECT_EQ(got, 0u);
  EXPECT_FALSE(w.desk->call(w.call));
  ASSERT_EQ(w.results.size(), 2u);
  EXPECT_EQ(w.results[1].hangup, patter::HangupReason::max_duration);
  EXPECT_EQ(w.desk->live_calls(), 0u);
  const patter::DeskCounters n = w.desk->counters();
  EXPECT_EQ(n.calls_ended, 2u);
  EXPECT_EQ(n.raised, 2u);
  EXPECT_EQ(n.taken, 1u);
  EXPECT_EQ(n.ended_waiting, 1u);
  // li is free: a new escalation goes to li at once.
  std::string assigned;
  escalated_call(*w.desk, w.script, 50000, &assigned, "li");
  EXPECT_EQ(assigned, "li");
}
