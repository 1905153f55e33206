"""The stubs say what the module has, no more and no less.

    PYTHONPATH=build/bindings/python python3 check_stubs.py bindings/python/patter

Compares the compiled extension patter._patter with patter/_patter.pyi:
module functions and variables, classes, and each class's methods,
properties, attributes and enum values. Then the package's `__all__` with
the one in patter/__init__.pyi. Prints every difference and exits 1 when
there is any, so a binding added without its stub (or a stub left behind
by a removed binding) fails the build's tests.
"""

import ast
import inspect
import sys
from pathlib import Path

# Special methods that are part of the API when a class defines them.
DUNDERS = {"__len__", "__bool__", "__iter__", "__getitem__", "__contains__", "__copy__",
           "__deepcopy__", "__enter__", "__exit__", "__call__"}


def public(name: str) -> bool:
    return not name.startswith("_") or name in DUNDERS


def stub_names(tree: ast.Module):
    """{name: None for a function or variable, set of members for a class}."""
    out = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.name] = None
        elif isinstance(node, ast.ClassDef):
            members = set()
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    members.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    members.add(item.target.id)
                elif isinstance(item, ast.Assign):
                    members.update(t.id for t in item.targets if isinstance(t, ast.Name))
            out[node.name] = {m for m in members if public(m)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = None  # a module variable: __version__, FORMAT_VERSION
        # Plain assignments at the top are type aliases (Text = Union[...]): not in the module.
    return out


def module_names(module):
    out = {}
    for name, value in vars(module).items():
        if name.startswith("_") and name not in ("__version__",):
            continue
        if inspect.isclass(value):
            members = {m for m in vars(value) if public(m)}
            out[name] = members
        else:
            out[name] = None
    return out


def compare(what: str, stubs: dict, real: dict) -> list:
    problems = []
    for name in sorted(real.keys() - stubs.keys()):
        problems.append(f"{what}: `{name}` is in the module but not in the stubs")
    for name in sorted(stubs.keys() - real.keys()):
        problems.append(f"{what}: `{name}` is in the stubs but not in the module")
    for name in sorted(real.keys() & stubs.keys()):
        r, s = real[name], stubs[name]
        if (r is None) != (s is None):
            problems.append(f"{what}: `{name}` is a {'class' if r is not None else 'function or value'}"
                            f" in the module but not in the stubs")
            continue
        if r is None:
            continue
        for m in sorted(r - s):
            problems.append(f"{what}: `{name}.{m}` is in the module but not in the stubs")
        for m in sorted(s - r):
            problems.append(f"{what}: `{name}.{m}` is in the stubs but not in the module")
    return problems


def stub_all(tree: ast.Module) -> set:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def main() -> int:
    package_dir = Path(sys.argv[1])
    import patter
    from patter import _patter

    problems = compare("patter._patter",
                       stub_names(ast.parse((package_dir / "_patter.pyi").read_text("utf-8"))),
                       module_names(_patter))
    init_stub = ast.parse((package_dir / "__init__.pyi").read_text("utf-8"))
    declared, real = stub_all(init_stub), set(patter.__all__)
    for name in sorted(real - declared):
        problems.append(f"patter.__all__: `{name}` is exported but not in __init__.pyi's __all__")
    for name in sorted(declared - real):
        problems.append(f"patter.__all__: `{name}` is in __init__.pyi's __all__ but not exported")
    imported = {a.asname or a.name for n in init_stub.body if isinstance(n, ast.ImportFrom) for a in n.names}
    for name in sorted(real - imported - {"__version__", "FORMAT_VERSION"}):
        problems.append(f"patter/__init__.pyi: `{name}` is exported but the stub does not import it")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} differences: update bindings/python/patter/*.pyi (or the bindings)")
        return 1
    print(f"stubs in sync: {len(module_names(_patter))} names of patter._patter, "
          f"{len(real)} of patter.__all__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
