"""Queries on ``plugin_data`` (key → JSON value) and ``plugin_dependencies`` (npm bundles)."""
from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.ids import ids_for
from plugin_studio.db.records import DataRow, DependencyRow
from plugin_studio.db.rows import run, select_rows


def list_data(conn: psycopg.Connection, plugin_id: str) -> list[DataRow]:
    return select_rows(conn, DataRow, "plugin_data", "plugin_id = %s", (plugin_id,), "data_key")


def get_value(conn: psycopg.Connection, plugin_id: str, key: str) -> Any:
    """The key's value (None when absent). The platform's table has no unique key, so of several rows
    for one key the latest written is the one read."""
    row = run(conn, "SELECT data_value FROM plugin_data WHERE plugin_id = %s AND data_key = %s"
                    " ORDER BY updated_at DESC NULLS LAST, created_at DESC NULLS LAST LIMIT 1",
              (plugin_id, key)).fetchone()
    return None if row is None else row[0]


def set_value(conn: psycopg.Connection, plugin_id: str, key: str, value: Any) -> None:
    """Insert or replace the key's value.

    An update, then an insert when no row was updated: the platform's table has no unique
    constraint for ON CONFLICT (PLATFORM.md §1.6). An advisory lock per (plugin, key), held until
    commit, keeps two Plugin Studio writers from both inserting. Raises ValidationError.
    """
    if not key or not key.strip():
        raise ValidationError("a data key cannot be empty")
    with conn.transaction():
        _lock_key(conn, "plugin_data", plugin_id, key)
        updated = run(conn, "UPDATE plugin_data SET data_value = %s, updated_at = now()"
                            " WHERE plugin_id = %s AND data_key = %s", (Jsonb(value), plugin_id, key)).rowcount
        if not updated:
            run(conn, "INSERT INTO plugin_data (plugin_id, data_key, data_value) VALUES (%s, %s, %s)",
                (plugin_id, key, Jsonb(value)))


def _lock_key(conn: psycopg.Connection, table: str, plugin_id: str, key: str) -> None:
    run(conn, "SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", (table, f"{plugin_id}/{key}"))


def delete_value(conn: psycopg.Connection, plugin_id: str, key: str) -> bool:
    with conn.transaction():
        cur = run(conn, "DELETE FROM plugin_data WHERE plugin_id = %s AND data_key = %s", (plugin_id, key))
        return cur.rowcount > 0


def list_dependencies(conn: psycopg.Connection, plugin_id: str) -> list[DependencyRow]:
    return select_rows(conn, DependencyRow, "plugin_dependencies", "plugin_id = %s", (plugin_id,), "package_name")


def upsert_dependency(conn: psycopg.Connection, plugin_id: str, package_name: str, version: str,
                      bundled_code: str | None) -> None:
    """Insert or replace a dependency, without relying on a unique constraint or an id default
    (the platform's table has neither: PLATFORM.md §1.7). A missing bundle is stored as '' where the
    platform's ``bundled_code`` is NOT NULL. Raises ValidationError."""
    package_name = package_name.strip()
    if not package_name:
        raise ValidationError("a dependency needs a package name")
    values = (version or "latest", bundled_code or "")
    with conn.transaction():
        _lock_key(conn, "plugin_dependencies", plugin_id, package_name)
        updated = run(conn, "UPDATE plugin_dependencies SET version = %s, bundled_code = %s, updated_at = now()"
                            " WHERE plugin_id = %s AND package_name = %s", (*values, plugin_id, package_name)).rowcount
        if not updated:
            insert_dependencies(conn, plugin_id, [(package_name, *values)])


def insert_dependencies(conn: psycopg.Connection, plugin_id: str, rows: list[tuple[str, str, str]]) -> None:
    """Insert (package_name, version, bundled_code) rows, naming ids where the table has no default."""
    with conn.transaction():
        ids = ids_for(conn, "plugin_dependencies", len(rows))
        columns = "plugin_id, package_name, version, bundled_code" + (", id" if ids else "")
        params = [(plugin_id, *row, *([ids[n]] if ids else [])) for n, row in enumerate(rows)]
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO plugin_dependencies ({columns}) VALUES"
                            f" ({', '.join(['%s'] * len(params[0]))})", params)


def delete_dependency(conn: psycopg.Connection, plugin_id: str, package_name: str) -> None:
    with conn.transaction():
        cur = run(conn, "DELETE FROM plugin_dependencies WHERE plugin_id = %s AND package_name = %s",
                  (plugin_id, package_name))
        if cur.rowcount == 0:
            raise NotFound(f"no dependency {package_name}")


def set_value_checked(conn: psycopg.Connection, plugin_id: str, key: str, value: Any, expected: Any,
                      existed: bool) -> None:
    """Write a value unless another client changed (or created/deleted) it since it was shown."""
    from plugin_studio.db.errors import ConflictError

    with conn.transaction():
        _lock_key(conn, "plugin_data", plugin_id, key)
        row = run(conn, "SELECT data_value FROM plugin_data WHERE plugin_id = %s AND data_key = %s"
                        " ORDER BY updated_at DESC NULLS LAST, created_at DESC NULLS LAST LIMIT 1",
                  (plugin_id, key)).fetchone()
        if (row is not None) != existed or (row is not None and row[0] != expected):
            raise ConflictError("plugin_data", key, None if row is None else repr(row[0]))
        set_value(conn, plugin_id, key, value)
