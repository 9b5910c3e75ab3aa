"""The Migrations panel's work, as jobs on its database lane (``ui/lanes.py``).

Each function is a lane job ``fn(conn, control, *args)``: it gets the lane's connection (opened by
the panel's connection factory) and data, never a widget. A batch reports each migration as
progress (``index, total, "2.0.0 create_x"``) and hands over each result as a partial result
(``("finished", RunResult)``), and a wait for another runner's lock as ``("waiting", who)``.
Cancelling without interrupt stops a batch between migrations; with interrupt (shutting down) the
running statement is cancelled on the server and the migration recorded failed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import psycopg

from plugin_studio.db import migrate
from plugin_studio.db.migrations import get_migration, list_migrations
from plugin_studio.models import migration_ops
from plugin_studio.models.migration_format import ChecksumCheck, checksum_state
from plugin_studio.models.migration_plan import Planner
from plugin_studio.services import migrations as services_migrations
from plugin_studio.settings import Settings
from plugin_studio.ui.jobs import JobControl

Connector = Callable[[], psycopg.Connection]


@dataclass
class BatchOutcome:
    results: list[migrate.RunResult] = field(default_factory=list)
    total: int = 0
    cancelled: bool = False


def list_checks(conn: psycopg.Connection, control: JobControl, plugin_id: str | None) -> list[ChecksumCheck]:
    return [checksum_state(row) for row in list_migrations(conn, plugin_id)]


def run_batch(conn: psycopg.Connection, control: JobControl, connector: Connector, lock_wait_s: float,
              row_ids: list[str], force: bool) -> BatchOutcome:
    """Run ``row_ids`` in order in one session, stopping at the first failure or when cancelled."""
    with _session(control, connector, lock_wait_s) as session:
        return _run_each(session, control, row_ids, force)


def _run_each(session: migrate.MigrationSession, control: JobControl, row_ids: list[str],
              force: bool) -> BatchOutcome:
    outcome = BatchOutcome(total=len(row_ids))
    for index, row_id in enumerate(row_ids):
        if control.is_cancelled():
            outcome.cancelled = True
            break
        row = get_migration(session.conn, row_id)
        control.report(index, len(row_ids), f"{row.migration_version} {row.migration_name}")
        with control.interrupting(session.cancel):
            result = session.run(row_id, force=force)
        outcome.results.append(result)
        control.note(("finished", result))
        if not result.ok:
            break       # later migrations may depend on this one
    return outcome


def rollback(conn: psycopg.Connection, control: JobControl, connector: Connector, lock_wait_s: float,
             row_id: str) -> migrate.RunResult:
    with _session(control, connector, lock_wait_s) as session:
        with control.interrupting(session.cancel):
            return session.rollback(row_id)


def _session(control: JobControl, connector: Connector, lock_wait_s: float) -> migrate.MigrationSession:
    def on_wait(holder: migrate.LockHolder | None) -> None:
        control.note(("waiting", holder.describe() if holder else "another runner"))
    settings = Settings.load()
    timeouts = migrate.Timeouts(settings.migration_lock_timeout_s, settings.migration_statement_timeout_s)
    return migrate.MigrationSession(connector, Planner(), lock_wait_s=lock_wait_s, timeouts=timeouts, on_wait=on_wait)


def preview(conn: psycopg.Connection, control: JobControl, row_ids: list[str]) -> list[migration_ops.Preview]:
    version = conn.info.server_version
    return [migration_ops.preview(get_migration(conn, row_id), server_version=version) for row_id in row_ids]


def validate(conn: psycopg.Connection, control: JobControl, plugin_id: str | None) -> list[ChecksumCheck]:
    return services_migrations.validate(conn, plugin_id)


def repair(conn: psycopg.Connection, control: JobControl, changes: list[migration_ops.RepairChange]) -> int:
    """Apply ``migration_ops.plan_repair``'s changes (shown to the user first)."""
    return services_migrations.apply_repair(conn, changes)
