// 11 — Explain a turn: for every step the session says what it heard, on
// which words, and why it took the route it took. What an author reads
// when a call went somewhere unexpected.
//
//   utterance ──normalise──▶ intents (span, score) ──▶ routes tried in order ──▶ node
//                                                   └─▶ globals ──▶ no_match
#include <iostream>

#include <patter/patter.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

int main() {
  auto loaded = patter::load_file(PATTER_EXAMPLES_DIR "/scripts/appointment.en-US.yaml");
  if (!loaded.ok()) return 1;
  const patter::Script& script = *loaded.script;
  patter::Session call = *patter::Session::start(loaded.script, {{"first_name", "Dana"}});
  patter::Turn turn;
  call.step(patter::Event::answered(0), turn);

  std::uint64_t now = 0;
  for (const char* words :
       {"Yes, this is Dana. Who's calling?",  // two intents; a route takes either
        "Um, how much does it cost?",         // a global handler answers, resumes
        "we RENT an apartment",               // known, but no route for it here: no_match
        "the weather is lovely today"}) {     // not understood again: no_match's `then`
    if (call.ended()) break;
    now += 6000;
    call.step(patter::Event::utterance(words, now), turn);
    std::cout << "customer: " << words << '\n' << turn.explain(script) << '\n';
  }
  // The matcher alone, without a call: what would this mean here?
  patter::Understanding u;
  script.matcher().understand("I'd rather talk to a real person", u);
  std::cout << "understood alone: " << u.explain(script) << '\n';
}
