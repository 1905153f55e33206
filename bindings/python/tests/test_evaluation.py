"""Measuring a script's understanding on labelled replies: patter.evaluate."""

import json

import pytest

import patter
from conftest import ROOT

EVAL = ROOT / "tests" / "data" / "eval"

SCRIPT = """\
patter: 1
id: shop
locale: en-US
intents:
  affirm: [yes, sure]
  stop: [stop calling]
start: ask
nodes:
  ask:
    say: A minute?
    routes:
      - {intent: affirm, to: bye}
      - {intent: stop, to: bye}
  bye:
    say: Bye.
    hangup: completed
"""

# Four replies, three right: "hmm" is not understood.
SET = "label\treply\tcategory\naffirm\tyes\tplain\naffirm\thmm\tbackchannel\nstop\tno, stop calling\ttwo\nnone\tbanana\tplain\n"


@pytest.fixture
def shop():
    return patter.load_string(SCRIPT, "shop.yaml")


@pytest.fixture
def small_set(tmp_path):
    path = tmp_path / "small.tsv"
    path.write_text(SET, encoding="utf-8")
    return path


def test_figures_overall_per_intent_and_per_category(shop, small_set):
    e = patter.evaluate(shop, small_set)
    assert isinstance(e, patter.Evaluation)
    assert (e.script, e.total, e.correct) == ("shop", 4, 3)
    assert e.accuracy == pytest.approx(0.75)
    assert list(e.intents) == ["affirm", "stop", "none"]
    affirm = e.intents["affirm"]
    assert isinstance(affirm, patter.IntentScore)
    assert (affirm.expected, affirm.predicted, affirm.correct) == (2, 1, 1)
    assert affirm.precision == 1.0 and affirm.recall == affirm.accuracy == 0.5
    assert affirm.f1 == pytest.approx(2 / 3)
    assert e.recall("stop") == 1.0
    assert e.recall("never_labelled") == 1.0
    assert e.categories["backchannel"].accuracy == 0.0
    assert e.categories["plain"].total == 2
    assert e.labels == ["affirm", "stop", "none"]
    assert e.confusion == [[1, 0, 1], [0, 1, 0], [0, 0, 1]]


def test_misses_carry_the_line_and_the_matchers_explanation(shop, small_set):
    (miss,) = patter.evaluate(shop, small_set).misses
    assert (miss.file, miss.line) == (str(small_set), 3)
    assert (miss.reply, miss.expected, miss.got, miss.categories) == ("hmm", "affirm", "none", ["backchannel"])
    assert "none" in repr(miss)
    assert isinstance(miss.explain, str) and miss.explain


def test_text_and_json(shop, small_set):
    e = patter.evaluate(shop, small_set)
    assert "3 of 4 replies understood, accuracy 75.0%" in e.to_text()
    assert "misses (1)" not in e.to_text()
    assert "misses (1)" in e.to_text(misses=True)
    assert e.to_dict() == json.loads(e.to_json())
    assert e.to_dict()["intents"][0]["intent"] == "affirm"


def test_a_broken_set_raises_with_its_place(shop, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("label\treply\tcategory\naffirm\tyes\n", encoding="utf-8")
    with pytest.raises(patter.EvaluationError) as info:
        patter.evaluate(shop, bad)
    e = info.value
    assert isinstance(e, patter.ScriptError) and isinstance(e, patter.PatterError)
    assert (e.line, e.column, e.code) == (2, 11, "P012")
    with pytest.raises(patter.EvaluationError) as info:
        patter.evaluate(shop, tmp_path / "missing.tsv")
    assert info.value.code == "P001"
    utf = tmp_path / "utf.tsv"
    utf.write_bytes(b"label\treply\tcategory\naffirm\t\xffyes\tplain\n")
    with pytest.raises(patter.EvaluationError) as info:
        patter.evaluate(shop, utf)
    assert (info.value.code, info.value.line, info.value.column) == ("P003", 2, 8)
    with pytest.raises(patter.EvaluationError) as info:
        patter.evaluate(shop, bad, max_file_bytes=10)
    assert info.value.code == "P002"


def test_a_label_the_script_lacks(shop, tmp_path):
    path = tmp_path / "ahead.tsv"
    path.write_text("label\treply\tcategory\naffirm\tyes\tplain\nconsidering\tlet me think\tplain\n", encoding="utf-8")
    with pytest.raises(patter.EvaluationError) as info:
        patter.evaluate(shop, path)
    assert (info.value.code, info.value.line) == ("P023", 3)
    assert "`considering`" in str(info.value)
    e = patter.evaluate(shop, path, allow_unknown_labels=True)
    assert [d.severity for d in e.diagnostics] == ["warning"]
    assert (e.total, e.correct) == (2, 1)
    assert e.intents["considering"].correct == 0


def test_the_bundled_sets_evaluate_on_their_scripts():
    for locale, at_least in (("zh-CN", 650), ("en-US", 330)):
        script = patter.load_file(EVAL / f"common.{locale}.yaml")
        assert not [d for d in script.diagnostics if d.severity != "note"]  # every intent used: no warnings
        e = patter.evaluate(script, EVAL / f"{locale}.tsv", allow_unknown_labels=True)
        assert e.total >= at_least
        assert 0 < e.accuracy <= 1
        assert e.intents["opt_out"].expected >= 60
