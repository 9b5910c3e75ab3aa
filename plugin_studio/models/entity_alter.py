"""ALTER TABLE for an entity whose table exists: the live table made to match the entity, step by step,
each step with its exact inverse for the DOWN script (run in reverse order).

Steps, in order: foreign keys and uniques that go or change are dropped, indexes the entity no longer
declares are dropped, columns are added, existing columns change type, nullability and default,
columns the entity no longer has are dropped, then uniques, foreign keys and new indexes are added.
A primary key that differs is reported, not changed (that needs a plan only a person can make).
"""
from __future__ import annotations

from plugin_studio.db.records import LiveColumn, LiveConstraint, LiveTable
from plugin_studio.models.entity_schema import Column, TableSpec, folded, ident
from plugin_studio.models.entity_sql import (
    GeneratedMigration, NothingToMigrate, Step, canonical_default, canonical_type, column_sql, foreign_key_name,
    foreign_key_sql, index_sql, is_serial,
)


def alter_migration(entity_name: str, spec: TableSpec, live: LiveTable,
                    previous_indexes: list[str] = ()) -> GeneratedMigration:
    """The ALTER migration from ``live`` to ``spec``. ``previous_indexes``: index names the entity declared
    before (only those are dropped when it no longer does; other indexes on the table are left alone).
    Raises NothingToMigrate when the table already matches."""
    table = live.name
    steps: list[Step] = []
    warnings: list[str] = []
    wanted = {folded(c.name): c for c in spec.columns}
    steps += _constraint_drops(table, spec, live)
    steps += _index_drops(table, spec, live, previous_indexes)
    added = [c for c in spec.columns if live.column(folded(c.name)) is None]
    steps += [_add_column(table, c) for c in added]
    for column in spec.columns:
        current = live.column(folded(column.name))
        if current is not None:
            steps += _column_changes(table, column, current, warnings)
    dropped = [c for c in live.columns if c.name not in wanted]
    steps += [_drop_column(table, c) for c in dropped]
    steps += _constraint_adds(table, spec, live)
    steps += [Step(index_sql(table, i), f"DROP INDEX IF EXISTS {ident(i.name)};")
              for i in spec.indexes if folded(i.name) not in live.indexes]
    _primary_key_warning(spec, live, warnings)
    if not steps:
        raise NothingToMigrate(f"the table {table} already matches the entity: there is nothing to migrate")
    warnings[:0] = _drop_warnings(dropped, added)
    name = "_".join(["alter", table, "table", *_name_parts("add", added), *_name_parts("drop", dropped)])
    return GeneratedMigration("alter", name[:200] + ".sql", f"Update {table} table schema for {entity_name} entity",
                              _script(steps, warnings, up=True), _script(steps, warnings, up=False), warnings)


def _name_parts(verb: str, columns: list) -> list[str]:
    if not columns:
        return []
    return [verb, *[folded(c.name) for c in columns]] if len(columns) <= 3 else [verb, f"{len(columns)}_columns"]


def _script(steps: list[Step], warnings: list[str], up: bool) -> str:
    head = [f"-- {w}" for w in warnings] if up and warnings else []
    body = [s.up for s in steps] if up else [s.down for s in reversed(steps)]
    return "\n".join(head + ([""] if head else []) + body) + "\n"


def _drop_warnings(dropped: list[LiveColumn], added: list[Column]) -> list[str]:
    found = []
    if dropped:
        found.append(f"DROPS {len(dropped)} COLUMN(S) ({', '.join(c.name for c in dropped)}): their data is deleted;"
                     " the rollback adds them back empty")
    blocked = [c.name for c in added if c.not_null and c.default is None and not is_serial(c.type)]
    if blocked:
        found.append(f"adds NOT NULL column(s) without a default ({', '.join(blocked)}): fails if the table has rows")
    return found


def _primary_key_warning(spec: TableSpec, live: LiveTable, warnings: list[str]) -> None:
    live_key = next((c.columns for c in live.constraints if c.kind == "p"), ())
    if tuple(folded(c) for c in spec.primary_key) != tuple(live_key):
        warnings.append(f"the primary key differs ({', '.join(live_key) or 'none'} in the table): not changed by "
                        "this migration; change it by hand if you mean to")


# ---- columns --------------------------------------------------------------------------------------------

def _add_column(table: str, column: Column) -> Step:
    return Step(f"ALTER TABLE {ident(table)} ADD COLUMN {column_sql(column, inline_key=False)};",
                 f"ALTER TABLE {ident(table)} DROP COLUMN {ident(column.name)};")


def _drop_column(table: str, column: LiveColumn) -> Step:
    again = f"{ident(column.name)} {column.type}"
    if column.default is not None:
        again += f" DEFAULT {column.default}"
    if column.not_null:
        again += " NOT NULL"
    return Step(f"ALTER TABLE {ident(table)} DROP COLUMN {ident(column.name)};",
                 f"ALTER TABLE {ident(table)} ADD COLUMN {again};")


def _column_changes(table: str, column: Column, live: LiveColumn, warnings: list[str]) -> list[Step]:
    steps = []
    alter = f"ALTER TABLE {ident(table)} ALTER COLUMN {ident(column.name)}"
    new_type = canonical_type(column.type)
    if new_type != live.type:
        warnings.append(f"CHANGES the type of {live.name} from {live.type} to {new_type}: values that don't "
                        "convert make the migration fail")
        steps.append(Step(f"{alter} TYPE {column.type} USING {ident(column.name)}::{column.type};",
                           f"{alter} TYPE {live.type} USING {ident(column.name)}::{live.type};"))
    if column.not_null != live.not_null:
        steps.append(Step(f"{alter} {'SET' if column.not_null else 'DROP'} NOT NULL;",
                           f"{alter} {'DROP' if column.not_null else 'SET'} NOT NULL;"))
    if not is_serial(column.type) and canonical_default(column.default) != canonical_default(live.default):
        steps.append(Step(f"{alter} " + (f"SET DEFAULT {column.default};" if column.default else "DROP DEFAULT;"),
                           f"{alter} " + (f"SET DEFAULT {live.default};" if live.default else "DROP DEFAULT;")))
    return steps


# ---- constraints and indexes ----------------------------------------------------------------------------

def _unique_columns(spec: TableSpec) -> set[str]:
    return {folded(c.name) for c in spec.columns if c.unique and not c.primary_key}


def _wanted_keys(table: str, spec: TableSpec) -> dict[str, str]:
    """Foreign-key column → its definition as pg_get_constraintdef writes it."""
    return {folded(k.column): foreign_key_sql(table, k) for k in spec.foreign_keys}


def _constraint_drops(table: str, spec: TableSpec, live: LiveTable) -> list[Step]:
    steps = []
    uniques, keys = _unique_columns(spec), _wanted_keys(table, spec)
    for constraint in live.constraints:
        column = constraint.columns[0] if len(constraint.columns) == 1 else None
        if constraint.kind == "u" and column and column not in uniques:
            steps.append(_drop_constraint(table, constraint))
        elif constraint.kind == "f" and column and keys.get(column, "").lower() != constraint.definition.lower():
            steps.append(_drop_constraint(table, constraint))
    return steps


def _drop_constraint(table: str, constraint: LiveConstraint) -> Step:
    return Step(f"ALTER TABLE {ident(table)} DROP CONSTRAINT {ident(constraint.name)};",
                 f"ALTER TABLE {ident(table)} ADD CONSTRAINT {ident(constraint.name)} {constraint.definition};")


def _constraint_adds(table: str, spec: TableSpec, live: LiveTable) -> list[Step]:
    steps = []
    have_unique = {c.columns[0] for c in live.constraints if c.kind == "u" and len(c.columns) == 1}
    for column in sorted(_unique_columns(spec) - have_unique):
        if live.column(column) is not None:  # a column added by this migration carries its UNIQUE inline
            name = f"{folded(table)}_{column}_key"[:63]
            steps.append(Step(f"ALTER TABLE {ident(table)} ADD CONSTRAINT {ident(name)} UNIQUE ({ident(column)});",
                               f"ALTER TABLE {ident(table)} DROP CONSTRAINT {ident(name)};"))
    have_keys = {c.definition.lower() for c in live.constraints if c.kind == "f"}
    for key in spec.foreign_keys:
        definition = foreign_key_sql(table, key)
        if definition.lower() not in have_keys:
            name = ident(foreign_key_name(table, key))
            steps.append(Step(f"ALTER TABLE {ident(table)} ADD CONSTRAINT {name} {definition};",
                               f"ALTER TABLE {ident(table)} DROP CONSTRAINT {name};"))
    return steps


def _index_drops(table: str, spec: TableSpec, live: LiveTable, previous: list[str]) -> list[Step]:
    keep = {folded(i.name) for i in spec.indexes}
    gone = [folded(n) for n in previous if folded(n) not in keep and folded(n) in live.indexes]
    return [Step(f"DROP INDEX {ident(name)};", live.indexes[name] + ";") for name in gone]
