"""Running, rolling back and validating migrations, one runner per database at a time.

A ``MigrationSession`` holds one connection, which holds the advisory lock. For each migration it
commits "running" first (visible to others), then runs the SQL in its own transaction, and
"completed" is written inside that same transaction, so the change and its record commit
together. A failure rolls the transaction back and is then recorded in a transaction of its own,
so the record survives; when the connection itself was lost, a fresh connection records it. A row
never stays "running": a row still "running" when a runner gets the lock belonged to a runner
that died, so it is marked failed.
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
            busy = f", running since {self.busy_since:%H:%M:%S}: {' '.join((self.query or '').split())[:80]}"
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


def preview_text(pv: Preview, force: bool = False) -> str:
    """The dry-run report, as SQL comments around the SQL that would run."""
    row = pv.row
    lines = ["-- dry run: nothing is written",
             f"-- migration {row.migration_version} \"{row.migration_name}\" of {row.plugin_name} (status: {row.status})"]
    if row.status == "completed" and not force:
        lines.append("-- already completed: 'run' would do nothing without --force")
    if pv.up_error:
        lines.append(f"-- error: {pv.up_error}")
    elif pv.up is not None:
        lines.append("-- runs in one transaction" if pv.up.in_transaction
                     else "-- runs statement by statement, outside a transaction")
    lines += [f"-- warning: {warning}" for warning in pv.warnings]
    lines += ["-- UP SQL:", row.up_sql or ""]
    if pv.down.sql is None:
        lines.append("-- DOWN SQL: none, so this migration can't be rolled back")
    else:
        how = " (commented out in the file; rollback runs it uncommented)" if pv.down.commented_out else ""
        lines += [f"-- DOWN SQL{how}:", pv.down.sql]
    return "\n".join(lines)


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
        self.conn: psycopg.Connection | None = None

    def __enter__(self) -> "MigrationSession":
        try:
            self.conn = self._connector()
            acquire_lock(self.conn, self._lock_wait_s, self._on_wait)
            self.recovered = recover_interrupted(self.conn)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        # Closing the connection also releases its session lock.
        if self.conn is not None and not self.conn.closed:
            self.conn.close()

    # -- up --

    def run(self, row_id: str, *, force: bool = False) -> RunResult:
        """Run one migration's UP SQL and record the outcome; a failure is a result, not an exception.

        "completed" is written in the migration's own transaction, so the change and its record commit
        together (one commit, as a bare run would have); "failed" is recorded after the rollback.
        """
        row = get_migration(self.conn, row_id)
        _check_runnable(row, force)
        plan = plan_script(row.up_sql or "")
        result = RunResult(row.id, row.migration_version, row.migration_name, "running", None,
                           warnings=up_warnings(plan))
        self._mark_running(row.id)
        completed = ("UPDATE plugin_migrations SET status = 'completed', completed_at = clock_timestamp(),"
                     " rolled_back_at = NULL, execution_time_ms = %s, checksum = %s, error_message = NULL,"
                     " updated_at = clock_timestamp() WHERE id::text = %s")
        self._attempt(plan, row.up_sql or "", result,
                      lambda conn, ms: run(conn, completed, (ms, row_checksum(row), row.id)))
        if result.ok:
            result.status = "completed"
        else:
            result.status = "failed"
            self._record_failure(
                "UPDATE plugin_migrations SET status = 'failed', execution_time_ms = %s, error_message = %s,"
                " updated_at = clock_timestamp() WHERE id::text = %s", (result.execution_time_ms, result.error, row.id))
        return result

    def _attempt(self, plan: ScriptPlan, sql_text: str, result: RunResult,
                 record: Callable[[psycopg.Connection, int], object]) -> None:
        """Execute the plan; on success call ``record(conn, ms)`` inside its transaction, else fill the error."""
        self._done_statements = 0
        started = time.perf_counter()
        elapsed = lambda: round((time.perf_counter() - started) * 1000)  # noqa: E731
        try:
            if plan.in_transaction:
                with self.conn.transaction():
                    if plan.statements:
                        self.conn.execute(plan.sql)
                    result.execution_time_ms = elapsed()
                    record(self.conn, result.execution_time_ms)
                return
            self._execute_one_by_one(plan)
            result.execution_time_ms = elapsed()
            record(self.conn, result.execution_time_ms)
        except (psycopg.Error, StudioDbError) as exc:
            result.execution_time_ms = elapsed()
            result.error, result.error_line = describe_problem(translate(exc), sql_text, plan.offset)
            if not plan.in_transaction and self._done_statements:
                result.error += (f"\n{self._done_statements} statement(s) before it ran outside a transaction"
                                 " and stay applied")

    def _execute_one_by_one(self, plan: ScriptPlan) -> None:
        for stmt in plan.statements:
            try:
                self.conn.execute(stmt.text)
            except psycopg.Error as exc:
                error = translate(exc)
                if isinstance(error, SqlError) and error.problem.position:
                    # The server counts from the start of the statement; we report script lines.
                    error.problem.position += stmt.start - plan.offset
                raise error from exc
            self._done_statements += 1

    def _mark_running(self, row_id: str) -> None:
        # Informational, so it need not wait for the disk: if the server crashes before it is flushed the
        # row simply never showed "running"; the migration's own commit is synchronous.
        with self.conn.transaction():
            run(self.conn, "SET LOCAL synchronous_commit = off")
            run(self.conn,
                "UPDATE plugin_migrations SET status = 'running', executed_at = clock_timestamp(),"
                " completed_at = NULL, error_message = NULL, execution_time_ms = NULL,"
                " updated_at = clock_timestamp() WHERE id::text = %s", (row_id,))

    def _record_failure(self, query: str, params: tuple) -> None:
        if self.conn.closed or self.conn.broken:
            # The connection died with the migration (killed, server restarted): record it on a new one.
            with self._connector() as fresh:
                run(fresh, query, params)
            return
        run(self.conn, query, params)

    # -- down --

    def rollback(self, row_id: str) -> RunResult:
        """Run the DOWN SQL in a transaction and mark the row rolled_back; refused without DOWN SQL."""
        row = get_migration(self.conn, row_id)
        down = _rollback_script(row)
        plan = plan_script(down.sql)
        result = RunResult(row.id, row.migration_version, row.migration_name, row.status, None,
                           warnings=up_warnings(plan))
        if down.commented_out:
            result.warnings.append("the DOWN section is commented out; running its statements uncommented")
        rolled_back = ("UPDATE plugin_migrations SET status = 'rolled_back', rolled_back_at = clock_timestamp(),"
                       " error_message = NULL, updated_at = clock_timestamp() WHERE id::text = %s")
        self._attempt(plan, down.sql, result, lambda conn, _ms: run(conn, rolled_back, (row.id,)))
        if result.ok:
            result.status = "rolled_back"
        else:
            # The UP SQL is still applied, so the row stays completed; the failure is on record.
            result.error = f"rollback failed: {result.error}"
            self._record_failure("UPDATE plugin_migrations SET error_message = %s, updated_at = clock_timestamp()"
                                 " WHERE id::text = %s", (result.error, row.id))
        return result


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


def recover_interrupted(conn: psycopg.Connection) -> int:
    """Mark failed the rows left "running" by a runner that died (we hold the lock, so none is running)."""
    return run(conn,
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
