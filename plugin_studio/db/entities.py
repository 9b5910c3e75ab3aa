"""Queries on ``plugin_entities``, and the live shape of the table an entity describes.

An entity is edited as one JSON document of four columns (entity_name, table_name, description,
schema_definition): its save locks the row (``lock_entity``), compares, then ``update_entity``.
``schema_definition`` travels as JSON text, so numbers keep the form they were written in (``0.00``).

The entity's ``migration_status`` follows the migration generated for it (``follow_migration``): a
completed migration makes it ``migrated``, a failed one ``failed``, a rolled-back or pending one
``pending`` (PLATFORM.md §1.9; the platform itself never sets ``migrated``).
"""
from __future__ import annotations

import re

import psycopg

from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.records import EntityRow, LiveColumn, LiveConstraint, LiveTable
from plugin_studio.db.rows import (
    BY_ID, insert_row, lock_plugin_names, run, select_one, select_rows, update_row, with_id,
)

TABLE = "plugin_entities"
ENTITY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
STATUS_FOR_MIGRATION = {"completed": "migrated", "failed": "failed", "rolled_back": "pending", "pending": "pending"}


def get_entity(conn: psycopg.Connection, row_id: str) -> EntityRow | None:
    return select_one(conn, EntityRow, TABLE, row_id)


def create_entity(conn: psycopg.Connection, plugin_id: str, entity_name: str, table_name: str, schema_text: str, *,
                  description: str | None = None, row_id: str | None = None, enabled: bool = True) -> str:
    """Insert an entity (status pending); ValidationError when the plugin has one of that name or table."""
    with conn.transaction():
        lock_plugin_names(conn, plugin_id)
        _refuse_duplicate(conn, plugin_id, entity_name, table_name, row_id)
        return insert_row(conn, TABLE, with_id(row_id, {
            "plugin_id": plugin_id, "entity_name": entity_name, "table_name": table_name,
            "description": description, "schema_definition": schema_text,
            "migration_status": "pending", "is_enabled": enabled,
        }))


def _refuse_duplicate(conn, plugin_id: str, entity_name: str, table_name: str, exclude_id: str | None) -> None:
    clash = run(conn, "SELECT entity_name, table_name FROM plugin_entities WHERE plugin_id = %s::uuid"
                      " AND (entity_name = %s OR table_name = %s) AND id IS DISTINCT FROM %s::uuid",
                (plugin_id, entity_name, table_name, exclude_id)).fetchone()
    if clash:
        what = f"an entity {entity_name}" if clash[0] == entity_name else f"an entity for the table {table_name}"
        raise ValidationError(f"this plugin already has {what}")


def lock_entity(conn: psycopg.Connection, row_id: str) -> EntityRow | None:
    """The entity as it is now, its row locked until the caller's transaction ends (None: gone)."""
    rows = select_rows(conn, EntityRow, TABLE, BY_ID + " FOR UPDATE", (row_id,))
    return rows[0] if rows else None


def update_entity(conn: psycopg.Connection, row: EntityRow, entity_name: str, table_name: str,
                  description: str | None, schema_text: str) -> None:
    """Write the four edited columns of ``row`` (locked by the caller); ValidationError on a duplicate name."""
    with conn.transaction():
        lock_plugin_names(conn, row.plugin_id)
        _refuse_duplicate(conn, row.plugin_id, entity_name, table_name, row.id)
        run(conn, "UPDATE plugin_entities SET entity_name = %s, table_name = %s, description = %s,"
                  " schema_definition = %s::jsonb, updated_at = now() WHERE " + BY_ID,
            (entity_name, table_name, description, schema_text, row.id))


def set_migration(conn: psycopg.Connection, row_id: str, version: str, up_sql: str | None, down_sql: str | None) -> None:
    """Link the entity to its newly generated migration: status pending until that migration runs."""
    cur = run(conn, "UPDATE plugin_entities SET migration_version = %s, migration_status = 'pending',"
                    " create_table_sql = %s, drop_table_sql = %s, updated_at = now() WHERE " + BY_ID,
              (version, up_sql, down_sql, row_id))
    if cur.rowcount != 1:
        raise NotFound(f"{TABLE} row {row_id} no longer exists")


def follow_migration(conn: psycopg.Connection, migration_id: str) -> int:
    """Set the status of the entities generated this migration from its status; returns how many.

    Runs in the caller's transaction, so the entity and its migration change together. A database
    without ``plugin_entities`` (an older platform schema) has nothing to follow.
    """
    if run(conn, "SELECT to_regclass('plugin_entities') IS NULL").fetchone()[0]:
        return 0
    return run(conn, """
        UPDATE plugin_entities e
           SET migration_status = CASE m.status WHEN 'completed' THEN 'migrated' WHEN 'failed' THEN 'failed'
                                  ELSE 'pending' END,
               migrated_at = CASE WHEN m.status = 'completed' THEN clock_timestamp() END,
               updated_at = now()
          FROM plugin_migrations m
         WHERE m.id::text = %s AND e.plugin_id::text = m.plugin_id::text
           AND e.migration_version = m.migration_version""", (migration_id,)).rowcount


def entities_of(conn: psycopg.Connection, plugin_id: str) -> list[EntityRow]:
    return select_rows(conn, EntityRow, TABLE, "plugin_id = %s::uuid", (plugin_id,), "entity_name")


# ---- the live table ------------------------------------------------------------------------------

def live_table(conn: psycopg.Connection, table_name: str) -> LiveTable | None:
    """The table ``table_name`` of the current schema as it is now, or None when there is none."""
    oid = run(conn, "SELECT c.oid FROM pg_class c WHERE c.relname = %s AND c.relkind IN ('r', 'p')"
                    " AND c.relnamespace = current_schema()::regnamespace", (table_name,)).fetchone()
    if oid is None:
        return None
    return LiveTable(table_name, _live_columns(conn, oid[0]), _live_constraints(conn, oid[0]), _live_indexes(conn, oid[0]))


def _live_columns(conn, oid: int) -> list[LiveColumn]:
    rows = run(conn, """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
          FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""", (oid,)).fetchall()
    return [LiveColumn(*row) for row in rows]


def _live_constraints(conn, oid: int) -> list[LiveConstraint]:
    rows = run(conn, """
        SELECT k.conname, k.contype::text,
               array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS x(n, i)
                     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.n ORDER BY x.i),
               pg_get_constraintdef(k.oid)
          FROM pg_constraint k WHERE k.conrelid = %s AND k.contype IN ('p', 'u', 'f') ORDER BY k.conname""",
               (oid,)).fetchall()
    return [LiveConstraint(name, kind, tuple(cols), definition) for name, kind, cols, definition in rows]


def _live_indexes(conn, oid: int) -> dict[str, str]:
    rows = run(conn, """
        SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         WHERE x.indrelid = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
         ORDER BY i.relname""", (oid,)).fetchall()
    return dict(rows)


def tables_created_by(conn: psycopg.Connection, plugin_id: str) -> list[str]:
    """The up SQL of the plugin's completed migrations: what may show that a table is the plugin's own."""
    rows = run(conn, "SELECT up_sql FROM plugin_migrations WHERE plugin_id::text = %s AND status = 'completed'",
               (plugin_id,)).fetchall()
    return [r[0] for r in rows if r[0]]


def rename_entity(conn: psycopg.Connection, row_id: str, plugin_id: str, new_name: str) -> None:
    """Change the entity's name (its path); its table stays. ValidationError for a bad or taken name."""
    name = new_name.strip()
    if not ENTITY_NAME.match(name):
        raise ValidationError(f"{name!r} is not a valid entity name (letters, digits and _)")
    with conn.transaction():
        row = lock_entity(conn, row_id)
        if row is None:
            raise NotFound(f"{TABLE} row {row_id} no longer exists")
        lock_plugin_names(conn, plugin_id)
        _refuse_duplicate(conn, plugin_id, name, row.table_name, row_id)
        update_row(conn, TABLE, row_id, {"entity_name": name})
