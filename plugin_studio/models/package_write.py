"""Writing a plugin's rows as a package: the platform's format exactly, or ours (the platform's plus
what it loses), and what the platform's import will do differently with it.

``--format platform`` writes the keys of the platform's export (PLATFORM.md §5.1) in its order and
nothing else; ``--format studio`` (the default) adds, after them, the keys the platform's format
loses (``package_sections``: enabled flags, down SQL, checksums, controller auth and schemas, cron
handlers...), which the platform's importer ignores. Numbers in JSON columns are written exactly as
stored (``exact_json``). Before a file is written, the package is read back through the same checks
an import applies (``check_exportable``), so an export never writes what an import would refuse.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from plugin_studio.db.bundles import PluginBundle
from plugin_studio.models.package_format import EXTRA_KEY, KNOWN_KEYS, read_package, row_label
from plugin_studio.models.package_sections import (
    PLATFORM_PACKAGE_VERSION, PLUGIN_FIELDS, SECTIONS, Field, Section,
)
from plugin_studio.models.package_validate import Checker, Limits, PackageInvalid, Problem

FORMATS = ("studio", "platform")
STUDIO_EXPORTER = "plugin-studio"


def write_package(bundle: PluginBundle, *, exported_at: str, format: str = "studio",
                  include_data: bool = True) -> dict[str, Any]:
    """The package for a plugin's rows, as a dict whose key order is the file's (platform's first)."""
    if format not in FORMATS:
        raise ValueError(f"unknown package format {format!r} (studio or platform)")
    studio = format == "studio"
    plugin = _object(bundle.plugin, PLUGIN_FIELDS, studio)
    extra = _take_extra(plugin)
    package: dict[str, Any] = {"packageVersion": PLATFORM_PACKAGE_VERSION, "exportedAt": exported_at}
    if studio:
        package["exportedBy"] = STUDIO_EXPORTER
        plugin.update({k: v for k, v in _stashed(extra, "plugin").items() if k not in plugin})
    package["plugin"] = plugin
    for section in SECTIONS:
        rows = bundle.rows.get(section.table, [])
        if section.table == "plugin_data" and not include_data:
            rows = []
        package[section.key] = [_object(row, section.fields, studio) for row in rows]
    if studio:
        package.update({k: v for k, v in _stashed(extra, "package").items() if k not in KNOWN_KEYS})
        installation = _stashed(extra, "package").get("installation")
        if isinstance(installation, dict):
            package["installation"] = installation
    return package


def _object(values: dict[str, Any], fields: tuple[Field, ...], studio: bool) -> dict[str, Any]:
    obj = {f.key: _json(values.get(f.column)) for f in fields if f.platform or studio}
    manifest = obj.get("manifest")
    if isinstance(manifest, dict):
        obj["manifest"] = dict(manifest)
    return obj


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _take_extra(plugin: dict[str, Any]) -> Any:
    manifest = plugin.get("manifest")
    return manifest.pop(EXTRA_KEY, None) if isinstance(manifest, dict) else None


def _stashed(extra: Any, part: str) -> dict[str, Any]:
    """One part of manifest[_package_extra]; anything but an object (a hand edit) counts as empty."""
    value = extra.get(part) if isinstance(extra, dict) else None
    return value if isinstance(value, dict) else {}


def check_exportable(package: dict[str, Any], limits: Limits) -> None:
    """Refuse a package an import would refuse (over the per-file size, nested too deep, a name with a
    control character, a value too long for the platform's column): ``PackageInvalid`` naming each
    row, e.g. ``files[3] (big.js).content: 12.0 MB is over the per-file limit of 10.0 MB``."""
    checker = Checker(limits)
    read_package(package, checker)
    if checker.problems:
        raise PackageInvalid(checker.problems, action="exported")


# ---- what the platform's import does differently ------------------------------------------------
# Where its import replaces a falsy value (PLATFORM.md §5.2: `priority || 10`): table → {column: default}.
PLATFORM_FALSY_DEFAULTS = {
    "plugin_events": {"priority": 10},
    "plugin_hooks": {"priority": 10},
    "plugin_widgets": {"category": "functional", "icon": "Box"},
    "plugin_admin_pages": {"order_position": 100},
    "plugin_admin_scripts": {"load_order": 100},
}
# Tables whose rows the platform's import always inserts enabled.
PLATFORM_ENABLES = ("plugin_scripts", "plugin_events", "plugin_hooks", "plugin_widgets", "plugin_admin_pages",
                    "plugin_admin_scripts", "plugin_entities", "plugin_controllers")


def platform_import_differences(bundle: PluginBundle, *, format: str) -> list[Problem]:
    """What the platform's import (``POST /api/plugins/import``) will store differently from these
    rows, one warning per kind and section, e.g. ``events[2] (cart.viewed).priority: 0 becomes 10``."""
    warnings: list[Problem] = []
    for section in SECTIONS:
        rows = bundle.rows.get(section.table, [])
        warnings += _falsy_defaults(section, rows)
        disabled = [i for i, r in enumerate(rows) if r.get("is_enabled") is False]
        if section.table in PLATFORM_ENABLES and disabled:
            warnings.append(Problem(_rows_named(section, rows, disabled),
                                    "disabled here; the platform's import enables every row"))
        if format == "platform":
            warnings += _left_out(section, rows)
    if bundle.rows.get("plugin_widgets"):
        warnings.append(Problem("widgets", "the platform's import appends '-' and 8 characters of the new plugin's "
                                           "id to every widget id; slots that name the original id will not find it"))
    if format == "platform":
        left_out = [f.key for f in PLUGIN_FIELDS if not f.platform and bundle.plugin.get(f.column) not in (None, f.default)]
        if left_out:
            warnings.append(Problem("plugin", f"not in the platform's format: {', '.join(left_out)}"))
    return warnings


def _falsy_defaults(section: Section, rows: list[dict[str, Any]]) -> list[Problem]:
    problems = []
    for column, default in PLATFORM_FALSY_DEFAULTS.get(section.table, {}).items():
        for i, row in enumerate(rows):
            value = row.get(column)
            if not value and value != default:
                problems.append(Problem(f"{row_label(section.table, i, row)}.{section.field(column).key}",
                                        f"{value!r} becomes {default!r} in the platform's import"))
    return problems


def _left_out(section: Section, rows: list[dict[str, Any]]) -> list[Problem]:
    """Studio-only values that differ from what the platform's import would give: lost in its format."""
    lost: dict[str, int] = {}
    for row in rows:
        for f in section.fields:
            if not f.platform and f.column != "is_enabled" and not _is_default(f, row):
                lost[f.key] = lost.get(f.key, 0) + 1
    if not lost:
        return []
    shown = ", ".join(f"{key} ({count} rows)" if count > 1 else key for key, count in lost.items())
    return [Problem(section.key, f"not in the platform's format (use --format studio to keep it): {shown}")]


def _is_default(f: Field, row: dict[str, Any]) -> bool:
    value = row.get(f.column)
    default = f.default(row) if callable(f.default) else f.default
    return value is None or value == default


def _rows_named(section: Section, rows: list[dict[str, Any]], indexes: list[int]) -> str:
    shown = ", ".join(row_label(section.table, i, rows[i]) for i in indexes[:3])
    return shown + (f" and {len(indexes) - 3} more" if len(indexes) > 3 else "")
