#!/usr/bin/env python3
"""01 — Load and validate (twin of examples/01_load_and_validate.cpp).

    YAML ──load_file / load_string──▶ Script         (warnings in .diagnostics)
                                  └──▶ ScriptError    file:line:col, code, hint

    PYTHONPATH=build/bindings/python python3 examples/python/01_load_and_validate.py
"""
import pathlib
import sys

import patter

SCRIPTS = pathlib.Path(__file__).resolve().parent.parent / "scripts"

# Two mistakes an author makes: a misspelt key and a route to a node that is not there.
BROKEN = """\
patter: 1
id: broken
version: "1"
locale: en-US
start: greet
intents:
  agree: ["yes", sure]
nodes:
  greet:
    say: Hi, shall I book you in?
    routes:
      - {intent: agree, to: bookd}
    no_inptu: {retries: 1, then: bye}
  booked:
    say: Done, goodbye!
    hangup: completed
  bye:
    say: Goodbye!
    hangup: not_interested
"""

path = sys.argv[1] if len(sys.argv) > 1 else SCRIPTS / "screening.zh-CN.yaml"
script = patter.load_file(path)
print(f"{script.id} {script.version}: {len(script.nodes)} nodes, {len(script.intents)} intents, "
      f"starts at {script.start}")

try:
    patter.load_string(BROKEN, "broken.yaml")
except patter.ScriptError as e:
    for d in e.errors:
        print(f"{d.file}:{d.line}:{d.column}: {d.code} {d.message}" + (f"; {d.hint}" if d.hint else ""))
    print("broken.yaml: refused, no script")
else:
    sys.exit("the broken script loaded")
