"""patter.Training: a trainee's session on simulated customers, and its report."""
import json
from pathlib import Path

import pytest

import patter

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def solar():
    script = patter.load_file(EXAMPLES / "scripts" / "appointment.en-US.yaml")
    personas = patter.load_personas_file(EXAMPLES / "personas" / "appointment.en-US.personas.yaml", script)
    return script, personas


def run_until(training, stop):
    seen = []
    while training.advance():
        for e in training.poll():
            seen.append(e)
            if stop(e):
                return e, seen
    return None, seen


def test_a_trainee_takes_an_escalation_and_is_assessed(solar):
    script, personas = solar
    t = patter.Training(script, personas, calls=2, seed=3, forbidden=["best price"])
    e, seen = run_until(t, lambda e: e["type"] == "escalated")
    assert e is not None and seen[0]["type"] == "dialed"
    assert e["node"] == "hot_transfer"
    assert t.waiting == [e["call"]]
    t.grab(e["call"])
    assert t.talking == e["call"]
    t.say(e["call"], "We offer a free home survey; it takes 45 minutes. It's the best price, risk-free!")
    t.finish(e["call"], "completed")
    run_until(t, lambda e: False)
    assert t.done
    r = t.report()
    assert r.taken == 1 and r.forbidden == 2 and not r.passed
    call = r.calls[0]
    assert call["taken_at"] == "offer_survey"
    assert call["grab"]["verdict"] == "on_time"
    assert [f["phrase"] for f in call["forbidden"]] == ["best price", "risk-free"]  # in the order said
    assert any(k["covered"] and k["text"] == "It takes about 45 minutes" for k in call["key_points"])
    assert json.loads(r.to_json())["totals"]["forbidden"] == 2
    assert "took over at offer_survey; grab on_time" in r.to_text()
    assert r.to_dict()["passed"] is False


def test_refused_actions_raise_training_error(solar):
    script, personas = solar
    t = patter.Training(script, personas, calls=1, seed=3)
    e, _ = run_until(t, lambda e: e["type"] == "escalated")
    with pytest.raises(patter.TrainingError) as err:
        t.say(e["call"], "hello")
    assert err.value.code == "not_taken"
    with pytest.raises(patter.TrainingError) as err:
        t.grab(12345)
    assert err.value.code == "unknown_call"
    t.grab(e["call"])
    with pytest.raises(patter.TrainingError) as err:
        t.say(e["call"], "   ")
    assert err.value.code == "empty_words"
    with pytest.raises(patter.TrainingError) as err:
        t.say(e["call"], "x" * 5000)
    assert err.value.code == "too_long"
    t.say(e["call"], b"free \xff survey")  # bytes that are not UTF-8 read as U+FFFD
    assert t.report().calls[0]["lines"][0]["text"] == "free \ufffd survey"
    with pytest.raises(patter.TrainingError) as err:
        t.hand_back(e["call"], "nowhere")
    assert err.value.code == "unknown_node"
    with pytest.raises(ValueError):
        t.finish(e["call"], "maybe")
    t.hand_back(e["call"], "offer_survey")
    assert t.talking is None


def test_bad_options(solar):
    script, personas = solar
    with pytest.raises(ValueError):
        patter.Training(script, personas, calls=0)
    other = patter.load_file(EXAMPLES / "scripts" / "screening.zh-CN.yaml")
    with pytest.raises(ValueError):
        patter.Training(other, personas)
