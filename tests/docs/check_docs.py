"""Every fenced code block of README.md and docs/*.md, checked against the
build, so the docs cannot drift from the code.

    python3 check_docs.py --root SRC --patter BUILD/tools/patter/patter \
        --pythonpath BUILD/bindings/python --cxx g++ --cxxflags "..." --libs "..." [FILE.md...]

What each block's info string gets:

  cpp                a program (it has `main`): compiled, linked against the built
                     library; the README's example also runs. Without `main`:
                     compiled as a translation unit, or else as the body of a function.
  cpp fragment       compiled inside a function whose parameters are the names it
                     uses but does not declare, from an HTML comment on the line
                     before the block: `<!-- given: patter::Desk& desk; auto now; -->`
                     (`auto` for the host's own functions and values).
  python             run in one interpreter per document, blocks in order sharing
                     their names (as a reader runs them), in a scratch folder that sees examples/ and tests/
  python fragment    compiled (syntax) only: it uses names the text stands for.
  sh                 each `patter ...` command (and `dot ...` after it) executed with
                     the built tool in a scratch folder that sees examples/ and tests/;
                     it must exit 0. Other commands (cmake, ./run.sh, pip) are not run:
                     the build and the install tests run them.
  sh synopsis        placeholders, not a command: each `patter COMMAND` must have a
                     --help, and every --option named must be in it.
  yaml               parsed; a whole script (`patter:` and `nodes:`) is validated with
                     the tool (`Save it as NAME.yaml` after a block saves it for the
                     commands that follow).
  json               parsed.
  cmake              not run here: tests/consumer builds a consumer both ways.
  (none), text       output shown to the reader: not code.
  ANY skip: REASON   not checked, for the stated reason.

Prints one line per block and a summary; exits 1 when any block fails.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FENCE = re.compile(r"^(\s*)```(.*)$")
CXX_PRELUDE = """#include <patter/patter.hpp>
#include <patter/tooling.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
"""


class Block:
    def __init__(self, doc, line, info, text, after, given=""):
        self.doc, self.line, self.text, self.after, self.given = doc, line, text, after, given
        words = info.split(None, 1)
        self.lang = words[0] if words else ""
        self.mode = words[1].strip() if len(words) > 1 else ""

    @property
    def where(self):
        return f"{self.doc}:{self.line}"


def blocks_of(path: Path, root: Path):
    lines = path.read_text(encoding="utf-8").split("\n")
    doc = str(path.relative_to(root))
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, info, start = len(m.group(1)), m.group(2).strip(), i + 1
        body = []
        i += 1
        while i < len(lines) and not FENCE.match(lines[i]):
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        after_lines = []
        j = i + 1
        while j < len(lines) and not FENCE.match(lines[j]):
            after_lines.append(lines[j])
            j += 1
        given = ""
        before = [l for l in lines[max(0, start - 4):start - 1] if l.strip()]
        if before and before[-1].strip().startswith("<!-- given:"):
            given = before[-1].strip()[len("<!-- given:"):].rstrip("->").strip()
        out.append(Block(doc, start, info, "\n".join(body) + "\n", "\n".join(after_lines[:6]), given))
        i += 1
    return out


class Checker:
    def __init__(self, args):
        self.a = args
        self.root = Path(args.root).resolve()
        # work/ is where commands run and scripts are saved: it sees the
        # repository's folders, and ../intents/ from it is the bundled intent
        # libraries, as from examples/scripts/.
        self.tmp = Path(tempfile.mkdtemp(prefix="patter-docs-"))
        self.scratch = self.tmp / "work"
        self.scratch.mkdir()
        (self.tmp / "intents").symlink_to(self.root / "examples" / "intents")
        for name in ("examples", "tests", "schema"):
            (self.scratch / name).symlink_to(self.root / name)
        for script in (self.root / "examples" / "scripts").glob("*.yaml"):
            shutil.copy(script, self.scratch / script.name)
        (self.scratch / "bin").mkdir()
        (self.scratch / "bin" / "patter").symlink_to(Path(args.patter).resolve())
        self.failures = 0
        self.counts = {}

    def report(self, block, status, detail=""):
        self.counts[status] = self.counts.get(status, 0) + 1
        if status == "FAIL":
            self.failures += 1
        print(f"{status:7} {block.where} ```{block.lang}{(' ' + block.mode) if block.mode else ''}"
              + (f": {detail}" if detail else ""))

    # ---- C++ -----------------------------------------------------------------
    def compile_cpp(self, source: str, link: bool, name: str):
        src = self.scratch / f"{name}.cpp"
        src.write_text(source, encoding="utf-8")
        exe = self.scratch / name
        cmd = [self.a.cxx, "-std=c++20", *shlex.split(self.a.cxxflags.replace(";", " ")), str(src)]
        cmd += ["-o", str(exe), *shlex.split(self.a.libs.replace(";", " "))] if link else ["-fsyntax-only"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        return r.returncode == 0, (r.stderr or r.stdout)[-3000:], exe

    def check_cpp(self, b: Block, n: int):
        name = f"snippet{n}"
        if "int main(" in b.text:
            ok, err, exe = self.compile_cpp(b.text, True, name)
            if not ok:
                return self.report(b, "FAIL", "does not compile:\n" + err)
            if b.doc == "README.md":
                return self.run_readme_example(b, exe)
            return self.report(b, "ok", "compiled and linked")
        given, body = b.given, b.text
        if b.mode != "fragment":
            ok, err, _ = self.compile_cpp(CXX_PRELUDE + body, False, name)
            if ok:
                return self.report(b, "ok", "compiled")
        params = ", ".join(p.strip() for p in given.split(";") if p.strip())
        wrapped = CXX_PRELUDE + "void snippet(" + params + ") {\n" + body + "\n}\n"
        ok, err, _ = self.compile_cpp(wrapped, False, name)
        if ok:
            return self.report(b, "ok", "compiled inside a function")
        return self.report(b, "FAIL", "does not compile (fix it, or mark it ```cpp fragment "
                           "under a `<!-- given: TYPE NAME; ... -->` line):\n" + err)

    def run_readme_example(self, b: Block, exe: Path):
        r = subprocess.run([str(exe)], capture_output=True, text=True, cwd=self.root)
        if r.returncode != 2 or "usage:" not in r.stderr or "examples/scripts/" not in r.stderr:
            return self.report(b, "FAIL", f"run without a script: exit {r.returncode}, "
                               f"expected 2 and a usage line naming a script\n{r.stderr[-1000:]}")
        script = re.search(r"usage: \S+ (\S+)", r.stderr).group(1)
        r = subprocess.run([str(exe), script], capture_output=True, text=True, cwd=self.root)
        if r.returncode != 0:
            return self.report(b, "FAIL", f"run with {script}: exit {r.returncode}\n{r.stderr[-1000:]}")
        return self.report(b, "ok", f"compiled, linked, run with and without {script}")

    # ---- Python --------------------------------------------------------------
    def check_python(self, blocks):
        runnable = [b for b in blocks if b.mode != "fragment"]
        for b in blocks:
            if b.mode == "fragment":
                try:
                    compile(b.text, b.where, "exec")
                    self.report(b, "ok", "syntax (a fragment)")
                except SyntaxError as e:
                    self.report(b, "FAIL", f"syntax error: {e}")
        if not runnable:
            return
        # One interpreter per document: later blocks use names earlier ones made.
        program = ["import sys, traceback", "ns = {'__name__': '__doc__'}", "failed = 0"]
        for b in runnable:
            program.append(
                f"try:\n    exec(compile({b.text!r}, {b.where!r}, 'exec'), ns)\n"
                f"    print('ok      {b.where} ```python: ran')\n"
                f"except Exception:\n    failed += 1\n"
                f"    print('FAIL    {b.where} ```python: ' + traceback.format_exc(limit=-2))")
        program.append("sys.exit(1 if failed else 0)")
        env = dict(os.environ, PYTHONPATH=self.a.pythonpath, PYTHONDONTWRITEBYTECODE="1")
        r = subprocess.run([sys.executable, "-c", "\n".join(program)], capture_output=True, text=True,
                           cwd=self.scratch, env=env, timeout=300)
        for line in r.stdout.splitlines():
            print(line)
        failed = sum(1 for line in r.stdout.splitlines() if line.startswith("FAIL"))
        ran = sum(1 for line in r.stdout.splitlines() if line.startswith("ok "))
        if r.returncode != 0 and failed == 0:
            failed = 1
            print(r.stderr[-2000:])
        self.failures += failed
        self.counts["FAIL"] = self.counts.get("FAIL", 0) + failed
        self.counts["ok"] = self.counts.get("ok", 0) + ran

    # ---- shell ----------------------------------------------------------------
    def commands(self, text):
        joined = re.sub(r"\\\n\s*", " ", text)
        for line in joined.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                yield line

    def check_synopsis(self, b: Block):
        problems = []
        for line in self.commands(b.text):
            words = line.split("#", 1)[0].split()
            if len(words) < 2 or words[0] != "patter":
                continue
            r = subprocess.run([self.a.patter, words[1], "--help"], capture_output=True, text=True)
            if r.returncode != 0:
                problems.append(f"`patter {words[1]} --help` exits {r.returncode}")
                continue
            for opt in re.findall(r"(--[a-z][a-z-]*)", line):
                if opt not in r.stdout:
                    problems.append(f"`patter {words[1]}` has no option {opt}")
        self.report(b, "FAIL" if problems else "ok",
                    "; ".join(problems) if problems else "every command and option exists")

    def check_sh(self, b: Block):
        if b.mode == "synopsis":
            return self.check_synopsis(b)
        ran, skipped, problems = 0, 0, []
        env = dict(os.environ, PATH=f"{self.scratch / 'bin'}:{os.environ.get('PATH', '')}")
        for line in self.commands(b.text):
            command = line.split(" #", 1)[0].strip()
            first = command.split()[0]
            if first not in ("patter", "dot") or (first == "dot" and not shutil.which("dot")):
                skipped += 1
                continue
            r = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                               cwd=self.scratch, env=env, stdin=subprocess.DEVNULL, timeout=300)
            ran += 1
            if r.returncode != 0:
                problems.append(f"`{command}` exits {r.returncode}:\n{(r.stdout + r.stderr)[-1500:]}")
        if problems:
            return self.report(b, "FAIL", "\n".join(problems))
        if ran == 0:
            return self.report(b, "skipped", f"no patter command ({skipped} build or install "
                               "commands, run by the build and the install tests)")
        return self.report(b, "ok", f"ran {ran} command{'s' if ran != 1 else ''}"
                           + (f", {skipped} not run" if skipped else ""))

    # ---- data ---------------------------------------------------------------------
    def check_yaml(self, b: Block, n: int):
        import yaml

        try:
            data = yaml.safe_load(b.text)
        except yaml.YAMLError as e:
            return self.report(b, "FAIL", f"not valid YAML: {e}")
        if not (isinstance(data, dict) and "patter" in data and "nodes" in data):
            return self.report(b, "ok", "parsed (part of a script)")
        saved = re.search(r"[Ss]ave it as `([^`]+\.yaml)`", b.after)
        # Unnamed ones apart, so a later `patter validate *.yaml` sees only what the text names.
        path = self.scratch / saved.group(1) if saved else self.tmp / "snippets" / f"snippet{n}.yaml"
        path.parent.mkdir(exist_ok=True)
        if path.is_symlink():
            path.unlink()
        path.write_text(b.text, encoding="utf-8")
        r = subprocess.run([self.a.patter, "validate", str(path)], capture_output=True, text=True)
        if r.returncode != 0:
            return self.report(b, "FAIL", f"the script does not validate:\n{r.stdout}{r.stderr}")
        return self.report(b, "ok", "a script: validates" + (f", saved as {path.name}" if saved else ""))

    def check(self, b: Block, n: int):
        if b.mode.startswith("skip:"):
            return self.report(b, "skipped", b.mode[len("skip:"):].strip())
        if b.lang == "cpp":
            return self.check_cpp(b, n)
        if b.lang == "sh":
            return self.check_sh(b)
        if b.lang == "yaml":
            return self.check_yaml(b, n)
        if b.lang == "json":
            if b.mode == "fragment":
                return self.report(b, "skipped", "abridged: `...` stands for fields left out")
            try:
                json.loads(b.text)
                return self.report(b, "ok", "parsed")
            except ValueError as e:
                return self.report(b, "FAIL", f"not valid JSON: {e}")
        if b.lang == "cmake":
            return self.report(b, "skipped", "tests/consumer builds consumers with find_package")
        if b.lang in ("", "text"):
            return self.report(b, "skipped", "output shown to the reader")
        return self.report(b, "FAIL", f"no check for ```{b.lang}: give it one, or `skip: REASON`")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--patter", required=True)
    p.add_argument("--pythonpath", default="")
    p.add_argument("--cxx", default="c++")
    p.add_argument("--cxxflags", default="")
    p.add_argument("--libs", default="")
    p.add_argument("docs", nargs="*")
    a = p.parse_args()
    c = Checker(a)
    root = Path(a.root).resolve()
    docs = [Path(d).resolve() for d in a.docs] or [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    n = 0
    try:
        for doc in docs:
            blocks = blocks_of(doc, root)
            for b in blocks:
                n += 1
                if b.lang != "python" or b.mode.startswith("skip:"):
                    c.check(b, n)
            c.check_python([b for b in blocks if b.lang == "python" and not b.mode.startswith("skip:")])
    finally:
        shutil.rmtree(c.tmp, ignore_errors=True)
    print(", ".join(f"{v} {k}" for k, v in sorted(c.counts.items())) + f" of {n} blocks in {len(docs)} files")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
