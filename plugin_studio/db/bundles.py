"""One plugin's rows as plain data, between the package format (``models/``) and the queries
(``db/packages.py``); this module imports no psycopg.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# Per table: the columns a package carries.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "plugin_scripts": ("file_name", "file_content", "script_type", "scope", "load_priority", "is_enabled"),
    "plugin_events": ("event_name", "file_name", "listener_function", "priority", "is_enabled"),
    "plugin_hooks": ("hook_name", "hook_type", "handler_function", "priority", "is_enabled"),
    "plugin_widgets": ("widget_id", "widget_name", "description", "component_code", "default_config",
                       "category", "icon", "preview_image", "is_enabled"),
    "plugin_data": ("data_key", "data_value"),
    "plugin_dependencies": ("package_name", "version", "bundled_code"),
    "plugin_migrations": ("migration_version", "migration_name", "migration_description", "up_sql",
                          "down_sql", "checksum", "status"),
}

Progress = Callable[[int, int], None]


@dataclass
class PluginBundle:
    """One plugin's rows, keyed by table, as column→value dicts (no ids, no timestamps)."""
    plugin: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLE_COLUMNS})

    def row_count(self) -> int:
        return sum(len(r) for r in self.rows.values())


@dataclass
class ImportResult:
    plugin_id: str
    name: str
    slug: str
    widget_renames: dict[str, str]
    row_ids: dict[str, list[str]]   # per table, in the bundle's row order
