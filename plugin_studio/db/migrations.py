"""Queries on ``plugin_migrations``: recording, listing, and saving an edited migration file.

Running, rolling back, locking and checksum validation live in ``db/migrate.py``.
"""
from __future__ import annotations

import psycopg

from plugin_studio.db.errors import ConflictError, NotFound, ValidationError
from plugin_studio.db.migration_file import (
    MigrationFile, normalise_newlines, parse_migration_file, row_text,
)
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.rows import run, select_one, select_rows

TABLE = "plugin_migrations"
# A migration's text may change only while it has not taken effect.
EDITABLE_STATUSES = ("pending", "failed", "rolled_back")


def create_migration(conn: psycopg.Connection, plugin_id: str, plugin_name: str, version: str, name: str,
                     up_sql: str, down_sql: str | None = None, description: str | None = None) -> str:
    """Record a pending migration; its checksum is recorded when it runs."""
    if not version.strip() or not name.strip():
        raise ValidationError("a migration needs a version and a name")
    if len(version.strip()) > 50:
        raise ValidationError("a migration version is at most 50 characters")
    with conn.transaction():
        if find_migration(conn, plugin_id, version.strip()):
            raise ValidationError(f"this plugin already has a migration with version {version.strip()}")
        return run(
            conn,
            "INSERT INTO plugin_migrations (plugin_id, plugin_name, migration_name, migration_version,"
            " migration_description, up_sql, down_sql, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, clock_timestamp()) RETURNING id::text",
            (plugin_id, plugin_name, name.strip(), version.strip(), description, up_sql, down_sql),
        ).fetchone()[0]


def list_migrations(conn: psycopg.Connection, plugin_id: str | None = None) -> list[MigrationRow]:
    if plugin_id is None:
        return select_rows(conn, MigrationRow, TABLE, "true", (), "plugin_name, migration_version, created_at")
    return select_rows(conn, MigrationRow, TABLE, "plugin_id::text = %s", (plugin_id,),
                       "migration_version, created_at")


def get_migration(conn: psycopg.Connection, row_id: str) -> MigrationRow:
    row = select_one(conn, MigrationRow, TABLE, row_id)
    if row is None:
        raise NotFound(f"no migration with id {row_id}")
    return row


def find_migration(conn: psycopg.Connection, plugin_id: str, version: str) -> MigrationRow | None:
    rows = select_rows(conn, MigrationRow, TABLE, "plugin_id::text = %s AND migration_version = %s",
                       (plugin_id, version))
    return rows[0] if rows else None


def find_by_version(conn: psycopg.Connection, version: str) -> list[MigrationRow]:
    """Every plugin's migration with this version (the CLI names a version without a plugin)."""
    return select_rows(conn, MigrationRow, TABLE, "migration_version = %s", (version,), "plugin_name")


def record_migration_file(conn: psycopg.Connection, plugin_id: str, plugin_name: str, migration: MigrationFile,
                          file_name: str | None = None, *, replace_completed: bool = False) -> str:
    """Record a parsed file as the plugin's migration of that version: a new pending row, or the
    existing row's text updated while it has not taken effect (``replace_completed`` for ``--force``)."""
    if migration.plugin_id and migration.plugin_id != plugin_id:
        raise ValidationError(f"the file's header names plugin {migration.plugin_id}, not {plugin_id}")
    name = migration.migration_name(file_name)
    existing = find_migration(conn, plugin_id, migration.version)
    if existing is None:
        return create_migration(conn, plugin_id, plugin_name, migration.version, name, migration.up_sql,
                                migration.down_sql, migration.description)
    if existing.status not in EDITABLE_STATUSES and not (replace_completed and existing.status == "completed"):
        raise ValidationError(_already_ran(existing))
    _write_text(conn, existing.id, migration, name)
    return existing.id


def save_migration_file(conn: psycopg.Connection, row_id: str, text: str, loaded_text: str) -> MigrationRow:
    """Save the editor's text of a migration that has not taken effect.

    ``loaded_text`` is what the editor rendered when it opened the row; if the row has changed since,
    ConflictError carries the server's current text. A completed migration is refused: roll it back first.
    """
    migration = parse_migration_file(text)
    with conn.transaction():
        row = _locked_row(conn, row_id)
        if row is None:
            raise ConflictError(TABLE, row_id, None)
        if not _unchanged_since(row, loaded_text):
            raise ConflictError(TABLE, row_id, row_text(row))
        if row.status not in EDITABLE_STATUSES:
            raise ValidationError(_already_ran(row))
        _check_identity(row, migration)
        _write_text(conn, row_id, migration, migration.title or row.migration_name)
    return get_migration(conn, row_id)


def _unchanged_since(row: MigrationRow, loaded_text: str) -> bool:
    """Whether the row still holds what ``loaded_text`` says. Compared parsed, not as text: after a save
    the editor's loaded text is the user's own layout, which need not be the one we render."""
    if normalise_newlines(row_text(row)) == normalise_newlines(loaded_text):
        return True
    try:
        loaded = parse_migration_file(loaded_text)
    except ValidationError:
        return False
    current = parse_migration_file(row_text(row))
    return ((loaded.version, loaded.up_sql, loaded.down_sql, loaded.description, loaded.title or row.migration_name)
            == (current.version, current.up_sql, current.down_sql, current.description, current.title))


def _locked_row(conn: psycopg.Connection, row_id: str) -> MigrationRow | None:
    rows = select_rows(conn, MigrationRow, TABLE, "id::text = %s FOR UPDATE", (row_id,))
    return rows[0] if rows else None


def _check_identity(row: MigrationRow, migration: MigrationFile) -> None:
    if migration.version != row.migration_version:
        raise ValidationError(f"the version can't be changed here ({row.migration_version} → {migration.version});"
                              " create a new migration instead")
    if migration.plugin_id and migration.plugin_id != row.plugin_id:
        raise ValidationError(f"the Plugin line names {migration.plugin_id}, but this migration belongs to"
                              f" {row.plugin_name} ({row.plugin_id})")


def _write_text(conn: psycopg.Connection, row_id: str, migration: MigrationFile, name: str) -> None:
    if not name.strip():
        raise ValidationError("a migration needs a name (the '-- MIGRATION:' line)")
    with conn.transaction():
        run(conn,
            "UPDATE plugin_migrations SET up_sql = %s, down_sql = %s, migration_description = %s,"
            " migration_name = %s, updated_at = clock_timestamp() WHERE id::text = %s",
            (migration.up_sql, migration.down_sql, migration.description, name.strip()[:255], row_id))


def _already_ran(row: MigrationRow) -> str:
    return (f"migration {row.migration_version} of {row.plugin_name} is {row.status}: its text can't change"
            " while it is applied; roll it back first")
