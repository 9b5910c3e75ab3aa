"""Reading one plugin's rows for export, and writing a package's rows back in one transaction.

The data travels as a ``PluginBundle``: plain column→value dicts per table, without ids,
plugin ids or timestamps, so this module knows nothing of the JSON package format (that is
``models/package_sections.py``, which hands the tables and columns in as ``TableSpec``s). JSON
columns are read and written with their numbers exact (``exact_json``). Import is all or nothing:
every row goes in inside one transaction, in batches (``executemany``, pipelined by psycopg), with
the caller's last step (the history's version), and any failure, including a cancel between batches,
rolls it all back.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any, Callable

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from plugin_studio.db import plugins
from plugin_studio.db.jsonb import exact_cursor, exact_jsonb
from plugin_studio.db.bundles import (
    ColumnInfo, ImportResult, PluginBundle, Progress, TableColumns, TableSpec,
)
from plugin_studio.db.errors import ConnectionLost, NotFound, SqlError, StudioDbError
from plugin_studio.db.ids import ids_for
from plugin_studio.db.translate import translate
from plugin_studio.db.rows import run

JSON_REGISTRY_COLUMNS = {"manifest", "permissions", "dependencies", "tags"}
# create_plugin() takes these (name and slug made unique, the platform's way); every other registry
# column is set by one UPDATE in the same transaction (JSON with its numbers exact, any status text).
_CREATE_COLUMNS = {"version", "description", "type", "category", "author", "framework", "is_installed",
                   "is_enabled", "is_public", "is_starter_template"}
BATCH_ROWS = 250


class ImportCancelled(StudioDbError):
    """The user cancelled the import; nothing was written."""


def table_columns(conn: psycopg.Connection, tables: list[str] | tuple[str, ...]) -> TableColumns:
    """The columns of those of ``tables`` that exist in the connection's schema (one query)."""
    rows = run(conn, "SELECT table_name, column_name, data_type, is_nullable = 'NO', character_maximum_length,"
                     " column_default FROM information_schema.columns"
                     " WHERE table_schema = current_schema() AND table_name = ANY(%s) ORDER BY ordinal_position",
               (list(tables),)).fetchall()
    found: TableColumns = {}
    for table, column, data_type, not_null, max_chars, default in rows:
        found.setdefault(table, {})[column] = ColumnInfo(column, data_type, not_null, max_chars, default,
                                                         default is not None)
    return found


def read_bundle(conn: psycopg.Connection, plugin_id: str, registry_columns: tuple[str, ...],
                specs: dict[str, TableSpec], *, include_data: bool = True) -> PluginBundle:
    """Every row of a plugin in a stable order, one query per table; tables or columns this database
    does not have read as absent (no rows) or None."""
    info = table_columns(conn, ["plugin_registry", *specs])
    bundle = PluginBundle(plugin=_registry_row(conn, plugin_id, registry_columns, info.get("plugin_registry", {})))
    for table, spec in specs.items():
        if table in info and (include_data or table != "plugin_data"):
            bundle.rows[table] = _table_rows(conn, table, spec, info[table], plugin_id)
    return bundle


def _registry_row(conn: psycopg.Connection, plugin_id: str, columns: tuple[str, ...],
                  existing: dict[str, ColumnInfo]) -> dict[str, Any]:
    query = sql.SQL("SELECT {} FROM plugin_registry WHERE id::text = %s").format(select_list(columns, existing))
    row = fetch_dicts(conn, query, (plugin_id,))
    if not row:
        raise NotFound(f"no plugin with id {plugin_id}")
    return row[0]


def _table_rows(conn: psycopg.Connection, table: str, spec: TableSpec, existing: dict[str, ColumnInfo],
                plugin_id: str) -> list[dict[str, Any]]:
    query = sql.SQL("SELECT {} FROM {} WHERE plugin_id::text = %s ORDER BY " + spec.order).format(
        select_list(spec.columns, existing), sql.Identifier(table))
    return fetch_dicts(conn, query, (plugin_id,))


def select_list(columns: tuple[str, ...], existing: dict[str, ColumnInfo]) -> sql.Composed:
    """``columns`` for a SELECT; one the table lacks (an older platform) reads as NULL under its name."""
    return sql.SQL(", ").join(
        sql.Identifier(c) if c in existing else sql.SQL("NULL AS {}").format(sql.Identifier(c)) for c in columns)


def fetch_dicts(conn: psycopg.Connection, query: sql.Composable, params: Any) -> list[dict[str, Any]]:
    """Rows as dicts, JSON numbers kept exact (``exact_cursor``); psycopg errors as the app's."""
    try:
        with exact_cursor(conn, row_factory=dict_row) as cur:
            return cur.execute(query, params).fetchall()
    except psycopg.Error as exc:
        raise translate(exc) from exc


def widget_ids_in_use(conn: psycopg.Connection, widget_ids: list[str]) -> dict[str, list[str]]:
    """Which of these widget ids other plugins already use: widget id → plugin names."""
    rows = run(
        conn,
        "SELECT w.widget_id, coalesce(p.name, w.plugin_id::text) FROM plugin_widgets w"
        " LEFT JOIN plugin_registry p ON p.id = w.plugin_id WHERE w.widget_id = ANY(%s)"
        " ORDER BY w.widget_id, p.name",
        (list(widget_ids),),
    ).fetchall()
    used: dict[str, list[str]] = {}
    for widget_id, plugin_name in rows:
        used.setdefault(widget_id, []).append(plugin_name)
    return used


def all_widget_ids(conn: psycopg.Connection) -> set[str]:
    return {r[0] for r in run(conn, "SELECT DISTINCT widget_id FROM plugin_widgets").fetchall()}


def renamed_widget_ids(widget_ids: list[str], in_use: set[str]) -> dict[str, str]:
    """``id`` → ``id-2``, ``id-3``... for each id in use elsewhere, avoiding every id in use or in the package."""
    taken = set(in_use) | set(widget_ids)
    renames = {}
    for widget_id in widget_ids:
        if widget_id not in in_use:
            continue
        n = 2
        while f"{widget_id}-{n}" in taken:
            n += 1
        renames[widget_id] = f"{widget_id}-{n}"
        taken.add(renames[widget_id])
    return renames


def import_bundle(
    conn: psycopg.Connection, bundle: PluginBundle, specs: dict[str, TableSpec], columns: TableColumns, *,
    creator_id: str | None = None, rename_clashing_widgets: bool = False, progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None, after_rows: Callable[[psycopg.Connection, Any], Any] | None = None,
) -> ImportResult:
    """Create a new plugin holding every row of ``bundle``, all in one transaction.

    ``columns`` is ``table_columns()`` of this database: only columns it has are written, and a
    NULL for a NOT NULL column with a default takes the default. Name and slug are made unique the
    platform's way; widget ids are kept unless ``rename_clashing_widgets`` and another plugin already
    uses one. Migrations and entities arrive ``pending`` (the column default): this database has not
    run them. ``after_rows(conn, plugin)`` runs last in the same transaction (the history records the
    import's version there) and its result is ``ImportResult.version``.
    """
    total = bundle.row_count() + 1
    done = 0

    def step(n: int) -> None:
        nonlocal done
        if is_cancelled and is_cancelled():
            raise ImportCancelled("import cancelled; nothing was written")
        done += n
        if progress:
            progress(done, total)

    writing = "plugin_registry"
    try:
        with conn.transaction():
            plugin = _create_registry_row(conn, bundle.plugin, creator_id, columns.get("plugin_registry", {}))
            step(1)
            renames = _widget_renames(conn, bundle, rename_clashing_widgets)
            row_ids: dict[str, list[str]] = {}
            for table, spec in specs.items():
                rows = bundle.rows.get(table, [])
                writing, row_ids[table] = table, []
                for start in range(0, len(rows), BATCH_ROWS):
                    batch = rows[start:start + BATCH_ROWS]
                    row_ids[table] += _insert_batch(conn, table, spec, columns[table], plugin, batch, start, renames)
                    step(len(batch))
            writing = "plugin_version_history"
            version = after_rows(conn, plugin) if after_rows else None
            writing = None  # leaving the block commits
    except (psycopg.Error, SqlError, ConnectionLost) as exc:  # the last two: already translated by db.plugins
        raise _import_failed(translate(exc), writing) from exc
    return ImportResult(plugin.id, plugin.name, plugin.slug, renames, row_ids, version)


def _import_failed(error: StudioDbError, writing: str | None) -> StudioDbError:
    """The server's error, saying where the import stopped and what became of the rows.

    Before the commit the transaction is rolled back, by us or by the server when the session died.
    A connection lost during the commit leaves it unknown whether the commit happened.
    """
    if writing is None and isinstance(error, ConnectionLost):
        return ConnectionLost(f"{error}; it is unknown whether the import was committed: look for the plugin")
    where = f"while writing {writing}" if writing else "while committing"
    note = f"the import was rolled back, nothing was written ({where}): "
    if isinstance(error, SqlError):
        return SqlError(replace(error.problem, message=note + error.problem.message))
    return type(error)(note + str(error))


def _create_registry_row(conn: psycopg.Connection, values: dict[str, Any], creator_id: str | None,
                         existing: dict[str, ColumnInfo]):
    values = {k: v for k, v in values.items() if k in existing}
    props = {k: v for k, v in values.items() if k in _CREATE_COLUMNS and v is not None}
    if "creator_id" in existing:
        props["creator_id"] = creator_id
    plugin = plugins.create_plugin(conn, values["name"], slug=values.get("slug"), id=str(uuid.uuid4()), **props)
    rest = {k: v for k, v in values.items()
            if k not in _CREATE_COLUMNS and k not in ("name", "slug") and (v is not None or not existing[k].not_null)}
    if rest:
        assignments = sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder()) for c in rest)
        params = [exact_jsonb(v) if existing[c].is_json else v for c, v in rest.items()]
        run(conn, sql.SQL("UPDATE plugin_registry SET {} WHERE id = %s").format(assignments), [*params, plugin.id])
    return plugin


def _widget_renames(conn: psycopg.Connection, bundle: PluginBundle, rename: bool) -> dict[str, str]:
    if not rename:
        return {}
    return renamed_widget_ids([w["widget_id"] for w in bundle.rows.get("plugin_widgets", [])], all_widget_ids(conn))


def _insert_batch(conn: psycopg.Connection, table: str, spec: TableSpec, existing: dict[str, ColumnInfo], plugin,
                  batch: list[dict[str, Any]], first: int, renames: dict[str, str]) -> list[str]:
    """Insert rows with created_at = now() + ordinal µs, so registration order survives the import.

    Where the table's id has no default (the platform's plugin_dependencies), ids are named.
    """
    columns = [c for c in spec.columns if c in existing]
    ids = ids_for(conn, table, len(batch))
    values_sql = [_value_sql(existing[c]) for c in columns] + ([sql.Placeholder()] if ids else [])
    query = sql.SQL(
        "INSERT INTO {} (plugin_id, {}, created_at) VALUES (%s, {}, now() + %s * interval '1 microsecond')"
        " RETURNING id::text"
    ).format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, columns + (["id"] if ids else []))),
        sql.SQL(", ").join(values_sql),
    )
    params = []
    for n, row in enumerate(batch):
        values = [_param(table, existing[c], row, plugin, renames) for c in columns]
        params.append([plugin.id, *values, *([ids[n]] if ids else []), first + n])
    with conn.cursor() as cur:
        cur.executemany(query, params, returning=True)
        return [c.fetchone()[0] for c in cur.results()]


def _value_sql(column: ColumnInfo) -> sql.Composable:
    """``%s``, or ``coalesce(%s, <the column's default>)`` where NULL would break its NOT NULL."""
    if column.not_null and column.has_default:
        return sql.SQL("coalesce({}, {})").format(sql.Placeholder(), sql.SQL(column.default))
    return sql.Placeholder()


def _param(table: str, column: ColumnInfo, row: dict[str, Any], plugin, renames: dict[str, str]) -> Any:
    value = row.get(column.name)
    if column.is_json:
        return exact_jsonb(value)
    if table == "plugin_widgets" and column.name == "widget_id":
        return renames.get(value, value)
    if value is None and (table, column.name) == ("plugin_migrations", "plugin_name"):
        return plugin.name                      # the platform's import: pluginName || the new name
    if value is None and (table, column.name) == ("plugin_controllers", "path"):
        return f"/api/plugins/{plugin.slug}/{row.get('controller_name')}"
    return value
