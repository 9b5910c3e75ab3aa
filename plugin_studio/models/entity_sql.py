"""The migration an entity needs: CREATE TABLE for a new table, ALTER TABLE against the live one.

What the platform's ``generate-entity-migration`` produces (PLATFORM.md §6.3), right where it is wrong:
falsy defaults (``0``, ``0.00``, ``false``) are kept, unique columns and foreign keys are emitted, the
ALTER is computed against the table as it is in the database (not against the stored entity, which
may have been saved without ever being migrated), and every migration has a DOWN script that undoes
it step by step instead of a comment asking for a manual rollback.

Types and defaults are compared as PostgreSQL stores them: a type is read by PostgreSQL's own parser
(pglast) and written as ``format_type`` writes it (``DECIMAL(10,2)`` = ``numeric(10,2)``); a default is
compared without its casts (``'pending'`` = ``'pending'::character varying``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from pglast import ast, parse_sql
from pglast.stream import RawStream

from plugin_studio.db.records import LiveColumn, LiveTable
from plugin_studio.models.entity_schema import Column, ForeignKey, Index, TableSpec, folded, ident, sql_string

# PostgreSQL's internal type names as format_type() writes them.
FORMAT_NAMES = {
    "int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real", "float8": "double precision",
    "bool": "boolean", "varchar": "character varying", "bpchar": "character", "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone", "time": "time without time zone", "timetz": "time with time zone",
    "serial": "integer", "serial4": "integer", "bigserial": "bigint", "serial8": "bigint",
    "smallserial": "smallint", "serial2": "smallint", "decimal": "numeric", "int": "integer", "integer": "integer",
}
SERIALS = {"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"}
SAME_DEFAULTS = {"current_timestamp": "now()", "transaction_timestamp()": "now()"}


class NothingToMigrate(ValueError):
    """The live table already is what the entity describes."""


@dataclass
class GeneratedMigration:
    kind: str                 # create | alter
    name: str                 # create_visits_table.sql, alter_visits_table_add_note.sql
    description: str
    up_sql: str
    down_sql: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class Step:
    """One change and the statement that undoes it."""
    up: str
    down: str


def migration_version(now: datetime | None = None) -> str:
    """``YYYYMMDDHHMMSS`` in UTC, as the platform names generated migrations."""
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")


# ---- types and defaults as PostgreSQL stores them -------------------------------------------------------

def _type_name(text: str) -> ast.TypeName:
    return parse_sql(f"CREATE TABLE t (c {text})")[0].stmt.tableElts[0].typeName


def canonical_type(text: str) -> str:
    """``text`` as ``format_type()`` would show the column's type: ``DECIMAL(10,2)`` → ``numeric(10,2)``."""
    type_name = _type_name(text)
    name = type_name.names[-1].sval
    mods = [str(m.val.ival) for m in type_name.typmods or () if isinstance(m, ast.A_Const)]
    shown = FORMAT_NAMES.get(name, name)
    if mods and name in ("timestamp", "timestamptz", "time", "timetz"):
        base, _, zone = shown.partition(" ")
        shown = f"{base}({','.join(mods)}) {zone}"
    elif mods:
        shown = f"{shown}({','.join(mods)})"
    return shown + "[]" * len(type_name.arrayBounds or ())


def is_serial(text: str) -> bool:
    return _type_name(text).names[-1].sval in SERIALS


def canonical_default(text: str | None) -> str | None:
    """A default expression without its casts, lower case: ``'pending'::character varying`` → ``'pending'``."""
    if text is None:
        return None
    node = parse_sql(f"SELECT {text}")[0].stmt.targetList[0].val
    while isinstance(node, ast.TypeCast):
        node = node.arg
    shown = RawStream()(node).lower()
    return SAME_DEFAULTS.get(shown, shown)


# ---- CREATE ----------------------------------------------------------------------------------------

def column_sql(column: Column, inline_key: bool) -> str:
    parts = [ident(column.name), column.type]
    if column.primary_key and inline_key:
        parts.append("PRIMARY KEY")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.not_null and not (column.primary_key and inline_key):
        parts.append("NOT NULL")
    if column.unique and not column.primary_key:
        parts.append("UNIQUE")
    return " ".join(parts)


def foreign_key_sql(table: str, key: ForeignKey) -> str:
    """As ``pg_get_constraintdef`` writes it, so a live key can be compared with ours."""
    text = f"FOREIGN KEY ({ident(key.column)}) REFERENCES {ident(key.table)}({ident(key.ref_column)})"
    if key.on_update and key.on_update != "NO ACTION":
        text += f" ON UPDATE {key.on_update}"
    if key.on_delete and key.on_delete != "NO ACTION":
        text += f" ON DELETE {key.on_delete}"
    return text


def foreign_key_name(table: str, key: ForeignKey) -> str:
    return f"fk_{folded(table)}_{folded(key.column)}"[:63]


def index_sql(table: str, index: Index) -> str:
    columns = [ident(c) for c in index.columns]
    if index.order:
        columns[-1] += f" {index.order}"  # the platform's form: the order follows the last column
    unique = "UNIQUE " if index.unique else ""
    return f"CREATE {unique}INDEX {ident(index.name)} ON {ident(table)} ({', '.join(columns)});"


def create_migration(entity_name: str, table: str, spec: TableSpec) -> GeneratedMigration:
    """A new table: columns, primary key, uniques, foreign keys, indexes, comments; DOWN drops it."""
    composite = len(spec.primary_key) > 1
    lines = [column_sql(c, inline_key=not composite) for c in spec.columns]
    if composite:
        lines.append(f"PRIMARY KEY ({', '.join(ident(c) for c in spec.primary_key)})")
    lines += [f"CONSTRAINT {ident(foreign_key_name(table, k))} {foreign_key_sql(table, k)}" for k in spec.foreign_keys]
    up = [f"CREATE TABLE {ident(table)} (\n  " + ",\n  ".join(lines) + "\n);"]
    up += [index_sql(table, index) for index in spec.indexes]
    up.append(f"COMMENT ON TABLE {ident(table)} IS {sql_string(f'Entity table for {entity_name}')};")
    up += [f"COMMENT ON COLUMN {ident(table)}.{ident(c.name)} IS {sql_string(c.comment)};"
           for c in spec.columns if c.comment]
    # No CASCADE: if anything came to depend on the table, the rollback stops instead of dropping it too.
    return GeneratedMigration("create", f"create_{folded(table)}_table.sql",
                              f"Create {folded(table)} table for {entity_name} entity",
                              "\n\n".join(up) + "\n", f"DROP TABLE IF EXISTS {ident(table)};\n")
