"""patter.DeskRouter: the desk's routing alone, for calls whose sessions
live elsewhere (a fleet's store)."""

import pytest

import patter


@pytest.fixture
def router():
    r = patter.DeskRouter()
    r.add_agent("li")
    r.add_agent("wang")
    r.add_agent("chen", capacity=0, auto_answer=False, supervisor=True)
    return r


def refused(status, fn, *args):
    with pytest.raises(patter.DeskError) as info:
        fn(*args)
    assert info.value.status == status, info.value


def test_open_escalate_queue_and_end(router):
    assert sorted(router.agents) == ["chen", "li", "wang"]
    assert router.open(1, "li").agent == "li"
    assert router.open(2, "li").agent == "li"
    assert router.open(3).agent == "wang"  # the least loaded
    refused("call_exists", router.open, 1)
    refused("unknown_agent", router.open, 9, "nobody")
    r = router.escalated(1, "high", 70.0, 1000)
    assert r.assigned == [patter.PersonAssignment(1, "li")] and not r.queued
    r = router.escalated(3, at=1000)
    assert [a.agent for a in r.assigned] == ["wang"]
    r = router.escalated(2, "normal", 10.0, 1500)
    assert r.queued and r.assigned == [] and router.queue == [2]
    refused("already_taken", router.escalated, 1, "normal", 0.0, 1600)
    with pytest.raises(ValueError):
        router.escalated(2, "soon", 0.0, 1600)
    call = router.call(2)
    assert call.waiting and call.queued and call.with_agent is None and call.escalated_at_ms == 1500
    # li's call ends: li takes the waiting one.
    r = router.ended(1, "escalated", 2000)
    assert r.assigned == [patter.PersonAssignment(2, "li")]
    assert router.call(1) is None and router.open_calls == 2
    with pytest.raises(ValueError):
        router.ended(2, "finished", 2000)
    refused("unknown_call", router.ended, 1, "escalated", 2000)
    r = router.hand_back("li", 2, 3000)
    assert r.assigned == []
    refused("not_with_agent", router.hand_back, "li", 2, 3000)
    assert router.grab("li", 2, 3500).assigned == [patter.PersonAssignment(2, "li")]
    refused("not_supervisor", router.grab, "wang", 2, 3500)
    refused("queue_empty", router.take_next, "chen", 3500)
    refused("not_waiting", router.gave_up, 3, 3600)
    for call in (2, 3):
        router.ended(call, "escalated", 4000)
    c = router.counters
    assert c.calls_opened == c.calls_ended == 3
    assert c.raised == c.taken + c.gave_up + c.ended_waiting
    assert router.stats("li").escalations == 2 and router.stats("li").grabs == 1
    assert len(router.all_stats()) == 3 and router.stats("nobody") is None
    assert router.assessment("li") is None
    assert "3 agents" in repr(router)


def test_supervisors(router):
    router.open(1, "li")
    router.open(2, "wang")
    router.open(3, "wang")
    router.escalated(1, at=1000)
    router.escalated(2, at=1000)
    assert router.escalated(3, at=1100).queued
    refused("not_permitted", router.take_over, "li", 1, 2000)
    r = router.take_over("chen", 1, 2000)
    assert r.assigned == [patter.PersonAssignment(1, "chen"), patter.PersonAssignment(3, "li")]
    assert router.call(1).with_agent == "chen"
    refused("agent_busy", router.barge, "chen", 2, 2500)
    router.ended(1, "escalated", 3000)
    r = router.barge("chen", 2, 3500)
    assert r.assigned == [patter.PersonAssignment(2, "chen")] and router.call(2).barged == "chen"
    router.leave("chen", 2, 4000)
    assert router.call(2).barged is None
    refused("not_with_agent", router.leave, "chen", 2, 4000)
    router.open(4, "li")
    router.escalated(4, at=4500)
    assert router.queue == [4]
    router.hand_back("wang", 2, 4600)  # wang is free: takes the queue's head
    assert router.call(4).with_agent == "wang"
    router.add_agent("sun", auto_answer=False)
    router.open(5, "sun")
    assert router.escalated(5, at=5000).queued
    refused("not_waiting", router.reassign, "chen", 2, "sun", 5000)
    r = router.reassign("chen", 5, "sun", 5100)
    assert r.assigned == [patter.PersonAssignment(5, "sun")]
    c = router.counters
    assert (c.take_overs, c.barges, c.reassigned) == (1, 1, 1)
    assert router.stats("chen").reassigned == 1
