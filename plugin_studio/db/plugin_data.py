"""Queries on ``plugin_data`` (key → JSON value) and ``plugin_dependencies`` (npm bundles)."""
from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.records import DataRow, DependencyRow
from plugin_studio.db.rows import run, select_rows


def list_data(conn: psycopg.Connection, plugin_id: str) -> list[DataRow]:
    return select_rows(conn, DataRow, "plugin_data", "plugin_id = %s", (plugin_id,), "data_key")


def get_value(conn: psycopg.Connection, plugin_id: str, key: str) -> Any:
    row = run(conn, "SELECT data_value FROM plugin_data WHERE plugin_id = %s AND data_key = %s",
              (plugin_id, key)).fetchone()
    return None if row is None else row[0]


def set_value(conn: psycopg.Connection, plugin_id: str, key: str, value: Any) -> None:
    if not key or not key.strip():
        raise ValidationError("a data key cannot be empty")
    with conn.transaction():
        run(conn, "INSERT INTO plugin_data (plugin_id, data_key, data_value) VALUES (%s, %s, %s)"
                  " ON CONFLICT (plugin_id, data_key) DO UPDATE SET data_value = EXCLUDED.data_value,"
                  " updated_at = now()", (plugin_id, key, Jsonb(value)))


def delete_value(conn: psycopg.Connection, plugin_id: str, key: str) -> bool:
    with conn.transaction():
        cur = run(conn, "DELETE FROM plugin_data WHERE plugin_id = %s AND data_key = %s", (plugin_id, key))
        return cur.rowcount == 1


def list_dependencies(conn: psycopg.Connection, plugin_id: str) -> list[DependencyRow]:
    return select_rows(conn, DependencyRow, "plugin_dependencies", "plugin_id = %s", (plugin_id,), "package_name")


def upsert_dependency(conn: psycopg.Connection, plugin_id: str, package_name: str, version: str,
                      bundled_code: str | None) -> None:
    if not package_name.strip():
        raise ValidationError("a dependency needs a package name")
    with conn.transaction():
        run(conn, "INSERT INTO plugin_dependencies (plugin_id, package_name, version, bundled_code)"
                  " VALUES (%s, %s, %s, %s) ON CONFLICT (plugin_id, package_name) DO UPDATE SET"
                  " version = EXCLUDED.version, bundled_code = EXCLUDED.bundled_code, updated_at = now()",
            (plugin_id, package_name.strip(), version or "latest", bundled_code))


def delete_dependency(conn: psycopg.Connection, plugin_id: str, package_name: str) -> None:
    with conn.transaction():
        cur = run(conn, "DELETE FROM plugin_dependencies WHERE plugin_id = %s AND package_name = %s",
                  (plugin_id, package_name))
        if cur.rowcount != 1:
            raise NotFound(f"no dependency {package_name}")


def set_value_checked(conn: psycopg.Connection, plugin_id: str, key: str, value: Any, expected: Any,
                      existed: bool) -> None:
    """Write a value unless another client changed (or created/deleted) it since it was shown."""
    from plugin_studio.db.errors import ConflictError

    with conn.transaction():
        row = run(conn, "SELECT data_value FROM plugin_data WHERE plugin_id = %s AND data_key = %s FOR UPDATE",
                  (plugin_id, key)).fetchone()
        if (row is not None) != existed or (row is not None and row[0] != expected):
            raise ConflictError("plugin_data", key, None if row is None else repr(row[0]))
        set_value(conn, plugin_id, key, value)
