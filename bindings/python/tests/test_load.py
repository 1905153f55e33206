"""Loading scripts: results, diagnostics and ScriptError."""

import pathlib
import pickle
import re
import threading

import pytest

import patter
from conftest import SCRIPTS, TINY


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", patter.__version__)
    assert patter.FORMAT_VERSION == 1


def test_load_file_accepts_str_and_paths(solar):
    again = patter.load_file(str(SCRIPTS / "appointment.en-US.yaml"))
    assert again.fingerprint == solar.fingerprint
    assert again == solar and hash(again) == hash(solar)
    assert again is not solar
    assert solar.id == "solar_survey_booking"
    assert solar.version == "1.1.0"
    assert solar.locale == "en-US"
    assert solar.title.startswith("BrightSun")
    assert re.fullmatch(r"[0-9a-f]{16}", solar.fingerprint)
    assert solar.files[0].endswith("appointment.en-US.yaml")
    assert any(f.endswith("common.en-US.yaml") for f in solar.files)  # the include
    assert "solar_survey_booking" in repr(solar)


def test_every_bundled_script_loads():
    for path in sorted(SCRIPTS.glob("*.yaml")):
        if not path.read_text(encoding="utf-8").count("\npatter: 1"):
            continue  # persona and test files for the tools live beside the scripts
        script = patter.load_file(path)
        assert script.nodes and script.intents
        assert all(d.severity != "error" for d in script.diagnostics)


def test_flow_nodes_say_their_flow_and_interruptions(solar):
    caller = solar.find_node("confirm_booking")
    assert caller.kind == "call" and caller.calls == "confirm_number" and caller.flow is None
    ask = solar.find_node("confirm_number.ask")
    assert ask.flow == "confirm_number" and ask.calls is None
    assert solar.find_node("confirm_number.right").kind == "return"
    objection = solar.find_node("objection")
    assert objection.interrupt == "only" and "ask_price" in objection.interrupt_intents
    assert solar.find_node("opening").interrupt == "never"  # barge_in: false


def test_script_parts(tiny):
    assert tiny.start == "hello"
    names = [n.name for n in tiny.nodes]
    assert names[0] == "hello" and "transfer" in names
    hello = tiny.find_node("hello")
    assert hello.kind == "listen" and not hello.terminal
    assert hello.lines == ["Hi {name}, do you have a minute?", "Hello again {name}, a minute?"]
    assert hello.routes[0].intents == ["affirm"] and hello.routes[0].to == "pitch"
    assert hello.file == "tiny.yaml" and hello.line > 0 and hello.column > 0
    pitch = tiny.node("pitch")
    assert pitch.tags == ["pitched"]
    assert pitch.routes[0].when == "bill > 100" and pitch.routes[0].tags == ["high_bill"]
    assert pitch.routes[1].when is None
    assert pitch.routes[4].keys == "1"
    assert tiny.node(hello.id) == hello
    transfer = tiny.node("transfer")
    assert transfer.terminal and transfer.escalation == "interested" and transfer.priority == "high"
    assert tiny.node("bye").hangup == "not_interested"
    assert tiny.find_node("nowhere") is None
    with pytest.raises(KeyError):
        tiny.node("nowhere")
    with pytest.raises(KeyError):
        tiny.node(999)
    with pytest.raises(TypeError):
        tiny.node(1.5)


def test_intents_variables_tags(tiny):
    interested = tiny.find_intent("interested")
    assert interested.phrases == ["interested"] and interested.opposite == "not_interested"
    assert interested.score == 30
    assert tiny.intent(interested.id) == interested
    assert tiny.find_intent("stop").opt_out and tiny.opts_out
    assert tiny.find_intent("tell_bill").patterns
    assert tiny.find_intent("nothing") is None
    with pytest.raises(KeyError):
        tiny.intent("nothing")
    variables = {v.name: v for v in tiny.variables}
    assert variables["name"].required and variables["name"].type == "text"
    assert variables["bill"].type == "number" and variables["bill"].default == "0"
    assert variables["vip"].type == "boolean"
    assert {"pitched", "high_bill", "dnc"} <= set(tiny.tags)


def test_warnings_come_with_the_script(tiny):
    assert [d.code for d in tiny.diagnostics] == ["P044"]
    note = tiny.diagnostics[0]
    assert note.severity == "note" and note.name == "unused_variable"
    assert note.file == "tiny.yaml" and note.line == 8
    assert str(note).startswith("tiny.yaml:8:3: note[P044]:")
    assert "P044" in repr(note)


def test_dot(tiny):
    dot = tiny.to_dot()
    assert dot.startswith("digraph") and "transfer" in dot
    assert len(tiny.to_dot(show_globals=False, show_fallbacks=False, max_label_chars=8)) < len(dot)


def test_bad_yaml_raises_with_location():
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string("patter: 1\nid: [unclosed\n", "broken.yaml")
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, patter.PatterError)
    assert e.file == "broken.yaml" and e.line >= 2 and e.column >= 1
    assert e.code == "P004" and e.name == "yaml_syntax"
    assert str(e).startswith("broken.yaml:")
    assert e.errors and all(d.severity == "error" for d in e.errors)


def test_meaning_errors_name_the_line_and_a_hint():
    text = TINY.replace("{intent: affirm, to: pitch}", "{intent: affirm, to: pich}")
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string(text, "typo.yaml")
    e = info.value
    assert e.code == "P021" and e.name == "unknown_node"
    assert e.line == TINY.splitlines().index("      - {intent: affirm, to: pitch}") + 1
    first = e.errors[0]
    assert "pich" in first.message and "pitch" in first.hint
    assert all(isinstance(d, patter.Diagnostic) for d in e.diagnostics)


def test_several_errors_are_counted():
    text = TINY.replace("to: pitch}", "to: nope1}").replace("to: bye}", "to: nope2}")
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string(text, "many.yaml")
    assert len(info.value.errors) > 2
    assert "more errors" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(patter.ScriptError) as info:
        patter.load_file(tmp_path / "absent.yaml")
    assert info.value.code == "P001" and info.value.line == 0


def test_invalid_utf8_and_empty_documents():
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string(b"patter: 1\nid: \xff\xfe\n", "bytes.yaml")
    assert info.value.code == "P003"
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string("", "empty.yaml")
    assert info.value.code == "P007"


def test_limits_are_options():
    deep = "patter: 1\nid: " + "[" * 50 + "]" * 50 + "\n"
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string(deep, "deep.yaml", max_depth=8)
    assert info.value.code == "P005"
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string(TINY, "big.yaml", max_file_bytes=100)
    assert info.value.code == "P002"


def test_script_error_pickles():
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string("patter: 1\nid: [x\n", "p.yaml")
    # Diagnostics are extension objects: the message survives a round trip
    # through str, the exception through its class and arguments.
    assert type(info.value).__reduce__(info.value)[0] is patter.ScriptError


def test_loading_runs_without_the_gil():
    # Several threads load at once; each gets its own equal script.
    results = []
    text = (SCRIPTS / "screening.zh-CN.yaml").read_text(encoding="utf-8")
    base = str(SCRIPTS / "screening.zh-CN.yaml")

    def work():
        results.append(patter.load_string(text, base).fingerprint)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and len(set(results)) == 1


DECIDING = """patter: 1
id: deciding
locale: en-US
variables:
  party: 0
intents:
  affirm: ["yes"]
start: ask
nodes:
  ask:
    say: How many of you?
    capture: party
    routes: [{intent: any, to: decide}]
  decide:
    branch:
      - {when: "party >= 8", to: big, set: {party: 8}}
      - to: small
  big:
    say: The big room.
    hangup: completed
  small:
    say: A table for {party}.
    hangup: completed
"""


def test_decision_nodes_and_captures_are_visible():
    script = patter.load_string(DECIDING, "deciding.yaml")
    assert script.find_node("ask").capture == "party"
    decide = script.find_node("decide")
    assert decide.kind == "branch" and not decide.terminal and decide.routes == []
    assert [(b.when, b.to) for b in decide.branches] == [("party >= 8", "big"), (None, "small")]
    assert decide.branches[0].file == "deciding.yaml" and decide.branches[0].line == 16
    assert script.find_node("big").capture is None and script.find_node("big").branches == []
