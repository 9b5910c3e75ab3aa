"""Checks on recorded migrations that need no runner: dry run, validate, repair.

``services.migrations.validate`` compares each completed migration with its text
(``checksum_state``); ``plan_repair`` lists, field by field, what ``services.migrations.apply_repair``
would change and why, so the CLI and the panel can show it before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from plugin_studio.db.records import MigrationRow
from plugin_studio.models.migration_format import ChecksumCheck
from plugin_studio.models.migration_plan import Planner, Prepared
from plugin_studio.models.migration_platform import platform_rollback, recorded_by_platform
from plugin_studio.models.migration_sql import MigrationTextError


# ---- dry run -------------------------------------------------------------------------------

@dataclass
class Preview:
    """What a run would do, computed without touching the database (``--dry-run``)."""

    row: MigrationRow
    up: Prepared | None
    up_error: str | None
    down: Prepared | None
    down_error: str | None

    @property
    def warnings(self) -> list[str]:
        return list(self.up.warnings) if self.up else []


def preview(row: MigrationRow, planner: Planner | None = None, server_version: int | None = None, *,
            prepare_up: Callable[[], Prepared] | None = None,
            prepare_down: Callable[[], Prepared] | None = None) -> Preview:
    """What running ``row`` would do; ``prepare_up``/``prepare_down`` give a file's own scripts (in its lines)."""
    planner = planner or Planner()
    up, up_error = _attempt(prepare_up or (lambda: planner.up(row, server_version)))
    down, down_error = _attempt(prepare_down or (lambda: planner.down(row, server_version)))
    return Preview(row, up, up_error, down, down_error)


def _attempt(prepare: Callable[[], Prepared]) -> tuple[Prepared | None, str | None]:
    try:
        return prepare(), None
    except MigrationTextError as exc:
        return None, exc.reason if exc.line is None else str(exc)


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
        lines.append("-- runs in one transaction" if pv.up.transactional
                     else "-- runs statement by statement, outside a transaction")
    lines += [f"-- warning: {warning}" for warning in pv.warnings]
    lines += ["-- UP SQL:", pv.up.sql if pv.up else (row.up_sql or "")]
    if pv.down is None:
        lines.append(f"-- DOWN SQL: none, so this migration can't be rolled back ({pv.down_error})")
    else:
        how = f" ({pv.down.source})" if pv.down.source else ""
        lines += [f"-- DOWN SQL{how}:", pv.down.sql]
    return "\n".join(lines)


# ---- validate ------------------------------------------------------------------------------

# ---- repair --------------------------------------------------------------------------------

@dataclass
class RepairChange:
    row: MigrationRow
    column: str          # "checksum" or "down_sql"
    before: str | None
    after: str
    why: str

    def describe(self) -> str:
        label = f"{self.row.plugin_name} {self.row.migration_version} {self.row.migration_name}"
        return f"{label}: {self.column} {_short(self.before)} → {_short(self.after)}: {self.why}"


def _short(value: str | None) -> str:
    if value is None:
        return "(none)"
    flat = " ".join(value.split())
    return repr(flat if len(flat) <= 48 else flat[:45] + "…")


def plan_repair(checks: list[ChecksumCheck], files: dict[str, str] | None = None) -> list[RepairChange]:
    """What repair changes, field by field: checksums of changed or unrecorded migrations are re-recorded
    from their current text; DOWN SQL the platform's parser damaged is replaced by the re-parsed DOWN
    section (the platform's own rollback then works too); the platform's file checksums are kept."""
    files = files or {}
    changes = []
    for check in checks:
        row = check.row
        if check.state == "drift":
            changes.append(RepairChange(row, "checksum", row.checksum, check.current,
                                        "accepts the text now recorded as the one that ran"))
        elif check.state == "unrecorded":
            changes.append(RepairChange(row, "checksum", None, check.current, "records the checksum the run did not"))
        if recorded_by_platform(row) or (row.down_sql or "").lstrip().startswith("====="):
            change = _down_repair(row, files.get(row.migration_version))
            if change:
                changes.append(change)
    return changes


def _down_repair(row: MigrationRow, file_text: str | None) -> RepairChange | None:
    found = platform_rollback(row, file_text)
    if found.plan.sql is None or found.plan.sql == (row.down_sql or ""):
        return None
    return RepairChange(row, "down_sql", row.down_sql, found.plan.sql,
                        f"the platform's parser stored a DOWN SQL its rollback can't run; replaced by {found.source}")
