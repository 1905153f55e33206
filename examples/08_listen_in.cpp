// 08 — Listen in: trainees and supervisors follow live calls read-only.
// The call never waits for them: events go into a bounded buffer that the
// listener polls when it likes. A supervisor may also coach: a whisper for
// the person's ears only, a note kept with the call.
//
//   dialer ──events──▶ Desk ──▶ Session ──actions──▶ dialer
//                        │
//                        └──▶ Subscription (bounded) ──poll()──▶ trainee's screen
//
//   greet ──agree──▶ advisor [escalate] ──▶ li joins ──▶ chen whispers,
//   li answers the price, chen notes ──▶ li finishes
#include <iostream>
#include <vector>

#include <patter/patter.hpp>

namespace {

constexpr const char* kScript = R"(patter: 1
id: renewal
version: "1"
locale: en-US
start: greet
intents:
  agree: ["yes", sure, okay]
  decline: ["no", not interested]
nodes:
  greet:
    say: Hi, your plan renews next month with twenty percent off. Shall an advisor explain it?
    routes: [{intent: agree, to: advisor}, {intent: decline, to: bye}]
  advisor: {say: "Great, connecting you now.", escalate: interested}
  bye: {say: No problem. Goodbye!, hangup: not_interested}
)";

}  // namespace

int main() {
  auto script = patter::load_string(kScript, "renewal.yaml").script;
  if (!script) return 1;
  patter::Desk desk;
  desk.add_agent("li");
  desk.add_agent("chen", {.capacity = 0, .auto_answer = false, .supervisor = true});
  const patter::Desk::Opened call = desk.open_call(script);
  std::shared_ptr<patter::Subscription> trainee = desk.listen(call->id);  // before the call starts

  patter::Turn turn;
  std::string assigned;
  desk.step(call->id, patter::Event::answered(0), turn);
  desk.step(call->id, patter::Event::utterance("sure, go ahead", 5000), turn, &assigned);
  std::cout << "escalation given to " << assigned << '\n';  // li is free: joined at once
  // chen coaches li: li hears the whisper, the customer does not.
  desk.whisper("chen", call->id, "mention the loyalty discount", 7000);
  desk.step(call->id, patter::Event::utterance("what does it cost?", 9000), turn);
  desk.say("li", call->id, "Twenty percent off, as a loyal customer.", 10000, turn);
  desk.note("chen", call->id, "good answer on price", 12000);
  desk.finish("li", call->id, 90000, turn, patter::HangupReason::completed);

  // The trainee's screen, polled whenever it suits it.
  std::vector<patter::ListenEvent> events;
  trainee->poll(events);
  for (const patter::ListenEvent& e : events) {
    std::cout << e.at_ms / 1000.0 << " s  " << patter::to_string(e.type);
    if (!e.text.empty()) std::cout << "  " << e.text;
    if (!e.agent.empty()) std::cout << "  (" << e.agent << ')';
    std::cout << '\n';
  }
  std::cout << "closed " << std::boolalpha << trainee->closed() << ", dropped "
            << trainee->dropped() << '\n';
}
