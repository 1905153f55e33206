"""Python raises where C++ returns a Result or a code: every runtime
exception carries the C++ code's name as ``code`` and says what to do."""

import pickle

import pytest

import patter


@pytest.mark.parametrize("variables, code, words", [
    ({}, "missing_variable", "name"),
    ({"name": "Ann", "nickname": "A"}, "unknown_variable", "nickname"),
    ({"name": "Ann", "bill": "lots"}, "bad_value", "bill"),
])
def test_start_error_codes(tiny, variables, code, words):
    with pytest.raises(patter.StartError) as info:
        patter.Session.start(tiny, variables)
    e = info.value
    assert e.code == code and words in e.message and str(e) == e.message
    e2 = pickle.loads(pickle.dumps(e))
    assert e2.code == code and e2.message == e.message


def test_open_call_names_the_start_error(tiny):
    desk = patter.Desk()
    desk.add_agent("li")
    with pytest.raises(patter.StartError) as info:
        desk.open_call(tiny, {"name": "Ann", "nickname": "A"})
    assert info.value.code == "unknown_variable" and "nickname" in info.value.message


def test_desk_error_says_what_to_do(tiny):
    desk = patter.Desk()
    with pytest.raises(patter.DeskError) as info:
        desk.open_call(tiny, {"name": "Ann"})
    e = info.value
    assert e.code == e.status == "no_capacity"
    assert "add an agent" in e.message and str(e) == f"no_capacity: {e.message}"
    e2 = pickle.loads(pickle.dumps(e))
    assert e2.code == "no_capacity" and e2.message == e.message


def test_restore_error_code(tiny):
    with pytest.raises(patter.RestoreError) as info:
        patter.Session.restore(tiny, b"nope")
    assert info.value.code == info.value.reason == "not_a_snapshot" and info.value.message


def test_event_error_code(tiny):
    call = patter.Session.start(tiny, {"name": "Ann"})
    with pytest.raises(patter.EventError) as info:
        call.step(patter.say("hello?", 1000))
    assert info.value.code == info.value.status == "not_answered"
    assert "send `answered` first" in info.value.description


@pytest.mark.parametrize("line, code", [
    ("{broken", "not_json"),
    ("[]", "not_a_result"),
    ('{"path": [], "grade": "A"}', "not_a_result"),
])
def test_stats_error_codes(tiny, line, code):
    with pytest.raises(patter.StatsError) as info:
        patter.Stats(tiny).add_json(line)
    assert info.value.code == code and info.value.reason
    assert pickle.loads(pickle.dumps(info.value)).code == code


def test_every_runtime_error_is_a_patter_error():
    for cls in (patter.StartError, patter.RestoreError, patter.EventError, patter.DeskError,
                patter.StatsError):
        assert issubclass(cls, patter.PatterError)
