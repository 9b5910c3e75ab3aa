"""The same migrations on many databases (one per store): bounded parallelism, resumable, a report.

Each database gets its own runner session (its own lock, connections and transactions), so a
failure on one database never touches another, and a second run finds on each database what
already completed there and skips it. Progress is reported per database through ``on_update``,
called from worker threads; the report is ``DatabaseReport`` dataclasses (``summary()`` for JSON).
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterator, Sequence

import psycopg

from plugin_studio.db import plugins
from plugin_studio.db.errors import StudioDbError
from plugin_studio.db.translate import translate
from plugin_studio.db.migrate import FileSource, MigrationSession, Planner, Timeouts, connector_for
from plugin_studio.db.migrations import list_migrations
from plugin_studio.db.names import version_key
from plugin_studio.db.rows import run

WAITING, RUNNING, COMPLETED, FAILED, NOT_STARTED, CANCELLED = (
    "waiting", "running", "completed", "failed", "not started", "cancelled")


def redact(dsn: str) -> str:
    """A DSN as shown to people: host, port and database, never a password."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "(unreadable connection string)"
    if "service" in parts and "dbname" not in parts:
        return f"service {parts['service']}"
    host = parts.get("host", "local")
    host = "local" if host.startswith("/") else host
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"{host}{port}/{parts.get('dbname', '?')}"


@dataclass
class DatabaseReport:
    label: str
    status: str = WAITING
    current: str = ""                       # the migration running now
    completed: list[str] = field(default_factory=list)   # versions run now
    skipped: list[str] = field(default_factory=list)     # versions that had already completed
    failed_version: str | None = None
    error: str | None = None
    elapsed_ms: int = 0


@dataclass
class ManyOptions:
    plugin: str | None                      # id, slug or name, looked up in each database
    force: bool = False
    parallelism: int = 4
    stop_on_error: bool = False
    lock_wait_s: float = 10.0
    timeouts: Timeouts = field(default_factory=Timeouts)
    retries: int = 0


class ManyDatabases:
    """``ManyDatabases(dsns, planner, options, on_update).run(files)`` or ``.run_pending()``."""

    def __init__(self, dsns: Sequence[str], planner: Planner, options: ManyOptions,
                 on_update: Callable[[int, DatabaseReport], None] | None = None,
                 is_cancelled: Callable[[], bool] = lambda: False):
        """``on_update(index, report)`` is called from worker threads; ``is_cancelled`` is asked before
        each database and each migration (a job's cancel)."""
        self._dsns = list(dsns)
        self._planner, self._options = planner, options
        self._on_update = on_update or (lambda index, report: None)
        self._is_cancelled = is_cancelled
        self.reports = [DatabaseReport(redact(dsn)) for dsn in self._dsns]
        self._stop = threading.Event()
        self._cancel_requested = False
        self._sessions: dict[int, MigrationSession] = {}
        self._lock = threading.Lock()

    def run(self, files: Sequence[FileSource]) -> list[DatabaseReport]:
        """Record and run ``files`` (in the order given) on every database."""
        return self._run_all(lambda index, session, plugin: self._run_files(index, session, plugin, files))

    def run_pending(self) -> list[DatabaseReport]:
        """Run each database's own pending migrations of the plugin (all plugins without one)."""
        return self._run_all(self._run_pending_rows)

    def cancel(self, interrupt: bool = False) -> None:
        """No database starts after this and each stops after its current migration; with ``interrupt``
        the statements running now are cancelled too (their migrations recorded failed)."""
        self._cancel_requested = True
        self._stop.set()
        if interrupt:
            with self._lock:
                for session in self._sessions.values():
                    session.cancel()

    @property
    def _cancelled(self) -> bool:
        return self._cancel_requested or self._is_cancelled()

    def summary(self) -> dict:
        counts = {status: sum(r.status == status for r in self.reports)
                  for status in (COMPLETED, FAILED, NOT_STARTED, CANCELLED)}
        return {"databases": [asdict(r) for r in self.reports], **counts}

    # -- one database --

    def _run_all(self, work) -> list[DatabaseReport]:
        with ThreadPoolExecutor(max_workers=max(1, self._options.parallelism),
                                thread_name_prefix="migrate-db") as pool:
            for future in [pool.submit(self._one_database, index, work) for index in range(len(self._dsns))]:
                future.result()
        return self.reports

    def _one_database(self, index: int, work) -> None:
        report = self.reports[index]
        if self._stop.is_set() or self._cancelled:
            self._update(report, status=NOT_STARTED)
            return
        started = time.perf_counter()
        self._update(report, status=RUNNING)
        try:
            with self._session(index) as session:
                plugin = self._plugin(session)
                ok = work(index, session, plugin)
        except (StudioDbError, psycopg.Error) as exc:
            report.error, ok = str(translate(exc)), False
        report.elapsed_ms = round((time.perf_counter() - started) * 1000)
        if not ok and self._options.stop_on_error:
            self._stop.set()
        status = COMPLETED if ok else FAILED
        if ok is None:
            status = CANCELLED
        self._update(report, status=status, current="")

    @contextmanager
    def _session(self, index: int) -> Iterator[MigrationSession]:
        """A runner session on database ``index``, known to ``cancel`` while it is open."""
        with MigrationSession(connector_for(self._dsns[index]), self._planner, lock_wait_s=self._options.lock_wait_s,
                              timeouts=self._options.timeouts) as session:
            with self._lock:
                self._sessions[index] = session
            try:
                yield session
            finally:
                with self._lock:
                    self._sessions.pop(index, None)

    def _plugin(self, session: MigrationSession):
        if run(session.conn, "SELECT to_regclass('plugin_migrations') IS NULL").fetchone()[0]:
            raise StudioDbError("this database has no plugin_migrations table ('plugin-studio db init' creates it)")
        return plugins.find_plugin(session.conn, self._options.plugin) if self._options.plugin else None

    def _run_files(self, index: int, session: MigrationSession, plugin, files: Sequence[FileSource]) -> bool | None:
        """True: all ran or had; False: one failed; None: cancelled part way."""
        if plugin is None:
            raise StudioDbError("name the plugin the files belong to")
        report = self.reports[index]
        for source in files:
            if self._cancelled:
                return None
            if self._stop.is_set() and self._options.stop_on_error:
                return False
            self._update(report, current=source.version)
            try:
                result = session.run_file(plugin.id, plugin.name, source, force=self._options.force,
                                          retries=self._options.retries)
            except StudioDbError as exc:
                report.failed_version, report.error = source.version, str(exc)
                return False
            if not self._record(report, result):
                return False
        return True

    def _run_pending_rows(self, index: int, session: MigrationSession, plugin) -> bool | None:
        report = self.reports[index]
        rows = [r for r in list_migrations(session.conn, plugin.id if plugin else None) if r.status == "pending"]
        for row in sorted(rows, key=lambda r: (r.plugin_name, version_key(r.migration_version))):
            if self._cancelled:
                return None
            self._update(report, current=row.migration_version)
            if not self._record(report, session.run(row.id, retries=self._options.retries)):
                return False
        return True

    def _record(self, report: DatabaseReport, result) -> bool:
        if result.skipped:
            report.skipped.append(result.version)
        elif result.ok:
            report.completed.append(result.version)
        else:
            report.failed_version, report.error = result.version, result.error
        return result.ok

    def _update(self, report: DatabaseReport, **changes) -> None:
        for key, value in changes.items():
            setattr(report, key, value)
        self._on_update(next(i for i, r in enumerate(self.reports) if r is report), report)
