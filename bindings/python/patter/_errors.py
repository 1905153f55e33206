"""The exceptions patter raises."""

from __future__ import annotations

from typing import Any, List, Optional

__all__ = [
    "PatterError", "ScriptError", "StartError", "EventError", "RestoreError", "DeskError", "PersonaError",
    "TestFileError", "StatsError", "EvaluationError",
]


class PatterError(Exception):
    """Base class of every patter exception."""


class ScriptError(PatterError, ValueError):
    """A script did not load: it has errors.

    ``file``, ``line``, ``column``, ``code`` (e.g. ``"P021"``) and ``name``
    (e.g. ``"unknown_node"``) describe the first error; ``diagnostics`` has
    every diagnostic the loader gave (errors, warnings and notes), and
    ``errors`` the errors alone. ``str(e)`` is the first error in compiler
    style, ``file:line:col: error[P021]: message; hint``.
    """

    def __init__(self, diagnostics: List[Any]) -> None:
        self.diagnostics = list(diagnostics)
        self.errors = [d for d in self.diagnostics if d.severity == "error"]
        first = self.errors[0] if self.errors else (self.diagnostics[0] if self.diagnostics else None)
        self.file: str = first.file if first else ""
        self.line: int = first.line if first else 0
        self.column: int = first.column if first else 0
        self.code: str = first.code if first else ""
        self.name: str = first.name if first else ""
        text = str(first) if first else "the script has errors"
        more = len(self.errors) - 1
        if more > 0:
            text += f" (and {more} more error{'s' if more > 1 else ''})"
        super().__init__(text)

    def __reduce__(self):
        return (type(self), (self.diagnostics,))


class PersonaError(ScriptError):
    """A persona file did not load: bad YAML, unknown keys, nodes or intents,
    bad numbers. Same attributes as ``ScriptError`` (``file``, ``line``,
    ``column``, ``code``, ``diagnostics``, ``errors``)."""


class TestFileError(ScriptError):
    """A conversation test file did not load (bad YAML, unknown keys, bad
    values), or names nodes, intents, tags or variables its script does not
    have. Same attributes as ``ScriptError``."""

    __test__ = False  # not a pytest test class


class EvaluationError(ScriptError):
    """An evaluation set did not read (not found, too big, not UTF-8, empty,
    no header, a missing column, a bad label), or labels a reply with an
    intent the script does not have. Same attributes as ``ScriptError``;
    ``line`` and ``column`` point into the set."""


class StatsError(PatterError, ValueError):
    """A line given to ``Stats`` is not a call result.

    ``reason`` says why; ``file`` and ``line`` say where when the line came
    from ``Stats.add_jsonl`` (else ``None``).
    """

    def __init__(self, reason: str, file: Optional[str] = None, line: Optional[int] = None) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        where = ""
        if line is not None:
            where = f"{file}:{line}: " if file else f"line {line}: "
        super().__init__(where + reason)

    def __reduce__(self):
        return (type(self), (self.reason, self.file, self.line))


class StartError(PatterError, ValueError):
    """A call could not start: an unknown or missing variable, a number that
    does not parse. The message says what is wrong and what to do."""


class EventError(PatterError):
    """The session refused an event and is exactly as it was.

    ``status`` is the status name (``"call_ended"``, ``"not_answered"``,
    ``"unknown_intent"``, ``"time_went_back"``, ...), ``description`` a
    sentence for logs, and ``turn`` the refused step's Turn.
    """

    def __init__(self, status: str, description: str = "", turn: Optional[Any] = None) -> None:
        self.status = status
        self.description = description
        self.turn = turn
        super().__init__(f"{status}: {description}" if description else status)

    def __reduce__(self):
        return (type(self), (self.status, self.description))


class RestoreError(PatterError, ValueError):
    """Snapshot bytes could not be restored.

    ``reason`` is one of ``"not_a_snapshot"``, ``"version"``,
    ``"other_script"``, ``"truncated"``, ``"corrupted"``.
    """

    def __init__(self, reason: str, message: str = "") -> None:
        self.reason = reason
        self.message = message
        super().__init__(f"{reason}: {message}" if message else reason)

    def __reduce__(self):
        return (type(self), (self.reason, self.message))


_DESK_MESSAGES = {
    "unknown_agent": "no agent with that id",
    "agent_exists": "an agent with that id already exists",
    "agent_has_calls": "the agent still supervises calls",
    "no_capacity": "no agent (or not the named one) has room for another call",
    "unknown_call": "no such call, or it has ended",
    "not_supervisor": "the agent does not supervise that call",
    "already_taken": "a person already has the call",
    "not_with_agent": "the agent does not have the call (agent events go through grab, take_next, hand_back, finish)",
    "unknown_node": "the script has no such node",
    "agent_busy": "the agent is already talking to a customer",
    "queue_empty": "no call is waiting for a person",
}


class DeskError(PatterError):
    """A desk operation was refused. ``status`` is the DeskStatus name
    (``"already_taken"`` for a lost grab race, ``"unknown_call"``,
    ``"agent_busy"``, ``"queue_empty"``, ...)."""

    def __init__(self, status: str, message: str = "") -> None:
        self.status = status
        message = message or _DESK_MESSAGES.get(status, "")
        super().__init__(f"{status}: {message}" if message else status)

    def __reduce__(self):
        return (type(self), (self.status,))
