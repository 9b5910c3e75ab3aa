"""A plugin's version history as the platform's editor keeps it: record a version after a change (in
the change's transaction), list, rebuild any version's state, restore one, tag.

The rules are ``models.history`` (the platform's ``plugin-version-api.js``), the rows ``db.history``.
Every change the IDE makes goes through ``recorded_change``, so a save, rename, delete, import or
restore and its version commit together or not at all. Where the database has no history tables
nothing is recorded (``db init`` creates them).
"""
from __future__ import annotations

import getpass
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jsonpatch
import jsonpointer
import psycopg

from plugin_studio.db import history as db_history
from plugin_studio.db.errors import NotFound, ValidationError
from plugin_studio.db.history_records import Author, Version
from plugin_studio.models import history as rules

CACHED_STATES = 32


def default_author(creator_id: str | None = None) -> Author:
    """Who the IDE's changes are recorded as: the configured creator id, named by the OS user."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = None
    return Author(creator_id, f"{name} (Plugin Studio)" if name else "Plugin Studio")


@contextmanager
def recorded_change(conn: psycopg.Connection, plugin_id: str, message: str, *,
                    author: Author | None = None) -> Iterator[None]:
    """Run the block and record the plugin's next version in one transaction: both or neither."""
    with conn.transaction():
        yield
        record_version(conn, plugin_id, message=message, author=author or default_author())


def recorded(write: Callable[..., Any], plugin_id: str, message: str) -> Callable[..., Any]:
    """``write(conn, *args)`` that records the plugin's next version in its own transaction (a
    rename, a delete, a toggle from the tree's commands)."""
    def run(conn: psycopg.Connection, *args: Any, **kwargs: Any) -> Any:
        with recorded_change(conn, plugin_id, message):
            return write(conn, *args, **kwargs)
    return run


def record_version(conn: psycopg.Connection, plugin_id: str, *, message: str | None, author: Author,
                   force_snapshot: bool = False, tag: str | None = None) -> Version | None:
    """Record the plugin's state now as its next version, as ``POST /api/plugins/:id/versions`` does.

    Call inside the transaction that made the change. Returns the new version, or None when this
    database has no history tables or the plugin is gone.
    """
    if not db_history.history_available(conn):
        return None
    with conn.transaction():
        db_history.lock_plugin_history(conn, plugin_id)
        comps = db_history.components(conn)
        state = db_history.read_state(conn, plugin_id, comps)
        if state.get("registry") is None:
            return None
        current = db_history.current_version(conn, plugin_id)
        snapshot = rules.takes_snapshot(current, forced=force_snapshot, tagged=bool(tag))
        patches = [] if snapshot else _patches_since(conn, current, state, comps)
        snapshot = snapshot or patches is None
        planned = rules.plan_version(current, snapshot=snapshot, stats=rules.calculate_stats(patches or []),
                                     message=message, author=author, tag=tag)
        version = _write(conn, plugin_id, planned, state, patches or [])
        if tag:
            db_history.add_tag(conn, version, tag, author=planned.author, tag_type="custom")
    return version


def _patches_since(conn, current: Version, state: dict[str, Any], comps: tuple[str, ...]) -> list | None:
    """The patches from the current version's state; None when that state cannot be rebuilt (the
    platform then takes a snapshot)."""
    previous = state_at(conn, current.id)
    return None if previous is None else rules.calculate_patches(previous, state, comps)


def _write(conn, plugin_id: str, planned, state: dict[str, Any], patches: list) -> Version:
    version = db_history.insert_version(conn, plugin_id, planned)
    if planned.snapshot:
        db_history.insert_snapshot(conn, version.id, plugin_id, state)
    else:
        db_history.insert_patches(conn, version.id, plugin_id, patches)
    _cache.put(_cache_key(conn, version.id), state)
    return version


# ---- rebuilding a version's state -------------------------------------------------------------------
class _StateCache:
    """Rebuilt states by (server, database, version id): a version never changes once written."""

    def __init__(self, size: int):
        self._size = size
        self._states: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> dict[str, Any] | None:
        with self._lock:
            state = self._states.get(key)
            if state is not None:
                self._states.move_to_end(key)
            return state

    def put(self, key: tuple, state: dict[str, Any]) -> None:
        with self._lock:
            self._states[key] = state
            self._states.move_to_end(key)
            while len(self._states) > self._size:
                self._states.popitem(last=False)


_cache = _StateCache(CACHED_STATES)


def _cache_key(conn: psycopg.Connection, version_id: str) -> tuple:
    info = conn.info
    return info.host, info.port, info.dbname, version_id


def state_at(conn: psycopg.Connection, version_id: str) -> dict[str, Any] | None:
    """The plugin's state at a version: the nearest snapshot with the patches after it applied
    (plugin-version-api.js ``reconstructPluginState``); None when it cannot be rebuilt."""
    key = _cache_key(conn, version_id)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    chain = db_history.chain_to_snapshot(conn, version_id)
    if not chain:
        return None
    snapshot = db_history.snapshot_data(conn, chain[-1][0]) if chain[-1][1] == "snapshot" else None
    if chain[-1][1] == "snapshot" and snapshot is None:
        return None
    patched = [vid for vid, kind in chain if kind != "snapshot"]
    patches = db_history.patches_of(conn, patched)
    try:
        state = rules.rebuild(snapshot, [patches.get(vid, []) for vid in patched])
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError, IndexError):
        return None
    _cache.put(key, state)
    return state


# ---- what the Timeline and the command line show -----------------------------------------------------
@dataclass(frozen=True)
class FileVersion:
    """One version of one file: the plugin's version and the file's text then (None: not there)."""
    version: Version
    text: str | None


def versions(conn: psycopg.Connection, plugin_id: str) -> list[Version]:
    """The plugin's versions, newest first; [] where the database has no history tables."""
    return db_history.list_versions(conn, plugin_id) if db_history.history_available(conn) else []


def find_version(conn: psycopg.Connection, plugin_id: str, ref: str) -> Version:
    if not db_history.history_available(conn):
        raise NotFound("this database has no version history tables (run plugin-studio db init)")
    return db_history.find_version(conn, plugin_id, ref)


def file_history(conn: psycopg.Connection, plugin_id: str, path: str, *, table: str | None = None,
                 row_id: str | None = None) -> list[FileVersion]:
    """The versions in which one file's text changed (its first appearance included), newest first,
    with its text at each (None: deleted then). The file is found in each version by its row id,
    else by its path, so a file deleted and restored (a new id) keeps its history."""
    found: list[FileVersion] = []
    older: Any = object()
    for version in reversed(versions(conn, plugin_id)):
        state = state_at(conn, version.id)
        text = None if state is None else rules.file_text(state, table, row_id, path)
        if text != older and not (text is None and not found):
            found.append(FileVersion(version, text))
        older = text
    return list(reversed(found))


def file_at(conn: psycopg.Connection, plugin_id: str, ref: str, path: str, *, table: str | None = None,
            row_id: str | None = None) -> str | None:
    """A file's text at a version (by id, number or tag); None when it was not there."""
    state = state_at(conn, find_version(conn, plugin_id, ref).id)
    return None if state is None else rules.file_text(state, table, row_id, path)


# ---- restore and tags --------------------------------------------------------------------------------
def restore(conn: psycopg.Connection, plugin_id: str, ref: str, *, author: Author | None = None) -> Version:
    """Put the plugin's rows back as they were at a version, and record that as a new snapshot version
    "Restored to version X" tagged ``restored-from-X`` (plugin-version-api.js ``restore``), in one
    transaction. The platform's restore rewrites only its six tables and four registry columns;
    here every table the state holds is put back, so nothing of the version is lost."""
    author = author or default_author()
    with conn.transaction():
        target = find_version(conn, plugin_id, ref)
        state = state_at(conn, target.id)
        if state is None:
            raise ValidationError(f"version {target.version_number} cannot be rebuilt (its snapshot or a patch "
                                  "before it is missing or does not apply); nothing was restored")
        db_history.lock_plugin_history(conn, plugin_id)
        db_history.apply_state(conn, plugin_id, state)
        current = db_history.current_version(conn, plugin_id)
        planned = rules.plan_restore(current, target, author)
        now = db_history.read_state(conn, plugin_id, db_history.components(conn))
        version = _write(conn, plugin_id, planned, now, [])
        db_history.add_tag(conn, version, rules.restore_tag(target), author=planned.author, tag_type="restore")
    return version


def tag(conn: psycopg.Connection, plugin_id: str, ref: str, name: str, *, author: Author | None = None,
        description: str | None = None) -> Version:
    try:
        name = rules.check_tag_name(name)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    with conn.transaction():
        version = find_version(conn, plugin_id, ref)
        db_history.add_tag(conn, version, name, author=author or default_author(), description=description)
    return version


def untag(conn: psycopg.Connection, plugin_id: str, name: str) -> bool:
    return db_history.remove_tag(conn, plugin_id, name)
