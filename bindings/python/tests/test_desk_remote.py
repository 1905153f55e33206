"""patter.Desk routing calls whose sessions are the host's (remote calls),
next to the calls it owns."""

import pytest

import patter


def refused(status, fn, *args):
    with pytest.raises(patter.DeskError) as info:
        fn(*args)
    assert info.value.status == status, info.value


def test_ids_of_remote_calls():
    r = patter.remote_call(42)
    assert r == 42 | (1 << 63)
    assert patter.is_remote_call(r) and not patter.is_remote_call(42)
    assert patter.host_call_id(r) == 42
    with pytest.raises(ValueError):
        patter.remote_call(1 << 63)


def test_escalated_given_to_a_person_then_ended():
    assigned = []
    desk = patter.Desk(on_assigned=lambda agent, call: assigned.append((agent, call)))
    desk.add_agent("li")
    call = patter.remote_call(42)
    assert desk.open_remote(call).agent == "li"
    refused("call_exists", desk.open_remote, call)
    refused("owned_call", desk.open_remote, 42)
    r = desk.escalated(call, "high", 70.0, 1000)
    assert r.assigned == [patter.PersonAssignment(call, "li")] and not r.queued
    assert assigned == [("li", call)]
    info = desk.call(call)
    assert (info.with_agent, info.phase, info.remote, info.node) == ("li", "human", True, None)
    r = desk.ended(call, "escalated", 2000)
    assert r.assigned == [] and desk.call(call) is None
    refused("unknown_call", desk.ended, call, "escalated", 3000)
    with pytest.raises(ValueError):
        desk.ended(patter.remote_call(1), "later", 3000)
    c = desk.counters
    assert (c.raised, c.taken) == (1, 1)


def test_queue_gave_up_and_take_next():
    desk = patter.Desk(auto_assign=False)
    desk.add_agent("li", auto_answer=False)  # escalations wait for take_next
    a, b = patter.remote_call(1), patter.remote_call(2)
    desk.open_remote(a, "li")
    desk.open_remote(b, "li")
    assert desk.escalated(a, at=1000).queued
    assert desk.escalated(b, at=1100).queued
    assert desk.queue == [a, b]
    assert desk.gave_up(b, 1500).assigned == []
    refused("not_waiting", desk.gave_up, b, 1600)
    r = desk.take_next("li", 2000)  # a remote call taken: whom to bridge, not a Turn
    assert r.assigned == [patter.PersonAssignment(a, "li")]
    assert desk.hand_back("li", a, None, 3000).assigned == []
    assert desk.grab("li", a, 4000).assigned == [patter.PersonAssignment(a, "li")]
    refused("not_with_agent", desk.finish, "wang", a, 5000)
    assert desk.finish("li", a, 5000).assigned == []
    assert desk.stats("li").grabs == 1


def test_what_needs_a_session_says_remote_call(tiny):
    desk = patter.Desk()
    desk.add_agent("li")
    desk.add_agent("zhao", capacity=0, auto_answer=False, supervisor=True)
    call = patter.remote_call(9)
    desk.open_remote(call, "li")
    desk.escalated(call, at=1000)
    refused("remote_call", desk.step, call, patter.answered(1500))
    refused("unknown_call", desk.step, patter.remote_call(10), patter.answered(1500))
    refused("remote_call", desk.whisper, "zhao", call, "ask the budget", 2000)
    refused("remote_call", desk.take_over, "zhao", call, 2000)
    refused("remote_call", desk.note, "zhao", call, "good", 2000)
    refused("remote_call", desk.say, "li", call, "hello", 2000)
    assert desk.summary(call) is None
    assert desk.notes(call) == []
    # A remote event on an owned call is refused, and changes nothing.
    opened = desk.open_call(tiny, {"name": "Li"})
    refused("owned_call", desk.escalated, opened.id, "normal", 0.0, 1000)
    refused("owned_call", desk.script_escalated, opened.id, 1000)
    assert desk.call(opened.id).remote is False
