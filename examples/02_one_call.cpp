// 02 — One call: the host feeds events with its own clock, the session
// answers with actions. No I/O, no threads, no clock inside the library.
//
//   host                     Session                        host
//   ────                     ───────                        ────
//   answered(t) ─────────▶  step(event, turn) ──actions──▶  say / listen / tag
//   utterance("...", t) ──▶      │                          hangup / escalate
//   no_input(t) ─────────▶       ▼                          end → result()
//   data(id, values, t) ◀──────────────────────────────────  fetch (look it up)
//                          opening → intro → ask_owner → ... → booked_close
#include <iostream>
#include <string>

#include <patter/patter.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

int main() {
  patter::LoadResult loaded =
      patter::load_file(PATTER_EXAMPLES_DIR "/scripts/appointment.en-US.yaml");
  if (!loaded.ok()) return 1;
  const patter::Script& script = *loaded.script;

  // The CRM's fields for this call. A missing required one is refused here.
  patter::Started started = patter::Session::start(loaded.script, {{"first_name", "Dana"}});
  if (!started.ok()) {
    std::cerr << started.message() << '\n';
    return 1;
  }
  patter::Session& call = *started;
  patter::Turn turn;  // reused for every step: a warm step allocates nothing

  std::uint64_t now = 0;  // the host's clock, in ms
  // Step the call and carry out what it says. A `fetch` asks the host for
  // data (here: is the day free in the surveyors' calendar?): the host looks
  // it up and answers with a `data` event before the action's deadline, and
  // the call goes on from the answer.
  const patter::VariableValue calendar_says[] = {{"slot_free", "true"}};
  const auto step = [&](patter::Event e) {
    for (;;) {
      if (patter::is_error(call.step(e, turn))) {
        std::cerr << patter::describe(turn.status()) << '\n';
        return false;
      }
      std::uint32_t fetch = 0;
      for (const patter::Action& a : turn.actions()) {
        if (a.type == patter::ActionType::say) std::cout << "  robot: " << a.text << '\n';
        if (a.type == patter::ActionType::hangup)
          std::cout << "  [hang up: " << patter::to_string(a.hangup) << "]\n";
        if (a.type == patter::ActionType::fetch) {
          std::cout << "  [the dialer looks up " << a.text << "]\n";
          fetch = a.fetch;
        }
      }
      if (fetch == 0) return true;
      now += 500;
      e = patter::Event::data(fetch, calendar_says, now);
    }
  };

  if (!step(patter::Event::answered(now))) return 1;
  for (const char* words : {"yes, speaking", "sure", "we own it", "about 180 dollars a month",
                            "full sun", "", "saturday morning", "yes"}) {
    now += 8000;
    // An empty reply stands for a listen that timed out: silence.
    std::cout << "customer: " << (*words ? words : "(silence)") << '\n';
    if (!step(*words ? patter::Event::utterance(words, now) : patter::Event::no_input(now)))
      return 1;
    if (call.ended()) break;
  }
  const patter::CallResult result = call.result();
  std::cout << "outcome " << patter::to_string(result.outcome) << ", grade " << result.grade << ", "
            << result.turns << " turns, " << result.path.size() << " nodes\n";
  std::cout << result.to_json(script) << '\n';
}
