"""Database work off the GUI thread.

``DbWorker.submit(fn, *args, on_done=..., on_error=...)`` runs ``fn(conn, *args)`` on a worker
thread that owns its own connection, and calls back on the GUI thread with the result or a typed
error. A lost connection is reported once (``connection_lost``), retried with back-off, and
``connection_restored`` tells the window to save what is waiting.
"""
from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

import psycopg
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from plugin_studio.db import notify, server
from plugin_studio.db.connection import connect, resolve_dsn
from plugin_studio.db.errors import ConnectionLost, StudioDbError, translate
from plugin_studio.db.schema import ensure_schema
from plugin_studio.ui.callbacks import PendingCallbacks

log = logging.getLogger(__name__)
BACKOFF_SECONDS = (0.5, 1, 2, 4, 8, 10)


class _Executor(QObject):
    """Lives on the worker thread; never touches widgets."""

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self):
        super().__init__()
        self.dsn: str | None = None
        self._conn: psycopg.Connection | None = None

    @Slot(int, object, object)
    def run(self, request_id: int, fn: Callable, args: tuple) -> None:
        try:
            conn = None if getattr(fn, "without_connection", False) else self._connection()
            result = fn(conn, *args)
        except (StudioDbError, psycopg.Error) as exc:
            error = translate(exc)
            if isinstance(error, ConnectionLost):
                self._drop_connection()
            self.failed.emit(request_id, error)
        except Exception as exc:  # a bug in fn: reported, the worker keeps serving
            log.exception("database job failed")
            self.failed.emit(request_id, exc)
        else:
            self.finished.emit(request_id, result)

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self.dsn is None:
                raise ConnectionLost("no database yet")
            self._conn = connect(self.dsn)
        return self._conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass
        self._conn = None

    @Slot()
    def close(self) -> None:
        self._drop_connection()


class DbWorker(QObject):
    connected = Signal(str, bool)   # dsn, change triggers present
    connection_lost = Signal(str)   # message
    connection_restored = Signal()
    _request = Signal(int, object, object)
    _close = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending = PendingCallbacks()
        self._thread = QThread()
        self._thread.setObjectName("plugin-studio-db")
        self._executor = _Executor()
        self._executor.moveToThread(self._thread)
        self._request.connect(self._executor.run)
        self._close.connect(self._executor.close)
        # Slots of this QObject, not of the plain registry: only a QObject receiver makes Qt queue the
        # call onto the GUI thread instead of running it on the worker thread that emitted.
        self._executor.finished.connect(self._on_finished)
        self._executor.failed.connect(self._on_failed)
        self._thread.start()
        self.online = False
        self._backoff = iter(())
        self._retry_timer = QTimer(self, singleShot=True)
        self._retry_timer.timeout.connect(self._probe)

    @property
    def dsn(self) -> str | None:
        return self._executor.dsn

    def open(self, cli_dsn: str | None, on_error: Callable[[Exception], None] | None = None) -> None:
        """Resolve the DSN (starting the embedded server if needed), create tables, then ``connected``."""
        self.submit(_open_database, cli_dsn, on_done=self._on_opened, on_error=on_error)

    def _on_opened(self, result: tuple[str, bool]) -> None:
        self._executor.dsn = result[0]
        self.online = True
        self.connected.emit(*result)

    def submit(self, fn: Callable, *args: Any, on_done: Callable | None = None,
               on_error: Callable | None = None) -> int:
        request_id = self._pending.add(next(self._ids), on_done, on_error)
        self._request.emit(request_id, fn, args)
        return request_id

    def _on_finished(self, request_id: int, result: object) -> None:
        self._pending.finished(request_id, result)

    def _on_failed(self, request_id: int, error: object) -> None:
        if isinstance(error, ConnectionLost) and self._executor.dsn:
            self._went_offline(str(error))
        if not self._pending.failed(request_id, error) and not isinstance(error, ConnectionLost):
            log.error("unhandled database error: %s", error)

    def _went_offline(self, message: str) -> None:
        if self.online:
            self.online = False
            self._backoff = iter(BACKOFF_SECONDS)
            self.connection_lost.emit(message)
            self._schedule_probe()

    def _schedule_probe(self) -> None:
        delay = next(self._backoff, BACKOFF_SECONDS[-1])
        self._retry_timer.start(int(delay * 1000))

    def _probe(self) -> None:
        self.submit(lambda conn: conn.execute("SELECT 1").fetchone(), on_done=self._on_probe_ok,
                    on_error=lambda _e: self._schedule_probe())

    def _on_probe_ok(self, _result: object) -> None:
        if not self.online:
            self.online = True
            self.connection_restored.emit()

    def stop(self) -> None:
        self._retry_timer.stop()
        self._close.emit()
        self._thread.quit()
        self._thread.wait(5000)


def _open_database(_conn: None, cli_dsn: str | None) -> tuple[str, bool]:
    """Runs on the worker thread: may start the embedded server (about a second)."""
    dsn = resolve_dsn(cli_dsn)
    with connect(dsn) as conn:
        ensure_schema(conn)
        embedded = dsn == server.status().uri
        if embedded and not notify.triggers_installed(conn):
            notify.install_triggers(conn)
        return dsn, notify.triggers_installed(conn)


_open_database.without_connection = True  # it finds the database the connection will use
