"""Typed errors of the JS runner.

Every error crosses the worker pipe as a dict (``to_dict``) and becomes the same class again on
the host side (``from_dict``), so the UI can tell a runaway loop from a plugin's own exception
and place a syntax error on its line.
"""
from __future__ import annotations

from typing import Any


class RunnerError(Exception):
    """Base of every error the runner raises on purpose."""

    kind = "runner"

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict:
        return {"type": type(self).__name__, "kind": self.kind, "message": self.message, **self.details}

    def __str__(self) -> str:
        return self.message


class JsError(RunnerError):
    """Plugin code threw (or failed to load). ``line``/``column`` are 1-based in the stored code."""

    kind = "exception"

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 stack: str = "", name: str = "Error", path: str | None = None, **details: Any):
        super().__init__(message, line=line, column=column, stack=stack, name=name, path=path, **details)
        self.line, self.column, self.stack, self.name, self.path = line, column, stack, name, path

    def __str__(self) -> str:
        where = ""
        if self.line:
            where = f" ({self.path + ':' if self.path else 'line '}{self.line}:{self.column or 1})"
        return f"{self.name}: {self.message}{where}"


class JsSyntaxError(JsError):
    kind = "syntax"


class JsLimitError(RunnerError):
    """A call ran into one of the limits of ``Limits``; the worker is back for the next call."""


class JsTimeout(JsLimitError):
    kind = "timeout"


class JsMemoryLimit(JsLimitError):
    kind = "memory"


class JsStackOverflow(JsLimitError):
    kind = "stack"


class JsOutputLimit(JsLimitError):
    kind = "output"


class WorkerCrashed(RunnerError):
    """The worker process died during the call; the next call starts a fresh one."""

    kind = "crash"


class PayloadError(RunnerError):
    """A value to hand to JavaScript can't be serialised as JSON; nothing ran."""

    kind = "payload"


class ProtocolError(RunnerError):
    """The request was malformed (unknown op, missing field) or the reply unreadable."""

    kind = "protocol"


class HostServiceError(RunnerError):
    """A service the worker asked the host for (pluginData) failed."""

    kind = "service"


_CLASSES = {cls.__name__: cls for cls in (
    RunnerError, JsError, JsSyntaxError, JsLimitError, JsTimeout, JsMemoryLimit, JsStackOverflow,
    JsOutputLimit, WorkerCrashed, PayloadError, ProtocolError, HostServiceError,
)}


def from_dict(data: dict) -> RunnerError:
    """The typed error a ``to_dict`` produced (an unknown type becomes a RunnerError)."""
    data = dict(data)
    cls = _CLASSES.get(data.pop("type", ""), RunnerError)
    data.pop("kind", None)
    message = data.pop("message", "unknown runner error")
    return cls(message, **data)
