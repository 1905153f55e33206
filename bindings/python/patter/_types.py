"""Plain data that patter hands back: script parts, results, desk reports.

All are frozen dataclasses; those a CRM or a report stores have
``to_dict()`` and ``to_json()``.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    "Route", "Node", "Intent", "Variable", "IntentMatch", "TranscriptEntry", "CallResult",
    "Observer", "OpenedCall", "Suggestion", "Assist", "CallInfo", "ListenEvent", "DeskCounters",
    "AgentStats", "GrabDecision", "TrainingAssessment", "CoachingNote", "PersonAssignment",
    "Routing", "RoutedCall",
    "Branch",
    "Persona", "CallContext", "SimulatedCall", "FunnelRow", "EdgeTraffic", "AgentRow",
    "TestCase", "TestFailure", "CaseResult", "CoverageRatio", "Coverage",
]


class _Dict:
    def to_dict(self) -> Dict[str, Any]:
        """The fields as plain dicts, lists and scalars."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        """One JSON object (UTF-8 text kept as it is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


# ---- the script ---------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    """A way out of a node: intents (or ``any``, or keys), a guard, a target."""
    intents: List[str]
    any: bool
    keys: str
    when: Optional[str]
    to: str
    tags: List[str]
    score: float
    file: str = ""
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Branch:
    """A way out of a decision node, taken without a reply: a guard (None:
    otherwise) and a target."""
    when: Optional[str]
    to: str
    file: str = ""
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Node:
    """One step of the script: what the robot says and where the call goes."""
    id: int
    name: str
    kind: str  # listen, pass, hangup, escalate, branch, call, return
    lines: List[str]
    recording: str
    barge_in: bool
    listen_ms: int
    tags: List[str]
    score: float
    max_visits: int
    routes: List[Route]
    next: Optional[str]
    hangup: Optional[str]
    escalation: Optional[str]
    priority: Optional[str]
    file: str = ""
    line: int = 0
    column: int = 0
    #: A decision node's branches, in order (the last is taken otherwise).
    branches: List[Branch] = field(default_factory=list)
    #: The variable a reply at this node fills (``capture:``), if any.
    capture: Optional[str] = None
    flow: Optional[str] = None  # the flow the node is in (its name is `flow.node`)
    calls: Optional[str] = None  # kind "call": the flow it runs
    interrupt: str = "any"  # any, never, only (interrupt_intents), clarify
    interrupt_intents: List[str] = field(default_factory=list)

    @property
    def terminal(self) -> bool:
        """The node ends the robot's part of the call (hangs up or escalates)."""
        return self.kind in ("hangup", "escalate")


@dataclass(frozen=True)
class TerminalPath:
    """The shortest way from the start to a node that ends the call."""
    terminal: str
    turns: int  # the fewest customer replies; -1 when it cannot be reached
    path: List[str]  # start first, the terminal node last


@dataclass(frozen=True)
class GraphReport:
    """What ``patter.analyze(script)`` finds in the script's graph."""
    unreachable: List[str]
    dead_ends: List[str]
    trap_cycles: List[List[str]]  # node sets from which no terminal node can be reached
    terminal_paths: List[TerminalPath]


@dataclass(frozen=True)
class Intent:
    """Something the customer may mean, with the words that say it."""
    id: int
    name: str
    phrases: List[str]
    patterns: List[str]
    examples: List[str]
    opposite: Optional[str]
    priority: int
    score: float
    opt_out: bool
    file: str = ""
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Variable:
    name: str
    type: str  # text, number, boolean
    default: Optional[str]
    required: bool


@dataclass(frozen=True)
class IntentMatch:
    """One intent found in an utterance, and on which words."""
    intent: Optional[str]
    source: str  # phrase, pattern, example, host
    confidence: float
    text: str    # the words, in the normalised text
    begin: int
    end: int
    rule: int
    negated: bool
    original: Optional[str]  # the phrase's own intent, when a negation flipped it


# ---- calls --------------------------------------------------------------------

@dataclass(frozen=True)
class TranscriptEntry(_Dict):
    who: str  # robot, customer, key, silence, agent
    at_ms: int
    node: Optional[str]
    intent: Optional[str]
    text: str
    speaker: Optional[str] = None  # agent: who said it (the person's id)


@dataclass(frozen=True)
class CallResult(_Dict):
    """Everything a CRM needs about a call (complete once it has ended).

    ``to_dict()`` has the shape of the C++ ``CallResult::to_json``
    (``Session.result_json()``): ``escalation`` only when escalated,
    ``transcript`` only when kept.
    """
    script: str
    version: str
    fingerprint: str
    outcome: str  # none, completed, hangup, escalated, customer_hangup, no_answer, voicemail, error
    hangup: str
    escalated: bool
    escalation: Optional[str]
    grade: str
    tags: List[str]
    score: float
    path: List[str]
    turns: int
    silences: int
    no_matches: int
    duration_ms: int
    transcript: List[TranscriptEntry] = field(default_factory=list)
    # The A/B tests the call took part in: experiment -> variant.
    variants: Dict[str, str] = field(default_factory=dict)
    # Every declared variable at the end, by name (numbers as float, booleans
    # as bool, text and a time's words as str).
    variables: Dict[str, Any] = field(default_factory=dict)
    # Each filled ``time`` variable's moment, ms since 1970 UTC.
    times: Dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> Dict[str, Any]:
        d = dataclasses.asdict(self)
        if not self.variants:
            del d["variants"]
        if not self.escalated:
            del d["escalation"]
        if not self.variables:
            del d["variables"]
        if not self.times:
            del d["times"]
        if not self.transcript:
            del d["transcript"]
        else:
            for e in d["transcript"]:
                for k in ("node", "intent", "speaker"):
                    if e[k] is None:
                        del e[k]
        return d


class Observer:
    """Hooks into a Session. Subclass it and override what you need.

    The hooks run at the end of each step, once the session's state is
    complete: ``node_entered`` for each node entered, then ``said``,
    ``tagged``, ``escalated`` and ``call_ended`` in the order of the
    actions, then ``turn``. An exception raised in a hook does not stop the
    others or change the call: the first one is raised again from
    ``Session.step`` after the step, with the step's Turn attached as
    ``exc.patter_turn``. Only the hooks a subclass overrides are called.
    """

    def node_entered(self, session: Any, node: str) -> None:
        """The call entered ``node``."""

    def said(self, session: Any, action: Any) -> None:
        """The robot says ``action.text``."""

    def tagged(self, session: Any, tag: str) -> None:
        """The call got ``tag``."""

    def escalated(self, session: Any, action: Any) -> None:
        """The call asks for a person (``action.reason``, ``action.priority``)."""

    def turn(self, session: Any, turn: Any) -> None:
        """The whole step (``turn.explain()`` says why)."""

    def call_ended(self, session: Any, result: CallResult) -> None:
        """The call is over."""


# ---- the desk -----------------------------------------------------------------

@dataclass(frozen=True)
class OpenedCall:
    id: int
    agent: str  # who supervises it


@dataclass(frozen=True)
class Suggestion:
    text: str
    node: Optional[str]


@dataclass(frozen=True)
class Assist(_Dict):
    """Help for the person on a call: what the script would say now."""
    heard: str
    intents: List[str]
    lines: List[Suggestion]
    decision: str
    grade: str
    score: float


@dataclass(frozen=True)
class CoachingNote(_Dict):
    """A note on a call (Desk.note): kept with the call, at most 32 of them."""
    author: str
    text: str
    at_ms: int


@dataclass(frozen=True)
class CallInfo(_Dict):
    id: int
    supervisor: str
    with_agent: Optional[str]  # the person who has the call
    phase: str
    node: Optional[str]
    score: float
    queued: bool
    escalated_at_ms: int
    barged: Optional[str] = None  # a supervisor on the call beside them
    notes: List[CoachingNote] = field(default_factory=list)  # oldest first
    remote: bool = False  # its session is the host's (Desk.open_remote); node is None


@dataclass(frozen=True)
class ListenEvent(_Dict):
    """What a listen-in subscriber sees: robot_said, customer_said, key,
    silence, escalated, queued, joined, handed_back, ended; and whispered,
    barged, taken_over, noted, reassigned, person_said, left (supervisors and
    the people on the call: ``agent`` is who did it)."""
    call: int
    type: str
    at_ms: int
    text: str
    agent: Optional[str]
    node: Optional[str]
    intent: Optional[str]


@dataclass(frozen=True)
class DeskCounters(_Dict):
    """Where every escalation went: once nothing waits,
    ``raised == taken + gave_up + ended_waiting``. A take-over of a call a
    person has is no new escalation; a reassignment counts as taken."""
    calls_opened: int
    calls_ended: int
    raised: int
    taken: int
    gave_up: int
    ended_waiting: int
    queued: int
    grabs: int
    take_overs: int = 0
    barges: int = 0
    reassigned: int = 0


@dataclass(frozen=True)
class AgentStats(_Dict):
    agent: str
    calls_supervised: int
    escalations: int
    grabs: int
    hand_backs: int
    mean_time_to_take_ms: float
    outcomes: Dict[str, int]
    take_overs: int = 0  # a supervisor's
    barges: int = 0
    reassigned: int = 0


@dataclass(frozen=True)
class PersonAssignment:
    """A call given to a person by the router: bridge them in."""
    call: int
    agent: str


@dataclass(frozen=True)
class Routing:
    """The router's answer to an event: the calls to give to people now."""
    assigned: List[PersonAssignment]
    queued: bool  # escalated: the call waits in the queue


@dataclass(frozen=True)
class RoutedCall(_Dict):
    """A call as patter.DeskRouter sees it."""
    id: int
    supervisor: str
    with_agent: Optional[str]
    barged: Optional[str]
    waiting: bool
    queued: bool
    escalated_at_ms: int


@dataclass(frozen=True)
class GrabDecision(_Dict):
    call: int
    verdict: str  # on_time, early, late, missed, needless
    offset_ms: int


@dataclass(frozen=True)
class TrainingAssessment(_Dict):
    """A trainee's takeover decisions, graded against the script."""
    trainee: str
    decisions: List[GrabDecision]
    on_time: int
    early: int
    late: int
    missed: int
    needless: int
    mean_offset_ms: float
    score: float  # share on time, 0..1


# ---- simulation and statistics --------------------------------------------------

@dataclass(frozen=True)
class Persona(_Dict):
    """A simulated customer type (docs/simulating.md)."""
    name: str
    share: float      # relative weight in the population
    answer: float     # of calls dialled: picked up by the customer
    voicemail: float  # ... taken by an answering machine
    buys: float       # a person who takes the call closes it
    ring_ms: Tuple[int, int]
    think_ms: Tuple[int, int]
    patience_ms: Tuple[int, int]


@dataclass(frozen=True)
class CallContext(_Dict):
    """What the campaign knows about a call beyond its CallResult. Times in
    ms on the campaign's clock; ``wait_ms`` is None when never escalated."""
    persona: str = ""
    agent: str = ""
    dialed_ms: int = 0
    ended_ms: int = 0
    wait_ms: Optional[int] = None
    taken: bool = False
    grabbed: bool = False
    person_ms: int = 0

    def to_dict(self) -> Dict[str, Any]:
        """The shape of the ``"call"`` object in a results line."""
        d: Dict[str, Any] = {}
        if self.persona:
            d["persona"] = self.persona
        if self.agent:
            d["agent"] = self.agent
        d["dialed_ms"] = self.dialed_ms
        d["ended_ms"] = self.ended_ms
        if self.wait_ms is not None:
            d["wait_ms"] = self.wait_ms
        d["taken"] = self.taken
        d["grabbed"] = self.grabbed
        d["person_ms"] = self.person_ms
        return d


def _json_line(result: CallResult, context: Optional[CallContext] = None) -> str:
    """A results line: the result's JSON with the context as ``"call"``."""
    d = result.to_dict()
    if context is not None:
        d["call"] = context.to_dict()
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class SimulatedCall:
    """One simulated call: who it was, its result and context, and (for the
    kept transcripts) the conversation as text."""
    persona: str
    agent: str  # the person who took the call, "" when none did
    result: CallResult
    context: CallContext
    text: str = ""

    def to_json_line(self) -> str:
        """The line ``patter simulate --results`` writes; ``Stats.add`` reads it."""
        return _json_line(self.result, self.context)


@dataclass(frozen=True)
class FunnelRow(_Dict):
    node: str
    reached: int    # calls that entered the node (once per call)
    hung_up: int    # the customer hung up while the robot was here
    escalated: int  # the call was escalated here
    converted: int  # calls through here that converted


@dataclass(frozen=True)
class EdgeTraffic(_Dict):
    source: str
    target: str
    calls: int


@dataclass(frozen=True)
class VariantRow(_Dict):
    """One variant of an A/B test: its calls, conversions and 95% intervals."""
    variant: str
    calls: int
    converted: int
    rate: float       # 0..1
    rate_low: float   # 95% interval (Wilson)
    rate_high: float
    diff: float       # rate minus the control's (0 for the control)
    diff_low: float   # 95% interval of the difference (Newcombe)
    diff_high: float
    verdict: str      # against the control, in plain words ("" for the control)


@dataclass(frozen=True)
class ExperimentReport(_Dict):
    experiment: str
    variants: List[VariantRow]  # the control first


@dataclass(frozen=True)
class AgentRow(_Dict):
    agent: str
    calls: int
    grabbed: int
    sold: int
    busy_ms: int
    utilisation: float  # 0..1


# ---- conversation tests ---------------------------------------------------------

@dataclass(frozen=True)
class TestCase(_Dict):
    """A case of a test file (one call)."""
    __test__ = False  # not a pytest test class
    name: str
    description: str
    turns: int
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class TestFailure(_Dict):
    """An expectation that did not hold; ``turn`` is 1-based, 0 for the end of the call."""
    __test__ = False
    turn: int
    what: str  # node, says, outcome, ...
    expected: str
    actual: str
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class CaseResult(_Dict):
    """How a case went: its failures, a readable ``diff`` and the call's result."""
    name: str
    passed: bool
    failures: List[TestFailure]
    diff: str
    result: CallResult
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class CoverageRatio(_Dict):
    covered: int
    total: int
    percent: float


@dataclass(frozen=True)
class Coverage:
    """What the cases reached. ``str()`` is the readable report (percentages,
    then what no test reaches, with source places); ``to_json()`` one object."""
    nodes: CoverageRatio
    routes: CoverageRatio
    intents: CoverageRatio
    handlers: CoverageRatio
    variants: CoverageRatio        # A/B test variants entered (0 of 0 without variants)
    node_counts: Dict[str, int]    # entries per node
    intent_counts: Dict[str, int]  # times heard per intent
    text: str = field(repr=False)
    json: str = field(repr=False)

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> str:
        return self.json

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self.json)


@dataclass(frozen=True)
class TimeMention:
    """A time the customer named, as ``patter.find_time`` resolves it."""
    at: datetime.datetime  # the moment meant, in UTC
    grain: str  # day, part_of_day, hour or minute: how precisely it was named
    begin: int  # where in the text it was named, in characters
    end: int
