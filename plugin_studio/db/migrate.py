"""Running and rolling back migrations, one runner per database at a time, safely on a live store.

A ``MigrationSession`` holds one connection, which holds the runners' advisory lock
(``migrate_locks``). For each migration it commits "running" first (visible to others), then runs
the statements one by one in one transaction, and "completed" is written inside that same
transaction, so the change and its record commit together. A failure rolls the transaction back
and is then recorded in a transaction of its own; when the connection itself was lost, a fresh
connection records it. A row never stays "running": a row still "running" when a runner gets the
lock belonged to a runner that died, so it is marked failed.

Every migration runs under ``lock_timeout`` (a statement waiting behind another session's lock
gives up, so it never makes the storefront's own queries queue behind it for longer) and
``statement_timeout``. The runner never parses SQL: a ``Planner`` (``models/migration_plan.py``)
hands it statements that know their file line and column.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

import psycopg
from psycopg import sql

from plugin_studio.db.connection import connect, set_timeouts
from plugin_studio.db.entities import follow_migration
from plugin_studio.db.errors import SqlError, StudioDbError, ValidationError
from plugin_studio.db.migrate_locks import (
    BlockerWatch, Connector, LockHolder, MigrationLockTimeout, acquire_lock, lock_holder, release_lock,
)
from plugin_studio.db.migrations import claim_for_run, find_migration, get_migration, record_migration
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.rows import run
from plugin_studio.db.translate import translate

__all__ = ["APPLICATION_NAME", "LockHolder", "MigrationLockTimeout", "MigrationSession", "RunResult",
           "acquire_lock", "connector_for", "lock_holder", "recover_interrupted", "release_lock"]

APPLICATION_NAME = "plugin-studio migrate"
RUNNABLE = ("pending", "failed", "rolled_back")
LOCK_NOT_AVAILABLE, QUERY_CANCELED = "55P03", "57014"


def connector_for(dsn: str) -> Connector:
    # statement_timeout 0: a migration may run long; Timeouts (below) sets its own limits per session.
    # The server's own limits only: a session sets the migration's (``Timeouts``) once it holds the lock.
    return lambda: connect(dsn, application_name=APPLICATION_NAME, lock_timeout_ms=None, statement_timeout_ms=None)


# ---- what the runner is given (by models/migration_plan.py) ---------------------------------

class StatementLike(Protocol):
    sql: str
    line: int
    column: int

    def place(self, position: int | None) -> tuple[int, int]: ...


class PreparedLike(Protocol):
    statements: Sequence[StatementLike]
    transactional: bool
    warnings: list[str]
    checksum: str | None


class Planner(Protocol):
    """Raises ValueError (with ``line``) for a script that cannot run, e.g. a syntax error."""

    def up(self, row: MigrationRow, server_version: int | None = None) -> PreparedLike: ...

    def down(self, row: MigrationRow, server_version: int | None = None) -> PreparedLike: ...


class FileSource(Protocol):
    """A migration file to record and run (``models.migration_plan.FileRun``)."""

    version: str
    name: str
    up_sql: str
    down_sql: str | None
    description: str | None

    def checksum(self, plugin_id: str, plugin_name: str) -> str: ...

    def same_text(self, row: MigrationRow) -> bool: ...

    def prepare(self, checksum: str, server_version: int | None = None) -> PreparedLike: ...


# ---- what a run did ------------------------------------------------------------------------

@dataclass
class RunResult:
    row_id: str
    version: str
    name: str
    status: str                     # the row's status afterwards
    execution_time_ms: int | None
    error: str | None = None
    error_line: int | None = None   # file line and column of the failure, when known
    error_column: int | None = None
    warnings: list[str] = field(default_factory=list)
    blocked_by: list[LockHolder] = field(default_factory=list)
    retryable: bool = False         # it gave up waiting for a lock: running it again may succeed
    skipped: bool = False           # already completed with the same text: nothing was done
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.error is None


class StatementFailed(Exception):
    def __init__(self, statement: StatementLike, error: StudioDbError, blockers: list[LockHolder]):
        super().__init__(str(error))
        self.statement, self.error, self.blockers = statement, error, blockers


@dataclass
class Timeouts:
    """``lock_s``: how long one statement may wait for a lock; ``statement_s``: how long it may run (0: no limit
    of ours). Limits only tighten what the server or role sets (``db.connection.set_timeouts``)."""

    lock_s: float = 5.0
    statement_s: float = 0.0


# ---- the session ---------------------------------------------------------------------------

class MigrationSession:
    """``with MigrationSession(connector, planner, lock_wait_s=10) as s: s.run(row_id)``; holds the lock."""

    def __init__(self, connector: Connector, planner: Planner, *, lock_wait_s: float,
                 timeouts: Timeouts | None = None, on_wait: Callable[[LockHolder | None], None] | None = None):
        self._connector, self._planner = connector, planner
        self._lock_wait_s, self._on_wait = lock_wait_s, on_wait
        self.timeouts = timeouts or Timeouts()
        self.conn: psycopg.Connection | None = None
        self._watch: BlockerWatch | None = None
        self.recovered = 0

    def __enter__(self) -> "MigrationSession":
        try:
            self.conn = self._connector()
            acquire_lock(self.conn, self._lock_wait_s, self._on_wait)
            # Every statement of the session, migrations and bookkeeping, runs under both timeouts. The
            # bookkeeping commits need not wait for the disk (after a crash a row left "running" is
            # recovered as failed); a migration's own commit does (``_COMMIT_DURABLY``).
            set_timeouts(self.conn, lock_timeout_ms=max(round(self.timeouts.lock_s * 1000), 1),
                         statement_timeout_ms=round(self.timeouts.statement_s * 1000) or None)
            run(self.conn, "SET synchronous_commit = off")
            self.recovered = recover_interrupted(self.conn)
            interval = max(0.02, min(0.2, self.timeouts.lock_s / 5))
            self._watch = BlockerWatch(self._connector, self.conn.info.backend_pid, interval)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
        # Closing the connection also releases its session lock.
        if self.conn is not None and not self.conn.closed:
            self.conn.close()

    def cancel(self) -> None:
        """From another thread: the server cancels the running statement; the run records it failed."""
        conn = self.conn
        if conn is not None and not conn.closed:
            conn.cancel_safe()

    @property
    def server_version(self) -> int:
        return self.conn.info.server_version

    # -- up --

    def run(self, row_id: str, *, force: bool = False, prepare: Callable[[int], PreparedLike] | None = None,
            retries: int = 0, retry_delay_s: float = 1.0) -> RunResult:
        """Run one migration's UP SQL and record the outcome; a failure is a result, not an exception.

        ``prepare(server_version)`` gives the script (default: the planner's, from the row). ``retries``:
        how many more times to try after giving up on a lock (lock_timeout), waiting ``retry_delay_s``
        between tries. Raises ValidationError when the row may not run (completed without ``force``,
        or another runner's).
        """
        result = self._run_once(row_id, force, prepare)
        while not result.ok and result.retryable and result.attempts <= retries:
            time.sleep(retry_delay_s)
            attempts = result.attempts + 1
            result = self._run_once(row_id, force, prepare)
            result.attempts = attempts
        return result

    def _run_once(self, row_id: str, force: bool, prepare: Callable[[int], PreparedLike] | None) -> RunResult:
        row = claim_for_run(self.conn, row_id, RUNNABLE + (("completed",) if force else ()))
        if row is None:
            _check_runnable(get_migration(self.conn, row_id), force)
            raise ValidationError(f"migration {row_id} changed status while it was being started; try again")
        result = RunResult(row.id, row.migration_version, row.migration_name, "running", None)
        try:
            prepared = prepare(self.server_version) if prepare else self._planner.up(row, self.server_version)
        except ValueError as exc:      # the planner refused the script (a syntax error): nothing ran
            result.error, result.error_line, result.error_column = _refusal(exc)
            result.execution_time_ms = 0
        else:
            result.warnings = list(prepared.warnings)
            completed = ("UPDATE plugin_migrations SET status = 'completed', completed_at = clock_timestamp(),"
                         " rolled_back_at = NULL, execution_time_ms = {}, checksum = {}, error_message = NULL,"
                         " updated_at = clock_timestamp() WHERE id::text = {}")
            try:
                self._attempt(prepared, result, lambda conn, ms: _commit_durably(
                    conn, completed, ms, prepared.checksum, row.id, follow=row.id))
            except KeyboardInterrupt:
                # psycopg has cancelled the statement and the transaction rolled back: say so on the row.
                self._record_failure("UPDATE plugin_migrations SET status = 'failed', error_message = %s,"
                                     " updated_at = clock_timestamp() WHERE id::text = %s",
                                     ("interrupted by the user; nothing was changed", row.id))
                raise
        result.status = "completed" if result.ok else "failed"
        if not result.ok:
            self._record_failure(
                "UPDATE plugin_migrations SET status = 'failed', execution_time_ms = %s, error_message = %s,"
                " updated_at = clock_timestamp() WHERE id::text = %s", (result.execution_time_ms, result.error, row.id),
                follow=row.id)
        return result

    def run_file(self, plugin_id: str, plugin_name: str, source: FileSource, *, force: bool = False,
                 retries: int = 0, retry_delay_s: float = 1.0) -> RunResult:
        """Record a file as the plugin's migration and run it, all under the runners' lock, so a second
        runner of the same file waits and then finds it completed ("nothing to do", ``skipped``).

        Raises ValidationError when the version already ran with a different text (and not ``force``).
        """
        existing = find_migration(self.conn, plugin_id, source.version)
        if existing is not None and existing.status == "completed" and not force:
            if existing.checksum and not source.same_text(existing):
                raise ValidationError(
                    f"version {existing.migration_version} already ran with different text (checksum"
                    f" {existing.checksum}, file {source.checksum(plugin_id, plugin_name)}); --force runs the file"
                    " again, 'migrate repair' accepts the recorded text")
            return RunResult(existing.id, existing.migration_version, existing.migration_name, "completed",
                             existing.execution_time_ms, skipped=True)
        row_id = record_migration(self.conn, plugin_id, plugin_name, version=source.version, name=source.name,
                                  up_sql=source.up_sql, down_sql=source.down_sql, description=source.description,
                                  replace_completed=force)
        checksum = source.checksum(plugin_id, plugin_name)
        return self.run(row_id, force=force, prepare=lambda version: source.prepare(checksum, version),
                        retries=retries, retry_delay_s=retry_delay_s)

    # -- executing --

    def _attempt(self, prepared: PreparedLike, result: RunResult,
                 record: Callable[[psycopg.Connection, int], object]) -> None:
        """Execute the statements; on success call ``record(conn, ms)`` inside their transaction, else fill the error."""
        started = time.perf_counter()
        elapsed = lambda: round((time.perf_counter() - started) * 1000)  # noqa: E731
        try:
            if prepared.transactional:
                with self.conn.transaction():
                    for statement in prepared.statements:
                        self._execute(statement)
                    result.execution_time_ms = elapsed()
                    record(self.conn, result.execution_time_ms)
                return
            self._execute_outside_transaction(prepared)
            result.execution_time_ms = elapsed()
            record(self.conn, result.execution_time_ms)
        except StatementFailed as failed:
            result.execution_time_ms = elapsed()
            self._describe_failure(failed, result)
            done = 0 if prepared.transactional else list(prepared.statements).index(failed.statement)
            if done:
                result.error += f"\n{done} statement(s) before it ran outside a transaction and stay applied"
        except (psycopg.Error, StudioDbError) as exc:
            result.execution_time_ms = elapsed()
            result.error = str(translate(exc))

    def _execute_outside_transaction(self, prepared: PreparedLike) -> None:
        for statement in prepared.statements:
            self._execute(statement)

    def _execute(self, statement: StatementLike) -> None:
        with self._watch.watching():
            try:
                self.conn.execute(statement.sql)
                return
            except psycopg.Error as exc:
                error = translate(exc)
        raise StatementFailed(statement, error, list(self._watch.blockers))

    def _describe_failure(self, failed: StatementFailed, result: RunResult) -> None:
        error = failed.error
        if not isinstance(error, SqlError):
            result.error, result.error_line, result.error_column = str(error), failed.statement.line, None
            return
        problem = error.problem
        line, column = failed.statement.place(problem.position)
        result.error_line, result.error_column = line, column
        text = f"{problem.message} (line {line}, column {column})"
        if problem.sqlstate:
            text += f" [SQLSTATE {problem.sqlstate}]"
        for label, extra in (("DETAIL", problem.detail), ("HINT", problem.hint)):
            if extra:
                text += f"\n{label}: {extra}"
        if problem.sqlstate == LOCK_NOT_AVAILABLE:
            text += "\n" + self._lock_wait_story(failed.blockers)
            result.blocked_by, result.retryable = failed.blockers, True
        elif problem.sqlstate == QUERY_CANCELED and "statement timeout" in problem.message:
            text += f"\nthe statement ran longer than statement_timeout ({self.timeouts.statement_s:g} s)"
        result.error = text

    def _lock_wait_story(self, blockers: list[LockHolder]) -> str:
        waited = f"waited lock_timeout ({self.timeouts.lock_s:g} s) for a lock"
        if blockers:
            who = "; ".join(b.describe() for b in blockers)
            return f"{waited} held by {who}; nothing was changed, and the migration can be retried when it ends"
        return f"{waited}; the blocking session ended before it could be named; the migration can be retried"

    # -- bookkeeping --

    def _record_failure(self, query: str, params: tuple, follow: str | None = None) -> None:
        """``follow``: the migration whose generated entities take its new status with the record."""
        if self.conn.closed or self.conn.broken:
            # The connection died with the migration (killed, server restarted): record it on a new one.
            with self._connector() as fresh:
                _record(fresh, query, params, follow)
            return
        _record(self.conn, query, params, follow)

    # -- down --

    def rollback(self, row_id: str) -> RunResult:
        """Run the DOWN SQL in a transaction and mark the row rolled_back.

        Raises ValidationError when there is nothing runnable (no DOWN SQL, or the planner says why not).
        """
        row = get_migration(self.conn, row_id)
        if row.status != "completed":
            raise ValidationError(f"migration {row.migration_version} of {row.plugin_name} is {row.status}:"
                                  " only a completed migration can be rolled back")
        try:
            prepared = self._planner.down(row, self.server_version)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        result = RunResult(row.id, row.migration_version, row.migration_name, row.status, None,
                           warnings=list(prepared.warnings))
        rolled_back = ("UPDATE plugin_migrations SET status = 'rolled_back', rolled_back_at = clock_timestamp(),"
                       " error_message = NULL, updated_at = clock_timestamp() WHERE id::text = {}")
        self._attempt(prepared, result, lambda conn, _ms: _commit_durably(conn, rolled_back, row.id, follow=row.id))
        if result.ok:
            result.status = "rolled_back"
        else:
            # The UP SQL is still applied, so the row stays completed; the failure is on record.
            result.error = f"rollback failed: {result.error}"
            self._record_failure("UPDATE plugin_migrations SET error_message = %s, updated_at = clock_timestamp()"
                                 " WHERE id::text = %s", (result.error, row.id))
        return result


def _record(conn: psycopg.Connection, query: str, params: tuple, follow: str | None) -> None:
    with conn.transaction():
        run(conn, query, params)
        if follow is not None:
            follow_migration(conn, follow)


def _commit_durably(conn: psycopg.Connection, update: str, *values, follow: str | None = None) -> None:
    """Run ``update`` (``{}`` placeholders for ``values``) in the open transaction, whose commit then
    waits for the disk: the migration and its record are durable together. One round trip; ``follow``:
    the migration whose generated entities take its new status in the same transaction."""
    query = sql.SQL("SET LOCAL synchronous_commit = on; " + update).format(*map(sql.Literal, values))
    run(conn, query)
    if follow is not None:
        follow_migration(conn, follow)


def _refusal(exc: ValueError) -> tuple[str, int | None, int | None]:
    """The planner's error in the server's style: "message (line L, column C)"."""
    line, column, reason = getattr(exc, "line", None), getattr(exc, "column", None), getattr(exc, "reason", str(exc))
    if line is None:
        return str(exc), None, None
    return f"{reason} (line {line}, column {column or 1})", line, column


def _check_runnable(row: MigrationRow, force: bool) -> None:
    if row.status == "completed" and not force:
        raise ValidationError(f"migration {row.migration_version} of {row.plugin_name} already completed;"
                              " use force to run it again")
    if row.status == "running":
        raise ValidationError(f"migration {row.migration_version} of {row.plugin_name} is being run by another runner")
    if row.status not in RUNNABLE + ("completed",):
        raise ValidationError(f"migration {row.migration_version} has status {row.status!r}")


def recover_interrupted(conn: psycopg.Connection) -> int:
    """Mark failed the rows left "running" by a runner that died (we hold the lock, so none is running)."""
    return run(conn,
               "UPDATE plugin_migrations SET status = 'failed', error_message = 'interrupted: the runner stopped"
               " before recording a result (started ' || coalesce(executed_at::text, '?') || ')',"
               " updated_at = clock_timestamp() WHERE status = 'running'").rowcount
