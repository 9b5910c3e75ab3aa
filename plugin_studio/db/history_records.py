"""A plugin's version history as plain data: the rows of ``plugin_version_history`` and what a new
one holds, and the component types a version's state has (PLATFORM.md §1.9). No psycopg: the rules
in ``models.history`` and the queries in ``db.history`` share them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

HISTORY_TABLES = ("plugin_version_history", "plugin_version_snapshots", "plugin_version_patches",
                  "plugin_version_tags")
# The platform's component types (plugin-version-api.js getPluginCurrentState), in the order it
# compares them, then ours, so every file of the tree has a history.
PLATFORM_COMPONENTS = ("registry", "hooks", "events", "scripts", "widgets", "controllers", "entities")
STUDIO_COMPONENTS = ("migrations", "docs", "cron", "admin_pages", "admin_scripts")
COMPONENT_TABLES = {
    "registry": "plugin_registry", "hooks": "plugin_hooks", "events": "plugin_events", "scripts": "plugin_scripts",
    "widgets": "plugin_widgets", "controllers": "plugin_controllers", "entities": "plugin_entities",
    "migrations": "plugin_migrations", "docs": "plugin_docs", "cron": "plugin_cron",
    "admin_pages": "plugin_admin_pages", "admin_scripts": "plugin_admin_scripts",
}
COMPONENT_OF_TABLE = {table: component for component, table in COMPONENT_TABLES.items()}
# Columns of plugin_version_snapshots that hold one component each (the platform fills its six).
SNAPSHOT_COLUMNS = ("hooks", "events", "scripts", "widgets", "controllers", "entities", "migrations", "admin_pages")

Patch = tuple[str, list[dict[str, Any]]]   # (component type, RFC 6902 operations)


@dataclass(frozen=True)
class Author:
    """Who made a change: ``created_by`` (a user id, or None) and ``created_by_name``."""
    id: str | None
    name: str | None


@dataclass(frozen=True)
class Version:
    """One row of ``plugin_version_history`` (ids as text), with its tags' names."""
    id: str
    plugin_id: str
    version_number: str
    version_type: str                # "snapshot" | "patch"
    parent_version_id: str | None
    commit_message: str | None
    created_by: str | None
    created_by_name: str | None
    is_current: bool
    is_published: bool
    snapshot_distance: int
    files_changed: int
    lines_added: int
    lines_deleted: int
    created_at: datetime | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewVersion:
    """What ``insert_version`` writes besides the plugin: the rules' decisions (``models.history``)."""
    version_number: str
    snapshot: bool
    parent_id: str | None
    message: str
    author: Author
    published: bool
    snapshot_distance: int
    stats: tuple[int, int, int]      # files_changed, lines_added, lines_deleted
