"""Lanes: jobs (``ui/jobs.py``) that run one at a time, in order, on one thread, sharing a resource.

A lane exists where a resource must not be used by two jobs at once or must outlive one job: a
psycopg connection (``DbSession``: opened on first use with ``lock_timeout`` and
``statement_timeout`` set, opened again after it broke, cancelled with ``conn.cancel_safe()``), or
the JS worker process (``HostSlot``). A lane's jobs are ``fn(resource, *args)``, or
``fn(resource, control, *args)`` when submitted with ``controlled=True``.

    db = Lane("plugin-studio-db", DbSession(dsn))
    db.submit(plugins.list_plugins, owner=self, on_done=self._show_plugins, on_error=self._on_error)
    ...
    db.close()   # queued jobs still run (they may be writes); then the connection closes
"""
from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from typing import Any, Callable, Protocol

import psycopg
from PySide6.QtCore import QObject

from plugin_studio.db.connection import LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS, connect
from plugin_studio.db.errors import ConnectionLost, StudioDbError
from plugin_studio.db.lock_wait import LockWaits
from plugin_studio.db.translate import translate
from plugin_studio.runner.host import JsHost
from plugin_studio.ui import jobs
from plugin_studio.ui.jobs import Job, JobControl, Work

log = logging.getLogger(__name__)


class Resource(Protocol):
    def run(self, control: JobControl, call: Callable[[Any], Any]) -> Any:
        """``call(the resource)`` on the lane's thread, opening the resource first if needed."""

    def close(self) -> None:
        """On the lane's thread, after its last job."""


class Lane:
    """Runs its jobs one at a time, in the order submitted, on a thread of its own (started on the
    first job). Plain Python: its thread may hold it without holding a Qt object."""

    def __init__(self, name: str, resource: Resource | None = None):
        self.name = name
        self.resource = resource or _NoResource()
        self._queue: deque[Work] = deque()
        self._cond = threading.Condition()
        self._current: Work | None = None
        self._closed = False
        self._thread: threading.Thread | None = None

    def submit(self, fn: Callable[..., Any], *args: Any, owner: QObject | None, title: str = "",
               controlled: bool = False, **callbacks: Any) -> Job:
        """Queue ``fn(resource, *args)`` (``fn(resource, control, *args)`` if ``controlled``).
        ``callbacks``: ``on_done``, ``on_error``, ``on_progress``, ``on_note``, ``on_cancelled``."""
        jobs.refuse_qt_objects(fn, args)
        job = jobs.register(title or getattr(fn, "__name__", self.name), owner, **callbacks)
        resource = self.resource
        if controlled:
            run = lambda control: resource.run(control, lambda r: fn(r, control, *args))  # noqa: E731
        else:
            run = lambda control: resource.run(control, lambda r: fn(r, *args))  # noqa: E731
        work = jobs.work_for(job, run)
        with self._cond:
            if self._closed:
                job.answer_unstarted()   # the lane takes no new work
                return job
            self._queue.append(work)
            job.queued(lambda: self._discard(work))
            self._ensure_thread()
            self._cond.notify()
        return job

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name=self.name, daemon=True)
            self._thread.start()

    def _discard(self, work: Work) -> bool:
        with self._cond:
            if work in self._queue:
                self._queue.remove(work)
                return True
            return False

    def _serve(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    break
                self._current = work = self._queue.popleft()
            jobs.execute(work)
            with self._cond:
                self._current = None
        try:
            self.resource.close()
        except Exception as exc:  # closing is best effort: the process may be ending
            log.info("closing the %s lane's resource failed: %s", self.name, exc)

    def cancel_all(self) -> None:
        """Cancel the running job and every queued one (each answers ``cancelled``)."""
        with self._cond:
            queued, running = list(self._queue), self._current
        for work in queued + ([running] if running else []):
            job = jobs.find(work.job_id)
            if job is not None:
                job.cancel()

    def close(self, timeout_s: float = 5.0) -> bool:
        """Take no new jobs, let the queued ones run (they may be writes), close the resource.
        After ``timeout_s`` the rest is cancelled and the lane given 2 s more. False if its thread
        still did not end (it is a daemon: it cannot keep the process alive)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is None:
            self.resource.close()
            return True
        thread.join(timeout_s)
        if thread.is_alive():
            self.cancel_all()
            thread.join(2.0)
        if thread.is_alive():
            log.warning("the %s lane did not stop; leaving it behind", self.name)
        return not thread.is_alive()

    @property
    def closed(self) -> bool:
        return self._closed


class _NoResource:
    def run(self, control: JobControl, call: Callable[[Any], Any]) -> Any:
        return call(None)

    def close(self) -> None:
        pass


class DbSession:
    """One psycopg connection for a lane: opened on first use (with ``lock_timeout`` and
    ``statement_timeout``, in ms; 0 = none), opened again after it broke, interrupted on cancel.

    Without ``dsn`` the first job calls ``resolve_dsn()`` (which may start the embedded server);
    without either a job fails with ``ConnectionLost("no database yet")``."""

    def __init__(self, dsn: str | None = None, *, application_name: str = "plugin-studio",
                 lock_timeout_ms: int = LOCK_TIMEOUT_MS, statement_timeout_ms: int = STATEMENT_TIMEOUT_MS,
                 connector: Callable[[], psycopg.Connection] | None = None, name_lock_holders: bool = False):
        """``connector``: opens the connection instead (e.g. ``migrate.connector_for``); the
        timeouts are then the connector's business. ``name_lock_holders``: a job that waits out
        ``lock_timeout`` behind another session fails with ``LockTimeout`` naming that session
        (``db/lock_wait.py``; a second connection, opened once a wait is seen)."""
        self.dsn = dsn
        self.connector = connector
        self.resolve_dsn: Callable[[], str] | None = None
        self.application_name = application_name
        self.lock_timeout_ms = lock_timeout_ms
        self.statement_timeout_ms = statement_timeout_ms
        self._conn: psycopg.Connection | None = None
        self._lock_waits = LockWaits(self._open_watch) if name_lock_holders else None

    def run(self, control: JobControl, call: Callable[[psycopg.Connection], Any]) -> Any:
        conn = self._connection()
        try:
            with control.interrupting(conn.cancel_safe), self._watching(conn):
                return call(conn)
        except (psycopg.Error, StudioDbError) as exc:
            error = translate(exc)
            if isinstance(error, ConnectionLost) or conn.broken:
                self.close()
            if error is exc:
                raise
            raise error from exc

    def _watching(self, conn: psycopg.Connection):
        return self._lock_waits.watching(conn) if self._lock_waits is not None else contextlib.nullcontext()

    def _open_watch(self) -> psycopg.Connection:
        return connect(self.dsn, application_name=f"{self.application_name} (lock watch)",
                       lock_timeout_ms=self.lock_timeout_ms, statement_timeout_ms=self.lock_timeout_ms)

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = self._open()
        return self._conn

    def _open(self) -> psycopg.Connection:
        if self.connector is not None:
            return self.connector()
        if self.dsn is None and self.resolve_dsn is not None:
            self.dsn = self.resolve_dsn()
        if self.dsn is None:
            raise ConnectionLost("no database yet")
        return connect(self.dsn, application_name=self.application_name, lock_timeout_ms=self.lock_timeout_ms,
                       statement_timeout_ms=self.statement_timeout_ms)

    def close(self) -> None:
        if self._lock_waits is not None:
            self._lock_waits.close()
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except psycopg.Error:
                pass


def runner_lane(limits=None, services: dict | None = None, name: str = "js-runner") -> Lane:
    """A lane whose jobs are ``fn(host, *args)`` with a ``JsHost`` of their own (started by its first call)."""
    return Lane(name, HostSlot(JsHost(limits, services)))


def host_call(host, op: str, payload: dict) -> Any:
    """A runner lane job: one worker op, ``host.call(op, **payload)``."""
    return host.call(op, **payload)


class HostSlot:
    """The JS worker process (``runner.host.JsHost``) as a lane's resource: started by its first call."""

    def __init__(self, host):
        self.host = host

    def run(self, control: JobControl, call: Callable[[Any], Any]) -> Any:
        return call(self.host)

    def close(self) -> None:
        self.host.close()
