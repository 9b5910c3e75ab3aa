"""Queries on ``plugin_registry``: listing, finding, creating with unique name/slug, editing."""
from __future__ import annotations

import uuid
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.names import slugify
from plugin_studio.db.records import Plugin
from plugin_studio.db.rows import run, select_one, select_rows
from plugin_studio.db.schema import PLUGIN_CHILD_TABLES

TABLE = "plugin_registry"
JSON_COLUMNS = {"manifest", "permissions", "dependencies", "tags"}
EDITABLE_COLUMNS = {
    "name", "slug", "version", "description", "type", "category", "author", "status", "framework",
    "manifest", "permissions", "dependencies", "tags", "creator_id", "is_installed", "is_enabled",
    "is_public",
}

# What the platform's editor writes for a new plugin (POST /registry, PLATFORM.md appendix), stated
# rather than left to column defaults: the platform's own defaults are 'inactive', not enabled, and
# version has none.
CREATED_AS = {"version": "1.0.0", "status": "active", "is_installed": True, "is_enabled": True}


def list_plugins(conn: psycopg.Connection) -> list[Plugin]:
    return select_rows(conn, Plugin, TABLE, "is_starter_template IS NOT TRUE", (), "lower(name), id")


def get_plugin(conn: psycopg.Connection, plugin_id: str) -> Plugin:
    plugin = select_one(conn, Plugin, TABLE, plugin_id)
    if plugin is None:
        raise NotFound(f"no plugin with id {plugin_id}")
    return plugin


def find_plugin(conn: psycopg.Connection, ref: str) -> Plugin:
    """A plugin by id, slug or name (in that order of preference); names are case-insensitive."""
    rows = _find_rows(conn, ref)
    if not rows:
        raise NotFound(f"no plugin with id, slug or name {ref!r}")
    return rows[0]


def _find_rows(conn: psycopg.Connection, ref: str) -> list[Plugin]:
    for where in ("id::text = %s", "slug = %s", "lower(name) = lower(%s)"):
        rows = select_rows(conn, Plugin, TABLE, where, (ref,), "created_at")
        if rows:
            return rows
    return []


def unique_name_and_slug(conn: psycopg.Connection, name: str, slug: str, exclude_id: str | None = None) -> tuple[str, str]:
    """The platform's way: ``Name (2)`` / ``slug-2``, counting from the original; a clash on either bumps both."""
    taken = run(
        conn,
        "SELECT lower(name), slug FROM plugin_registry WHERE id::text IS DISTINCT FROM %s",
        (exclude_id,),
    ).fetchall()
    names = {r[0] for r in taken}
    slugs = {r[1] for r in taken}
    n = 1
    while True:
        candidate = (name, slug) if n == 1 else (f"{name} ({n})", f"{slug}-{n}")
        if candidate[0].lower() not in names and candidate[1] not in slugs:
            return candidate
        n += 1


def create_plugin(conn: psycopg.Connection, name: str, *, slug: str | None = None, **props: Any) -> Plugin:
    """Insert a plugin; name and slug are made unique. Call inside the caller's transaction if any."""
    name = name.strip()
    if not name:
        raise ValidationError("a plugin needs a name")
    with conn.transaction():
        run(conn, "SELECT pg_advisory_xact_lock(hashtext('plugin_studio.plugin_names'))")
        name, slug = unique_name_and_slug(conn, name, slug or slugify(name))
        values = {"id": props.pop("id", None) or str(uuid.uuid4()), "name": name, "slug": slug, **CREATED_AS}
        values.update(_checked(props))
        _insert(conn, values)
    return get_plugin(conn, values["id"])


def _insert(conn: psycopg.Connection, values: dict[str, Any]) -> None:
    columns = list(values)
    query = sql.SQL("INSERT INTO plugin_registry ({}) VALUES ({})").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.SQL(", ").join(sql.Placeholder() * len(columns))
    )
    run(conn, query, [_adapt(c, values[c]) for c in columns])


def _checked(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - EDITABLE_COLUMNS - {"is_starter_template"}
    if unknown:
        raise ValidationError(f"unknown plugin properties: {', '.join(sorted(unknown))}")
    if "status" in changes and changes["status"] not in ("active", "inactive"):
        raise ValidationError("status must be 'active' or 'inactive'")
    return changes


def _adapt(column: str, value: Any) -> Any:
    return Jsonb(value) if column in JSON_COLUMNS else value


def update_plugin(conn: psycopg.Connection, plugin_id: str, changes: dict[str, Any]) -> Plugin:
    """Change plugin properties; a name or slug already used by another plugin is refused."""
    changes = _checked(dict(changes))
    if not changes:
        return get_plugin(conn, plugin_id)
    with conn.transaction():
        run(conn, "SELECT pg_advisory_xact_lock(hashtext('plugin_studio.plugin_names'))")
        _refuse_duplicate_identity(conn, plugin_id, changes)
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder()) for c in changes
        )
        query = sql.SQL("UPDATE plugin_registry SET {}, updated_at = now() WHERE id = %s::uuid").format(assignments)
        cur = run(conn, query, [*(_adapt(c, v) for c, v in changes.items()), plugin_id])
        if cur.rowcount == 0:
            raise NotFound(f"no plugin with id {plugin_id}")
    return get_plugin(conn, plugin_id)


def _refuse_duplicate_identity(conn: psycopg.Connection, plugin_id: str, changes: dict[str, Any]) -> None:
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError("a plugin needs a name")
    for column, label in (("name", "name"), ("slug", "slug")):
        if column not in changes:
            continue
        clash = run(
            conn,
            sql.SQL("SELECT 1 FROM plugin_registry WHERE lower({c}) = lower(%s) AND id::text <> %s").format(
                c=sql.Identifier(column)
            ),
            (changes[column], plugin_id),
        ).fetchone()
        if clash:
            raise ValidationError(f"another plugin already has the {label} {changes[column]!r}")


def delete_plugin(conn: psycopg.Connection, plugin_id: str) -> None:
    """Delete a plugin and its rows in every plugin table this database has, in one transaction.

    Most of the platform's plugin tables key rows by a varchar ``plugin_id`` without a foreign key,
    so nothing in the database cascades (PLATFORM.md §1.10) and the platform's own delete leaves
    orphans. The IDE deletes the children itself rather than by a trigger, so the platform's own
    delete keeps behaving as it always did. Raises NotFound.
    """
    with conn.transaction():
        if run(conn, "SELECT 1 FROM plugin_registry WHERE id = %s::uuid FOR UPDATE", (plugin_id,)).fetchone() is None:
            raise NotFound(f"no plugin with id {plugin_id}")
        for table, data_type in _child_tables(conn):
            where = "plugin_id = %s::uuid" if data_type == "uuid" else "plugin_id = %s"
            run(conn, sql.SQL("DELETE FROM {} WHERE " + where).format(sql.Identifier(table)), (plugin_id,))
        run(conn, "DELETE FROM plugin_registry WHERE id = %s::uuid", (plugin_id,))


def _child_tables(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """(table, type of its plugin_id) for each of the platform's per-plugin tables present here."""
    rows = run(conn, "SELECT table_name, data_type FROM information_schema.columns WHERE table_schema ="
                     " current_schema() AND column_name = 'plugin_id' AND table_name = ANY(%s)",
               (list(PLUGIN_CHILD_TABLES),)).fetchall()
    types = dict(rows)
    return [(t, types[t]) for t in PLUGIN_CHILD_TABLES if t in types]


def update_plugin_checked(conn: psycopg.Connection, loaded: Plugin, changes: dict[str, Any]) -> Plugin:
    """Like update_plugin, but refused (ConflictError) when another client changed a property being edited."""
    from plugin_studio.db.errors import ConflictError

    with conn.transaction():
        run(conn, "SELECT 1 FROM plugin_registry WHERE id = %s::uuid FOR UPDATE", (loaded.id,))
        current = select_one(conn, Plugin, TABLE, loaded.id)
        if current is None:
            raise ConflictError(TABLE, loaded.id, None)
        moved = [c for c in changes if getattr(current, c) != getattr(loaded, c)]
        if moved:
            raise ConflictError(TABLE, loaded.id, ", ".join(f"{c} is now {getattr(current, c)!r}" for c in moved))
        return update_plugin(conn, loaded.id, changes)
