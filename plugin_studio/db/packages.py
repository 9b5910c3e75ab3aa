"""Reading one plugin's rows for export, and writing a package's rows back in one transaction.

The data travels as a ``PluginBundle``: plain column→value dicts per table, without ids,
plugin ids or timestamps, so this module knows nothing of the JSON package format (that is
``models/package_format.py``). Import is all or nothing: every row goes in inside one
transaction, in batches (``executemany``, pipelined by psycopg), and any failure, including a
cancel between batches, rolls it all back.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any, Callable

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from plugin_studio.db import plugins
from plugin_studio.db.bundles import TABLE_COLUMNS, ImportResult, PluginBundle, Progress
from plugin_studio.db.errors import ConnectionLost, NotFound, SqlError, StudioDbError
from plugin_studio.db.ids import ids_for
from plugin_studio.db.translate import translate
from plugin_studio.db.rows import run

# Registry columns a package carries (id, creator and timestamps are the target store's own).
REGISTRY_COLUMNS = (
    "name", "slug", "version", "description", "type", "category", "author", "status", "framework",
    "manifest", "permissions", "dependencies", "tags", "is_installed", "is_enabled", "is_starter_template",
    "starter_icon", "starter_description", "starter_prompt", "starter_order", "is_public",
    "deprecated_at", "deprecation_reason",
)
# create_plugin() takes these; the rest are set by one UPDATE in the same transaction.
_CREATE_COLUMNS = plugins.EDITABLE_COLUMNS | {"is_starter_template"}

# Per table: the ORDER BY that keeps exports stable. Events and hooks keep handler order
# (priority, then registration) inside one name.
EXPORT_ORDER = {
    "plugin_scripts": "file_name, created_at, id",
    "plugin_events": "event_name, priority, created_at, id",
    "plugin_hooks": "hook_name, priority, created_at, id",
    "plugin_widgets": "widget_id",
    "plugin_data": "data_key",
    "plugin_dependencies": "package_name",
    "plugin_migrations": "migration_version",
}
JSON_COLUMNS = {"default_config", "data_value", "manifest", "permissions", "dependencies", "tags"}
BATCH_ROWS = 250
# Columns the platform declares NOT NULL without a default (PLATFORM.md appendix) that a package may leave empty.
NOT_NULL_FALLBACKS = {("plugin_dependencies", "bundled_code"): "", ("plugin_dependencies", "version"): "latest"}


class ImportCancelled(StudioDbError):
    """The user cancelled the import; nothing was written."""


def read_bundle(conn: psycopg.Connection, plugin_id: str, *, include_data: bool = True) -> PluginBundle:
    """Every row of a plugin in a stable order, one query per table."""
    bundle = PluginBundle(plugin=_registry_row(conn, plugin_id))
    for table in TABLE_COLUMNS:
        if table == "plugin_data" and not include_data:
            continue
        bundle.rows[table] = _table_rows(conn, table, plugin_id)
    return bundle


def _registry_row(conn: psycopg.Connection, plugin_id: str) -> dict[str, Any]:
    query = sql.SQL("SELECT {} FROM plugin_registry WHERE id::text = %s").format(
        sql.SQL(", ").join(map(sql.Identifier, REGISTRY_COLUMNS))
    )
    row = _fetch(conn, query, (plugin_id,))
    if not row:
        raise NotFound(f"no plugin with id {plugin_id}")
    return row[0]


def _table_rows(conn: psycopg.Connection, table: str, plugin_id: str) -> list[dict[str, Any]]:
    query = sql.SQL("SELECT {} FROM {} WHERE plugin_id::text = %s ORDER BY " + EXPORT_ORDER[table]).format(
        sql.SQL(", ").join(map(sql.Identifier, TABLE_COLUMNS[table])), sql.Identifier(table)
    )
    return _fetch(conn, query, (plugin_id,))


def _fetch(conn: psycopg.Connection, query: sql.Composable, params: Any) -> list[dict[str, Any]]:
    try:
        with conn.cursor(row_factory=dict_row) as cur:
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
    conn: psycopg.Connection, bundle: PluginBundle, *, creator_id: str | None = None,
    rename_clashing_widgets: bool = False, progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Create a new plugin holding every row of ``bundle``, all in one transaction.

    Name and slug are made unique the platform's way; widget ids are kept unless
    ``rename_clashing_widgets`` and another plugin already uses one. Migrations arrive
    ``pending``: this database has not run them.
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
            plugin = _create_registry_row(conn, bundle.plugin, creator_id)
            step(1)
            renames = _widget_renames(conn, bundle, rename_clashing_widgets)
            row_ids: dict[str, list[str]] = {}
            for table, rows in bundle.rows.items():
                writing, row_ids[table] = table, []
                for start in range(0, len(rows), BATCH_ROWS):
                    batch = rows[start:start + BATCH_ROWS]
                    row_ids[table] += _insert_batch(conn, table, plugin, batch, start, renames)
                    step(len(batch))
            writing = None  # leaving the block commits
    except (psycopg.Error, SqlError, ConnectionLost) as exc:  # the last two: already translated by db.plugins
        raise _import_failed(translate(exc), writing) from exc
    return ImportResult(plugin.id, plugin.name, plugin.slug, renames, row_ids)


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


def _create_registry_row(conn: psycopg.Connection, values: dict[str, Any], creator_id: str | None):
    props = {k: v for k, v in values.items() if k in _CREATE_COLUMNS and k not in ("name", "slug") and v is not None}
    props["creator_id"] = creator_id
    plugin = plugins.create_plugin(conn, values["name"], slug=values.get("slug"), id=str(uuid.uuid4()), **props)
    rest = {k: v for k, v in values.items() if k not in _CREATE_COLUMNS and v is not None}
    if rest:
        assignments = sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder()) for c in rest)
        run(conn, sql.SQL("UPDATE plugin_registry SET {} WHERE id = %s").format(assignments),
            [*rest.values(), plugin.id])
    return plugin


def _widget_renames(conn: psycopg.Connection, bundle: PluginBundle, rename: bool) -> dict[str, str]:
    if not rename:
        return {}
    return renamed_widget_ids([w["widget_id"] for w in bundle.rows["plugin_widgets"]], all_widget_ids(conn))


def _insert_batch(conn: psycopg.Connection, table: str, plugin, batch: list[dict[str, Any]], first: int,
                  renames: dict[str, str]) -> list[str]:
    """Insert rows with created_at = now() + ordinal µs, so registration order survives the import.

    Where the table's id has no default (the platform's plugin_dependencies), ids are named.
    """
    columns = TABLE_COLUMNS[table]
    ids = ids_for(conn, table, len(batch))
    extra = (("plugin_name",) if table == "plugin_migrations" else ()) + (("id",) if ids else ())
    query = sql.SQL(
        "INSERT INTO {} (plugin_id, {}, created_at) VALUES (%s, {}, now() + %s * interval '1 microsecond')"
        " RETURNING id::text"
    ).format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, columns + extra)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns + extra)),
    )
    params = []
    for n, row in enumerate(batch):
        values = [_param(table, c, row.get(c), renames) for c in columns]
        extra_values = ([plugin.name] if table == "plugin_migrations" else []) + ([ids[n]] if ids else [])
        params.append([plugin.id, *values, *extra_values, first + n])
    with conn.cursor() as cur:
        cur.executemany(query, params, returning=True)
        return [c.fetchone()[0] for c in cur.results()]


def _param(table: str, column: str, value: Any, renames: dict[str, str]) -> Any:
    if column in JSON_COLUMNS:
        return Jsonb(value)
    if table == "plugin_widgets" and column == "widget_id":
        return renames.get(value, value)
    if table == "plugin_migrations" and column == "status":
        return "pending"
    if value is None and (table, column) in NOT_NULL_FALLBACKS:
        return NOT_NULL_FALLBACKS[table, column]
    return value
