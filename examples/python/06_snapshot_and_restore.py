#!/usr/bin/env python3
"""06 — Snapshot and restore (twin of examples/06_snapshot_and_restore.cpp).

    worker A: answered, "yes" ──snapshot()──▶ bytes ──▶ store
    worker B: store ──▶ bytes ──Session.restore(script, bytes)──▶ the same call goes on
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
nodes:
  greet:
    say: Hi, is this {name}?
    routes: [{intent: agree, to: offer}, {intent: decline, to: bye}]
  offer:
    say: Your plan renews with twenty percent off. Shall an advisor call you?
    routes: [{intent: agree, to: advisor}, {intent: decline, to: bye}]
  advisor: {say: Great. An advisor will call you today., hangup: completed}
  bye: {say: No problem. Goodbye!, hangup: not_interested}
variables:
  name: {default: there}
"""

# Worker A
script_a = patter.load_string(SCRIPT, "renewal.yaml")
call = patter.Session.start(script_a, {"name": "Alex"})
call.step(patter.answered(0))
call.step(patter.say("yes", 3000))
data = call.snapshot()
print(f"worker A: at {call.node}, snapshot of {len(data)} bytes")

# Worker B loaded the same script itself: the fingerprints agree.
script_b = patter.load_string(SCRIPT, "renewal.yaml")
print(f"fingerprints {script_a.fingerprint} and {script_b.fingerprint}")
same = patter.Session.restore(script_b, data)
same.step(patter.say("sure", 7000))
print(f"worker B: {same.variable('name')} went on to {same.node}, outcome {same.result().outcome}")

# A changed script, or damaged bytes, are refused with a reason.
script_c = patter.load_string(SCRIPT.replace("twenty", "thirty"), "renewal.yaml")
for what, script, blob in [("other script", script_c, data),
                           ("damaged bytes", script_b, data[:40] + bytes([data[40] ^ 0x5A]) + data[41:])]:
    try:
        patter.Session.restore(script, blob)
    except patter.RestoreError as e:
        print(f"{what}: {e.reason}")
