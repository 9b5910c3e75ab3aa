"""Running, rolling back and validating migrations, one runner per database at a time.

A ``MigrationSession`` holds two connections. The *work* connection holds the advisory lock
and runs each migration's SQL in its own transaction. The *book* connection (autocommit) writes
the status rows, so a failure is recorded even though the migration's transaction rolled back,
and "running" is visible to others while it runs. A row never stays "running": the runner
records completed or failed, and a row still "running" when a runner gets the lock belonged to
a runner that died, so it is marked failed.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

import psycopg

from plugin_studio.db.connection import connect
from plugin_studio.db.errors import SqlError, StudioDbError, ValidationError, translate
from plugin_studio.db.migration_file import RollbackPlan, rollback_plan, row_checksum
from plugin_studio.db.migration_sql import ScriptPlan, line_and_column, plan_script
from plugin_studio.db.migrations import get_migration, list_migrations
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.rows import run

# The two keys of the migration lock (pg_advisory_lock(int, int)); advisory locks are per database.
LOCK_KEYS = (0x50535455, 0x4D494752)
APPLICATION_NAME = "plugin-studio migrate"
RUNNABLE = ("pending", "failed", "rolled_back")

Connector = Callable[[], psycopg.Connection]


def connector_for(dsn: str) -> Connector:
    return lambda: connect(dsn, application_name=APPLICATION_NAME)


# ---- the lock ------------------------------------------------------------------------------

@dataclass
class LockHolder:
    pid: int
    application_name: str
    user: str | None
    client: str | None
    connected_since: datetime | None
    busy_since: datetime | None
    state: str | None
    query: str | None

    def describe(self) -> str:
        app = self.application_name or "an unnamed client"
        where = f" from {self.client}" if self.client else ""
        since = f", connected since {self.connected_since:%Y-%m-%d %H:%M:%S}" if self.connected_since else ""
        busy = ""
        if self.state == "active" and self.busy_since:
            busy = f", running since {self.busy_since:%H:%M:%S}: {(self.query or '').strip()[:80]}"
        return f"pid {self.pid} ({app}, user {self.user}{where}{since}{busy})"


class MigrationLockTimeout(StudioDbError):
    """Another runner held the migration lock for longer than the wait allows."""

    def __init__(self, waited_s: float, holder: LockHolder | None):
        who = holder.describe() if holder else "a runner that has since let go"
        super().__init__(f"another migration runner holds the lock: {who}; gave up after {waited_s:g} s")
        self.holder = holder


def lock_holder(conn: psycopg.Connection) -> LockHolder | None:
    """Who holds the migration lock of this database, from pg_locks and pg_stat_activity."""
    row = run(conn, """
        SELECT a.pid, coalesce(a.application_name, ''), a.usename::text, a.client_addr::text,
               a.backend_start, a.query_start, a.state, a.query
          FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
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
        if not conn.closed:
            run(conn, "RESET lock_timeout")


def release_lock(conn: psycopg.Connection) -> None:
    run(conn, "SELECT pg_advisory_unlock(%s, %s)", LOCK_KEYS)


# ---- what a run did ------------------------------------------------------------------------

@dataclass
class RunResult:
    row_id: str
    version: str
    name: str
    status: str                     # the row's status afterwards
    execution_time_ms: int | None
    error: str | None = None
    error_line: int | None = None   # line in the SQL that failed, when the server said
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Preview:
    """What a run would do, computed without touching the database (``--dry-run``)."""

    row: MigrationRow
    up: ScriptPlan | None
    up_error: str | None
    down: RollbackPlan
    warnings: list[str]


def preview(row: MigrationRow) -> Preview:
    try:
        up, up_error = plan_script(row.up_sql or ""), None
    except ValidationError as exc:
        up, up_error = None, str(exc)
    return Preview(row, up, up_error, rollback_plan(row.down_sql), up_warnings(up) if up else [])


def up_warnings(plan: ScriptPlan) -> list[str]:
    out = [f"line {f.line}: risky: {f.message}" for f in plan.risky]
    out += [f"line {f.line}: {f.message}; the migration runs statement by statement outside a transaction,"
            " so a failure leaves the earlier statements applied" for f in plan.outside_transaction]
    return out + plan.notes


def describe_problem(exc: StudioDbError, sql_text: str, offset: int = 0) -> tuple[str, int | None]:
    """The message stored in error_message: the server's words, where, and its hint."""
    if not isinstance(exc, SqlError):
        return str(exc), None
    problem = exc.problem
    where, line = "", None
    if problem.position:
        line, column = line_and_column(sql_text, offset + problem.position)
        where = f" (line {line}, column {column})"
    text = f"{problem.message}{where}"
    if problem.sqlstate:
        text += f" [SQLSTATE {problem.sqlstate}]"
    for label, extra in (("DETAIL", problem.detail), ("HINT", problem.hint)):
        if extra:
            text += f"\n{label}: {extra}"
    return text, line


# ---- the session ---------------------------------------------------------------------------

class MigrationSession:
    """``with MigrationSession(connector, lock_wait_s=10) as s: s.run(row_id)``; holds the lock throughout."""

    def __init__(self, connector: Connector, *, lock_wait_s: float,
                 on_wait: Callable[[LockHolder | None], None] | None = None):
        self._connector = connector
        self._lock_wait_s = lock_wait_s
        self._on_wait = on_wait
        self.work: psycopg.Connection | None = None
        self.book: psycopg.Connection | None = None

    def __enter__(self) -> "MigrationSession":
        try:
            self.work = self._connector()
            self.book = self._connector()
            acquire_lock(self.work, self._lock_wait_s, self._on_wait)
            self.recovered = recover_interrupted(self.book)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        # Closing the work connection also releases its session lock.
        for conn in (self.work, self.book):
            if conn is not None and not conn.closed:
                conn.close()

    # -- up --

    def run(self, row_id: str, *, force: bool = False) -> RunResult:
        """Run one migration's UP SQL and record the outcome; a failure is a result, not an exception."""
        row = get_migration(self.book, row_id)
        _check_runnable(row, force)
        plan = plan_script(row.up_sql or "")
        result = RunResult(row.id, row.migration_version, row.migration_name, "running", None,
                           warnings=up_warnings(plan))
        self._mark_running(row.id)
        started = time.perf_counter()
        try:
            self._execute(plan)
        except StudioDbError as exc:
            result.error, result.error_line = describe_problem(exc, row.up_sql or "", plan.offset)
            if not plan.in_transaction and self._done_statements:
                result.error += (f"\n{self._done_statements} statement(s) before it ran outside a transaction"
                                 " and stay applied")
        result.execution_time_ms = round((time.perf_counter() - started) * 1000)
        result.status = "failed" if result.error else "completed"
        self._record_outcome(row, result)
        return result

    def _execute(self, plan: ScriptPlan) -> None:
        self._done_statements = 0
        if not plan.statements:
            return
        if plan.in_transaction:
            try:
                with self.work.transaction():
                    self.work.execute(plan.sql)
            except psycopg.Error as exc:
                raise translate(exc) from exc
            return
        for stmt in plan.statements:
            try:
                self.work.execute(stmt.text)
            except psycopg.Error as exc:
                error = translate(exc)
                if isinstance(error, SqlError) and error.problem.position:
                    # The server counts from the start of the statement; we report script lines.
                    error.problem.position += stmt.start - plan.offset
                raise error from exc
            self._done_statements += 1

    def _mark_running(self, row_id: str) -> None:
        run(self.book,
            "UPDATE plugin_migrations SET status = 'running', executed_at = clock_timestamp(), completed_at = NULL,"
            " error_message = NULL, execution_time_ms = NULL, updated_at = clock_timestamp() WHERE id::text = %s",
            (row_id,))

    def _record_outcome(self, row: MigrationRow, result: RunResult) -> None:
        if result.ok:
            run(self.book,
                "UPDATE plugin_migrations SET status = 'completed', completed_at = clock_timestamp(),"
                " rolled_back_at = NULL, execution_time_ms = %s, checksum = %s, error_message = NULL,"
                " updated_at = clock_timestamp() WHERE id::text = %s",
                (result.execution_time_ms, row_checksum(row), row.id))
        else:
            run(self.book,
                "UPDATE plugin_migrations SET status = 'failed', execution_time_ms = %s, error_message = %s,"
                " updated_at = clock_timestamp() WHERE id::text = %s",
                (result.execution_time_ms, result.error, row.id))

    # -- down --

    def rollback(self, row_id: str) -> RunResult:
        """Run the DOWN SQL in a transaction and mark the row rolled_back; refused without DOWN SQL."""
        row = get_migration(self.book, row_id)
        down = _rollback_script(row)
        plan = plan_script(down.sql)
        result = RunResult(row.id, row.migration_version, row.migration_name, row.status, None,
                           warnings=up_warnings(plan))
        if down.commented_out:
            result.warnings.append("the DOWN section is commented out; running its statements uncommented")
        started = time.perf_counter()
        try:
            self._execute(plan)
        except StudioDbError as exc:
            message, result.error_line = describe_problem(exc, down.sql, plan.offset)
            result.error = f"rollback failed: {message}"
        result.execution_time_ms = round((time.perf_counter() - started) * 1000)
        self._record_rollback(row, result)
        return result

    def _record_rollback(self, row: MigrationRow, result: RunResult) -> None:
        if result.ok:
            result.status = "rolled_back"
            run(self.book,
                "UPDATE plugin_migrations SET status = 'rolled_back', rolled_back_at = clock_timestamp(),"
                " error_message = NULL, updated_at = clock_timestamp() WHERE id::text = %s", (row.id,))
        else:
            # The UP SQL is still applied, so the row stays completed; the failure is on record.
            run(self.book,
                "UPDATE plugin_migrations SET error_message = %s, updated_at = clock_timestamp()"
                " WHERE id::text = %s", (result.error, row.id))


def _check_runnable(row: MigrationRow, force: bool) -> None:
    if row.status == "completed" and not force:
        raise ValidationError(f"migration {row.migration_version} of {row.plugin_name} already completed;"
                              " use force to run it again")
    if row.status == "running":
        raise ValidationError(f"migration {row.migration_version} of {row.plugin_name} is being run by another runner")
    if row.status not in RUNNABLE + ("completed",):
        raise ValidationError(f"migration {row.migration_version} has status {row.status!r}")


def _rollback_script(row: MigrationRow) -> RollbackPlan:
    if row.status != "completed":
        raise ValidationError(f"migration {row.migration_version} of {row.plugin_name} is {row.status}:"
                              " only a completed migration can be rolled back")
    down = rollback_plan(row.down_sql)
    if down.sql is None:
        raise ValidationError(f"migration {row.migration_version} of {row.plugin_name} has no DOWN SQL,"
                              " so it can't be rolled back; write a '-- DOWN Migration' section first")
    return down


def recover_interrupted(book: psycopg.Connection) -> int:
    """Mark failed the rows left "running" by a runner that died (we hold the lock, so none is running)."""
    return run(book,
               "UPDATE plugin_migrations SET status = 'failed', error_message = 'interrupted: the runner stopped"
               " before recording a result (started ' || coalesce(executed_at::text, '?') || ')',"
               " updated_at = clock_timestamp() WHERE status = 'running'").rowcount


# ---- checksums -----------------------------------------------------------------------------

@dataclass
class ChecksumCheck:
    row: MigrationRow
    state: str          # "ok", "drift", "unrecorded" (ran without a checksum) or "" (not applied)
    current: str


def checksum_state(row: MigrationRow) -> ChecksumCheck:
    current = row_checksum(row)
    if row.status != "completed":
        return ChecksumCheck(row, "", current)
    if not row.checksum:
        return ChecksumCheck(row, "unrecorded", current)
    return ChecksumCheck(row, "ok" if row.checksum == current else "drift", current)


def validate(conn: psycopg.Connection, plugin_id: str | None = None) -> list[ChecksumCheck]:
    """Every completed migration's checksum compared with its current text."""
    return [check for check in map(checksum_state, list_migrations(conn, plugin_id)) if check.state]


def repair(conn: psycopg.Connection, row_ids: list[str]) -> int:
    """Re-record the checksum of each named completed migration from its current text."""
    rows = [get_migration(conn, row_id) for row_id in row_ids]
    with conn.transaction():
        for row in rows:
            if row.status == "completed":
                run(conn, "UPDATE plugin_migrations SET checksum = %s, updated_at = clock_timestamp()"
                          " WHERE id::text = %s", (row_checksum(row), row.id))
    return sum(1 for row in rows if row.status == "completed")
