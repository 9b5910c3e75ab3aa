"""Queries on the rows that show as files: scripts, events, hooks, widgets (migrations: db/migrations;
controllers, entities, cron jobs, docs and admin pages: their own modules, loaded here with the rest).

Every row is addressed by (table, id), never by the path the tree derives for it. Saves are
optimistic: the UPDATE only applies when the stored code still equals what the editor loaded.
"""
from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg import sql

from plugin_studio.db.errors import ConflictError, NotFound, ValidationError
from plugin_studio.db.records import (
    CODE_COLUMN, AdminPageRow, AdminScriptRow, ControllerRow, CronRow, DocRow, EntityRow, EventRow, HookRow,
    MigrationRow, PluginFiles, ScriptRow, WidgetRow,
)
from plugin_studio.db.rows import (
    BY_ID, by_plugin, insert_row, lock_plugin_names, refuse_duplicate, run, select_rows, update_row, with_id,
)

EVENT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")
HOOK_TYPES = ("filter", "action")
# Ties in priority run in registration order: created_at is set with clock_timestamp() by our
# inserts so rows created in one transaction still keep their order.
HANDLER_ORDER = "priority, created_at, id"
# The order each table's rows take in the FileTree (and so which of two same-named rows is "(2)").
TREE_ORDER = {
    "plugin_scripts": "file_name, created_at", "plugin_events": HANDLER_ORDER, "plugin_hooks": HANDLER_ORDER,
    "plugin_widgets": "widget_id", "plugin_migrations": "migration_version",
    "plugin_controllers": "controller_name, created_at, id", "plugin_entities": "entity_name, created_at, id",
    "plugin_cron": "cron_name, created_at, id", "plugin_docs": "display_order, doc_type, created_at, id",
    "plugin_admin_pages": "order_position, page_key, created_at, id",
    "plugin_admin_scripts": "load_order, script_name, created_at, id",
}

# (field of PluginFiles, record, table) of the tables beyond the first five.
_MORE_TABLES = (
    ("controllers", ControllerRow, "plugin_controllers"), ("entities", EntityRow, "plugin_entities"),
    ("cron", CronRow, "plugin_cron"), ("docs", DocRow, "plugin_docs"),
    ("admin_pages", AdminPageRow, "plugin_admin_pages"), ("admin_scripts", AdminScriptRow, "plugin_admin_scripts"),
)


def load_plugin_files(conn: psycopg.Connection, plugin_id: str) -> PluginFiles:
    p = (plugin_id,)
    more = {name: _tree_rows(conn, record, table, p) for name, record, table in _MORE_TABLES}
    return PluginFiles(
        scripts=_tree_rows(conn, ScriptRow, "plugin_scripts", p),
        events=_tree_rows(conn, EventRow, "plugin_events", p),
        hooks=_tree_rows(conn, HookRow, "plugin_hooks", p),
        widgets=_tree_rows(conn, WidgetRow, "plugin_widgets", p),
        migrations=_tree_rows(conn, MigrationRow, "plugin_migrations", p),
        **more,
    )


def _tree_rows(conn: psycopg.Connection, record_type: type, table: str, params: tuple) -> list:
    return select_rows(conn, record_type, table, by_plugin(table), params, TREE_ORDER[table])


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
    update_row(conn, table, row_id, {CODE_COLUMN[table]: text})


def create_script(conn, plugin_id: str, file_name: str, content: str, *, script_type: str | None = None,
                  scope: str = "frontend", load_priority: int = 10, row_id: str | None = None) -> str:
    file_name = check_file_name(file_name)
    kind = script_type or ("css" if file_name.endswith(".css") else "js")
    with conn.transaction():
        lock_plugin_names(conn, plugin_id)
        refuse_duplicate(conn, "plugin_scripts", "file_name", plugin_id, file_name, f"a file {file_name}")
        return insert_row(conn, "plugin_scripts", with_id(row_id, {
            "plugin_id": plugin_id, "file_name": file_name, "file_content": content, "script_type": kind,
            "scope": scope, "load_priority": load_priority,
        }))


def create_event(conn, plugin_id: str, event_name: str, code: str, *, priority: int = 10,
                 file_name: str | None = None, enabled: bool = True, row_id: str | None = None) -> str:
    return insert_row(conn, "plugin_events", with_id(row_id, {
        "plugin_id": plugin_id, "event_name": check_event_name(event_name), "listener_function": code,
        "priority": int(priority), "file_name": check_file_name(file_name) if file_name else None,
        "is_enabled": bool(enabled),
    }))


def create_hook(conn, plugin_id: str, hook_name: str, hook_type: str, code: str, *, priority: int = 10,
                enabled: bool = True, row_id: str | None = None) -> str:
    if hook_type not in HOOK_TYPES:
        raise ValidationError(f"hook type must be filter or action, not {hook_type!r}")
    return insert_row(conn, "plugin_hooks", with_id(row_id, {
        "plugin_id": plugin_id, "hook_name": check_event_name(hook_name), "hook_type": hook_type,
        "handler_function": code, "priority": int(priority), "is_enabled": bool(enabled),
    }))


def create_widget(conn, plugin_id: str, widget_id: str, widget_name: str, code: str, *,
                  description: str | None = None, default_config: Any = None, category: str | None = None,
                  icon: str | None = None, row_id: str | None = None) -> str:
    widget_id = _check_widget_id(widget_id)
    with conn.transaction():
        lock_plugin_names(conn, plugin_id)
        refuse_duplicate(conn, "plugin_widgets", "widget_id", plugin_id, widget_id, f"a widget {widget_id}")
        return insert_row(conn, "plugin_widgets", with_id(row_id, {
            "plugin_id": plugin_id, "widget_id": widget_id, "widget_name": widget_name or widget_id,
            "description": description, "component_code": code, "default_config": default_config or {},
            "category": category, "icon": icon,
        }))


def _check_widget_id(widget_id: str) -> str:
    widget_id = widget_id.strip()
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", widget_id):
        raise ValidationError(f"{widget_id!r} is not a valid widget id (letters, digits, - _ .)")
    return widget_id


def remap_event(conn, row_id: str, event_name: str, *, file_name: str | None = None,
                priority: int | None = None) -> None:
    """Edit Event: change this one listener's event name (and optionally file name, priority)."""
    changes: dict[str, Any] = {"event_name": check_event_name(event_name)}
    if file_name is not None:
        changes["file_name"] = check_file_name(file_name) if file_name.strip() else None
    if priority is not None:
        changes["priority"] = int(priority)
    update_row(conn, "plugin_events", row_id, changes)


def rename_script(conn, row_id: str, plugin_id: str, new_file_name: str) -> None:
    new_file_name = check_file_name(new_file_name)
    with conn.transaction():
        lock_plugin_names(conn, plugin_id)
        refuse_duplicate(conn, "plugin_scripts", "file_name", plugin_id, new_file_name, f"a file {new_file_name}",
                         row_id)
        update_row(conn, "plugin_scripts", row_id, {"file_name": new_file_name})


def rename_event_file(conn, row_id: str, new_file_name: str) -> None:
    update_row(conn, "plugin_events", row_id, {"file_name": check_file_name(new_file_name)})


def rename_hook(conn, row_id: str, new_hook_name: str) -> None:
    update_row(conn, "plugin_hooks", row_id, {"hook_name": check_event_name(new_hook_name)})


def rename_widget(conn, row_id: str, plugin_id: str, new_widget_id: str) -> None:
    new_widget_id = _check_widget_id(new_widget_id)
    with conn.transaction():
        lock_plugin_names(conn, plugin_id)
        refuse_duplicate(conn, "plugin_widgets", "widget_id", plugin_id, new_widget_id, f"a widget {new_widget_id}",
                         row_id)
        update_row(conn, "plugin_widgets", row_id, {"widget_id": new_widget_id})


def update_widget_meta(conn, row_id: str, changes: dict[str, Any]) -> None:
    allowed = {"widget_id", "widget_name", "description", "category", "icon", "is_enabled", "default_config"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"unknown widget properties: {', '.join(sorted(unknown))}")
    update_row(conn, "plugin_widgets", row_id, changes)


def set_enabled(conn, table: str, row_id: str, enabled: bool) -> None:
    update_row(conn, table, row_id, {"is_enabled": bool(enabled)})


# The column each table orders its rows by, where it is not "priority".
ORDER_COLUMN = {"plugin_scripts": "load_priority", "plugin_admin_pages": "order_position",
                "plugin_admin_scripts": "load_order"}


def set_priority(conn, table: str, row_id: str, priority: int) -> None:
    column = ORDER_COLUMN.get(table, "priority")
    update_row(conn, table, row_id, {column: int(priority)})


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
        update_row(conn, "plugin_migrations", row_id, {"migration_name": new_name})


def get_event(conn, row_id: str) -> EventRow | None:
    rows = select_rows(conn, EventRow, "plugin_events", BY_ID, (row_id,))
    return rows[0] if rows else None


def known_event_names(conn) -> list[str]:
    """Every event name some plugin listens to, for the event pickers."""
    return [r[0] for r in run(conn, "SELECT DISTINCT event_name FROM plugin_events ORDER BY 1").fetchall()]
