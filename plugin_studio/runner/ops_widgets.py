"""Widget previews inside the JS worker: React itself, one interpreter per plugin.

A ``WidgetEngine`` keeps a ``PreviewInterpreter`` per plugin (React loaded, created on the
plugin's first preview, dropped when its last preview closes or a call into it is cut short) and
the roots (one per open preview, named by the caller) of each. Every call answers with a dict::

    {"tree": [...], "errors": [...], "log": [...], "now": ms, "next_timer_in": ms | None,
     "listeners": n, "renders": n, ...}

``tree`` holds host elements ``{"id", "type", "props", "children", "dom"?}`` (``widget_tree.js``);
``errors`` carry ``line``/``column`` in the editor's numbering. A render adds ``compiled`` (JSX,
the compile used, whether and what the storefront shows instead), ``warnings`` (what the
storefront would do differently), ``state_kept`` and ``state_reset_reason`` (React Refresh).
After a failed compile the tree is the last good one, so the preview keeps showing it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plugin_studio.runner.errors import ProtocolError
from plugin_studio.runner.limits import Limits
from plugin_studio.runner.transform import Transform
from plugin_studio.runner.widget_compile import (
    Candidate, CompiledWidget, WidgetCompileError, WidgetCompiler, compile_error, locate,
)
from plugin_studio.runner.widget_preview import PreviewInterpreter

MAX_TIMERS_PER_ADVANCE = 10_000
STOREFRONT_FAILED = "Failed to load plugin widget: Invalid widget code: "   # widget_shell.js's failedToLoad


@dataclass
class RootState:
    plugin: str
    compiled: CompiledWidget | None = None   # what the root shows (None: nothing rendered yet)
    candidate: Candidate | None = None       # the compile of it that the preview runs
    storefront: str | None = None            # what the storefront shows instead (None: the widget)
    code: str = ""


class WidgetEngine:
    def __init__(self, limits: Limits | None = None, transform: Transform | None = None):
        """``transform``: the worker's module transform (one is made when not given)."""
        self.limits = limits or Limits()
        self.compiler = WidgetCompiler(transform or Transform(self.limits))
        self._interpreters: dict[str, PreviewInterpreter] = {}
        self._roots: dict[str, RootState] = {}
        self.collections = 0   # heaps collected while the worker was idle

    # ---- interpreters ----------------------------------------------------------------------------
    def interpreter(self, plugin: str) -> PreviewInterpreter:
        interp = self._interpreters.get(plugin)
        if interp is None:
            interp = self._interpreters[plugin] = PreviewInterpreter(self.limits)
        return interp

    def drop_plugin(self, plugin: str) -> None:
        """Forget the plugin's interpreter and its roots (after a call into it was cut short)."""
        self._interpreters.pop(plugin, None)
        for root in [r for r, state in self._roots.items() if state.plugin == plugin]:
            del self._roots[root]

    def plugin_of(self, root: str) -> str | None:
        state = self._roots.get(root)
        return state.plugin if state else None

    @property
    def plugins(self) -> list[str]:
        return sorted(self._interpreters)

    # ---- operations ------------------------------------------------------------------------------
    def prepare(self, plugin: str = "") -> dict:
        """Load React into the plugin's interpreter and the JSX transform, so that renders (which run
        under the usual time limit) need not. Runs no widget code."""
        self.interpreter(plugin)
        self.compiler.warm_up()
        return {"plugins": self.plugins}

    def render(self, root: str, code: str, plugin: str = "", config: Any = None, slot_data: Any = None,
               viewport: int = 1280) -> dict:
        """Render ``code`` into ``root``; a root that shows a widget keeps its state when React Refresh can."""
        state = self._roots.get(root)
        if state is not None and state.plugin != plugin:
            self.unmount(root)
            state = None
        interp = self.interpreter(plugin)
        state = self._roots.setdefault(root, state or RootState(plugin))
        try:
            compiled = self.compiler.compile(code)
        except WidgetCompileError as exc:
            return self._failed(root, exc.as_dict(), code)
        had_widget = state.compiled is not None
        result = interp.answer("render", {
            "root": root, "hash": compiled.hash, "signature": compiled.signature, "viewport": viewport,
            "candidates": [c.as_payload() for c in compiled.candidates],
            "config": config if config is not None else {}, "slotData": slot_data if slot_data is not None else {},
        })
        if result.get("failed"):
            storefront = self._storefront_text(result.pop("storefront", None), result["failures"], code)
            failed = self._failed(root, compile_error(compiled, result["failures"], code).as_dict(), code, result)
            failed["warnings"] = _storefront_warnings(storefront, "of its shape")
            return failed
        if "index" in result:
            state.compiled, state.code, state.candidate = compiled, code, compiled.candidates[result["index"]]
            result["storefront"] = self._storefront_text(result.get("storefront"), result.get("failures") or [], code)
        self._locate_all(result, state)
        result.update(self._compile_report(state.candidate, result.pop("storefront", None) if "index" in result
                                           else state.storefront))
        state.storefront = result["compiled"]["storefront"]
        result["state_kept"] = had_widget and "index" in result and not result.get("remounted")
        result["state_reset_reason"] = _reset_reason(result.pop("remounted", None))
        for key in ("index", "failures"):
            result.pop(key, None)
        return result

    def _storefront_text(self, shown: str | None, failures: list[dict], code: str) -> str | None:
        """What the storefront shows: a syntax error in its compile is worded as Chrome words it."""
        first = failures[0] if failures and failures[0]["index"] == 0 else None
        if not shown or first is None or first["error"].get("name") != "SyntaxError":
            return shown
        return STOREFRONT_FAILED + self.compiler.storefront_syntax_message(code, first["error"].get("message") or "")

    @staticmethod
    def _compile_report(candidate: Candidate, storefront: str | None) -> dict:
        reason = ("it is JSX" if candidate.mode == "storefront" else "it is JSX and of its shape") \
            if candidate.jsx else "of its shape"
        return {"compiled": {"mode": candidate.mode, "jsx": candidate.jsx, "platform_compatible": not storefront,
                             "storefront": storefront},
                "warnings": _storefront_warnings(storefront, reason)}

    def _failed(self, root: str, error: dict, code: str, answer: dict | None = None) -> dict:
        """A compile error: reported beside whatever the root showed last."""
        locate_error(error, code)
        result = answer or {"tree": [], "log": [], "errors": [], "now": 0, "next_timer_in": None, "listeners": 0,
                            "renders": 0}
        for key in ("failed", "failures"):
            result.pop(key, None)
        result["errors"].insert(0, error)
        result["warnings"] = []
        return result

    def _has_root(self, root: str) -> bool:
        state = self._roots.get(root)
        return state is not None and state.plugin in self._interpreters and state.compiled is not None

    def event(self, root: str, node: int, type: str, data: dict | None = None) -> dict:
        """A user's input on element ``node``: click, input, change, keydown, keyup, focus, blur,
        mouseenter, mouseleave; React delivers it as react-dom does (``preview_events.js``)."""
        return self._on_root(root, "event", {"node": int(node), "type": type, "data": data or {}})

    def dispatch_window(self, root: str, name: str, detail: Any = None) -> dict:
        """``window.dispatchEvent(new CustomEvent(name, {detail}))`` in the root's plugin."""
        return self._on_root(root, "dispatch", {"name": name, "detail": detail})

    def set_viewport(self, root: str, width: int) -> dict:
        return self._on_root(root, "viewport", {"width": int(width)})

    def advance(self, root: str, ms: float) -> dict:
        """Move the plugin's virtual clock on by ``ms``, firing each timer due (promise jobs run between)."""
        if not self._has_root(root):
            return _missing(root)
        interp = self.interpreter(self._roots[root].plugin)
        target = interp.call("clock")["now"] + max(0.0, float(ms))
        for _ in range(MAX_TIMERS_PER_ADVANCE):
            if not interp.call("advanceStep", {"root": root, "target": target})["more"]:
                break  # one call per timer: the promise jobs a timer starts run before the next one fires
        return self._snapshot(root)

    def unmount(self, root: str) -> dict:
        """Unmount the root (effect cleanups run); the plugin's interpreter goes with its last root."""
        state = self._roots.pop(root, None)
        if state is None or state.plugin not in self._interpreters:
            return {"tree": [], "log": [], "errors": [], "listeners": 0, "now": 0, "next_timer_in": None, "renders": 0}
        interp = self._interpreters[state.plugin]
        result = interp.call("unmount", {"root": root})
        self._locate_all(result, state)
        if not result.get("roots_left"):
            self._interpreters.pop(state.plugin, None)
        return result

    def status(self) -> dict:
        """The plugins that have a preview interpreter, the roots open in them, and how many heap
        collections the worker's idle time did."""
        return {"plugins": self.plugins, "roots": sorted(self._roots), "collections": self.collections}

    def collect_garbage(self) -> None:
        """Collect the heaps of the interpreters called since their last collection (idle work)."""
        for interp in list(self._interpreters.values()):
            if interp.dirty:
                interp.collect_garbage()
                self.collections += 1

    def source(self, root: str) -> dict:
        """The compiled widget a root shows: ``{"candidates": [{"mode", "source"}...]}`` (for a browser page)."""
        state = self._roots.get(root)
        if state is None or state.compiled is None:
            return _missing(root)
        return {"candidates": [c.as_payload() for c in state.compiled.candidates]}

    def html(self, root: str) -> dict:
        """The root's elements as HTML, serialised by react-dom/server."""
        if not self._has_root(root):
            return _missing(root)
        return {"html": self.interpreter(self._roots[root].plugin).html(root)}

    def _on_root(self, root: str, op: str, args: dict) -> dict:
        if not self._has_root(root):
            return _missing(root)
        state = self._roots[root]
        result = self.interpreter(state.plugin).answer(op, dict(args, root=root))
        self._locate_all(result, state)
        return result

    def _snapshot(self, root: str) -> dict:
        return self._on_root(root, "snapshot", {})

    @staticmethod
    def _locate_all(result: dict, state: RootState) -> None:
        """Editor positions for the errors of the widget code ``state`` shows."""
        for error in result.get("errors") or []:
            if state.candidate is not None and error.get("line") is None:
                error["line"], error["column"] = locate(state.candidate, error)
            locate_error(error, state.code)


def _storefront_warnings(storefront: str | None, reason: str) -> list[str]:
    if not storefront:
        return []
    return [f"The storefront can't run this widget as stored ({reason}): it shows “{storefront}” instead. "
            "The storefront needs one function expression using React.createElement, optionally behind export default."]


def _missing(root: str) -> dict:
    return {"tree": [], "log": [], "now": 0, "next_timer_in": None, "listeners": 0, "renders": 0, "missing_root": True,
            "errors": [{"phase": "root", "name": "Error", "line": None, "column": None, "stack": "",
                        "message": f'no widget preview "{root}" in this worker (it may have restarted)'}]}


def _reset_reason(remounted: dict | None) -> str | None:
    if not remounted:
        return None
    before = ", ".join((remounted.get("from") or "").split("\n")) or "none"
    after = ", ".join((remounted.get("to") or "").split("\n")) or "none"
    return f"the hooks changed ({before} → {after}): React mounted the widget again with fresh state"


_PROPERTY_OF = re.compile(r"cannot read property '([^']+)' of|(\w+) is not (?:defined|a function)")


def locate_error(error: dict, code: str) -> None:
    """Make ``line``/``column`` point into ``code`` as well as we can tell.

    QuickJS-ng reports some runtime errors at the start of the enclosing function or at the last
    statement it recorded a position for (a property read inside ``return``, a class's ``extends``
    expression) and can shift columns after line 1. A position outside its line is dropped; a
    position on the function's first column, or on a line that does not mention the name the
    message names, is moved to the one place in the code that reads that name, when there is one.
    """
    lines = code.split("\n")
    line, column = error.get("line"), error.get("column")
    if not line or line < 1 or line > len(lines):
        error["line"] = error["column"] = line = column = None
    elif column and column > len(lines[line - 1]) + 1:
        error["column"] = column = None
    match = _PROPERTY_OF.search(error.get("message", ""))
    if not match:
        return
    name = match.group(1) or match.group(2)
    pattern = re.compile(rf"\.{re.escape(name)}\b" if match.group(1) else rf"\b{re.escape(name)}\b")
    if line is not None and column not in (1, None) and pattern.search(lines[line - 1]):
        return
    hits = [(i + 1, m.start() + 1) for i, text in enumerate(lines) for m in pattern.finditer(text)]
    if len(hits) == 1:
        error["line"], error["column"] = hits[0]


# ------------------------------------------------------------------ worker ops

STATE_KEY = "widgets"


def engine_of(state) -> WidgetEngine:
    engine = state.get(STATE_KEY)
    if engine is None:
        engine = state[STATE_KEY] = WidgetEngine(getattr(state, "limits", None), getattr(state, "transform", None))
    return engine


def _guarded(method: str, *fields: str, optional: dict | None = None):
    """An op calling ``WidgetEngine.<method>`` with the payload's fields.

    When a call is cut short (time limit, memory) the plugin's interpreter may hold a half-done
    render, so it is dropped with every preview of that plugin; other plugins' previews are
    untouched. The next render of a dropped preview starts fresh and says its state was reset.
    """
    def op(state, payload: dict) -> dict:
        missing = [f for f in fields if f not in payload]
        if missing:
            raise ProtocolError(f"widget op {method} needs {', '.join(missing)}")
        args = [payload[f] for f in fields]
        extra = {k: payload.get(k, v) for k, v in (optional or {}).items()}
        engine = engine_of(state)
        plugin = payload.get("plugin") if "root" not in payload or method == "render" else engine.plugin_of(payload["root"])
        try:
            return getattr(engine, method)(*args, **extra)
        except BaseException:
            engine.drop_plugin(plugin or "")
            raise
        finally:
            idle = getattr(state, "idle", None)
            if idle is not None:
                idle[STATE_KEY] = engine.collect_garbage
    return op


OPS = {
    "widget.prepare": _guarded("prepare", optional={"plugin": ""}),
    "widget.render": _guarded("render", "root", "code",
                              optional={"plugin": "", "config": None, "slot_data": None, "viewport": 1280}),
    "widget.event": _guarded("event", "root", "node", "type", optional={"data": None}),
    "widget.dispatch": _guarded("dispatch_window", "root", "name", optional={"detail": None}),
    "widget.advance": _guarded("advance", "root", "ms"),
    "widget.viewport": _guarded("set_viewport", "root", "width"),
    "widget.html": _guarded("html", "root"),
    "widget.source": _guarded("source", "root"),
    "widget.status": _guarded("status"),
    "widget.unmount": _guarded("unmount", "root"),
}
