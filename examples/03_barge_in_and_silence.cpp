// 03 — Barge-in and silence: what the customer says while the robot is
// still talking, and what happens when they say nothing.
//
//   settings: no_barge_ms 800 (the first 800 ms of a line cannot be cut), fillers uh, um
//
//   greet (barge_in: false) ──agree──▶ offer ──agree──▶ advisor [escalate]
//     │                                  │ decline, or silence twice
//     └──decline──▶ bye [hang up] ◀──────┘
//
//   words during greet           → not_now: the line may not be cut
//   "um" during offer            → a filler never interrupts
//   words 300 ms into offer      → not_now: inside the no-barge window
//   silence (listen timed out)   → re-prompt, then `then`
//   "sure" 2 s into the re-prompt → stop_line, and the route is taken
#include <iostream>

#include <patter/patter.hpp>

namespace {

constexpr const char* kScript = R"(patter: 1
id: renewal
version: "1"
locale: en-US
start: greet
settings: {fillers: [uh, um], no_barge_ms: 800}
intents:
  agree: ["yes", sure, okay]
  decline: ["no", not interested]
nodes:
  greet:
    say: Hi, this is Acme. Your plan renews next month with twenty percent off.
    barge_in: false
    routes: [{intent: agree, to: offer}, {intent: decline, to: bye}]
  offer:
    say: Shall I have an advisor call you about it?
    routes: [{intent: agree, to: advisor}, {intent: decline, to: bye}]
    no_input: {retries: 1, reprompts: "Still there? Shall an advisor call you?", then: bye}
  advisor: {say: "Great, connecting you now.", escalate: interested}
  bye: {say: No problem. Goodbye!, hangup: not_interested}
)";

void show(const char* what, const patter::Turn& turn) {
  std::cout << what << " -> " << patter::to_string(turn.decision()) << ':';
  for (const patter::Action& a : turn.actions()) {
    std::cout << ' ' << patter::to_string(a.type);
    if (a.type == patter::ActionType::say) std::cout << "(\"" << a.text << "\")";
  }
  std::cout << '\n';
}

}  // namespace

int main() {
  auto loaded = patter::load_string(kScript, "renewal.yaml");
  for (const patter::Diagnostic& d : loaded.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!loaded.ok()) return 1;
  patter::Session call = *patter::Session::start(loaded.script);
  patter::Turn turn;

  call.step(patter::Event::answered(0), turn);
  show("answered", turn);
  // Event::during(ms): heard while the line was playing, that far into it.
  call.step(patter::Event::utterance("yes", 1500).during(1500), turn);
  show("'yes' during greet", turn);
  call.step(patter::Event::utterance("yes", 6000), turn);
  show("'yes' after greet", turn);
  call.step(patter::Event::utterance("um", 6500).during(500), turn);
  show("'um' during offer", turn);
  call.step(patter::Event::utterance("no", 6600).during(300), turn);
  show("'no' 300 ms into offer", turn);
  call.step(patter::Event::no_input(15000), turn);
  show("silence", turn);
  call.step(patter::Event::utterance("sure", 17000).during(2000), turn);
  show("'sure' 2 s into the re-prompt", turn);
  std::cout << "now at " << call.script().node(call.node()).name << ", "
            << patter::to_string(call.phase()) << " for a person\n";
}
