"""The setuptools side of pyproject.toml: the extension patter._patter is
built by the project's CMake (target patter_python) for the interpreter
running this file, and copied where setuptools packs it."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(patter\s+VERSION\s+([0-9.]+)", text)
    if not match:
        sys.exit("setup.py: no `project(patter VERSION x.y.z)` in CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        if not shutil.which("cmake"):
            sys.exit("setup.py: building patter needs cmake (Debian: cmake ninja-build g++)")
        build_dir = Path(self.build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            f"-DPython3_EXECUTABLE={sys.executable}",
            "-DPATTER_BUILD_PYTHON=ON",
            "-DPATTER_BUILD_TESTS=OFF",
            "-DPATTER_BUILD_BENCH=OFF",
            "-DPATTER_BUILD_EXAMPLES=OFF",
            "-DPATTER_BUILD_TOOLS=OFF",
            "-DCMAKE_BUILD_TYPE=Release",
        ]
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        try:  # pybind11 from pip (an isolated build) rather than Debian's pybind11-dev
            import pybind11

            configure.append(f"-Dpybind11_DIR={pybind11.get_cmake_dir()}")
        except ImportError:
            pass
        configure += shlex.split(os.environ.get("CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "patter_python"], check=True)
        built = sorted((build_dir / "bindings" / "python" / "patter").glob("_patter*"))
        built = [p for p in built if p.suffix in (".so", ".pyd")]
        if not built:
            sys.exit(f"setup.py: CMake built no extension in {build_dir}/bindings/python/patter")
        dest = Path(self.get_ext_fullpath(ext.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], dest)
        # The common intent libraries, beside the extension: found by name
        # (`include: [common.zh-CN]`) wherever the package is installed.
        intents = dest.parent / "intents"
        intents.mkdir(exist_ok=True)
        for library in sorted((ROOT / "examples" / "intents").glob("*.yaml")):
            shutil.copyfile(library, intents / library.name)


setup(
    version=project_version(),
    ext_modules=[CMakeExtension("patter._patter")],
    cmdclass={"build_ext": CMakeBuild},
    # Not the project's own CMake build directory (build/).
    options={"build": {"build_base": "build/python-package"}},
)
