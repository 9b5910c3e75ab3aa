"""The window's database: two job lanes (``ui/lanes.py``), each with its connection, and whether it is up.

``submit(fn, *args, on_done=..., on_error=...)`` runs ``fn(conn, *args)`` in order on the window's
lane and answers on the GUI thread with the result or a typed error. ``submit_write`` does the same
on a lane of its own for the user's writes (saves, renames, deletes, dialogs' changes), each asked of
the write guard first (production asks once per session, read-only refuses): a write
waiting up to ``lock_timeout`` behind another session's row lock holds only that lane, so the tree,
the lists and opening files keep answering meanwhile (reads never wait for row locks). Writes run in
the order given, so a file's saves land in order; what must follow a write is chained to its answer.
A lost connection on either lane is reported once (``connection_lost``), probed again with back-off (``db.reconnect.Backoff``), and
``connection_restored`` tells the window to save what is waiting.
"""
from __future__ import annotations

import logging
from functools import partial
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from plugin_studio.db.connection import LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS
from plugin_studio.db.errors import ConnectionLost
from plugin_studio.db.notify import prepare_for_app
from plugin_studio.db.reconnect import Backoff
from plugin_studio.services.connections import resolve_dsn, uses_embedded
from plugin_studio.ui.jobs import Job
from plugin_studio.ui.lanes import DbSession, Lane

log = logging.getLogger(__name__)
WRITES_APPLICATION_NAME = "plugin-studio (writes)"


class Database(QObject):
    connected = Signal(str, bool, bool)   # dsn, change triggers present, this role may install them
    connection_lost = Signal(str)   # message
    connection_restored = Signal()
    unhandled_error = Signal(str)   # a job without an error callback failed: what to tell the user
    job_started = Signal(object)    # every Job submitted (the status bar shows the long ones)

    def __init__(self, parent: QObject | None = None, *, lock_timeout_ms: int = LOCK_TIMEOUT_MS,
                 statement_timeout_ms: int = STATEMENT_TIMEOUT_MS):
        super().__init__(parent)
        # A wait behind another session's lock ends after lock_timeout with who holds it (db/lock_wait.py).
        self.session = DbSession(application_name="plugin-studio", lock_timeout_ms=lock_timeout_ms,
                                 statement_timeout_ms=statement_timeout_ms, name_lock_holders=True)
        self.lane = Lane("plugin-studio-db", self.session)
        self.writes_session = DbSession(application_name=WRITES_APPLICATION_NAME, lock_timeout_ms=lock_timeout_ms,
                                        statement_timeout_ms=statement_timeout_ms, name_lock_holders=True)
        self.writes_session.resolve_dsn = lambda: self.session.dsn   # the server the window's lane found
        self.writes_lane = Lane("plugin-studio-db-writes", self.writes_session)
        self.online = False
        self._backoff = Backoff()
        self._retry_timer = QTimer(self, singleShot=True)
        self._retry_timer.timeout.connect(self._probe)
        # Asked where a write starts (ui/connections/guard.py): production asks, read-only refuses.
        self.write_guard: Callable[[str], bool] | None = None

    @property
    def dsn(self) -> str | None:
        return self.session.dsn

    def may_write(self, action: str) -> bool:
        """Whether ``action`` ("save app.js") may start writing now (the write guard's answer)."""
        return self.write_guard is None or self.write_guard(action)

    def open(self, cli_dsn: str | None, on_error: Callable[[Exception], None] | None = None) -> Job:
        """Resolve the DSN (a saved connection's name, its password from the keyring; or the embedded
        server, started if needed), check the tables (create them in the embedded database), then
        ``connected``."""
        self.session.resolve_dsn = partial(resolve_dsn, cli_dsn)
        return self.lane.submit(_prepare_database, self.session, uses_embedded(cli_dsn), owner=self,
                                title="Opening the database", on_done=self._on_opened, on_error=on_error)

    def _on_opened(self, result: tuple[str, bool, bool]) -> None:
        self.online = True
        # The writes' connection opens now, so the first save does not pay for it (nor find the server full).
        self.writes_lane.submit(_ping, owner=self, title="Opening the connection for writes",
                                on_error=lambda error: self._on_failed(error, None))
        self.connected.emit(*result)

    def submit(self, fn: Callable, *args: Any, on_done: Callable | None = None, on_error: Callable | None = None,
               owner: QObject | None = None, **options: Any) -> Job:
        """Queue ``fn(conn, *args)``. ``owner`` (default: this object) cancels the job when destroyed;
        ``options``: ``title``, ``controlled``, ``on_progress`` and the rest of ``Lane.submit``."""
        return self._submit_to(self.lane, fn, args, on_done, on_error, owner, options)

    def submit_write(self, fn: Callable, *args: Any, action: str, on_done: Callable | None = None,
                     on_error: Callable | None = None, owner: QObject | None = None, **options: Any) -> Job | None:
        """As ``submit``, on the writes' lane: for the user's writes, which may wait behind another
        session's row lock (up to ``lock_timeout``, then ``LockTimeout`` naming the holder).

        Every write passes the write guard first (``may_write``): ``action`` names it in the question
        ("save app.js", "set the data key theme"). Refused (read-only, or production declined): nothing
        runs, no callback is called, and None is returned; the caller's state (unsaved text, a dialog's
        fields) stays as it was."""
        if not self.may_write(action):
            return None
        return self._submit_to(self.writes_lane, fn, args, on_done, on_error, owner, options)

    def _submit_to(self, lane: Lane, fn: Callable, args: tuple, on_done, on_error, owner, options: dict) -> Job:
        job = lane.submit(fn, *args, owner=owner or self, on_done=on_done,
                          on_error=lambda error: self._on_failed(error, on_error), **options)
        self.job_started.emit(job)
        return job

    def _on_failed(self, error: Exception, on_error: Callable | None) -> None:
        if isinstance(error, ConnectionLost) and self.session.dsn:
            self._went_offline(str(error))
        if on_error is not None:
            on_error(error)
        elif not isinstance(error, ConnectionLost):
            log.error("unhandled database error: %s", error)
            self.unhandled_error.emit(f"A background database task failed: {error}")

    def _went_offline(self, message: str) -> None:
        if self.online:
            self.online = False
            self._backoff.reset()
            self.connection_lost.emit(message)
            self._schedule_probe()

    def _schedule_probe(self) -> None:
        self._retry_timer.start(int(self._backoff.next_delay() * 1000))

    def _probe(self) -> None:
        self.lane.submit(_ping, owner=self, title="Reconnecting", on_done=self._on_probe_ok,
                         on_error=lambda _e: self._schedule_probe())

    def _on_probe_ok(self, _result: object) -> None:
        if not self.online:
            self.online = True
            self.connection_restored.emit()

    def stop(self) -> None:
        """Queued jobs still run (they may be writes), then the connections close."""
        self._retry_timer.stop()
        self.writes_lane.close()
        self.lane.close()


def _ping(conn) -> None:
    conn.execute("SELECT 1").fetchone()


def _prepare_database(conn, session: DbSession, embedded: bool) -> tuple[str, bool, bool]:
    """On the lane, whose first connection may have started the embedded server (about a second)."""
    live = prepare_for_app(conn, embedded)
    return session.dsn, live.triggers_installed, live.may_install_triggers
