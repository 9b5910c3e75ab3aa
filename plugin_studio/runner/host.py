"""``JsHost``: the IDE's side of the JS worker process.

The worker is started on the first call, and again after it crashed or was killed. Each call
waits at most its wall-time limit plus a grace period, not counting the time the worker spends
compiling (``CallClock``); a worker that doesn't answer by then is killed, and the call raises ``JsTimeout``. A worker that dies raises ``WorkerCrashed`` for the
call it died in. Errors raised inside the worker arrive as the same typed errors
(``plugin_studio.runner.errors``).

A ``JsHost`` is used from one thread at a time (a lock keeps calls apart); in the GUI it lives
on the thread of a runner lane (``ui.lanes.runner_lane``).
"""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Hashable

from plugin_studio.runner import protocol
from plugin_studio.runner.errors import (
    JsTimeout, ProtocolError, RunnerError, WorkerCrashed, from_dict,
)
from plugin_studio.runner.limits import Limits
from plugin_studio.runner.worker import LIMITS_ENV

Service = Callable[..., Any]
STARTUP_S = 60  # for a new worker to say it is ready; only a broken install takes this long
CHAINS_KEPT = 128  # chains the host names by number; fewer than the worker keeps (ops_chain.CHAIN_CAPACITY)


class CallClock:
    """The host's deadline for one call: its time limit plus the grace, standing still while the worker
    compiles (between its ``clock`` pause and resume messages, when the compile limit applies instead)."""

    def __init__(self, timeout_ms: int, grace_ms: int):
        self.grace_s = grace_ms / 1000
        self.deadline = time.monotonic() + timeout_ms / 1000 + self.grace_s
        self._left: float | None = None  # what was left of the deadline when the worker paused it

    def told(self, message: dict) -> None:
        now = time.monotonic()
        if message["clock"] == "pause" and self._left is None:
            self._left = self.deadline - now
            self.deadline = now + message.get("limit_ms", 0) / 1000 + self.grace_s
        elif message["clock"] == "resume" and self._left is not None:
            self.deadline, self._left = now + self._left, None


class JsHost:
    def __init__(self, limits: Limits | None = None, services: dict[str, Service] | None = None):
        """``services`` answer the worker's requests mid-call (``data.get``... see scripts.plugin_data_services)."""
        self.limits = limits or Limits.from_settings()
        protocol.set_max_message(self.limits.answer_bytes)
        self.services: dict[str, Service] = dict(services or {})
        self._proc: subprocess.Popen | None = None
        self._reader: protocol.Reader | None = None  # the worker's answers (a new one with each worker)
        self._stderr = None
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._remembered: dict[str, tuple[str, dict]] = {}
        self._chains: dict[Hashable, int] = {}  # the chains the running worker holds, oldest first
        self._chain_numbers = itertools.count(1)
        self.restarts = 0  # workers started after the first one (crashes, kills)
        self.last_restart_reason: str | None = None

    # ---- lifecycle -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.running else None

    def start(self) -> None:
        """Start the worker now (it is otherwise started by the first call)."""
        with self._lock:
            if not self.running:
                self._spawn()

    def close(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
            if proc is None:
                return
            try:
                proc.stdin.close()
                proc.wait(timeout=1)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
            finally:
                proc.stdout.close()
                self._close_stderr()

    def __enter__(self) -> "JsHost":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self) -> None:
        self._chains.clear()  # a new worker knows no chain
        if self._stderr is None:
            self._stderr = tempfile.TemporaryFile()
        env = dict(os.environ, **{LIMITS_ENV: json.dumps(self.limits.as_dict())})
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "plugin_studio.runner.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr, env=env, close_fds=True,
            start_new_session=True,  # Ctrl-C in a terminal reaches the host, which stops the worker
        )
        self._reader = protocol.Reader(self._proc.stdout.fileno())
        self._await_ready()
        for op, payload in self._remembered.values():
            self._exchange(op, payload)

    def _await_ready(self) -> None:
        """Wait for the new worker's "ready" (up to STARTUP_S): a call's time limit starts after it.

        Starting Python and QuickJS takes seconds on a loaded machine; counted against the first call,
        it got calls killed as "did not stop" before the worker had read them.
        """
        try:
            self._reader.message(time.monotonic() + STARTUP_S)
        except protocol.Deadline:
            self._kill()
            raise WorkerCrashed(f"the JS worker did not start within {STARTUP_S} s") from None
        except protocol.Closed:
            raise self._crashed("start") from None

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait()
            proc.stdin.close()
            proc.stdout.close()

    def _close_stderr(self) -> None:
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _stderr_tail(self, limit: int = 2000) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0, os.SEEK_END)
        size = self._stderr.tell()
        self._stderr.seek(max(0, size - limit))
        return self._stderr.read().decode("utf-8", "replace").strip()

    # ---- calls -----------------------------------------------------------------------------
    def call(self, op: str, **payload: Any) -> dict:
        """Run ``op`` in the worker with ``payload`` (``timeout_ms`` overrides the wall-time limit)."""
        with self._lock:
            self._ensure_worker()
            return self._exchange(op, payload)

    def _ensure_worker(self) -> None:
        if self.running:
            return
        if self._proc is not None:
            code = self._proc.returncode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            self._note_restart(f"the worker had exited while idle ({how})")
            self._proc = None
        self._spawn()

    def call_with_chain(self, op: str, chain: Hashable, handlers: Callable[[], list[dict]], **payload: Any) -> dict:
        """``call(op, handlers=handlers(), **payload)``, except that the handler specs (their code: most of a
        traced run's request) cross the pipe only the first time this worker meets ``chain``; later calls
        name it by number (``chain``), and the worker keeps the specs (``ops_chain.CHAIN_CAPACITY``)."""
        with self._lock:
            self._ensure_worker()
            number = self._chains.get(chain)
            if number is not None:
                return self._exchange(op, dict(payload, chain=number))
            number = next(self._chain_numbers)
            result = self._exchange(op, dict(payload, chain=number, handlers=handlers()))
            self._chains[chain] = number
            while len(self._chains) > CHAINS_KEPT:  # the oldest first, as the worker forgets them
                del self._chains[next(iter(self._chains))]
            return result

    def remember(self, key: str, op: str, **payload: Any) -> dict:
        """Call ``op`` now and again in every worker started later (e.g. a plugin's modules)."""
        with self._lock:
            self._remembered[key] = (op, payload)
            return self.call(op, **payload)

    def forget(self, key: str) -> None:
        self._remembered.pop(key, None)

    def set_modules(self, plugin_id: str, scripts: dict[str, str], dependencies: dict[str, str]) -> None:
        """The scripts and bundled dependencies ``require`` may load for ``plugin_id``."""
        self.remember(f"modules:{plugin_id}", "modules.set", plugin_id=plugin_id, scripts=scripts,
                      dependencies=dependencies)

    def reset_context(self, plugin_id: str) -> None:
        """Throw away the plugin's interpreter (its globals and loaded modules)."""
        self.call("context.reset", plugin_id=plugin_id)

    def _exchange(self, op: str, payload: dict) -> dict:
        request_id = next(self._ids)
        timeout_ms = int(payload.get("timeout_ms") or self.limits.timeout_ms)
        clock = CallClock(timeout_ms, self.limits.grace_ms)
        proc, reader = self._proc, self._reader
        try:
            protocol.write_message(proc.stdin.fileno(), {"id": request_id, "op": op, "payload": payload})
            while True:
                reply = reader.message(clock.deadline)
                if reply.get("id") != request_id:
                    continue
                if "host_call" in reply:
                    self._serve(proc, reply, clock.deadline)
                    continue
                if "clock" in reply:
                    clock.told(reply)
                    continue
                if reply.get("ok"):
                    return reply["result"]
                raise from_dict(reply.get("error") or {"message": "the worker sent an empty error"})
        except protocol.Deadline:
            self._kill()
            self._note_restart(f"{op} did not stop within {timeout_ms} ms + {self.limits.grace_ms} ms grace")
            raise JsTimeout(f"the worker did not stop {op} within {timeout_ms} ms (+{self.limits.grace_ms} ms "
                            "grace) and was killed; a fresh worker starts with the next call") from None
        except protocol.Closed:
            raise self._crashed(op) from None
        except protocol.Unreadable as exc:  # the pipe can't be trusted any more: start afresh
            self._kill()
            self._note_restart(f"protocol error during {op}: {exc}")
            raise ProtocolError(f"{exc}; the JS worker was restarted (a fresh one starts with the next call)") from None

    def _serve(self, proc: subprocess.Popen, request: dict, deadline: float) -> None:
        """Answer a worker's service request (pluginData); its time counts against the call's deadline."""
        service = self.services.get(request["host_call"])
        try:
            if time.monotonic() >= deadline:
                raise RunnerError("the call's time limit was reached")
            if service is None:
                raise RunnerError(f"no {request['host_call']} service: the runner was started without a database")
            answer = {"id": request["id"], "host_result": service(**request.get("args", {}))}
        except Exception as exc:  # the plugin sees it as a rejected promise
            answer = {"id": request["id"], "host_error": str(exc) or type(exc).__name__}
        try:
            protocol.write_message(proc.stdin.fileno(), answer)
        except RunnerError as exc:
            protocol.write_message(proc.stdin.fileno(), {"id": request["id"], "host_error": str(exc)})

    def _crashed(self, op: str) -> WorkerCrashed:
        proc, self._proc = self._proc, None
        code = proc.wait() if proc is not None else None
        if proc is not None:
            proc.stdin.close()
            proc.stdout.close()
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        tail = self._stderr_tail().splitlines()[-3:]
        self._note_restart(f"crashed during {op} ({how})")
        detail = f": {' | '.join(tail)}" if tail else ""
        return WorkerCrashed(f"the JS worker died during {op} ({how}){detail}; a fresh worker starts with the "
                             "next call", exit_code=code)

    def _note_restart(self, reason: str) -> None:
        self.restarts += 1
        self.last_restart_reason = reason


__all__ = ["JsHost", "ProtocolError"]
