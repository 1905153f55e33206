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

    ``code`` is the C++ ``StatsError`` name (``"not_json"``,
    ``"not_a_result"``), ``reason`` says exactly what is wrong; ``file`` and
    ``line`` say where when the line came from ``Stats.add_jsonl`` (else
    ``None``).
    """

    def __init__(self, reason: str, file: Optional[str] = None, line: Optional[int] = None,
                 code: str = "not_a_result") -> None:
        self.reason = reason
        self.code = code
        self.file = file
        self.line = line
        where = ""
        if line is not None:
            where = f"{file}:{line}: " if file else f"line {line}: "
        super().__init__(where + reason)

    def __reduce__(self):
        return (type(self), (self.reason, self.file, self.line, self.code))


class StartError(PatterError, ValueError):
    """A call could not start: an unknown or missing variable, a value that
    does not fit its variable. ``code`` is the C++ ``StartError`` name
    (``"unknown_variable"``, ``"missing_variable"``, ``"bad_value"``,
    ``"no_script"``); ``message`` (and ``str(e)``) says what is wrong and
    what to do."""

    def __init__(self, message: str, code: str = "bad_value") -> None:
        self.message = message
        self.code = code
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (self.message, self.code))


class EventError(PatterError):
    """The session refused an event and is exactly as it was.

    ``code`` (also ``status``) is the C++ ``Status`` name (``"call_ended"``,
    ``"not_answered"``, ``"unknown_intent"``, ``"time_went_back"``, ...),
    ``description`` what is wrong and what to do, and ``turn`` the refused
    step's Turn.
    """

    def __init__(self, status: str, description: str = "", turn: Optional[Any] = None) -> None:
        self.status = status
        self.code = status
        self.description = description
        self.turn = turn
        super().__init__(f"{status}: {description}" if description else status)

    def __reduce__(self):
        return (type(self), (self.status, self.description))


class RestoreError(PatterError, ValueError):
    """Snapshot bytes could not be restored.

    ``code`` (also ``reason``) is the C++ ``RestoreError`` name, one of
    ``"not_a_snapshot"``, ``"version"``, ``"other_script"``, ``"truncated"``,
    ``"corrupted"``, ``"no_script"``; ``message`` says what is wrong and what
    to do.
    """

    def __init__(self, reason: str, message: str = "") -> None:
        self.reason = reason
        self.code = reason
        self.message = message
        super().__init__(f"{reason}: {message}" if message else reason)

    def __reduce__(self):
        return (type(self), (self.reason, self.message))


class _StatusError(PatterError):
    """An operation refused with a status: ``code`` (also ``status``) is the
    C++ status name, ``message`` what it means and what to do."""

    def __init__(self, status: str, message: str = "") -> None:
        self.status = status
        self.code = status
        self.message = message
        super().__init__(f"{status}: {message}" if message else status)

    def __reduce__(self):
        return (type(self), (self.status, self.message))


class DeskError(_StatusError):
    """A desk operation was refused. ``code`` (also ``status``) is the C++
    ``DeskStatus`` name (``"already_taken"`` for a lost grab race,
    ``"unknown_call"``, ``"agent_busy"``, ``"queue_empty"``, ...) and
    ``message`` what it means and what to do."""


class TrainingError(_StatusError):
    """A trainee's action was refused (``patter.Training``). ``code`` (also
    ``status``) is the C++ ``TrainingStatus`` name (``"not_taken"`` for words
    before the call was taken, ``"unknown_call"``, ``"empty_words"``,
    ``"too_long"``, ...) and ``message`` what it means and what to do."""
