// A session's state as one list of fields: restored and copied sessions are
// equal to their originals field by field, text variables share one buffer,
// memory is counted from the same list, and a snapshot whose fields are
// each valid but do not fit together is refused.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "patter/loader.hpp"
#include "patter/session.hpp"
#include "runtime/session_state.hpp"

namespace {

using namespace patter;

const char* kScript = R"yaml(patter: 1
id: state
locale: en-US
variables:
  name: {type: string, required: true}
  city: Paris
  company: {type: string}
  age: {type: number, default: 0}
intents:
  yes: [yes]
  from: {patterns: ['from (?<city>[a-z]+)']}
  aged: {patterns: ['(?<age>[0-9]+) years']}
  price: [how much]
start: greet
nodes:
  greet:
    say: "Hi {name} from {city}, age {age}?"
    tags: opened
    routes:
      - {intent: yes, to: bye, tags: warm}
      - {intent: from, to: greet}
      - {intent: aged, to: greet}
  bye:
    say: "Bye {name}."
    hangup: completed
globals:
  - {intent: price, say: "Ten.", tags: price_asked}
limits:
  max_turns: 50
)yaml";

std::shared_ptr<const Script> script() {
  static auto s = load_string(kScript, "state.yaml").script;
  return s;
}

Session call(SessionOptions options = {}) {
  Started s = Session::start(script(), {{"name", "Ann"}, {"company", "Acme"}}, options);
  EXPECT_TRUE(s.ok()) << s.message();
  return std::move(*s);
}

const detail::SessionState& state(const Session& s) {
  return SessionAccess::state(s);
}

std::string fresh_snapshot(Session& s) {
  // A snapshot of the state as edited by a test: the checksum is written anew.
  return s.snapshot();
}

TEST(SessionState, RestoredAndCopiedSessionsAreEqualFieldByField) {
  Session s = call({.transcript = 8});
  Turn t;
  ASSERT_EQ(s.step(Event::answered(0), t), Status::ok);
  for (const char* said : {"from lyon", "how much", "42 years"})
    s.step(Event::utterance(said, 1000), t);
  Restored r = Session::restore(script(), s.snapshot());
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_TRUE(state(*r) == state(s));
  Session copy = s;
  EXPECT_TRUE(state(copy) == state(s));
  copy.step(Event::utterance("yes", 2000), t);
  EXPECT_FALSE(state(copy) == state(s));  // the equality sees a change
  Session moved = std::move(copy);
  EXPECT_TRUE(moved.ended());
}

TEST(SessionState, TextVariablesShareOneBufferAndReplaceInPlace) {
  Session s = call();
  Turn t;
  s.step(Event::answered(0), t);
  EXPECT_EQ(s.variable("city"), "Paris");  // the default: no bytes of its own
  s.step(Event::utterance("from lyon", 1000), t);
  EXPECT_EQ(s.variable("city"), "lyon");
  s.step(Event::utterance("from marseille", 2000), t);  // longer: the others move down
  EXPECT_EQ(s.variable("city"), "marseille");
  EXPECT_EQ(s.variable("name"), "Ann");
  EXPECT_EQ(s.variable("company"), "Acme");
  s.step(Event::utterance("from nice", 3000), t);
  EXPECT_EQ(s.variable("city"), "nice");
  EXPECT_EQ(s.variable("name"), "Ann");
  const SessionLayout l(*script());
  EXPECT_EQ(state(s).values.size(), l.slots() + 3 + 4 + 4);  // Ann, Acme, nice: no bytes left over
}

TEST(SessionState, MemoryIsCountedFromTheFieldList) {
  Session s = call();
  const detail::SessionState& st = state(s);
  EXPECT_EQ(s.memory_bytes(), sizeof(Session) + st.values.capacity() + st.counts.capacity() * 2);
  Session kept = call({.transcript = 4});
  EXPECT_GT(kept.memory_bytes(), s.memory_bytes());  // the transcript counts too
  Turn t;
  s.step(Event::answered(0), t);
  for (int i = 0; i < 20; ++i) s.step(Event::utterance("from somewhereveryfaraway", 1000 + i), t);
  EXPECT_EQ(s.memory_bytes(), sizeof(Session) + st.values.capacity() + st.counts.capacity() * 2);
}

/// Restore a snapshot of `s` after `edit` changed its state behind its back.
RestoreError restore_edited(
    const std::function<void(detail::SessionState&, const SessionLayout&)>& edit) {
  Session s = call();
  Turn t;
  s.step(Event::answered(0), t);
  s.step(Event::utterance("how much", 1000), t);
  s.step(Event::utterance("from lyon", 2000), t);
  detail::SessionState& st = const_cast<detail::SessionState&>(SessionAccess::state(s));
  edit(st, SessionLayout(*script()));
  return Session::restore(script(), fresh_snapshot(s)).code();
}

TEST(SessionState, SnapshotsWhosePartsDoNotFitAreRefused) {
  EXPECT_EQ(restore_edited([](detail::SessionState&, const SessionLayout&) {}), RestoreError::ok);
  // A text that points past the buffer, or two texts over the same bytes.
  EXPECT_EQ(restore_edited([](detail::SessionState& st, const SessionLayout& l) {
              TextSlot t = SessionAccess::slot(st, 0);
              t.size += 1;
              SessionAccess::put_slot(st, 0, t);
              (void)l;
            }),
            RestoreError::corrupted);
  EXPECT_EQ(restore_edited([](detail::SessionState& st, const SessionLayout& l) {
              SessionAccess::put_slot(st, 2, SessionAccess::slot(st, 0));
              (void)l;
            }),
            RestoreError::corrupted);
  // Stray bytes after the texts.
  EXPECT_EQ(restore_edited(
                [](detail::SessionState& st, const SessionLayout&) { st.values.push_back('x'); }),
            RestoreError::corrupted);
  // Fewer counts than the script has nodes, intents and handlers.
  EXPECT_EQ(restore_edited([](detail::SessionState& st, const SessionLayout& l) {
              st.counts.resize(l.counts() - 1);
            }),
            RestoreError::corrupted);
  // Half a log entry.
  EXPECT_EQ(restore_edited(
                [](detail::SessionState& st, const SessionLayout&) { st.counts.push_back(0); }),
            RestoreError::corrupted);
  // A node the script does not have, in the log.
  EXPECT_EQ(restore_edited([](detail::SessionState& st, const SessionLayout& l) {
              SessionAccess::log_push(st, l, 99);
            }),
            RestoreError::corrupted);
  // A tag held but not logged.
  EXPECT_EQ(restore_edited([](detail::SessionState& st, const SessionLayout& l) {
              st.counts[l.tags()] = static_cast<std::uint16_t>(st.counts[l.tags()] ^ 1u);
            }),
            RestoreError::corrupted);
  // A flag that is neither true nor false cannot be written; a line owned
  // by a handler the script does not have can.
  EXPECT_EQ(restore_edited([](detail::SessionState& st, const SessionLayout&) {
              st.line_kind = static_cast<std::uint8_t>(LineKind::handler);
              st.line_owner = 7;
            }),
            RestoreError::corrupted);
}

TEST(SessionState, TranscriptEntriesAreCheckedOnRestore) {
  Session s = call({.transcript = 2});
  Turn t;
  s.step(Event::answered(0), t);
  s.step(Event::utterance("how much", 1000), t);
  ASSERT_EQ(s.transcript().size(), 2u);
  Restored ok = Session::restore(script(), s.snapshot());
  ASSERT_TRUE(ok.ok()) << ok.message();
  EXPECT_EQ(ok->transcript().size(), 2u);
  auto& st = const_cast<detail::SessionState&>(SessionAccess::state(s));
  st.transcript->lines[0].node = 42;
  EXPECT_EQ(Session::restore(script(), s.snapshot()).code(), RestoreError::corrupted);
  st.transcript->lines[0].node = kNone;
  st.transcript->cap = 1;  // more entries than it keeps
  EXPECT_EQ(Session::restore(script(), s.snapshot()).code(), RestoreError::corrupted);
}

}  // namespace
