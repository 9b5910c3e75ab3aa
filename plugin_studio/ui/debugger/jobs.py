"""Work the debugger queues on the runner lane (each function's first argument is the host).

Nothing here touches a widget: each job returns plain results (``Advance``, traces) that the
controllers turn into signals on the GUI thread.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plugin_studio.models import js_value
from plugin_studio.models.debugger import short_json
from plugin_studio.runner.chain import ChainSession, ChainTrace, Handler, Pause, Step
from plugin_studio.runner.errors import RunnerError

if TYPE_CHECKING:
    from plugin_studio.runner.host import JsHost

WATCH_CONTEXT = "\u0000debugger-watch"  # a scratch interpreter, apart from every plugin's


@dataclass(frozen=True)
class WatchValue:
    expression: str
    value: Any = None
    error: str | None = None

    @property
    def text(self) -> str:
        return f"⚠ {self.error}" if self.error else short_json(self.value, 200)


@dataclass
class Advance:
    """What one debugger command did: the steps it ran and where the session stands now."""
    steps: list[Step] = field(default_factory=list)
    pause: Pause | None = None
    position: int = 0
    value: Any = None
    finished: bool = False
    watches: list[WatchValue] = field(default_factory=list)
    trace: ChainTrace | None = None


def evaluate_watch(host: "JsHost", expression: str, value: Any, args: list) -> WatchValue:
    """``expression`` over ``value`` and ``args``, as a tiny handler in the watch interpreter."""
    spec = {"key": expression, "code": f"function (value, args) {{ return ({expression}\n); }}", "path": "watch"}
    try:
        result = host.call("handler.invoke", plugin_id=WATCH_CONTEXT, handler=spec, mode="filter",
                           value=js_value.encode(value), args=js_value.encode([args]))
    except (RunnerError, TypeError, ValueError) as exc:
        return WatchValue(expression, error=str(exc))
    step = result["step"]
    if step["status"] == "error":
        error = step["error"]
        return WatchValue(expression, error=f"{error.get('name', 'Error')}: {error.get('message', '')}")
    return WatchValue(expression, js_value.decode(result["value"]) if step["status"] == "ok" else None)


def evaluate_watches(host: "JsHost", watches: list[str], value: Any, args: list) -> list[WatchValue]:
    return [evaluate_watch(host, w, value, args) for w in watches]


def _snapshot(host: "JsHost", session: ChainSession, done_before: int, watches: list[str],
              pause: Pause | None = None) -> Advance:
    value, args = session.value, session.trace.args
    return Advance(
        steps=list(session.trace.steps[done_before:]), pause=pause, position=session.position, value=value,
        finished=session.finished, watches=evaluate_watches(host, watches, value, args),
        trace=session.trace if session.finished else None,
    )


def start(host: "JsHost", session: ChainSession, watches: list[str]) -> Advance:
    """Begin the session paused before its first handler."""
    session.start()
    return _snapshot(host, session, 0, watches, Pause("entry", session.next_handler))


def step(host: "JsHost", session: ChainSession, watches: list[str]) -> Advance:
    if not session.started:
        session.start()
    before = len(session.trace.steps)
    session.step()
    return _snapshot(host, session, before, watches, None if session.finished else Pause("step", session.next_handler))


def continue_(host: "JsHost", session: ChainSession, watches: list[str]) -> Advance:
    before = len(session.trace.steps)
    pause = session.continue_()
    return _snapshot(host, session, before, watches, pause)


def repeat(host: "JsHost", handlers: list[Handler], mode: str, name: str, value: Any, args: list,
           modules: dict, count: int, env: dict | None = None) -> list[ChainTrace]:
    """``count`` whole runs of the chain (breakpoints ignored): the timing view's samples."""
    return [ChainSession(host, handlers, mode, name, value, args, modules=modules, env=env).run()
            for _ in range(count)]


def compare(host: "JsHost", full: list[Handler], reduced: list[Handler], mode: str, name: str, value: Any,
            args: list, modules: dict, env: dict | None = None) -> tuple[ChainTrace, ChainTrace]:
    """The chain as it is and without some handlers, from the same input."""
    with_all = ChainSession(host, full, mode, name, value, args, modules=modules, env=env).run()
    without = ChainSession(host, reduced, mode, name, value, args, modules=modules, env=env).run()
    return with_all, without
