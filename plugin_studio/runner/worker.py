"""The JS worker process: ``python -m plugin_studio.runner.worker``, spoken to over stdin/stdout.

Ops come from every module ``plugin_studio.runner.ops_*``: each defines
``OPS: dict[str, Callable[[WorkerState, dict], dict]]``. An op receives the request's payload
and returns a JSON-serialisable dict, or raises a ``RunnerError``. What ``state`` offers:

- ``state.context(key, frontend=True)`` → ``PluginContext`` (one QuickJS interpreter per plugin and
  environment, created on first use); ``state.reset(key)`` drops a plugin's interpreters.
- ``state.limits`` (``Limits``), ``state.transform`` (the module/JSX transform, ``runner.transform``),
  ``state.host_call(name, **args)`` (ask the host, e.g. ``data.get``).
- ``state`` is also a dict: an op module may keep its own objects under its own key.

Every request runs under the wall-time limit (``payload["timeout_ms"]`` or ``limits.timeout_ms``),
enforced by QuickJS's interrupt handler (``runner.quickjs``): plugin code cannot catch it, and it
needs no signal. Ops that run several handlers re-arm it per handler. Compiling (the module
transform) is set aside: it does not count against the limit (``WorkerState.compiling``). The contexts a stopped call
touched are reset, since the code may have left them half-changed.

A thread of its own watches the host's pipe: when it closes (the IDE or the CLI died, even in the
middle of a call that never ends) the worker exits at once.
"""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import select
import sys
import threading
import traceback
from contextlib import contextmanager
from typing import Any, Callable

import dukpy

from plugin_studio import runner
from plugin_studio.runner import protocol, quickjs
from plugin_studio.runner.engine import PluginContext, Resolver, parse_runtime_error
from plugin_studio.runner.errors import (
    HostServiceError, JsMemoryLimit, JsTimeout, ProtocolError, RunnerError,
)
from plugin_studio.runner.limits import Limits
from plugin_studio.runner.transform import Transform

LIMITS_ENV = "PLUGIN_STUDIO_RUNNER_LIMITS"
BACKEND = "\u0000backend"
IDLE_AFTER_S = 0.03   # no request for this long: the worker does its idle work (collecting JS heaps)


class Idle(Exception):
    """No request came within the time asked for."""


class Channel:
    """The pipe to the host. Messages are read on the thread that handles them (handing each over from a
    reader thread cost a thread wake-up per request); a watcher thread ends the process the moment the
    pipe closes, even in the middle of a call that never ends."""

    def __init__(self, in_fd: int, out_fd: int):
        self.in_fd, self.out_fd = in_fd, out_fd
        self.reader = protocol.Reader(in_fd)
        self.request_id: int | None = None
        threading.Thread(target=self._exit_when_closed, name="host-pipe", daemon=True).start()

    def _exit_when_closed(self) -> None:
        poller = select.poll()
        poller.register(self.in_fd, 0)  # asks for no event: poll reports only the hang-up (or an error)
        poller.poll()
        quickjs.WATCH.host_gone = True
        os._exit(0)  # nobody is left to answer; a running call must not outlive its host

    def read(self, timeout: float | None = None) -> dict:
        """The next message; raises ``Idle`` when none began to arrive within ``timeout`` seconds."""
        if timeout is not None and not self.reader.pending and not select.select([self.in_fd], [], [], timeout)[0]:
            raise Idle()
        try:
            return self.reader.message()
        except (ProtocolError, OSError) as exc:
            raise protocol.Closed(f"the host's pipe: {exc}") from None

    def write(self, message: dict) -> None:
        protocol.write_message(self.out_fd, message)


class WorkerState(dict):
    def __init__(self, limits: Limits, channel: Channel | None):
        super().__init__()
        self.limits = limits
        self.channel = channel
        self.contexts: dict[str, PluginContext] = {}
        self.resolvers: dict[str, Resolver] = {}
        self.touched: set[str] = set()
        self.transform = Transform(limits, self.compiling)
        # Work for when no request waits, by name (an op registers it again after each call): e.g.
        # collecting a preview interpreter's heap, which no call then waits for.
        self.idle: dict[str, Callable[[], None]] = {}

    def context(self, key: str, frontend: bool = True) -> PluginContext:
        """The interpreter of plugin ``key``: its browser (``frontend``) or its backend loader's."""
        name = key if frontend else key + BACKEND
        self.touched.add(name)
        ctx = self.contexts.get(name)
        if ctx is None:
            ctx = self.contexts[name] = PluginContext(name, self.limits, self.resolver(key), self._data_call(key),
                                                      frontend)
        return ctx

    def resolver(self, key: str) -> Resolver:
        if key not in self.resolvers:
            self.resolvers[key] = Resolver(compile_module=self.module_code)
        return self.resolvers[key]

    def module_code(self, code: str, label: str) -> str:
        return self.transform.to_commonjs(code, label)

    def set_modules(self, key: str, scripts: dict[str, str], dependencies: dict[str, str]) -> None:
        self.resolvers[key] = Resolver(scripts, dependencies, self.module_code)
        self.reset(key)  # modules already required hold the old code

    def reset(self, key: str) -> None:
        """Drop the interpreters of ``key`` (a plugin id, or one context's own name)."""
        for name in (key, key + BACKEND):
            self.contexts.pop(name, None)

    def reset_touched(self) -> None:
        for name in self.touched:
            self.contexts.pop(name, None)

    def _data_call(self, key: str) -> Callable[..., dict]:
        def call(op: str, data_key: Any = None, value_json: Any = None) -> dict:
            if quickjs.WATCH.expired:
                return {"stop": True}  # the call's time is up: service calls count against it
            try:
                answer = {"json": self.host_call("data." + op, plugin_id=key, key=data_key, value_json=value_json)}
            except RunnerError as exc:
                answer = {"error": f"pluginData.{op}: {exc}"}
            return {"stop": True} if quickjs.WATCH.expired else answer
        return call

    @contextmanager
    def compiling(self):
        """Compile time is not the plugin's: the call's time limit stands still, here and in the host
        (told by ``clock`` messages), and ``limits.compile_ms`` bounds the compile instead."""
        self._tell_clock({"clock": "pause", "limit_ms": self.limits.compile_ms})
        try:
            with quickjs.WATCH.set_aside(self.limits.compile_ms):
                yield
        finally:
            self._tell_clock({"clock": "resume"})

    def _tell_clock(self, message: dict) -> None:
        if self.channel is not None and self.channel.request_id is not None:
            self.channel.write(dict(message, id=self.channel.request_id))

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


def timeout_error(ms: int) -> JsTimeout:
    return JsTimeout(f"stopped after {ms} ms: the code ran longer than the time limit (an endless loop?)")


def handle(state: WorkerState, ops: dict, message: dict) -> dict:
    request_id, op_name = message.get("id"), message.get("op")
    payload = message.get("payload") or {}
    if state.channel is not None:
        state.channel.request_id = request_id
    state.touched = set()
    op = ops.get(op_name)
    if op is None:
        return _failed(request_id, ProtocolError(f"unknown runner op {op_name!r}"))
    timeout = int(payload.get("timeout_ms") or state.limits.timeout_ms)
    try:
        quickjs.WATCH.arm(timeout)
        try:
            result = op(state, payload)
        finally:
            quickjs.WATCH.disarm()
        return {"id": request_id, "ok": True, "result": result}
    except MemoryError:
        state.reset_touched()
        return _failed(request_id, JsMemoryLimit("out of memory: the worker ran into its memory limit"))
    except dukpy.JSRuntimeError as exc:
        return _failed(request_id, _js_failure(state, str(exc), timeout))
    except RunnerError as exc:
        if exc.kind in ("memory", "timeout"):
            state.reset_touched()
        return _failed(request_id, exc)
    except Exception as exc:  # a bug in an op: report it, keep serving
        traceback.print_exc()
        return _failed(request_id, RunnerError(f"internal runner error in {op_name}: {exc!r}"))


def _js_failure(state: WorkerState, text: str, timeout: int) -> RunnerError:
    error = parse_runtime_error(text)
    if error["kind"] == "timeout" or quickjs.WATCH.fired:
        state.reset_touched()
        return timeout_error(timeout)
    touched = [state.contexts[k] for k in state.touched if k in state.contexts]
    result = touched[-1].error_from(error) if touched else RunnerError(text.split("\n", 1)[0][:2000])
    if error["kind"] == "memory" or "unusable" in text:
        state.reset_touched()
    return result


def _failed(request_id: Any, error: RunnerError) -> dict:
    return {"id": request_id, "ok": False, "error": error.to_dict()}


def reply(state: WorkerState, message: dict, answer: dict) -> None:
    """Send ``answer``; one the pipe can't carry (too large, not JSON) becomes an error saying why."""
    try:
        state.channel.write(answer)
    except protocol.Closed:
        raise
    except RunnerError as exc:
        state.channel.write(_failed(message.get("id"), exc))


def run_idle_work(state: WorkerState) -> None:
    """One piece of the idle work (the next request is looked for between pieces)."""
    name = next(iter(state.idle))
    task = state.idle.pop(name)
    try:
        task()
    except Exception:  # idle work is an optimisation: a failure is logged, requests go on
        traceback.print_exc()


def _limit_address_space(limits: Limits) -> None:
    """Backstop under QuickJS's own limit: the whole worker may not grow past this (POSIX only)."""
    import resource

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
    protocol.set_max_message(limits.answer_bytes)
    state = WorkerState(limits, Channel(in_fd, out_fd))
    ops = collect_ops()
    try:
        _limit_address_space(limits)
    except (ImportError, OSError, ValueError, StopIteration):
        print("runner worker: no address-space limit on this system", file=sys.stderr)
    state.channel.write({"ready": True})  # the host starts a call's clock only now: starting is not the plugin's time
    while True:
        try:
            message = state.channel.read(IDLE_AFTER_S if state.idle else None)
        except Idle:
            run_idle_work(state)
            continue
        except protocol.Closed:
            return 0
        if "op" not in message:
            continue  # a host answer nobody waits for any more
        try:
            reply(state, message, handle(state, ops, message))
        except protocol.Closed:
            return 0


if __name__ == "__main__":
    sys.exit(main())
