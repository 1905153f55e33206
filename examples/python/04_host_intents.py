#!/usr/bin/env python3
"""04 — Host intents (twin of examples/04_host_intents.cpp).

    ASR ──▶ host NLU ──(intent, confidence)──▶ patter.intent(...) ──▶ Session
    opening ──affirm──▶ intro ──interested──▶ ask_owner ──renter──▶ renter_close
"""
import pathlib

import patter

SCRIPTS = pathlib.Path(__file__).resolve().parent.parent / "scripts"

script = patter.load_file(SCRIPTS / "appointment.en-US.yaml")
call = patter.Session.start(script, {"first_name": "Sam"})
call.step(patter.answered(0))

now = 0
for label, confidence in [("affirm", 0.97), ("interested", 0.81)]:
    now += 5000
    turn = call.step(patter.intent(label, confidence, now))
    print(f"host heard {label} ({confidence}): {turn.status}, now at {call.node}")
print(turn.explain())

# An intent the script does not have is refused, and the call is unchanged.
try:
    call.step(patter.intent("wants_pizza", 1.0, now + 1000))
except patter.EventError as e:
    print(f"unknown intent refused: {e}; still at {call.node}")

call.step(patter.intent("renter", 0.9, now + 5000))
print(f"outcome {call.result().outcome}, tags: {' '.join(call.tags)}")
