"""Queries on a plugin's version history in the platform's tables (``plugin_version_history``,
``_snapshots``, ``_patches``, ``_tags``; PLATFORM.md §1.9, appendix).

Only reading and writing rows: the rules (version numbers, snapshot or patch, the patches and their
statistics, rebuilding a state) are ``models.history``, and ``services.history`` composes the two.
JSON is read and written with its numbers exact (``db.jsonb``). Where the database has no history
tables (``db init`` creates them), ``history_available`` is False and nothing else here is called.
"""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from plugin_studio.db import exact_json
from plugin_studio.db.errors import NotFound
from plugin_studio.db.jsonb import exact_jsonb
from plugin_studio.db.history_records import (
    COMPONENT_TABLES, HISTORY_TABLES, PLATFORM_COMPONENTS, SNAPSHOT_COLUMNS, STUDIO_COMPONENTS, NewVersion, Patch,
    Version,
)
from plugin_studio.db.rows import run

def history_available(conn: psycopg.Connection) -> bool:
    """Whether this database has the version tables (the platform's have them; ``db init`` adds them)."""
    row = run(conn, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(%s)",
              (list(HISTORY_TABLES),)).fetchone()
    return row[0] == len(HISTORY_TABLES)


def components(conn: psycopg.Connection) -> tuple[str, ...]:
    """The component types this database can hold: the platform's, then ours whose table exists."""
    tables = {r[0] for r in run(conn, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                                      " AND tablename = ANY(%s)", (list(COMPONENT_TABLES.values()),)).fetchall()}
    return tuple(c for c in PLATFORM_COMPONENTS + STUDIO_COMPONENTS if COMPONENT_TABLES[c] in tables)


def lock_plugin_history(conn: psycopg.Connection, plugin_id: str) -> None:
    """One history writer per plugin until the transaction ends, so two saves cannot take the same parent."""
    run(conn, "SELECT pg_advisory_xact_lock(hashtext('plugin_studio.history:' || %s))", (plugin_id,))


# ---- reading ----------------------------------------------------------------------------------
_VERSION_COLUMNS = [f.name for f in fields(Version) if f.name != "tags"]
_VERSION_SELECT = ", ".join(
    f"v.{c}::text AS {c}" if c in ("id", "plugin_id", "parent_version_id", "created_by") else
    (f"coalesce(v.{c}, false) AS {c}" if c in ("is_current", "is_published") else
     f"coalesce(v.{c}, 0) AS {c}" if c in ("snapshot_distance", "files_changed", "lines_added", "lines_deleted")
     else f"v.{c}")
    for c in _VERSION_COLUMNS)
_TAGS = ("coalesce((SELECT array_agg(t.tag_name ORDER BY t.created_at, t.tag_name) FROM plugin_version_tags t"
         " WHERE t.version_id = v.id), '{}') AS tags")


def _select(conn: psycopg.Connection, where: str, params: Any) -> list[Version]:
    with conn.cursor(row_factory=class_row(Version)) as cur:
        rows = cur.execute(f"SELECT {_VERSION_SELECT}, {_TAGS} FROM plugin_version_history v WHERE {where}",
                           params).fetchall()
    return [replace(v, tags=tuple(v.tags)) for v in rows]


def current_version(conn: psycopg.Connection, plugin_id: str) -> Version | None:
    """The plugin's current version (the newest, should another client have left two current)."""
    found = _select(conn, "v.plugin_id::text = %s AND v.is_current ORDER BY v.created_at DESC, v.id DESC LIMIT 1",
                    (plugin_id,))
    return found[0] if found else None


def get_version(conn: psycopg.Connection, version_id: str) -> Version:
    found = _select(conn, "v.id::text = %s", (version_id,))
    if not found:
        raise NotFound(f"no version with id {version_id}")
    return found[0]


def list_versions(conn: psycopg.Connection, plugin_id: str) -> list[Version]:
    """Every version of the plugin, newest first (as the platform lists them), each with its tags."""
    return _select(conn, "v.plugin_id::text = %s ORDER BY v.created_at DESC, v.id DESC", (plugin_id,))


def find_version(conn: psycopg.Connection, plugin_id: str, ref: str) -> Version:
    """A version by id, number (``1.0.3``) or tag name; NotFound otherwise."""
    found = _select(conn, "v.plugin_id::text = %s AND (v.id::text = %s OR v.version_number = %s)"
                          " ORDER BY v.created_at DESC LIMIT 1", (plugin_id, ref, ref))
    if not found:
        found = _select(conn, "v.id = (SELECT t.version_id FROM plugin_version_tags t WHERE t.plugin_id::text = %s"
                              " AND t.tag_name = %s ORDER BY t.created_at DESC LIMIT 1)", (plugin_id, ref))
    if not found:
        raise NotFound(f"this plugin has no version, version number or tag {ref!r}")
    return found[0]


def read_state(conn: psycopg.Connection, plugin_id: str, comps: tuple[str, ...]) -> dict[str, Any]:
    """The plugin's state now: ``{registry: row, hooks: [rows], ...}``, every column, rows in the order
    the server returns them (as the platform's ``select('*')`` without an order), timestamps in UTC."""
    parts = [sql.SQL("{}, (SELECT to_json(r) FROM plugin_registry r WHERE r.id::text = %(p)s)").format(
        sql.Literal("registry"))] if "registry" in comps else []
    parts += [sql.SQL("{}, (SELECT coalesce(json_agg(t ORDER BY t.created_at, t.id), '[]'::json) FROM {} t"
                      " WHERE t.plugin_id::text = %(p)s)").format(sql.Literal(c), sql.Identifier(COMPONENT_TABLES[c]))
              for c in comps if c != "registry"]
    query = sql.SQL("SELECT json_build_object({})::text").format(sql.SQL(", ").join(parts))
    previous = run(conn, "SELECT current_setting('TimeZone')").fetchone()[0]
    run(conn, "SELECT set_config('TimeZone', 'UTC', true)")
    try:
        text = run(conn, query, {"p": plugin_id}).fetchone()[0]
    finally:
        run(conn, "SELECT set_config('TimeZone', %s, true)", (previous,))
    return exact_json.loads(text)


def chain_to_snapshot(conn: psycopg.Connection, version_id: str) -> list[tuple[str, str]]:
    """(id, type) from the version back through its parents to the nearest snapshot (included), newest
    first; the chain ends early where a parent is missing (plugin-version-api.js ``reconstructPluginState``)."""
    rows = run(conn, """
        WITH RECURSIVE chain AS (
            SELECT id, parent_version_id, version_type, 0 AS depth FROM plugin_version_history WHERE id::text = %s
            UNION ALL
            SELECT v.id, v.parent_version_id, v.version_type, c.depth + 1
            FROM plugin_version_history v JOIN chain c ON v.id = c.parent_version_id
            WHERE c.version_type IS DISTINCT FROM 'snapshot' AND c.depth < 100000)
        SELECT id::text, version_type FROM chain ORDER BY depth""", (version_id,)).fetchall()
    return [(r[0], r[1]) for r in rows]


def snapshot_data(conn: psycopg.Connection, version_id: str) -> dict[str, Any] | None:
    row = run(conn, "SELECT snapshot_data::text FROM plugin_version_snapshots WHERE version_id::text = %s"
                    " ORDER BY created_at DESC LIMIT 1", (version_id,)).fetchone()
    if row is None or row[0] is None:
        return None
    data = exact_json.loads(row[0])
    return data if isinstance(data, dict) else None


def patches_of(conn: psycopg.Connection, version_ids: list[str]) -> dict[str, list[Patch]]:
    """Each version's patches, in the order they were written."""
    if not version_ids:
        return {}
    rows = run(conn, "SELECT version_id::text, component_type, patch_operations::text FROM plugin_version_patches"
                     " WHERE version_id::text = ANY(%s) ORDER BY created_at, id", (version_ids,)).fetchall()
    found: dict[str, list[Patch]] = {}
    for version_id, component, operations in rows:
        found.setdefault(version_id, []).append((component, exact_json.loads(operations) if operations else []))
    return found


# ---- writing ------------------------------------------------------------------------------------
def insert_version(conn: psycopg.Connection, plugin_id: str, new: NewVersion) -> Version:
    """The current version unmarked and ``new`` inserted as the one current version (as the platform's
    ``POST /versions`` and its trigger ``ensure_single_current_version``)."""
    run(conn, "UPDATE plugin_version_history SET is_current = false WHERE plugin_id::text = %s AND is_current",
        (plugin_id,))
    files, added, deleted = new.stats
    with conn.cursor(row_factory=class_row(Version)) as cur:
        version = cur.execute(
            "INSERT INTO plugin_version_history AS v (plugin_id, version_number, version_type, parent_version_id,"
            " commit_message, created_by, created_by_name, is_current, is_published, files_changed, lines_added,"
            " lines_deleted, snapshot_distance, created_at)"
            " VALUES (%s, %s, %s, %s::uuid, %s, %s::uuid, %s, true, %s, %s, %s, %s, %s, clock_timestamp())"
            f" RETURNING {_VERSION_SELECT}, '{{}}'::text[] AS tags",
            (plugin_id, new.version_number, "snapshot" if new.snapshot else "patch", new.parent_id, new.message,
             new.author.id, new.author.name, new.published, files, added, deleted,
             new.snapshot_distance)).fetchone()
    return replace(version, tags=())


def insert_snapshot(conn: psycopg.Connection, version_id: str, plugin_id: str, state: dict[str, Any]) -> None:
    """The whole state, and each component in its own column, as the platform's ``createSnapshot``."""
    registry = state.get("registry")
    columns = {c: state.get(c) or [] for c in SNAPSHOT_COLUMNS if c in state or c in PLATFORM_COMPONENTS}
    values = {"version_id": version_id, "plugin_id": plugin_id, "snapshot_data": exact_jsonb(state),
              **{c: exact_jsonb(v) for c, v in columns.items()},
              "manifest": exact_jsonb(registry.get("manifest") if isinstance(registry, dict) else None),
              "registry": exact_jsonb(registry)}
    query = sql.SQL("INSERT INTO plugin_version_snapshots ({}) VALUES ({})").format(
        sql.SQL(", ").join(map(sql.Identifier, values)), sql.SQL(", ").join(sql.Placeholder() * len(values)))
    run(conn, query, list(values.values()))


def insert_patches(conn: psycopg.Connection, version_id: str, plugin_id: str, patches: list[Patch]) -> None:
    """One row per changed component, as the platform's ``storePatches``."""
    if not patches:
        return
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO plugin_version_patches (version_id, plugin_id, component_type, patch_operations,"
            " operations_count, created_at) VALUES (%s, %s, %s, %s, %s, clock_timestamp())",
            [(version_id, plugin_id, component, exact_jsonb(operations), len(operations))
             for component, operations in patches])


def add_tag(conn: psycopg.Connection, version: Version, tag_name: str, *, author: Author,
            tag_type: str = "custom", description: str | None = None) -> None:
    """Tag a version; a tag name is the plugin's once (the platform upserts on (plugin_id, tag_name),
    which its tables have no unique constraint for: here an update, else an insert, under a lock)."""
    with conn.transaction():
        run(conn, "SELECT pg_advisory_xact_lock(hashtext('plugin_studio.tags:' || %s))", (version.plugin_id,))
        updated = run(conn, "UPDATE plugin_version_tags SET version_id = %s::uuid, tag_type = %s, description = %s,"
                            " created_by = %s::uuid, created_by_name = %s"
                            " WHERE plugin_id::text = %s AND tag_name = %s",
                      (version.id, tag_type, description, author.id, author.name, version.plugin_id,
                       tag_name)).rowcount
        if not updated:
            run(conn, "INSERT INTO plugin_version_tags (version_id, plugin_id, tag_name, tag_type, description,"
                      " created_by, created_by_name) VALUES (%s, %s, %s, %s, %s, %s::uuid, %s)",
                (version.id, version.plugin_id, tag_name, tag_type, description, author.id, author.name))


def remove_tag(conn: psycopg.Connection, plugin_id: str, tag_name: str) -> bool:
    with conn.transaction():
        return run(conn, "DELETE FROM plugin_version_tags WHERE plugin_id::text = %s AND tag_name = %s",
                   (plugin_id, tag_name)).rowcount > 0


# ---- putting a state back -----------------------------------------------------------------------------
def apply_state(conn: psycopg.Connection, plugin_id: str, state: dict[str, Any]) -> None:
    """Make the plugin's rows what ``state`` holds (one version's ``read_state``), in the caller's
    transaction: the registry row updated, and per component table the rows not in the state
    deleted and the state's rows written back with their ids and every column, converted from JSON
    by PostgreSQL itself (``json_populate_recordset``), so text and numbers come back exactly."""
    registry = state.get("registry")
    if isinstance(registry, dict):
        _apply_registry(conn, plugin_id, registry)
    existing = set(components(conn))
    for component, rows in state.items():
        if component == "registry" or component not in existing or not isinstance(rows, list):
            continue
        _apply_rows(conn, COMPONENT_TABLES[component], plugin_id, [r for r in rows if isinstance(r, dict)])


def _table_columns(conn: psycopg.Connection, table: str) -> list[str]:
    return [r[0] for r in run(conn, "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                                    " current_schema() AND table_name = %s ORDER BY ordinal_position",
                              (table,)).fetchall()]


def _apply_registry(conn: psycopg.Connection, plugin_id: str, registry: dict[str, Any]) -> None:
    columns = [c for c in _table_columns(conn, "plugin_registry") if c in registry and c not in ("id", "created_at")]
    if not columns:
        return
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    run(conn, sql.SQL("UPDATE plugin_registry SET ({}) = (SELECT {} FROM json_populate_record(NULL::plugin_registry,"
                      " %s::json)) WHERE id::text = %s").format(names, names),
        (exact_json.dumps(registry), plugin_id))


def _apply_rows(conn: psycopg.Connection, table: str, plugin_id: str, rows: list[dict[str, Any]]) -> None:
    keep = [str(r["id"]) for r in rows if r.get("id") is not None]
    run(conn, sql.SQL("DELETE FROM {} WHERE plugin_id::text = %s AND NOT (id::text = ANY(%s))").format(
        sql.Identifier(table)), (plugin_id, keep))
    if not rows:
        return
    columns = [c for c in _table_columns(conn, table) if any(c in r for r in rows)]
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    updates = sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in columns if c != "id")
    run(conn, sql.SQL("INSERT INTO {t} ({n}) SELECT {n} FROM json_populate_recordset(NULL::{t}, %s::json)"
                      " ON CONFLICT (id) DO UPDATE SET {u}").format(t=sql.Identifier(table), n=names, u=updates),
        (exact_json.dumps([{**r, "plugin_id": r.get("plugin_id", plugin_id)} for r in rows]),))
