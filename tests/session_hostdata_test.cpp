// Host data: fetch nodes and the `data` event, time variables filled from
// the customer's words, variables in the CallResult, and voicemail.
#include <gtest/gtest.h>
#include <patter/desk.hpp>
#include <patter/patter.hpp>

#include <memory>
#include <string>
#include <vector>

#include "runtime/session_state.hpp"
#include "session_support.hpp"

namespace {

using namespace patter;
using session_testing::acts;

std::shared_ptr<const Script> load(std::string_view yaml) {
  return session_testing::load(yaml, "hostdata.yaml");
}

// Tuesday 2026-12-01 10:00 in Shanghai, as the host's clock.
constexpr std::uint64_t kTuesday10 = 1'796'090'400'000;

const char* kOrder = R"yaml(patter: 1
id: order
locale: en-US
variables:
  order_id: {type: string, default: "A7"}
  state: {type: string}
  days: {type: number, default: 0}
  vip: {type: bool, default: false, host_settable: true}
intents:
  yes: [yes]
  stop: [stop calling]
start: hello
nodes:
  hello:
    say: "Shall I check order {order_id}?"
    routes:
      - {intent: yes, to: check}
  check:
    say: "One moment."
    fetch:
      name: order_status
      with: {order: "{order_id}", vip: "{vip}"}
      timeout_ms: 2000
      routes:
        - {when: "state == 'shipped'", to: shipped}
        - {when: "days > 3", to: late}
      timeout: sorry
      failed: broken
  shipped:
    say: "It shipped; it arrives in {days} days."
    hangup: completed
  late:
    say: "It is late."
    hangup: completed
  sorry:
    say: "The system is slow today."
    hangup: callback
  broken:
    say: "I could not find it."
    hangup: completed
globals:
  - intent: stop
    hangup: opt_out
)yaml";

struct Call : session_testing::Call {
  explicit Call(std::shared_ptr<const Script> sc, SessionOptions options = {})
      : session_testing::Call(sc, {}, options) {}
  Status data(std::uint32_t id, std::vector<VariableValue> values) {
    return send(Event::data(id, values, now += 100));
  }
};

// Answered and at the fetch node: the fetch action is out.
Call at_fetch(std::shared_ptr<const Script> sc) {
  Call c(sc);
  EXPECT_EQ(c.answer(), Status::ok);
  EXPECT_EQ(c.say("yes"), Status::ok);
  return c;
}

TEST(SessionFetch, AsksTheHostWithRenderedArgumentsAndADeadline) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  EXPECT_EQ(c.actions(), "say:One moment. | fetch:order_status#1");
  const Action& fetch = c.t.actions().back();
  EXPECT_EQ(fetch.timeout_ms, 2000u);
  ASSERT_EQ(c.t.fetch_arguments().size(), 2u);
  EXPECT_EQ(c.t.fetch_arguments()[0].first, "order");
  EXPECT_EQ(c.t.fetch_arguments()[0].second, "A7");
  EXPECT_EQ(c.t.fetch_arguments()[1].second, "false");
  EXPECT_TRUE(c.s.fetching());
  EXPECT_EQ(c.s.fetch_id(), 1u);
  EXPECT_EQ(c.s.deadline_ms(), c.now + 2000);
}

TEST(SessionFetch, RoutesOnTheVariablesTheAnswerSets) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  EXPECT_EQ(c.data(1, {{"state", "shipped"}, {"days", "2"}}), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::fetched);
  EXPECT_EQ(c.t.index(), 0u);
  EXPECT_EQ(c.actions(), "say:It shipped; it arrives in 2 days. | hangup:completed | end");
  EXPECT_FALSE(c.s.fetching());
  EXPECT_NE(c.t.explain(*sc).find("route 1 ("), std::string::npos) << c.t.explain(*sc);

  Call d = at_fetch(sc);
  EXPECT_EQ(d.data(1, {{"state", "packed"}, {"days", "5"}}), Status::ok);
  EXPECT_EQ(d.node(), "late");
}

TEST(SessionFetch, NoEntryHoldingAndAFailureGoToFailed) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  EXPECT_EQ(c.data(1, {{"state", "packed"}}), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::fetch_failed);
  EXPECT_EQ(c.node(), "broken");

  Call d = at_fetch(sc);
  EXPECT_EQ(d.send(Event::fetch_failed(1, d.now += 100)), Status::ok);
  EXPECT_EQ(d.t.decision(), Decision::fetch_failed);
  EXPECT_EQ(d.node(), "broken");
}

TEST(SessionFetch, TimerAtTheDeadlineTakesTimeout) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  const std::uint64_t due = c.s.deadline_ms();
  EXPECT_EQ(c.send(Event::timer(due - 1)), Status::ignored);
  EXPECT_TRUE(c.s.fetching());
  EXPECT_EQ(c.send(Event::timer(due)), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::fetch_timeout);
  EXPECT_EQ(c.node(), "sorry");
  EXPECT_EQ(c.s.result().hangup, HangupReason::callback);
}

TEST(SessionFetch, RefusedDataChangesNothing) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  const std::string before = c.s.snapshot();
  EXPECT_EQ(c.data(2, {{"state", "shipped"}}), Status::not_fetching);  // another id
  EXPECT_EQ(c.data(1, {{"stat", "shipped"}}), Status::unknown_variable);
  EXPECT_EQ(c.data(1, {{"days", "soon"}}), Status::bad_value);
  EXPECT_EQ(c.data(1, {{"state", "shipped"}, {"days", "x"}}), Status::bad_value);
  EXPECT_EQ(c.send(Event::data(1, {}, c.s.deadline_ms())), Status::late_data);
  EXPECT_EQ(c.s.snapshot(), before);
  EXPECT_EQ(c.s.variable("state"), "");
  // Answered once: a second answer finds no fetch waiting.
  EXPECT_EQ(c.data(1, {{"state", "shipped"}}), Status::ok);
  EXPECT_EQ(c.data(1, {{"state", "shipped"}}), Status::call_ended);
  Call d = at_fetch(sc);
  Call e(sc);
  EXPECT_EQ(e.answer(), Status::ok);
  EXPECT_EQ(e.data(1, {{"state", "shipped"}}), Status::not_fetching);  // none asked
  EXPECT_EQ(e.send(Event::fetch_failed(0, e.now += 1)), Status::not_fetching);
  EXPECT_FALSE(is_error(Status::ok));
  EXPECT_FALSE(describe(Status::late_data).empty());
}

TEST(SessionFetch, RepliesWaitButAnOptOutWins) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  EXPECT_EQ(c.say("hello?"), Status::ignored);
  EXPECT_EQ(c.t.decision(), Decision::not_now);
  EXPECT_EQ(c.silence(), Status::ignored);
  EXPECT_TRUE(c.s.fetching());
  EXPECT_EQ(c.say("stop calling"), Status::ok);
  EXPECT_EQ(c.t.decision(), Decision::opt_out);
  EXPECT_TRUE(c.s.ended());
}

TEST(SessionFetch, WordsHeardWhileWaitingAreKeptAsUtf8) {
  auto sc = load(kOrder);
  SessionOptions o;
  o.transcript = 16;
  Call c(sc, o);
  ASSERT_EQ(c.answer(), Status::ok);
  ASSERT_EQ(c.say("yes"), Status::ok);
  ASSERT_TRUE(c.s.fetching());
  EXPECT_EQ(c.say("hello \x8d?"), Status::ignored);
  const TranscriptEntry& last = c.s.transcript().back();
  EXPECT_EQ(last.who, TranscriptEntry::Who::customer);
  EXPECT_EQ(last.text.find('\x8d'), std::string::npos) << last.text;
  EXPECT_NE(last.text.find("hello"), std::string::npos) << last.text;
}

TEST(SessionFetch, DataOutsideAFetchSetsOnlyHostSettableVariables) {
  auto sc = load(kOrder);
  Call c(sc);
  std::vector<VariableValue> vip = {{"vip", "true"}};
  EXPECT_EQ(c.send(Event::set_variables(vip, c.now += 1)), Status::ok);  // before the answer too
  EXPECT_EQ(c.t.decision(), Decision::data);
  EXPECT_EQ(c.s.variable("vip"), "true");
  std::vector<VariableValue> state = {{"state", "shipped"}};
  EXPECT_EQ(c.send(Event::set_variables(state, c.now += 1)), Status::not_settable);
  EXPECT_EQ(c.s.variable("state"), "");
}

TEST(SessionFetch, ThePendingFetchSurvivesASnapshot) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  Restored back = Session::restore(sc, c.s.snapshot());
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_TRUE(back->fetching());
  EXPECT_EQ(back->fetch_id(), 1u);
  EXPECT_EQ(back->deadline_ms(), c.s.deadline_ms());
  Turn t;
  std::vector<VariableValue> v = {{"state", "shipped"}};
  EXPECT_EQ(back->step(Event::data(1, v, c.now + 10), t), Status::ok);
  EXPECT_EQ(session_testing::node_name(*sc, back->node()), "shipped");
}

// Bytes that say the call has its extras (the fetch's id among them) but
// hold none: refused before anything reads them.
TEST(SessionFetch, ASnapshotWithoutTheExtrasItClaimsIsRefused) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  auto& st = const_cast<detail::SessionState&>(SessionAccess::state(c.s));
  ASSERT_TRUE(st.has(detail::kExtras));
  st.counts.resize(SessionLayout(*sc).counts());
  EXPECT_EQ(Session::restore(sc, c.s.snapshot()).code(), RestoreError::corrupted);
}

TEST(SessionFetch, APersonGrabbingTheCallDropsTheFetch) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  EXPECT_EQ(c.send(Event::agent_joined(c.now += 10)), Status::ok);
  EXPECT_FALSE(c.s.fetching());
  EXPECT_EQ(c.data(1, {{"state", "shipped"}}), Status::not_fetching);
  EXPECT_EQ(c.s.deadline_ms(), 0u);
}

const char* kCallback = R"yaml(patter: 1
id: callback
locale: zh-CN
settings:
  time_zone: Asia/Shanghai
variables:
  callback: {type: time}
  budget: {type: number, default: 0}
intents:
  later:
    patterns: ["(?<callback>(明天|后天|下周).*)再打"]
  budget:
    patterns: ["预算(?<budget>\\d+)"]
start: ask
nodes:
  ask:
    say: "您什么时候方便？"
    routes:
      - {intent: later, when: "callback != ''", to: booked}
      - {intent: budget, to: ask}
  booked:
    say: "好的，{callback}再联系您。"
    hangup: callback
)yaml";

TEST(SessionTime, ACaptureKeepsTheWordsAndTheMoment) {
  auto sc = load(kCallback);
  Call c(sc);
  c.now = kTuesday10;
  EXPECT_EQ(c.answer(), Status::ok);
  EXPECT_EQ(c.say("那你明天下午三点再打吧"), Status::ok);
  EXPECT_EQ(c.node(), "booked");
  EXPECT_EQ(c.actions(), "say:好的，明天下午三点再联系您。 | hangup:callback | end");
  const VariableId id = *sc->find_variable("callback");
  ASSERT_TRUE(c.s.time_of(id).has_value());
  // Wednesday 2026-12-02 15:00 Shanghai = 07:00 UTC.
  EXPECT_EQ(*c.s.time_of(id), 1'796'194'800'000);
  const CallResult r = c.s.result();
  ASSERT_EQ(r.variables.size(), 2u);
  EXPECT_EQ(r.variables[0].value, "明天下午三点");
  EXPECT_TRUE(r.variables[0].has_time);
  const std::string json = r.to_json(*sc);
  EXPECT_NE(json.find(R"("variables":{"callback":"明天下午三点","budget":0})"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("times":{"callback":1796194800000})"), std::string::npos) << json;
}

TEST(SessionTime, ANodesCaptureIntoATimeVariableKeepsTheMomentToo) {
  auto sc = load(R"yaml(patter: 1
id: callback_capture
locale: zh-CN
settings:
  time_zone: Asia/Shanghai
variables:
  callback: {type: time}
start: ask
nodes:
  ask:
    say: "您什么时候方便？"
    capture: callback
    routes:
      - {intent: any, to: booked}
  booked:
    say: "好的，{callback}再联系您。"
    hangup: callback
)yaml");
  Call c(sc);
  c.now = kTuesday10;
  EXPECT_EQ(c.answer(), Status::ok);
  EXPECT_EQ(c.say("明天下午三点"), Status::ok);
  EXPECT_EQ(c.actions(), "say:好的，明天下午三点再联系您。 | hangup:callback | end");
  const VariableId id = *sc->find_variable("callback");
  ASSERT_TRUE(c.s.time_of(id).has_value());
  EXPECT_EQ(*c.s.time_of(id), 1'796'194'800'000);  // as the pattern capture above
  // A reply that names no time leaves it unset, not the words without a moment.
  Call d(sc);
  d.now = kTuesday10;
  EXPECT_EQ(d.answer(), Status::ok);
  EXPECT_EQ(d.say("随便吧"), Status::ok);
  EXPECT_FALSE(d.s.time_of(id).has_value());
  EXPECT_EQ(d.s.variable("callback"), "");
}

TEST(SessionTime, UnsetUntilTheCustomerNamesATime) {
  auto sc = load(kCallback);
  Call c(sc);
  c.now = kTuesday10;
  EXPECT_EQ(c.answer(), Status::ok);
  EXPECT_EQ(c.say("预算300"), Status::ok);
  const VariableId id = *sc->find_variable("callback");
  EXPECT_FALSE(c.s.time_of(id).has_value());
  EXPECT_EQ(c.s.variable("callback"), "");
  EXPECT_EQ(c.s.result().to_json(*sc).find("\"times\""), std::string::npos);
  EXPECT_EQ(c.s.variable("budget"), "300");
}

TEST(SessionTime, TheHostMayGiveATimeInMilliseconds) {
  auto sc = load(kCallback);
  auto bad = Session::start(sc, {{"callback", "tomorrow"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), StartError::bad_value);
  EXPECT_NE(bad.message().find("milliseconds"), std::string::npos);
  auto good = Session::start(sc, {{"callback", "1796194800000"}});
  ASSERT_TRUE(good.ok()) << good.message();
  EXPECT_EQ(good->time_of(*sc->find_variable("callback")), 1'796'194'800'000);
}

const char* kVoicemail = R"yaml(patter: 1
id: vm
locale: en-US
variables:
  name: {default: friend}
voicemail:
  say: "Hi {name}, this is Acme. Please call us back."
intents:
  yes: [yes]
start: hello
nodes:
  hello:
    say: "Hello?"
    routes:
      - {intent: yes, to: bye}
  bye:
    say: "Bye."
    hangup: completed
)yaml";

TEST(SessionVoicemail, LeavesTheScriptsMessageThenHangsUp) {
  auto sc = load(kVoicemail);
  Call c(sc);
  EXPECT_EQ(c.send(Event::voicemail(c.now += 1)), Status::ok);
  EXPECT_EQ(c.actions(),
            "say:Hi friend, this is Acme. Please call us back. | hangup:voicemail | end");
  EXPECT_FALSE(c.t.actions()[0].barge_in);
  EXPECT_EQ(c.s.outcome(), Outcome::voicemail);
}

TEST(SessionVoicemail, WithoutAMessageTheRobotJustHangsUp) {
  auto sc = load(kOrder);
  Call c(sc);
  EXPECT_EQ(c.send(Event::voicemail(c.now += 1)), Status::ok);
  EXPECT_EQ(c.actions(), "hangup:voicemail | end");
}

TEST(SessionResult, VariablesAreInTheResultAndItsJson) {
  auto sc = load(kOrder);
  Call c = at_fetch(sc);
  EXPECT_EQ(c.data(1, {{"state", "shipped"}, {"days", "2.5"}}), Status::ok);
  const CallResult r = c.s.result();
  ASSERT_EQ(r.variables.size(), 4u);
  EXPECT_EQ(r.variables[1].value, "shipped");
  EXPECT_FALSE(r.variables[1].has_time);
  const std::string json = r.to_json(*sc);
  EXPECT_NE(json.find(R"("variables":{"order_id":"A7","state":"shipped","days":2.5,"vip":false})"),
            std::string::npos)
      << json;
}

}  // namespace

namespace {

TEST(HostDataGraph, FetchEdgesReachTheirNodesAndAreDrawn) {
  auto sc = load(kOrder);
  const GraphReport g = analyze(*sc);
  EXPECT_TRUE(g.unreachable.empty());  // shipped, late, sorry and broken only through the fetch
  EXPECT_TRUE(g.dead_ends.empty());
  std::size_t fetch_edges = 0;
  for (const Edge& e : sc->edges()) fetch_edges += e.kind == EdgeKind::fetch;
  EXPECT_EQ(fetch_edges, 4u);  // two routes, timeout, failed
  const std::string dot = to_dot(*sc);
  EXPECT_NE(dot.find("(fetch: order_status)"), std::string::npos) << dot;
  EXPECT_NE(dot.find("shape=hexagon"), std::string::npos);
  EXPECT_NE(dot.find("label=\"state == 'shipped'\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"timeout\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"failed\""), std::string::npos) << dot;
}

TEST(HostDataLoad, AMisspeltFetchKeyGetsASuggestion) {
  std::string yaml = kOrder;
  yaml.replace(yaml.find("timeout_ms: 2000"), 16, "timeot_ms: 2000");
  auto r = load_string(yaml, "typo.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].code, Code::unknown_key);
  EXPECT_NE(r.diagnostics[0].hint.find("timeout_ms"), std::string::npos)
      << format(r.diagnostics[0]);
}

TEST(HostDataLoad, OnInsteadOfRoutesIsRefusedWithTheWayOut) {
  std::string yaml = kOrder;
  const std::size_t at = yaml.find("      routes:");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 13, "      on:");
  auto r = load_string(yaml, "on.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u) << format(r.diagnostics.back());  // its routes are read
  EXPECT_EQ(r.diagnostics[0].code, Code::unknown_key);
  EXPECT_NE(r.diagnostics[0].hint.find("rename `on:` to `routes:`"), std::string::npos);
  const std::size_t line = 1 + std::count(yaml.begin(), yaml.begin() + at, '\n');
  EXPECT_EQ(r.diagnostics[0].where.line, line) << format(r.diagnostics[0]);
  EXPECT_EQ(r.diagnostics[0].where.column, 7u) << format(r.diagnostics[0]);
}

TEST(HostDataLoad, NewKeysChangeTheFingerprint) {
  std::string other = kOrder;
  other.replace(other.find("timeout_ms: 2000"), 16, "timeout_ms: 2500");
  EXPECT_NE(load(kOrder)->fingerprint(), load(other)->fingerprint());
  std::string settable = kOrder;
  settable.replace(settable.find("host_settable: true"), 19, "host_settable: false");
  EXPECT_NE(load(kOrder)->fingerprint(), load(settable)->fingerprint());
}

}  // namespace

namespace {

std::vector<Diagnostic> errors_of(std::string_view yaml) {
  return load_string(yaml, "bad.yaml").diagnostics;
}

bool has(const std::vector<Diagnostic>& ds, Code c, std::string_view words) {
  for (const Diagnostic& d : ds)
    if (d.code == c && d.message.find(words) != std::string::npos && d.where.line > 0) return true;
  return false;
}

TEST(HostDataLoad, ATimeVariableNeedsATimeZoneAndNoDefault) {
  std::string yaml = kCallback;
  yaml.erase(yaml.find("settings:"), std::string("settings:\n  time_zone: Asia/Shanghai\n").size());
  EXPECT_TRUE(has(errors_of(yaml), Code::bad_time_zone, "no `settings.time_zone`"));
  std::string with_default = kCallback;
  with_default.replace(with_default.find("{type: time}"), 12, "{type: time, default: soon}");
  EXPECT_TRUE(has(errors_of(with_default), Code::invalid_value, "cannot have a default"));
}

TEST(HostDataLoad, AFetchNeedsAName) {
  std::string yaml = kOrder;
  yaml.erase(yaml.find("      name: order_status\n"),
             std::string("      name: order_status\n").size());
  EXPECT_TRUE(has(errors_of(yaml), Code::missing_key, "has no `name`"));
}

TEST(SessionFetch, TheHostMaySetATimeInMilliseconds) {
  auto sc = load(kCallback);
  Call c(sc);
  // `callback` is not host_settable: refused; a fetch answer could set it.
  EXPECT_EQ(c.data(0, {{"callback", "1796194800000"}}), Status::not_settable);
  EXPECT_EQ(c.data(0, {{"budget", "9"}}), Status::not_settable);
  EXPECT_EQ(c.data(0, {{"nobody", "9"}}), Status::unknown_variable);
}

}  // namespace

namespace {

// What the call learned survives its end on the desk: the ended call's
// result, handed to on_call_ended, carries the variables and times.
TEST(HostDataDesk, AnEndedCallKeepsItsVariables) {
  std::vector<CallResult> results;
  DeskOptions o;
  o.on_call_ended = [&](CallId, const CallResult& r) { results.push_back(r); };
  Desk desk(o);
  desk.add_agent("li");
  auto sc = load(kCallback);
  auto call = desk.open_call(sc);
  ASSERT_TRUE(call.ok()) << call.message();
  Turn t;
  EXPECT_EQ(desk.step(call->id, Event::answered(kTuesday10), t), DeskStatus::ok);
  EXPECT_EQ(desk.step(call->id, Event::utterance("那你明天下午三点再打吧", kTuesday10 + 5000), t),
            DeskStatus::ok);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].variables.size(), 2u);
  EXPECT_EQ(results[0].variables[0].value, "明天下午三点");
  EXPECT_EQ(results[0].variables[0].time_ms, 1'796'194'800'000);
  EXPECT_NE(results[0].to_json(*sc).find("\"times\""), std::string::npos);
}

}  // namespace

namespace {

// Restored at every turn, a call with a fetch goes on exactly as the
// original: the pending fetch, its id and deadline, and time variables are
// all in the snapshot.
TEST(HostDataSnapshot, RestoreAtEveryTurnGivesTheSameCall) {
  auto sc = load(kOrder);
  const std::vector<VariableValue> shipped = {{"state", "shipped"}, {"days", "2"}};
  const std::vector<VariableValue> vip = {{"vip", "true"}};
  const std::uint64_t t0 = kTuesday10;
  const std::vector<Event> events = {
      Event::answered(t0),
      Event::set_variables(vip, t0 + 500),
      Event::utterance("yes", t0 + 1000),
      Event::utterance("hello?", t0 + 1500),
      Event::data(2, shipped, t0 + 1600),  // refused: another id
      Event::timer(t0 + 1700),             // not due yet
      Event::data(1, shipped, t0 + 1800),
  };
  Session original = session_testing::must_start(sc, {}, {});
  Turn a, b;
  for (const Event& e : events) {
    Restored copy = Session::restore(sc, original.snapshot());
    ASSERT_TRUE(copy.ok()) << copy.message();
    const Status x = original.step(e, a), y = copy->step(e, b);
    EXPECT_EQ(x, y);
    EXPECT_EQ(acts(a), acts(b));
    EXPECT_EQ(original.snapshot(), copy->snapshot());
  }
  EXPECT_TRUE(original.ended());
  EXPECT_EQ(original.result().to_json(*sc).find("\"vip\":true") != std::string::npos, true);
}

}  // namespace
