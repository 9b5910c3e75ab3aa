"""Rows of the plugin tables as dataclasses (filled by ``psycopg.rows.class_row``).

Ids are kept as text: the platform mixes uuid and varchar plugin ids across tables, and the
IDE only ever passes them back as parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Plugin:
    id: str
    name: str
    slug: str
    version: str
    description: str | None = None
    type: str | None = None
    category: str | None = None
    author: str | None = None
    status: str = "active"
    framework: str | None = None
    manifest: Any = field(default_factory=dict)
    permissions: Any = field(default_factory=list)
    dependencies: Any = field(default_factory=list)
    tags: Any = field(default_factory=list)
    creator_id: str | None = None
    is_installed: bool = True
    is_enabled: bool = True
    is_starter_template: bool = False
    is_public: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class ScriptRow:
    id: str
    plugin_id: str
    file_name: str
    file_content: str
    script_type: str
    scope: str
    load_priority: int
    is_enabled: bool
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class EventRow:
    id: str
    plugin_id: str
    event_name: str
    listener_function: str
    priority: int
    is_enabled: bool
    file_name: str | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class HookRow:
    id: str
    plugin_id: str
    hook_name: str
    hook_type: str
    handler_function: str
    priority: int
    is_enabled: bool
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class WidgetRow:
    id: str
    plugin_id: str
    widget_id: str
    widget_name: str
    description: str | None
    component_code: str
    default_config: Any
    category: str | None
    icon: str | None
    preview_image: str | None
    is_enabled: bool
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class DataRow:
    id: str
    plugin_id: str
    data_key: str
    data_value: Any
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class DependencyRow:
    id: str
    plugin_id: str
    package_name: str
    version: str
    bundled_code: str | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class MigrationRow:
    id: str
    plugin_id: str
    plugin_name: str
    migration_name: str
    migration_version: str
    migration_description: str | None
    status: str
    executed_at: datetime | None
    completed_at: datetime | None
    rolled_back_at: datetime | None
    execution_time_ms: int | None
    error_message: str | None
    checksum: str | None
    up_sql: str
    down_sql: str | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


# The column holding each table's editable code, as the editor sees it.
CODE_COLUMN = {
    "plugin_scripts": "file_content",
    "plugin_events": "listener_function",
    "plugin_hooks": "handler_function",
    "plugin_widgets": "component_code",
}

RECORD_TYPES = {
    "plugin_scripts": ScriptRow,
    "plugin_events": EventRow,
    "plugin_hooks": HookRow,
    "plugin_widgets": WidgetRow,
    "plugin_data": DataRow,
    "plugin_dependencies": DependencyRow,
    "plugin_migrations": MigrationRow,
}


@dataclass
class PluginFiles:
    """Every file-like row of one plugin, loaded with one query per table."""
    scripts: list[ScriptRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    hooks: list[HookRow] = field(default_factory=list)
    widgets: list[WidgetRow] = field(default_factory=list)
    migrations: list[MigrationRow] = field(default_factory=list)
