"""LoadOptions from Python: limits, include folders, read_file; None as a host variable."""

import os

import pytest

import patter
from conftest import ROOT, TINY

LIBRARY = "patter: 1\nlibrary: mine\nlocale: en-US\nintents:\n  yes: [yes, sure]\n"


def including(what):
    return ("patter: 1\nid: inc\nlocale: en-US\ninclude: [\"%s\"]\nstart: a\nnodes:\n"
            "  a:\n    say: hi\n    routes: [{intent: yes, to: b}]\n"
            "  b: {say: bye, hangup: completed}\n" % what)


def laughs(phrase_bytes, levels):
    text = "patter: 1\nid: laughs\nlocale: en-US\nstart: a\nintents:\n"
    text += '  p0: &p0 ["%s"]\n' % ("x" * phrase_bytes)
    for level in range(1, levels + 1):
        text += "  p%d: &p%d [%s]\n" % (level, level, ", ".join(["*p%d" % (level - 1)] * 10))
    return text + "nodes:\n  a: {say: hi, hangup: completed}\n"


def test_every_limit_is_a_field_and_a_keyword():
    o = patter.LoadOptions(max_depth=8, max_expanded_bytes=1000)
    assert o.max_depth == 8 and o.max_expanded_bytes == 1000
    assert patter.LoadOptions().max_expanded_bytes == 64 << 20
    o.max_tags = 5
    assert "max_tags=5" in repr(o)
    with pytest.raises(TypeError):
        patter.LoadOptions(max_detph=8)
    deep = "patter: 1\nid: " + "[" * 50 + "]" * 50 + "\n"
    for call in (lambda: patter.load_string(deep, "d.yaml", o),
                 lambda: patter.load_string(deep, "d.yaml", max_depth=8)):
        with pytest.raises(patter.ScriptError) as info:
            call()
        assert info.value.code == "P005"


def test_an_alias_bomb_is_refused_with_its_own_code():
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string(laughs(64000, 9), "laughs.yaml")
    assert info.value.code == "P008"
    assert info.value.diagnostics[0].line == 9
    with pytest.raises(patter.ScriptError) as info:
        patter.load_string(laughs(100, 3), "small.yaml", max_expanded_bytes=50000)
    assert info.value.code == "P008"


def test_include_folders_and_library_names(tmp_path):
    libs = tmp_path / "libs"
    libs.mkdir()
    (libs / "mine.yaml").write_text(LIBRARY, encoding="utf-8")
    (tmp_path / "main.yaml").write_text(including("mine"), encoding="utf-8")
    script = patter.load_file(tmp_path / "main.yaml", patter.LoadOptions(include_folders=[libs]))
    assert script.files[1] == str(libs / "mine.yaml")
    assert patter.library_path(patter.LoadOptions(include_folders=[libs]))[0] == str(libs)
    with pytest.raises(patter.ScriptError) as info:
        patter.load_file(tmp_path / "main.yaml", default_library_path=False)
    assert info.value.code == "P029" and "no library folder to look for `mine`" in str(info.value)


def test_a_bundled_library_is_found_by_name_from_a_string():
    text = including("common.en-US").replace("intent: yes", "intent: ask_price")
    script = patter.load_string(text, "inline.yaml")
    assert script.find_intent("ask_price") is not None


def test_patter_path_is_honoured(tmp_path, monkeypatch):
    (tmp_path / "mine.yaml").write_text(LIBRARY, encoding="utf-8")
    monkeypatch.setenv("PATTER_PATH", "/nonexistent:" + str(tmp_path))
    script = patter.load_string(including("mine"), "inline.yaml")
    assert script.files[1] == str(tmp_path / "mine.yaml")


def test_a_refused_include_names_the_path_not_the_contents(tmp_path):
    (tmp_path / "secret.yaml").write_text("hunter2-password: [1]\n", encoding="utf-8")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "main.yaml").write_text(including("../secret.yaml"), encoding="utf-8")
    with pytest.raises(patter.ScriptError) as info:
        patter.load_file(tmp_path / "scripts" / "main.yaml")
    assert info.value.code == "P029"
    assert "secret.yaml" in str(info.value) and "outside the folders" in str(info.value)
    assert all("hunter2" not in str(d) for d in info.value.diagnostics)
    fifo = tmp_path / "scripts" / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(patter.ScriptError) as info:  # at once: a FIFO is never read
        patter.load_string(including("pipe.yaml"), str(tmp_path / "scripts" / "inline.yaml"))
    assert "not a regular file" in str(info.value)


def test_read_file_serves_includes_and_its_errors_come_through():
    asked = []

    def read(path):
        asked.append(path)
        return LIBRARY.encode() if path == "libs/mine.yaml" else None

    o = patter.LoadOptions(include_folders=["libs"], default_library_path=False, read_file=read)
    assert o.read_file is read
    script = patter.load_string(including("mine"), "main.yaml", o)
    assert script.find_intent("yes") is not None and asked == ["libs/mine.yaml"]

    def broken(path):
        raise RuntimeError("the store is down")

    with pytest.raises(RuntimeError, match="the store is down"):
        patter.load_string(including("mine"), "main.yaml", o, read_file=broken)
    with pytest.raises(TypeError):
        patter.LoadOptions(read_file=42)


def test_none_takes_the_default_or_is_refused_by_name():
    script = patter.load_string(TINY, "tiny.yaml")
    call = patter.Session.start(script, {"name": "Ann", "bill": None})
    assert call.variable("bill") == "0"  # None: the default
    turn = call.step(patter.answered(at=0))
    assert "None" not in " ".join(turn.said)
    with pytest.raises(patter.StartError) as info:
        patter.Session.start(script, {"name": None})
    assert "`name`" in str(info.value) and "None" in str(info.value)
    assert "requires" in str(info.value)
