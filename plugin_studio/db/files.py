"""Queries on the rows that show as files: scripts, events, hooks, widgets (migrations: db/migrations).

Every row is addressed by (table, id), never by the path the tree derives for it. Saves are
optimistic: the UPDATE only applies when the stored code still equals what the editor loaded.
"""
from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from plugin_studio.db.errors import ConflictError, NotFound, ValidationError
from plugin_studio.db.records import (
    CODE_COLUMN, EventRow, HookRow, MigrationRow, PluginFiles, ScriptRow, WidgetRow,
)
from plugin_studio.db.rows import BY_ID, by_plugin, run, select_rows

EVENT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")
HOOK_TYPES = ("filter", "action")
# Ties in priority run in registration order: created_at is set with clock_timestamp() by our
# inserts so rows created in one transaction still keep their order.
HANDLER_ORDER = "priority, created_at, id"


def load_plugin_files(conn: psycopg.Connection, plugin_id: str) -> PluginFiles:
    p = (plugin_id,)
    return PluginFiles(
        scripts=select_rows(conn, ScriptRow, "plugin_scripts", by_plugin("plugin_scripts"), p, "file_name, created_at"),
        events=select_rows(conn, EventRow, "plugin_events", by_plugin("plugin_events"), p, HANDLER_ORDER),
        hooks=select_rows(conn, HookRow, "plugin_hooks", by_plugin("plugin_hooks"), p, HANDLER_ORDER),
        widgets=select_rows(conn, WidgetRow, "plugin_widgets", by_plugin("plugin_widgets"), p, "widget_id"),
        migrations=select_rows(conn, MigrationRow, "plugin_migrations", by_plugin("plugin_migrations"), p,
                               "migration_version"),
    )


def check_event_name(name: str) -> str:
    name = name.strip()
    if not EVENT_NAME.match(name):
        raise ValidationError(
            f"{name!r} is not a valid event name: use dotted identifiers such as cart.viewed"
        )
    return name


def check_file_name(name: str) -> str:
    """A relative path with no '..', backslash, control character or leading slash."""
    name = name.strip()
    parts = name.split("/")
    if (
        not name or name.startswith("/") or "\\" in name or any(ord(c) < 32 for c in name)
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise ValidationError(f"{name!r} is not a valid file name")
    return name


def fetch_code(conn: psycopg.Connection, table: str, row_id: str) -> str | None:
    """The code stored now for a row; None when the row is gone."""
    column = sql.Identifier(CODE_COLUMN[table])
    # coalesce: the platform's own tables may hold NULL code; the editor shows it as empty.
    query = sql.SQL("SELECT coalesce({}, '') FROM {} WHERE " + BY_ID).format(column, sql.Identifier(table))
    row = run(conn, query, (row_id,)).fetchone()
    return None if row is None else row[0]


def save_code(conn: psycopg.Connection, table: str, row_id: str, text: str, loaded_text: str) -> None:
    """Write the row's code if nobody changed it since ``loaded_text`` was read; else ConflictError."""
    column = sql.Identifier(CODE_COLUMN[table])
    query = sql.SQL(
        "UPDATE {t} SET {c} = %s, updated_at = now() WHERE " + BY_ID + " AND coalesce({c}, '') = %s"
    ).format(t=sql.Identifier(table), c=column)
    with conn.transaction():
        cur = run(conn, query, (text, row_id, loaded_text))
        if cur.rowcount == 1:
            return
    raise ConflictError(table, row_id, fetch_code(conn, table, row_id))


def overwrite_code(conn: psycopg.Connection, table: str, row_id: str, text: str) -> None:
    """Write the code whatever the server holds (the user chose "overwrite" after a conflict)."""
    _update_row(conn, table, row_id, {CODE_COLUMN[table]: text})


def _update_row(conn: psycopg.Connection, table: str, row_id: str, changes: dict[str, Any]) -> None:
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


def _insert_row(conn: psycopg.Connection, table: str, values: dict[str, Any]) -> str:
    columns = list(values)
    query = sql.SQL("INSERT INTO {} ({}, created_at) VALUES ({}, clock_timestamp()) RETURNING id::text").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
    )
    params = [Jsonb(v) if isinstance(v, (dict, list)) else v for v in values.values()]
    with conn.transaction():
        return run(conn, query, params).fetchone()[0]


def _lock_plugin_names(conn, plugin_id: str) -> None:
    """Serialise name checks and the writes they guard, per plugin (scripts have no unique constraint)."""
    run(conn, "SELECT pg_advisory_xact_lock(hashtext('plugin_studio.files:' || %s))", (plugin_id,))


def create_script(conn, plugin_id: str, file_name: str, content: str, *, script_type: str | None = None,
                  scope: str = "frontend", load_priority: int = 10, row_id: str | None = None) -> str:
    file_name = check_file_name(file_name)
    kind = script_type or ("css" if file_name.endswith(".css") else "js")
    with conn.transaction():
        _lock_plugin_names(conn, plugin_id)
        _refuse_duplicate_script(conn, plugin_id, file_name)
        return _insert_row(conn, "plugin_scripts", _with_id(row_id, {
            "plugin_id": plugin_id, "file_name": file_name, "file_content": content, "script_type": kind,
            "scope": scope, "load_priority": load_priority,
        }))


def _with_id(row_id: str | None, values: dict[str, Any]) -> dict[str, Any]:
    """Recreating a row the server lost keeps its id, so open editors and the tree still point at it."""
    return {"id": row_id, **values} if row_id else values


def _refuse_duplicate_script(conn, plugin_id: str, file_name: str, exclude_id: str | None = None) -> None:
    clash = run(conn, "SELECT 1 FROM plugin_scripts WHERE plugin_id = %s AND file_name = %s"
                " AND id IS DISTINCT FROM %s::uuid", (plugin_id, file_name, exclude_id)).fetchone()
    if clash:
        raise ValidationError(f"this plugin already has a file {file_name}")


def create_event(conn, plugin_id: str, event_name: str, code: str, *, priority: int = 10,
                 file_name: str | None = None, enabled: bool = True, row_id: str | None = None) -> str:
    return _insert_row(conn, "plugin_events", _with_id(row_id, {
        "plugin_id": plugin_id, "event_name": check_event_name(event_name), "listener_function": code,
        "priority": int(priority), "file_name": check_file_name(file_name) if file_name else None,
        "is_enabled": bool(enabled),
    }))


def create_hook(conn, plugin_id: str, hook_name: str, hook_type: str, code: str, *, priority: int = 10,
                enabled: bool = True, row_id: str | None = None) -> str:
    if hook_type not in HOOK_TYPES:
        raise ValidationError(f"hook type must be filter or action, not {hook_type!r}")
    return _insert_row(conn, "plugin_hooks", _with_id(row_id, {
        "plugin_id": plugin_id, "hook_name": check_event_name(hook_name), "hook_type": hook_type,
        "handler_function": code, "priority": int(priority), "is_enabled": bool(enabled),
    }))


def create_widget(conn, plugin_id: str, widget_id: str, widget_name: str, code: str, *,
                  description: str | None = None, default_config: Any = None, category: str | None = None,
                  icon: str | None = None, row_id: str | None = None) -> str:
    widget_id = _check_widget_id(widget_id)
    with conn.transaction():
        _lock_plugin_names(conn, plugin_id)
        _refuse_duplicate_widget(conn, plugin_id, widget_id)
        return _insert_row(conn, "plugin_widgets", _with_id(row_id, {
            "plugin_id": plugin_id, "widget_id": widget_id, "widget_name": widget_name or widget_id,
            "description": description, "component_code": code, "default_config": default_config or {},
            "category": category, "icon": icon,
        }))


def _check_widget_id(widget_id: str) -> str:
    widget_id = widget_id.strip()
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", widget_id):
        raise ValidationError(f"{widget_id!r} is not a valid widget id (letters, digits, - _ .)")
    return widget_id


def _refuse_duplicate_widget(conn, plugin_id: str, widget_id: str, exclude_id: str | None = None) -> None:
    clash = run(conn, "SELECT 1 FROM plugin_widgets WHERE plugin_id = %s::uuid AND widget_id = %s"
                " AND id IS DISTINCT FROM %s::uuid", (plugin_id, widget_id, exclude_id)).fetchone()
    if clash:
        raise ValidationError(f"this plugin already has a widget {widget_id}")


def remap_event(conn, row_id: str, event_name: str, *, file_name: str | None = None,
                priority: int | None = None) -> None:
    """Edit Event: change this one listener's event name (and optionally file name, priority)."""
    changes: dict[str, Any] = {"event_name": check_event_name(event_name)}
    if file_name is not None:
        changes["file_name"] = check_file_name(file_name) if file_name.strip() else None
    if priority is not None:
        changes["priority"] = int(priority)
    _update_row(conn, "plugin_events", row_id, changes)


def rename_script(conn, row_id: str, plugin_id: str, new_file_name: str) -> None:
    new_file_name = check_file_name(new_file_name)
    with conn.transaction():
        _lock_plugin_names(conn, plugin_id)
        _refuse_duplicate_script(conn, plugin_id, new_file_name, row_id)
        _update_row(conn, "plugin_scripts", row_id, {"file_name": new_file_name})


def rename_event_file(conn, row_id: str, new_file_name: str) -> None:
    _update_row(conn, "plugin_events", row_id, {"file_name": check_file_name(new_file_name)})


def rename_hook(conn, row_id: str, new_hook_name: str) -> None:
    _update_row(conn, "plugin_hooks", row_id, {"hook_name": check_event_name(new_hook_name)})


def rename_widget(conn, row_id: str, plugin_id: str, new_widget_id: str) -> None:
    new_widget_id = _check_widget_id(new_widget_id)
    with conn.transaction():
        _lock_plugin_names(conn, plugin_id)
        _refuse_duplicate_widget(conn, plugin_id, new_widget_id, row_id)
        _update_row(conn, "plugin_widgets", row_id, {"widget_id": new_widget_id})


def update_widget_meta(conn, row_id: str, changes: dict[str, Any]) -> None:
    allowed = {"widget_id", "widget_name", "description", "category", "icon", "is_enabled", "default_config"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"unknown widget properties: {', '.join(sorted(unknown))}")
    _update_row(conn, "plugin_widgets", row_id, changes)


def set_enabled(conn, table: str, row_id: str, enabled: bool) -> None:
    _update_row(conn, table, row_id, {"is_enabled": bool(enabled)})


def set_priority(conn, table: str, row_id: str, priority: int) -> None:
    column = "load_priority" if table == "plugin_scripts" else "priority"
    _update_row(conn, table, row_id, {column: int(priority)})


def delete_row(conn, table: str, row_id: str) -> None:
    with conn.transaction():
        cur = run(conn, sql.SQL("DELETE FROM {} WHERE " + BY_ID).format(sql.Identifier(table)), (row_id,))
        if cur.rowcount != 1:
            raise NotFound(f"{table} row {row_id} no longer exists")


def rename_migration(conn, row_id: str, new_name: str) -> None:
    """Rename a migration that has not run: the name is part of its file text, hence of its checksum."""
    new_name = new_name.strip()
    if not re.match(r"^[A-Za-z0-9_.-]+$", new_name):
        raise ValidationError(f"{new_name!r} is not a valid migration name (letters, digits, _ . -)")
    with conn.transaction():  # the row lock keeps a runner from starting it between check and rename
        status = run(conn, "SELECT status FROM plugin_migrations WHERE " + BY_ID + " FOR UPDATE", (row_id,)).fetchone()
        if status is None:
            raise NotFound(f"plugin_migrations row {row_id} no longer exists")
        if status[0] in ("completed", "running"):
            raise ValidationError(f"this migration is {status[0]}; roll it back before renaming it")
        _update_row(conn, "plugin_migrations", row_id, {"migration_name": new_name})


def get_event(conn, row_id: str) -> EventRow | None:
    rows = select_rows(conn, EventRow, "plugin_events", BY_ID, (row_id,))
    return rows[0] if rows else None


def known_event_names(conn) -> list[str]:
    """Every event name some plugin listens to, for the event pickers."""
    return [r[0] for r in run(conn, "SELECT DISTINCT event_name FROM plugin_events ORDER BY 1").fetchall()]
