#!/usr/bin/env python3
"""02 — One call (twin of examples/02_one_call.cpp).

    answered(t) / say("...", t) / silence(t) ──▶ Session.step ──▶ Turn.actions
                                                                  say, listen, hangup, ...
    opening → intro → ask_owner → ask_bill → roof_check → offer_survey → ... → booked_close
    a `fetch` action ◀── the host looks it up ──▶ data({...}, t, fetch=its id)
"""
import pathlib

import patter

SCRIPTS = pathlib.Path(__file__).resolve().parent.parent / "scripts"

script = patter.load_file(SCRIPTS / "appointment.en-US.yaml")
call = patter.Session.start(script, {"first_name": "Dana"})  # StartError if a field is wrong


now = 0  # the host's clock, in ms


def step(event):
    """Step the call and carry out what it says. A `fetch` asks the host for
    data (here: is the day free in the surveyors' calendar?): the host looks
    it up and answers with a `data` event before the action's deadline."""
    global now
    while event is not None:
        turn = call.step(event)
        event = None
        for a in turn.actions:
            if a.type == "say":
                print("  robot:", a.text)
            elif a.type == "hangup":
                print(f"  [hang up: {a.reason}]")
            elif a.type == "fetch":
                print(f"  [the dialer looks up {a.text}]")
                now += 500
                event = patter.data({"slot_free": True}, now, fetch=a.fetch)


step(patter.answered(now))
for words in ["yes, speaking", "sure", "we own it", "about 180 dollars a month", "full sun",
              None, "saturday morning", "yes"]:
    now += 8000
    print("customer:", words or "(silence)")
    # None stands for a listen that timed out: silence.
    step(patter.say(words, now) if words else patter.silence(now))
    if call.ended:
        break

result = call.result()
print(f"outcome {result.outcome}, grade {result.grade}, {result.turns} turns, {len(result.path)} nodes")
