"""Migration rows written from the editor and checked or repaired in bulk: the rules of
``models.migration_format`` and ``models.migration_ops`` applied with ``db.migrations``'s queries."""
from __future__ import annotations

from plugin_studio.db import migrations
from plugin_studio.db.errors import ConflictError, ValidationError
from plugin_studio.db.records import MigrationRow
from plugin_studio.models.migration_format import (
    ChecksumCheck, MigrationFormatError, check_identity, checksum_state, parse_migration_file, render_migration_file,
    stored_name, unchanged_since,
)
from plugin_studio.models.migration_ops import RepairChange


def save_migration_file(conn, row_id: str, text: str, loaded_text: str) -> MigrationRow:
    """Save the editor's text of a migration that has not taken effect.

    ``loaded_text`` is what the editor rendered when it opened the row; if the row has changed since,
    ConflictError carries the server's current text. A completed migration is refused (ValidationError):
    roll it back first. Unreadable text is refused with its file line (ValidationError).
    """
    try:
        migration = parse_migration_file(text)
    except MigrationFormatError as exc:
        raise ValidationError(str(exc)) from None
    with conn.transaction():
        row = migrations.lock_migration_row(conn, row_id)
        if row is None:
            raise ConflictError(migrations.TABLE, row_id, None)
        if not unchanged_since(row, loaded_text):
            raise ConflictError(migrations.TABLE, row_id, render_migration_file(row))
        if row.status not in migrations.EDITABLE_STATUSES:
            raise ValidationError(migrations.already_ran(row))
        check_identity(row, migration)
        migrations.update_migration_text(conn, row_id, up_sql=migration.up_sql, down_sql=migration.down_sql,
                                         description=migration.description,
                                         name=stored_name(row, migration.title))
    return migrations.get_migration(conn, row_id)


def validate(conn, plugin_id: str | None = None, files: dict[str, str] | None = None) -> list[ChecksumCheck]:
    """Every completed migration's checksum compared with its text.

    ``files`` maps a version to the text of the file it was run from (the platform's tracker
    recorded that file's MD5, which only the file can confirm).
    """
    files = files or {}
    checks = [checksum_state(row, files.get(row.migration_version))
              for row in migrations.list_migrations(conn, plugin_id)]
    return [check for check in checks if check.state]


def apply_repair(conn, changes: list[RepairChange]) -> int:
    """Write the changes in one transaction; returns how many rows changed."""
    with conn.transaction():
        for change in changes:
            if change.column == "checksum":
                migrations.set_checksum(conn, change.row.id, change.after)
            else:
                migrations.set_down_sql(conn, change.row.id, change.after)
    return len({change.row.id for change in changes})
