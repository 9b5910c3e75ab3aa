"""What the JS runner loads from the database: handler rows with their plugins, and plugins' modules.

Which rows run is the storefront's rule (``GET /api/plugins/active``, PLATFORM.md §2.3): plugins with
``status = 'active'`` that are not starter templates, whatever ``plugin_registry.is_enabled`` says;
of those, the rows whose ``is_enabled`` is true. ``handler_records`` returns them in the
storefront's order (plugins ``created_at DESC``, each plugin's rows ``priority ASC``; ties by
registration time, then id, so the order is stable). The plugin being edited can be added whatever
its status; its rows then say ``on_storefront = false``.

``load_handler_rows`` is the debugger's view: every hook and event row of some plugins, disabled
ones too, in a constant number of queries whatever the number of plugins.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import psycopg
from psycopg.rows import class_row

from plugin_studio.db.translate import translate
from plugin_studio.db.files import HANDLER_ORDER
from plugin_studio.db.records import EventRow, HookRow
from plugin_studio.db.rows import run, select_rows

ON_STOREFRONT = "(r.status = 'active' AND r.is_starter_template IS NOT TRUE)"
_COLUMNS = {
    "plugin_hooks": ("t.hook_name", "t.hook_type", "t.handler_function"),
    "plugin_events": ("t.event_name", "'event'", "t.listener_function"),
}


@dataclass
class HandlerRecord:
    """A hook or event row with what the chain needs of its plugin."""
    table: str
    row_id: str
    plugin_id: str
    plugin_name: str
    name: str
    kind: str
    code: str
    priority: int
    enabled: bool
    created_at: datetime | None
    plugin_created_at: datetime | None
    on_storefront: bool


@dataclass
class PluginModules:
    """What ``require`` may load for one plugin."""
    scripts: dict[str, str] = field(default_factory=dict)       # file_name -> code (js only)
    dependencies: dict[str, str] = field(default_factory=dict)  # package name -> bundled code


def handler_records(conn: psycopg.Connection, table: str, name: str | None = None, plugin_id: str | None = None,
                    include_disabled: bool = False) -> list[HandlerRecord]:
    """Rows of ``table`` (plugin_hooks | plugin_events) the storefront runs, in its order (one query).

    ``name``: only that hook or event. ``plugin_id``: that plugin's rows too, whatever its status.
    ``include_disabled``: rows with is_enabled false as well (the inspector lists them).
    """
    name_column, kind, code = _COLUMNS[table]
    plugins = ON_STOREFRONT + (" OR r.id::text = %(plugin)s" if plugin_id is not None else "")
    where = [f"({plugins})"]
    if name is not None:
        where.append(f"{name_column} = %(name)s")
    if not include_disabled:
        where.append("t.is_enabled IS TRUE")
    query = (
        f"SELECT '{table}' AS table, t.id::text AS row_id, t.plugin_id::text AS plugin_id, r.name AS plugin_name,"
        f" {name_column} AS name, {kind} AS kind, {code} AS code,"
        " COALESCE(t.priority, 10) AS priority, t.is_enabled IS TRUE AS enabled, t.created_at,"
        f" r.created_at AS plugin_created_at, {ON_STOREFRONT} AS on_storefront"
        f" FROM {table} t JOIN plugin_registry r ON r.id::text = t.plugin_id::text"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY r.created_at DESC NULLS LAST, r.id::text, t.priority ASC NULLS LAST, t.created_at, t.id"
    )
    try:
        with conn.cursor(row_factory=class_row(HandlerRecord)) as cur:
            return cur.execute(query, {"plugin": str(plugin_id) if plugin_id else None, "name": name}).fetchall()
    except psycopg.Error as exc:
        raise translate(exc) from exc


def load_handler_rows(conn: psycopg.Connection, plugin_ids: list[str]) -> tuple[list[HookRow], list[EventRow]]:
    """Every hook and event row of ``plugin_ids``, disabled ones included, in HANDLER_ORDER: one query per table."""
    ids = sorted({str(p) for p in plugin_ids})
    if not ids:
        return [], []
    where, params = "plugin_id = ANY(%s)", (ids,)
    return (select_rows(conn, HookRow, "plugin_hooks", where, params, HANDLER_ORDER),
            select_rows(conn, EventRow, "plugin_events", where, params, HANDLER_ORDER))


@dataclass(frozen=True)
class ScriptName:
    plugin_id: str
    id: str
    file_name: str


def scripts_in_handler_folders(conn: psycopg.Connection, plugin_ids: list[str]) -> list[ScriptName]:
    """Scripts of ``plugin_ids`` filed under ``hooks/`` or ``events/``, in the file tree's order (one query).

    The only rows besides hooks and events whose path can equal a handler's, so the only ones needed
    to tell handler paths apart the way the tree does.
    """
    ids = sorted({str(p) for p in plugin_ids})
    if not ids:
        return []
    rows = run(conn, "SELECT plugin_id, id::text, file_name FROM plugin_scripts WHERE plugin_id = ANY(%s)"
                     " AND (file_name LIKE 'hooks/%%' OR file_name LIKE 'events/%%') ORDER BY file_name, created_at",
               (ids,)).fetchall()
    return [ScriptName(*row) for row in rows]


def load_modules(conn: psycopg.Connection, plugin_ids: list[str]) -> dict[str, PluginModules]:
    """Enabled JS scripts and bundled dependencies of each plugin, two queries in all."""
    ids = sorted({str(p) for p in plugin_ids})
    modules = {p: PluginModules() for p in ids}
    if not ids:
        return modules
    scripts = run(conn, "SELECT plugin_id, file_name, file_content FROM plugin_scripts"
                        " WHERE plugin_id = ANY(%s) AND is_enabled IS TRUE AND script_type = 'js'", (ids,))
    for plugin_id, file_name, content in scripts.fetchall():
        modules[plugin_id].scripts[file_name] = content or ""
    deps = run(conn, "SELECT plugin_id, package_name, bundled_code FROM plugin_dependencies"
                     " WHERE plugin_id = ANY(%s) AND bundled_code IS NOT NULL", (ids,))
    for plugin_id, package, code in deps.fetchall():
        modules[plugin_id].dependencies[package] = code
    return modules


@dataclass(frozen=True)
class PluginInfo:
    id: str
    name: str
    created_at: datetime | None
    on_storefront: bool


def storefront_plugins(conn: psycopg.Connection, plugin_id: str | None = None) -> list[PluginInfo]:
    """The plugins the storefront runs (and ``plugin_id``, whatever its status), newest first; one query."""
    extra = " OR r.id::text = %s" if plugin_id is not None else ""
    rows = run(conn, f"SELECT r.id::text, r.name, r.created_at, {ON_STOREFRONT} FROM plugin_registry r"
                     f" WHERE {ON_STOREFRONT}{extra} ORDER BY r.created_at DESC NULLS LAST, r.id::text",
               (str(plugin_id),) if plugin_id else None).fetchall()
    return [PluginInfo(*row) for row in rows]
