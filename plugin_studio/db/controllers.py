"""Queries on ``plugin_controllers``: creating, renaming and re-routing a controller.

The platform keeps no unique constraint on (plugin, method, path) in G5; our writes refuse a
second controller of one name, and leave route clashes to be flagged (``models.routes``), since a
platform database may already hold them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg

from plugin_studio.db.errors import ValidationError
from plugin_studio.db.records import CONTROLLER_METHODS, ControllerRow, Plugin
from plugin_studio.db.rows import (
    BY_ID, insert_row, lock_plugin_names, refuse_duplicate, run, select_rows, update_row, with_id,
)

if TYPE_CHECKING:
    from plugin_studio.db.runtime import PluginModules

TABLE = "plugin_controllers"
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
METHODS = CONTROLLER_METHODS
EDITABLE = {"controller_name", "description", "method", "path", "requires_auth", "allowed_roles", "rate_limit",
            "is_enabled", "request_schema", "response_schema"}


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name) or len(name) > 255:
        raise ValidationError(f"{name!r} is not a valid controller name (letters, digits, - _ .)")
    return name


def check_method(method: str) -> str:
    method = method.strip().upper()
    if method not in METHODS:
        raise ValidationError(f"the method is one of {', '.join(METHODS)}, not {method!r}")
    return method


def route_path_problem(path: str) -> str | None:
    """Why ``path`` can't be a controller route, or None. Routes start with ``/``; ``:name`` names a parameter."""
    if not path.startswith("/"):
        return "a route starts with / (e.g. /visits/:id)"
    if any(c.isspace() for c in path) or "?" in path or "#" in path:
        return "a route has no spaces, ? or #: the query string is not part of it"
    for part in (p for p in path.split("/") if p):
        if part.startswith(":") and (len(part) == 1 or not part[1:].replace("_", "a").isalnum()):
            return f"{part!r} is not a parameter name: write :name with letters, digits and _"
    return None


def check_path(path: str) -> str:
    path = path.strip()
    problem = route_path_problem(path)
    if problem:
        raise ValidationError(f"{path!r}: {problem}")
    return path


def controllers_of(conn: psycopg.Connection, plugin_id: str) -> list[ControllerRow]:
    """Every controller of the plugin, in the order the platform's query would most likely meet them."""
    return select_rows(conn, ControllerRow, TABLE, "plugin_id = %s::uuid", (plugin_id,), "created_at, id")


def create_controller(conn: psycopg.Connection, plugin_id: str, controller_name: str, method: str, path: str,
                      code: str, *, description: str | None = None, requires_auth: bool = False,
                      enabled: bool = True, row_id: str | None = None, **more: Any) -> str:
    name = check_name(controller_name)
    values = {"plugin_id": plugin_id, "controller_name": name, "method": check_method(method), "path": check_path(path),
              "handler_code": code, "description": description, "requires_auth": bool(requires_auth),
              "is_enabled": bool(enabled), **{k: v for k, v in more.items() if k in EDITABLE}}
    with conn.transaction():
        lock_plugin_names(conn, plugin_id)
        refuse_duplicate(conn, TABLE, "controller_name", plugin_id, name, f"a controller {name}")
        return insert_row(conn, TABLE, with_id(row_id, values))


def update_controller(conn: psycopg.Connection, row_id: str, plugin_id: str, changes: dict[str, Any]) -> None:
    """Change a controller's name, method, path, auth flag, description (the code is saved as a file)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(f"unknown controller properties: {', '.join(sorted(unknown))}")
    changes = dict(changes)
    if "method" in changes:
        changes["method"] = check_method(changes["method"])
    if "path" in changes:
        changes["path"] = check_path(changes["path"])
    with conn.transaction():
        if "controller_name" in changes:
            changes["controller_name"] = check_name(changes["controller_name"])
            lock_plugin_names(conn, plugin_id)
            refuse_duplicate(conn, TABLE, "controller_name", plugin_id, changes["controller_name"],
                             f"a controller {changes['controller_name']}", row_id)
        update_row(conn, TABLE, row_id, changes)


def get_controller(conn: psycopg.Connection, row_id: str) -> ControllerRow | None:
    rows = select_rows(conn, ControllerRow, TABLE, BY_ID, (row_id,))
    return rows[0] if rows else None


@dataclass
class RequestContext:
    """What answering a request to one plugin needs: the plugin, its controllers, its modules for require."""
    plugin: Plugin
    controllers: list[ControllerRow]
    modules: "PluginModules"


def request_context(conn: psycopg.Connection, plugin_id: str) -> RequestContext:
    from plugin_studio.db.plugins import get_plugin
    from plugin_studio.db.runtime import load_modules

    return RequestContext(get_plugin(conn, plugin_id), controllers_of(conn, plugin_id),
                          load_modules(conn, [plugin_id])[plugin_id])
