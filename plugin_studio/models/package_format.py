"""The platform's JSON plugin package, read in both of its formats and written in the current one.

Older packages carry ``packageVersion, exportedAt, exportedBy, plugin, files, events`` (without
``fileName``), ``hooks, widgets, installation``; current ones add ``entities, migrations,
controllers, pluginData, pluginDependencies, pluginDocs, adminPages, adminScripts, cronJobs``.
We write the current format plus what the platform drops: every row's ``enabled`` flag,
migrations' ``downSql``, ``description`` and ``checksum``, scripts' ``scope``/``scriptType``/
``loadPriority``, widgets' ``previewImage``.

Keys we have no table for (``entities``, ``controllers``, ``pluginDocs``, ``adminPages``,
``adminScripts``, ``cronJobs``, ``installation`` and any unknown top-level or ``plugin`` key)
are kept in ``plugin_registry.manifest`` under the reserved key ``_package_extra`` as
``{"package": {key: value}, "plugin": {key: value}}`` and written back on export. Unknown keys
inside rows are reported as warnings and not kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from plugin_studio.db.bundles import PluginBundle
from plugin_studio.db.names import slugify
from plugin_studio.models.package_validate import EVENT_NAME, WIDGET_ID, Checker, Problem, type_name

PACKAGE_VERSION = "2.0"
EXTRA_KEY = "_package_extra"
META_KEYS = ("packageVersion", "exportedAt", "exportedBy")
CURRENT_ONLY_KEYS = ("entities", "migrations", "controllers", "pluginData", "pluginDependencies", "pluginDocs",
                     "adminPages", "adminScripts", "cronJobs")
# Sections of the platform we have no table for: validated as JSON, stashed, written back.
PLATFORM_ONLY_SECTIONS = ("entities", "controllers", "pluginDocs", "adminPages", "adminScripts", "cronJobs")
MIGRATION_STATUSES = ("pending", "running", "completed", "failed", "rolled_back")

Check = Callable[[Checker, str, Any], Any]


@dataclass(frozen=True)
class Field:
    key: str                      # camelCase key in the package
    column: str                   # column in the table
    check: Check
    required: bool = False
    default: Any = None           # used when the key is absent or null (a callable gets the row)
    aliases: tuple[str, ...] = ()  # other spellings accepted on read (the column name always is)


def text(max_chars: int | None = None) -> Check:
    return lambda c, p, v: c.text(p, v, max_chars)


def choice(*choices: str) -> Check:
    return lambda c, p, v: c.choice(p, v, choices)


def non_empty(max_chars: int) -> Check:
    def check(c: Checker, p: str, v: Any) -> Any:
        value = c.text(p, v, max_chars)
        if value is not None and not value.strip():
            c.fail(p, "is empty")
            return None
        return value.strip() if value is not None else None
    return check


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


def hook_or_event_name(c: Checker, p: str, v: Any) -> Any:
    return c.pattern(p, v, EVENT_NAME, "name (dotted identifiers such as cart.viewed)")


def _script_type(row: dict) -> str:
    return "css" if str(row.get("file_name", "")).endswith(".css") else "js"


def event_file_name(event_name: str) -> str:
    """The file name an event row without one gets: ``cart.viewed`` → ``cart_viewed.js``."""
    return event_name.replace(".", "_") + ".js"


PLUGIN_FIELDS = (
    Field("name", "name", non_empty(255), required=True),
    Field("slug", "slug", non_empty(255), default=lambda row: slugify(row.get("name") or "")),
    Field("version", "version", text(50), default="1.0.0"),
    Field("description", "description", text()),
    Field("type", "type", text(50)),
    Field("category", "category", text(100)),
    Field("author", "author", text(255)),
    Field("status", "status", choice("active", "inactive"), default="active"),
    Field("framework", "framework", text(50)),
    Field("manifest", "manifest", json_object, default=dict),
    Field("permissions", "permissions", json_value, default=list),
    Field("dependencies", "dependencies", json_value, default=list),
    Field("tags", "tags", json_value, default=list),
    Field("isInstalled", "is_installed", boolean, default=True),
    Field("isEnabled", "is_enabled", boolean, default=True),
    Field("isStarterTemplate", "is_starter_template", boolean, default=False),
    Field("starterIcon", "starter_icon", text(100)),
    Field("starterDescription", "starter_description", text()),
    Field("starterPrompt", "starter_prompt", text()),
    Field("starterOrder", "starter_order", integer),
    Field("isPublic", "is_public", boolean, default=False),
    Field("deprecatedAt", "deprecated_at", lambda c, p, v: c.timestamp(p, v)),
    Field("deprecationReason", "deprecation_reason", text()),
)
# Plugin keys that belong to the source store; read and dropped without a warning.
PLUGIN_IGNORED_KEYS = {"id", "creatorId", "creator_id", "createdAt", "created_at", "updatedAt", "updated_at"}


@dataclass(frozen=True)
class Section:
    key: str
    table: str
    fields: tuple[Field, ...]
    unique: str | None = None     # column whose values must not repeat
    unique_label: str = "value"


SECTIONS = (
    Section("files", "plugin_scripts", (
        Field("name", "file_name", lambda c, p, v: c.file_name(p, v), required=True, aliases=("fileName",)),
        Field("content", "file_content", code, default="", aliases=("fileContent",)),
        Field("scriptType", "script_type", choice("js", "css"), default=_script_type),
        Field("scope", "scope", choice("frontend", "backend", "admin"), default="frontend"),
        Field("loadPriority", "load_priority", integer, default=10),
        Field("enabled", "is_enabled", boolean, default=True, aliases=("isEnabled",)),
    ), unique="file_name", unique_label="path"),
    Section("events", "plugin_events", (
        Field("eventName", "event_name", hook_or_event_name, required=True),
        Field("fileName", "file_name", lambda c, p, v: c.file_name(p, v),
              default=lambda row: event_file_name(row.get("event_name") or "event")),
        Field("listenerCode", "listener_function", code, required=True, aliases=("listenerFunction",)),
        Field("priority", "priority", integer, default=10),
        Field("enabled", "is_enabled", boolean, default=True, aliases=("isEnabled",)),
    )),
    Section("hooks", "plugin_hooks", (
        Field("hookName", "hook_name", hook_or_event_name, required=True),
        Field("hookType", "hook_type", choice("filter", "action"), default="filter"),
        Field("handlerCode", "handler_function", code, required=True, aliases=("handlerFunction",)),
        Field("priority", "priority", integer, default=10),
        Field("enabled", "is_enabled", boolean, default=True, aliases=("isEnabled",)),
    )),
    Section("widgets", "plugin_widgets", (
        Field("widgetId", "widget_id", lambda c, p, v: c.pattern(p, v, WIDGET_ID, "widget id (letters, digits, - _ .)"),
              required=True),
        Field("widgetName", "widget_name", text(255), default=lambda row: row.get("widget_id")),
        Field("description", "description", text()),
        Field("componentCode", "component_code", code, required=True),
        Field("defaultConfig", "default_config", json_object, default=dict),
        Field("category", "category", text(100)),
        Field("icon", "icon", text(100)),
        Field("previewImage", "preview_image", code),
        Field("enabled", "is_enabled", boolean, default=True, aliases=("isEnabled",)),
    ), unique="widget_id", unique_label="widget id"),
    Section("migrations", "plugin_migrations", (
        Field("version", "migration_version", text(50), required=True, aliases=("migrationVersion",)),
        Field("name", "migration_name", text(255), required=True, aliases=("migrationName",)),
        Field("description", "migration_description", text(), aliases=("migrationDescription",)),
        Field("upSql", "up_sql", code, required=True),
        Field("downSql", "down_sql", code),
        Field("checksum", "checksum", text(64)),
        Field("status", "status", choice(*MIGRATION_STATUSES), default="pending"),
    ), unique="migration_version", unique_label="migration version"),
    Section("pluginDependencies", "plugin_dependencies", (
        Field("packageName", "package_name", text(255), required=True),
        Field("version", "version", text(100), default="latest"),
        Field("bundledCode", "bundled_code", code),
    ), unique="package_name", unique_label="package name"),
)
SECTION_BY_TABLE = {s.table: s for s in SECTIONS}
KNOWN_KEYS = set(META_KEYS) | {"plugin", "installation", "pluginData"} | {s.key for s in SECTIONS}


@dataclass
class Package:
    """A checked package: the rows to create, and what was learned while reading it."""
    bundle: PluginBundle
    format: str                                    # "current" or "older"
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def source_path(self, table: str, index: int) -> str:
        """Where row ``index`` of ``table`` was in the package, e.g. ``events[3]``."""
        if table == "plugin_data":
            return f"pluginData.{self.bundle.rows[table][index]['data_key']}"
        return f"{SECTION_BY_TABLE[table].key}[{index}]"


def read_package(raw: Any, checker: Checker) -> Package | None:
    """Check a parsed package and turn it into rows; None when ``checker`` collected problems."""
    if not isinstance(raw, dict):
        checker.fail("package", f"expected a JSON object at the top level, got {type_name(raw)}")
        return None
    if "plugin" not in raw:
        checker.fail("plugin", "missing")
        return None
    plugin = _read_plugin(checker, raw)
    bundle = PluginBundle(plugin=plugin or {})
    for section in SECTIONS:
        bundle.rows[section.table] = _read_section(checker, raw, section)
    bundle.rows["plugin_data"] = _read_plugin_data(checker, raw.get("pluginData"))
    _stash_extras(checker, raw, bundle)
    _warn_about_migration_status(checker, bundle)
    if checker.problems or plugin is None:
        return None
    meta = {k: raw[k] for k in META_KEYS if k in raw}
    fmt = "current" if any(k in raw for k in CURRENT_ONLY_KEYS) else "older"
    return Package(bundle, fmt, meta, checker.warnings)


def _read_plugin(checker: Checker, raw: dict) -> dict | None:
    obj = raw["plugin"]
    if not isinstance(obj, dict):
        checker.fail("plugin", f"expected an object, got {type_name(obj)}")
        return None
    installation = raw.get("installation") if isinstance(raw.get("installation"), dict) else {}
    fallback = {k: installation[k] for k in ("isEnabled", "isInstalled") if k in installation and k not in obj}
    return _read_fields(checker, "plugin", {**obj, **fallback}, PLUGIN_FIELDS)


def _read_fields(checker: Checker, path: str, obj: dict, fields: tuple[Field, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in fields:
        value = _lookup(obj, f)
        where = f"{path}.{f.key}"
        if value is None and f.required:
            checker.fail(where, "missing" if _absent(obj, f) else "must not be null")
        elif value is None:
            row[f.column] = f.default(row) if callable(f.default) else f.default
        else:
            row[f.column] = f.check(checker, where, value)
    return row


def _lookup(obj: dict, f: Field) -> Any:
    for key in (f.key, *f.aliases, f.column):
        if obj.get(key) is not None:
            return obj[key]
    return None


def _absent(obj: dict, f: Field) -> bool:
    return not any(k in obj for k in (f.key, *f.aliases, f.column))


def _known_keys(fields: tuple[Field, ...]) -> set[str]:
    return {k for f in fields for k in (f.key, *f.aliases, f.column)}


def _read_section(checker: Checker, raw: dict, section: Section) -> list[dict[str, Any]]:
    items = raw.get(section.key)
    if items is None:
        return []
    if not isinstance(items, list):
        checker.fail(section.key, f"expected an array, got {type_name(items)}")
        return []
    rows, first_seen, unknown = [], {}, set()
    known = _known_keys(section.fields) | {"id", "pluginId", "plugin_id", "createdAt", "updatedAt"}
    for i, item in enumerate(items):
        path = f"{section.key}[{i}]"
        if not isinstance(item, dict):
            checker.fail(path, f"expected an object, got {type_name(item)}")
            continue
        row = _read_fields(checker, path, item, section.fields)
        unknown |= set(item) - known
        _check_unique(checker, section, row, i, first_seen)
        rows.append(row)
    for key in sorted(unknown):
        checker.warn(f"{section.key}[].{key}", "unknown key, not kept")
    return rows


def _check_unique(checker: Checker, section: Section, row: dict, index: int, first_seen: dict) -> None:
    if not section.unique or row.get(section.unique) is None:
        return
    value = row[section.unique]
    if value in first_seen:
        key = next(f.key for f in section.fields if f.column == section.unique)
        checker.fail(f"{section.key}[{index}].{key}",
                     f"duplicate {section.unique_label} {value!r} (also {section.key}[{first_seen[value]}])")
    else:
        first_seen[value] = index


def _read_plugin_data(checker: Checker, data: Any) -> list[dict[str, Any]]:
    """``pluginData`` as an object (key → value), or an array of ``{key|dataKey, value|dataValue}``."""
    if data is None:
        return []
    if isinstance(data, list):
        return _plugin_data_from_list(checker, data)
    if not isinstance(data, dict):
        checker.fail("pluginData", f"expected an object, got {type_name(data)}")
        return []
    rows = []
    for key in sorted(data):
        if not key.strip():
            checker.fail("pluginData", "a key is empty")
        elif checker.text(f"pluginData key {key!r}", key, 255) is not None:
            rows.append({"data_key": key, "data_value": checker.json_value(f"pluginData.{key}", data[key])})
    return rows


def _plugin_data_from_list(checker: Checker, items: list) -> list[dict[str, Any]]:
    as_object: dict[str, Any] = {}
    for i, item in enumerate(items):
        key = item.get("key", item.get("dataKey", item.get("data_key"))) if isinstance(item, dict) else None
        if not isinstance(key, str):
            checker.fail(f"pluginData[{i}].key", "missing" if key is None else f"expected a string, got {type_name(key)}")
        elif key in as_object:
            checker.fail(f"pluginData[{i}].key", f"duplicate key {key!r}")
        else:
            as_object[key] = item.get("value", item.get("dataValue", item.get("data_value")))
    return _read_plugin_data(checker, as_object)


def _stash_extras(checker: Checker, raw: dict, bundle: PluginBundle) -> None:
    """Keep keys we have no table for in manifest[_package_extra], to write them back on export."""
    package_extra = {k: v for k, v in raw.items() if k not in KNOWN_KEYS and not _is_default_section(k, v)}
    installation = raw.get("installation")
    if isinstance(installation, dict) and set(installation) - {"isEnabled", "isInstalled"}:
        package_extra["installation"] = installation
    for key in sorted(package_extra):
        checker.json_value(key, package_extra[key])
    obj = raw.get("plugin") if isinstance(raw.get("plugin"), dict) else {}
    plugin_extra = {k: v for k, v in obj.items()
                    if k not in _known_keys(PLUGIN_FIELDS) and k not in PLUGIN_IGNORED_KEYS}
    for key in sorted(plugin_extra):
        checker.json_value(f"plugin.{key}", plugin_extra[key])
    manifest = bundle.plugin.get("manifest")
    if not isinstance(manifest, dict):
        return
    manifest.pop(EXTRA_KEY, None)
    if package_extra or plugin_extra:
        manifest[EXTRA_KEY] = {"package": package_extra, "plugin": plugin_extra}


def _is_default_section(key: str, value: Any) -> bool:
    """Empty platform-only sections are what every export writes: nothing to keep."""
    return key in PLATFORM_ONLY_SECTIONS and value in ([], {}, None)


def _warn_about_migration_status(checker: Checker, bundle: PluginBundle) -> None:
    for i, row in enumerate(bundle.rows["plugin_migrations"]):
        if row.get("status") not in (None, "pending"):
            checker.warn(f"migrations[{i}].status",
                         f"{row['status']!r} in the source store; imported as pending (not run in this database)")


def write_package(bundle: PluginBundle, *, exported_at: str, exported_by: str | None,
                  include_data: bool = True) -> dict[str, Any]:
    """The package for a plugin's rows, in the current format (serialise with sorted keys)."""
    plugin = _plugin_object(bundle.plugin)
    manifest = plugin["manifest"]
    extra = manifest.pop(EXTRA_KEY, None) if isinstance(manifest, dict) else None
    stashed_plugin, stashed_package = _stashed(extra, "plugin"), _stashed(extra, "package")
    plugin.update({k: v for k, v in stashed_plugin.items() if k not in plugin})
    package: dict[str, Any] = {key: [] for key in PLATFORM_ONLY_SECTIONS}
    package.update({k: v for k, v in stashed_package.items() if k not in KNOWN_KEYS})
    package.update({
        "packageVersion": PACKAGE_VERSION, "exportedAt": exported_at, "exportedBy": exported_by,
        "plugin": plugin, "installation": _installation(stashed_package, plugin),
    })
    for section in SECTIONS:
        package[section.key] = [_row_object(section, row) for row in bundle.rows[section.table]]
    if include_data:
        package["pluginData"] = {r["data_key"]: r["data_value"] for r in bundle.rows["plugin_data"]}
    return package


def _stashed(extra: Any, part: str) -> dict[str, Any]:
    """One part of manifest[_package_extra]; anything but an object (a hand edit) counts as empty."""
    value = extra.get(part) if isinstance(extra, dict) else None
    return value if isinstance(value, dict) else {}


def _plugin_object(values: dict[str, Any]) -> dict[str, Any]:
    plugin = {f.key: values.get(f.column) for f in PLUGIN_FIELDS}
    manifest = plugin["manifest"]
    plugin["manifest"] = dict(manifest) if isinstance(manifest, dict) else manifest
    if plugin.get("deprecatedAt") is not None and not isinstance(plugin["deprecatedAt"], str):
        plugin["deprecatedAt"] = plugin["deprecatedAt"].isoformat()
    return plugin


def _installation(stashed: dict[str, Any], plugin: dict[str, Any]) -> dict[str, Any]:
    previous = stashed.get("installation") if isinstance(stashed.get("installation"), dict) else {}
    return {**previous, "isEnabled": plugin["isEnabled"], "isInstalled": plugin["isInstalled"]}


def _row_object(section: Section, row: dict[str, Any]) -> dict[str, Any]:
    obj = {f.key: row.get(f.column) for f in section.fields}
    if section.table == "plugin_events" and not obj["fileName"]:
        obj["fileName"] = event_file_name(obj["eventName"])
    return obj
