"""What the runner executes for a migration: its statements in file positions, the warnings, the checksum.

The runner (``db/migrate.py``) is handed a ``Planner`` and never parses SQL itself: it asks for the
UP or DOWN script of a row and gets ``Prepared`` (statements with file line and column, whether
they run in one transaction, the warnings to show once, the checksum to record).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from plugin_studio.db.records import MigrationRow
from plugin_studio.models.migration_file import MigrationFile, checksum, parse_migration_file, rollback_plan
from plugin_studio.models.migration_format import migration_from_row, rendered_layout, row_checksum
from plugin_studio.models.migration_platform import platform_checksum, platform_rollback, recorded_by_platform
from plugin_studio.models.migration_sql import MigrationTextError, ScriptError, Statement, plan_script


@dataclass
class Prepared:
    statements: list[Statement]
    transactional: bool
    warnings: list[str] = field(default_factory=list)
    checksum: str | None = None     # recorded when an UP run completes
    source: str | None = None       # where a DOWN script came from, when not simply its DOWN section
    sql: str = ""                   # the script as shown to the user


class RollbackRefused(ScriptError):
    """There is no DOWN SQL that can be run; the message says why."""


def _prepare(sql: str, first_line: int, server_version: int | None) -> Prepared:
    plan = plan_script(sql, first_line, server_version)
    return Prepared(plan.statements, plan.transactional, plan.warnings(), sql=sql)


def prepare_file_up(migration: MigrationFile, checksum: str, server_version: int | None = None) -> Prepared:
    """The UP script of a file being run (positions are lines of that file)."""
    prepared = _prepare(migration.up_sql, migration.up_line, server_version)
    prepared.checksum = checksum
    return prepared


@dataclass
class Planner:
    """Prepares rows for the runner. ``file_text``: the original file of a row the platform's tracker
    recorded, when the user supplied it (its DOWN section is then read from it)."""

    file_text: str | None = None

    def up(self, row: MigrationRow, server_version: int | None = None) -> Prepared:
        """Raises ScriptError with the file line (of the row's rendering) of a syntax error."""
        layout = rendered_layout(row)
        prepared = _prepare(layout.up_sql, layout.up_line, server_version)
        prepared.checksum = checksum(layout.text)
        return prepared

    def down(self, row: MigrationRow, server_version: int | None = None) -> Prepared:
        """Raises RollbackRefused when there is nothing runnable, ScriptError on a syntax error."""
        if recorded_by_platform(row) or _platform_damaged(row):
            return self._platform_down(row, server_version)
        layout = rendered_layout(row)
        plan = rollback_plan(layout.down_sql)
        if plan.sql is None:
            raise RollbackRefused(f"migration {row.migration_version} of {row.plugin_name} can't be rolled back:"
                                  f" {plan.why_not}; write a '-- DOWN Migration' section first")
        prepared = _prepare(plan.sql, layout.down_line, server_version)
        if plan.commented_out:
            prepared.source = "the DOWN section is commented out; running its statements uncommented"
            prepared.warnings.append(prepared.source)
        return prepared

    def _platform_down(self, row: MigrationRow, server_version: int | None) -> Prepared:
        found = platform_rollback(row, self.file_text)
        if found.plan.sql is None:
            raise RollbackRefused(f"migration {row.migration_version} of {row.plugin_name} can't be rolled back:"
                                  f" {found.plan.why_not}")
        if found.origin == "file":
            first_line = found.line
        else:
            layout = rendered_layout(row)
            first_line = (layout.up_line if found.origin == "up" else layout.down_line) + found.line - 1
        prepared = _prepare(found.plan.sql, first_line, server_version)
        prepared.source = f"rolling back with {found.source}"
        prepared.warnings.append(prepared.source)
        return prepared


def _platform_damaged(row: MigrationRow) -> bool:
    """A DOWN text the tracker's regex left starting with its decoration line (PLATFORM.md §6.2)."""
    return (row.down_sql or "").lstrip().startswith("=====")


@dataclass
class FileRun:
    """A migration file to record for a plugin and run (``MigrationSession.run_file``).

    ``text`` is the file as read (BOM and line endings as on disk): the platform's tracker recorded
    the MD5 of exactly that, so a version it ran from this file is recognised as the same text.
    """

    migration: MigrationFile
    text: str
    file_name: str | None = None
    _plans: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of_row(cls, row: MigrationRow) -> "FileRun":
        """A recorded migration as the file the editor shows, to run on other databases."""
        text = rendered_layout(row).text
        try:
            migration = parse_migration_file(text)
        except MigrationTextError:
            migration = migration_from_row(row)
        return cls(migration, text, None)

    @property
    def version(self) -> str:
        return self.migration.version

    @property
    def name(self) -> str:
        return self.migration.migration_name(self.file_name)

    @property
    def up_sql(self) -> str:
        return self.migration.up_sql

    @property
    def down_sql(self) -> str | None:
        return self.migration.down_sql

    @property
    def description(self) -> str | None:
        return self.migration.description

    def as_row(self, plugin_id: str, plugin_name: str, existing: MigrationRow | None = None) -> MigrationRow:
        """The row this file becomes for a plugin (status "new" until recorded)."""
        return MigrationRow(
            id=existing.id if existing else "", plugin_id=plugin_id, plugin_name=plugin_name, migration_name=self.name,
            migration_version=self.version, migration_description=self.description,
            status=existing.status if existing else "new", executed_at=None, completed_at=None, rolled_back_at=None,
            execution_time_ms=None, error_message=None, checksum=existing.checksum if existing else None,
            up_sql=self.up_sql, down_sql=self.down_sql,
        )

    def checksum(self, plugin_id: str, plugin_name: str) -> str:
        """Our checksum of the row this file becomes (what a run records)."""
        return row_checksum(self.as_row(plugin_id, plugin_name))

    def same_text(self, row: MigrationRow) -> bool:
        """Whether a recorded row ran this file's text: our checksum of it, or the platform's MD5 of the file."""
        return row.checksum in (self.checksum(row.plugin_id, row.plugin_name), platform_checksum(self.text))

    def prepare(self, checksum: str, server_version: int | None = None) -> Prepared:
        """The UP script (positions are lines of the file); parsed once per server version, since the
        same file runs on many databases."""
        key = server_version
        if key not in self._plans:
            self._plans[key] = prepare_file_up(self.migration, "", server_version)
        return replace(self._plans[key], checksum=checksum, warnings=list(self._plans[key].warnings))

    def prepare_down(self, server_version: int | None = None) -> Prepared:
        """The file's DOWN script (positions are lines of the file); RollbackRefused when there is none."""
        plan = rollback_plan(self.migration.down_sql)
        if plan.sql is None:
            raise RollbackRefused(plan.why_not or "no DOWN SQL")
        prepared = _prepare(plan.sql, self.migration.down_line, server_version)
        if plan.commented_out:
            prepared.source = "commented out in the file; rollback runs it uncommented"
        return prepared
