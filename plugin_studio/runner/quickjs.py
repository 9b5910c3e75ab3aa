"""QuickJS itself, reached through ctypes where dukpy has no API: heap and stack limits, and the
interrupt handler that enforces the wall-time limit (DESIGN §3, Processes).

dukpy 0.6 keeps ``{JSRuntime *runtime; JSContext *context; ...}`` behind its capsule; we check that
layout with ``JS_GetRuntime(context) == runtime`` before writing anything.

The interrupt handler is QuickJS's own mechanism: QuickJS asks it every few thousand bytecode
instructions whether to stop, and when it says yes QuickJS throws an *uncatchable* error
("InternalError: interrupted") that no ``try``/``catch`` or ``finally`` of plugin code can hold
up. It needs no POSIX signal, so it works the same on Windows. ``WATCH`` is what it consults: the
deadline of the code running now (``time.monotonic()`` seconds, None when nothing is timed) and
whether the host's pipe has closed (then the worker is about to exit).
"""
from __future__ import annotations

import ctypes
import time
from contextlib import contextmanager
from dataclasses import dataclass

import dukpy
from dukpy import _dukpy

INTERRUPTED = "interrupted"  # QuickJS's message for the interrupt, as dukpy reports it


@dataclass
class Watch:
    """What the interrupt handler checks. ``deadline``: the whole request's. ``step_ms``: each piece of
    plugin code's own limit, measured from ``start_step()`` or from the moment the running
    interpreter's step counter (``__ps.stepClock``, bumped as each handler starts) last changed."""
    deadline: float | None = None
    host_gone: bool = False
    fired: bool = False          # the handler stopped the code (a limit passed or the host left)
    step_ms: float | None = None
    counter: object = None       # ctypes.c_int32 over the running interpreter's step counter
    _seen: int = -1
    _since: float = 0.0

    def arm(self, ms: float) -> None:
        self.deadline = time.monotonic() + ms / 1000
        self.fired = False

    def disarm(self) -> None:
        self.deadline = None
        self.step_ms = None

    def start_step(self, ms: float, counter=None) -> None:
        """Time the code about to run (one handler, or several that bump ``counter``) at ``ms`` each."""
        self.step_ms, self.counter = ms, counter
        self._seen = counter.value if counter is not None else -1
        self._since = time.monotonic()
        self.fired = False

    @contextmanager
    def set_aside(self, limit_ms: float):
        """Time that is not the plugin's (compiling its code): the running limits stand still meanwhile,
        and ``limit_ms`` alone bounds what runs inside."""
        started = time.monotonic()
        deadline, step_ms = self.deadline, self.step_ms
        self.deadline, self.step_ms = started + limit_ms / 1000, None
        try:
            yield
        finally:
            spent = time.monotonic() - started
            self.deadline = None if deadline is None else deadline + spent
            self.step_ms, self._since = step_ms, self._since + spent

    @property
    def expired(self) -> bool:
        now = time.monotonic()
        if self.deadline is not None and now >= self.deadline:
            return True
        if self.step_ms is None:
            return False
        if self.counter is not None and self.counter.value != self._seen:
            self._seen, self._since = self.counter.value, now
            return False
        return (now - self._since) * 1000 >= self.step_ms


WATCH = Watch()
_HANDLER_TYPE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def _should_interrupt(_runtime, _opaque) -> int:
    if WATCH.host_gone or WATCH.expired:
        WATCH.fired = True
        return 1
    return 0


_HANDLER = _HANDLER_TYPE(_should_interrupt)  # kept alive for as long as the module is loaded
_lib = None


def _library() -> ctypes.CDLL:
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(_dukpy.__file__)
        lib.JS_GetRuntime.restype, lib.JS_GetRuntime.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
        lib.JS_SetMemoryLimit.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        lib.JS_SetMaxStackSize.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        lib.JS_SetInterruptHandler.argtypes = [ctypes.c_void_p, _HANDLER_TYPE, ctypes.c_void_p]
        lib.JS_SetInterruptHandler.restype = None
        _lib = lib
    return _lib


def runtime_and_context(capsule) -> tuple[int, int] | None:
    """The ``JSRuntime *`` and ``JSContext *`` behind a dukpy context capsule, or None if the layout differs."""
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    address = get_pointer(capsule, b"DUKPY_CONTEXT_CAPSULE")
    runtime, context = (ctypes.c_void_p * 2).from_address(address)
    if not runtime or not context or _library().JS_GetRuntime(context) != runtime:
        return None
    return runtime, context


def configure(capsule, memory_bytes: int, stack_bytes: int) -> bool:
    """Set the heap and stack limits and install the interrupt handler; False if dukpy's layout differs."""
    try:
        pointers = runtime_and_context(capsule)
        if pointers is None:
            return False
        lib, runtime = _library(), pointers[0]
        lib.JS_SetMemoryLimit(runtime, memory_bytes)
        lib.JS_SetMaxStackSize(runtime, stack_bytes)
        lib.JS_SetInterruptHandler(runtime, _HANDLER, None)
        return True
    except (OSError, AttributeError, ValueError):
        return False


# ---- evaluating with a file name of our choosing ------------------------------------------------

COMPILE_ONLY = 1 << 5          # JS_EVAL_FLAG_COMPILE_ONLY (quickjs.h)
STRICT = 1 << 3                # JS_EVAL_FLAG_STRICT
TAG_UNDEFINED = 3              # JS_TAG_UNDEFINED
TAG_OBJECT = -1                # JS_TAG_OBJECT
TAG_EXCEPTION = 6              # JS_TAG_EXCEPTION


class JSValue(ctypes.Structure):
    """QuickJS-ng's JSValue on 64-bit builds: a 64-bit union and a 64-bit tag (no NaN boxing)."""
    _fields_ = [("u", ctypes.c_int64), ("tag", ctypes.c_int64)]


_evaluator = None


def evaluator() -> ctypes.PyDLL:
    """The QuickJS functions for ``JS_Eval`` and reading its exception, bound once.

    ``PyDLL`` keeps the GIL held during the calls (QuickJS may call back into dukpy and Python).
    """
    global _evaluator
    if _evaluator is None:
        lib = ctypes.PyDLL(_dukpy.__file__)
        ctx_p = ctypes.c_void_p
        lib.JS_Eval.restype = JSValue
        lib.JS_Eval.argtypes = [ctx_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int]
        lib.JS_GetException.restype, lib.JS_GetException.argtypes = JSValue, [ctx_p]
        lib.JS_FreeValue.restype, lib.JS_FreeValue.argtypes = None, [ctx_p, JSValue]
        lib.JS_GetPropertyStr.restype, lib.JS_GetPropertyStr.argtypes = JSValue, [ctx_p, JSValue, ctypes.c_char_p]
        lib.JS_ToCStringLen2.restype = ctypes.c_void_p
        lib.JS_ToCStringLen2.argtypes = [ctx_p, ctypes.POINTER(ctypes.c_size_t), JSValue, ctypes.c_int]
        lib.JS_FreeCString.restype, lib.JS_FreeCString.argtypes = None, [ctx_p, ctypes.c_void_p]
        lib.JS_GetGlobalObject.restype, lib.JS_GetGlobalObject.argtypes = JSValue, [ctx_p]
        lib.JS_ParseJSON.restype = JSValue
        lib.JS_ParseJSON.argtypes = [ctx_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]
        lib.JS_Call.restype = JSValue
        lib.JS_Call.argtypes = [ctx_p, JSValue, JSValue, ctypes.c_int, ctypes.POINTER(JSValue)]
        lib.JS_JSONStringify.restype = JSValue
        lib.JS_JSONStringify.argtypes = [ctx_p, JSValue, JSValue, JSValue]
        lib.JS_IsJobPending.restype, lib.JS_IsJobPending.argtypes = ctypes.c_bool, [ctypes.c_void_p]
        lib.JS_GetArrayBuffer.restype = ctypes.c_void_p
        lib.JS_GetArrayBuffer.argtypes = [ctx_p, ctypes.POINTER(ctypes.c_size_t), JSValue]
        lib.JS_NewStringLen.restype = JSValue
        lib.JS_NewStringLen.argtypes = [ctx_p, ctypes.c_char_p, ctypes.c_size_t]
        lib.JS_RunGC.restype, lib.JS_RunGC.argtypes = None, [ctypes.c_void_p]
        lib.JS_ExecutePendingJob.restype = ctypes.c_int
        lib.JS_ExecutePendingJob.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
        _evaluator = lib
    return _evaluator


def collect_garbage(capsule) -> bool:
    """A full collection of the heap of a dukpy context (QuickJS's cycle collector); False if the
    context's layout is not the one we know. The GIL stays held: finalizers may reach Python."""
    pointers = runtime_and_context(capsule)
    if pointers is None:
        return False
    evaluator().JS_RunGC(pointers[0])
    return True


def property_text(context: int, value: JSValue, prop: bytes) -> str:
    """``String(value[prop])``, or "" when it can't be read."""
    lib = evaluator()
    field = lib.JS_GetPropertyStr(context, value, prop)
    try:
        if field.tag == TAG_EXCEPTION:
            lib.JS_FreeValue(context, lib.JS_GetException(context))
            return ""
        pointer = lib.JS_ToCStringLen2(context, None, field, 0)
        if not pointer:
            lib.JS_FreeValue(context, lib.JS_GetException(context))
            return ""
        try:
            return ctypes.string_at(pointer).decode("utf-8", "replace")
        finally:
            lib.JS_FreeCString(context, pointer)
    finally:
        lib.JS_FreeValue(context, field)


def evaluate(context: int, code: str, filename: str, flags: int = 0) -> dict | None:
    """Run (or with ``COMPILE_ONLY`` only compile) ``code`` as a script named ``filename``.

    None on success, else ``{"name", "message", "stack"}`` of the exception it raised.
    """
    lib = evaluator()
    data = code.encode("utf-8")
    value = lib.JS_Eval(context, data, len(data), filename.encode("utf-8"), flags)
    if value.tag != TAG_EXCEPTION:
        lib.JS_FreeValue(context, value)
        return None
    error = lib.JS_GetException(context)
    try:
        return {"name": property_text(context, error, b"name") or "Error",
                "message": property_text(context, error, b"message"),
                "stack": property_text(context, error, b"stack")}
    finally:
        lib.JS_FreeValue(context, error)


class CallError(dukpy.JSRuntimeError):
    """JavaScript threw: ``text`` is ``"Name: message\\n<stack>"``, as dukpy words its JSRuntimeError."""


class Caller:
    """Calls ``globalThis[<object>][<function>](...args)`` with JSON in and JSON out, straight through
    QuickJS's API.

    dukpy's ``evaljs`` runs a full garbage collection after every evaluation, which costs time in
    proportion to the heap (850 ms with 300,000 objects alive; a loaded DOM has tens of thousands).
    The hot calls of the runner (each chain step, each batch) go through here instead; QuickJS's
    own reference counting frees what they leave, and its collector runs when it decides to.
    """

    def __init__(self, capsule, object_name: str):
        pointers = runtime_and_context(capsule)
        if pointers is None:
            raise RuntimeError("this dukpy build's QuickJS context has an unexpected layout")
        self._capsule = capsule  # keeps the context alive as long as we are
        self._runtime, self._context = pointers
        self._object = object_name.encode()
        self._lib = evaluator()
        self._undefined = JSValue(0, TAG_UNDEFINED)
        # <object> and its dispatchers, looked up on first use and held (one reference each) until we go:
        # looking them up again cost six calls into QuickJS per call.
        self._held: dict[bytes, JSValue] = {}
        self.ran_jobs = False  # whether the last call left promise jobs (run before it returned)
        self.job_stopped: str | None = None  # a job the interrupt handler (or memory) stopped, as "Name: message"

    def __del__(self):
        held, self._held = getattr(self, "_held", {}), {}
        for value in held.values():  # the context is alive still: we hold its capsule
            self._lib.JS_FreeValue(self._context, value)

    def call(self, function: str, args_json: str) -> str | None:
        """``args_json`` is a JSON array; returns the result as JSON text (None for undefined).
        Promise jobs run before it returns. Raises ``CallError`` when the call throws.

        The call goes through ``<object>.dispatch(name, argsJson)`` (defined by the runtime), which
        parses the arguments and stringifies the result in JavaScript: two strings cross, nothing else.
        """
        data = self.call_text(function, args_json, b"dispatch")
        return None if data is None else data.decode("utf-8", "surrogatepass")

    def call_text(self, function: str, args_json: str, dispatcher: bytes = b"dispatchText") -> bytes | None:
        """As ``call``, through ``<object>.<dispatcher>``; the result is its string as UTF-8 bytes (None for
        undefined). The runtime's ``dispatchText`` hands a function's string result over as it is: text
        written for the pipe needs neither JSON.stringify around it nor decoding and encoding here."""
        result = self._invoke(function, args_json, dispatcher)
        try:
            if result.tag == TAG_EXCEPTION:
                raise self._error()
            return self._bytes(result)
        finally:
            self._lib.JS_FreeValue(self._context, result)

    def call_after_jobs(self, function: str, args_json: str) -> str | None:
        """As ``call``, but ``dispatch`` returns a value, which QuickJS's own ``JSON.stringify``
        turns into the JSON text (its ``toJSON`` running then) after the call's promise jobs have
        run. Raises ``CallError`` also when a job was stopped (time limit, memory)."""
        lib, ctx = self._lib, self._context
        result = self._invoke(function, args_json)
        try:
            if result.tag == TAG_EXCEPTION:
                raise self._error()
            if self.job_stopped:
                raise CallError(self.job_stopped)
            text = lib.JS_JSONStringify(ctx, result, self._undefined, self._undefined)
        finally:
            lib.JS_FreeValue(ctx, result)
        try:
            if text.tag == TAG_EXCEPTION:
                raise self._error()
            return self._text(text)
        finally:
            lib.JS_FreeValue(ctx, text)

    def _invoke(self, function: str, args_json: str, dispatcher: bytes = b"dispatch") -> JSValue:
        """``<object>.<dispatcher>(function, args_json)`` and then the promise jobs it left; the result
        (maybe an exception) is the caller's to free."""
        lib, ctx = self._lib, self._context
        name, data = function.encode(), args_json.encode("utf-8")
        argv = (JSValue * 2)(lib.JS_NewStringLen(ctx, name, len(name)), lib.JS_NewStringLen(ctx, data, len(data)))
        try:
            result = lib.JS_Call(ctx, self._lookup(dispatcher), self._lookup(None), 2, argv)
        finally:
            lib.JS_FreeValue(ctx, argv[0])
            lib.JS_FreeValue(ctx, argv[1])
        self.ran_jobs = bool(lib.JS_IsJobPending(self._runtime))
        self.job_stopped = None
        if self.ran_jobs:
            self._run_jobs()
        return result

    def _lookup(self, name: bytes | None) -> JSValue:
        """``<object>`` (None) or ``<object>[name]``, held from the first lookup on."""
        key = name or b""
        value = self._held.get(key)
        if value is None:
            lib, ctx = self._lib, self._context
            if name is None:
                global_object = lib.JS_GetGlobalObject(ctx)
                try:
                    value = lib.JS_GetPropertyStr(ctx, global_object, self._object)
                finally:
                    lib.JS_FreeValue(ctx, global_object)
            else:
                value = lib.JS_GetPropertyStr(ctx, self._lookup(None), name)
            if value.tag != TAG_OBJECT:
                lib.JS_FreeValue(ctx, value)
                if value.tag == TAG_EXCEPTION:
                    lib.JS_FreeValue(ctx, lib.JS_GetException(ctx))
                what = self._object.decode() + ("." + name.decode() if name else "")
                raise CallError(f"TypeError: {what} is not defined in this interpreter")
            self._held[key] = value
        return value

    def _bytes(self, value: JSValue) -> bytes | None:
        """A string result as UTF-8 bytes (None for undefined)."""
        if value.tag == TAG_UNDEFINED:
            return None
        lib, ctx = self._lib, self._context
        size = ctypes.c_size_t()
        pointer = lib.JS_ToCStringLen2(ctx, ctypes.byref(size), value, 0)
        if not pointer:
            raise self._error()
        try:
            return ctypes.string_at(pointer, size.value)
        finally:
            lib.JS_FreeCString(ctx, pointer)

    def _text(self, value: JSValue) -> str | None:
        """A string result as Python text (the dispatcher returns undefined for undefined)."""
        if value.tag == TAG_UNDEFINED:
            return None
        lib, ctx = self._lib, self._context
        size = ctypes.c_size_t()
        pointer = lib.JS_ToCStringLen2(ctx, ctypes.byref(size), value, 0)
        if not pointer:
            raise self._error()
        try:
            return ctypes.string_at(pointer, size.value).decode("utf-8", "surrogatepass")
        finally:
            lib.JS_FreeCString(ctx, pointer)

    def int32_cell(self, *path: str):
        """A ``ctypes.c_int32`` over element 0 of the Int32Array at ``<object>.<path...>`` (its memory is
        QuickJS's; it lives as long as the array does, which is as long as the interpreter)."""
        lib, ctx = self._lib, self._context
        value = lib.JS_GetGlobalObject(ctx)
        for name in (self._object.decode(), *path, "buffer"):
            following = lib.JS_GetPropertyStr(ctx, value, name.encode())
            lib.JS_FreeValue(ctx, value)
            value = following
        try:
            size = ctypes.c_size_t()
            address = lib.JS_GetArrayBuffer(ctx, ctypes.byref(size), value)
            if not address or size.value < 4:
                raise RuntimeError("no Int32Array at " + ".".join(path))
            return ctypes.c_int32.from_address(address)
        finally:
            lib.JS_FreeValue(ctx, value)

    def _run_jobs(self) -> None:
        """Run promise jobs until none is left; one only an uncatchable error can end (the time limit,
        memory) ends them, and is kept in ``job_stopped``."""
        pctx = ctypes.c_void_p()
        self.job_stopped = None
        while True:
            done = self._lib.JS_ExecutePendingJob(self._runtime, ctypes.byref(pctx))
            if done > 0:
                continue
            if done < 0:
                self.job_stopped = str(self._error()).split("\n", 1)[0]
            return

    def _error(self) -> CallError:
        lib, ctx = self._lib, self._context
        error = lib.JS_GetException(ctx)
        try:
            name = property_text(ctx, error, b"name")
            message = property_text(ctx, error, b"message")
            stack = property_text(ctx, error, b"stack")
            return CallError(f"{name or 'Error'}: {message}\n{stack}".rstrip("\n"))
        finally:
            lib.JS_FreeValue(ctx, error)
