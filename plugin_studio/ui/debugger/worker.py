"""The debugger's database reads, off the GUI thread.

``DbReader(dsn).submit(fn, *args)`` runs ``fn(conn, *args)`` on the reader's own thread with its own
connection (opened from the DSN on first use, again after it broke) and answers with ``finished(id,
result)`` or ``failed(id, error)``; errors are the typed ones of ``db.errors``.
"""
from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

import psycopg
from PySide6.QtCore import QObject, QThread, Signal, Slot

from plugin_studio.db.connection import connect
from plugin_studio.db.errors import StudioDbError, translate

log = logging.getLogger(__name__)


class _Reader(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, dsn: str):
        super().__init__()
        self.dsn = dsn
        self._conn: psycopg.Connection | None = None

    @Slot(int, object, object)
    def perform(self, request_id: int, fn: Callable, args: tuple) -> None:
        try:
            if self._conn is None or self._conn.closed or self._conn.broken:
                self._conn = connect(self.dsn, application_name="plugin-studio-debugger")
            result = fn(self._conn, *args)
        except (StudioDbError, psycopg.Error) as exc:
            self.failed.emit(request_id, translate(exc) if isinstance(exc, psycopg.Error) else exc)
        except Exception as exc:  # a bug in fn: reported as a value, the reader keeps serving
            log.exception("debugger database job failed")
            self.failed.emit(request_id, exc)
        else:
            self.finished.emit(request_id, result)

    @Slot()
    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class DbReader(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)
    _requested = Signal(int, object, object)
    _closing = Signal()

    def __init__(self, dsn: str, parent: QObject | None = None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._thread = QThread(self)
        self._thread.setObjectName("debugger-db")
        self._reader = _Reader(dsn)
        self._reader.moveToThread(self._thread)
        self._requested.connect(self._reader.perform)
        self._closing.connect(self._reader.close)
        self._reader.finished.connect(self.finished)
        self._reader.failed.connect(self.failed)
        self._thread.start()

    def submit(self, fn: Callable, *args: Any) -> int:
        request_id = next(self._ids)
        self._requested.emit(request_id, fn, args)
        return request_id

    def close(self) -> None:
        if self._thread.isRunning():
            self._closing.emit()
            self._thread.quit()
            self._thread.wait(5000)
