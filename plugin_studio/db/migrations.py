"""Queries on ``plugin_migrations``."""
from __future__ import annotations

import psycopg

from plugin_studio.db.errors import ValidationError
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.rows import run, select_rows


def create_migration(conn: psycopg.Connection, plugin_id: str, plugin_name: str, version: str, name: str,
                     up_sql: str, down_sql: str | None = None, description: str | None = None) -> str:
    """Record a pending migration; its checksum is recorded when it runs."""
    if not version.strip() or not name.strip():
        raise ValidationError("a migration needs a version and a name")
    clash = run(conn, "SELECT 1 FROM plugin_migrations WHERE plugin_id::text = %s AND migration_version = %s",
                (plugin_id, version)).fetchone()
    if clash:
        raise ValidationError(f"this plugin already has a migration with version {version}")
    with conn.transaction():
        return run(
            conn,
            "INSERT INTO plugin_migrations (plugin_id, plugin_name, migration_name, migration_version,"
            " migration_description, up_sql, down_sql, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, clock_timestamp()) RETURNING id::text",
            (plugin_id, plugin_name, name.strip(), version.strip(), description, up_sql, down_sql),
        ).fetchone()[0]


def list_migrations(conn: psycopg.Connection, plugin_id: str | None = None) -> list[MigrationRow]:
    if plugin_id is None:
        return select_rows(conn, MigrationRow, "plugin_migrations", "true", (), "plugin_name, migration_version")
    return select_rows(conn, MigrationRow, "plugin_migrations", "plugin_id::text = %s", (plugin_id,),
                       "migration_version")
