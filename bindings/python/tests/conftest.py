"""Shared fixtures: a small script written for these tests, and the bundled ones."""

import os
import pathlib

import pytest

import patter

ROOT = pathlib.Path(os.environ.get("PATTER_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
SCRIPTS = ROOT / "examples" / "scripts"

# Every kind of node, a global answer, an opt-out, a capture, grading and a
# hold policy, in a few lines.
TINY = """\
patter: 1
id: tiny
version: "1.0"
locale: en-US
variables:
  name: {type: string, required: true}
  bill: {type: number, default: 0}
  vip: {type: bool, default: false}
intents:
  affirm: [yes, sure, okay]
  negate: ["no", nope]
  interested:
    phrases: [interested]
    opposite: not_interested
    score: 30
  not_interested: [not interested]
  price: [how much, price]
  stop: [stop calling]
  tell_bill:
    patterns: ['(?<bill>\\d+) dollars']
start: hello
nodes:
  hello:
    say:
      - "Hi {name}, do you have a minute?"
      - "Hello again {name}, a minute?"
    routes:
      - {intent: affirm, to: pitch}
      - {intent: negate, to: bye}
    no_match: {retries: 1, then: bye}
    no_input: {retries: 1, then: bye}
  pitch:
    say: "We cut power bills. How much is yours?"
    tags: [pitched]
    routes:
      - {intent: tell_bill, to: offer, when: "bill > 100", tags: [high_bill]}
      - {intent: tell_bill, to: offer}
      - {intent: interested, to: transfer}
      - {intent: not_interested, to: bye}
      - {key: "1", to: transfer}
    no_match: {retries: 1, then: bye}
    no_input: {retries: 1, then: bye}
  offer:
    say: "Thanks. Interested in a free survey?"
    routes:
      - {intent: [affirm, interested], to: transfer}
      - {intent: any, to: bye}
    no_input: {retries: 1, then: bye}
  transfer:
    say: "Connecting you to a colleague."
    escalate: {reason: interested, priority: high}
  bye:
    say: "Thanks, goodbye."
    hangup: not_interested
  stop_close:
    say: "Sorry, we will not call again."
    hangup: opt_out
globals:
  - intent: price
    say: "It is free."
  - intent: stop
    goto: stop_close
grading:
  rules:
    - grade: A
      when: "escalations > 0"
  default: C
hold:
  while_waiting: lines
  say: ["Please hold."]
  interval_s: 5
  timeout_s: 20
"""


@pytest.fixture(scope="session")
def tiny():
    return patter.load_string(TINY, "tiny.yaml")


@pytest.fixture(scope="session")
def solar():
    return patter.load_file(SCRIPTS / "appointment.en-US.yaml")


@pytest.fixture(scope="session")
def screening():
    return patter.load_file(SCRIPTS / "screening.zh-CN.yaml")


@pytest.fixture
def call(tiny):
    """A tiny call, answered at 0."""
    s = patter.Session.start(tiny, {"name": "Ann"})
    s.step(patter.answered(0))
    return s
