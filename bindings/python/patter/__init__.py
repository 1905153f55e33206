"""patter: telesales call scripts as intent-driven state graphs.

Load a script once, run one Session per call, feed it events and carry out
the actions it returns::

    import patter

    script = patter.load_file("examples/scripts/appointment.en-US.yaml")
    call = patter.Session.start(script, {"first_name": "Ann"})
    turn = call.step(patter.answered(at=0))
    print(turn.said)                    # ['Hi, is this Ann?']
    turn = call.step(patter.say("yes, speaking", at=3200))
    print(turn.actions)                 # [Say('This is Emma with ...'), Listen(6000 ms)]
    print(turn.explain())               # which intent, on which words, which route and why
    ...
    if call.ended:
        crm.save(call.result().to_dict())

Errors are exceptions: ``ScriptError`` (with file, line, column and code)
when a script has errors, ``StartError`` for bad call variables,
``EventError`` (with the status) when a session refuses an event,
``RestoreError`` for snapshot bytes that do not fit, ``DeskError`` when the
desk refuses an operation, ``EvaluationError`` for an evaluation set that
does not read. A refused event leaves the session exactly as it
was. See docs/python.md.
"""

from . import _patter
from ._errors import (
    DeskError,
    EvaluationError,
    EventError,
    PatterError,
    PersonaError,
    RestoreError,
    ScriptError,
    StartError,
    StatsError,
    TestFileError,
    TrainingError,
)
from ._patter import (
    Action,
    Desk,
    DeskRouter,
    CategoryScore,
    Diagnostic,
    LoadOptions,
    EvalMiss,
    Evaluation,
    Event,
    IntentScore,
    Personas,
    Script,
    Session,
    Simulation,
    Stats,
    StatsReport,
    Subscription,
    TestReport,
    TestSuite,
    Training,
    TrainingReport,
    Turn,
    Understanding,
    agent_joined,
    agent_left,
    agent_said,
    analyze,
    answered,
    default_personas,
    evaluate,
    find_tests_for,
    find_time,
    hangup,
    intent,
    intents,
    is_tests_file,
    library_path,
    key,
    load_file,
    load_personas_file,
    load_personas_string,
    load_string,
    load_tests_file,
    load_tests_string,
    not_understood,
    data,
    host_call_id,
    is_remote_call,
    remote_call,
    run_tests,
    say,
    script_for_tests,
    silence,
    simulate,
    timer,
    voicemail,
)
from ._types import (
    AgentRow,
    AgentStats,
    Assist,
    Branch,
    CallContext,
    CallInfo,
    CallResult,
    CaseResult,
    CoachingNote,
    Coverage,
    CoverageRatio,
    DeskCounters,
    EdgeTraffic,
    ExperimentReport,
    FunnelRow,
    GrabDecision,
    GraphReport,
    Intent,
    IntentMatch,
    ListenEvent,
    Node,
    Observer,
    OpenedCall,
    Persona,
    PersonAssignment,
    Route,
    RoutedCall,
    Routing,
    SimulatedCall,
    Suggestion,
    TestCase,
    TerminalPath,
    TestFailure,
    TimeMention,
    TrainingAssessment,
    TranscriptEntry,
    Variable,
    VariantRow,
)

__version__: str = _patter.__version__
FORMAT_VERSION: int = _patter.FORMAT_VERSION

__all__ = [
    "__version__", "FORMAT_VERSION",
    # loading
    "load_file", "load_string", "LoadOptions", "library_path", "Script", "Diagnostic", "Node",
    "Route", "Intent", "Variable", "Understanding", "IntentMatch", "analyze", "GraphReport",
    "TerminalPath", "Branch", "find_time", "TimeMention",
    # calls
    "Session", "Turn", "Action", "Event", "Observer", "CallResult", "TranscriptEntry",
    "answered", "say", "intent", "intents", "not_understood", "silence", "key", "hangup", "voicemail",
    "agent_joined", "agent_left", "agent_said", "timer", "data",
    # the desk
    "Desk", "Subscription", "OpenedCall", "Assist", "Suggestion", "CallInfo", "ListenEvent",
    "DeskCounters", "AgentStats", "GrabDecision", "TrainingAssessment", "CoachingNote",
    "DeskRouter", "Routing", "PersonAssignment", "RoutedCall", "remote_call", "host_call_id",
    "is_remote_call",
    # simulation and statistics
    "load_personas_file", "load_personas_string", "default_personas", "Personas", "Persona", "simulate",
    "Simulation", "SimulatedCall", "CallContext", "Stats", "StatsReport", "FunnelRow", "EdgeTraffic",
    "AgentRow", "ExperimentReport", "VariantRow",
    # conversation tests
    "load_tests_file", "load_tests_string", "run_tests", "find_tests_for", "is_tests_file",
    "script_for_tests", "TestSuite", "TestCase", "TestReport", "CaseResult", "TestFailure", "Coverage",
    "CoverageRatio",
    # measuring understanding
    "evaluate", "Evaluation", "IntentScore", "CategoryScore", "EvalMiss",
    # training
    "Training", "TrainingReport",
    # errors
    "PatterError", "ScriptError", "StartError", "EventError", "RestoreError", "DeskError",
    "PersonaError", "TestFileError", "StatsError", "EvaluationError", "TrainingError",
]
