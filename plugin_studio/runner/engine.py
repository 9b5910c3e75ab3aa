"""Worker-side core: one QuickJS interpreter per plugin, its limits, and error positions.

QuickJS names every script ``<dukpy>`` (and indirect evals ``<input>``), so a stack frame alone
can't say which stored file it came from. Each context therefore gives every source it loads
its own range of line numbers (padding the source with newlines): a frame's line then names
both the file and the line inside it. Frames of the runtime itself are dropped.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import dukpy
from dukpy import _dukpy

from plugin_studio.runner import quickjs
from plugin_studio.runner.js_resources import resource_text
from plugin_studio.runner.errors import (
    JsError, JsMemoryLimit, JsOutputLimit, JsStackOverflow, JsSyntaxError, JsTimeout, RunnerError,
)
from plugin_studio.runner.limits import Limits

FIRST_SOURCE_LINE = 1000  # lines below this belong to the runtime and the runner's own calls
MAX_STACK_BYTES = 4 * 1024 * 1024  # QuickJS runs on the worker's 8 MB main-thread C stack
_FRAME = re.compile(r"^(\s*at )(?:(.*?) \()?<(?:dukpy|input)>:(\d+):(\d+)\)?\s*$")
_FIRST_LINE = re.compile(r"^(\w*Error|\w+): (.*)$", re.S)


class Interp(dukpy.JSInterpreter):
    """A bare dukpy interpreter: no process.env, no filesystem ``require``, no module loading; its
    heap and stack limited and QuickJS's interrupt handler installed (``runner.quickjs``)."""

    def __init__(self, memory_bytes: int, stack_bytes: int):
        self._loader = None
        self._ctx = _dukpy.create_context()
        self._funcs = {}
        quickjs.configure(self._ctx, memory_bytes, min(stack_bytes, MAX_STACK_BYTES))

    def _load_module(self, name):  # called by QuickJS for import(): plugins have no module files
        return None, None, None

    def _normalize_module(self, base_name, module_name):
        return module_name


@dataclass
class Source:
    """One piece of plugin code loaded into a context, at lines ``first``.. of the context."""
    label: str        # the path shown to the user, e.g. hooks/product_price.js
    first: int
    lines: int
    text: str = ""    # the stored code, as the user sees it


@dataclass
class LineMap:
    starts: list[int] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    next_line: int = FIRST_SOURCE_LINE

    def allocate(self, label: str, text: str) -> Source:
        source = Source(label, self.next_line, text.count("\n") + 1, text)
        self.next_line += source.lines + 4
        self.starts.append(source.first)
        self.sources.append(source)
        return source

    def find(self, line: int) -> tuple[Source, int] | None:
        i = bisect.bisect_right(self.starts, line) - 1
        if i < 0:
            return None
        source = self.sources[i]
        local = line - source.first + 1
        # A few lines past the end: the wrapper's closing text, where unterminated code fails.
        return (source, local) if 1 <= local <= source.lines + 2 else None


class PluginContext:
    """The interpreter of one plugin (or of a scratch area), with its sources and module resolver.

    ``frontend`` contexts are what the storefront's browser gives hooks and events (window,
    document, storage, fetch, Intl, strict mode; resources/js/browser_env.js); the others are the
    platform loader's backend (a ``process`` that refuses, ``pluginData``, ``require`` per module).
    """

    def __init__(self, key: str, limits: Limits, resolver: "Resolver", data_call: Callable[..., dict],
                 frontend: bool = True):
        self.key = key
        self.limits = limits
        self.frontend = frontend
        self.interp = Interp(limits.memory_mb * 1024 * 1024, limits.stack_kb * 1024)
        self.lines = LineMap()
        self.loaded: dict[str, str] = {}  # handler key -> code it was defined from
        self.generation = 0  # counted up as a handler is (re)defined or dropped: what was checked holds till then
        self.resolver = resolver
        self.interp.export_function("ps.resolve", lambda frm, spec: resolver.resolve(frm, spec))
        self.interp.export_function("ps.source", lambda module_id: resolver.source(self, module_id))
        self.interp.export_function("ps.data", data_call)
        self.interp.evaljs(resource_text("plugin_runtime.js"))
        self.interp.evaljs("__ps.consoleLimit = dukpy.n; __ps.frontend = dukpy.f; 0", n=int(limits.console_bytes),
                           f=frontend)
        if frontend:
            from plugin_studio.runner.js_packages import PackageLoader

            PackageLoader(self.interp).install()
            self.interp.evaljs(resource_text("browser_env.js"))
            self.interp.evaljs(f"({resource_text('browser_builtins.js')})(globalThis, __pkg.require, __ps.browser.language); 0")
            self.interp.evaljs("globalThis.pluginData = __ps.pluginData; 0")
        else:
            self.interp.evaljs("globalThis.process = __ps.processStub; globalThis.pluginData = __ps.pluginData; 0")
        self._caller = quickjs.Caller(self.interp._ctx, "__ps")
        self.step_counter = self._caller.int32_cell("stepClock")

    def timed_call(self, function: str, *args: Any) -> Any:
        """``call``, each handler it starts (and the call itself) stopped after the per-call time limit."""
        quickjs.WATCH.start_step(self.limits.timeout_ms, self.step_counter)
        try:
            return self.call(function, *args)
        finally:
            quickjs.WATCH.step_ms = None

    def timed_text(self, function: str, args_json: str) -> bytes | None:
        """``__ps.<function>`` on the JSON array ``args_json``, timed as ``timed_call``; its string result as
        UTF-8 bytes, as the runtime wrote it (``quickjs.Caller.call_text``)."""
        quickjs.WATCH.start_step(self.limits.timeout_ms, self.step_counter)
        try:
            return self._caller.call_text(function, args_json)
        finally:
            quickjs.WATCH.step_ms = None

    @property
    def ran_jobs(self) -> bool:
        """Whether the last call left promise jobs behind (their console lines are then waiting)."""
        return self._caller.ran_jobs

    @property
    def jobs_stopped(self) -> str | None:
        """``Name: message`` of the uncatchable error (time limit, memory) that ended the last call's promise jobs."""
        return self._caller.job_stopped

    def eval(self, code: str, **variables: Any) -> Any:
        return self.interp.evaljs(code, **variables)

    def call(self, function: str, *args: Any) -> Any:
        """``__ps.<function>(*args)``, JSON in and out, without dukpy's collection after every eval."""
        text = self._caller.call(function, json.dumps(args, ensure_ascii=False))
        return None if text is None else json.loads(text)

    def settle(self, outcome: dict, poll: str = "poll") -> dict:
        """Poll a pending outcome until it settles; timers fire in virtual time between polls."""
        while outcome.get("status") == "pending":
            outcome = self.call(poll)
        return outcome

    def locate(self, stack: str) -> tuple[str, dict | None]:
        """The stack with paths instead of ``<dukpy>`` and runtime frames dropped; the first plugin frame."""
        out, first = [], None
        for text in stack.splitlines():
            match = _FRAME.match(text)
            if not match:
                if text.strip():
                    out.append(text)
                continue
            found = self.lines.find(int(match.group(3)))
            if found is None:
                continue
            source, line = found
            line = min(line, source.lines)
            where = f"{source.label}:{line}:{match.group(4)}"
            out.append(f"{match.group(1)}{match.group(2)} ({where})" if match.group(2) else f"{match.group(1)}{where}")
            if first is None:
                first = {"path": source.label, "line": line, "column": int(match.group(4)), "source": source}
        while out and out[-1].strip().endswith("(native)"):
            out.pop()  # the runtime calling into the plugin
        return "\n".join(out), first

    def error_from(self, error: dict, default_path: str | None = None) -> RunnerError:
        """A typed error from the runtime's ``{kind, name, message, stack}``."""
        kind, message = error.get("kind", "exception"), error.get("message", "")
        stack, first = self.locate(error.get("stack", ""))
        if kind == "memory":
            return JsMemoryLimit(f"out of memory: the code needed more than the {self.limits.memory_mb} MB "
                                 "a plugin may use")
        if kind == "stack":
            return JsStackOverflow(f"call stack too deep (endless recursion?): {message}", stack=stack)
        if kind == "output":
            return JsOutputLimit(message)
        if kind == "timeout":
            return JsTimeout(f"stopped after {self.limits.timeout_ms} ms: the code ran longer than the time limit "
                             "(an endless loop?)")
        where = first or {}
        name = error.get("name", "Error")
        line, column = where.get("line"), where.get("column")
        if name == "TypeError" and where:
            line, column = property_access_position(where["source"].text, line, column, message)
            message = v8_type_error(message)
        cls = JsSyntaxError if name == "SyntaxError" else JsError
        return cls(message, line, column, stack, name, where.get("path", default_path))


_PROPERTY_ERROR = re.compile(r"^cannot (read|set) property '([^']*)' of (null|undefined)$")


def v8_type_error(message: str) -> str:
    """QuickJS's wording of a property access on null/undefined as V8 (the storefront's Chrome) words it."""
    match = _PROPERTY_ERROR.match(message)
    if not match:
        return message
    verb, name, what = match.groups()
    return f"Cannot {verb} properties of {what} ({'reading' if verb == 'read' else 'setting'} '{name}')"


def property_access_position(text: str, line: int, column: int, message: str) -> tuple[int, int]:
    """Where a failed property access is: QuickJS places it at the start of the enclosing function, so
    look for the property, from there on, in the code itself."""
    match = _PROPERTY_ERROR.match(message)
    if not match or not text:
        return line, column
    lines = text.split("\n")
    start = sum(len(lines[i]) + 1 for i in range(min(line - 1, len(lines)))) + max(column - 1, 0)
    prop = re.escape(match.group(2))
    found = re.compile(rf"(?:\?\.|\.)\s*{prop}\b|\[\s*['\"]{prop}['\"]\s*\]").search(text, start)
    if found is None:
        return line, column
    before = text[:found.start()]
    return before.count("\n") + 1, found.start() - before.rfind("\n")


def parse_runtime_error(text: str) -> dict:
    """``JSRuntimeError`` text (``Name: message\\n    at ...``) as the runtime's error dict."""
    head, _, stack = text.partition("\n")
    match = _FIRST_LINE.match(head)
    name, message = (match.group(1), match.group(2)) if match else ("Error", head)
    kind = "exception"
    if name == "InternalError" and "out of memory" in message:
        kind = "memory"
    elif name == "RangeError" and "call stack size" in message:
        kind = "stack"
    elif name == "OutputLimitError":
        kind = "output"
    elif name == "InternalError" and message.strip() == quickjs.INTERRUPTED:
        kind = "timeout"
    return {"kind": kind, "name": name, "message": message, "stack": stack}


class Resolver:
    """``require`` for one plugin: its scripts by file name and its bundled dependencies."""

    def __init__(self, scripts: dict[str, str] | None = None, dependencies: dict[str, str] | None = None,
                 compile_module: Callable[[str, str], str] | None = None):
        self.scripts = scripts or {}
        self.dependencies = dependencies or {}
        self.compile_module = compile_module

    def resolve(self, from_id: str, spec: str) -> dict:
        from plugin_studio.runner.scripts import resolve_spec

        return resolve_spec(self.scripts, self.dependencies, from_id, spec)

    def source(self, context: PluginContext, module_id: str) -> dict:
        from plugin_studio.runner.scripts import module_source

        return module_source(self, context, module_id)
