// The script fingerprint covers every field of a compiled script: each
// variant below changes one thing in one base script, and each must give
// another fingerprint; the same text loaded twice gives the same one.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "compile/fingerprint.hpp"
#include "patter/loader.hpp"
#include "patter/session.hpp"

namespace {

const char* kBase = R"yaml(patter: 1
id: base
version: "1.0"
locale: en-US
title: Base
variables:
  name: {type: string, required: true}
  budget: {type: number, default: 3}
  vip: false
  age: {type: number}
intents:
  affirm: [yes, sure]
  negate: {phrases: [no, nope], priority: 1, score: -5}
  interested: {phrases: [interested], examples: [tell me more about it], opposite: negate, score: 4}
  tell_age: {patterns: ['(?<age>[1-9][0-9]) years']}
  price: {phrases: [how much], kind: question}
  human: [real person]
  stop: [stop calling]
  spare: [spare words]
settings:
  listen_ms: 6000
  barge_in: true
  barge_in_opening: false
  barge_in_closing: false
  no_barge_ms: 800
  long_reply_chars: 20
  fillers: [um, uh]
  negation_window: 2
  similarity_threshold: 0.5
  backchannels: [uh-huh, right]
  backchannel_intent: affirm
  min_confidence: 0.6
  understand: none
  understand_ms: 1500
limits:
  max_turns: 20
  max_duration_s: 300
  max_visits: 3
  no_match: {consecutive: 4, total: 6}
  no_input: {consecutive: 3, total: 5}
  close: bye
  escalate_score: 60
  escalate_node: hot
start: greet
nodes:
  greet:
    say: ["Hi {name}, got a minute?", "So {name}, a minute?"]
    recording: greet.wav
    barge_in: true
    tags: opened
    score: 1
    max_visits: 2
    listen_ms: 5000
    min_confidence: 0.7
    understand: host
    understand_ms: 1200
    routes:
      - {intent: affirm, to: pitch, tags: warm, score: 10}
      - {intent: [negate, tell_age], when: "budget > 2", to: bye}
      - {key: "1", to: pitch}
    no_match: {retries: 2, reprompts: ["Sorry?"], then: bye, long_reply: question}
    no_input: {retries: 1, reprompts: ["Hello?"], then: bye}
  pitch:
    say: "Budget {budget}."
    next: ask
  ask:
    say: "Interested?"
    routes:
      - {intent: interested, to: hot}
      - {intent: any, to: bye}
  hot:
    say: "Connecting you."
    escalate: {reason: interested, priority: high}
  question:
    say: "Let me get someone."
    escalate: question
  bye:
    say: "Goodbye."
    hangup: not_interested
  dnc_close:
    say: "Sorry."
    tags: dnc
    hangup: opt_out
  spare_end:
    say: "Bye."
    hangup: completed
globals:
  - {intent: stop, goto: dnc_close}
  - {intent: price, say: ["Ten euros.", "Just ten."], recording: price.wav, tags: price_asked, score: 2, max_times: 1, reprompt: true}
  - {intent: human, say: "One moment.", escalate: {reason: asked_for_human, priority: urgent}}
hold:
  while_waiting: lines
  say: ["Please hold."]
  interval_s: 15
  timeout_s: 60
  then: bye
grading:
  rules:
    - {grade: E, when: "tagged('dnc')", tags: [invalid]}
    - {grade: A, when: "score >= 15", tags: [high_intent]}
  default: C
)yaml";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::shared_ptr<const patter::Script> load(const std::string& yaml) {
  auto r = patter::load_string(yaml, "base.yaml");
  for (const patter::Diagnostic& d : r.diagnostics)
    if (d.severity == patter::Severity::error) ADD_FAILURE() << d.message;
  return r.script;
}

struct Variant {
  const char* field;
  const char* from;
  const char* to;
};

// One change per field, in the order of the script's structures.
const Variant kVariants[] = {
    {"id", "id: base", "id: base2"},
    {"version", "version: \"1.0\"", "version: \"1.1\""},
    {"locale", "locale: en-US", "locale: zh-CN"},
    {"title", "title: Base", "title: Other"},
    {"start", "start: greet", "start: ask"},
    {"variable name", "  vip: false", "  vip2: false"},
    {"variable type", "  vip: false", "  vip: {type: string}"},
    {"variable default", "budget: {type: number, default: 3}",
     "budget: {type: number, default: 4}"},
    {"variable required", "name: {type: string, required: true}",
     "name: {type: string, required: false}"},
    {"intent name", "  spare: [spare words]", "  spare2: [spare words]"},
    {"intent phrases", "affirm: [yes, sure]", "affirm: [yes, sure, ok]"},
    {"intent patterns", "'(?<age>[1-9][0-9]) years'", "'(?<age>[1-9][0-9]) yrs'"},
    {"intent examples", "examples: [tell me more about it]", "examples: [tell me more]"},
    {"intent opposite", "opposite: negate, ", ""},
    {"intent priority", "priority: 1, score: -5", "priority: 2, score: -5"},
    {"intent score", "priority: 1, score: -5", "priority: 1, score: -6"},
    {"intent kind", "kind: question", "kind: answer"},
    {"intent opt_out", "goto: dnc_close}", "hangup: opt_out}"},
    {"settings listen_ms", "  listen_ms: 6000", "  listen_ms: 7000"},
    {"settings barge_in", "  barge_in: true", "  barge_in: false"},
    {"settings barge_in_opening", "barge_in_opening: false", "barge_in_opening: true"},
    {"settings barge_in_closing", "barge_in_closing: false", "barge_in_closing: true"},
    {"settings no_barge_ms", "no_barge_ms: 800", "no_barge_ms: 900"},
    {"settings long_reply_chars", "long_reply_chars: 20", "long_reply_chars: 21"},
    {"settings fillers", "fillers: [um, uh]", "fillers: [um]"},
    {"settings negation_window", "negation_window: 2", "negation_window: 3"},
    {"settings similarity_threshold", "similarity_threshold: 0.5", "similarity_threshold: 0.6"},
    {"settings backchannels", "backchannels: [uh-huh, right]", "backchannels: [uh-huh]"},
    {"settings backchannel_intent", "backchannel_intent: affirm", "backchannel_intent: none"},
    {"settings min_confidence", "  min_confidence: 0.6", "  min_confidence: 0.65"},
    {"settings understand", "  understand: none", "  understand: host"},
    {"settings understand_ms", "  understand_ms: 1500", "  understand_ms: 1600"},
    {"limits max_turns", "max_turns: 20", "max_turns: 21"},
    {"limits max_duration_s", "max_duration_s: 300", "max_duration_s: 301"},
    {"limits max_visits", "  max_visits: 3", "  max_visits: 4"},
    {"limits no_match consecutive", "no_match: {consecutive: 4, total: 6}",
     "no_match: {consecutive: 5, total: 6}"},
    {"limits no_match total", "no_match: {consecutive: 4, total: 6}",
     "no_match: {consecutive: 4, total: 7}"},
    {"limits no_input consecutive", "no_input: {consecutive: 3, total: 5}",
     "no_input: {consecutive: 4, total: 5}"},
    {"limits no_input total", "no_input: {consecutive: 3, total: 5}",
     "no_input: {consecutive: 3, total: 6}"},
    {"limits close", "  close: bye", "  close: dnc_close"},
    {"limits escalate_score", "escalate_score: 60", "escalate_score: 61"},
    {"limits escalate_node", "escalate_node: hot", "escalate_node: question"},
    {"node say", "\"Hi {name}, got a minute?\"", "\"Hi {name}, one minute?\""},
    {"node say variable", "\"Budget {budget}.\"", "\"Budget {age}.\""},
    {"node recording", "recording: greet.wav", "recording: greet2.wav"},
    {"node barge_in", "    barge_in: true", "    barge_in: false"},
    {"node tags", "tags: opened", "tags: opened2"},
    {"node score", "    score: 1\n", "    score: 2\n"},
    {"node max_visits", "    max_visits: 2", "    max_visits: 5"},
    {"node listen_ms", "    listen_ms: 5000", "    listen_ms: 5500"},
    {"node min_confidence", "    min_confidence: 0.7", "    min_confidence: 0.8"},
    {"node understand", "    understand: host", "    understand: none"},
    {"node understand_ms", "    understand_ms: 1200", "    understand_ms: 1300"},
    {"node name", "  spare_end:\n", "  spare_end2:\n"},
    {"node kind and next", "next: ask", "hangup: completed"},
    {"node hangup", "hangup: not_interested", "hangup: completed"},
    {"node escalation reason", "escalate: question", "escalate: complaint"},
    {"node escalation priority", "{reason: interested, priority: high}",
     "{reason: interested, priority: low}"},
    {"route intents", "intent: [negate, tell_age]", "intent: [negate]"},
    {"route target", "{intent: affirm, to: pitch,", "{intent: affirm, to: ask,"},
    {"route any", "{intent: any, to: bye}", "{intent: affirm, to: bye}"},
    {"route score", "tags: warm, score: 10", "tags: warm, score: 11"},
    {"route tags", "tags: warm, score: 10", "tags: warmer, score: 10"},
    {"route guard", "when: \"budget > 2\"", "when: \"budget > 1\""},
    {"route keys", "key: \"1\"", "key: \"2\""},
    {"route order", "      - {intent: interested, to: hot}\n      - {intent: any, to: bye}",
     "      - {intent: interested, to: hot}\n      - {intent: negate, to: hot}\n      - {intent: "
     "any, to: bye}"},
    {"no_match retries", "retries: 2,", "retries: 1,"},
    {"no_match reprompts", "reprompts: [\"Sorry?\"]", "reprompts: [\"Pardon?\"]"},
    {"no_match then", "reprompts: [\"Sorry?\"], then: bye",
     "reprompts: [\"Sorry?\"], then: dnc_close"},
    {"no_match long_reply", "long_reply: question", "long_reply: hot"},
    {"no_input retries", "no_input: {retries: 1,", "no_input: {retries: 2,"},
    {"no_input reprompts", "reprompts: [\"Hello?\"]", "reprompts: [\"Still there?\"]"},
    {"no_input then", "[\"Hello?\"], then: bye", "[\"Hello?\"], then: dnc_close"},
    {"global intents", "{intent: stop, goto", "{intent: [stop, negate], goto"},
    {"global say", "[\"Ten euros.\", \"Just ten.\"]", "[\"Ten euros.\"]"},
    {"global recording", "recording: price.wav", "recording: price2.wav"},
    {"global tags", "tags: price_asked", "tags: price_told"},
    {"global score", "score: 2, max_times", "score: 3, max_times"},
    {"global max_times", "max_times: 1,", "max_times: 2,"},
    {"global reprompt", "reprompt: true", "reprompt: false"},
    {"global then", "{intent: stop, goto: dnc_close}", "{intent: stop, hangup: busy}"},
    {"global target", "goto: dnc_close}", "goto: bye}"},
    {"global escalation reason", "reason: asked_for_human, priority: urgent",
     "reason: complaint, priority: urgent"},
    {"global escalation priority", "reason: asked_for_human, priority: urgent",
     "reason: asked_for_human, priority: high"},
    {"hold while_waiting", "while_waiting: lines", "while_waiting: silence"},
    {"hold say", "[\"Please hold.\"]", "[\"Please wait.\"]"},
    {"hold interval_s", "interval_s: 15", "interval_s: 16"},
    {"hold timeout_s", "timeout_s: 60", "timeout_s: 61"},
    {"hold then", "  then: bye\ngrading", "  then: dnc_close\ngrading"},
    {"hold resume", "while_waiting: lines", "while_waiting: script\n  resume: ask"},
    {"grading grade", "{grade: A, when", "{grade: B, when"},
    {"grading when", "when: \"score >= 15\"", "when: \"score >= 16\""},
    {"grading tags", "tags: [high_intent]", "tags: [hot_lead]"},
    {"grading tags order", "tags: [high_intent]", "tags: [high_intent, invalid]"},
    {"grading default", "default: C", "default: D"},
};

TEST(Fingerprint, StableForTheSameScript) {
  auto a = load(kBase);
  auto b = load(kBase);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->fingerprint(), b->fingerprint());
  EXPECT_EQ(patter::detail::canonical_bytes(*a), patter::detail::canonical_bytes(*b));
  // Where a line sits is not what the script does: a comment moves nothing.
  auto moved = load(replaced(kBase, "start: greet\n", "# the opening\nstart: greet\n"));
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->fingerprint(), a->fingerprint());
}

// Computed on first use: threads that ask at once all get the one value,
// the same as the hash of the canonical bytes, and the same string object.
TEST(Fingerprint, FirstAskedFromManyThreadsAtOnce) {
  auto s = load(kBase);
  auto reference = load(kBase);
  ASSERT_TRUE(s && reference);
  std::vector<const std::string*> seen(8, nullptr);
  {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < seen.size(); ++i)
      threads.emplace_back([&, i] { seen[i] = &s->fingerprint(); });
    for (auto& t : threads) t.join();
  }
  for (const std::string* f : seen) {
    ASSERT_EQ(f, seen[0]);
    EXPECT_EQ(*f, reference->fingerprint());
  }
  EXPECT_EQ(seen[0]->size(), 16u);
  EXPECT_EQ(*seen[0], patter::detail::fingerprint(*reference));
}

TEST(Fingerprint, EveryFieldChangesIt) {
  auto base = load(kBase);
  ASSERT_TRUE(base);
  std::set<std::string> seen = {base->fingerprint()};
  for (const Variant& v : kVariants) {
    auto changed = load(replaced(kBase, v.from, v.to));
    ASSERT_TRUE(changed) << v.field;
    EXPECT_NE(changed->fingerprint(), base->fingerprint()) << v.field;
    EXPECT_TRUE(seen.insert(changed->fingerprint()).second)
        << v.field << ": same fingerprint as another variant";
  }
}

TEST(Fingerprint, SnapshotUnderChangedGradingTagsIsRefused) {
  auto base = load(kBase);
  auto retagged = load(replaced(kBase, "tags: [high_intent]", "tags: [hot_lead]"));
  ASSERT_TRUE(base && retagged);
  patter::Started s = patter::Session::start(base, {{"name", "Ann"}});
  ASSERT_TRUE(s.ok()) << s.message();
  patter::Turn t;
  s->step(patter::Event::answered(0), t);
  const std::string bytes = s->snapshot();

  patter::Restored r = patter::Session::restore(retagged, bytes);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.code(), patter::RestoreError::other_script);
  EXPECT_NE(r.message().find(retagged->fingerprint()), std::string::npos) << r.message();
  EXPECT_TRUE(patter::Session::restore(load(kBase), bytes).ok());
}

TEST(Fingerprint, HandlerEscalationPriorityAloneChangesIt) {
  auto base = load(kBase);
  auto other = load(replaced(kBase, "priority: urgent}", "priority: normal}"));
  ASSERT_TRUE(base && other);
  EXPECT_NE(base->fingerprint(), other->fingerprint());
  patter::Started s = patter::Session::start(base, {{"name", "Ann"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(patter::Session::restore(other, s->snapshot()).code(),
            patter::RestoreError::other_script);
}

}  // namespace
