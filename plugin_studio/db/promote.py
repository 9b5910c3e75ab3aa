"""The rows of promoting a plugin: one side's rows with their ids, and the target's writes.

Knows tables and columns only (``TableSpec``s handed in, as ``db/packages.py``); what to write is
decided by ``models/promote.py`` and composed in ``services/promote.py``, which runs the writes in
one transaction. JSON columns are read and written with their numbers exact (``exact_json``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from plugin_studio.db.bundles import ColumnInfo, TableColumns, TableSpec
from plugin_studio.db.errors import NotFound
from plugin_studio.db.ids import ids_for
from plugin_studio.db.jsonb import exact_jsonb
from plugin_studio.db.names import version_key
from plugin_studio.db.packages import fetch_dicts, select_list, table_columns
from plugin_studio.db.rows import run

INSERT, UPDATE, DELETE = "insert", "update", "delete"
# Read beside the compared columns: what an update or delete names, and whether a migration ran here.
_EXTRA = {"plugin_migrations": ("status",)}


@dataclass(frozen=True)
class Side:
    """One plugin in one store: its registry row and its rows per table (each with ``id``)."""
    registry: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]
    columns: TableColumns


@dataclass(frozen=True)
class Write:
    """One statement of a promote: insert ``values`` into ``table``, update its row ``row_id`` with
    ``values``, or delete that row. ``table`` "plugin_registry" updates the plugin itself."""
    op: str
    table: str
    row_id: str | None = None
    values: dict[str, Any] | None = None


def read_side(conn: psycopg.Connection, plugin_id: str, registry_columns: tuple[str, ...],
              specs: dict[str, TableSpec], *, lock: bool = False) -> Side:
    """The plugin's registry row and rows, in the export's order; ``lock`` holds its registry row
    (FOR UPDATE) until the transaction ends, so no other promote writes to it meanwhile."""
    columns = table_columns(conn, ["plugin_registry", *specs])
    registry = fetch_dicts(conn, sql.SQL("SELECT id::text AS id, {} FROM plugin_registry WHERE id::text = %s{}").format(
        select_list(registry_columns, columns["plugin_registry"]), sql.SQL(" FOR UPDATE" if lock else "")),
        (plugin_id,))
    if not registry:
        raise NotFound(f"no plugin with id {plugin_id}")
    rows = {table: _rows(conn, table, spec, columns[table], plugin_id) for table, spec in specs.items()
            if table in columns}
    return Side(registry[0], rows, columns)


def _rows(conn: psycopg.Connection, table: str, spec: TableSpec, existing: dict[str, ColumnInfo],
          plugin_id: str) -> list[dict[str, Any]]:
    wanted = ("id", *_EXTRA.get(table, ()), *spec.columns)
    query = sql.SQL("SELECT {} FROM {} WHERE plugin_id::text = %s ORDER BY " + spec.order).format(
        select_list(wanted, existing), sql.Identifier(table))
    found = fetch_dicts(conn, query, (plugin_id,))
    for row in found:
        row["id"] = str(row["id"])
    return found



def write(conn: psycopg.Connection, plugin_id: str, change: Write, columns: TableColumns) -> None:
    """Run one write on the target's plugin ``plugin_id`` (inside the caller's transaction); only
    columns the target's table has are written."""
    existing = columns[change.table]
    values = {c: v for c, v in (change.values or {}).items() if c in existing}
    if change.op == INSERT:
        _insert(conn, change.table, plugin_id, values, existing)
    elif change.op == UPDATE and values:
        where = "id::text = %s" + (" AND plugin_id::text = %s" if change.table != "plugin_registry" else "")
        assignments = sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder()) for c in values)
        params = [_param(existing[c], v) for c, v in values.items()]
        run(conn, sql.SQL("UPDATE {} SET {} WHERE " + where).format(sql.Identifier(change.table), assignments),
            [*params, change.row_id, *([plugin_id] if change.table != "plugin_registry" else [])])
    elif change.op == DELETE:
        run(conn, sql.SQL("DELETE FROM {} WHERE id::text = %s AND plugin_id::text = %s").format(
            sql.Identifier(change.table)), (change.row_id, plugin_id))


def _insert(conn: psycopg.Connection, table: str, plugin_id: str, values: dict[str, Any],
            existing: dict[str, ColumnInfo]) -> None:
    """A NULL for a NOT NULL column with a default takes the default; where the table's id has no
    default (the platform's plugin_dependencies), the id is named."""
    ids = ids_for(conn, table, 1)
    names = [*values, *(["id"] if ids else [])]
    placeholders = [_value_sql(existing[c]) for c in values] + ([sql.Placeholder()] if ids else [])
    query = sql.SQL("INSERT INTO {} (plugin_id, {}) VALUES (%s, {})").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names)), sql.SQL(", ").join(placeholders))
    run(conn, query, [plugin_id, *[_param(existing[c], v) for c, v in values.items()], *(ids or [])])


def _value_sql(column: ColumnInfo) -> sql.Composable:
    if column.not_null and column.has_default:
        return sql.SQL("coalesce({}, {})").format(sql.Placeholder(), sql.SQL(column.default))
    return sql.Placeholder()


def _param(column: ColumnInfo, value: Any) -> Any:
    return exact_jsonb(value) if column.is_json else value


def pending_migrations(conn: psycopg.Connection, plugin_id: str) -> list[tuple[str, str, str, str]]:
    """The plugin's migrations this store has still to run (pending, failed, rolled back):
    (id, version, name, status), in the order they run."""
    rows = run(conn, "SELECT id::text, migration_version, migration_name, coalesce(status, 'pending')"
                     " FROM plugin_migrations WHERE plugin_id::text = %s AND coalesce(status, 'pending') <> 'completed'"
                     " ORDER BY created_at", (plugin_id,)).fetchall()
    return sorted((tuple(r) for r in rows), key=lambda r: version_key(r[1]))
