"""Script.understand: intents, negation, captures, bad input."""

import patter


def test_phrases_and_explain(tiny):
    u = tiny.understand("Sure, go on")
    assert u and u.matched and u.intent == "affirm"
    best = u.best
    assert best.intent == "affirm" and best.source == "phrase" and best.confidence == 1.0
    assert best.text == "sure" and best.end > best.begin
    assert u.normalized == "sure go on"
    assert "affirm" in u.explain()
    assert "affirm" in repr(u)


def test_negation_flips_to_the_opposite(tiny):
    u = tiny.understand("I'm really not interested")
    assert u.intent == "not_interested"
    u = tiny.understand("I am not so interested")
    assert u.best.negated and u.best.original == "interested" and u.intent == "not_interested"


def test_several_intents_best_first(tiny):
    u = tiny.understand("yes, and how much is it")
    assert {m.intent for m in u.intents} == {"affirm", "price"}
    assert u.intents[0] == u.best


def test_captures(tiny):
    u = tiny.understand("about 150 dollars")
    assert u.intent == "tell_bill" and u.best.source == "pattern"
    assert u.captures == {"bill": 150.0}


def test_nothing_understood(tiny):
    u = tiny.understand("the weather is lovely")
    assert not u and u.best is None and u.intent is None and u.intents == []
    assert u.length == len("the weather is lovely")


def test_suppressed(solar):
    u = solar.understand("I am not interested")
    for match, why in u.suppressed:
        assert isinstance(match, patter.IntentMatch)
        assert why in ("overlapped", "word_boundary", "negated", "below_threshold", "question", "double_negation")


def test_invalid_utf8_is_handled(tiny):
    u = tiny.understand(b"\xff\xfeyes")
    assert u.invalid_utf8 and u.intent == "affirm"
    # A str with a lone surrogate reaches the library as the bad bytes it escapes.
    u = tiny.understand("yes \udcff")
    assert u.invalid_utf8 and u.intent == "affirm"
    u = tiny.understand(bytearray(b"nope"))
    assert u.intent == "negate"


def test_huge_text_is_truncated(tiny):
    u = tiny.understand("yes " * 100_000)
    assert u.truncated and u.intent == "affirm"


def test_chinese(screening):
    u = screening.understand("嗯，不是很感兴趣")
    assert u.intent is not None and "感兴趣" in u.explain()
