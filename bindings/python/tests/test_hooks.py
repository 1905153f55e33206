"""Observers: hooks in order, and exceptions that reach the caller."""

import pytest

import patter
from patter import agent_joined, agent_left, answered, say


class Recorder(patter.Observer):
    def __init__(self):
        self.seen = []

    def node_entered(self, session, node):
        self.seen.append(("node", node))

    def said(self, session, action):
        self.seen.append(("said", action.text))

    def tagged(self, session, tag):
        self.seen.append(("tag", tag))

    def escalated(self, session, action):
        self.seen.append(("escalated", action.reason))

    def turn(self, session, turn):
        self.seen.append(("turn", turn.decision))

    def call_ended(self, session, result):
        self.seen.append(("ended", result.outcome))


def test_hooks_in_order(tiny):
    rec = Recorder()
    s = patter.Session.start(tiny, {"name": "Ann"}, observer=rec)
    assert s.observer is rec
    s.step(answered(0))
    assert rec.seen == [("node", "hello"), ("said", "Hi Ann, do you have a minute?"), ("turn", "start")]
    rec.seen.clear()
    s.step(say("yes", 1000))
    assert rec.seen == [("node", "pitch"), ("tag", "pitched"), ("said", "We cut power bills. How much is yours?"),
                        ("turn", "route")]
    rec.seen.clear()
    s.step(say("interested", 2000))
    assert ("escalated", "interested") in rec.seen
    rec.seen.clear()
    s.step(agent_joined(3000))
    s.step(agent_left(4000, reason="completed"))
    assert ("ended", "escalated") in rec.seen


def test_hooks_get_the_session(tiny):
    sessions = []

    class Spy(patter.Observer):
        def turn(self, session, turn):
            sessions.append((session, session.node, turn.path))

    s = patter.Session.start(tiny, {"name": "Ann"}, observer=Spy())
    s.step(answered(0))
    assert sessions == [(s, "hello", ["hello"])]


class Boom(Exception):
    pass


class Failing(Recorder):
    def said(self, session, action):
        super().said(session, action)
        raise Boom(action.text)


def test_hook_exception_reaches_the_caller_after_the_step(tiny):
    rec = Failing()
    s = patter.Session.start(tiny, {"name": "Ann"}, observer=rec)
    twin = patter.Session.start(tiny, {"name": "Ann"})
    with pytest.raises(Boom) as info:
        s.step(answered(0))
    # The step completed; the other hooks ran; the Turn is on the exception.
    assert str(info.value) == "Hi Ann, do you have a minute?"
    assert ("turn", "start") in rec.seen
    turn = info.value.patter_turn
    assert turn.said == ["Hi Ann, do you have a minute?"] and turn.ok
    twin.step(answered(0))
    assert s.snapshot() == twin.snapshot() and s.phase == "robot"
    # The traceback points into the hook.
    assert any(f.name == "said" for f in __import__("traceback").extract_tb(info.value.__traceback__))
    # The call goes on.
    with pytest.raises(Boom):
        s.step(say("yes", 1000))
    twin.step(say("yes", 1000))
    assert s.snapshot() == twin.snapshot() and s.node == "pitch"
    s.observer = None
    s.step(say("interested", 2000))
    assert s.phase == "waiting"


def test_only_the_first_exception_is_raised(tiny):
    class Twice(patter.Observer):
        def node_entered(self, session, node):
            raise KeyError("first")

        def turn(self, session, turn):
            raise RuntimeError("second")

    s = patter.Session.start(tiny, {"name": "Ann"}, observer=Twice())
    with pytest.raises(KeyError, match="first"):
        s.step(answered(0))


def test_exception_without_attributes_is_raised_as_it_is(tiny):
    class Plain(patter.Observer):
        def turn(self, session, turn):
            raise StopIteration  # built-in: still takes attributes; None-like types are rare

    s = patter.Session.start(tiny, {"name": "Ann"}, observer=Plain())
    with pytest.raises(StopIteration):
        s.step(answered(0))


def test_call_ended_hook_exception(tiny):
    class Crm(patter.Observer):
        def call_ended(self, session, result):
            raise IOError("crm down")

    s = patter.Session.start(tiny, {"name": "Ann"}, observer=Crm())
    s.step(answered(0))
    with pytest.raises(OSError, match="crm down"):
        s.step(say("no", 1000))
    assert s.ended and s.result().hangup == "not_interested"


def test_any_object_with_hook_methods(tiny):
    class Duck:
        def __init__(self):
            self.nodes = []

        def node_entered(self, session, node):
            self.nodes.append(node)

    duck = Duck()
    s = patter.Session.start(tiny, {"name": "Ann"})
    s.observer = duck
    s.step(answered(0))
    s.step(say("yes", 10))
    assert duck.nodes == ["hello", "pitch"]


def test_a_fork_keeps_the_observer(tiny):
    rec = Recorder()
    s = patter.Session.start(tiny, {"name": "Ann"}, observer=rec)
    s.step(answered(0))
    fork = s.copy()
    assert fork.observer is rec
    rec.seen.clear()
    fork.step(say("yes", 10))
    assert ("node", "pitch") in rec.seen


def test_the_base_observer_does_nothing(tiny):
    s = patter.Session.start(tiny, {"name": "Ann"}, observer=patter.Observer())
    assert s.step(answered(0)).ok
