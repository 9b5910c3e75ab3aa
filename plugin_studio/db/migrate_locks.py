"""Locks around a migration run: the runners' advisory lock, and who blocks a statement that waits.

Two different waits. Runners of one database take turns through an advisory lock, and a runner
that has to wait says who holds it (``acquire_lock``, bounded). A migration's own statement may
wait behind another session's table lock: ``lock_timeout`` bounds that wait, and ``BlockerWatch``
looks, from a second connection, at ``pg_blocking_pids`` and ``pg_stat_activity`` while the
statement waits, so a lock-timeout failure can name the session that blocked it (afterwards the
wait is over and the server no longer knows).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterator

import psycopg

from plugin_studio.db.errors import StudioDbError
from plugin_studio.db.translate import translate
from plugin_studio.db.rows import run

# The two keys of the migration lock (pg_advisory_lock(int, int)); advisory locks are per database.
LOCK_KEYS = (0x50535455, 0x4D494752)

Connector = Callable[[], psycopg.Connection]


@dataclass
class LockHolder:
    """Another session, as pg_stat_activity shows it."""

    pid: int
    application_name: str
    user: str | None
    client: str | None
    connected_since: datetime | None
    busy_since: datetime | None       # transaction start (when the lock was taken, at the latest)
    state: str | None
    query: str | None

    def describe(self) -> str:
        app = self.application_name or "an unnamed client"
        where = f" from {self.client}" if self.client else ""
        since = f", connected since {self.connected_since:%Y-%m-%d %H:%M:%S}" if self.connected_since else ""
        busy = f", in a transaction since {self.busy_since:%H:%M:%S}" if self.busy_since else ""
        query = " ".join((self.query or "").split())[:80]
        doing = f" ({self.state}: {query})" if query else ""
        return f"pid {self.pid} ({app}, user {self.user}{where}{since}{busy}){doing}"


_ACTIVITY = """
    SELECT a.pid, coalesce(a.application_name, ''), a.usename::text, a.client_addr::text,
           a.backend_start, a.xact_start, a.state, a.query
      FROM pg_stat_activity a"""


class MigrationLockTimeout(StudioDbError):
    """Another runner held the migration lock for longer than the wait allows."""

    def __init__(self, waited_s: float, holder: LockHolder | None):
        who = holder.describe() if holder else "a runner that has since let go"
        super().__init__(f"another migration runner holds the lock: {who}; gave up after {waited_s:g} s")
        self.holder = holder


def lock_holder(conn: psycopg.Connection) -> LockHolder | None:
    """Who holds the migration lock of this database, from pg_locks and pg_stat_activity."""
    row = run(conn, _ACTIVITY + """
          JOIN pg_locks l ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s AND l.objsubid = 2
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    """, LOCK_KEYS).fetchone()
    return LockHolder(*row) if row else None


def acquire_lock(conn: psycopg.Connection, wait_s: float,
                 on_wait: Callable[[LockHolder | None], None] | None = None) -> None:
    """Take the migration lock, waiting at most ``wait_s`` seconds for another runner to finish."""
    if run(conn, "SELECT pg_try_advisory_lock(%s, %s)", LOCK_KEYS).fetchone()[0]:
        return
    if on_wait:
        on_wait(lock_holder(conn))
    try:
        run(conn, "SELECT set_config('lock_timeout', %s, false)", (f"{max(int(wait_s * 1000), 1)}ms",))
        conn.execute("SELECT pg_advisory_lock(%s, %s)", LOCK_KEYS)
    except psycopg.errors.LockNotAvailable:
        raise MigrationLockTimeout(wait_s, lock_holder(conn)) from None
    except psycopg.Error as exc:
        raise translate(exc) from exc
    finally:
        if not conn.closed and not conn.broken:
            run(conn, "RESET lock_timeout")


def release_lock(conn: psycopg.Connection) -> None:
    run(conn, "SELECT pg_advisory_unlock(%s, %s)", LOCK_KEYS)


def blocking_sessions(conn: psycopg.Connection, pid: int) -> list[LockHolder]:
    """The sessions that ``pid`` waits for right now (pg_blocking_pids), oldest transaction first."""
    rows = run(conn, _ACTIVITY + " WHERE a.pid = ANY(pg_blocking_pids(%s)) ORDER BY a.xact_start NULLS LAST",
               (pid,)).fetchall()
    return [LockHolder(*row) for row in rows]


class BlockerWatch:
    """Watches one backend while it runs a statement and remembers who blocked it last.

    One thread per runner session wakes every ``interval_s``; when a statement has been running for
    that long it asks, from its own connection (opened on first need, so quick migrations never pay
    for it), who blocks the backend. Starting and ending a statement only sets a number, so a
    migration's statements cost the watch nothing. ``blockers`` holds the sessions seen blocking
    the current statement.
    """

    def __init__(self, connector: Connector, pid: int, interval_s: float):
        self._connector, self._pid, self._interval = connector, pid, interval_s
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._statement = 0             # increases per statement
        self._running: int | None = None
        self.blockers: list[LockHolder] = []
        self._thread = threading.Thread(target=self._loop, name="migration-blocker-watch", daemon=True)
        self._thread.start()

    @contextmanager
    def watching(self) -> Iterator[None]:
        with self._lock:
            self.blockers = []
            self._statement += 1
            self._running = self._statement
        try:
            yield
        finally:
            with self._lock:
                self._running = None

    def close(self) -> None:
        self._closed.set()
        self._thread.join(5)
        if self._conn is not None and not self._conn.closed:
            self._conn.close()

    def _loop(self) -> None:
        seen = None
        while not self._closed.wait(self._interval):
            with self._lock:
                running = self._running
            if running is not None and running == seen:      # running for at least one interval
                self._poll(running)
            seen = running

    def _poll(self, statement: int) -> None:
        try:
            if self._conn is None or self._conn.closed or self._conn.broken:
                self._conn = self._connector()
            found = blocking_sessions(self._conn, self._pid)
        except (psycopg.Error, StudioDbError):
            return          # watching is best effort; the run itself reports its own errors
        with self._lock:
            if found and self._running == statement:
                self.blockers = found
