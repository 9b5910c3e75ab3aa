"""Queries on ``plugin_admin_pages`` and ``plugin_admin_scripts``.

The production schema makes an admin page's ``route`` unique across every plugin and
(plugin_id, page_key) / (plugin_id, script_name) unique per plugin (PLATFORM.md §1.9); G5 dropped
those constraints, so our writes check them and ``admin_routes`` lets the tree flag clashes that a
platform database already holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from plugin_studio.db.errors import ValidationError
from plugin_studio.db.rows import insert_row, lock_plugin_names, refuse_duplicate, run, update_row, with_id

PAGES, SCRIPTS = "plugin_admin_pages", "plugin_admin_scripts"
KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
PAGE_EDITABLE = {"page_key", "page_name", "route", "description", "icon", "category", "order_position", "is_enabled"}
ROUTES_LOCK = "plugin_studio.admin_routes"


def check_key(key: str, what: str = "page key") -> str:
    key = key.strip()
    if not KEY.match(key) or len(key) > 255:
        raise ValidationError(f"{key!r} is not a valid {what} (letters, digits, - _ .)")
    return key


def check_route(route: str) -> str:
    route = route.strip()
    if not route.startswith("/") or any(c.isspace() for c in route) or "?" in route or len(route) > 500:
        raise ValidationError(f"{route!r} is not an admin route: a path such as /admin/plugins/my-page")
    return route


@dataclass(frozen=True)
class AdminRoute:
    """One admin page of any plugin, for clash checks."""
    id: str
    plugin_id: str
    plugin_name: str
    page_key: str
    route: str


def admin_routes(conn: psycopg.Connection) -> list[AdminRoute]:
    """Every admin page's route, of every plugin (one query)."""
    rows = run(conn, "SELECT a.id::text, a.plugin_id, coalesce(r.name, a.plugin_id), a.page_key, a.route"
                     " FROM plugin_admin_pages a LEFT JOIN plugin_registry r ON r.id::text = a.plugin_id"
                     " ORDER BY a.route, a.created_at, a.id").fetchall()
    return [AdminRoute(*row) for row in rows]


def _refuse_taken_route(conn, route: str, exclude_id: str | None) -> None:
    run(conn, "SELECT pg_advisory_xact_lock(hashtext(%s))", (ROUTES_LOCK,))
    taken = run(conn, "SELECT a.page_key, coalesce(r.name, a.plugin_id) FROM plugin_admin_pages a"
                      " LEFT JOIN plugin_registry r ON r.id::text = a.plugin_id"
                      " WHERE a.route = %s AND a.id IS DISTINCT FROM %s::uuid", (route, exclude_id)).fetchone()
    if taken:
        raise ValidationError(f"the admin route {route} is taken by {taken[1]}'s page {taken[0]}: the production "
                              "schema makes admin routes unique")


def _refuse_duplicate(conn, table: str, column: str, plugin_id: str, value: str, exclude_id: str | None) -> None:
    what = f"an admin {'page' if table == PAGES else 'script'} {value}"
    refuse_duplicate(conn, table, column, plugin_id, value, what, exclude_id)


def create_admin_page(conn: psycopg.Connection, plugin_id: str, page_key: str, page_name: str, route: str, code: str,
                      *, row_id: str | None = None, **more: Any) -> str:
    key, route = check_key(page_key), check_route(route)
    values = {"plugin_id": str(plugin_id), "page_key": key, "page_name": page_name.strip() or key, "route": route,
              "component_code": code, **{k: v for k, v in more.items() if k in PAGE_EDITABLE}}
    with conn.transaction():
        lock_plugin_names(conn, str(plugin_id))
        _refuse_duplicate(conn, PAGES, "page_key", str(plugin_id), key, row_id)
        _refuse_taken_route(conn, route, row_id)
        return insert_row(conn, PAGES, with_id(row_id, values))


def update_admin_page(conn: psycopg.Connection, row_id: str, plugin_id: str, changes: dict[str, Any]) -> None:
    unknown = set(changes) - PAGE_EDITABLE
    if unknown:
        raise ValidationError(f"unknown admin page properties: {', '.join(sorted(unknown))}")
    changes = dict(changes)
    with conn.transaction():
        if "page_key" in changes:
            changes["page_key"] = check_key(changes["page_key"])
            lock_plugin_names(conn, str(plugin_id))
            _refuse_duplicate(conn, PAGES, "page_key", str(plugin_id), changes["page_key"], row_id)
        if "route" in changes:
            changes["route"] = check_route(changes["route"])
            _refuse_taken_route(conn, changes["route"], row_id)
        update_row(conn, PAGES, row_id, changes)


def create_admin_script(conn: psycopg.Connection, plugin_id: str, script_name: str, code: str, *,
                        load_order: int = 100, row_id: str | None = None, **more: Any) -> str:
    name = check_key(script_name, "script name")
    values = {"plugin_id": str(plugin_id), "script_name": name, "script_code": code, "load_order": int(load_order),
              **{k: v for k, v in more.items() if k in ("description", "is_enabled")}}
    with conn.transaction():
        lock_plugin_names(conn, str(plugin_id))
        _refuse_duplicate(conn, SCRIPTS, "script_name", str(plugin_id), name, row_id)
        return insert_row(conn, SCRIPTS, with_id(row_id, values))


def rename_admin_script(conn: psycopg.Connection, row_id: str, plugin_id: str, new_name: str) -> None:
    name = check_key(new_name, "script name")
    with conn.transaction():
        lock_plugin_names(conn, str(plugin_id))
        _refuse_duplicate(conn, SCRIPTS, "script_name", str(plugin_id), name, row_id)
        update_row(conn, SCRIPTS, row_id, {"script_name": name})
