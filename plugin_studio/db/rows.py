"""Small helpers shared by the query modules: typed SELECTs over a record dataclass, one-row writes."""
from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.translate import translate

T = TypeVar("T")

# uuid columns travel as text; see records.py.
TEXT_CAST_COLUMNS = {"id", "plugin_id", "creator_id"}
# Where a row is looked up by id, compare as uuid so the primary key's index is used.
BY_ID = "id = %s::uuid"
UUID_PLUGIN_ID_TABLES = {"plugin_widgets", "plugin_migrations", "plugin_controllers", "plugin_entities", "plugin_cron",
                         "plugin_docs"}


def by_plugin(table: str) -> str:
    """The WHERE clause for one plugin's rows, in the column's own type so its index is used."""
    return "plugin_id = %s::uuid" if table in UUID_PLUGIN_ID_TABLES else "plugin_id = %s"


# Record fields read as an expression: jsonb as the server's text keeps numbers as written (0.00).
COMPUTED_COLUMNS = {"schema_text": "schema_definition::text"}


def select_list(record_type: type) -> sql.Composed:
    parts = []
    for f in fields(record_type):
        column = sql.Identifier(f.name)
        if f.name in COMPUTED_COLUMNS:
            parts.append(sql.SQL(COMPUTED_COLUMNS[f.name] + " AS {}").format(column))
        elif f.name in TEXT_CAST_COLUMNS:
            parts.append(sql.SQL("{}::text AS {}").format(column, column))
        else:
            parts.append(column)
    return sql.SQL(", ").join(parts)


def select_rows(
    conn: psycopg.Connection, record_type: type[T], table: str, where: str, params: Any, order: str = "",
) -> list[T]:
    """``SELECT <record's columns> FROM table WHERE ...`` as dataclasses. ``where`` is our own SQL text."""
    query = sql.SQL("SELECT {} FROM {} WHERE " + where + (" ORDER BY " + order if order else "")).format(
        select_list(record_type), sql.Identifier(table)
    )
    try:
        with conn.cursor(row_factory=class_row(record_type)) as cur:
            return cur.execute(query, params).fetchall()
    except psycopg.Error as exc:
        raise translate(exc) from exc


def select_one(conn: psycopg.Connection, record_type: type[T], table: str, row_id: str) -> T | None:
    rows = select_rows(conn, record_type, table, BY_ID, (str(row_id),))
    return rows[0] if rows else None


def run(conn: psycopg.Connection, query: Any, params: Any = None) -> psycopg.Cursor:
    """Execute with errors translated to ours."""
    try:
        return conn.execute(query, params)
    except psycopg.Error as exc:
        raise translate(exc) from exc


def update_row(conn: psycopg.Connection, table: str, row_id: str, changes: dict[str, Any]) -> None:
    """Set ``changes`` ({column: value}; dicts and lists as jsonb) on one row; NotFound when it is gone."""
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder()) for c in changes
    )
    query = sql.SQL("UPDATE {} SET {}, updated_at = now() WHERE " + BY_ID).format(
        sql.Identifier(table), assignments
    )
    values = [Jsonb(v) if isinstance(v, (dict, list)) else v for v in changes.values()]
    with conn.transaction():
        if run(conn, query, [*values, row_id]).rowcount != 1:
            raise NotFound(f"{table} row {row_id} no longer exists")


def insert_row(conn: psycopg.Connection, table: str, values: dict[str, Any]) -> str:
    """Insert one row ({column: value}, the rest from defaults; created_at ordered by clock); returns its id."""
    columns = list(values)
    query = sql.SQL("INSERT INTO {} ({}, created_at) VALUES ({}, clock_timestamp()) RETURNING id::text").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
    )
    params = [Jsonb(v) if isinstance(v, (dict, list)) else v for v in values.values()]
    with conn.transaction():
        return run(conn, query, params).fetchone()[0]


def lock_plugin_names(conn, plugin_id: str) -> None:
    """Serialise name checks and the writes they guard, per plugin (scripts have no unique constraint)."""
    run(conn, "SELECT pg_advisory_xact_lock(hashtext('plugin_studio.files:' || %s))", (plugin_id,))


def refuse_duplicate(conn: psycopg.Connection, table: str, column: str, plugin_id: str, value: str, what: str,
                     exclude_id: str | None = None) -> None:
    """Raise ValidationError("this plugin already has <what>") when another of the plugin's rows in ``table``
    has ``column`` = ``value``. Our writes check it themselves (under ``lock_plugin_names``) because a
    platform database has no unique constraint on these names (PLATFORM.md, appendix)."""
    query = sql.SQL("SELECT 1 FROM {} WHERE " + by_plugin(table) + " AND {} = %s AND id IS DISTINCT FROM %s::uuid")
    clash = run(conn, query.format(sql.Identifier(table), sql.Identifier(column)), (plugin_id, value, exclude_id))
    if clash.fetchone():
        raise ValidationError(f"this plugin already has {what}")


def with_id(row_id: str | None, values: dict[str, Any]) -> dict[str, Any]:
    """Recreating a row the server lost keeps its id, so open editors and the tree still point at it."""
    return {"id": row_id, **values} if row_id else values
