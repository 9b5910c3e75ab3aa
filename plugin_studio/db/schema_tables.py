"""How ``db.schema`` declares a table: its columns, indexes and uniques, and the SQL that creates them.

No psycopg; ``db.schema`` plans and applies, ``db.schema_history`` declares the version tables.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str                       # SQL type, e.g. "varchar(255)"
    default: str | None = None      # SQL expression
    not_null: bool = False
    primary_key: bool = False
    check: str | None = None        # only when the table is created
    references: str | None = None   # only when the table is created, e.g. "plugin_registry(id) ON DELETE CASCADE"

    def create_sql(self) -> str:
        parts = [f'"{self.name}"', self.type]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        if self.not_null:
            parts.append("NOT NULL")
        if self.default is not None:
            parts.append(f"DEFAULT {self.default}")
        if self.check:
            parts.append(f"CHECK ({self.check})")
        if self.references:
            parts.append(f"REFERENCES {self.references}")
        return " ".join(parts)

    def add_sql(self) -> str:
        """As added to an existing table: nullable and unchecked, so existing rows can never refuse it."""
        return f'"{self.name}" {self.type}' + (f" DEFAULT {self.default}" if self.default is not None else "")


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    uniques: tuple[tuple[str, ...], ...] = ()   # only when the table is created (the platform has none)
    indexes: tuple[Index, ...] = ()
    optional: bool = False      # missing, it is offered by db init but does not block use (version history)

    def create_sql(self) -> str:
        lines = [c.create_sql() for c in self.columns]
        lines += [f"UNIQUE ({', '.join(u)})" for u in self.uniques]
        return f'CREATE TABLE "{self.name}" (\n    ' + ",\n    ".join(lines) + "\n)"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)
