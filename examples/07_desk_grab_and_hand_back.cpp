// 07 — Desk: grab and hand back. A person supervises robots; they may take
// any call at any moment, see what the script would say, and give the call
// back to the robot at a node of their choice.
//
//   robot:  greet ──▶ offer ─ ─ grab ─ ─▶ person talks (the session listens, suggests)
//                                           │ hand_back(confirm)
//   robot:  close ◀──agree── confirm ◀──────┘
#include <iostream>

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
  ask_price: [how much, price, cost]
nodes:
  greet:
    say: Hi, your plan renews next month. Can I tell you about the discount?
    routes: [{intent: agree, to: offer}, {intent: decline, to: bye}]
  offer:
    say: It is twenty percent off if you renew this week. Shall I renew it for you?
    routes: [{intent: agree, to: confirm}, {intent: decline, to: bye}]
  confirm:
    say: Shall I send the confirmation to your email on file?
    routes: [{intent: agree, to: close}, {intent: decline, to: close}]
  close: {say: Done. Thank you and goodbye!, hangup: completed}
  bye: {say: No problem. Goodbye!, hangup: not_interested}
globals:
  - {intent: ask_price, say: It is forty dollars a month after the discount.}
)";

void robot(const patter::Turn& turn) {
  for (const patter::Action& a : turn.actions())
    if (a.type == patter::ActionType::say) std::cout << "  robot: " << a.text << '\n';
}

}  // namespace

int main() {
  auto script = patter::load_string(kScript, "renewal.yaml").script;
  if (!script) return 1;
  patter::Desk desk;
  desk.add_agent("li", {.capacity = 3});
  patter::Desk::Opened call = desk.open_call(script);  // supervised by li
  patter::Turn turn;

  desk.step(call->id, patter::Event::answered(0), turn);
  robot(turn);
  desk.step(call->id, patter::Event::utterance("yes", 4000), turn);
  robot(turn);

  // li hears a hesitant customer and takes the call; the robot goes quiet.
  patter::DeskStatus s = desk.grab("li", call->id, 9000, turn);
  std::cout << "li grabs: " << patter::to_string(s) << ", phase "
            << patter::to_string(desk.call(call->id)->phase) << '\n';
  desk.step(call->id, patter::Event::utterance("hmm, how much is it after the discount?", 12000),
            turn);
  // The session keeps listening and suggests the script's next lines.
  if (auto help = desk.assist(call->id)) {
    std::cout << "  customer: " << help->heard << '\n';
    for (const patter::Suggestion& line : help->lines)
      std::cout << "  suggested: " << line.text << '\n';
  }
  desk.step(call->id, patter::Event::utterance("ok, renew it", 30000), turn);

  // li hands the call back at `confirm`; the robot says that node's line.
  s = desk.hand_back("li", call->id, *script->find_node("confirm"), 32000, turn);
  std::cout << "li hands back: " << patter::to_string(s) << '\n';
  robot(turn);
  desk.step(call->id, patter::Event::utterance("yes please", 38000), turn);
  robot(turn);

  const patter::AgentStats li = *desk.stats("li");
  std::cout << "li: " << li.grabs << " grab, " << li.hand_backs << " hand-back; calls ended "
            << desk.counters().calls_ended << '\n';
}
