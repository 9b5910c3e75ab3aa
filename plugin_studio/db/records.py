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


# The methods a controller may have: the platform's G4 CHECK on plugin_controllers.method.
CONTROLLER_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


@dataclass
class ControllerRow:
    """An API endpoint the platform serves at ``/api/plugins/<plugin>/exec<path>`` (PLATFORM.md §3.4)."""
    id: str
    plugin_id: str
    controller_name: str
    description: str | None
    method: str
    path: str
    handler_code: str
    request_schema: Any
    response_schema: Any
    requires_auth: bool | None
    allowed_roles: Any
    rate_limit: int | None
    is_enabled: bool | None
    execution_count: int | None
    last_executed_at: datetime | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class EntityRow:
    """A table a plugin defines: ``schema_definition`` is ``{columns, indexes, foreignKeys}`` (PLATFORM.md §1.9).

    ``schema_text`` is ``schema_definition`` as the server's jsonb text, numbers as written (``0.00``).
    """
    id: str
    plugin_id: str
    entity_name: str
    table_name: str
    description: str | None
    schema_text: str
    migration_status: str | None
    migration_version: str | None
    migrated_at: datetime | None
    create_table_sql: str | None
    drop_table_sql: str | None
    model_code: str | None
    is_enabled: bool | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class CronRow:
    """A scheduled job: ``handler_code`` is the body of an async function (PLATFORM.md §1.9)."""
    id: str
    plugin_id: str
    cron_name: str
    description: str | None
    cron_schedule: str
    timezone: str | None
    handler_method: str
    handler_code: str | None
    handler_params: Any
    is_enabled: bool | None
    priority: int | None
    last_run_at: datetime | None
    next_run_at: datetime | None
    last_status: str | None
    last_error: str | None
    last_result: Any
    run_count: int | None
    success_count: int | None
    failure_count: int | None
    consecutive_failures: int | None
    max_runs: int | None
    max_failures: int | None
    timeout_seconds: int | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class DocRow:
    """README, CHANGELOG, LICENSE, CONTRIBUTING (``doc_type`` readme|changelog|license|contributing|…)."""
    id: str
    plugin_id: str
    doc_type: str
    file_name: str
    title: str | None
    content: str
    format: str | None
    description: str | None
    is_visible: bool | None
    display_order: int | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class AdminPageRow:
    """A page of the store's admin, ``component_code`` a React component served at ``route``."""
    id: str
    plugin_id: str
    page_key: str
    page_name: str
    route: str
    component_code: str
    description: str | None
    icon: str | None
    category: str | None
    order_position: int | None
    is_enabled: bool | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class AdminScriptRow:
    id: str
    plugin_id: str
    script_name: str
    script_code: str
    description: str | None
    load_order: int | None
    is_enabled: bool | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class LiveColumn:
    name: str
    type: str                 # format_type(): "character varying(255)", "numeric(10,2)", "integer"
    not_null: bool
    default: str | None       # pg_get_expr() of the default: "0", "'pending'::character varying", "now()"


@dataclass(frozen=True)
class LiveConstraint:
    name: str
    kind: str                 # "p" primary key | "u" unique | "f" foreign key
    columns: tuple[str, ...]
    definition: str           # pg_get_constraintdef(): "UNIQUE (code)", "FOREIGN KEY (user_id) REFERENCES users(id)"


@dataclass(frozen=True)
class LiveTable:
    name: str
    columns: list[LiveColumn] = field(default_factory=list)
    constraints: list[LiveConstraint] = field(default_factory=list)
    indexes: dict[str, str] = field(default_factory=dict)   # name -> pg_get_indexdef(), constraint indexes left out

    def column(self, name: str) -> LiveColumn | None:
        return next((c for c in self.columns if c.name == name), None)


# The column holding each table's editable code, as the editor sees it (entities are edited as a
# JSON document of several columns: db/entities.py).
CODE_COLUMN = {
    "plugin_scripts": "file_content",
    "plugin_events": "listener_function",
    "plugin_hooks": "handler_function",
    "plugin_widgets": "component_code",
    "plugin_controllers": "handler_code",
    "plugin_cron": "handler_code",
    "plugin_docs": "content",
    "plugin_admin_pages": "component_code",
    "plugin_admin_scripts": "script_code",
}

RECORD_TYPES = {
    "plugin_scripts": ScriptRow,
    "plugin_events": EventRow,
    "plugin_hooks": HookRow,
    "plugin_widgets": WidgetRow,
    "plugin_data": DataRow,
    "plugin_dependencies": DependencyRow,
    "plugin_migrations": MigrationRow,
    "plugin_controllers": ControllerRow,
    "plugin_entities": EntityRow,
    "plugin_cron": CronRow,
    "plugin_docs": DocRow,
    "plugin_admin_pages": AdminPageRow,
    "plugin_admin_scripts": AdminScriptRow,
}


@dataclass
class PluginFiles:
    """Every file-like row of one plugin, loaded with one query per table."""
    scripts: list[ScriptRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    hooks: list[HookRow] = field(default_factory=list)
    widgets: list[WidgetRow] = field(default_factory=list)
    migrations: list[MigrationRow] = field(default_factory=list)
    controllers: list[ControllerRow] = field(default_factory=list)
    entities: list[EntityRow] = field(default_factory=list)
    cron: list[CronRow] = field(default_factory=list)
    docs: list[DocRow] = field(default_factory=list)
    admin_pages: list[AdminPageRow] = field(default_factory=list)
    admin_scripts: list[AdminScriptRow] = field(default_factory=list)
