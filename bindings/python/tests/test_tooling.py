"""The tools: personas and simulated campaigns, funnel statistics, conversation tests."""

import json
import pickle
import threading

import pytest

import patter
from conftest import ROOT, SCRIPTS

PERSONAS = ROOT / "examples" / "personas"

TINY_PERSONAS = """\
patter_personas: 1
script: tiny
variables:
  name: [Ann, Bob]
personas:
  keen:
    share: 3
    answer: 0.9
    nodes:
      hello: {affirm: 9, silence: 1}
      pitch: {interested: 5, key_1: 1}
  cold:
    share: 1
    nodes:
      hello: {negate: 5, hangup: 1}
"""

TINY_TESTS = """\
variables:
  name: Ann
cases:
  - name: interested goes to a person
    turns:
      - customer: yes
        node: pitch
      - customer: I am interested
        node: transfer
    expect:
      escalation: interested
      grade: A
  - name: a wrong expectation
    turns:
      - customer: yes
        node: bye
"""


# ---- personas -------------------------------------------------------------------

def test_load_personas_string(tiny):
    p = patter.load_personas_string(TINY_PERSONAS, tiny, "tiny.personas.yaml")
    assert p.names == ["keen", "cold"] and len(p) == 2
    keen = p.personas[0]
    assert isinstance(keen, patter.Persona)
    assert keen.share == 3 and keen.answer == pytest.approx(0.9)
    assert keen.ring_ms[0] <= keen.ring_ms[1]
    assert p.script == tiny
    assert "keen" in repr(p)


def test_load_personas_file(solar):
    p = patter.load_personas_file(PERSONAS / "appointment.en-US.personas.yaml", solar)
    assert "keen_owner" in p.names
    assert all(d.severity != "error" for d in p.diagnostics)
    again = patter.load_personas_file(str(PERSONAS / "appointment.en-US.personas.yaml"), solar)
    assert again.names == p.names


def test_default_personas(tiny):
    p = patter.default_personas(tiny)
    assert len(p) == 1 and p.diagnostics == []


def test_bad_persona_yaml(tiny):
    bad = TINY_PERSONAS.replace("hello: {negate: 5, hangup: 1}", "nowhere: {negate: 5}")
    with pytest.raises(patter.PersonaError) as info:
        patter.load_personas_string(bad, tiny, "bad.personas.yaml")
    e = info.value
    assert isinstance(e, patter.ScriptError) and isinstance(e, patter.PatterError)
    assert e.file == "bad.personas.yaml" and e.line == bad.splitlines().index("      nowhere: {negate: 5}") + 1
    assert e.column > 0 and e.code.startswith("P")
    assert e.errors and "nowhere" in str(e)

    with pytest.raises(patter.PersonaError) as info:
        patter.load_personas_string("personas: [unclosed", tiny, "broken.yaml")
    assert info.value.file == "broken.yaml" and info.value.line >= 1
    with pytest.raises(patter.PersonaError):
        patter.load_personas_file(ROOT / "no-such.personas.yaml", tiny)


# ---- simulation -----------------------------------------------------------------

def test_simulate(tiny):
    p = patter.load_personas_string(TINY_PERSONAS, tiny)
    sim = patter.simulate(tiny, p, calls=200, agents=2, robots_per_agent=2, seed=7, transcripts=2)
    r = sim.report
    assert isinstance(r, patter.StatsReport)
    assert r.calls == 200 and 0 < r.answered <= 200 and r.script == "tiny"
    assert sum(r.outcomes.values()) == 200
    assert r.funnel[0].node == "hello" and r.funnel[0].reached == r.answered
    assert isinstance(r.funnel[0], patter.FunnelRow)
    assert sum(r.grades.values()) == 200
    assert r.edges and isinstance(r.edges[0], patter.EdgeTraffic)
    assert r.has_context and r.escalations > 0
    assert {a.agent for a in r.agents} and all(isinstance(a, patter.AgentRow) for a in r.agents)
    assert 0 <= r.utilisation <= 1
    assert sim.errors == 0 and sim.sim_ms > 0
    assert isinstance(sim.desk, patter.DeskCounters) and sim.desk.calls_opened == 200
    assert len(sim.transcripts) == 2
    t = sim.transcripts[0]
    assert isinstance(t, patter.SimulatedCall) and t.persona in ("keen", "cold")
    assert isinstance(t.result, patter.CallResult) and t.result.transcript and t.text
    assert t.context.persona == t.persona and t.context.agent == t.agent
    taken = [x for x in patter.simulate(tiny, p, calls=200, seed=7, transcripts=40).transcripts if x.agent]
    assert taken and all(x.agent in x.text and "\x00" not in x.text for x in taken)
    assert sim.results == []
    # text and JSON
    assert "funnel" in sim.to_text() and sim.to_text() == r.to_text() == str(r)
    d = json.loads(sim.to_json())
    assert d == r.to_dict() and d["calls"] == 200
    assert "200 calls" in repr(sim)


def test_simulate_is_deterministic_and_keeps_results(tiny):
    a = patter.simulate(tiny, calls=50, seed=3, keep_results=True)
    b = patter.simulate(tiny, calls=50, seed=3, keep_results=True)
    assert a.to_json() == b.to_json()
    assert len(a.results) == 50
    assert [c.result for c in a.results] == [c.result for c in b.results]
    c = a.results[0]
    assert isinstance(c.context, patter.CallContext) and c.context.ended_ms >= c.context.dialed_ms
    assert c.text == ""
    # The results feed Stats and give the same report.
    stats = patter.Stats(tiny)
    for call in a.results:
        stats.add(call.result, call.context)
    assert stats.report().to_json() == a.to_json()
    lines = [call.to_json_line() for call in a.results]
    stats2 = patter.Stats(tiny)
    assert stats2.add_jsonl(lines) == 50
    assert stats2.report().to_json() == a.to_json()


def test_simulate_progress_and_errors(tiny, solar):
    seen = []
    patter.simulate(tiny, calls=3000, progress=lambda done, total: seen.append((done, total)))
    assert seen and all(t == 3000 for _, t in seen)

    def boom(done, total):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        patter.simulate(tiny, calls=3000, progress=boom)
    with pytest.raises(ValueError):
        patter.simulate(tiny, calls=0)
    with pytest.raises(ValueError):
        patter.simulate(tiny, agents=0)
    with pytest.raises(ValueError):
        patter.simulate(tiny, handle_ms=(10, 5))
    with pytest.raises(ValueError, match="another script"):
        patter.simulate(tiny, patter.default_personas(solar), calls=10)


def test_simulate_releases_the_gil(solar):
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        before = len(ticks)
        patter.simulate(solar, calls=3000, agents=3, seed=1)
        during = len(ticks) - before
    finally:
        stop.set()
        t.join()
    assert during > 0


def test_simulate_bundled_personas(screening):
    p = patter.load_personas_file(PERSONAS / "screening.zh-CN.personas.yaml", screening)
    sim = patter.simulate(screening, p, calls=300, agents=2, grab_score=40, seed=1)
    assert sim.report.calls == 300 and sim.errors == 0


def test_simulate_with_pacing(screening):
    p = patter.load_personas_file(PERSONAS / "screening.zh-CN.personas.yaml", screening)
    shape = dict(calls=1000, agents=4, robots_per_agent=3, grab_score=40, seed=1)
    off = patter.simulate(screening, p, **shape)
    on = patter.simulate(screening, p, pacing=True, abandon_target=0.03, **shape)
    assert 0 <= on.report.abandoned < off.report.abandoned <= 1
    assert 0 < on.report.utilisation <= 1
    with pytest.raises(ValueError, match="abandon_target"):
        patter.simulate(screening, p, pacing=True, abandon_target=1.5, **shape)
    # Idle people take calls early when the forecast has room.
    idle = patter.simulate(screening, p, pacing=True, abandon_target=0.04, idle_grab_score=1,
                           **shape)
    usual = patter.simulate(screening, p, pacing=True, abandon_target=0.04, **shape)
    assert idle.report.grabs > usual.report.grabs
    assert idle.report.utilisation > usual.report.utilisation
    with pytest.raises(ValueError, match="idle_grab_score needs pacing"):
        patter.simulate(screening, p, idle_grab_score=1, **shape)
    with pytest.raises(ValueError, match="finite"):
        patter.simulate(screening, p, pacing=True, idle_grab_score=float("nan"), **shape)
    with pytest.raises(TypeError):
        patter.simulate(screening, p, pacing=True, idle_grab_score="high", **shape)


# ---- stats ----------------------------------------------------------------------

def test_stats_from_call_results(tiny):
    stats = patter.Stats(tiny)
    s = patter.Session.start(tiny, {"name": "Ann"})
    s.step(patter.answered(0))
    s.step(patter.say("yes", at=1000))
    s.step(patter.say("I am interested", at=2000))
    s.step(patter.hangup(9000))  # hung up while waiting for a person
    assert s.ended
    stats.add(s.result())
    stats.add(s.result_json())  # the same call as a JSON line
    assert stats.calls == 2 and len(stats) == 2
    r = stats.report()
    assert r.calls == 2 and r.grades == {"A": 2} and r.converted == 2
    assert [f.node for f in r.funnel][:2] == ["hello", "pitch"]
    assert not r.has_context and stats.other_script is None
    dot = stats.to_dot()
    assert dot.startswith("digraph") and "hello" in dot
    assert "tiny" in repr(r) and "2 calls" in repr(stats)


def test_stats_without_script(tiny):
    stats = patter.Stats()
    s = patter.Session.start(tiny, {"name": "Ann"})
    s.step(patter.answered(0))
    s.step(patter.hangup(500))
    stats.add(s.result())
    assert stats.report().script == "tiny" and stats.to_dot() == ""
    assert patter.Stats(converted_grades="A").report().converted_grades == "A"


def test_stats_bad_lines(tiny, tmp_path):
    stats = patter.Stats(tiny)
    stats.add_json("")  # blank lines are skipped
    with pytest.raises(patter.StatsError) as info:
        stats.add_json("not json")
    assert isinstance(info.value, ValueError) and info.value.line is None and info.value.reason
    with pytest.raises(patter.StatsError, match="outcome"):
        stats.add('{"path": [], "grade": "A"}')
    with pytest.raises(TypeError):
        stats.add(42)
    with pytest.raises(TypeError):
        stats.add("{}", patter.CallContext())
    assert stats.calls == 0

    s = patter.Session.start(tiny, {"name": "Ann"})
    s.step(patter.answered(0))
    s.step(patter.hangup(500))
    good = s.result_json()
    path = tmp_path / "results.jsonl"
    path.write_text(good + "\n\n" + good + "\n{broken\n" + good + "\n", encoding="utf-8")
    with pytest.raises(patter.StatsError) as info:
        stats.add_jsonl(path)
    e = info.value
    assert e.file == str(path) and e.line == 4 and f"{path}:4:" in str(e)
    assert stats.calls == 2  # the lines before the bad one count
    e2 = pickle.loads(pickle.dumps(e))
    assert e2.line == 4 and e2.reason == e.reason
    with pytest.raises(patter.StatsError) as info:
        patter.Stats(tiny).add_jsonl([good, "[]"])
    assert info.value.line == 2 and info.value.file is None
    with pytest.raises(OSError):
        stats.add_jsonl(tmp_path / "missing.jsonl")


def test_stats_other_script(tiny, solar):
    stats = patter.Stats(solar)
    s = patter.Session.start(tiny, {"name": "Ann"})
    s.step(patter.answered(0))
    s.step(patter.hangup(500))
    stats.add(s.result())
    assert stats.other_script is not None


# ---- conversation tests ---------------------------------------------------------

def test_load_and_run_bundled_tests(solar):
    files = patter.find_tests_for(SCRIPTS / "appointment.en-US.yaml")
    assert files and patter.is_tests_file(files[0]) and not patter.is_tests_file("a.yaml")
    suite = patter.load_tests_file(files[0])
    assert suite.script.endswith("appointment.en-US.yaml") and len(suite) == len(suite.cases) > 0
    case = suite.cases[0]
    assert isinstance(case, patter.TestCase) and case.name and case.line > 0 and case.turns > 0
    assert patter.script_for_tests(files[0]).endswith("appointment.en-US.yaml")

    report = patter.run_tests(suite, solar)
    assert report.ok and report and report.failed == 0 and report.passed == len(suite)
    assert report.failures == []
    c = report.cases[0]
    assert isinstance(c, patter.CaseResult) and c.passed and c.diff == "" and c.failures == []
    assert isinstance(c.result, patter.CallResult)
    cov = report.coverage
    assert isinstance(cov, patter.Coverage) and isinstance(cov.nodes, patter.CoverageRatio)
    assert 0 < cov.nodes.covered <= cov.nodes.total and 0 < cov.nodes.percent <= 100
    assert cov.node_counts["opening"] >= len(suite)
    assert str(cov) == cov.text and cov.text
    assert isinstance(cov.to_dict(), dict)
    d = report.to_dict()
    assert d == json.loads(report.to_json()) and d["passed"] == report.passed
    # Without a script, the suite's own is loaded.
    again = patter.run_tests(suite)
    assert again.passed == report.passed and again.script == solar


def test_failing_case(tiny):
    suite = patter.load_tests_string(TINY_TESTS, "tiny.tests.yaml")
    assert [c.name for c in suite.cases] == ["interested goes to a person", "a wrong expectation"]
    report = patter.run_tests(suite, tiny)
    assert report.passed == 1 and report.failed == 1 and not report.ok and not report
    bad = report.failures[0]
    assert bad.name == "a wrong expectation" and not bad.passed
    f = bad.failures[0]
    assert isinstance(f, patter.TestFailure)
    assert f.turn == 1 and f.what == "node" and f.expected == "bye" and f.actual == "pitch"
    assert f.file == "tiny.tests.yaml" and f.line == TINY_TESTS.splitlines().index("        node: bye") + 1
    assert "bye" in bad.diff
    assert "1 failed" in repr(report)


def test_bad_test_files(tiny):
    with pytest.raises(patter.TestFileError) as info:
        patter.load_tests_string("cases:\n  - name: x\n    turnz: []\n", "bad.tests.yaml")
    e = info.value
    assert isinstance(e, patter.ScriptError)
    assert e.file == "bad.tests.yaml" and e.line == 3 and e.column > 0 and "turnz" in str(e)
    with pytest.raises(patter.TestFileError):
        patter.load_tests_string("cases: [unclosed", "broken.tests.yaml")
    with pytest.raises(patter.TestFileError):
        patter.load_tests_file("no-such.tests.yaml")
    # Names the script does not have: an error when run.
    suite = patter.load_tests_string(TINY_TESTS.replace("node: bye", "node: nowhere"), "tiny.tests.yaml")
    with pytest.raises(patter.TestFileError) as info:
        patter.run_tests(suite, tiny)
    assert "nowhere" in str(info.value) and info.value.line > 0
    # No script beside a string suite.
    with pytest.raises(patter.ScriptError):
        patter.run_tests(suite)
