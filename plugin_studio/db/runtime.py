"""What the JS runner loads from the database: enabled hooks, events and modules of plugins.

Without ``plugin_id``: the handlers of every active plugin (status 'active' and is_enabled).
With it: that one plugin's enabled handlers, whatever its status (the IDE runs a plugin it is
still writing). Handlers come lowest priority first, ties in registration order.

``load_handler_rows`` is the debugger's view: every hook and event row of some plugins, disabled
ones too, in a constant number of queries whatever the number of plugins.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from plugin_studio.db.files import HANDLER_ORDER
from plugin_studio.db.records import EventRow, HookRow
from plugin_studio.db.rows import run, select_rows

ACTIVE_PLUGINS = "SELECT id::text FROM plugin_registry WHERE status = 'active' AND is_enabled"


@dataclass
class PluginModules:
    """What ``require`` may load for one plugin."""
    scripts: dict[str, str] = field(default_factory=dict)       # file_name -> code (js only)
    dependencies: dict[str, str] = field(default_factory=dict)  # package name -> bundled code


def _where(name_column: str, name: str | None, plugin_id: str | None) -> tuple[str, list]:
    clauses, params = ["is_enabled"], []
    if plugin_id is not None:
        clauses.append("plugin_id = %s")
        params.append(str(plugin_id))
    else:
        clauses.append(f"plugin_id IN ({ACTIVE_PLUGINS})")
    if name is not None:
        clauses.append(f"{name_column} = %s")
        params.append(name)
    return " AND ".join(clauses), params


def load_hooks(conn: psycopg.Connection, name: str | None = None, plugin_id: str | None = None) -> list[HookRow]:
    where, params = _where("hook_name", name, plugin_id)
    return select_rows(conn, HookRow, "plugin_hooks", where, params, HANDLER_ORDER)


def load_events(conn: psycopg.Connection, name: str | None = None, plugin_id: str | None = None) -> list[EventRow]:
    where, params = _where("event_name", name, plugin_id)
    return select_rows(conn, EventRow, "plugin_events", where, params, HANDLER_ORDER)


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
                        " WHERE plugin_id = ANY(%s) AND is_enabled AND script_type = 'js'", (ids,))
    for plugin_id, file_name, content in scripts.fetchall():
        modules[plugin_id].scripts[file_name] = content or ""
    deps = run(conn, "SELECT plugin_id, package_name, bundled_code FROM plugin_dependencies"
                     " WHERE plugin_id = ANY(%s) AND bundled_code IS NOT NULL", (ids,))
    for plugin_id, package, code in deps.fetchall():
        modules[plugin_id].dependencies[package] = code
    return modules


def plugin_names(conn: psycopg.Connection, plugin_ids: list[str]) -> dict[str, str]:
    ids = sorted({str(p) for p in plugin_ids})
    if not ids:
        return {}
    rows = run(conn, "SELECT id::text, name FROM plugin_registry WHERE id::text = ANY(%s)", (ids,)).fetchall()
    return dict(rows)
