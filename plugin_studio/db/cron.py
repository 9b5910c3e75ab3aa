"""Queries on ``plugin_cron``: creating a job and changing its schedule and settings.

G5 keeps a unique index on (plugin_id, cron_name); our writes check first so the user reads which
name is taken rather than a constraint's name. The schedule itself is checked by the caller
(``models.cron_schedule``), which knows cron; this module only stores it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg

from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.records import CronRow, Plugin
from plugin_studio.db.rows import (
    BY_ID, insert_row, lock_plugin_names, refuse_duplicate, run, select_rows, update_row, with_id,
)

if TYPE_CHECKING:
    from plugin_studio.db.runtime import PluginModules

TABLE = "plugin_cron"
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
EDITABLE = {"cron_name", "description", "cron_schedule", "timezone", "handler_method", "handler_params",
            "is_enabled", "priority", "max_runs", "max_failures", "timeout_seconds"}


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name) or len(name) > 255:
        raise ValidationError(f"{name!r} is not a valid cron job name (letters, digits, - _ .)")
    return name


def get_cron(conn: psycopg.Connection, row_id: str) -> CronRow | None:
    rows = select_rows(conn, CronRow, TABLE, BY_ID, (row_id,))
    return rows[0] if rows else None


def find_cron(conn: psycopg.Connection, plugin_id: str, cron_name: str) -> CronRow | None:
    rows = select_rows(conn, CronRow, TABLE, "plugin_id = %s::uuid AND cron_name = %s", (plugin_id, cron_name),
                       "created_at")
    return rows[0] if rows else None


def create_cron(conn: psycopg.Connection, plugin_id: str, cron_name: str, schedule: str, handler_method: str,
                code: str, *, timezone: str = "UTC", handler_params: Any = None, timeout_seconds: int = 300,
                description: str | None = None, enabled: bool = True, row_id: str | None = None,
                **more: Any) -> str:
    name = check_name(cron_name)
    values = {"plugin_id": plugin_id, "cron_name": name, "cron_schedule": schedule, "timezone": timezone,
              "handler_method": handler_method.strip() or name, "handler_code": code,
              "handler_params": handler_params if handler_params is not None else {},
              "timeout_seconds": int(timeout_seconds), "description": description, "is_enabled": bool(enabled),
              **{k: v for k, v in more.items() if k in EDITABLE}}
    with conn.transaction():
        lock_plugin_names(conn, plugin_id)
        refuse_duplicate(conn, TABLE, "cron_name", plugin_id, name, f"a cron job {name}")
        return insert_row(conn, TABLE, with_id(row_id, values))


def update_cron(conn: psycopg.Connection, row_id: str, plugin_id: str, changes: dict[str, Any]) -> None:
    """Change a job's settings (schedule, timezone, params, timeout...); its code is saved as a file."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(f"unknown cron job properties: {', '.join(sorted(unknown))}")
    changes = dict(changes)
    with conn.transaction():
        if "cron_name" in changes:
            changes["cron_name"] = check_name(changes["cron_name"])
            lock_plugin_names(conn, plugin_id)
            refuse_duplicate(conn, TABLE, "cron_name", plugin_id, changes["cron_name"],
                             f"a cron job {changes['cron_name']}", row_id)
        update_row(conn, TABLE, row_id, changes)


@dataclass
class CronContext:
    """What running one job needs: the plugin, the job as stored now, the plugin's modules for require."""
    plugin: Plugin
    job: CronRow
    modules: "PluginModules"


def cron_context(conn: psycopg.Connection, row_id: str) -> CronContext:
    """NotFound when the job (or its plugin) is gone."""
    from plugin_studio.db.plugins import get_plugin
    from plugin_studio.db.runtime import load_modules

    job = get_cron(conn, row_id)
    if job is None:
        raise NotFound(f"plugin_cron row {row_id} no longer exists")
    return CronContext(get_plugin(conn, job.plugin_id), job, load_modules(conn, [job.plugin_id])[job.plugin_id])
