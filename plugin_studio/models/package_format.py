"""Reading the platform's JSON plugin package, in every format it has had, into rows.

Three shapes arrive: the platform's current export (``GET /api/plugins/:id/export``, PLATFORM.md
§5.1: twelve sections, migrations as ``{name, pluginName, migrationVersion, code}``, ``pluginData``
as an array of ``{dataKey, dataValue}``), its older one (``files, events`` without ``fileName``,
``hooks, widgets, installation``), and Plugin Studio's (the current one plus the keys the
platform's loses: ``package_sections``). Older Plugin Studio packages (migrations as ``{version,
name, upSql}``, ``pluginData`` as an object, ``scriptType``/``loadPriority``) are read too.

Every value is checked before anything is written (``Checker``); problems name the package path of
the value and the row (``files[3] (utils/a.js).content``). Unknown keys inside rows are warnings,
not kept; unknown top-level keys and ``plugin`` keys are kept in ``plugin_registry.manifest`` under
``_package_extra`` (``{"package": {...}, "plugin": {...}}``) and written back on export.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plugin_studio.db.bundles import PluginBundle
from plugin_studio.db.safe_text import shown
from plugin_studio.models.package_sections import (
    META_KEYS, NEWER_SECTION_KEYS, PLUGIN_FIELDS, PLUGIN_IGNORED_KEYS, SECTION_BY_TABLE, SECTIONS, Field, Section,
)
from plugin_studio.models.package_validate import Checker, Problem, type_name

EXTRA_KEY = "_package_extra"
KNOWN_KEYS = set(META_KEYS) | {"plugin", "installation"} | {s.key for s in SECTIONS}
# Row keys that belong to the source store (ids, timestamps, run state): read and dropped silently.
IGNORED_ROW_KEYS = {"id", "pluginId", "plugin_id", "createdAt", "updatedAt", "created_at", "updated_at",
                    "status", "migrationStatus", "migration_status", "migratedAt", "migrated_at",
                    "executedAt", "executed_at", "completedAt", "completed_at", "executionCount", "execution_count",
                    "lastExecutedAt", "last_executed_at", "lastRunAt", "last_run_at", "runCount", "run_count"}
_ABSENT = object()


@dataclass
class Package:
    """A checked package: the rows to create, and what was learned while reading it."""
    bundle: PluginBundle
    format: str                                    # "current" or "older"
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def source_path(self, table: str, index: int) -> str:
        """Where row ``index`` of ``table`` was in the package, e.g. ``events[3]``."""
        return f"{SECTION_BY_TABLE[table].key}[{index}]"

    def row_label(self, table: str, index: int) -> str:
        """``files[3] (utils/a.js)``: the package path and the row's name."""
        return row_label(table, index, self.bundle.rows[table][index])


def row_label(table: str, index: int, row: dict[str, Any]) -> str:
    section = SECTION_BY_TABLE[table]
    name = row.get(section.label)
    return f"{section.key}[{index}]" + (f" ({shown(name)})" if isinstance(name, str) else "")


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
    _stash_extras(checker, raw, bundle)
    if checker.problems or plugin is None:
        return None
    meta = {k: raw[k] for k in META_KEYS if k in raw}
    fmt = "current" if any(k in raw for k in NEWER_SECTION_KEYS) else "older"
    return Package(bundle, fmt, meta, checker.warnings)


def _read_plugin(checker: Checker, raw: dict) -> dict | None:
    obj = raw["plugin"]
    if not isinstance(obj, dict):
        checker.fail("plugin", f"expected an object, got {type_name(obj)}")
        return None
    installation = raw.get("installation") if isinstance(raw.get("installation"), dict) else {}
    fallback = {k: installation[k] for k in ("isEnabled", "isInstalled") if k in installation and k not in obj}
    return read_fields(checker, "plugin", {**obj, **fallback}, PLUGIN_FIELDS)


def read_fields(checker: Checker, path: str, obj: dict, fields: tuple[Field, ...]) -> dict[str, Any]:
    """One object's fields as column → value: absent keys get their default, null keeps NULL where
    the column allows it, every present value is checked."""
    row: dict[str, Any] = {}
    for f in fields:
        value = _lookup(obj, f)
        where = f"{path}.{f.key}"
        if (value is None or value is _ABSENT) and f.required:
            checker.fail(where, "missing" if value is _ABSENT else "must not be null")
        elif value is _ABSENT or (value is None and not f.nullable):
            row[f.column] = f.default(row) if callable(f.default) else _fresh(f.default)
        elif value is None:
            row[f.column] = None
        else:
            row[f.column] = f.check(checker, where, value)
    return row


def _fresh(default: Any) -> Any:
    return type(default)() if isinstance(default, (dict, list)) else default


def _lookup(obj: dict, f: Field) -> Any:
    """The value under the field's key, an alias or the column name; ``_ABSENT`` when none is there.
    A present non-null spelling wins over a null one."""
    found: Any = _ABSENT
    for key in (f.key, *f.aliases, f.column):
        if key in obj:
            if obj[key] is not None:
                return obj[key]
            found = None
    return found


def known_keys(fields: tuple[Field, ...]) -> set[str]:
    return {k for f in fields for k in (f.key, *f.aliases, f.column)}


def _read_section(checker: Checker, raw: dict, section: Section) -> list[dict[str, Any]]:
    items = raw.get(section.key)
    if items is None:
        return []
    if section.table == "plugin_data" and isinstance(items, dict):
        items = [{"dataKey": k, "dataValue": v} for k, v in items.items()]   # our older packages
    if not isinstance(items, list):
        checker.fail(section.key, f"expected an array, got {type_name(items)}")
        return []
    rows, first_seen, unknown = [], {}, set()
    known = known_keys(section.fields) | IGNORED_ROW_KEYS
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            checker.fail(f"{section.key}[{i}]", f"expected an object, got {type_name(item)}")
            continue
        path = _item_path(section, i, item)
        row = read_fields(checker, path, item, section.fields)
        unknown |= set(item) - known
        _check_unique(checker, section, row, i, path, first_seen)
        _warn_about_run_state(checker, section, item, path)
        rows.append(row)
    for key in sorted(unknown):
        checker.warn(f"{section.key}[].{key}", "unknown key, not kept")
    return rows


def _item_path(section: Section, index: int, item: dict) -> str:
    name = _lookup(item, section.field(section.label))
    return f"{section.key}[{index}]" + (f" ({shown(name)})" if isinstance(name, str) and len(name) <= 255 else "")


def _check_unique(checker: Checker, section: Section, row: dict, index: int, path: str, first_seen: dict) -> None:
    for column in section.unique:
        value = row.get(column)
        if value is None:
            continue
        seen = first_seen.setdefault(column, {})
        if value in seen:
            checker.fail(f"{path}.{section.field(column).key}",
                         f"duplicate {column.replace('_', ' ')} {value!r} (also {section.key}[{seen[value]}])")
        else:
            seen[value] = index


def _warn_about_run_state(checker: Checker, section: Section, item: dict, path: str) -> None:
    """Migrations and entity tables have not run in the target database: they arrive pending."""
    key = {"plugin_migrations": "status", "plugin_entities": "migrationStatus"}.get(section.table)
    status = item.get(key) if key else None
    if status not in (None, "pending"):
        checker.warn(f"{path}.{key}", f"{status!r} in the source store; imported as pending (not run in this database)")


def _stash_extras(checker: Checker, raw: dict, bundle: PluginBundle) -> None:
    """Keep unknown top-level and ``plugin`` keys in manifest[_package_extra], to write them back on export."""
    package_extra = {k: v for k, v in raw.items() if k not in KNOWN_KEYS}
    installation = raw.get("installation")
    if isinstance(installation, dict) and set(installation) - {"isEnabled", "isInstalled"}:
        package_extra["installation"] = installation
    for key in sorted(package_extra):
        checker.json_value(key, package_extra[key])
    obj = raw.get("plugin") if isinstance(raw.get("plugin"), dict) else {}
    plugin_extra = {k: v for k, v in obj.items()
                    if k not in known_keys(PLUGIN_FIELDS) and k not in PLUGIN_IGNORED_KEYS}
    for key in sorted(plugin_extra):
        checker.json_value(f"plugin.{key}", plugin_extra[key])
    manifest = bundle.plugin.get("manifest")
    if not isinstance(manifest, dict):
        return
    manifest = {k: v for k, v in manifest.items() if k != EXTRA_KEY}   # a copy: the package itself stays as read
    if package_extra or plugin_extra:
        manifest[EXTRA_KEY] = {"package": package_extra, "plugin": plugin_extra}
    bundle.plugin["manifest"] = manifest
