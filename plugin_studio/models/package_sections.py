"""The package's sections, key by key: what the platform's export writes and its import reads,
and what Plugin Studio adds so nothing is lost.

Each section is an array of rows of one table (PLATFORM.md §5.1, the platform's
``GET /api/plugins/:id/export``). A ``Field`` names a package key and its column; ``platform``
fields are the ones the platform writes, in its order (``--format platform`` writes exactly
those); the others are what its format loses (enabled flags, down SQL, controller schemas, cron
handlers...), written by ``--format studio`` after them. The platform's importer ignores keys it
does not read, so a studio package stays importable there.

Defaults: a key that is absent gets the value the platform's import gives it (``priority || 10``,
``category || 'functional'``...), so a package imports here as it would there; a key present with
``null`` means NULL, kept as NULL where the column allows it (our exports write NULL columns as
null, and a round trip must give them back). Where the platform's rule loses a value (``priority
|| 10`` turns 0 into 10) we keep the value and ``package_write`` warns when writing for the platform.
Widths are the platform's columns (G5, PLATFORM.md appendix), checked before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from plugin_studio.db.names import slugify
from plugin_studio.models.package_validate import Checker

Check = Callable[[Checker, str, Any], Any]


@dataclass(frozen=True)
class Field:
    key: str                        # key in the package
    column: str                     # column of the table
    check: Check
    platform: bool = True           # written by the platform's export (and by --format platform)
    required: bool = False          # absent or null is refused
    default: Any = None             # when absent (a callable gets the row read so far)
    nullable: bool = True           # False: null is replaced by the default (a NOT NULL column)
    aliases: tuple[str, ...] = ()   # other spellings read (older packages, ours); the column's name always is


def text(max_chars: int | None = None) -> Check:
    return lambda c, p, v: c.text(p, v, max_chars)


def name(max_chars: int = 255) -> Check:
    return lambda c, p, v: c.name(p, v, max_chars)


def file_name(max_chars: int = 255) -> Check:
    return lambda c, p, v: c.file_name(p, v, max_chars)


def choice(*choices: str) -> Check:
    return lambda c, p, v: c.choice(p, v, choices)


def code(c: Checker, p: str, v: Any) -> Any:
    return c.code(p, v)


def integer(c: Checker, p: str, v: Any) -> Any:
    return c.integer(p, v)


def boolean(c: Checker, p: str, v: Any) -> Any:
    return c.boolean(p, v)


def json_value(c: Checker, p: str, v: Any) -> Any:
    return c.json_value(p, v)


def json_object(c: Checker, p: str, v: Any) -> Any:
    return c.json_object(p, v)


def timestamp(c: Checker, p: str, v: Any) -> Any:
    return c.timestamp(p, v)


def event_file_name(event_name: str) -> str:
    """The file name an event row without one gets: ``cart.viewed`` → ``cart_viewed.js`` (as the platform's import)."""
    return event_name.replace(".", "_") + ".js"


DOC_FILE_NAMES = {"readme": "README.md", "manifest": "manifest.json", "changelog": "CHANGELOG.md",
                  "license": "LICENSE", "contributing": "CONTRIBUTING.md"}


def doc_file_name(doc_type: str) -> str:
    return DOC_FILE_NAMES.get(doc_type, f"{doc_type}.md")


def _enabled(platform: bool = False, key: str = "enabled") -> Field:
    aliases = ("isEnabled",) if key == "enabled" else ("enabled",)
    return Field(key, "is_enabled", boolean, platform=platform, default=True, nullable=True, aliases=aliases)


PLUGIN_FIELDS = (
    Field("name", "name", name(255), required=True),
    Field("slug", "slug", name(255), default=lambda row: slugify(row.get("name") or "")),
    Field("version", "version", text(50), default="1.0.0", nullable=False),
    Field("description", "description", text()),
    Field("author", "author", text(255)),
    Field("category", "category", text(50)),
    Field("type", "type", text(50)),
    Field("framework", "framework", text(50), default="react"),
    Field("manifest", "manifest", json_object, default=dict),
    Field("permissions", "permissions", json_value, default=list),
    Field("dependencies", "dependencies", json_value, default=list),
    Field("tags", "tags", json_value, default=list),
    # What the platform's export leaves out (its import makes every plugin active, installed, enabled).
    Field("status", "status", text(50), platform=False, default="active", nullable=False),
    Field("isInstalled", "is_installed", boolean, platform=False, default=True),
    Field("isEnabled", "is_enabled", boolean, platform=False, default=True),
    Field("securityLevel", "security_level", text(50), platform=False),
    Field("isStarterTemplate", "is_starter_template", boolean, platform=False, default=False),
    Field("starterIcon", "starter_icon", text(10), platform=False),
    Field("starterDescription", "starter_description", text(), platform=False),
    Field("starterPrompt", "starter_prompt", text(), platform=False),
    Field("starterOrder", "starter_order", integer, platform=False),
    Field("isPublic", "is_public", boolean, platform=False, default=False),
    Field("deprecatedAt", "deprecated_at", timestamp, platform=False),
    Field("deprecationReason", "deprecation_reason", text(), platform=False),
)
# Plugin keys that belong to the source store; read and dropped without a warning.
PLUGIN_IGNORED_KEYS = {"id", "creatorId", "creator_id", "createdAt", "created_at", "updatedAt", "updated_at",
                       "installedAt", "installed_at", "lastActivated", "last_activated"}


@dataclass(frozen=True)
class Section:
    key: str                             # the package's array
    table: str
    fields: tuple[Field, ...]
    label: str                           # the column that names a row in messages ("files[3] (utils/a.js)")
    unique: tuple[str, ...] = ()         # columns whose values must not repeat within the package
    order: str = "created_at, id"        # ORDER BY of the export: the platform's, then a stable tie-break

    def field(self, column: str) -> Field:
        return next(f for f in self.fields if f.column == column)


SECTIONS: tuple[Section, ...] = (
    Section("files", "plugin_scripts", (
        Field("name", "file_name", file_name(255), required=True, aliases=("fileName",)),
        Field("content", "file_content", code, default="", nullable=False, aliases=("fileContent",)),
        Field("type", "script_type", text(20), default="js", nullable=False, aliases=("scriptType",)),
        Field("scope", "scope", text(20), default="frontend", nullable=False),
        Field("priority", "load_priority", integer, default=0, aliases=("loadPriority",)),
        _enabled(),
    ), "file_name", unique=("file_name",), order="file_name, created_at, id"),
    Section("events", "plugin_events", (
        Field("eventName", "event_name", name(255), required=True),
        Field("fileName", "file_name", file_name(255), default=lambda row: event_file_name(row.get("event_name") or "")),
        Field("listenerCode", "listener_function", code, required=True, aliases=("listenerFunction",)),
        Field("priority", "priority", integer, default=10),
        _enabled(),
    ), "event_name", order="event_name, priority, created_at, id"),
    Section("hooks", "plugin_hooks", (
        Field("hookName", "hook_name", name(255), required=True),
        Field("hookType", "hook_type", choice("filter", "action"), default="filter", nullable=False),
        Field("handlerCode", "handler_function", code, required=True, aliases=("handlerFunction",)),
        Field("priority", "priority", integer, default=10),
        _enabled(),
    ), "hook_name", order="hook_name, priority, created_at, id"),
    Section("widgets", "plugin_widgets", (
        Field("widgetId", "widget_id", lambda c, p, v: c.path_name(p, v, 255), required=True),
        Field("widgetName", "widget_name", text(255), default=lambda row: row.get("widget_id"), nullable=False),
        Field("description", "description", text()),
        Field("componentCode", "component_code", code, required=True),
        Field("defaultConfig", "default_config", json_object, default=dict),
        Field("category", "category", text(100), default="functional"),
        Field("icon", "icon", text(50), default="Box"),
        Field("previewImage", "preview_image", code, platform=False),
        _enabled(),
    ), "widget_id", unique=("widget_id",), order="widget_id, created_at, id"),
    Section("entities", "plugin_entities", (
        Field("name", "entity_name", lambda c, p, v: c.path_name(p, v, 255), required=True, aliases=("entityName",)),
        Field("tableName", "table_name", name(255), nullable=False,
              default=lambda row: "_".join((row.get("entity_name") or "").lower().split())),
        Field("code", "model_code", code, aliases=("modelCode",)),
        Field("schemaDefinition", "schema_definition", json_value, default=dict, nullable=False),
        Field("description", "description", text()),
        Field("migrationVersion", "migration_version", text(50), platform=False),
        Field("createTableSql", "create_table_sql", code, platform=False),
        Field("dropTableSql", "drop_table_sql", code, platform=False),
        _enabled(),
    ), "entity_name", unique=("entity_name",), order="entity_name, created_at, id"),
    Section("migrations", "plugin_migrations", (
        Field("name", "migration_name", name(255), required=True, aliases=("migrationName",)),
        Field("pluginName", "plugin_name", name(255)),
        Field("migrationVersion", "migration_version", name(50), required=True, aliases=("version",)),
        Field("code", "up_sql", code, aliases=("upSql",)),
        Field("description", "migration_description", lambda c, p, v: c.single_line(p, v), platform=False,
              aliases=("migrationDescription",)),
        Field("downSql", "down_sql", code, platform=False),
        Field("checksum", "checksum", text(64), platform=False),
    ), "migration_name", unique=("migration_version",), order="migration_name, migration_version, created_at, id"),
    Section("controllers", "plugin_controllers", (
        Field("name", "controller_name", lambda c, p, v: c.path_name(p, v, 255), required=True,
              aliases=("controllerName",)),
        Field("method", "method", text(10), default="GET", nullable=False),
        Field("path", "path", text(500)),   # absent: /api/plugins/<slug>/<name>, set at import (needs the slug)
        Field("code", "handler_code", code, required=True, aliases=("handlerCode",)),
        Field("description", "description", text()),
        Field("requestSchema", "request_schema", json_value, platform=False),
        Field("responseSchema", "response_schema", json_value, platform=False),
        Field("requiresAuth", "requires_auth", boolean, platform=False, default=False),
        Field("allowedRoles", "allowed_roles", json_value, platform=False),
        Field("rateLimit", "rate_limit", integer, platform=False, default=100),
        _enabled(),
    ), "controller_name", unique=("controller_name",), order="controller_name, created_at, id"),
    Section("pluginData", "plugin_data", (
        Field("dataKey", "data_key", text(255), required=True, aliases=("key",)),
        Field("dataValue", "data_value", json_value, aliases=("value",)),
    ), "data_key", unique=("data_key",), order="data_key, created_at, id"),
    Section("pluginDependencies", "plugin_dependencies", (
        Field("packageName", "package_name", name(255), required=True),
        Field("version", "version", text(50), default="latest", nullable=False),
        Field("bundledCode", "bundled_code", code, default="", nullable=False),
    ), "package_name", unique=("package_name",), order="package_name, id"),
    Section("pluginDocs", "plugin_docs", (
        Field("title", "title", text(255), default=lambda row: (row.get("doc_type") or "").upper()),
        Field("content", "content", code, required=True),
        Field("category", "doc_type", name(50), default="readme", nullable=False, aliases=("docType",)),
        Field("orderPosition", "display_order", integer, default=0, aliases=("displayOrder",)),
        Field("fileName", "file_name", file_name(255), nullable=False,
              default=lambda row: doc_file_name(row.get("doc_type") or "readme")),
        Field("format", "format", text(20), platform=False,
              default=lambda row: "json" if row.get("doc_type") == "manifest" else "markdown"),
        Field("description", "description", text(), platform=False),
        Field("isVisible", "is_visible", boolean, platform=False, default=True),
    ), "file_name", unique=("file_name",), order="display_order, title, created_at, id"),
    Section("adminPages", "plugin_admin_pages", (
        Field("pageKey", "page_key", lambda c, p, v: c.path_name(p, v, 255), required=True),
        Field("pageName", "page_name", text(255), default=lambda row: row.get("page_key"), nullable=False),
        Field("route", "route", text(500), required=True),
        Field("componentCode", "component_code", code, required=True),
        Field("description", "description", text()),
        Field("icon", "icon", text(100)),
        Field("category", "category", text(100)),
        Field("orderPosition", "order_position", integer, default=100),
        _enabled(),
    ), "page_key", unique=("page_key",), order="order_position, created_at, id"),
    Section("adminScripts", "plugin_admin_scripts", (
        Field("scriptName", "script_name", lambda c, p, v: c.path_name(p, v, 255), required=True),
        Field("scriptCode", "script_code", code, required=True),
        Field("description", "description", text()),
        Field("loadOrder", "load_order", integer, default=100),
        _enabled(),
    ), "script_name", unique=("script_name",), order="load_order, created_at, id"),
    Section("cronJobs", "plugin_cron", (
        Field("cronName", "cron_name", lambda c, p, v: c.path_name(p, v, 255), required=True),
        Field("cronSchedule", "cron_schedule", text(100), required=True),
        Field("handlerMethod", "handler_method", text(255), required=True),
        Field("description", "description", text(),
              default=lambda row: f"Scheduled task: {row.get('cron_name')}"),
        _enabled(platform=True, key="isEnabled"),
        Field("timezone", "timezone", text(50), platform=False, default="UTC"),
        Field("handlerCode", "handler_code", code, platform=False),
        Field("handlerParams", "handler_params", json_value, platform=False, default=dict),
        Field("priority", "priority", integer, platform=False, default=10),
        Field("maxRuns", "max_runs", integer, platform=False),
        Field("maxFailures", "max_failures", integer, platform=False, default=5),
        Field("timeoutSeconds", "timeout_seconds", integer, platform=False, default=300),
    ), "cron_name", unique=("cron_name",), order="cron_name, created_at, id"),
)
SECTION_BY_TABLE = {s.table: s for s in SECTIONS}
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
# Top-level keys of the platform's export besides the sections, and of its older format.
META_KEYS = ("packageVersion", "exportedAt", "exportedBy")
PLATFORM_PACKAGE_VERSION = "1.0.0"
# Sections the older format (backend/export-plugin-package.js) did not have.
NEWER_SECTION_KEYS = tuple(s.key for s in SECTIONS if s.key not in ("files", "events", "hooks", "widgets"))
