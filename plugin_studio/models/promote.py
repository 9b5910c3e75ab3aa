"""Comparing one plugin's rows in two stores, and what promoting the source to the target changes.

Rows are matched across the stores by what names them in the plugin, not by id (ids differ from one
database to the next): a file by its path, a widget by its widget id, a migration by its version, a
hook by its hook name and type, an event by its event name and file name... Where several rows
share such a key (two filters on one hook) they are matched in the order the export reads them.
Each matched pair is ``same`` or ``changed`` (naming the columns that differ), a row only in the
source is ``added``, one only in the target ``removed``. The plugin's own row compares the columns
that describe the plugin (version, description, manifest…), never its store's state (installed,
enabled, status), which promoting leaves as the target has it.

A completed migration of the target whose SQL the source changed is ``blocked``: the target ran the
old SQL, and changing it there would break its checksum; write a new migration instead (the
platform's and Flyway's rule). Promote leaves it as it is and says so.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Iterable

from plugin_studio.models.package_sections import SECTIONS, Section, code

ADDED, CHANGED, REMOVED, SAME, BLOCKED = "added", "changed", "removed", "same", "blocked"
DIFFERENT = (ADDED, CHANGED, REMOVED)
REGISTRY = "plugin_registry"
# The plugin's own columns that promoting carries over; the rest is the target store's own state.
PROMOTED_REGISTRY_COLUMNS = ("version", "description", "author", "category", "type", "framework", "manifest",
                             "permissions", "dependencies", "tags")
# What names a row of a table without a unique column of its own.
_IDENTITY = {"plugin_events": ("event_name", "file_name"), "plugin_hooks": ("hook_name", "hook_type")}
# The column whose text the side-by-side diff shows (the code), per table; others show every column.
CODE_COLUMN = {s.table: next((f.column for f in s.fields if f.check is code), None) for s in SECTIONS}
ROW_ID = "id"
STATUS = "status"


def identity(section: Section) -> tuple[str, ...]:
    return _IDENTITY.get(section.table) or section.unique or (section.label,)


@dataclass(frozen=True)
class RowDiff:
    """One row of the comparison. ``source``/``target``: the row's columns in each store (None where
    it is absent); ``target_id``: its id in the target (what an update or delete names)."""
    table: str
    key: tuple[Any, ...]
    occurrence: int
    status: str
    source: dict[str, Any] | None
    target: dict[str, Any] | None
    columns: tuple[str, ...] = ()        # the columns that differ (changed, blocked)
    reason: str = ""                     # why a row is blocked
    label: str = ""                      # what names the row besides its key (a migration's name)

    @property
    def name(self) -> str:
        """How the row is named to people: ``plugin_scripts utils/a.js``; a repeated key gets ``#2``."""
        shown = " ".join(str(k) for k in (*self.key, self.label) if k not in (None, ""))
        return shown + (f" #{self.occurrence + 1}" if self.occurrence else "")

    @property
    def target_id(self) -> str | None:
        return None if self.target is None else self.target.get(ROW_ID)

    def to_json(self) -> dict[str, Any]:
        out = {"table": self.table, "name": self.name, "status": self.status, "columns": list(self.columns)}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class Comparison:
    """Every row of both sides, in table order, then by name."""
    rows: list[RowDiff] = field(default_factory=list)

    def differences(self) -> list[RowDiff]:
        return [r for r in self.rows if r.status in DIFFERENT]

    def blocked(self) -> list[RowDiff]:
        return [r for r in self.rows if r.status == BLOCKED]

    def counts(self) -> dict[str, int]:
        counts = {status: 0 for status in (ADDED, CHANGED, REMOVED, SAME, BLOCKED)}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {"counts": self.counts(), "differences": [r.to_json() for r in self.differences()],
                "blocked": [r.to_json() for r in self.blocked()]}


def compare(source: dict[str, Any], target: dict[str, Any] | None, source_rows: dict[str, list[dict[str, Any]]],
            target_rows: dict[str, list[dict[str, Any]]]) -> Comparison:
    """Compare a plugin's registry row and rows (``{table: [row, ...]}``, each row with its ``id``
    and, for migrations, its ``status``) in the source and the target (``target`` None: the plugin
    is not there yet, so every row is added)."""
    result = Comparison()
    result.rows.append(_registry_diff(source, target))
    for section in SECTIONS:
        if section.table in source_rows or section.table in target_rows:
            result.rows += _table_diff(section, source_rows.get(section.table, []), target_rows.get(section.table, []))
    return result


def _registry_diff(source: dict[str, Any], target: dict[str, Any] | None) -> RowDiff:
    key = (source.get("slug") or source.get("name"),)
    if target is None:
        return RowDiff(REGISTRY, key, 0, ADDED, source, None)
    columns = tuple(c for c in PROMOTED_REGISTRY_COLUMNS if c in source and c in target
                    and not same_value(source[c], target[c]))
    return RowDiff(REGISTRY, key, 0, CHANGED if columns else SAME, source, target, columns)


def _table_diff(section: Section, source: list[dict[str, Any]], target: list[dict[str, Any]]) -> list[RowDiff]:
    compared = tuple(f.column for f in section.fields)
    mine, theirs = keyed_rows(section, source), keyed_rows(section, target)
    diffs = []
    for key in sorted(mine.keys() | theirs.keys(), key=row_sort_key):
        here, there = mine.get(key), theirs.get(key)
        if there is None:
            diff = RowDiff(section.table, key[0], key[1], ADDED, here, None)
        elif here is None:
            diff = RowDiff(section.table, key[0], key[1], REMOVED, None, there)
        else:
            diff = _pair(section, key, here, there, compared)
        label = "" if section.label in identity(section) else (here or there).get(section.label) or ""
        diffs.append(replace(diff, label=label))
    return diffs


def _pair(section: Section, key, here: dict[str, Any], there: dict[str, Any], compared: tuple[str, ...]) -> RowDiff:
    columns = tuple(c for c in compared if not same_value(here.get(c), there.get(c)))
    if not columns:
        return RowDiff(section.table, key[0], key[1], SAME, here, there)
    if section.table == "plugin_migrations" and there.get(STATUS) == "completed" and "up_sql" in columns:
        return RowDiff(section.table, key[0], key[1], BLOCKED, here, there, columns,
                       "the target already ran this migration: its SQL cannot change there; add a new migration")
    return RowDiff(section.table, key[0], key[1], CHANGED, here, there, columns)


def keyed_rows(section: Section, rows: Iterable[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    columns, seen, keyed = identity(section), {}, {}
    for row in rows:
        key = tuple(row.get(c) for c in columns)
        n = seen.get(key, 0)
        seen[key] = n + 1
        keyed[(key, n)] = row
    return keyed


def row_sort_key(key: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in key[0]), key[1]


def same_value(a: Any, b: Any) -> bool:
    """Equal as the database holds them: JSON by value (numbers exact, key order ignored), text and
    numbers as they are."""
    return canonical(a) == canonical(b)


def canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def shown_text(diff: RowDiff, side: dict[str, Any] | None) -> str:
    """A side of a row as the diff view shows it: its code, or its columns as JSON, one a line."""
    if side is None:
        return ""
    column = CODE_COLUMN.get(diff.table)
    if column is not None and diff.columns and set(diff.columns) == {column}:
        return side.get(column) or ""
    shown = {k: v for k, v in side.items() if k not in (ROW_ID, STATUS)}
    return json.dumps(shown, indent=2, sort_keys=True, default=str, ensure_ascii=False) + "\n"
