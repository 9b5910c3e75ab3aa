"""Worker-side core: one QuickJS interpreter per plugin, its limits, and error positions.

QuickJS names every script ``<dukpy>`` (and indirect evals ``<input>``), so a stack frame alone
can't say which stored file it came from. Each context therefore gives every source it loads
its own range of line numbers (padding the source with newlines): a frame's line then names
both the file and the line inside it. Frames of the runtime itself are dropped.
"""
from __future__ import annotations

import bisect
import ctypes
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import dukpy
from dukpy import _dukpy

from plugin_studio.runner.errors import (
    JsError, JsMemoryLimit, JsOutputLimit, JsStackOverflow, JsSyntaxError, RunnerError,
)
from plugin_studio.runner.js_runtime import RUNTIME
from plugin_studio.runner.limits import Limits

FIRST_SOURCE_LINE = 1000  # lines below this belong to the runtime and the runner's own calls
MAX_STACK_BYTES = 4 * 1024 * 1024  # QuickJS runs on the worker's 8 MB main-thread C stack
_FRAME = re.compile(r"^(\s*at )(?:(.*?) \()?<(?:dukpy|input)>:(\d+):(\d+)\)?\s*$")
_FIRST_LINE = re.compile(r"^(\w*Error|\w+): (.*)$", re.S)


class Interp(dukpy.JSInterpreter):
    """A bare dukpy interpreter: no process.env, no filesystem ``require``, no module loading."""

    def __init__(self, memory_bytes: int, stack_bytes: int):
        self._loader = None
        self._ctx = _dukpy.create_context()
        self._funcs = {}
        set_quickjs_limits(self._ctx, memory_bytes, min(stack_bytes, MAX_STACK_BYTES))

    def _load_module(self, name):  # called by QuickJS for import(): plugins have no module files
        return None, None, None

    def _normalize_module(self, base_name, module_name):
        return module_name


def set_quickjs_limits(capsule, memory_bytes: int, stack_bytes: int) -> bool:
    """Set QuickJS's own heap and stack limits (dukpy fixes them at 128 MB / 1 MB).

    dukpy 0.6 keeps ``{JSRuntime *runtime; JSContext *context; ...}`` behind its capsule; we check
    that layout with ``JS_GetRuntime(context) == runtime`` before writing anything, and keep
    dukpy's defaults (plus the worker's rlimit) when it doesn't hold.
    """
    try:
        lib = ctypes.CDLL(_dukpy.__file__)
        get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
        get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
        address = get_pointer(capsule, b"DUKPY_CONTEXT_CAPSULE")
        runtime, context = (ctypes.c_void_p * 2).from_address(address)
        lib.JS_GetRuntime.restype, lib.JS_GetRuntime.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
        if not runtime or lib.JS_GetRuntime(context) != runtime:
            return False
        lib.JS_SetMemoryLimit.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        lib.JS_SetMaxStackSize.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        lib.JS_SetMemoryLimit(runtime, memory_bytes)
        lib.JS_SetMaxStackSize(runtime, stack_bytes)
        return True
    except (OSError, AttributeError, ValueError):
        return False


@dataclass
class Source:
    """One piece of plugin code loaded into a context, at lines ``first``.. of the context."""
    label: str        # the path shown to the user, e.g. hooks/product_price.js
    first: int
    lines: int
    line_shift: int = 0  # lines the source's own wrapper added before the stored code (Babel: 0)


@dataclass
class LineMap:
    starts: list[int] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    next_line: int = FIRST_SOURCE_LINE

    def allocate(self, label: str, text: str) -> Source:
        source = Source(label, self.next_line, text.count("\n") + 1)
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


def wrap(source: Source, head: str, body: str, tail: str) -> str:
    """``head`` on the line before the stored code and ``tail`` after it, the code at its own lines."""
    return "\n" * (source.first - 2) + head + "\n" + body + "\n" + tail


class PluginContext:
    """The interpreter of one plugin (or of a scratch area), with its sources and module resolver."""

    def __init__(self, key: str, limits: Limits, resolver: "Resolver", data_call: Callable[..., dict]):
        self.key = key
        self.limits = limits
        self.interp = Interp(limits.memory_mb * 1024 * 1024, limits.stack_kb * 1024)
        self.lines = LineMap()
        self.loaded: dict[str, str] = {}  # handler key -> code it was defined from
        self.resolver = resolver
        self.interp.export_function("ps.resolve", lambda frm, spec: resolver.resolve(frm, spec))
        self.interp.export_function("ps.source", lambda module_id: resolver.source(self, module_id))
        self.interp.export_function("ps.data", data_call)
        self.interp.evaljs(RUNTIME)
        self.interp.evaljs("__ps.consoleLimit = dukpy.n; 0", n=int(limits.console_bytes))

    def eval(self, code: str, **variables: Any) -> Any:
        return self.interp.evaljs(code, **variables)

    def call(self, function: str, *args: Any) -> Any:
        return self.interp.evaljs(f"__ps.{function}.apply(null, dukpy.a)", a=list(args))

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
                first = {"path": source.label, "line": line, "column": int(match.group(4))}
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
        where = first or {}
        cls = JsSyntaxError if error.get("name") == "SyntaxError" else JsError
        return cls(message, where.get("line"), where.get("column"), stack, error.get("name", "Error"),
                   where.get("path", default_path))


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


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
