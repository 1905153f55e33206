"""A/B tests: the variant key at start, the variant in the result, and the
per-variant comparison in the statistics."""

import json

import patter
from patter import answered, say

AB = """patter: 1
id: ab
locale: en-US
intents:
  affirm: [yes, sure]
  negate: [no, nope]
start: offer
nodes:
  offer:
    say: "Would you like the premium plan?"
    variants:
      - {name: control, weight: 1}
      - {name: short, weight: 1, say: "Premium plan?"}
    routes:
      - {intent: affirm, to: sold}
      - {intent: negate, to: bye}
  sold: {say: "Great.", hangup: completed}
  bye: {say: "Bye.", hangup: not_interested}
grading:
  rules:
    - {grade: A, when: "reason == 'completed'"}
"""


def key_for(script, want):
    for i in range(1000):
        s = patter.Session.start(script, variant_key=f"lead-{i}")
        if s.variant("offer") == want:
            return f"lead-{i}"
    raise AssertionError(want)


def test_the_key_chooses_the_variant_and_the_result_records_it():
    script = patter.load_string(AB)
    s = patter.Session.start(script, variant_key=key_for(script, "short"))
    assert s.variant_seed != 0
    turn = s.step(answered(0))
    assert turn.actions[0].text == "Premium plan?"
    s.step(say("yes", 1000))
    r = s.result()
    assert r.variants == {"offer": "short"}
    assert r.to_dict()["variants"] == {"offer": "short"}
    assert json.loads(s.result_json())["variants"] == {"offer": "short"}
    assert s.variant("sold") is None


def test_without_a_key_the_control():
    script = patter.load_string(AB)
    s = patter.Session.start(script)
    assert s.variant_seed == 0 and s.variant("offer") == "control"
    assert "variants" not in s.result().to_dict()


def test_stats_compare_the_variants():
    script = patter.load_string(AB)
    stats = patter.Stats(script)
    for i in range(40):
        s = patter.Session.start(script, variant_key=f"k{i}")
        s.step(answered(0))
        s.step(say("yes" if s.variant("offer") == "short" else "no", 1000))
        stats.add(s.result())
    report = stats.report()
    (test,) = report.experiments
    assert test.experiment == "offer"
    control, short = test.variants
    assert control.variant == "control" and control.converted == 0
    assert short.converted == short.calls and short.calls + control.calls == 40
    assert short.verdict.startswith("short converts better than control")
    assert report.to_dict()["experiments"][0]["variants"][1]["verdict"] == short.verdict
