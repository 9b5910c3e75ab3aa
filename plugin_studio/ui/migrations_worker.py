"""The Migrations panel's database side: one worker thread that opens connections and runs migrate operations.

``MigrationJobs(connector, lock_wait_s)`` is what the panel holds. It lives on the GUI thread, queues
each job to its ``MigrationWorker`` on the worker thread and re-emits the worker's answers from
itself: a receiver of those signals, even a lambda or a method of a plain object, runs on the GUI
thread (a signal emitted on a worker thread calls non-QObject receivers directly on that thread).
The worker is given a connection factory, never a widget or a live connection.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

import psycopg
from PySide6.QtCore import QObject, QThread, Signal, Slot

from plugin_studio.db import migrate
from plugin_studio.db.errors import StudioDbError, translate
from plugin_studio.db.migrations import get_migration, list_migrations

Connector = Callable[[], psycopg.Connection]


@dataclass
class BatchOutcome:
    results: list[migrate.RunResult] = field(default_factory=list)
    total: int = 0
    cancelled: bool = False


class MigrationWorker(QObject):
    """Lives on the worker thread. Each slot is one job; each job ends in job_finished or job_failed."""

    listed = Signal(object)                  # list[ChecksumCheck]
    step_started = Signal(int, int, str)     # index, total, "2.0.0 create_x"
    step_finished = Signal(object)           # RunResult
    lock_waiting = Signal(str)               # who holds the lock
    job_finished = Signal(str, object)       # kind, payload
    job_failed = Signal(str, object)         # kind, exception

    def __init__(self, connector: Connector, lock_wait_s: float):
        super().__init__()
        self._connector = connector
        self._lock_wait_s = lock_wait_s
        self._conn: psycopg.Connection | None = None
        self._session: migrate.MigrationSession | None = None
        self.cancel_requested = threading.Event()

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = self._connector()
        return self._conn

    def _guarded(self, kind: str, job: Callable[[], object]) -> None:
        try:
            payload = job()
        except (StudioDbError, psycopg.Error) as exc:
            self.job_failed.emit(kind, translate(exc))
        except Exception as exc:  # a bug: logged with its traceback by show_error, the worker keeps serving
            self.job_failed.emit(kind, exc)
        else:
            self.job_finished.emit(kind, payload)

    @Slot(object)
    def list_checks(self, plugin_id: str | None) -> None:
        def job():
            checks = [migrate.checksum_state(row) for row in list_migrations(self._connection(), plugin_id)]
            self.listed.emit(checks)
            return len(checks)
        self._guarded("list", job)

    @Slot(object, bool)
    def run_batch(self, row_ids: list[str], force: bool) -> None:
        self._guarded("run", lambda: self._in_session(lambda s: self._run_each(s, row_ids, force)))

    def _run_each(self, session: migrate.MigrationSession, row_ids: list[str], force: bool) -> BatchOutcome:
        outcome = BatchOutcome(total=len(row_ids))
        for index, row_id in enumerate(row_ids):
            if self.cancel_requested.is_set():
                outcome.cancelled = True
                break
            row = get_migration(session.conn, row_id)
            self.step_started.emit(index, len(row_ids), f"{row.migration_version} {row.migration_name}")
            result = session.run(row_id, force=force)
            outcome.results.append(result)
            self.step_finished.emit(result)
            if not result.ok:
                break       # later migrations may depend on this one
        return outcome

    @Slot(str)
    def rollback(self, row_id: str) -> None:
        self._guarded("rollback", lambda: self._in_session(lambda s: s.rollback(row_id)))

    def _in_session(self, work: Callable[[migrate.MigrationSession], object]) -> object:
        with migrate.MigrationSession(self._connector, lock_wait_s=self._lock_wait_s,
                                      on_wait=self._on_session_waiting) as session:
            self._session = session
            try:
                return work(session)
            finally:
                self._session = None

    def _on_session_waiting(self, holder: migrate.LockHolder | None) -> None:
        self.lock_waiting.emit(holder.describe() if holder else "another runner")

    @Slot(object)
    def preview(self, row_ids: list[str]) -> None:
        self._guarded("preview", lambda: [migrate.preview(get_migration(self._connection(), i)) for i in row_ids])

    @Slot(object)
    def validate(self, plugin_id: str | None) -> None:
        self._guarded("validate", lambda: migrate.validate(self._connection(), plugin_id))

    @Slot(object)
    def repair(self, row_ids: list[str]) -> None:
        self._guarded("repair", lambda: migrate.repair(self._connection(), row_ids))

    def cancel_running_statement(self) -> None:
        """Called from the GUI thread on shutdown: the server cancels the statement; the run records it failed."""
        session = self._session
        if session is not None and session.conn is not None and not session.conn.closed:
            session.conn.cancel_safe()

    @Slot()
    def close(self) -> None:
        if self._conn is not None and not self._conn.closed:
            self._conn.close()


class MigrationJobs(QObject):
    """The GUI thread's handle on the worker: methods queue jobs, signals answer (see the module docstring)."""

    listed = Signal(object)                  # list[ChecksumCheck]
    step_started = Signal(int, int, str)     # index, total, "2.0.0 create_x"
    step_finished = Signal(object)           # RunResult
    lock_waiting = Signal(str)               # who holds the lock
    job_finished = Signal(str, object)       # kind (list, run, rollback, preview, validate, repair), payload
    job_failed = Signal(str, object)         # kind, exception

    _list_requested = Signal(object)
    _run_requested = Signal(object, bool)
    _rollback_requested = Signal(str)
    _preview_requested = Signal(object)
    _validate_requested = Signal(object)
    _repair_requested = Signal(object)
    _close_requested = Signal()

    def __init__(self, connector: Connector, lock_wait_s: float, parent: QObject | None = None):
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("migrations-worker")
        self._worker = MigrationWorker(connector, lock_wait_s)
        self._worker.moveToThread(self._thread)
        for request, slot in (
            (self._list_requested, self._worker.list_checks), (self._run_requested, self._worker.run_batch),
            (self._rollback_requested, self._worker.rollback), (self._preview_requested, self._worker.preview),
            (self._validate_requested, self._worker.validate), (self._repair_requested, self._worker.repair),
            (self._close_requested, self._worker.close),
        ):
            request.connect(slot)
        for answer in ("listed", "step_started", "step_finished", "lock_waiting", "job_finished", "job_failed"):
            getattr(self._worker, answer).connect(getattr(self, answer))
        self._thread.start()

    def list(self, plugin_id: str | None) -> None:
        self._list_requested.emit(plugin_id)

    def run(self, row_ids: list[str], force: bool = False) -> None:
        """Run ``row_ids`` in order in one session, stopping at the first failure or on ``cancel``."""
        self._worker.cancel_requested.clear()
        self._run_requested.emit(list(row_ids), force)

    def rollback(self, row_id: str) -> None:
        self._rollback_requested.emit(row_id)

    def preview(self, row_ids: list[str]) -> None:
        self._preview_requested.emit(list(row_ids))

    def validate(self, plugin_id: str | None) -> None:
        self._validate_requested.emit(plugin_id)

    def repair(self, row_ids: list[str]) -> None:
        self._repair_requested.emit(list(row_ids))

    def cancel(self) -> None:
        """Stop a batch between migrations; the one running finishes and is recorded."""
        self._worker.cancel_requested.set()

    def shutdown(self) -> None:
        """No further migration starts, a running statement is cancelled (recorded failed), the thread ends."""
        if not self._thread.isRunning():
            return
        self._worker.cancel_requested.set()
        self._worker.cancel_running_statement()
        self._close_requested.emit()
        self._thread.quit()
        self._thread.wait()
