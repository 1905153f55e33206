"""Supervisors on the desk: whisper, barge, take over, leave, notes,
reassign, a person's words and the handoff summary; roles and refusals."""

import threading

import pytest

import patter
from patter import answered, say


@pytest.fixture
def assigned():
    """What on_assigned heard: (agent, call)."""
    return []


@pytest.fixture
def floor(assigned):
    """li and wang sell; chen and zhou supervise (no robots, never auto-assigned)."""
    desk = patter.Desk(on_assigned=lambda agent, call: assigned.append((agent, call)))
    desk.add_agent("li")
    desk.add_agent("wang")
    for s in ("chen", "zhou"):
        desk.add_agent(s, capacity=0, auto_answer=False, supervisor=True)
    return desk


def robot_call(desk, tiny, agent, at=0):
    call = desk.open_call(tiny, {"name": "Ann"}, agent=agent, transcript=64).id
    desk.step(call, answered(at))
    return call


def escalated(desk, tiny, agent, at=0):
    call = robot_call(desk, tiny, agent, at)
    desk.step(call, say("yes", at + 1000))
    desk.step(call, say("interested", at + 2000))
    return call


def refused(status, fn, *args):
    with pytest.raises(patter.DeskError) as info:
        fn(*args)
    assert info.value.status == status, info.value
    return info.value


def test_roles(floor, tiny):
    call = escalated(floor, tiny, "li")
    assert floor.call(call).with_agent == "li"
    for op, args in ((floor.whisper, ("wang", call, "hi", 3000)),
                     (floor.barge, ("wang", call, 3000)),
                     (floor.take_over, ("wang", call, 3000)),
                     (floor.reassign, ("wang", call, "li", 3000)),
                     (floor.leave, ("wang", call, 3000))):
        err = refused("not_permitted", op, *args)
        assert "supervisor" in err.message
    refused("unknown_agent", floor.whisper, "nobody", call, "hi", 3000)
    refused("unknown_agent", floor.note, "nobody", call, "hi", 3000)
    refused("unknown_call", floor.take_over, "chen", 999, 3000)
    refused("unknown_call", floor.note, "chen", 999, "hi", 3000)
    assert floor.summary(999) is None and floor.notes(999) == []


def test_whisper_and_notes(floor, tiny):
    call = escalated(floor, tiny, "li")
    sub = floor.listen(call)
    floor.whisper("chen", call, "ask about the bill", 3000)
    floor.note("chen", call, "good rapport", 3500)
    floor.note("wang", call, "wants a brochure", 3600)
    refused("bad_text", floor.whisper, "chen", call, "   ", 3700)
    refused("bad_text", floor.note, "chen", call, b"\xff\xfe", 3700)
    events = sub.poll()
    assert [(e.type, e.agent, e.text) for e in events] == [
        ("whispered", "chen", "ask about the bill"),
        ("noted", "chen", "good rapport"),
        ("noted", "wang", "wants a brochure")]
    notes = floor.notes(call)
    assert [(n.author, n.text, n.at_ms) for n in notes] == [
        ("chen", "good rapport", 3500), ("wang", "wants a brochure", 3600)]
    assert floor.call(call).notes == notes
    assert all("bill" not in e.text for e in floor.session(call).transcript if e.who == "agent")
    robot = robot_call(floor, tiny, "wang")
    refused("not_with_agent", floor.whisper, "chen", robot, "hi", 1000)


def test_barge_say_and_leave(floor, tiny):
    call = escalated(floor, tiny, "li")
    t = floor.barge("chen", call, 3000)
    assert t.said == [] and floor.call(call).barged == "chen"
    floor.say("li", call, "My manager is here.", 4000)
    floor.say("chen", call, "Hello, I am Chen.", 5000)
    lines = [(e.who, e.speaker, e.text) for e in floor.session(call).transcript if e.who == "agent"]
    assert lines == [("agent", "li", "My manager is here."), ("agent", "chen", "Hello, I am Chen.")]
    refused("already_taken", floor.barge, "zhou", call, 5000)
    refused("not_with_agent", floor.say, "wang", call, "hi", 5000)
    refused("bad_text", floor.say, "li", call, "", 5000)
    floor.leave("chen", call, 6000)
    assert floor.call(call).barged is None
    refused("not_with_agent", floor.leave, "chen", call, 6000)
    c = floor.counters
    assert c.barges == 1 and c.take_overs == 0 and floor.stats("chen").barges == 1


def test_take_over_frees_the_person_for_the_next_call(floor, tiny, assigned):
    first = escalated(floor, tiny, "li")
    escalated(floor, tiny, "wang")
    waiting = escalated(floor, tiny, "li", 500)
    assert floor.call(waiting).queued
    raised = floor.counters.raised
    sub = floor.listen(first)
    t = floor.take_over("chen", first, 4000)
    assert t.call == first and t.said == []
    assert floor.call(first).with_agent == "chen"
    assert floor.call(waiting).with_agent == "li" and ("li", waiting) in assigned
    (e,) = sub.poll()
    assert (e.type, e.agent, e.text) == ("taken_over", "chen", "li")
    c = floor.counters
    assert c.raised == raised and c.take_overs == 1 and floor.stats("chen").take_overs == 1
    refused("already_taken", floor.take_over, "zhou", first, 4500)


def test_two_supervisors_at_once(floor, tiny):
    call = robot_call(floor, tiny, "li")
    results = []
    barrier = threading.Barrier(2)

    def go(who):
        barrier.wait()
        try:
            floor.take_over(who, call, 2000)
            results.append("ok")
        except patter.DeskError as e:
            results.append(e.status)

    threads = [threading.Thread(target=go, args=(s,)) for s in ("chen", "zhou")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["already_taken", "ok"]
    assert floor.call(call).with_agent in ("chen", "zhou")


def test_reassign_a_waiting_call(tiny):
    desk = patter.Desk(auto_assign=False)
    desk.add_agent("li")
    desk.add_agent("wang")
    desk.add_agent("chen", capacity=0, auto_answer=False, supervisor=True)
    busy = escalated(desk, tiny, "li")
    waiting = escalated(desk, tiny, "li", 500)
    assert desk.call(busy).with_agent == "li" and desk.call(waiting).queued
    refused("unknown_agent", desk.reassign, "chen", waiting, "nobody", 3000)
    refused("agent_busy", desk.reassign, "chen", waiting, "li", 3000)
    refused("already_taken", desk.reassign, "chen", busy, "wang", 3000)
    sub = desk.listen(waiting)
    desk.reassign("chen", waiting, "wang", 3000)
    assert desk.call(waiting).with_agent == "wang" and desk.queue == []
    (e,) = sub.poll()
    assert (e.type, e.agent, e.text) == ("reassigned", "wang", "chen")
    c = desk.counters
    assert c.reassigned == 1 and c.raised == c.taken
    robot = robot_call(desk, tiny, "wang")
    refused("not_waiting", desk.reassign, "chen", robot, "li", 4000)


def test_summary_and_notes_at_the_end(tiny):
    seen = {}
    desk = patter.Desk(on_call_ended=lambda call, result: seen.update(notes=desk.notes(call)))
    desk.add_agent("li")
    desk.add_agent("chen", capacity=0, auto_answer=False, supervisor=True)
    call = escalated(desk, tiny, "li")
    summary = desk.summary(call, 5000)
    assert summary["escalated"] is True and summary["script"] == "tiny"
    desk.note("chen", call, "call back Friday", 5000)
    desk.finish("li", call, 6000, reason="completed")
    assert [n.text for n in seen["notes"]] == ["call back Friday"]
    assert desk.notes(call) == []
