"""An entity as a file (``entities/<entity_name>.json``), and the migration generated from it.

The file is one JSON document of four columns (``models.entity_schema``); a save writes exactly that
row, after checking that nobody changed it since it was loaded (ConflictError otherwise), and refuses
a document that can't be read (ValidationError with its line). "Generate migration" records a pending
``plugin_migrations`` row (CREATE TABLE for a new table, ALTER TABLE against the live one) and links
the entity to it; running that migration moves the entity's ``migration_status`` (``db.entities``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg

from plugin_studio.db import entities, migrations, plugins
from plugin_studio.db.errors import ConflictError, NotFound, ValidationError
from plugin_studio.db.records import EntityRow
from plugin_studio.models.entity_alter import alter_migration
from plugin_studio.models.entity_schema import (
    EntityDocument, EntityError, TableSpec, document_from_row, errors, parse_document, read_document, render_document,
    schema_json,
)
from plugin_studio.models.entity_sql import GeneratedMigration, create_migration, migration_version

TABLE = "plugin_entities"
INDEX_NAME = re.compile(r'CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([A-Za-z_][A-Za-z0-9_]*)', re.I)


def entity_text(row: EntityRow) -> str:
    return render_document(document_from_row(row.entity_name, row.table_name, row.description, row.schema_text))


def load_entity_text(conn: psycopg.Connection, row_id: str) -> str | None:
    """The entity's file text; None when the row is gone."""
    row = entities.get_entity(conn, row_id)
    return None if row is None else entity_text(row)


def read_entity_text(text: str) -> tuple[EntityDocument, TableSpec]:
    """The document and its table; ValidationError (with the line) for a document we can't store."""
    try:
        doc = parse_document(text)
    except EntityError as exc:
        where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
        raise ValidationError(f"the entity file can't be saved{where}: {exc}") from None
    spec, problems = read_document(doc)
    bad = errors(problems)
    if bad:
        raise ValidationError("the entity file can't be saved: "
                              + "; ".join(f"{p.where}: {p.message}" for p in bad))
    return doc, spec


def save_entity_text(conn: psycopg.Connection, row_id: str, text: str, loaded_text: str) -> None:
    """Write the document to its row unless the row changed since ``loaded_text``; one UPDATE."""
    doc, _spec = read_entity_text(text)
    with conn.transaction():
        row = entities.lock_entity(conn, row_id)
        if row is None:
            raise NotFound(f"{TABLE} row {row_id} no longer exists")
        current = entity_text(row)
        if current != loaded_text and current != text:
            raise ConflictError(TABLE, row_id, current)
        entities.update_entity(conn, row, doc.entity_name, doc.table_name, doc.description, schema_json(doc.schema))


def overwrite_entity_text(conn: psycopg.Connection, row_id: str, text: str) -> None:
    current = load_entity_text(conn, row_id)
    if current is None:
        raise NotFound(f"{TABLE} row {row_id} no longer exists")
    save_entity_text(conn, row_id, text, current)


def recreate_entity(conn: psycopg.Connection, plugin_id: str, row_id: str, text: str) -> str:
    """The row was deleted while edited: insert it again, same id, from the editor's text."""
    doc, _spec = read_entity_text(text)
    plugins.get_plugin(conn, plugin_id)
    return entities.create_entity(conn, plugin_id, doc.entity_name, doc.table_name, schema_json(doc.schema),
                                  description=doc.description, row_id=row_id)


@dataclass
class EntityMigration:
    """A generated migration as recorded: its row, version and SQL (``migration.warnings`` to show)."""
    migration_id: str
    version: str
    migration: GeneratedMigration


def plan_migration(conn: psycopg.Connection, row: EntityRow) -> GeneratedMigration:
    """CREATE for a table that does not exist, else ALTER from the live table; NothingToMigrate when equal."""
    _doc, spec = read_entity_text(entity_text(row))
    live = entities.live_table(conn, row.table_name.lower())
    if live is None:
        return create_migration(row.entity_name, row.table_name, spec)
    previous = INDEX_NAME.findall(row.create_table_sql or "")
    return alter_migration(row.entity_name, spec, live, previous + [i.name for i in spec.indexes])


def generate_migration(conn: psycopg.Connection, row_id: str) -> EntityMigration:
    """Record the migration the stored entity needs (status pending) and link the entity to it."""
    row = entities.get_entity(conn, row_id)
    if row is None:
        raise NotFound(f"{TABLE} row {row_id} no longer exists")
    plugin = plugins.get_plugin(conn, row.plugin_id)
    made = plan_migration(conn, row)
    version = _free_version(conn, plugin.id)
    with conn.transaction():
        migration_id = migrations.create_migration(conn, plugin.id, plugin.name, version, made.name.removesuffix(".sql"),
                                                   made.up_sql, made.down_sql, made.description)
        entities.set_migration(conn, row.id, version, made.up_sql, made.down_sql)
    return EntityMigration(migration_id, version, made)


def _free_version(conn: psycopg.Connection, plugin_id: str) -> str:
    """The platform's YYYYMMDDHHMMSS; a second generated within the same second gets the next second's."""
    version = migration_version()
    while migrations.find_migration(conn, plugin_id, version):
        version = str(int(version) + 1)
    return version
