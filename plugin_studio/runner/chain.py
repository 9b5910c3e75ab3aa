"""Hooks and events (DESIGN §5) run as the storefront runs them, with a trace.

Semantics, as HookSystem.apply / do and EventSystem.emit (PLATFORM.md §2.1–2.2): handlers run in the
order given (``models.chain``: the storefront's, by default); a filter's return value feeds the next
and ``undefined`` keeps the value; objects pass by reference (an in-place change is seen by later
handlers and is in the final value); action hooks and listeners get the value as their first
argument; a handler that throws or runs into a limit is recorded (message, stack, file line) and
skipped; an async handler under apply hands its Promise on (with a note). Timers run after the
chain on a virtual clock; their console lines and errors belong to the step that set them.

The whole chain runs in the worker (``ops_chain``): ``ChainSession.run`` is one round trip; the
debugger's ``step`` / ``continue_`` advance the same run in the worker between breakpoints.

Entry points: ``apply_filters``, ``do_action``, ``emit`` (whole chains → ``ChainTrace``),
``apply_filters_batch`` (many values, no trace: throughput), and ``ChainSession`` for the debugger.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from plugin_studio.models import js_value
from plugin_studio.models.chain import ACTION, EVENT, FILTER, STOREFRONT, Handler, chain_warnings
from plugin_studio.runner.breakpoints import Breakpoint, Breakpoints
from plugin_studio.runner.errors import JsError, PayloadError, RunnerError, from_dict
from plugin_studio.runner.protocol import ROW_SLOTS

if TYPE_CHECKING:
    from plugin_studio.runner.host import JsHost

_runs = itertools.count(1)
ASYNC_NOTE = ("returned a Promise: under apply the storefront hands the Promise itself on as the value "
              "(it does not wait for it)")


class Step:
    """One handler's run: the value before and after it (for listeners and actions: the value they were
    given, after they ran), its console, how long it took, its error, notes where the storefront
    differs. Values arrive from the worker as tagged JSON and are decoded when first looked at."""

    __slots__ = ("handler", "duration_ms", "error", "status", "console", "notes", "_input", "_output", "_returned",
                 "_input_text", "_output_text", "_returned_text")

    def __init__(self, handler: Handler, input: Any, output: Any, duration_ms: float, console: list | None = None,
                 error: RunnerError | None = None, status: str = "ok", notes: list | None = None,
                 returned: Any = js_value.UNDEFINED):
        self.handler, self.duration_ms, self.error, self.status = handler, duration_ms, error, status
        self.console = console if console is not None else []
        self.notes = notes if notes is not None else []
        self._input, self._output, self._returned = input, output, returned
        self._input_text = self._output_text = self._returned_text = None

    @classmethod
    def from_worker(cls, handler: Handler, raw: dict, error: RunnerError | None, notes: list,
                    fallback: Any, input_text: str | None = None) -> "Step":
        """A step as the worker reported it; ``input_text``: the value it was given when the worker left
        it out (the previous step's output). Built without ``__init__``: a traced run makes one per handler."""
        step = cls.__new__(cls)
        step.handler, step.error, step.notes, step.status = handler, error, notes, raw["status"]
        step.duration_ms, step.console = raw.get("duration_ms", 0.0), raw.get("console") or []
        step._input = step._output = fallback
        step._returned = js_value.UNDEFINED
        step._input_text = text = raw.get("input", input_text)
        step._output_text = raw.get("output", text)
        step._returned_text = raw.get("returned")
        return step

    @classmethod
    def from_row(cls, handler: Handler, row: list, fallback: Any, input_text: str | None) -> "Step":
        """A step of a plain run's ``rows`` (``protocol.ROW_SLOTS`` values: number, status, µs, output, input,
        extras), ``input_text`` standing for the input it leaves out."""
        step = cls.__new__(cls)
        extras = row[5] or {}
        step.handler, step.error, step.status, step.duration_ms = handler, None, row[1], row[2] / 1000
        step.notes, step.console = extras.get("notes") or [], extras.get("console") or []
        step._input = step._output = fallback
        step._returned = js_value.UNDEFINED
        step._input_text = input_text
        step._output_text = input_text if row[3] is None else row[3]
        step._returned_text = extras.get("returned")
        return step

    def _value(self, name: str) -> Any:
        text = getattr(self, f"_{name}_text")
        if text is not None:
            setattr(self, f"_{name}", js_value.decode(text))
            setattr(self, f"_{name}_text", None)
        return getattr(self, f"_{name}")

    input = property(lambda self: self._value("input"))
    output = property(lambda self: self._value("output"))
    returned = property(lambda self: self._value("returned"))

    def __repr__(self) -> str:
        return f"Step({self.handler.path!r}, status={self.status!r}, error={self.error!r})"

    def as_dict(self) -> dict:
        h = self.handler
        return {
            "plugin": h.plugin_name or h.plugin_id, "plugin_id": h.plugin_id, "row_id": h.row_id, "path": h.path,
            "priority": h.priority, "input": js_value.tagged(self.input), "output": js_value.tagged(self.output),
            "duration_ms": round(self.duration_ms, 3), "console": self.console, "status": self.status,
            "error": self.error.to_dict() if self.error else None, "notes": self.notes,
        }


@dataclass
class ChainTrace:
    kind: str                 # filter | action | event: how the chain was called
    name: str
    initial: Any
    args: list
    steps: list[Step] = field(default_factory=list)
    final: Any = None
    stopped: bool = False     # the debugger stopped it before the end
    warnings: list[str] = field(default_factory=list)
    timers: dict = field(default_factory=dict)   # {"fired", "left", "errors"}

    @property
    def errors(self) -> list[Step]:
        return [s for s in self.steps if s.error]

    def as_dict(self) -> dict:
        head = {"event": self.name, "data": js_value.tagged(self.initial)} if self.kind == EVENT else {"hook": self.name}
        if self.kind != EVENT:
            head.update(type=self.kind, value=js_value.tagged(self.initial), args=js_value.tagged(self.args))
        return {**head, "final": js_value.tagged(self.final), "stopped": self.stopped, "warnings": self.warnings,
                "timers": {k: v for k, v in self.timers.items() if k != "errors"},
                "steps": [s.as_dict() for s in self.steps]}


def give_modules(host: "JsHost", modules: dict[str, Any] | None) -> None:
    for plugin_id, m in (modules or {}).items():
        scripts = m.scripts if hasattr(m, "scripts") else m.get("scripts", {})
        deps = m.dependencies if hasattr(m, "dependencies") else m.get("dependencies", {})
        host.set_modules(plugin_id, scripts, deps)


def _encoded(value: Any, what: str) -> str:
    try:
        return js_value.encode(value)
    except (TypeError, ValueError) as exc:
        raise PayloadError(f"{what} can't be serialised as JSON: {exc}") from None


def _decoded(text: str | None, default: Any = None) -> Any:
    return default if text is None else js_value.decode(text)


# ---- whole chains ----------------------------------------------------------------------------

def apply_filters(host: "JsHost", handlers: Iterable[Handler], name: str, value: Any, args: Iterable = (),
                  modules: dict | None = None, env: dict | None = None) -> ChainTrace:
    return ChainSession(host, handlers, FILTER, name, value, args, modules=modules, env=env).run()


def do_action(host: "JsHost", handlers: Iterable[Handler], name: str, value: Any = js_value.UNDEFINED,
              args: Iterable = (), modules: dict | None = None, env: dict | None = None) -> ChainTrace:
    """``do(name, value, ...args)``: every handler gets ``value`` first, as the storefront's action hooks do."""
    return ChainSession(host, handlers, ACTION, name, value, args, modules=modules, env=env).run()


def emit(host: "JsHost", handlers: Iterable[Handler], name: str, data: Any,
         modules: dict | None = None, env: dict | None = None) -> ChainTrace:
    return ChainSession(host, handlers, EVENT, name, data, (), modules=modules, env=env).run()


def apply_filters_batch(host: "JsHost", handlers: Iterable[Handler], name: str, values: list,
                        args: Iterable = (), timeout_ms: int | None = None, kind: str = FILTER) -> dict:
    """Every value through the chain in one worker call: ``{"values": [...], "errors": [[i, [[row id, error]]]]}``.

    Same semantics as ``apply_filters`` but no trace; ``timeout_ms`` bounds the whole batch. The values
    cross as one tagged JSON array each way (not one text per value: that cost more than the handlers).
    """
    handlers, values = list(handlers), list(values)
    segments: list[list] = []
    for h in handlers:
        spec = h.spec()
        if segments and segments[-1][0] == h.plugin_id:
            segments[-1][1].append(spec)
        else:
            segments.append([h.plugin_id, [spec]])
    payload: dict[str, Any] = {"segments": segments, "mode": kind, "values": _encoded(values, f"a value for {name}"),
                               "args": _encoded(list(args), f"the arguments of {name}")}
    if timeout_ms:
        payload["timeout_ms"] = timeout_ms
    result = host.call("chain.batch", **payload)
    errors: dict[int, list] = {}
    for i, key, error in result["errors"]:
        for item in range(len(values)) if i is None else (i,):  # None: a handler that did not load, for every value
            errors.setdefault(item, []).append([key, from_dict(error)])
    return {"values": js_value.decode(result["values"]), "errors": sorted(errors.items())}


# ---- the debugger's session -------------------------------------------------------------------

@dataclass
class Pause:
    reason: str                     # breakpoint | exception | condition_error | finished | stopped
    handler: Handler | None = None  # the handler about to run (breakpoint) or that failed (exception)
    step: Step | None = None
    error: RunnerError | None = None


class ChainSession:
    """One run of a chain, advanced by the caller: ``start()``, then ``step()`` (one handler),
    ``continue_()`` (up to the next breakpoint, exception if ``pause_on_exception``, or the end),
    ``stop()``; or ``run()`` for all of it in one round trip. ``trace`` holds the steps so far;
    ``value`` the value a filter chain has now. ``env``: the browser scenario (``fetch``: canned
    responses, ``url``, ``localStorage``/``sessionStorage`` contents)."""

    def __init__(self, host: "JsHost", handlers: Iterable[Handler], kind: str, name: str, value: Any = None,
                 args: Iterable = (), breakpoints: Breakpoints | None = None, pause_on_exception: bool = False,
                 modules: dict | None = None, env: dict | None = None, order: str = STOREFRONT):
        self.host = host
        self.handlers = list(handlers)
        self.kind = kind
        self.breakpoints = breakpoints or Breakpoints()
        self.pause_on_exception = pause_on_exception
        self.modules = modules
        self.env = env or {}
        self.trace = ChainTrace(kind, name, value, list(args), warnings=chain_warnings(self.handlers, kind, order))
        self._value, self._value_stale, self._last_json = value, False, None
        self.position = 0
        self.started = False
        self.closed = False
        self._paused_here = False
        self._run_id = f"run-{next(_runs)}"
        self._value_json = self._args_json = ""

    @property
    def value(self) -> Any:
        """The chain's value now (a filter's result so far; a payload as the listeners left it)."""
        if self._value_stale:
            self._value, self._value_stale = js_value.decode(self._value_json), False
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        self._value, self._value_stale = value, False

    @property
    def finished(self) -> bool:
        return self.trace.stopped or self.position >= len(self.handlers)

    @property
    def next_handler(self) -> Handler | None:
        return None if self.finished else self.handlers[self.position]

    def start(self) -> "ChainSession":
        """Check the value and arguments can reach JavaScript; give the worker the plugins' modules."""
        what = "the event payload" if self.kind == EVENT else f"the value of {self.trace.name}"
        self._value_json = _encoded(self.value, what)
        self._args_json = _encoded(self.trace.args, f"the arguments of {self.trace.name}")
        give_modules(self.host, self.modules)
        self.started = True
        self.trace.final = self.value
        self._open(self.position)
        return self

    def _open(self, position: int) -> None:
        self.host.call("chain.open", run=self._run_id, mode=self.kind, value=self._value_json, args=self._args_json,
                       handlers=self._specs(position), env=self.env)
        self._base = position

    def _specs(self, start: int) -> list[dict]:
        return [dict(h.spec(), plugin_id=h.plugin_id) for h in self.handlers[start:]]

    def _timeout(self, handlers: int) -> int:
        return self.host.limits.timeout_ms * (handlers + 2)

    def step(self) -> Step | None:
        """Run the next handler; None when the chain is finished."""
        if not self.started:
            self.start()
        if self.finished:
            return None
        before = len(self.trace.steps)
        self._advance(self.position + 1)
        self._paused_here = False
        return self.trace.steps[before] if len(self.trace.steps) > before else None

    def _advance(self, until: int) -> None:
        count = until - self.position
        try:
            result = self.host.call("chain.advance", run=self._run_id, until=until - self._base,
                                    timeout_ms=self._timeout(count))
        except RunnerError as exc:  # the worker was killed or crashed in a handler: record it, go on
            self._lost_worker(exc)
            return
        self._take_steps(result["steps"], result["late"])
        self.position = self._base + result["position"]
        if self.position >= len(self.handlers):
            self._finish()

    def _lost_worker(self, exc: RunnerError) -> None:
        handler = self.handlers[self.position]
        self.trace.steps.append(Step(handler, self.value, self.value if self.kind == FILTER else None, 0.0, [], exc,
                                     "error"))
        self.position += 1
        if self.position < len(self.handlers):
            self._value_json = _encoded(self.value, "the value")
            self._open(self.position)
        else:
            self.trace.final = self.value

    def _take_steps(self, steps: list[dict], late: list) -> None:
        previous, fallback = self._last_json, self.value
        handlers, base, filters, append = self.handlers, self._base, self.kind == FILTER, self.trace.steps.append
        for raw in steps:
            text = raw.get("input", previous)
            error = raw.get("error")
            notes = raw.get("notes") or []
            if filters and raw.get("async"):
                notes.append(ASYNC_NOTE)
            append(Step.from_worker(handlers[base + raw["step"]], raw, from_dict(error) if error else None, notes,
                                    fallback, text))
            previous = raw.get("output", text)
        self._last_json = previous
        if steps and self._last_json is not None:
            self._value_json = self._last_json
            self._value_stale = True
        self._attach_late(late)

    def _take_rows(self, rows: list) -> None:
        """A plain run's steps (``protocol.ROW_SLOTS`` values to a step, no error among them)."""
        previous, fallback, handlers, append = self._last_json, self.value, self.handlers, self.trace.steps.append
        for k in range(0, len(rows), ROW_SLOTS):
            row = rows[k:k + ROW_SLOTS]
            text = previous if row[4] is None else row[4]
            append(Step.from_row(handlers[self._base + row[0]], row, fallback, text))
            previous = text if row[3] is None else row[3]
        self._last_json = previous
        if rows and previous is not None:
            self._value_json, self._value_stale = previous, True

    def _step_of(self, index: int) -> Step | None:
        """The step of handler ``index`` of the worker's run (console lines and timer errors arrive later)."""
        target = self._base + index
        if not 0 <= target < len(self.handlers):
            return None
        return next((s for s in reversed(self.trace.steps) if s.handler is self.handlers[target]), None)

    def _attach_late(self, late: list) -> None:
        for index, line in late:
            step = self._step_of(index)
            if step is not None:
                step.console.append(line)
            else:
                self.trace.warnings.append(f"console.{line.get('level', 'log')} after the chain: {line.get('text', '')}")

    def _finish(self) -> None:
        if self.closed:
            return
        self.closed = True
        result = self.host.call("chain.finish", run=self._run_id, timeout_ms=self._timeout(1))
        self._take_final(result)

    def _take_final(self, result: dict) -> None:
        self._attach_late(result["late"])
        timers = result.get("timers") or {}
        self.trace.timers = timers
        for failure in timers.get("errors", []):
            self._timer_error(failure)
        if timers.get("left"):
            self.trace.warnings.append(
                f"timers were still pending after {timers.get('fired', 0)} had fired (next at "
                f"{timers.get('next_at', 0):.0f} ms of virtual time): they were not run")
        self._value_json, self._value_stale = result["value"], True
        if self.kind != ACTION:  # a filter's result; the payload as the listeners left it
            self.trace.final = self.value

    def _timer_error(self, failure: dict) -> None:
        error = from_dict(failure["error"])
        line = {"level": "error", "text": f"Uncaught (in a timer at {failure.get('at', 0):.0f} ms) {error}"}
        step = self._step_of(failure["step"])
        if step is None:
            self.trace.warnings.append(line["text"])
            return
        step.console.append(line)
        step.notes.append(f"a timer it set threw: {error}")

    def continue_(self) -> Pause:
        if not self.started:
            self.start()
        while not self.finished:
            handler = self.handlers[self.position]
            if not self._paused_here:
                pause, error = self.breakpoints.reached(self.host, handler, self._current_value_json(),
                                                        self._args_json)
                if pause:
                    self._paused_here = True
                    return Pause("condition_error" if error else "breakpoint", handler, error=error)
            self._paused_here = False
            target = self._next_stop()
            before = len(self.trace.steps)
            self._advance(target)
            failed = next((s for s in self.trace.steps[before:] if s.error), None)
            if failed is not None and self.pause_on_exception:
                return Pause("exception", failed.handler, failed, failed.error)
        return Pause("stopped" if self.trace.stopped else "finished")

    def _next_stop(self) -> int:
        """Where to stop next: before the next handler with a breakpoint, or one step when exceptions pause."""
        if self.pause_on_exception:
            return self.position + 1
        for i in range(self.position + 1, len(self.handlers)):
            if self.breakpoints.armed(self.handlers[i].row_id):
                return i
        return len(self.handlers)

    def _current_value_json(self) -> str:
        if self._value_stale:
            return self._value_json
        try:
            return js_value.encode(self._value)
        except (TypeError, ValueError):
            return self._value_json

    def stop(self) -> ChainTrace:
        """End the session; handlers not run yet stay unrun (their timers are not run either)."""
        self.trace.stopped = not self.finished
        if self.started and not self.closed:
            self.closed = True
            try:
                self.host.call("chain.close", run=self._run_id)
            except RunnerError:
                pass  # the worker is gone; nothing of the run is left to close
        return self.trace

    def run(self) -> ChainTrace:
        """Every handler, ignoring breakpoints, in one round trip."""
        if self.started:
            while self.step() is not None:
                pass
            return self.trace
        what = "the event payload" if self.kind == EVENT else f"the value of {self.trace.name}"
        self._value_json = _encoded(self.value, what)
        self._args_json = _encoded(self.trace.args, f"the arguments of {self.trace.name}")
        give_modules(self.host, self.modules)
        self.started = True
        self.trace.final = self.value
        self._base = 0
        try:
            result = self.host.call_with_chain(
                "chain.run", tuple((h.plugin_id, h.row_id, h.code, h.path) for h in self.handlers),
                lambda: self._specs(0), run=self._run_id, mode=self.kind, value=self._value_json,
                args=self._args_json, env=self.env, timeout_ms=self._timeout(len(self.handlers)))
        except RunnerError as exc:
            if not self.handlers:
                raise
            if len(self.handlers) == 1:
                self._lost_worker(exc)
                return self.trace
            # The worker died (killed, crashed) somewhere in the chain: go again step by step, so the
            # handler it dies in is the one recorded and the others still run; say so, since the
            # handlers before it run twice.
            self.trace.warnings.append(f"the JS worker stopped during the run ({exc}); the chain was run again "
                                       "step by step")
            self._open(0)
            return self.run()
        self.closed = True
        if "rows" in result:
            self._take_rows(result["rows"])
        else:
            self._take_steps(result["steps"], [])
        self.position = len(self.handlers)
        self._take_final(result)
        return self.trace


__all__ = [
    "ACTION", "EVENT", "FILTER", "Breakpoint", "Breakpoints", "ChainSession", "ChainTrace", "Handler", "JsError",
    "Pause", "Step", "apply_filters", "apply_filters_batch", "do_action", "emit",
]
