"""Widget preview inside the JS worker: compile, render, events, window events, virtual time.

A ``WidgetEngine`` owns one QuickJS interpreter with our React runtime loaded and any number of
preview roots (one per open preview, named by the caller). Every call answers with a plain dict::

    {"tree": [...], "errors": [...], "log": [...], "now": ms, "next_timer_in": ms | None,
     "listeners": n, "renders": n, ...}

``tree`` is the rendered element tree (host nodes ``{"id", "type", "props", "children"}``, text
as strings, event props as ``{"$handler": "onClick"}``); ``errors`` holds compile and render
errors with ``line``/``column`` in the editor's numbering. After a failed render the tree is the
last good one, so the preview keeps showing it.
"""
from __future__ import annotations

import re
from importlib import resources
from typing import Any

from plugin_studio.runner.engine import Interp
from plugin_studio.runner.errors import ProtocolError
from plugin_studio.runner.limits import Limits
from plugin_studio.runner.widget_compile import WidgetCompileError, WidgetCompiler

RUNTIME_PATH = "resources/js/react_runtime.js"


def runtime_source() -> str:
    return resources.files("plugin_studio").joinpath(RUNTIME_PATH).read_text(encoding="utf-8")


class WidgetEngine:
    def __init__(self, limits: Limits | None = None):
        """``limits`` sets QuickJS's heap and stack limits (the worker passes its own)."""
        if limits is None:
            import dukpy

            self._js = dukpy.JSInterpreter()
        else:
            self._js = Interp(limits.memory_mb * 1024 * 1024, limits.stack_kb * 1024)
        self._js.evaljs(runtime_source())
        self.compiler = WidgetCompiler(self._check_syntax)
        self._defined: set[str] = set()
        self._code: dict[str, str] = {}  # the code each root shows, to place error lines

    def _call(self, function: str, *args: Any) -> Any:
        """Call ``__studio.<function>(*args)``; arguments travel as JSON on the dukpy global."""
        # Promise jobs run when evaljs returns; a state update made in one (an async handler)
        # is rendered by the snapshot taken right after.
        result = self._js.evaljs(f"__studio.{function}.apply(null, dukpy.args)", args=list(args))
        return result

    def _check_syntax(self, source: str) -> dict | None:
        return self._call("checkSyntax", source)

    def render(self, root: str, code: str, config: Any = None, slot_data: Any = None,
               viewport: int = 1280) -> dict:
        """Render ``code`` into ``root``; a root that already shows a widget keeps its state when it can."""
        try:
            compiled = self.compiler.compile(code)
        except WidgetCompileError as exc:
            error = exc.as_dict()
            locate_error(error, code)
            return self._failed(root, error)
        if compiled.hash not in self._defined:
            defined = self._call("define", compiled.hash, compiled.source)
            if not defined["ok"]:
                return self._failed(root, defined["error"])
            self._defined.add(compiled.hash)
        props = {"config": config if config is not None else {}, "slotData": slot_data if slot_data is not None else {}}
        result = self._settle(root, self._call("render", root, compiled.hash, props, viewport))
        result["compiled"] = {"mode": compiled.mode, "jsx": compiled.jsx,
                              "platform_compatible": compiled.platform_compatible}
        self._code[root] = code
        return self._located(root, result)

    def _failed(self, root: str, error: dict) -> dict:
        """A compile error: report it beside whatever the root showed last."""
        if self._call("hasRoot", root):
            result = self._call("snapshot", root)
        else:
            result = {"tree": [], "log": [], "errors": [], "now": 0, "next_timer_in": None, "listeners": 0}
        result["errors"].insert(0, error)
        return result

    def _settle(self, root: str, result: dict) -> dict:
        """Pick up renders caused by promise jobs that ran after the previous call returned."""
        if result.get("missing_root"):
            return result
        after = self._call("snapshot", root)
        if after["renders"] != result["renders"]:
            after["log"] = result["log"] + after["log"]
            after["errors"] = result["errors"] + after["errors"]
            for key in ("state_kept", "state_reset_reason"):
                if key in result:
                    after[key] = result[key]
            return after
        result["log"] += after["log"]
        result["errors"] += after["errors"]
        return result

    def _located(self, root: str, result: dict) -> dict:
        code = self._code.get(root)
        if code is not None:
            for error in result["errors"]:
                locate_error(error, code)
        return result

    def event(self, root: str, node: int, type: str, data: dict | None = None) -> dict:
        """A DOM-like event on host node ``node`` (click, change, submit, ...); it bubbles like React's."""
        return self._located(root, self._settle(root, self._call("event", root, int(node), type, data or {})))

    def dispatch_window(self, root: str, name: str, detail: Any = None) -> dict:
        return self._located(root, self._settle(root, self._call("dispatchWindow", root, name, detail)))

    def advance(self, root: str, ms: float) -> dict:
        return self._located(root, self._settle(root, self._call("advance", root, float(ms))))

    def set_viewport(self, root: str, width: int) -> dict:
        return self._settle(root, self._call("setViewport", root, int(width)))

    def unmount(self, root: str) -> dict:
        result = self._located(root, self._call("unmount", root))
        self._code.pop(root, None)
        return result


_PROPERTY_OF = re.compile(r"cannot read property '([^']+)' of|(\w+) is not (?:defined|a function)")


def locate_error(error: dict, code: str) -> None:
    """Make ``line``/``column`` point into ``code`` as well as we can tell.

    QuickJS-ng reports some runtime errors at the start of the enclosing function (a property
    read inside ``return`` loses its position) and can shift columns after line 1. A position
    outside its line is dropped; a position on the function's first column is refined by finding
    the one place in the code that reads the property the message names.
    """
    lines = code.split("\n")
    line, column = error.get("line"), error.get("column")
    if not line or line > len(lines):
        error["line"] = error["column"] = None
        line = None
    elif column and column > len(lines[line - 1]) + 1:
        error["column"] = None
    if line is not None and column not in (1, None):
        return
    match = _PROPERTY_OF.search(error.get("message", ""))
    if not match:
        return
    name = match.group(1) or match.group(2)
    pattern = re.compile(rf"\.{re.escape(name)}\b" if match.group(1) else rf"\b{re.escape(name)}\b")
    hits = [(i + 1, m.start() + 1) for i, text in enumerate(lines) for m in pattern.finditer(text)]
    if len(hits) == 1:
        error["line"], error["column"] = hits[0]


# ------------------------------------------------------------------ worker ops

STATE_KEY = "widgets"


def engine_of(state) -> WidgetEngine:
    engine = state.get(STATE_KEY)
    if engine is None:
        engine = state[STATE_KEY] = WidgetEngine(getattr(state, "limits", None))
    return engine


def _guarded(method: str, *fields: str, optional: dict | None = None):
    """An op calling ``WidgetEngine.<method>`` with the payload's fields.

    When the call is cut short (time limit, memory) the engine may hold a half-rendered tree, so
    it is dropped; the next render starts a fresh one and the preview says its state was reset.
    """
    def op(state, payload: dict) -> dict:
        missing = [f for f in fields if f not in payload]
        if missing:
            raise ProtocolError(f"widget op {method} needs {', '.join(missing)}")
        args = [payload[f] for f in fields]
        extra = {k: payload.get(k, v) for k, v in (optional or {}).items()}
        try:
            return getattr(engine_of(state), method)(*args, **extra)
        except BaseException:
            state.pop(STATE_KEY, None)
            raise
    return op


OPS = {
    "widget.render": _guarded("render", "root", "code",
                              optional={"config": None, "slot_data": None, "viewport": 1280}),
    "widget.event": _guarded("event", "root", "node", "type", optional={"data": None}),
    "widget.dispatch": _guarded("dispatch_window", "root", "name", optional={"detail": None}),
    "widget.advance": _guarded("advance", "root", "ms"),
    "widget.viewport": _guarded("set_viewport", "root", "width"),
    "widget.unmount": _guarded("unmount", "root"),
}
