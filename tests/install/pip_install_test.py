"""`pip install .` the way a Python user does it, offline: a fresh venv,
`pip install --no-build-isolation`, then the package imported from outside
the source tree and a short call run; `pip wheel` makes a wheel with the
extension in it.

    python3 pip_install_test.py SOURCE_DIR WORK_DIR

The needed part of SOURCE_DIR (what MANIFEST.in ships) is copied to
WORK_DIR/src first, so a file missing from the package list fails here and
the user's own build directory is not touched. CMAKE_ARGS passes through
(ccache, when the build found it).
"""

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

SHIPPED = ["CMakeLists.txt", "CMakePresets.json", "README.md", "pyproject.toml", "setup.py",
           "MANIFEST.in", "cmake", "include", "lib", "schema", "bindings/python", "examples/intents"]

CALL = r"""
import pathlib, sys, patter
assert pathlib.Path(patter.__file__).resolve().is_relative_to(pathlib.Path(sys.prefix).resolve()), patter.__file__
script = patter.load_string('''
patter: 1
id: tiny
version: "1"
locale: en-US
start: greet
intents:
  affirm: [yes, sure]
nodes:
  greet:
    say: Hi, do you have a minute?
    routes:
      - intent: affirm
        to: bye
  bye:
    say: Thanks, goodbye.
    hangup: completed
''', "tiny.yaml")
call = patter.Session.start(script)
call.step(patter.answered(at=0))
turn = call.step(patter.say("yes sure", at=3000))
print("said:", turn.said, "ended:", call.ended)
assert turn.said == ["Thanks, goodbye."], turn.said
# The common intent libraries come with the package and are found by name.
mine = [f for f in patter.library_path()
        if pathlib.Path(f).resolve().is_relative_to(pathlib.Path(sys.prefix).resolve())]
assert mine and pathlib.Path(mine[0], "common.en-US.yaml").is_file(), patter.library_path()
named = patter.load_string('''
patter: 1
id: named
version: "1"
locale: en-US
include: [common.en-US]
start: greet
nodes:
  greet:
    say: Hi, do you have a minute?
    routes:
      - {intent: affirm, to: bye}
      - {intent: any, to: bye}
  bye:
    say: Thanks, goodbye.
    hangup: completed
''', "named.yaml", include_folders=[], default_library_path=True)
print("libraries from", mine[0])
print("patter", patter.__version__, "from", patter.__file__)
"""


def run(*cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def main() -> int:
    source, work = Path(sys.argv[1]), Path(sys.argv[2])
    src = work / "src"
    for name in SHIPPED:
        if (src / name).is_dir():
            shutil.rmtree(src / name)
        if (source / name).is_dir():
            shutil.copytree(source / name, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif (source / name).exists():
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, src / name)
    env_dir = work / "venv"
    shutil.rmtree(env_dir, ignore_errors=True)
    # --system-site-packages: setuptools and wheel from Debian's packages, offline.
    venv.EnvBuilder(with_pip=True, system_site_packages=True, clear=True).create(env_dir)
    py = env_dir / "bin" / "python"
    env = dict(os.environ, CCACHE_BASEDIR=str(src), PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", "2")
    env.pop("PYTHONPATH", None)
    run(py, "-m", "pip", "install", "--no-build-isolation", str(src), env=env)
    run(py, "-c", CALL, cwd=work, env=env)
    wheels = work / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    run(py, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-w", wheels, str(src), env=env)
    found = list(wheels.glob("patter-*.whl"))
    if len(found) != 1:
        print(f"expected one patter wheel in {wheels}, found {found}")
        return 1
    names = zipfile.ZipFile(found[0]).namelist()
    needed = ["patter/__init__.py", "patter/_patter.pyi", "patter/py.typed",
              "patter/intents/common.zh-CN.yaml", "patter/intents/common.en-US.yaml"]
    missing = [n for n in needed if n not in names]
    if missing or not any(n.startswith("patter/_patter") and n.endswith(".so") for n in names):
        print(f"{found[0].name} lacks {missing or 'the extension'}: {names}")
        return 1
    print(f"ok: installed in a venv and imported; {found[0].name} holds the extension")
    return 0


if __name__ == "__main__":
    sys.exit(main())
