"""Snapshots: bytes out, a session back, and every way bytes can be wrong."""

import pytest

import patter
from conftest import TINY
from patter import say, silence


def mid_call(tiny):
    s = patter.Session.start(tiny, {"name": "Ann"}, transcript=8)
    s.step(patter.answered(0))
    s.step(say("how much", 1000))
    s.step(silence(8000))
    s.step(say("yes", 9000))
    return s


def test_round_trip_continues_identically(tiny):
    s = mid_call(tiny)
    data = s.snapshot()
    assert isinstance(data, bytes) and data
    moved = patter.Session.restore(tiny, data)
    assert moved.snapshot() == data
    assert (moved.node, moved.score, moved.tags, moved.variables) == (s.node, s.score, s.tags, s.variables)
    assert len(moved.transcript) == len(s.transcript)
    for at, text in [(10000, "150 dollars"), (11000, "interested")]:
        a, b = s.step(say(text, at)), moved.step(say(text, at))
        assert a.actions == b.actions
    assert moved.snapshot() == s.snapshot()
    assert moved.result() == s.result()


def test_restore_against_a_reloaded_script(tiny):
    data = mid_call(tiny).snapshot()
    again = patter.load_string(TINY, "tiny.yaml")
    assert patter.Session.restore(again, data).node == "pitch"


@pytest.mark.parametrize("damage, reason", [
    (lambda b: b[: len(b) // 2], "truncated"),
    (lambda b: b[:-1] + bytes([b[-1] ^ 0xFF]), "corrupted"),
    (lambda b: b"", "not_a_snapshot"),
    (lambda b: b"GET / HTTP/1.1\r\n\r\n" + b, "not_a_snapshot"),
])
def test_damaged_bytes(tiny, damage, reason):
    data = damage(mid_call(tiny).snapshot())
    with pytest.raises(patter.RestoreError) as info:
        patter.Session.restore(tiny, data)
    assert info.value.reason == reason and info.value.message
    assert isinstance(info.value, ValueError)


def test_every_flipped_byte_is_refused_or_harmless(tiny):
    data = mid_call(tiny).snapshot()
    for i in range(len(data)):
        bad = bytearray(data)
        bad[i] ^= 0x5A
        try:
            s = patter.Session.restore(tiny, bytes(bad))
        except patter.RestoreError as e:
            assert e.reason in ("not_a_snapshot", "version", "other_script", "truncated", "corrupted")
        else:  # a byte the checksum does not cover must still give a working call
            s.step(say("yes", 20000))


def test_other_script(tiny, solar):
    data = mid_call(tiny).snapshot()
    with pytest.raises(patter.RestoreError) as info:
        patter.Session.restore(solar, data)
    assert info.value.reason == "other_script"
    changed = patter.load_string(TINY.replace("It is free.", "It costs nothing."), "tiny.yaml")
    with pytest.raises(patter.RestoreError, match="other_script"):
        patter.Session.restore(changed, data)


def test_restore_arguments(tiny):
    with pytest.raises(TypeError):
        patter.Session.restore(tiny, "not bytes")
    with pytest.raises(TypeError):
        patter.Session.restore(None, b"")
