// Fuzzes calls: sequences of events, decoded from bytes, over the bundled
// scripts.
//
// Input: a byte picks the script, a byte sets up the call (transcript size,
// the clock's origin), then events until the bytes run out. Each event is a
// byte of kind and a byte of time step (forward by up to 22 s, forward by
// minutes, or backward), then its arguments:
//
//   kind % 16   event                       arguments
//   0           answered
//   1           utterance (raw bytes)        length byte (255: a long one), the text
//   2           utterance (script's words)   intent byte, phrase byte, variant byte
//   3           host intent                  intent byte (a few past the end), confidence byte;
//                                            with the kind's bit 4, an n-best list: count byte,
//                                            then those pairs
//   4           no_input                     (with the kind's bit 4: not_understood)
//   5           dtmf                         key byte
//   6           customer_hangup
//   7           voicemail
//   8           agent_joined
//   9           agent_left                   node byte (a few past the end), reason byte
//   10          timer                        (at the deadline when the kind's bit 4 is set)
//   11          utterance during the line    elapsed byte, then as kind 2 (bit 4: the host paused
//   it) 12          snapshot and restore: from here on a restored twin gets every event too 13
//   preview of the next event: must change nothing 14          an event kind out of range   kind
//   byte (with the kind's bit 4: a person's words: length byte, the text, speaker byte) 15
//   read everything the session offers (result, JSON, grade, variables)
//
// What must hold at every step (patter/session.hpp):
//   - after the call's end, every event is an error;
//   - an error leaves the session exactly as it was (same snapshot bytes);
//   - phase, outcome and ended() agree;
//   - a snapshot restores to a session with the same snapshot, and that
//     twin, given the same events, answers and ends up the same;
//   - preview() changes nothing; a copy is the same call;
//   - the time of the last accepted event never goes back;
//   - lines are UTF-8 and the explanation never fails.
#include <cmath>
#include <limits>

#include "fuzz_support.hpp"

namespace {

using namespace patter;
using patter::fuzz::valid_utf8;

constexpr std::size_t kMaxEvents = 400;

// Who a person's words come from: a name, none, and bytes that are not UTF-8.
constexpr std::string_view kSpeakers[] = {"li", "", "\xff\xfe"};

struct Decoder {
  fuzz::FuzzInput& in;
  const Script& script;
  std::uint64_t now;
  std::vector<HostIntent> candidates;  // an n-best list, borrowed by its event

  void advance() {
    const std::uint8_t t = in.byte();
    if (t < 0xE0)
      now += std::uint64_t{t} * 100;
    else if (t < 0xF0)
      now += std::uint64_t{t - 0xDFu} * 60'000;
    else
      now -= std::uint64_t{t - 0xEFu} *
             1000;  // backwards (wrapping is fine: the host may be that wrong)
  }

  // Words the script knows, so calls get past the first node; a variant
  // puts a negation, a filler or punctuation around them.
  std::string_view script_words(std::string& buf) {
    const std::uint8_t which = in.byte(), rule = in.byte(), variant = in.byte();
    if (script.intents().empty()) return {};
    const Intent& intent = script.intents()[which % script.intents().size()];
    const std::vector<std::string>& list = (rule & 0x80) && !intent.examples.empty()
                                               ? intent.examples
                                           : !intent.phrases.empty() ? intent.phrases
                                                                     : intent.examples;
    buf.clear();
    if (list.empty()) return buf;
    static constexpr std::string_view kBefore[] = {"",   "不",     "not ", "嗯，",
                                                   "我", "是不是", "呃 ",  "没有"};
    static constexpr std::string_view kAfter[] = {"",   "吗", "?",         "。",
                                                  "了", "！", " 三百二十", " 42"};
    buf.append(kBefore[variant & 7]);
    buf.append(list[(rule & 0x7F) % list.size()]);
    buf.append(kAfter[(variant >> 3) & 7]);
    return buf;
  }

  std::string_view raw_words() {
    std::size_t n = in.byte();
    if (n == 255) n = 4000 + std::size_t{in.byte()} * 8;  // around Normalizer::kMaxBytes
    return in.slice(n);
  }

  /// An intent id (a few past the end) and a confidence (some out of range).
  HostIntent host_intent() {
    const std::size_t n = script.intents().size();
    const std::uint8_t i = in.byte(), c = in.byte();
    IntentId id = static_cast<IntentId>(i % (n + 3));
    if (id == n + 2) id = kNone;
    const float confidence = c == 255   ? std::numeric_limits<float>::quiet_NaN()
                             : c == 254 ? -1.0f
                             : c == 253 ? 7.5f
                                        : static_cast<float>(c) / 250.0f;
    return {id, confidence};
  }

  // The event of `kind` (not 12 or 15: those are no events); `text` holds
  // words made up here rather than read from the input.
  Event next(std::uint8_t kind, const Session& call, std::string& text) {
    advance();
    switch (kind % 16) {
      case 0: return Event::answered(now);
      case 1: return Event::utterance(raw_words(), now);
      case 2: return Event::utterance(script_words(text), now);
      case 3: {
        if (!(kind & 0x10)) {
          const HostIntent h = host_intent();
          return Event::intent_of(h.intent, h.confidence, now);
        }
        candidates.resize(in.byte() % (kMaxHostIntents + 3));  // a few past the most
        for (HostIntent& h : candidates) h = host_intent();
        return Event::intents(candidates, now);
      }
      case 4: return kind & 0x10 ? Event::not_understood(now) : Event::no_input(now);
      case 5: return Event::dtmf(static_cast<char>(in.byte()), now);
      case 6: return Event::customer_hangup(now);
      case 7: return Event::voicemail(now);
      case 8: return Event::agent_joined(now);
      case 9: {
        const std::size_t n = script.nodes().size();
        const std::uint8_t b = in.byte(), r = in.byte();
        NodeId node = static_cast<NodeId>(b % (n + 3));
        if (node >= n + 1) node = kNone;  // more often than not, back to the robot at a node
        return Event::agent_left(now, node, static_cast<HangupReason>(r % 20));
      }
      case 10:
        if ((kind & 0x10) && call.deadline_ms() > now) now = call.deadline_ms();
        return Event::timer(now);
      case 11: {
        const std::uint32_t elapsed = std::uint32_t{in.byte()} * 50;
        const Event e = Event::utterance(script_words(text), now).during(elapsed);
        return kind & 0x10 ? e.paused() : e;
      }
      case 14: {
        if (kind & 0x10) return Event::agent_said(raw_words(), kSpeakers[in.byte() % 3], now);
        Event e = Event::timer(now);
        constexpr unsigned kFirstUnknown = static_cast<unsigned>(EventType::agent_said) + 1;
        e.type = static_cast<EventType>(kFirstUnknown + in.byte() % (256 - kFirstUnknown));
        return e;
      }
      default: return Event::no_input(now);
    }
  }
};

void check_state(const Session& s) {
  PATTER_FUZZ_CHECK(s.ended() == (s.phase() == Phase::ended), "ended() disagrees with the phase");
  PATTER_FUZZ_CHECK(s.ended() == (s.outcome() != Outcome::none),
                    "an outcome while running, or none at the end");
  PATTER_FUZZ_CHECK(
      s.phase() == Phase::dialing || s.ended() || s.node() < s.script().nodes().size(),
      "a running call at no node");
}

void check_turn(const Script& script, const Turn& t, Status s) {
  PATTER_FUZZ_CHECK(t.status() == s, "step() and the turn disagree");
  PATTER_FUZZ_CHECK(static_cast<unsigned>(s) <= static_cast<unsigned>(Status::bad_text),
                    "a status out of range");
  if (is_error(s))
    PATTER_FUZZ_CHECK(t.actions().empty() && t.path().empty(), "an error with actions");
  for (const Action& a : t.actions()) {
    if (a.type == ActionType::say || a.type == ActionType::tag)
      PATTER_FUZZ_CHECK(valid_utf8(a.text), "a line or tag is not UTF-8");
    if (a.node != kNone)
      PATTER_FUZZ_CHECK(a.node < script.nodes().size(), "an action from no node");
  }
  for (NodeId n : t.path()) PATTER_FUZZ_CHECK(n < script.nodes().size(), "a path through no node");
  PATTER_FUZZ_CHECK(valid_utf8(t.explain(script)), "the explanation is not UTF-8");
}

bool same_actions(const Turn& a, const Turn& b) {
  if (a.actions().size() != b.actions().size() || a.decision() != b.decision()) return false;
  for (std::size_t i = 0; i < a.actions().size(); ++i) {
    const Action &x = a.actions()[i], &y = b.actions()[i];
    if (x.type != y.type || x.node != y.node || x.text != y.text || x.timeout_ms != y.timeout_ms ||
        x.hangup != y.hangup || x.escalation != y.escalation)
      return false;
  }
  return true;
}

void read_everything(const Session& s) {
  const Script& script = s.script();
  const CallResult r = s.result();
  PATTER_FUZZ_CHECK(valid_utf8(r.to_json(script)), "the result's JSON is not UTF-8");
  PATTER_FUZZ_CHECK(r.outcome == s.outcome(), "the result has another outcome");
  const std::string_view g = s.grade_so_far();
  PATTER_FUZZ_CHECK(script.find_grade(g).has_value(), "a grade the script does not declare");
  for (VariableId v = 0; v <= script.variables().size(); ++v) (void)s.variable(v);
  for (const std::string_view t : s.tags())
    PATTER_FUZZ_CHECK(s.tagged(t), "a tag the call does not have");
  for (NodeId n = 0; n < script.nodes().size(); ++n) (void)s.visits(n);
  for (IntentId i = 0; i < script.intents().size(); ++i) (void)s.heard(i);
  (void)s.deadline_ms();
  (void)s.memory_bytes();
  for (const TranscriptEntry& e : s.transcript())
    PATTER_FUZZ_CHECK(valid_utf8(e.text), "a transcript line is not UTF-8");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzz::bundled_scripts();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const auto& scripts = fuzz::bundled_scripts();
  const auto& script = scripts[in.byte() % scripts.size()];
  const std::uint8_t setup = in.byte();
  static constexpr std::uint64_t kOrigins[] = {
      0, 1'700'000'000'000ull, 1ull << 62, std::numeric_limits<std::uint64_t>::max() - 86'400'000};
  SessionOptions options;
  options.transcript = (setup & 3) * 3;

  Session call = fuzz::start_call(script, options);
  std::optional<Session> twin;  // restored from a snapshot, then fed the same events
  Decoder dec{in, *script, kOrigins[(setup >> 2) & 3], {}};
  Turn turn, twin_turn, preview_turn;
  std::string before, after, words;
  std::uint64_t last_accepted = 0;

  for (std::size_t n = 0; n < kMaxEvents && !in.empty(); ++n) {
    const std::uint8_t kind = in.byte();
    if (kind % 16 == 12) {
      call.snapshot(before);
      Restored r = Session::restore(script, before);
      PATTER_FUZZ_CHECK(r.ok(), "a snapshot does not restore");
      PATTER_FUZZ_CHECK(r->snapshot() == before, "a restored session has another snapshot");
      twin.emplace(std::move(*r));
      continue;
    }
    if (kind % 16 == 15) {
      read_everything(call);
      Session copy(call);
      PATTER_FUZZ_CHECK(copy.snapshot() == call.snapshot(), "a copy differs");
      continue;
    }

    const Event e = dec.next(kind, call, words);
    call.snapshot(before);
    if (kind % 16 == 13) {
      (void)call.preview(e, preview_turn);
      call.snapshot(after);
      PATTER_FUZZ_CHECK(after == before, "preview() changed the session");
    }

    const bool was_ended = call.ended();
    const Status s = call.step(e, turn);
    check_turn(*script, turn, s);
    check_state(call);
    if (was_ended) PATTER_FUZZ_CHECK(is_error(s), "an event after the end was accepted");
    call.snapshot(after);
    if (is_error(s)) {
      PATTER_FUZZ_CHECK(after == before, "an error changed the session");
    } else {
      PATTER_FUZZ_CHECK(call.last_event_ms() >= last_accepted, "time went back in the session");
      last_accepted = call.last_event_ms();
    }

    if (twin) {
      const Status ts = twin->step(e, twin_turn);
      PATTER_FUZZ_CHECK(ts == s, "the restored twin answers with another status");
      PATTER_FUZZ_CHECK(same_actions(turn, twin_turn), "the restored twin acts differently");
      PATTER_FUZZ_CHECK(twin->snapshot() == after, "the restored twin is in another state");
    }
  }
  read_everything(call);
  return 0;
}
