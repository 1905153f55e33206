#!/usr/bin/env python3
"""07 — Desk: grab and hand back (twin of examples/07_desk_grab_and_hand_back.cpp).

    robot: greet ──▶ offer ─ ─ grab ─ ─▶ person talks (the session listens, suggests)
           close ◀──agree── confirm ◀──hand_back("confirm")
"""
import patter

SCRIPT = """\
patter: 1
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
"""


def robot(turn):
    for line in turn.said:
        print("  robot:", line)


script = patter.load_string(SCRIPT, "renewal.yaml")
desk = patter.Desk()
desk.add_agent("li", capacity=3)
call = desk.open_call(script).id  # supervised by li

robot(desk.step(call, patter.answered(0)))
robot(desk.step(call, patter.say("yes", 4000)))

desk.grab("li", call, 9000)  # raises DeskError if someone else was faster
print(f"li grabs: phase {desk.call(call).phase}")
desk.step(call, patter.say("hmm, how much is it after the discount?", 12000))
assist = desk.assist(call)
print("  customer:", assist.heard)
for line in assist.lines:
    print("  suggested:", line.text)
desk.step(call, patter.say("ok, renew it", 30000))

robot(desk.hand_back("li", call, "confirm", 32000))
robot(desk.step(call, patter.say("yes please", 38000)))
li = desk.stats("li")
print(f"li: {li.grabs} grab, {li.hand_backs} hand-back; calls ended {desk.counters.calls_ended}")
