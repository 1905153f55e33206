// 04 — Host intents: a dialer with its own NLU (a classifier, an LLM)
// passes what it understood instead of words. Names are looked up once;
// the call then runs on ids.
//
//   ASR ──▶ host NLU ──(intent, confidence)──▶ Event::intent_of ──▶ Session
//                                                                   │ routes as if the
//   script: opening ──affirm──▶ intro ──interested──▶ ask_owner ... │ phrases had matched
#include <iostream>

#include <patter/patter.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

int main() {
  auto loaded = patter::load_file(PATTER_EXAMPLES_DIR "/scripts/appointment.en-US.yaml");
  if (!loaded.ok()) return 1;
  const patter::Script& script = *loaded.script;

  // Once per script: the host's labels to the script's intent ids.
  const auto affirm = script.find_intent("affirm");
  const auto interested = script.find_intent("interested");
  const auto renter = script.find_intent("renter");
  if (!affirm || !interested || !renter) return 1;

  patter::Session call = *patter::Session::start(loaded.script, {{"first_name", "Sam"}});
  patter::Turn turn;
  call.step(patter::Event::answered(0), turn);

  std::uint64_t now = 0;
  const auto hear = [&](patter::IntentId intent, float confidence) {
    now += 5000;
    const patter::Status s = call.step(patter::Event::intent_of(intent, confidence, now), turn);
    std::cout << "host heard "
              << (intent < script.intents().size() ? script.intent(intent).name : "#9999") << " ("
              << confidence << "): " << patter::to_string(s) << ", now at "
              << script.node(call.node()).name << '\n';
  };
  hear(*affirm, 0.97f);
  hear(*interested, 0.81f);
  // Why it went there, in the script's terms (the host's NLU is named).
  std::cout << turn.explain(script);
  // An id the script does not have is refused, and the call is unchanged.
  hear(9999, 1.0f);
  hear(*renter, 0.9f);
  std::cout << "outcome " << patter::to_string(call.outcome()) << ", tags:";
  for (std::string_view tag : call.tags()) std::cout << ' ' << tag;
  std::cout << '\n';
}
