"""Small helpers shared by the query modules: typed SELECTs over a record dataclass."""
from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from plugin_studio.db.translate import translate

T = TypeVar("T")

# uuid columns travel as text; see records.py.
TEXT_CAST_COLUMNS = {"id", "plugin_id", "creator_id"}
# Where a row is looked up by id, compare as uuid so the primary key's index is used.
BY_ID = "id = %s::uuid"
UUID_PLUGIN_ID_TABLES = {"plugin_widgets", "plugin_migrations"}


def by_plugin(table: str) -> str:
    """The WHERE clause for one plugin's rows, in the column's own type so its index is used."""
    return "plugin_id = %s::uuid" if table in UUID_PLUGIN_ID_TABLES else "plugin_id = %s"


def select_list(record_type: type) -> sql.Composed:
    parts = []
    for f in fields(record_type):
        column = sql.Identifier(f.name)
        if f.name in TEXT_CAST_COLUMNS:
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
