"""Hooks and events (DESIGN §5) run through the worker, one handler per call, with a trace.

Semantics: handlers run lowest priority first, ties in registration order (the order the
loader returns them in); a filter's return value feeds the next, ``undefined`` keeps the
value; a handler that throws or runs into a limit is recorded (message, stack, line) and
skipped, the chain going on with the previous value; async handlers are awaited. A value or
payload that can't be serialised is a ``PayloadError`` before any handler runs.

Entry points: ``apply_filters``, ``do_action``, ``emit`` (whole chains → ``ChainTrace``),
``apply_filters_batch`` (many values, no trace: throughput), and ``ChainSession`` for the
debugger: ``start`` then ``step`` / ``continue_`` / ``stop`` with ``Breakpoints``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from plugin_studio.models.paths import handler_tree_paths, path_for_event, path_for_hook
from plugin_studio.runner.errors import JsError, RunnerError, from_dict
from plugin_studio.runner.protocol import jsonable

if TYPE_CHECKING:
    import psycopg

    from plugin_studio.db.records import EventRow, HookRow
    from plugin_studio.db.runtime import PluginModules
    from plugin_studio.runner.host import JsHost

FILTER, ACTION, EVENT = "filter", "action", "event"


@dataclass(frozen=True)
class Handler:
    plugin_id: str
    row_id: str
    path: str
    priority: int
    code: str
    kind: str          # filter | action | event
    name: str          # hook or event name
    plugin_name: str = ""

    @classmethod
    def from_hook(cls, row: "HookRow", plugin_name: str = "", path: str | None = None) -> "Handler":
        return cls(row.plugin_id, row.id, path or path_for_hook(row.hook_name), row.priority, row.handler_function,
                   row.hook_type, row.hook_name, plugin_name)

    @classmethod
    def from_event(cls, row: "EventRow", plugin_name: str = "", path: str | None = None) -> "Handler":
        return cls(row.plugin_id, row.id, path or path_for_event(row.event_name, row.file_name), row.priority,
                   row.listener_function, EVENT, row.event_name, plugin_name)

    def spec(self) -> dict:
        return {"key": self.row_id, "code": self.code, "path": self.path}


@dataclass
class Step:
    handler: Handler
    input: Any
    output: Any
    duration_ms: float
    console: list[dict] = field(default_factory=list)
    error: RunnerError | None = None
    status: str = "ok"  # ok | kept (returned undefined) | error

    def as_dict(self) -> dict:
        return {
            "plugin": self.handler.plugin_name or self.handler.plugin_id, "plugin_id": self.handler.plugin_id,
            "row_id": self.handler.row_id, "path": self.handler.path, "priority": self.handler.priority,
            "input": self.input, "output": self.output, "duration_ms": round(self.duration_ms, 3),
            "console": self.console, "status": self.status,
            "error": self.error.to_dict() if self.error else None,
        }


@dataclass
class ChainTrace:
    kind: str
    name: str
    initial: Any
    args: list
    steps: list[Step] = field(default_factory=list)
    final: Any = None
    stopped: bool = False  # the debugger stopped it before the end

    @property
    def errors(self) -> list[Step]:
        return [s for s in self.steps if s.error]

    def as_dict(self) -> dict:
        head = {"event": self.name, "data": self.initial} if self.kind == EVENT else {"hook": self.name}
        if self.kind != EVENT:
            head.update(type=self.kind, args=self.args)
        return {**head, "final": self.final, "stopped": self.stopped, "steps": [s.as_dict() for s in self.steps]}


# ---- loading --------------------------------------------------------------------------------

def handlers_from_db(conn: "psycopg.Connection", kind: str, name: str,
                     plugin_id: str | None = None) -> tuple[list[Handler], dict[str, "PluginModules"]]:
    """The enabled handlers of hook/event ``name`` (kind ``hook`` or ``event``) and their plugins' modules."""
    from plugin_studio.db import runtime

    rows = runtime.load_hooks(conn, name, plugin_id) if kind == "hook" else runtime.load_events(conn, name, plugin_id)
    plugin_ids = sorted({r.plugin_id for r in rows})
    names = runtime.plugin_names(conn, plugin_ids)
    paths = _tree_paths(conn, plugin_ids)
    make = Handler.from_hook if kind == "hook" else Handler.from_event
    handlers = [make(r, names.get(r.plugin_id, ""), paths.get(r.id)) for r in rows]
    return handlers, runtime.load_modules(conn, [h.plugin_id for h in handlers])


def _tree_paths(conn: "psycopg.Connection", plugin_ids: list[str]) -> dict[str, str]:
    """The paths the file tree shows for these plugins' handlers, so traces name files the same way."""
    from plugin_studio.db import runtime

    hooks, events = runtime.load_handler_rows(conn, plugin_ids)
    return handler_tree_paths(runtime.scripts_in_handler_folders(conn, plugin_ids), events, hooks)


def give_modules(host: "JsHost", modules: dict[str, Any] | None) -> None:
    for plugin_id, m in (modules or {}).items():
        scripts = m.scripts if hasattr(m, "scripts") else m.get("scripts", {})
        deps = m.dependencies if hasattr(m, "dependencies") else m.get("dependencies", {})
        host.set_modules(plugin_id, scripts, deps)


# ---- one handler ------------------------------------------------------------------------------

def run_handler(host: "JsHost", handler: Handler, kind: str, value: Any, args: list) -> Step:
    """Call one handler; a filter's step output is the value the chain goes on with."""
    call_args = [value, *args] if kind == FILTER else ([value] if kind == EVENT else list(args))
    started = time.perf_counter()
    try:
        result = host.call("handler.invoke", plugin_id=handler.plugin_id, handler=handler.spec(), args=call_args)
    except RunnerError as exc:  # a limit, a crash: recorded in the step, the chain goes on
        elapsed = (time.perf_counter() - started) * 1000
        return Step(handler, value, value if kind == FILTER else None, elapsed, [], exc, "error")
    kept = value if kind == FILTER else None
    if result["status"] == "ok" and kind == FILTER and handler.kind == ACTION:
        output, status, error = kept, "kept", None  # an action in a filter chain: its return is ignored
    elif result["status"] == "ok":
        output, status, error = result["value"], "ok", None
    elif result["status"] == "undefined":
        output, status, error = kept, "kept", None
    else:
        output, status, error = kept, "error", from_dict(result["error"])
    return Step(handler, value, output, result["duration_ms"], result["console"], error, status)


# ---- whole chains ----------------------------------------------------------------------------

def apply_filters(host: "JsHost", handlers: Iterable[Handler], name: str, value: Any, args: Iterable = (),
                  modules: dict | None = None) -> ChainTrace:
    return ChainSession(host, handlers, FILTER, name, value, args, modules=modules).run()


def do_action(host: "JsHost", handlers: Iterable[Handler], name: str, args: Iterable = (),
              modules: dict | None = None) -> ChainTrace:
    return ChainSession(host, handlers, ACTION, name, None, args, modules=modules).run()


def emit(host: "JsHost", handlers: Iterable[Handler], name: str, data: Any,
         modules: dict | None = None) -> ChainTrace:
    return ChainSession(host, handlers, EVENT, name, data, (), modules=modules).run()


def apply_filters_batch(host: "JsHost", handlers: Iterable[Handler], name: str, values: list,
                        args: Iterable = (), timeout_ms: int | None = None, kind: str = FILTER) -> dict:
    """Every value through the chain in one worker call: ``{"values": [...], "errors": [[i, [[row id, error]]]]}``.

    Same semantics as ``apply_filters`` but no per-step trace; ``timeout_ms`` bounds the whole batch.
    """
    handlers = list(handlers)
    args = list(args)
    jsonable(values, f"a value for {name}")
    jsonable(args, f"the arguments of {name}")
    segments: list[list] = []
    for h in handlers:
        if segments and segments[-1][0] == h.plugin_id:
            segments[-1][1].append(h.spec())
        else:
            segments.append([h.plugin_id, [h.spec()]])
    payload: dict[str, Any] = {"segments": segments, "kind": kind,
                               "items": [{"value": v, "args": args} for v in values]}
    if timeout_ms:
        payload["timeout_ms"] = timeout_ms
    result = host.call("chain.batch", **payload)
    result["errors"] = [[i, [[key, from_dict(e)] for key, e in errs]] for i, errs in result["errors"]]
    return result


# ---- the debugger's session -------------------------------------------------------------------

@dataclass
class Breakpoint:
    row_id: str
    condition: str | None = None   # JS expression over `value` and `args`
    hit_count: int | None = None   # pause from the n-th time it is reached (condition true) on
    enabled: bool = True
    hits: int = 0


class Breakpoints:
    """Breakpoints by handler row id; they (and their hit counts) outlive one session."""

    def __init__(self):
        self._by_row: dict[str, Breakpoint] = {}

    def add(self, row_id: str, condition: str | None = None, hit_count: int | None = None) -> Breakpoint:
        bp = self._by_row[row_id] = Breakpoint(row_id, condition or None, hit_count)
        return bp

    def remove(self, row_id: str) -> None:
        self._by_row.pop(row_id, None)

    def get(self, row_id: str) -> Breakpoint | None:
        return self._by_row.get(row_id)

    def __iter__(self):
        return iter(list(self._by_row.values()))

    def __len__(self) -> int:
        return len(self._by_row)

    def reached(self, host: "JsHost", handler: Handler, value: Any, args: list) -> tuple[bool, RunnerError | None]:
        """Whether to pause before ``handler``; a condition that fails pauses, with its error."""
        bp = self._by_row.get(handler.row_id)
        if bp is None or not bp.enabled:
            return False, None
        if bp.condition:
            try:
                if not host.call("condition.eval", expression=bp.condition, value=value, args=args)["value"]:
                    return False, None
            except RunnerError as exc:
                return True, exc
        bp.hits += 1
        return (bp.hit_count is None or bp.hits >= bp.hit_count), None


@dataclass
class Pause:
    reason: str                     # breakpoint | exception | condition_error | finished | stopped
    handler: Handler | None = None  # the handler about to run (breakpoint) or that failed (exception)
    step: Step | None = None
    error: RunnerError | None = None


class ChainSession:
    """One run of a chain, advanced by the caller: ``start()``, then ``step()`` (one handler),
    ``continue_()`` (up to the next breakpoint, exception if ``pause_on_exception``, or the end),
    ``stop()``. ``trace`` holds the steps so far; ``value`` the value a filter chain has now."""

    def __init__(self, host: "JsHost", handlers: Iterable[Handler], kind: str, name: str, value: Any = None,
                 args: Iterable = (), breakpoints: Breakpoints | None = None, pause_on_exception: bool = False,
                 modules: dict | None = None):
        self.host = host
        self.handlers = list(handlers)
        self.kind = kind
        self.breakpoints = breakpoints or Breakpoints()
        self.pause_on_exception = pause_on_exception
        self.modules = modules
        self.trace = ChainTrace(kind, name, value, list(args))
        self.value = value
        self.position = 0
        self.started = False
        self._paused_here = False

    @property
    def finished(self) -> bool:
        return self.trace.stopped or self.position >= len(self.handlers)

    @property
    def next_handler(self) -> Handler | None:
        return None if self.finished else self.handlers[self.position]

    def start(self) -> "ChainSession":
        """Check the value and arguments can reach JavaScript; give the worker the plugins' modules."""
        what = "the event payload" if self.kind == EVENT else f"the value of {self.trace.name}"
        jsonable(self.value, what)
        jsonable(self.trace.args, f"the arguments of {self.trace.name}")
        give_modules(self.host, self.modules)
        self.started = True
        if self.kind == FILTER:
            self.trace.final = self.value
        return self

    def step(self) -> Step | None:
        """Run the next handler; None when the chain is finished."""
        if not self.started:
            self.start()
        if self.finished:
            return None
        handler = self.handlers[self.position]
        step = run_handler(self.host, handler, self.kind, self.value, self.trace.args)
        self.trace.steps.append(step)
        self.position += 1
        self._paused_here = False
        if self.kind == FILTER:
            self.value = self.trace.final = step.output
        return step

    def continue_(self) -> Pause:
        if not self.started:
            self.start()
        while not self.finished:
            handler = self.handlers[self.position]
            if not self._paused_here:
                pause, error = self.breakpoints.reached(self.host, handler, self.value, self.trace.args)
                if pause:
                    self._paused_here = True
                    return Pause("condition_error" if error else "breakpoint", handler, error=error)
            step = self.step()
            if step.error and self.pause_on_exception:
                return Pause("exception", handler, step, step.error)
        return Pause("stopped" if self.trace.stopped else "finished")

    def stop(self) -> ChainTrace:
        """End the session; handlers not run yet stay unrun."""
        self.trace.stopped = not self.finished
        return self.trace

    def run(self) -> ChainTrace:
        """Every handler, ignoring breakpoints."""
        if not self.started:
            self.start()
        while self.step() is not None:
            pass
        return self.trace


__all__ = [
    "ACTION", "EVENT", "FILTER", "Breakpoint", "Breakpoints", "ChainSession", "ChainTrace", "Handler", "JsError",
    "Pause", "Step", "apply_filters", "apply_filters_batch", "do_action", "emit", "handlers_from_db", "run_handler",
]
