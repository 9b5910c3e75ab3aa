"""A migration row as the editor, the FileTree and the checks see it: a file in the platform's format.

A row's text is its rendering (``render_migration_file``); positions of its statements are lines of
that rendering, which is what the editor shows. The checksum we record is MD5 of the rendering;
the platform's tracker records MD5 of the file it ran, which only that file can confirm
(``models/migration_platform.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

from plugin_studio.db.errors import ValidationError
from plugin_studio.db.names import version_key
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.safe_text import shown
from plugin_studio.models.migration_file import (
    MigrationFile, MigrationFormatError, RollbackPlan, checksum, normalise_newlines, parse_migration_file,
    rollback_plan, write_migration_file,
)
from plugin_studio.models.migration_platform import matches_file, recorded_by_platform
from plugin_studio.models.paths import path_for_migration

__all__ = [
    "ChecksumCheck", "MigrationFile", "MigrationFormatError", "RollbackPlan", "checksum", "checksum_state",
    "migration_file_path", "migration_from_row", "parse_migration_file", "render_migration_file", "rendered_layout",
    "rollback_plan", "row_checksum", "stored_name", "unchanged_since", "check_identity", "version_key", "write_migration_file",
]


def migration_from_row(row: MigrationRow) -> MigrationFile:
    """The row as a file. Header values another client stored with a line break, a control or a bidi
    character are shown escaped (``db.safe_text.shown``), so they stay on their header line and never
    put text of their own into the SQL; saving keeps the stored name (``stored_name``)."""
    return MigrationFile(
        version=shown(row.migration_version), up_sql=row.up_sql or "", down_sql=row.down_sql,
        description=_shown_lines(row.migration_description), title=shown(row.migration_name) or None,
        plugin_name=shown(row.plugin_name) or None, plugin_id=row.plugin_id,
    )


def _shown_lines(text: str | None) -> str | None:
    return None if text is None else "\n".join(shown(line) for line in text.split("\n"))


def stored_name(row: MigrationRow, title: str | None) -> str:
    """The name a save records: the file's title, unless it is the row's own name as shown escaped."""
    return row.migration_name if not title or title == shown(row.migration_name) else title


def render_migration_file(row: MigrationRow) -> str:
    """The text the editor shows for a migration row, in the platform's format."""
    return write_migration_file(migration_from_row(row))


@dataclass
class Layout:
    """A row's rendering and where its sections start in it (file lines, 1-based)."""

    text: str
    up_sql: str
    up_line: int
    down_sql: str | None
    down_line: int


def rendered_layout(row: MigrationRow) -> Layout:
    """The rendering and the file line of each section, found in the rendering itself."""
    text = render_migration_file(row)
    lines = text.split("\n")
    up_marker, down_marker = lines.index("-- UP Migration"), len(lines) - 1 - lines[::-1].index("-- DOWN Migration")
    up_sql = "\n".join(lines[up_marker + 1:down_marker]).strip("\n")
    down_sql = "\n".join(lines[down_marker + 1:]).strip("\n") or None
    return Layout(text, up_sql, up_marker + 2, down_sql, down_marker + 2)


def row_checksum(row: MigrationRow) -> str:
    """Our checksum of the migration's current text: recorded when it runs, compared by validate."""
    return checksum(render_migration_file(row))


def migration_file_path(row: MigrationRow) -> str:
    """Where the FileTree shows the row."""
    return path_for_migration(row.migration_version, row.migration_name)


# ---- checksums -----------------------------------------------------------------------------

@dataclass
class ChecksumCheck:
    """A migration and whether its text is what ran.

    ``state``: "ok"; "drift" (changed after it ran); "unrecorded" (ran without a checksum);
    "platform" (recorded by the platform's tracker with its file's MD5, which only that file can
    confirm; not drift); "" (not applied).
    """

    row: MigrationRow
    state: str
    current: str
    note: str = ""


def checksum_state(row: MigrationRow, file_text: str | None = None) -> ChecksumCheck:
    """Compare a row with its text; ``file_text`` is the file the platform's tracker ran, when known."""
    current = row_checksum(row)
    if row.status != "completed":
        return ChecksumCheck(row, "", current)
    if not row.checksum:
        return ChecksumCheck(row, "unrecorded", current)
    if row.checksum == current:
        return ChecksumCheck(row, "ok", current)
    if file_text is not None and normalise_newlines(file_text).strip():
        return _against_file(row, file_text, current)
    if recorded_by_platform(row):
        return ChecksumCheck(row, "platform", current,
                             f"recorded by the platform's tracker with the MD5 of {row.migration_name};"
                             " give that file (--file) to check it")
    return ChecksumCheck(row, "drift", current)


def _against_file(row: MigrationRow, file_text: str, current: str) -> ChecksumCheck:
    if matches_file(row, file_text):
        return ChecksumCheck(row, "ok", current, "matches the platform's MD5 of the file it ran")
    return ChecksumCheck(row, "drift", current, "the file given is not what ran (its MD5 or UP section differs)")


# ---- rules for saving the editor's text (services.migrations.save_migration_file) ---------------

def unchanged_since(row: MigrationRow, loaded_text: str) -> bool:
    """Whether the row still holds what ``loaded_text`` says. Compared parsed, not as text: after a save
    the editor's loaded text is the user's own layout, which need not be the one we render."""
    current_text = render_migration_file(row)
    if normalise_newlines(current_text) == normalise_newlines(loaded_text):
        return True
    try:
        loaded, current = parse_migration_file(loaded_text), parse_migration_file(current_text)
    except MigrationFormatError:
        return False
    return ((loaded.version, loaded.up_sql, loaded.down_sql, loaded.description, loaded.title or row.migration_name)
            == (current.version, current.up_sql, current.down_sql, current.description, current.title))


def check_identity(row: MigrationRow, migration: MigrationFile) -> None:
    if migration.version != shown(row.migration_version):
        raise ValidationError(f"the version can't be changed here ({row.migration_version} → {migration.version});"
                              " create a new migration instead")
    if migration.plugin_id and migration.plugin_id != row.plugin_id:
        raise ValidationError(f"the Plugin line names {migration.plugin_id}, but this migration belongs to"
                              f" {row.plugin_name} ({row.plugin_id})")
