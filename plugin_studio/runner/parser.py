"""QuickJS's own parser, used to check code without running any of it (worker side).

Scripts are compiled with ``JS_Eval(..., JS_EVAL_FLAG_COMPILE_ONLY)`` through ctypes: the result
is bytecode that is thrown away, so even code that closes the wrapper early
(``}); while (true) {} (function () {``) is only parsed. Modules go through dukpy's module path
with an import appended that can never be resolved: linking fails before anything is evaluated,
and QuickJS frees the module (a compile-only module value could not be freed).

A compile costs ~0.1 ms for 2 KB of code; no Babel is involved.
"""
from __future__ import annotations

import ctypes
import re

import dukpy
from dukpy import _dukpy

from plugin_studio.runner.engine import Interp
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.limits import Limits

COMPILE_ONLY = 1 << 5          # JS_EVAL_FLAG_COMPILE_ONLY (quickjs.h)
TAG_EXCEPTION = 6              # JS_TAG_EXCEPTION
MODULE_PROBE = '\nimport "ps:syntax-check-only";'   # resolving it fails, so the module never runs
LABEL = "<check>"
_FRAME = re.compile(r"at <check>:(\d+):(\d+)")


class _JSValue(ctypes.Structure):
    """QuickJS-ng's JSValue on 64-bit builds: a 64-bit union and a 64-bit tag (no NaN boxing)."""
    _fields_ = [("u", ctypes.c_int64), ("tag", ctypes.c_int64)]


class Parser:
    """An interpreter of its own that only ever compiles."""

    def __init__(self, limits: Limits):
        self.interp = Interp(limits.memory_mb * 1024 * 1024, limits.stack_kb * 1024)
        self._lib, self._ctx = _bind(self.interp)

    def script(self, text: str) -> dict | None:
        """None when ``text`` parses as a (sloppy) script, else ``{name, message, line, column}``."""
        data = text.encode("utf-8")
        value = self._lib.JS_Eval(self._ctx, data, len(data), LABEL.encode(), COMPILE_ONLY)
        if value.tag != TAG_EXCEPTION:
            self._lib.JS_FreeValue(self._ctx, value)
            return None
        error = self._lib.JS_GetException(self._ctx)
        try:
            return _located(self._text(error, b"name"), self._text(error, b"message"), self._text(error, b"stack"))
        finally:
            self._lib.JS_FreeValue(self._ctx, error)

    def module(self, code: str) -> dict | None:
        """None when ``code`` parses as an ES module, else ``{name, message, line, column}``."""
        try:
            self.interp._evaljs_module(code + MODULE_PROBE, module_name=LABEL)
        except dukpy.JSRuntimeError as exc:
            head, _, stack = str(exc).partition("\n")
            name, _, message = head.partition(": ")
            return _located(name, message, stack) if name == "SyntaxError" else None
        return None

    def _text(self, value: _JSValue, prop: bytes) -> str:
        """``String(value[prop])``, or "" when it can't be read."""
        lib, ctx = self._lib, self._ctx
        field = lib.JS_GetPropertyStr(ctx, value, prop)
        try:
            if field.tag == TAG_EXCEPTION:
                lib.JS_FreeValue(ctx, lib.JS_GetException(ctx))
                return ""
            pointer = lib.JS_ToCStringLen2(ctx, None, field, 0)
            if not pointer:
                lib.JS_FreeValue(ctx, lib.JS_GetException(ctx))
                return ""
            try:
                return ctypes.string_at(pointer).decode("utf-8", "replace")
            finally:
                lib.JS_FreeCString(ctx, pointer)
        finally:
            lib.JS_FreeValue(ctx, field)


def _located(name: str, message: str, stack: str) -> dict:
    match = _FRAME.search(stack)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    return {"name": name or "SyntaxError", "message": message, "line": line, "column": column}


def _bind(interp: Interp) -> tuple[ctypes.PyDLL, int]:
    """The QuickJS functions we call, and the interpreter's ``JSContext *``.

    ``PyDLL`` keeps the GIL held during the calls (QuickJS may call back into dukpy). The capsule
    layout ``{JSRuntime *, JSContext *, ...}`` is checked with ``JS_GetRuntime`` first.
    """
    lib = ctypes.PyDLL(_dukpy.__file__)
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    runtime, context = (ctypes.c_void_p * 2).from_address(get_pointer(interp._ctx, b"DUKPY_CONTEXT_CAPSULE"))
    lib.JS_GetRuntime.restype, lib.JS_GetRuntime.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
    if not runtime or not context or lib.JS_GetRuntime(context) != runtime:
        raise RunnerError("syntax check unavailable: this dukpy build's QuickJS context has an unexpected layout")
    ctx_p, value = ctypes.c_void_p, _JSValue
    lib.JS_Eval.restype = value
    lib.JS_Eval.argtypes = [ctx_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int]
    lib.JS_GetException.restype, lib.JS_GetException.argtypes = value, [ctx_p]
    lib.JS_FreeValue.restype, lib.JS_FreeValue.argtypes = None, [ctx_p, value]
    lib.JS_GetPropertyStr.restype, lib.JS_GetPropertyStr.argtypes = value, [ctx_p, value, ctypes.c_char_p]
    lib.JS_ToCStringLen2.restype = ctypes.c_void_p
    lib.JS_ToCStringLen2.argtypes = [ctx_p, ctypes.POINTER(ctypes.c_size_t), value, ctypes.c_int]
    lib.JS_FreeCString.restype, lib.JS_FreeCString.argtypes = None, [ctx_p, ctypes.c_void_p]
    return lib, context
