"""The desk: agents, escalations, the queue, grabs, listen-in, training."""

import threading

import pytest

import patter
from patter import agent_joined, answered, say, timer


@pytest.fixture
def desk():
    d = patter.Desk()
    d.add_agent("li", capacity=2)
    d.add_agent("wang", capacity=2, skills=["loans"])
    return d


def test_agents(desk):
    assert desk.agents == ["li", "wang"] or sorted(desk.agents) == ["li", "wang"]
    with pytest.raises(patter.DeskError) as info:
        desk.add_agent("li")
    assert info.value.status == "agent_exists" and "already exists" in str(info.value)
    with pytest.raises(patter.DeskError, match="unknown_agent"):
        desk.remove_agent("zhao")
    desk.add_agent("zhao")
    desk.remove_agent("zhao")
    assert "zhao" not in desk.agents
    assert "2 agents" in repr(desk)


def test_open_calls(desk, tiny):
    a = desk.open_call(tiny, {"name": "Ann"})
    b = desk.open_call(tiny, {"name": "Bo"})
    assert {a.agent, b.agent} == {"li", "wang"} and a.id != b.id
    c = desk.open_call(tiny, {"name": "Cy"}, agent="li")
    assert c.agent == "li"
    with pytest.raises(patter.DeskError, match="agent_has_calls"):
        desk.remove_agent("li")
    desk.open_call(tiny, {"name": "Di"})
    with pytest.raises(patter.DeskError, match="no_capacity"):
        desk.open_call(tiny, {"name": "Ed"})
    with pytest.raises(patter.StartError):
        patter.Desk().open_call(tiny, {})  # fails on the variables before any agent is needed
    assert desk.live_calls == 4
    info = desk.call(a.id)
    assert info.supervisor == a.agent and info.phase == "dialing" and info.with_agent is None
    assert desk.call(999) is None and desk.session(999) is None


def test_escalation_goes_to_the_free_supervisor(tiny):
    ended, assigned = [], []
    desk = patter.Desk(on_call_ended=lambda call, result: ended.append((call, result)),
                       on_assigned=lambda agent, call: assigned.append((agent, call)))
    desk.add_agent("li")
    call = desk.open_call(tiny, {"name": "Ann"}).id
    sub = desk.listen(call)
    t = desk.step(call, answered(0))
    assert t.said == ["Hi Ann, do you have a minute?"] and t.assigned is None
    desk.step(call, say("yes", 1000))
    t = desk.step(call, say("interested", 2000))
    assert t.assigned == "li"
    info = desk.call(call)
    assert info.with_agent == "li" and info.phase == "human"
    assert assigned == [("li", call)]

    desk.step(call, say("how much is it", 3000))
    help_ = desk.assist(call)
    assert help_.heard == "how much is it" and help_.intents == ["price"]
    assert help_.lines[0].text == "It is free." and help_.grade == "A"
    assert desk.session(call).phase == "human"

    t = desk.finish("li", call, 10000, reason="completed")
    assert t.call == call and desk.live_calls == 0
    (ended_call, result), = ended
    assert ended_call == call and result.outcome == "escalated" and result.hangup == "completed"

    types = [e.type for e in sub.poll()]
    assert types[0] == "robot_said" and "customer_said" in types and "joined" in types
    assert types[-1] == "ended" and sub.closed and sub.dropped == 0
    assert desk.counters.taken == 1 and desk.counters.raised == 1
    stats = desk.stats("li")
    assert stats.calls_supervised == 1 and stats.escalations == 1
    assert stats.outcomes == {"escalated": 1}
    assert desk.all_stats() == [stats] and desk.stats("nobody") is None
    assert '"agent":"li"' in stats.to_json()
    assert desk.call(call) is None


def test_busy_agent_queue_and_take_next(tiny):
    desk = patter.Desk(auto_assign=False)
    desk.add_agent("li", capacity=3)
    calls = [desk.open_call(tiny, {"name": n}).id for n in ("A", "B")]
    for c in calls:
        desk.step(c, answered(0))
        desk.step(c, say("yes", 1000))
    assert desk.step(calls[0], say("interested", 2000)).assigned == "li"
    assert desk.step(calls[1], say("interested", 2500)).assigned is None
    assert desk.queue == [calls[1]] and desk.call(calls[1]).queued
    with pytest.raises(patter.DeskError, match="agent_busy"):
        desk.take_next("li", 3000)
    t = desk.hand_back("li", calls[0], "offer", 4000)
    assert t.path == ["offer"]
    t = desk.take_next("li", 5000)
    assert t.call == calls[1] and desk.queue == []
    with pytest.raises(patter.DeskError, match="unknown_node"):
        desk.hand_back("li", calls[1], "nowhere", 6000)
    idle = patter.Desk()
    idle.add_agent("x")
    with pytest.raises(patter.DeskError, match="queue_empty"):
        idle.take_next("x", 0)
    with pytest.raises(patter.DeskError, match="unknown_agent"):
        idle.take_next("nobody", 0)


def test_grab_rules(desk, tiny):
    call = desk.open_call(tiny, {"name": "Ann"}, agent="li").id
    desk.step(call, answered(0))
    with pytest.raises(patter.DeskError, match="not_supervisor"):
        desk.grab("wang", call, 1000)
    with pytest.raises(patter.DeskError, match="unknown_call"):
        desk.grab("li", 12345, 1000)
    t = desk.grab("li", call, 1000)
    assert t.ok and desk.call(call).with_agent == "li"
    with pytest.raises(patter.DeskError) as info:
        desk.grab("li", call, 1100)
    assert info.value.status in ("already_taken", "agent_busy")
    with pytest.raises(patter.DeskError, match="not_with_agent"):
        desk.finish("wang", call, 1200)
    with pytest.raises(patter.DeskError, match="not_with_agent"):
        desk.step(call, agent_joined(1300))
    with pytest.raises(ValueError):
        desk.finish("li", call, 1400, reason="bored")
    desk.finish("li", call, 1500)
    with pytest.raises(patter.DeskError, match="unknown_call"):
        desk.step(call, say("hello", 2000))


def test_grab_race(tiny):
    # Two threads grab each call at once: exactly one wins every time.
    desk = patter.Desk()
    desk.add_agent("li", capacity=200)
    calls = [desk.open_call(tiny, {"name": "Ann"}).id for _ in range(100)]
    for c in calls:
        desk.step(c, answered(0))
    wins = {c: 0 for c in calls}
    losses = []
    lock = threading.Lock()

    def grabber():
        for c in calls:
            barrier.wait()
            try:
                desk.grab("li", c, 1000)
                with lock:
                    wins[c] += 1
            except patter.DeskError as e:
                losses.append(e.status)
            barrier.wait()
            if wins[c] == 1 and threading.current_thread() is threads[0]:
                desk.finish("li", c, 2000)

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=grabber) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(n == 1 for n in wins.values())
    assert len(losses) == len(calls) and set(losses) <= {"already_taken", "agent_busy", "unknown_call"}


def test_session_errors_are_event_errors(desk, tiny):
    call = desk.open_call(tiny, {"name": "Ann"}).id
    with pytest.raises(patter.EventError) as info:
        desk.step(call, say("hello", 0))
    assert info.value.status == "not_answered" and info.value.turn.status == "not_answered"
    desk.step(call, answered(0))
    with pytest.raises(patter.EventError, match="unknown_intent"):
        desk.step(call, patter.intent("nothing", 1.0, 10))


def test_hold_timers_and_giving_up(tiny):
    desk = patter.Desk(auto_assign=False)
    desk.add_agent("li")
    first = desk.open_call(tiny, {"name": "A"}).id
    second = desk.open_call(tiny, {"name": "B"}).id
    for c in (first, second):
        desk.step(c, answered(0))
        desk.step(c, say("yes", 100))
    desk.step(first, say("interested", 200))   # li takes it
    desk.step(second, say("interested", 300))  # queued: li is busy
    assert desk.due(1000) == []
    now, said = 300, []
    while desk.call(second) is not None and now < 60000:
        now += 1000
        for c in desk.due(now):
            said += desk.step(c, timer(now)).said
    assert "Please hold." in said
    assert desk.call(second) is None  # hung up: nobody came within hold.timeout_s
    counters = desk.counters
    assert counters.gave_up == 1 and counters.raised == counters.taken + counters.gave_up + counters.ended_waiting
    assert '"gave_up":1' in counters.to_json()


def test_listen_in_buffer_drops_oldest(desk, tiny):
    call = desk.open_call(tiny, {"name": "Ann"}).id
    sub = desk.listen(call, buffer=2)
    desk.step(call, answered(0))
    for at in range(1000, 5000, 1000):
        desk.step(call, say("how much", at))
    events = sub.poll(max=1)
    assert len(events) == 1 and events[0].call == call
    assert sub.dropped > 0
    assert "Subscription" in repr(sub)
    sub.close()
    assert sub.closed
    with pytest.raises(patter.DeskError, match="unknown_call"):
        desk.listen(424242)


def test_training_assessment(tiny):
    desk = patter.Desk()
    desk.add_agent("zhao", trainee=True)
    call = desk.open_call(tiny, {"name": "Ann"}).id
    desk.step(call, answered(0))
    desk.step(call, say("yes", 1000))
    t = desk.step(call, say("interested", 2000))
    assert t.assigned is None  # a trainee's call waits for the trainee's own grab
    desk.grab("zhao", call, 3000)
    a = desk.assessment("zhao")
    assert a.trainee == "zhao" and a.on_time == 1 and a.decisions[0].verdict == "on_time"
    assert a.decisions[0].offset_ms == 1000 and a.score == 1.0
    assert '"verdict":"on_time"' in a.to_json()
    assert desk.assessment("nobody") is None


def test_callback_exception_reaches_the_caller(tiny):
    def crm(call, result):
        raise ConnectionError("crm down")

    desk = patter.Desk(on_call_ended=crm)
    desk.add_agent("li")
    call = desk.open_call(tiny, {"name": "Ann"}).id
    desk.step(call, answered(0))
    with pytest.raises(ConnectionError) as info:
        desk.step(call, say("no", 1000))
    assert info.value.patter_turn.path == ["bye"]
    assert desk.live_calls == 0 and desk.counters.calls_ended == 1
    # The desk goes on.
    other = desk.open_call(tiny, {"name": "Bo"}).id
    assert desk.step(other, answered(2000)).ok


def test_many_threads_step_one_desk(tiny):
    desk = patter.Desk()
    desk.add_agent("li", capacity=1000)
    results = []

    def dial(n):
        for i in range(50):
            c = desk.open_call(tiny, {"name": f"c{n}-{i}"}).id
            desk.step(c, answered(0))
            results.append(desk.step(c, say("no thanks", 1000)).path)

    threads = [threading.Thread(target=dial, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200 and all(p == ["bye"] for p in results)
    assert desk.counters.calls_ended == 200 and desk.live_calls == 0
