# Type stubs for the patter package (the API is in _patter.pyi, _types.py and _errors.py).
from . import _patter as _patter
from ._errors import DeskError, EventError, PatterError, RestoreError, ScriptError, StartError
from ._patter import (
    Action,
    Desk,
    Diagnostic,
    Event,
    Script,
    Session,
    Subscription,
    Turn,
    Understanding,
    agent_joined,
    agent_left,
    answered,
    hangup,
    intent,
    key,
    load_file,
    load_string,
    say,
    silence,
    timer,
    voicemail,
)
from ._types import (
    AgentStats,
    Assist,
    CallInfo,
    CallResult,
    DeskCounters,
    GrabDecision,
    Intent,
    IntentMatch,
    ListenEvent,
    Node,
    Observer,
    OpenedCall,
    Route,
    Suggestion,
    TrainingAssessment,
    TranscriptEntry,
    Variable,
)

__version__: str
FORMAT_VERSION: int

__all__ = [
    "__version__", "FORMAT_VERSION",
    # loading
    "load_file", "load_string", "Script", "Diagnostic", "Node", "Route", "Intent", "Variable",
    "Understanding", "IntentMatch",
    # calls
    "Session", "Turn", "Action", "Event", "Observer", "CallResult", "TranscriptEntry",
    "answered", "say", "intent", "silence", "key", "hangup", "voicemail", "agent_joined",
    "agent_left", "timer",
    # the desk
    "Desk", "Subscription", "OpenedCall", "Assist", "Suggestion", "CallInfo", "ListenEvent",
    "DeskCounters", "AgentStats", "GrabDecision", "TrainingAssessment",
    # errors
    "PatterError", "ScriptError", "StartError", "EventError", "RestoreError", "DeskError",
]
