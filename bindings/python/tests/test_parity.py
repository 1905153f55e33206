"""C++ capabilities that Python lacked: graph analysis and the agent's auto_answer."""

import patter
from patter import answered, say


def test_analyze(tiny):
    g = patter.analyze(tiny)
    assert isinstance(g, patter.GraphReport)
    assert g.unreachable == [] and g.dead_ends == [] and g.trap_cycles == []
    ends = {p.terminal: p for p in g.terminal_paths}
    assert set(ends) == {"transfer", "bye", "stop_close"}
    assert ends["bye"].path[0] == "hello" and ends["bye"].path[-1] == "bye"
    assert ends["bye"].turns == 1 and ends["transfer"].turns >= 2


def test_analyze_finds_an_unreachable_node(tiny):
    text = """\
patter: 1
id: orphaned
locale: en-US
start: a
nodes:
  a:
    say: Hi.
    hangup: completed
  lost:
    say: Nobody comes here.
    hangup: completed
"""
    g = patter.analyze(patter.load_string(text, "orphaned.yaml"))
    assert g.unreachable == ["lost"]
    assert [p.turns for p in g.terminal_paths if p.terminal == "lost"] == [-1]


def _escalate(desk, tiny):
    call = desk.open_call(tiny, {"name": "Ann"}).id
    desk.step(call, answered(0))
    desk.step(call, say("yes", 1000))
    return call, desk.step(call, say("interested", 2000))


def test_auto_answer_off_leaves_escalations_in_the_queue(tiny):
    desk = patter.Desk()
    desk.add_agent("li", auto_answer=False)
    call, turn = _escalate(desk, tiny)
    assert turn.assigned is None and desk.queue == [call]
    assert desk.call(call).phase == "waiting"
    assert desk.take_next("li", 3000).call == call and desk.call(call).with_agent == "li"


def test_auto_answer_on_by_default(tiny):
    desk = patter.Desk()
    desk.add_agent("li")
    call, turn = _escalate(desk, tiny)
    assert turn.assigned == "li" and desk.queue == []
