"""The platform's migration file format as the editor and the FileTree see a migration row.

The parser and writer live in ``db/migration_file.py`` because saving an edited file parses it
there; this module is the editor-facing name for them.
"""
from __future__ import annotations

from plugin_studio.db.migration_file import (
    MigrationFile, MigrationFormatError, RollbackPlan, checksum, parse_migration_file, rollback_plan,
    row_text, write_migration_file,
)
from plugin_studio.db.records import MigrationRow
from plugin_studio.models.paths import path_for_migration

__all__ = [
    "MigrationFile", "MigrationFormatError", "RollbackPlan", "checksum", "migration_file_path", "parse_migration_file",
    "render_migration_file", "rollback_plan", "write_migration_file",
]


def render_migration_file(row: MigrationRow) -> str:
    """The text the editor shows for a migration row, in the platform's format."""
    return row_text(row)


def migration_file_path(row: MigrationRow) -> str:
    """Where the FileTree shows the row."""
    return path_for_migration(row.migration_version, row.migration_name)
