"""Plugin packages as files: reading one safely, planning and running an import, exporting.

The flow the menu, drag-and-drop and the command line share:
``load_package(path, limits)`` (parse + check everything; raises ``PackageInvalid``) →
``services.packages.plan_import(conn, package)`` (what will be created, under which name; read-only) →
``services.packages.import_package(conn, package, ...)`` (one transaction); export is
``services.packages.export_package``. Here: reading, checking, planning and writing, no database.
The format itself lives in ``package_format``, the value checks in ``package_validate``.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from plugin_studio.db import exact_json
from plugin_studio.db.bundles import PluginBundle
from plugin_studio.models import paths
from plugin_studio.models.package_format import Package, read_package
from plugin_studio.models.package_validate import Checker, Limits, PackageInvalid, Problem, megabytes
from plugin_studio.models.package_write import FORMATS, check_exportable, platform_import_differences, write_package

__all__ = [
    "Package", "PackageInvalid", "Problem", "Limits", "ImportPlan", "PlannedItem", "ExportSummary",
    "load_package", "parse_package", "plan_import", "write_package_file", "package_text", "exportable_package",
    "default_file_name", "syntax_warnings", "SyntaxReport", "FORMATS",
]

# Which language each table's code is checked as; scripts go by their extension.
CODE_TO_CHECK = {
    "plugin_events": ("listener_function", "javascript"),
    "plugin_hooks": ("handler_function", "javascript"),
    "plugin_widgets": ("component_code", "jsx"),
    "plugin_dependencies": ("bundled_code", "javascript"),
    "plugin_controllers": ("handler_code", "javascript"),
    "plugin_admin_pages": ("component_code", "jsx"),
    "plugin_admin_scripts": ("script_code", "javascript"),
}
SCRIPT_LANGUAGES = {"javascript", "jsx"}


def load_package(path: str | os.PathLike, limits: Limits | None = None) -> Package:
    """Read and check a package file; ``PackageInvalid`` lists every problem found."""
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.package_bytes:
            raise PackageInvalid([Problem("package", f"{megabytes(size)} is over the package limit of "
                                          f"{megabytes(limits.package_bytes)}")])
        data = path.read_bytes()
    except OSError as exc:
        raise PackageInvalid([Problem("package", f"cannot read {path}: {exc.strerror or exc}")]) from exc
    return parse_package(data, limits)


def parse_package(data: bytes | str, limits: Limits | None = None) -> Package:
    limits = limits or Limits()
    raw = _parse_json(data, limits)
    checker = Checker(limits)
    package = read_package(raw, checker)
    if package is None:
        raise PackageInvalid(checker.problems)
    return package


def _parse_json(data: bytes | str, limits: Limits) -> Any:
    if len(data) > limits.package_bytes:
        raise PackageInvalid([Problem("package", f"{megabytes(len(data))} is over the package limit of "
                                      f"{megabytes(limits.package_bytes)}")])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PackageInvalid([Problem("package", f"is not UTF-8 text (byte {exc.start})")]) from exc
    try:
        return exact_json.loads(data, object_pairs_hook=_refuse_duplicate_keys)
    except exact_json.JSONDecodeError as exc:
        raise PackageInvalid([Problem("package", f"is not valid JSON: {exc.msg} at line {exc.lineno} "
                                      f"column {exc.colno}")]) from exc
    except (ValueError, RecursionError) as exc:
        raise PackageInvalid([Problem("package", f"is not valid JSON: {exc}")]) from exc


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        duplicate = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key {duplicate!r} appears twice in one object")
    return obj


@dataclass(frozen=True)
class PlannedItem:
    path: str      # as the tree will show it
    kind: str      # script | event | hook | widget | entity | migration | controller | data | dependency | doc
                   # | admin page | admin script | cron job
    table: str
    index: int     # row index in the package's bundle


@dataclass
class ImportPlan:
    """What an import will create; shown in the preview before anything is written."""
    package: Package
    name: str
    slug: str
    items: list[PlannedItem]
    widget_clashes: dict[str, list[str]]          # widget id → plugins that already use it
    widget_renames: dict[str, str]                # applied when the user chooses to rename
    plugin_data: dict[str, Any]                   # shown because values may hold secrets
    warnings: list[Problem] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        return self.name != self.package.bundle.plugin["name"] or self.slug != self.package.bundle.plugin["slug"]


def plan_import(package: Package, name: str, slug: str, widget_clashes: dict[str, list[str]],
                widget_renames: dict[str, str]) -> ImportPlan:
    """What importing ``package`` creates, given the name and slug it would get now and the widget ids
    other plugins use (``services.packages.plan_import`` asks the database)."""
    data = {r["data_key"]: r["data_value"] for r in package.bundle.rows.get("plugin_data", [])}
    return ImportPlan(package, name, slug, planned_items(package), widget_clashes, widget_renames, data,
                      list(package.warnings))


def planned_items(package: Package) -> list[PlannedItem]:
    """Every row the import creates, with the path the tree will show it under (DESIGN.md §4)."""
    rows = package.bundle.rows
    return [PlannedItem(path(row), kind, table, i)
            for table, kind, path in PLANNED_PATHS for i, row in enumerate(rows.get(table, []))]


PLANNED_PATHS = (
    ("plugin_scripts", "script", lambda r: r["file_name"]),
    ("plugin_events", "event", lambda r: paths.path_for_event(r["event_name"], r["file_name"])),
    ("plugin_hooks", "hook", lambda r: paths.path_for_hook(r["hook_name"])),
    ("plugin_widgets", "widget", lambda r: paths.path_for_widget(r["widget_id"])),
    ("plugin_entities", "entity", lambda r: f"entities/{r['entity_name']}.json"),
    ("plugin_migrations", "migration", lambda r: paths.path_for_migration(r["migration_version"], r["migration_name"])),
    ("plugin_controllers", "controller", lambda r: f"controllers/{r['controller_name']}.js"),
    ("plugin_docs", "doc", lambda r: r["file_name"]),
    ("plugin_admin_pages", "admin page", lambda r: f"admin/{r['page_key']}.jsx"),
    ("plugin_admin_scripts", "admin script", lambda r: f"admin/scripts/{r['script_name']}.js"),
    ("plugin_cron", "cron job", lambda r: f"cron/{r['cron_name']}.js"),
    ("plugin_data", "data", lambda r: f"pluginData/{r['data_key']}"),
    ("plugin_dependencies", "dependency", lambda r: f"dependencies/{r['package_name']}"),
)


@dataclass
class ExportSummary:
    path: Path
    plugin_name: str
    bytes_written: int
    row_count: int
    warnings: list[Problem] = field(default_factory=list)   # what the platform's import stores differently


def exportable_package(bundle: PluginBundle, *, format: str = "studio", include_data: bool = True,
                       limits: Limits | None = None, exported_at: str | None = None) -> dict[str, Any]:
    """The package for ``bundle``, refused (``PackageInvalid`` naming each row) when an import would
    refuse it: the same limits on both sides."""
    exported_at = exported_at or datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    package = write_package(bundle, exported_at=exported_at, format=format, include_data=include_data)
    check_exportable(package, limits or Limits())
    return package


def write_package_file(bundle: PluginBundle, path: str | os.PathLike, *, format: str = "studio",
                       include_data: bool = True, limits: Limits | None = None) -> ExportSummary:
    """Write a plugin's package; the file is replaced only once it is completely written.

    Raises ``PackageInvalid`` (nothing written) when an import would refuse the package, OSError when
    the file cannot be written. ``summary.warnings`` say what the platform's import will store differently.
    """
    package = exportable_package(bundle, format=format, include_data=include_data, limits=limits)
    data = package_text(package).encode("utf-8")
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, f"cannot write {path}: {exc.strerror or exc}") from exc
    return ExportSummary(path, bundle.plugin["name"], len(data), bundle.row_count(),
                         platform_import_differences(bundle, format=format))


def package_text(package: dict[str, Any]) -> str:
    """The file's text: two-space indent, keys in the package's order (the platform's first), numbers
    exactly as stored, so two exports diff line by line."""
    return exact_json.dumps(package, indent=2) + "\n"


def default_file_name(slug: str, version: str) -> str:
    """``<slug>-<version>.json``, with anything unsafe in a file name replaced."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{slug}-{version}").strip("-.") or "plugin"
    return f"{stem}.json"


def code_to_check(package: Package) -> list[tuple[str, str, int, str]]:
    """(language, table, index, code) for every row holding JavaScript or JSX."""
    found = []
    for table, rows in package.bundle.rows.items():
        if table == "plugin_scripts":
            for i, row in enumerate(rows):
                language = paths.language_for(row["file_name"])
                if language in SCRIPT_LANGUAGES and row["file_content"].strip():
                    found.append((language, table, i, row["file_content"]))
        elif table in CODE_TO_CHECK:
            column, language = CODE_TO_CHECK[table]
            found += [(language, table, i, r[column]) for i, r in enumerate(rows) if (r.get(column) or "").strip()]
    return found


@dataclass
class SyntaxReport:
    errors: list[tuple[str, int, Problem]] = field(default_factory=list)   # (table, row index, problem)
    notes: list[Problem] = field(default_factory=list)                     # code that could not be checked
    checked: int = 0


SYNTAX_BATCH_FILES = 250          # files per call of ``check_many``: progress and Cancel between calls
SYNTAX_BATCH_CHARS = 2_000_000


def syntax_warnings(package: Package, check_many: Callable[[list[tuple[str, str]]], list], *,
                    is_cancelled: Callable[[], bool] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> SyntaxReport:
    """Syntax errors in the package's JavaScript and JSX, reported as warnings (the import goes ahead).

    ``check_many([(code, language), ...])`` is the JS runtime's parser for a batch
    (``runner.syntax.check_syntax_many`` bound to a host, supplied by the caller so this layer
    starts no process); it returns, per item, problems with ``line``, ``column`` and ``message``.
    Each distinct text is parsed once (packages repeat boilerplate). If a batch raises, that
    language is not checked further and one note says why, instead of the same failure on every row.
    """
    report = SyntaxReport()
    todo = code_to_check(package)
    rows_of: dict[tuple[str, str], list[int]] = {}
    for n, (language, _table, _index, code) in enumerate(todo):
        rows_of.setdefault((language, code), []).append(n)
    plan = {(item.table, item.index): item.path for item in planned_items(package)}
    found: list[tuple[int, str, int, Problem]] = []
    done, broken = 0, set()
    for batch in _batches(list(rows_of)):
        language = batch[0][0]
        if is_cancelled and is_cancelled():
            break
        rows = [n for key in batch for n in rows_of[key]]
        if language not in broken:
            try:
                results = check_many([(code, lang) for lang, code in batch])
            except Exception as exc:  # the runner's own failure (timeout, crash, a bug): not the package's fault
                broken.add(language)
                report.notes.append(Problem(_where(package, plan, todo[rows[0]]),
                                            f"{language} could not be syntax-checked ({exc}); "
                                            f"the remaining {language} code was not checked"))
            else:
                report.checked += len(rows)
                for key, problems in zip(batch, results):
                    found += _first_errors(package, plan, todo, rows_of[key], problems)
        done += len(rows)
        if progress:
            progress(done, len(todo))
    report.errors = [(table, index, problem) for _n, table, index, problem in sorted(found, key=lambda f: f[0])]
    return report


def _batches(keys: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The distinct (language, code) pairs, one language per batch, each batch of bounded size."""
    batches: list[list[tuple[str, str]]] = []
    for language in dict.fromkeys(language for language, _code in keys):
        batch, chars = [], 0
        for key in (k for k in keys if k[0] == language):
            if batch and (len(batch) >= SYNTAX_BATCH_FILES or chars + len(key[1]) > SYNTAX_BATCH_CHARS):
                batches.append(batch)
                batch, chars = [], 0
            batch.append(key)
            chars += len(key[1])
        batches.append(batch)
    return batches


def _where(package: Package, plan: dict, item: tuple[str, str, int, str]) -> str:
    _language, table, index, _code = item
    return f"{package.source_path(table, index)} ({plan[(table, index)]})"


def _first_errors(package: Package, plan: dict, todo: list, rows: list[int],
                  problems: list) -> list[tuple[int, str, int, Problem]]:
    """The first error of one text, reported on every row that holds that text."""
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if not errors:
        return []
    first = errors[0]
    message = f"syntax error at line {first.line}:{first.column}: {first.message}"
    return [(n, todo[n][1], todo[n][2], Problem(_where(package, plan, todo[n]), message)) for n in rows]
