// Fuzzes restoring sessions from snapshot bytes.
//
// Input: a byte picks the script, a byte the mode, the rest is the snapshot.
// In mode 0 the rest is taken as it is, whole snapshot bytes. In mode 1 the
// rest is only the payload: the fuzzer puts the header (magic, version, the
// script's fingerprint, length) in front and the checksum after it, as
// lib/runtime/snapshot.cpp lays them out, so that the fuzzer's changes reach
// the checks of every field instead of stopping at the checksum.
//
// The promise (patter/session.hpp): restore gives an error or a valid
// session. A restored session must take further events (every kind, and a
// run of silences to the end of the call) without breaking the session's
// rules, and snapshot again to bytes that restore to the same state.
#include "fuzz_support.hpp"
#include "text/fnv1a.hpp"

namespace {

using namespace patter;
using patter::fuzz::valid_utf8;

constexpr std::size_t kHeaderBefore =
    4 + 2 + 8;  // magic, version, fingerprint: then the u32 length

// A fresh call's snapshot header, per script: magic, version, fingerprint.
const std::vector<std::string>& headers() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v;
    for (const auto& s : fuzz::bundled_scripts())
      v.push_back(fuzz::start_call(s).snapshot().substr(0, kHeaderBefore));
    return v;
  }();
  return all;
}

std::string wrap(std::size_t script, std::string_view payload) {
  std::string out = headers()[script];
  const auto n = static_cast<std::uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  out.append(payload);
  const std::uint64_t sum = detail::fnv1a(out);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((sum >> (8 * i)) & 0xFF));
  return out;
}

// One step on `s`, with the session's rules checked.
Status step(Session& s, const Event& e, Turn& t) {
  const std::string before = s.snapshot();
  const bool ended = s.ended();
  const Status st = s.step(e, t);
  if (ended) PATTER_FUZZ_CHECK(is_error(st), "an event after the end was accepted");
  if (is_error(st)) {
    PATTER_FUZZ_CHECK(s.snapshot() == before, "an error changed the session");
    PATTER_FUZZ_CHECK(t.actions().empty(), "an error with actions");
  }
  PATTER_FUZZ_CHECK(s.ended() == (s.outcome() != Outcome::none),
                    "an outcome while running, or none at the end");
  // Lines are not checked for UTF-8 here: a text variable holds whatever
  // bytes the host gave it, and a snapshot may carry any such text.
  (void)t.explain(s.script());
  return st;
}

void check_round_trip(const Session& s) {
  const std::string bytes = s.snapshot();
  Restored again = Session::restore(s.shared_script(), bytes);
  PATTER_FUZZ_CHECK(again.ok(), "a restored session's snapshot does not restore");
  PATTER_FUZZ_CHECK(again->snapshot() == bytes, "a restored session's snapshot changes on the way");
}

void read_everything(const Session& s) {
  const Script& script = s.script();
  PATTER_FUZZ_CHECK(valid_utf8(s.result().to_json(script)), "the result's JSON is not UTF-8");
  const std::string_view g = s.grade_so_far();
  PATTER_FUZZ_CHECK(script.find_grade(g).has_value(), "a grade the script does not declare");
  for (VariableId v = 0; v < script.variables().size(); ++v) (void)s.variable(v);
  for (const std::string_view t : s.tags())
    PATTER_FUZZ_CHECK(s.tagged(t), "a tag the call does not have");
  (void)s.deadline_ms();
  (void)s.memory_bytes();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)headers();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const auto& scripts = fuzz::bundled_scripts();
  const std::size_t which = in.byte() % scripts.size();
  const auto& script = scripts[which];
  const bool payload_only = in.byte() & 1;
  const std::string_view rest = in.rest();
  const std::string wrapped = payload_only ? wrap(which, rest) : std::string();
  const std::string_view bytes = payload_only ? std::string_view(wrapped) : rest;

  Restored r = Session::restore(script, bytes);
  if (!r.ok()) {
    PATTER_FUZZ_CHECK(r.code() != RestoreError::ok && !r.message().empty(),
                      "a failed restore without a reason");
    return 0;
  }
  PATTER_FUZZ_CHECK(r.code() == RestoreError::ok, "a restored session with an error");
  const Session& restored = *r;
  PATTER_FUZZ_CHECK(restored.ended() == (restored.outcome() != Outcome::none),
                    "restored: an outcome while running, or none at the end");
  read_everything(restored);
  check_round_trip(restored);

  // Every kind of event, each on its own copy.
  const std::uint64_t at = restored.last_event_ms() + 1000;
  const NodeId some_node = static_cast<NodeId>(size % script->nodes().size());
  const std::string_view phrase = script->intents().empty() || script->intents()[0].phrases.empty()
                                      ? std::string_view("好的")
                                      : std::string_view(script->intents()[0].phrases[0]);
  const Event events[] = {
      Event::answered(at),
      Event::utterance(phrase, at),
      Event::utterance("嗯", at).during(100),
      Event::intent_of(0, 0.9f, at),
      Event::no_input(at),
      Event::dtmf('1', at),
      Event::customer_hangup(at),
      Event::voicemail(at),
      Event::agent_joined(at),
      Event::agent_left(at, some_node),
      Event::agent_left(at),
      Event::timer(at),
      Event::timer(restored.deadline_ms()),
      Event::answered(restored.last_event_ms() - 1),
  };
  Turn t;
  for (const Event& e : events) {
    Session copy(restored);
    (void)restored.preview(e, t);
    step(copy, e, t);
    read_everything(copy);
    check_round_trip(copy);
  }

  // A silent customer, then a hang-up: the call must end.
  Session call(restored);
  std::uint64_t now = at;
  for (int i = 0; i < 60 && !call.ended(); ++i) {
    const Status s = step(call, Event::no_input(now += 8000), t);
    if (s == Status::wrong_phase) step(call, Event::agent_left(now += 1000), t);
  }
  // (Unless the snapshot's clock is so near its end that no later time is left.)
  if (step(call, Event::customer_hangup(now += 1000), t) != Status::time_went_back)
    PATTER_FUZZ_CHECK(call.ended(), "a customer hang-up did not end a restored call");
  read_everything(call);
  check_round_trip(call);
  return 0;
}
