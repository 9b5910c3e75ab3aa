"""One plugin's rows as plain data, between the package format (``models/``) and the queries
(``db/packages.py``), and what the target database's tables look like; this module imports no psycopg.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TableSpec:
    """What a package carries of one table: its columns, and the ORDER BY an export reads them in
    (trusted SQL from the format's declaration, never from a package)."""
    columns: tuple[str, ...]
    order: str = "created_at, id"


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the target database, as its catalogue tells it."""
    name: str
    data_type: str              # "character varying", "jsonb", "integer", "uuid", ...
    not_null: bool
    max_chars: int | None       # varchar(n): n
    default: str | None         # the default's SQL, e.g. "'pending'::character varying"
    has_default: bool = False

    @property
    def is_json(self) -> bool:
        return self.data_type in ("jsonb", "json")


TableColumns = dict[str, dict[str, ColumnInfo]]   # table → column name → info, for the tables that exist


@dataclass
class PluginBundle:
    """One plugin's rows, keyed by table, as column→value dicts (no ids, no timestamps)."""
    plugin: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def row_count(self) -> int:
        return sum(len(r) for r in self.rows.values())


@dataclass
class ImportResult:
    plugin_id: str
    name: str
    slug: str
    widget_renames: dict[str, str]
    row_ids: dict[str, list[str]]   # per table, in the bundle's row order
    version: Any = None             # what import_bundle's after_rows returned (the history's version)
