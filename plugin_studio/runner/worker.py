"""The JS worker process: ``python -m plugin_studio.runner.worker``, spoken to over stdin/stdout.

Ops come from every module ``plugin_studio.runner.ops_*``: each defines
``OPS: dict[str, Callable[[WorkerState, dict], dict]]``. An op receives the request's payload
and returns a JSON-serialisable dict, or raises a ``RunnerError``. What ``state`` offers:

- ``state.context(key)`` → ``PluginContext`` (one QuickJS interpreter per plugin, created on
  first use, with console capture and the ``__ps`` runtime): ``.interp`` is the dukpy
  interpreter, ``.eval(js, **vars)``, ``.call(fn, *args)``, ``.settle(outcome)``,
  ``.error_from(error_dict)``; ``state.reset(key)`` drops it.
- ``state.limits`` (``Limits``), ``state.babel_module(code, label)`` (ES module → CommonJS),
  ``state.host_call(name, **args)`` (ask the host, e.g. ``data.get``).
- ``state`` is also a dict: an op module may keep its own objects under its own key.

Every request runs under the wall-time limit (``payload["timeout_ms"]`` or ``limits.timeout_ms``):
SIGALRM interrupts QuickJS; the contexts the call touched are then reset, since the
interrupted code may have left them half-changed.
"""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import resource
import signal
import sys
import traceback
from typing import Any, Callable

import dukpy

from plugin_studio import runner
from plugin_studio.runner import protocol
from plugin_studio.runner.engine import Interp, PluginContext, Resolver, parse_runtime_error
from plugin_studio.runner.errors import (
    HostServiceError, JsMemoryLimit, JsSyntaxError, JsTimeout, ProtocolError, RunnerError,
)
from plugin_studio.runner.limits import Limits

LIMITS_ENV = "PLUGIN_STUDIO_RUNNER_LIMITS"
_BABEL_POSITION = re.compile(r"\((\d+):(\d+)\)")


class Interrupted(BaseException):
    """Raised by the SIGALRM handler inside QuickJS's interrupt check."""


class Channel:
    def __init__(self, in_fd: int, out_fd: int):
        self.in_fd, self.out_fd = in_fd, out_fd
        self.request_id: int | None = None

    def read(self) -> dict:
        return protocol.read_message(self.in_fd)

    def write(self, message: dict) -> None:
        protocol.write_message(self.out_fd, message)


class WorkerState(dict):
    def __init__(self, limits: Limits, channel: Channel):
        super().__init__()
        self.limits = limits
        self.channel = channel
        self.contexts: dict[str, PluginContext] = {}
        self.resolvers: dict[str, Resolver] = {}
        self.touched: set[str] = set()
        self._babel: Interp | None = None
        self._babel_cache: dict[str, str] = {}

    def context(self, key: str) -> PluginContext:
        self.touched.add(key)
        ctx = self.contexts.get(key)
        if ctx is None:
            ctx = self.contexts[key] = PluginContext(key, self.limits, self.resolver(key), self._data_call(key))
        return ctx

    def resolver(self, key: str) -> Resolver:
        if key not in self.resolvers:
            self.resolvers[key] = Resolver(compile_module=self.babel_module)
        return self.resolvers[key]

    def set_modules(self, key: str, scripts: dict[str, str], dependencies: dict[str, str]) -> None:
        self.resolvers[key] = Resolver(scripts, dependencies, self.babel_module)
        self.reset(key)  # modules already required hold the old code

    def reset(self, key: str) -> None:
        self.contexts.pop(key, None)

    def reset_touched(self) -> None:
        for key in self.touched:
            self.reset(key)

    def _data_call(self, key: str) -> Callable[..., dict]:
        def call(op: str, data_key: Any = None, value: Any = None) -> dict:
            try:
                return {"value": self.host_call("data." + op, plugin_id=key, key=data_key, value=value)}
            except RunnerError as exc:
                return {"error": f"pluginData.{op}: {exc}"}
        return call

    def host_call(self, name: str, **args: Any) -> Any:
        """Ask the host for a service in the middle of a call and wait for its answer."""
        request_id = self.channel.request_id
        self.channel.write({"id": request_id, "host_call": name, "args": args})
        while True:
            reply = self.channel.read()
            if reply.get("id") != request_id or "op" in reply:
                continue  # a late answer to an earlier, interrupted request
            if "host_error" in reply:
                raise HostServiceError(reply["host_error"])
            return reply.get("host_result")

    def babel(self) -> Interp:
        """Babel 6 (dukpy's copy), loaded once in an interpreter of its own: its large heap would
        slow every call of a plugin context down (QuickJS collects garbage on each eval)."""
        if self._babel is None:
            babel = Interp(512 * 1024 * 1024, 4 * 1024 * 1024)
            path = os.path.join(os.path.dirname(dukpy.__file__), "jsmodules", "babel-6.26.0.min.js")
            with open(path, encoding="utf-8") as f:
                babel.evaljs(f.read() + "\n;0")
            self._babel = babel  # only once loaded: a load cut short by the time limit is tried again
        return self._babel

    def babel_module(self, code: str, label: str) -> str:
        """ES module syntax → CommonJS, lines kept (Babel 6, modules plugin only)."""
        cached = self._babel_cache.get(code)
        if cached is not None:
            return cached
        try:
            out = self.babel().evaljs(
                "Babel.transform(dukpy.source, {plugins: ['transform-es2015-modules-commonjs'], retainLines: true,"
                " babelrc: false, sourceType: 'module', filename: dukpy.label}).code", source=code, label=label)
        except dukpy.JSRuntimeError as exc:
            raise babel_error(str(exc), label) from None
        self._babel_cache[code] = out
        return out


def babel_error(text: str, label: str) -> JsSyntaxError:
    first = text.split("\n", 1)[0].removeprefix("SyntaxError: ")
    match = _BABEL_POSITION.search(first)
    line, column = (int(match.group(1)), int(match.group(2)) + 1) if match else (None, None)
    message = _BABEL_POSITION.sub("", first).replace(f"{label}: ", "").strip()
    return JsSyntaxError(f"{message} (ES module transform)", line, column, "", "SyntaxError", label)


def collect_ops() -> dict[str, Callable[[WorkerState, dict], dict]]:
    ops: dict[str, Callable] = {}
    for info in sorted(pkgutil.iter_modules(runner.__path__), key=lambda i: i.name):
        if info.name.startswith("ops_"):
            try:
                module = importlib.import_module(f"{runner.__name__}.{info.name}")
            except Exception:  # one broken ops module must not take the others down
                traceback.print_exc()
                continue
            ops.update(getattr(module, "OPS", {}))
    return ops


class Alarm:
    """SIGALRM for one request: raises Interrupted only while armed."""

    def __init__(self):
        self.armed = False
        signal.signal(signal.SIGALRM, self._fire)

    def _fire(self, signum, frame):
        if self.armed:
            self.armed = False
            raise Interrupted()

    def arm(self, ms: int) -> None:
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, max(ms, 1) / 1000)

    def disarm(self) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)


def handle(state: WorkerState, ops: dict, alarm: Alarm, message: dict) -> dict:
    request_id, op_name = message.get("id"), message.get("op")
    payload = message.get("payload") or {}
    state.channel.request_id = request_id
    state.touched = set()
    op = ops.get(op_name)
    if op is None:
        return _failed(request_id, ProtocolError(f"unknown runner op {op_name!r}"))
    timeout = int(payload.get("timeout_ms") or state.limits.timeout_ms)
    try:
        alarm.arm(timeout)
        try:
            result = op(state, payload)
        finally:
            alarm.disarm()
        return {"id": request_id, "ok": True, "result": result}
    except Interrupted:
        state.reset_touched()
        return _failed(request_id, JsTimeout(f"stopped after {timeout} ms: the code ran longer than the time limit "
                                             "(an endless loop?)"))
    except MemoryError:
        state.reset_touched()
        return _failed(request_id, JsMemoryLimit("out of memory: the worker ran into its memory limit"))
    except dukpy.JSRuntimeError as exc:
        return _failed(request_id, _js_failure(state, str(exc)))
    except RunnerError as exc:
        if exc.kind in ("memory", "timeout"):
            state.reset_touched()
        return _failed(request_id, exc)
    except Exception as exc:  # a bug in an op: report it, keep serving
        traceback.print_exc()
        return _failed(request_id, RunnerError(f"internal runner error in {op_name}: {exc!r}"))


def _js_failure(state: WorkerState, text: str) -> RunnerError:
    error = parse_runtime_error(text)
    touched = [state.contexts[k] for k in state.touched if k in state.contexts]
    result = touched[-1].error_from(error) if touched else RunnerError(text.split("\n", 1)[0])
    if error["kind"] == "memory" or "unusable" in text:
        state.reset_touched()
    return result


def _failed(request_id: Any, error: RunnerError) -> dict:
    return {"id": request_id, "ok": False, "error": error.to_dict()}


def _limit_address_space(limits: Limits) -> None:
    """Backstop under QuickJS's own limit: the whole worker may not grow past this."""
    with open("/proc/self/status") as f:
        size_kb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:"))
    budget = size_kb * 1024 + 3 * limits.memory_mb * 1024 * 1024 + 512 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (budget, budget))


def main() -> int:
    # Our pipe is stdin/stdout; anything else printing to stdout would corrupt it.
    in_fd, out_fd = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    limits = Limits(**json.loads(os.environ.get(LIMITS_ENV, "{}")))
    channel = Channel(in_fd, out_fd)
    state = WorkerState(limits, channel)
    ops = collect_ops()
    alarm = Alarm()
    try:
        _limit_address_space(limits)
    except (OSError, ValueError, StopIteration):
        print("runner worker: could not set the address-space limit", file=sys.stderr)
    channel.write({"ready": True})  # the host starts a call's clock only now: starting is not the plugin's time
    while True:
        try:
            message = channel.read()
        except protocol.Closed:
            return 0
        if "op" not in message:
            continue  # a host answer nobody waits for any more
        try:
            channel.write(handle(state, ops, alarm, message))
        except protocol.Closed:
            return 0
        except RunnerError as exc:  # the result itself could not be encoded
            channel.write(_failed(message.get("id"), exc))


if __name__ == "__main__":
    sys.exit(main())
