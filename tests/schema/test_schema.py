#!/usr/bin/python3
"""Checks of the JSON Schema for patter scripts and of the bundled YAML files.

Run from the project root (ctest does):

    /usr/bin/python3 tests/schema/test_schema.py

Needs Debian's python3-jsonschema and python3-yaml
(apt-get install -y python3-jsonschema python3-yaml).

What it checks:
  * the schema itself is a valid draft-07 schema;
  * every file in examples/scripts and examples/intents validates against it
    and starts with the yaml-language-server line that points editors at it;
  * every complete example in docs/script-format.md validates too;
  * deliberately wrong snippets (unknown key, bad locale, bad hangup reason,
    ...) are rejected, so the schema really catches typos;
  * the bundled scripts hang together without the C++ loader: names resolve,
    `{holes}` are declared variables, every node is reachable, every node has
    a way out, every declared intent is used.
"""

import copy
import glob
import json
import os
import re
import sys
import unittest

try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover - environment problem
    sys.stderr.write(
        "test_schema.py needs python3-jsonschema and python3-yaml "
        "(apt-get install -y python3-jsonschema python3-yaml): %s\n" % e)
    sys.exit(77)  # ctest reports the test as skipped (SKIP_RETURN_CODE)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SCHEMA_PATH = os.path.join(ROOT, "schema", "patter-script.schema.json")
SCRIPTS = sorted(glob.glob(os.path.join(ROOT, "examples", "scripts", "*.yaml")))
LIBRARIES = sorted(glob.glob(os.path.join(ROOT, "examples", "intents", "*.yaml")))
PORTS = sorted(glob.glob(os.path.join(ROOT, "examples", "ports", "*", "*.yaml")))
GUIDE = os.path.join(ROOT, "docs", "script-format.md")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/patter-script.schema.json"


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML keeps the last one)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# Booleans as patter (and YAML 1.2, the editors' default) reads them: only
# true and false. PyYAML follows YAML 1.1, where `yes` and `on` are no
# words but booleans.
_BOOL = "tag:yaml.org,2002:bool"
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=StrictLoader)


def load_schema():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


def describe(errors):
    return "\n".join("  at /%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message[:300])
                     for e in errors)


MINIMAL = {
    "patter": 1,
    "id": "minimal",
    "locale": "zh-CN",
    "start": "hello",
    "intents": {"yes": ["是的", "好的"]},
    "nodes": {
        "hello": {
            "say": "您好，请问现在方便吗？",
            "routes": [{"intent": "yes", "to": "bye"}],
            "no_match": {"retries": 1, "then": "bye"},
        },
        "bye": {"say": "好的，再见。", "hangup": "completed"},
    },
}

MINIMAL_LIBRARY = {
    "patter": 1,
    "library": "mini",
    "locale": "en-US",
    "intents": {"affirm": ["yes", "sure"]},
}


def mutated(base, change):
    doc = copy.deepcopy(base)
    change(doc)
    return doc


# Each entry: (what is wrong, document). Every one must be rejected.
BAD_SNIPPETS = [
    ("unknown top-level key", mutated(MINIMAL, lambda d: d.update(nodez={}))),
    ("unknown node key", mutated(MINIMAL, lambda d: d["nodes"]["hello"].update(on_silence="bye"))),
    ("unknown route key", mutated(MINIMAL, lambda d: d["nodes"]["hello"]["routes"][0].update(goto="bye"))),
    ("unknown settings key", mutated(MINIMAL, lambda d: d.update(settings={"listen_msec": 5000}))),
    ("bad locale", mutated(MINIMAL, lambda d: d.update(locale="zh-TW"))),
    ("bad hangup reason", mutated(MINIMAL, lambda d: d["nodes"]["bye"].update(hangup="hungup"))),
    ("bad escalation reason", mutated(MINIMAL, lambda d: d["nodes"].update(
        bye={"say": "请稍等。", "escalate": "bored"}))),
    ("bad escalation priority", mutated(MINIMAL, lambda d: d["nodes"].update(
        bye={"say": "请稍等。", "escalate": {"reason": "interested", "priority": "asap"}}))),
    ("bad global hangup reason", mutated(MINIMAL, lambda d: d.update(
        globals=[{"intent": "yes", "hangup": "rude"}]))),
    ("routes and hangup on one node", mutated(MINIMAL, lambda d: d["nodes"]["hello"].update(hangup="completed"))),
    ("node with no routes, next, hangup or escalate", mutated(MINIMAL, lambda d: d["nodes"]["bye"].pop("hangup"))),
    ("no_match on a terminal node", mutated(MINIMAL, lambda d: d["nodes"]["bye"].update(no_match={"then": "bye"}))),
    ("33 phrasings", mutated(MINIMAL, lambda d: d["nodes"]["hello"].update(say=[str(i) for i in range(33)]))),
    ("route without to", mutated(MINIMAL, lambda d: d["nodes"]["hello"]["routes"][0].pop("to"))),
    ("route without intent or key", mutated(MINIMAL, lambda d: d["nodes"]["hello"]["routes"][0].pop("intent"))),
    ("bad DTMF key", mutated(MINIMAL, lambda d: d["nodes"]["hello"]["routes"][0].update(key="x"))),
    ("intent named any", mutated(MINIMAL, lambda d: d["intents"].update(any=["随便"]))),
    ("variable named after a counter", mutated(MINIMAL, lambda d: d.update(variables={"score": 1}))),
    ("variable name with a dash", mutated(MINIMAL, lambda d: d.update(variables={"first-name": "x"}))),
    ("number variable with text default", mutated(MINIMAL, lambda d: d.update(
        variables={"age": {"type": "number", "default": "十八"}}))),
    ("unknown variable type", mutated(MINIMAL, lambda d: d.update(variables={"age": {"type": "int"}}))),
    ("version as a number", mutated(MINIMAL, lambda d: d.update(version=1.0))),
    ("format version 2", mutated(MINIMAL, lambda d: d.update(patter=2))),
    ("missing start", mutated(MINIMAL, lambda d: d.pop("start"))),
    ("missing locale", mutated(MINIMAL, lambda d: d.pop("locale"))),
    ("grade F", mutated(MINIMAL, lambda d: d.update(grading={"rules": [{"grade": "F", "when": "score > 1"}]}))),
    ("grades listed twice", mutated(MINIMAL, lambda d: d.update(grades=["A1", "A1"]))),
    ("close map with an unknown limit", mutated(MINIMAL, lambda d: d.update(limits={"close": {"max_turn": "bye"}}))),
    ("at_total count that is not a number", mutated(MINIMAL, lambda d: d["nodes"]["hello"].update(
        no_match={"at_total": {"second": "bye"}}))),
    ("globals that is neither none nor a list", mutated(MINIMAL, lambda d: d["nodes"]["hello"].update(globals="some"))),
    ("grading rule without when", mutated(MINIMAL, lambda d: d.update(grading={"rules": [{"grade": "A"}]}))),
    ("global with goto and hangup", mutated(MINIMAL, lambda d: d.update(
        globals=[{"intent": "yes", "goto": "bye", "hangup": "completed"}]))),
    ("listen_ms under 500", mutated(MINIMAL, lambda d: d["nodes"]["hello"].update(listen_ms=100))),
    ("global handler for any reply", mutated(MINIMAL, lambda d: d.update(globals=[{"intent": "any", "say": "嗯"}]))),
    ("negative retries", mutated(MINIMAL, lambda d: d["nodes"]["hello"]["no_match"].update(retries=-1))),
    ("limits with a typo", mutated(MINIMAL, lambda d: d.update(limits={"max_turn": 10}))),
    ("both id and library", mutated(MINIMAL, lambda d: d.update(library="x"))),
    ("library with start", mutated(MINIMAL_LIBRARY, lambda d: d.update(start="hello"))),
    ("library with settings", mutated(MINIMAL_LIBRARY, lambda d: d.update(settings={"listen_ms": 100}))),
    ("library without locale", mutated(MINIMAL_LIBRARY, lambda d: d.pop("locale"))),
    ("neither id nor library", mutated(MINIMAL, lambda d: d.pop("id"))),
    ("call beside routes", mutated(MINIMAL, lambda d: d["nodes"]["hello"].update(call="confirm"))),
    ("an interrupt policy that is not one", mutated(MINIMAL, lambda d: d["nodes"]["hello"].update(interrupt="sometimes"))),
    ("a flow without nodes", mutated(MINIMAL, lambda d: d.update(flows={"confirm": {"start": "ask"}}))),
    ("a flow name with a dot", mutated(MINIMAL, lambda d: d.update(flows={"a.b": {"nodes": {"x": {"return": "ok"}}}}))),
]


class SchemaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.schema = load_schema()
        cls.validator = jsonschema.Draft7Validator(cls.schema)

    def assertValid(self, doc, what):
        errors = sorted(self.validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        self.assertFalse(errors, "%s does not validate:\n%s" % (what, describe(errors)))

    def test_schema_is_a_valid_draft7_schema(self):
        jsonschema.Draft7Validator.check_schema(self.schema)

    def test_every_property_has_a_description(self):
        missing = []

        def walk(node, path):
            if isinstance(node, dict):
                props = node.get("properties")
                if isinstance(props, dict):
                    for name, sub in props.items():
                        if isinstance(sub, dict) and "description" not in sub and "$ref" not in sub:
                            missing.append("%s/%s" % (path, name))
                        if isinstance(sub, dict) and "$ref" in sub and "description" not in sub:
                            target = sub["$ref"].split("/")[-1]
                            if "description" not in self.schema["definitions"].get(target, {}):
                                missing.append("%s/%s" % (path, name))
                for key, value in node.items():
                    if key not in ("if", "then", "else"):  # constraints, not declarations
                        walk(value, "%s/%s" % (path, key))
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, "%s/%d" % (path, i))

        walk(self.schema, "")
        self.assertEqual(missing, [], "properties without a description")

    def test_there_are_bundled_files(self):
        self.assertGreaterEqual(len(SCRIPTS), 4)
        self.assertGreaterEqual(len(LIBRARIES), 2)

    def test_bundled_files_validate(self):
        for path in SCRIPTS + LIBRARIES:
            with self.subTest(file=os.path.relpath(path, ROOT)):
                self.assertValid(load_yaml(path), os.path.relpath(path, ROOT))

    def test_bundled_files_point_editors_at_the_schema(self):
        for path in SCRIPTS + LIBRARIES:
            with self.subTest(file=os.path.relpath(path, ROOT)):
                with open(path, encoding="utf-8") as f:
                    self.assertEqual(f.readline().rstrip("\n"), SCHEMA_LINE)

    def test_ported_scripts_validate_and_point_at_the_schema(self):
        self.assertGreaterEqual(len(PORTS), 2)
        for path in PORTS:
            with self.subTest(file=os.path.relpath(path, ROOT)):
                self.assertValid(load_yaml(path), os.path.relpath(path, ROOT))
                with open(path, encoding="utf-8") as f:
                    self.assertEqual(f.readline().rstrip("\n"), "# yaml-language-server: "
                                     "$schema=../../../schema/patter-script.schema.json")

    def test_scripts_are_scripts_and_libraries_are_libraries(self):
        for path in SCRIPTS:
            self.assertIn("id", load_yaml(path), path)
        for path in LIBRARIES:
            self.assertIn("library", load_yaml(path), path)

    def test_complete_examples_in_the_guide_validate(self):
        if not os.path.exists(GUIDE):
            self.skipTest("docs/script-format.md not written yet")
        with open(GUIDE, encoding="utf-8") as f:
            text = f.read()
        blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
        complete = [b for b in blocks if re.search(r"^patter: 1\b", b, flags=re.M)]
        self.assertGreaterEqual(len(complete), 3, "the guide should have complete examples")
        for i, block in enumerate(complete):
            with self.subTest(block=i):
                self.assertValid(yaml.load(block, Loader=StrictLoader), "guide example %d" % i)

    def test_minimal_documents_validate(self):
        self.assertValid(MINIMAL, "minimal script")
        self.assertValid(MINIMAL_LIBRARY, "minimal library")

    def test_shorthands_validate(self):
        doc = mutated(MINIMAL, lambda d: d.update(
            variables={"company": "学程教育", "age": 0, "vip": False,
                       "name": {"type": "string", "required": True}},
            globals=[{"intent": ["yes"], "say": ["好的。", "好。"], "reprompt": False, "max_times": 2},
                     {"intent": "yes", "escalate": "asked_for_human"},
                     {"intent": "yes", "escalate": {"reason": "complaint", "priority": "urgent"}}]))
        doc["nodes"]["hello"]["routes"].insert(0, {"key": "1", "to": "bye", "tags": "pressed"})
        doc["nodes"]["hello"]["routes"].insert(0, {"key": 2, "intent": "any", "when": "score > 3", "to": "bye"})
        doc["nodes"]["pass"] = {"say": "{{literal}}", "next": "bye"}
        doc["nodes"]["human"] = {"escalate": {"reason": "question"}}
        doc["variables"]["later"] = None  # declared without a default
        doc["intents"]["no"] = "不是"
        doc["intents"]["maybe"] = {"phrases": "可能吧", "opposite": "no"}
        doc["include"] = "../intents/common.zh-CN.yaml"
        self.assertValid(doc, "script with shorthands")

    def test_limits_constructs_validate(self):
        doc = mutated(MINIMAL, lambda d: d.update(
            grades=["A1", "A2", "B", "X"],
            grading={"rules": [{"grade": "A1", "when": "score > 1"}], "default": "X"},
            limits={"max_turns": 10, "close": {"default": "bye", "max_turns": "bye", "no_match_total": "bye"}},
            globals=[{"intent": "yes", "say": "好的。", "repeat": True}]))
        doc["nodes"]["hello"]["globals"] = ["yes"]
        doc["nodes"]["hello"]["no_match"] = {"retries": 1, "at_total": {2: "bye"}}
        doc["nodes"]["hello"]["no_input"] = {"at_total": {"3": "bye"}}
        doc["nodes"]["hello"]["say"] = [str(i) for i in range(6)]
        doc["nodes"]["bye"]["globals"] = "none"
        self.assertValid(doc, "script with per-limit closes, at_total, globals, repeat, grades")

    def test_wrong_snippets_are_rejected(self):
        for what, doc in BAD_SNIPPETS:
            with self.subTest(wrong=what):
                self.assertFalse(self.validator.is_valid(doc), "accepted: " + what)


# ---------------------------------------------------------------------------
# Consistency of the bundled scripts, checked without the C++ loader.

COUNTERS = {"score", "turns", "duration_s", "silences", "no_matches", "nodes_passed",
            "escalations", "outcome", "reason", "no_matches_in_row", "silences_in_row"}
WORDS = {"and", "or", "not", "true", "false"}
FUNCTIONS = {"tagged", "visits", "visited", "heard"}


def limit_nodes(script):
    """The nodes the limits go to: `close` (one, or one per limit) and `escalate_node`."""
    limits = script.get("limits", {})
    close = limits.get("close")
    out = list(close.values()) if isinstance(close, dict) else as_list(close)
    return out + as_list(limits.get("escalate_node"))


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def merged(path):
    """The script at `path` with its includes merged in, like the loader does."""
    script = load_yaml(path)
    base = os.path.dirname(path)
    for rel in script.get("include", []):
        if "/" not in rel and not rel.endswith((".yaml", ".yml")):  # a library, by name
            lib = load_yaml(os.path.join(ROOT, "examples", "intents", rel + ".yaml"))
        else:
            lib = load_yaml(os.path.normpath(os.path.join(base, rel)))
        if lib.get("locale") != script.get("locale"):
            raise AssertionError("%s: include %s has locale %s" % (path, rel, lib.get("locale")))
        for section in ("intents", "variables", "nodes"):
            for name, value in (lib.get(section) or {}).items():
                if name in script.get(section, {}):
                    raise AssertionError("%s: %s `%s` defined twice" % (path, section, name))
                script.setdefault(section, {})[name] = value
        script["globals"] = list(script.get("globals") or []) + list(lib.get("globals") or [])
    flatten_flows(script)
    return script


def flatten_flows(script):
    """A flow's nodes among the script's as `flow.node`, their names resolved
    in the flow, like the loader does; `_flow_starts` maps a flow to its start."""
    script["_flow_starts"] = {}
    for flow_name, flow in (script.get("flows") or {}).items():
        def q(name, flow_name=flow_name):
            return "%s.%s" % (flow_name, name)
        for name, node in flow["nodes"].items():
            node = copy.deepcopy(node)
            for route in node.get("routes", []):
                route["to"] = q(route["to"])
            if "next" in node:
                node["next"] = q(node["next"])
            for key in ("no_match", "no_input"):
                fb = node.get(key) or {}
                for k in ("then", "long_reply"):
                    if k in fb:
                        fb[k] = q(fb[k])
            if isinstance(node.get("call"), dict) and "then" in node["call"]:
                node["call"]["then"] = q(node["call"]["then"])
            if "on_return" in node:
                node["on_return"] = {k: q(v) for k, v in node["on_return"].items()}
            script["nodes"][q(name)] = node
        script["_flow_starts"][flow_name] = q(flow.get("start", next(iter(flow["nodes"]))))


def holes(line):
    return [m.group(1) for m in re.finditer(r"\{\{|\}\}|\{([^{}]*)\}", line) if m.group(1) is not None]


class BundledScriptsTest(unittest.TestCase):
    def each(self):
        """(file name, merged script) for every bundled script."""
        return [(os.path.relpath(path, ROOT), merged(path)) for path in SCRIPTS]

    @staticmethod
    def lines_of(script):
        for name, node in script["nodes"].items():
            for line in as_list(node.get("say")):
                # a phrasing with a guard: `{text: ..., when: ...}`
                yield "node %s" % name, line["text"] if isinstance(line, dict) else line
            for key in ("no_match", "no_input"):
                for line in as_list((node.get(key) or {}).get("reprompts")):
                    yield "node %s %s" % (name, key), line
        for i, handler in enumerate(script.get("globals", [])):
            for line in as_list(handler.get("say")):
                yield "global %d" % i, line

    @staticmethod
    def expressions_of(script):
        for name, node in script["nodes"].items():
            for route in node.get("routes", []):
                if "when" in route:
                    yield "node %s" % name, route["when"]
            for branch in node.get("branch", []):
                if "when" in branch:
                    yield "node %s branch" % name, branch["when"]
            for line in as_list(node.get("say")):
                if isinstance(line, dict) and "when" in line:
                    yield "node %s say" % name, line["when"]
        for rule in (script.get("grading") or {}).get("rules", []):
            yield "grading %s" % rule["grade"], rule["when"]

    @staticmethod
    def edges(script):
        """Node -> successors through routes, next and fallbacks (not globals)."""
        out = {}
        for name, node in script["nodes"].items():
            succ = [r["to"] for r in node.get("routes", [])]
            succ += [node["next"]] if "next" in node else []
            succ += [b["to"] for b in node.get("branch", [])]
            if "fetch" in node:  # where the host's answer, its failure or its silence leads
                fetch = node["fetch"]
                succ += [r["to"] for r in fetch.get("routes", [])]
                succ += [fetch[k] for k in ("timeout", "failed") if k in fetch]
            for key in ("no_match", "no_input"):
                fb = node.get(key) or {}
                succ += [fb[k] for k in ("then", "long_reply") if k in fb]
                succ += list((fb.get("at_total") or {}).values())
            if "call" in node:  # into the flow, and on from it by each outcome
                call = node["call"] if isinstance(node["call"], dict) else {"flow": node["call"]}
                succ += [script["_flow_starts"][call["flow"]]]
                succ += [call["then"]] if "then" in call else []
                succ += list(node.get("on_return", {}).values())
            out[name] = succ
        return out

    def test_references_resolve(self):
        for fname, s in self.each():
            with self.subTest(file=fname):
                nodes, intents = s["nodes"], s.get("intents", {})
                self.assertIn(s["start"], nodes)
                refs = [("limits", n) for n in limit_nodes(s)]
                for name, succ in self.edges(s).items():
                    refs += [("node " + name, t) for t in succ]
                refs += [("global", g["goto"]) for g in s.get("globals", []) if "goto" in g]
                for where, target in refs:
                    self.assertIn(target, nodes, "%s: no node `%s`" % (where, target))
                used = []
                for name, node in nodes.items():
                    for r in node.get("routes", []):
                        used += [("node " + name, i) for i in as_list(r.get("intent"))]
                for g in s.get("globals", []):
                    used += [("global", i) for i in as_list(g["intent"])]
                for where, intent in used:
                    self.assertTrue(intent == "any" or intent in intents, "%s: no intent `%s`" % (where, intent))
                for name, intent in intents.items():
                    if isinstance(intent, dict) and "opposite" in intent:
                        self.assertIn(intent["opposite"], intents, "intent %s: opposite" % name)
                unused = set(intents) - {i for _, i in used}
                self.assertEqual(unused, set(), "declared intents never routed or handled")

    def test_lines_use_declared_variables(self):
        for fname, s in self.each():
            with self.subTest(file=fname):
                variables = set(s.get("variables", {}))
                for where, line in self.lines_of(s):
                    for name in holes(line):
                        self.assertIn(name, variables, "%s: `{%s}` in %r" % (where, name, line))

    def test_pattern_groups_are_declared_variables(self):
        for fname, s in self.each():
            with self.subTest(file=fname):
                variables = set(s.get("variables", {}))
                for name, intent in s.get("intents", {}).items():
                    for pattern in (intent.get("patterns", []) if isinstance(intent, dict) else []):
                        for group in re.findall(r"\(\?<([A-Za-z][A-Za-z0-9]*)>", pattern):
                            self.assertIn(group, variables, "intent %s captures `%s`" % (name, group))
                        self.assertNotRegex(pattern, r"\(\?<[^>]*_[^>]*>", "ICU group names have no `_`")

    def test_expressions_name_real_things(self):
        for fname, s in self.each():
            with self.subTest(file=fname):
                variables = set(s.get("variables", {}))
                for where, expr in self.expressions_of(s):
                    for fn, arg in re.findall(r"(\w+)\(\s*'([^']*)'\s*\)", expr):
                        self.assertIn(fn, FUNCTIONS, "%s: %s" % (where, expr))
                        if fn in ("visits", "visited"):
                            self.assertIn(arg, s["nodes"], "%s: %s" % (where, expr))
                        if fn == "heard":
                            self.assertIn(arg, s.get("intents", {}), "%s: %s" % (where, expr))
                    bare = re.sub(r"'[^']*'|\"[^\"]*\"", "", expr)
                    for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", bare):
                        self.assertIn(name, COUNTERS | WORDS | FUNCTIONS | variables, "%s: `%s`" % (where, name))

    def test_required_variable_and_enough_nodes(self):
        for fname, s in self.each():
            with self.subTest(file=fname):
                self.assertGreaterEqual(len(s["nodes"]), 12)
                required = [n for n, v in s.get("variables", {}).items() if isinstance(v, dict) and v.get("required")]
                self.assertTrue(required, "at least one required variable")

    def test_every_node_is_reachable(self):
        for fname, s in self.each():
            with self.subTest(file=fname):
                edges = self.edges(s)
                extra = [g["goto"] for g in s.get("globals", []) if "goto" in g]
                extra += limit_nodes(s)
                seen, todo = set(), [s["start"]] + extra
                while todo:
                    n = todo.pop()
                    if n not in seen:
                        seen.add(n)
                        todo += edges[n]
                self.assertEqual(set(s["nodes"]) - seen, set(), "unreachable nodes")

    def test_every_node_can_end_the_call(self):
        # Globals never count as a way out: a script must not rely on the
        # customer saying "stop calling me" to leave a loop.
        for fname, s in self.each():
            with self.subTest(file=fname):
                edges = self.edges(s)
                ends = {n for n, node in s["nodes"].items()
                        if "hangup" in node or "escalate" in node or "return" in node}
                can_end = set(ends)
                changed = True
                while changed:
                    changed = False
                    for n, succ in edges.items():
                        if n not in can_end and any(t in can_end for t in succ):
                            can_end.add(n)
                            changed = True
                self.assertEqual(set(s["nodes"]) - can_end, set(), "nodes with no path to a hangup or escalation")

    def test_nodes_on_loops_vary_their_wording(self):
        # A listening node the call can come back to should have 2 to 4
        # phrasings, so a revisit never sounds like a broken record.
        for fname, s in self.each():
            with self.subTest(file=fname):
                edges = self.edges(s)
                for node_name, node in s["nodes"].items():
                    if "routes" not in node:
                        continue
                    seen, todo = set(), list(edges[node_name])
                    while todo:
                        n = todo.pop()
                        if n not in seen:
                            seen.add(n)
                            todo += edges[n]
                    if node_name in seen:
                        self.assertGreaterEqual(len(as_list(node.get("say"))), 2,
                                                "node %s can be revisited" % node_name)

if __name__ == "__main__":
    unittest.main(verbosity=2)
