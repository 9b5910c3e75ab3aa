"""Queries on ``plugin_migrations``: recording, listing, locking and updating rows.

The file format is read in ``models/``; these functions take plain values. Running, rolling back
and the runner's lock live in ``db/migrate.py``.
"""
from __future__ import annotations


import psycopg
from psycopg import sql
from psycopg.rows import class_row

from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.translate import translate
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.rows import run, select_list, select_one, select_rows

TABLE = "plugin_migrations"
# A migration's text may change only while it has not taken effect.
EDITABLE_STATUSES = ("pending", "failed", "rolled_back")


def create_migration(conn: psycopg.Connection, plugin_id: str, plugin_name: str, version: str, name: str,
                     up_sql: str, down_sql: str | None = None, description: str | None = None) -> str:
    """Record a pending migration; its checksum is recorded when it runs. Raises ValidationError for a
    version the plugin already has (also when another client records it at the same moment)."""
    version, name = version.strip(), name.strip()
    if not version or not name:
        raise ValidationError("a migration needs a version and a name")
    if len(version) > 50:
        raise ValidationError("a migration version is at most 50 characters")
    try:
        with conn.transaction():
            if find_migration(conn, plugin_id, version):
                raise ValidationError(f"this plugin already has a migration with version {version}")
            return run(
                conn,
                "INSERT INTO plugin_migrations (plugin_id, plugin_name, migration_name, migration_version,"
                " migration_description, up_sql, down_sql, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, clock_timestamp()) RETURNING id::text",
                (plugin_id, plugin_name, name[:255], version, description, up_sql, down_sql),
            ).fetchone()[0]
    except psycopg.errors.UniqueViolation:
        raise ValidationError(f"this plugin already has a migration with version {version}"
                              " (recorded by another client just now)") from None


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


def record_migration(conn: psycopg.Connection, plugin_id: str, plugin_name: str, *, version: str, name: str,
                     up_sql: str, down_sql: str | None, description: str | None,
                     replace_completed: bool = False) -> str:
    """Record a migration file's text as the plugin's migration of that version: a new pending row, or
    the existing row's text updated while it has not taken effect (``replace_completed`` for ``--force``).
    Raises ValidationError when the existing row has taken effect."""
    existing = find_migration(conn, plugin_id, version)
    if existing is None:
        return create_migration(conn, plugin_id, plugin_name, version, name, up_sql, down_sql, description)
    if existing.status not in EDITABLE_STATUSES and not (replace_completed and existing.status == "completed"):
        raise ValidationError(already_ran(existing))
    update_migration_text(conn, existing.id, up_sql=up_sql, down_sql=down_sql, description=description, name=name)
    return existing.id


def lock_migration_row(conn: psycopg.Connection, row_id: str) -> MigrationRow | None:
    """The row, locked FOR UPDATE until the caller's transaction ends; None when it is gone."""
    rows = select_rows(conn, MigrationRow, TABLE, "id::text = %s FOR UPDATE", (row_id,))
    return rows[0] if rows else None


def update_migration_text(conn: psycopg.Connection, row_id: str, *, up_sql: str, down_sql: str | None,
                          description: str | None, name: str) -> None:
    if not name.strip():
        raise ValidationError("a migration needs a name (the '-- MIGRATION:' line)")
    run(conn, "UPDATE plugin_migrations SET up_sql = %s, down_sql = %s, migration_description = %s,"
              " migration_name = %s, updated_at = clock_timestamp() WHERE id::text = %s",
        (up_sql, down_sql, description, name.strip()[:255], row_id))


def set_checksum(conn: psycopg.Connection, row_id: str, checksum: str) -> None:
    run(conn, "UPDATE plugin_migrations SET checksum = %s, updated_at = clock_timestamp() WHERE id::text = %s",
        (checksum, row_id))


def set_down_sql(conn: psycopg.Connection, row_id: str, down_sql: str) -> None:
    run(conn, "UPDATE plugin_migrations SET down_sql = %s, updated_at = clock_timestamp() WHERE id::text = %s",
        (down_sql, row_id))


def already_ran(row: MigrationRow) -> str:
    return (f"migration {row.migration_version} of {row.plugin_name} is {row.status}: its text can't change"
            " while it is applied; roll it back first")


def claim_for_run(conn: psycopg.Connection, row_id: str, statuses: tuple[str, ...]) -> MigrationRow | None:
    """Mark the row "running" if its status is one of ``statuses``; the row as it is now, or None."""
    query = sql.SQL(
        "UPDATE plugin_migrations SET status = 'running', executed_at = clock_timestamp(), completed_at = NULL,"
        " error_message = NULL, execution_time_ms = NULL, updated_at = clock_timestamp()"
        " WHERE id::text = %s AND status = ANY(%s) RETURNING {}").format(select_list(MigrationRow))
    try:
        with conn.cursor(row_factory=class_row(MigrationRow)) as cur:
            return cur.execute(query, (row_id, list(statuses))).fetchone()
    except psycopg.Error as exc:
        raise translate(exc) from exc
