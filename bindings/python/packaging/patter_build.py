"""The build backend named in pyproject.toml: scikit-build-core when the
environment has it, else setuptools with setup.py, which drives the same
CMake. Debian 12 has no scikit-build-core, so an offline
`pip install --no-build-isolation .` there takes the setuptools path; an
isolated build installs pyproject.toml's `requires` (setuptools) and takes
it too. Both build the CMake target patter_python for the interpreter
running the build."""

try:
    from scikit_build_core.build import *  # noqa: F401,F403
except ImportError:
    from setuptools.build_meta import *  # noqa: F401,F403
