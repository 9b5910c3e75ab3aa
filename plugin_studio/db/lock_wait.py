"""Waiting behind another session's lock, for any of the IDE's sessions: who holds it, as a typed error.

Every session waits at most ``lock_timeout`` (db/connection.py) for a row or table lock; when that
runs out PostgreSQL says only "canceling statement due to lock timeout", and by then the holder is
no longer known to the server. So while a session's statement runs, a ``BlockerWatch``
(db/migrate_locks.py) asks from a second connection who blocks it, and a lock timeout becomes
``LockTimeout`` naming the holders: pid, application name, user, since when. Nothing was written:
the statement's transaction was rolled back, and the same work can simply be tried again.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

import psycopg
import psycopg.errors

from plugin_studio.db.errors import SqlError, StudioDbError
from plugin_studio.db.migrate_locks import BlockerWatch, LockHolder

LOCK_NOT_AVAILABLE = "55P03"
WATCH_INTERVAL_S = 0.2     # a wait is looked at after 0.2-0.4 s: well within any sensible lock_timeout


class LockTimeout(StudioDbError):
    """Another session held a lock this work needed for longer than ``lock_timeout``; nothing was
    written. ``holders``: the sessions seen blocking it (empty when it ended before it was seen)."""

    def __init__(self, holders: list[LockHolder], lock_timeout: str | None):
        self.holders = holders
        self.lock_timeout = lock_timeout
        waited = f"waited {lock_timeout} (lock_timeout)" if lock_timeout else "waited lock_timeout"
        if holders:
            who = "; ".join(holder.describe() for holder in holders)
            text = f"another session holds a lock on this: {who}. Gave up after it {waited}; nothing was written"
        else:
            text = (f"another session held a lock on this (it let go before it could be named). Gave up after it "
                    f"{waited}; nothing was written")
        super().__init__(text)


def is_lock_timeout(error: BaseException) -> bool:
    """Whether ``error`` (psycopg's, or ours translated from it) is a lock_timeout running out."""
    if isinstance(error, psycopg.errors.LockNotAvailable):
        return True
    return isinstance(error, SqlError) and error.problem.sqlstate == LOCK_NOT_AVAILABLE


class LockWaits:
    """Names the holder of any lock a session's work waits for (see the module docstring).

    ``connector`` opens the watch's own connection, only once a wait is seen."""

    def __init__(self, connector: Callable[[], psycopg.Connection], interval_s: float = WATCH_INTERVAL_S):
        self._connector = connector
        self._interval = interval_s
        self._watch: BlockerWatch | None = None
        self._pid: int | None = None

    @contextmanager
    def watching(self, conn: psycopg.Connection) -> Iterator[None]:
        """Run the block watched; a lock timeout inside it is raised as ``LockTimeout``."""
        watch = self._watch_for(conn.info.backend_pid)
        try:
            with watch.watching():
                yield
        except (psycopg.Error, StudioDbError) as exc:
            if is_lock_timeout(exc):
                raise LockTimeout(list(watch.blockers), _current_lock_timeout(conn)) from exc
            raise

    def _watch_for(self, pid: int) -> BlockerWatch:
        if self._watch is None or self._pid != pid:   # a new connection has a new backend
            self.close()
            self._watch, self._pid = BlockerWatch(self._connector, pid, self._interval), pid
        return self._watch

    def close(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.close()


def _current_lock_timeout(conn: psycopg.Connection) -> str | None:
    """The session's lock_timeout as PostgreSQL shows it ("5s"), or None if the session cannot say."""
    if conn.closed or conn.broken:
        return None
    try:
        return conn.execute("SELECT current_setting('lock_timeout')").fetchone()[0]
    except psycopg.Error:
        return None
