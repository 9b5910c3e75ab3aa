"""One plugin across many stores: which store has which version of each of its rows.

Rows are matched across stores as ``models.promote`` matches two (a file by its path, a migration
by its version…). In each row, the stores' contents are numbered by first appearance in the group's
order: the first store's content is version 1, the next different content version 2, and so on; a
store without the row has none. A store that could not be read, or lacks the plugin, is a column
with a note instead of versions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plugin_studio.models.package_sections import SECTIONS
from plugin_studio.models.promote import (
    PROMOTED_REGISTRY_COLUMNS, REGISTRY, canonical, identity, keyed_rows, row_sort_key,
)


@dataclass(frozen=True)
class StoreSide:
    """A store's view of the plugin: its registry row and rows (``None`` registry: the plugin is not
    there); ``error``: why the store could not be read."""
    store: str
    registry: dict[str, Any] | None = None
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class MatrixRow:
    table: str
    name: str
    versions: tuple[int | None, ...]      # per store: 1, 2, … or None (absent, or the store unread)

    @property
    def differs(self) -> bool:
        return len(set(self.versions)) > 1


@dataclass
class VersionMatrix:
    stores: tuple[str, ...]
    plugin_versions: tuple[str | None, ...]   # the plugin's version string in each store
    notes: tuple[str, ...]                    # per store: "" or why it has no versions
    rows: list[MatrixRow] = field(default_factory=list)

    def differing(self) -> list[MatrixRow]:
        return [r for r in self.rows if r.differs]

    def to_json(self) -> dict[str, Any]:
        return {"stores": list(self.stores), "plugin_versions": list(self.plugin_versions), "notes": list(self.notes),
                "rows": [{"table": r.table, "name": r.name, "versions": list(r.versions)} for r in self.rows]}


def version_matrix(sides: list[StoreSide]) -> VersionMatrix:
    present = [s.registry is not None and not s.error for s in sides]
    matrix = VersionMatrix(tuple(s.store for s in sides),
                           tuple((s.registry or {}).get("version") for s in sides),
                           tuple(_note(s) for s in sides))
    matrix.rows.append(MatrixRow(REGISTRY, "plugin", _numbered(
        [_registry_content(s) if ok else None for s, ok in zip(sides, present)])))
    for section in SECTIONS:
        keyed = [keyed_rows(section, s.rows.get(section.table, [])) if ok else {} for s, ok in zip(sides, present)]
        columns = tuple(f.column for f in section.fields)
        for key in sorted(set().union(*keyed), key=row_sort_key):
            contents = [_content(k.get(key), columns) for k in keyed]
            matrix.rows.append(MatrixRow(section.table, _name(section, key, keyed), _numbered(contents)))
    return matrix


def _note(side: StoreSide) -> str:
    if side.error:
        return side.error
    return "" if side.registry is not None else "plugin not in this store"


def _registry_content(side: StoreSide) -> Any:
    return canonical({c: side.registry.get(c) for c in PROMOTED_REGISTRY_COLUMNS})


def _content(row: dict[str, Any] | None, columns: tuple[str, ...]) -> Any:
    return None if row is None else canonical({c: row.get(c) for c in columns})


def _numbered(contents: list[Any]) -> tuple[int | None, ...]:
    seen: list[Any] = []
    numbers = []
    for content in contents:
        if content is None:
            numbers.append(None)
            continue
        if content not in seen:
            seen.append(content)
        numbers.append(seen.index(content) + 1)
    return tuple(numbers)


def _name(section, key: tuple, keyed: list[dict]) -> str:
    values, occurrence = key
    row = next(k[key] for k in keyed if key in k)
    label = "" if section.label in identity(section) else row.get(section.label) or ""
    shown = " ".join(str(v) for v in (*values, label) if v not in (None, ""))
    return shown + (f" #{occurrence + 1}" if occurrence else "")
