"""Opening and saving the text behind a tree entry, whatever table it lives in.

A document (``models.documents.Document``) remembers the text it was loaded with; a save sends
that along so the server can refuse it when another client changed the row meanwhile
(``ConflictError``). Nothing here knows about windows: the editor area runs these as jobs.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import asdict
from typing import Any

import psycopg

from plugin_studio.db import files, plugins
from plugin_studio.db.errors import ConflictError, NotFound, ValidationError
from plugin_studio.db.records import CODE_COLUMN, EventRow, HookRow, ScriptRow, WidgetRow
from plugin_studio.db.rows import select_one
from plugin_studio.services import history
from plugin_studio.models.documents import Document
from plugin_studio.models.history import save_message
from plugin_studio.models.paths import FileEntry
from plugin_studio.services import entities, part_documents

RECORDS = {"plugin_scripts": ScriptRow, "plugin_events": EventRow, "plugin_hooks": HookRow,
           "plugin_widgets": WidgetRow, **part_documents.PART_RECORDS}


def open_document(conn: psycopg.Connection, plugin_id: str, entry: FileEntry) -> Document:
    text = load_text(conn, entry.table, entry.row_id)
    if text is None:
        raise NotFound(f"{entry.path} no longer exists")
    return Document(entry.table, entry.row_id, plugin_id, entry.path, entry.language, text,
                    _row_meta(conn, entry.table, entry.row_id) or {})


def _row_meta(conn: psycopg.Connection, table: str, row_id: str) -> dict[str, Any] | None:
    """The row's columns other than its code and timestamps; None when it is gone."""
    record_type = RECORDS.get(table)
    if record_type is None:
        return None
    row = select_one(conn, record_type, table, row_id)
    if row is None:
        return None
    meta = asdict(row)
    for column in (CODE_COLUMN.get(table, "schema_text"), "created_at", "updated_at"):
        meta.pop(column, None)
    return meta


def load_text(conn: psycopg.Connection, table: str, row_id: str) -> str | None:
    """The text the editor shows for a row, or None when the row is gone."""
    if table in CODE_COLUMN:
        return files.fetch_code(conn, table, row_id)
    if table == "plugin_entities":
        return entities.load_entity_text(conn, row_id)
    if table == "plugin_registry":
        return _manifest_text(conn, row_id)
    if table == "plugin_migrations":
        from plugin_studio.models.migration_format import render_migration_file
        from plugin_studio.db.records import MigrationRow

        row = select_one(conn, MigrationRow, "plugin_migrations", row_id)
        return None if row is None else render_migration_file(row)
    raise ValueError(f"{table} rows are not edited as text")


def _manifest_text(conn: psycopg.Connection, plugin_id: str) -> str | None:
    try:
        plugin = plugins.get_plugin(conn, plugin_id)
    except NotFound:
        return None
    return manifest_text(plugin.manifest)


def manifest_text(manifest: Any) -> str:
    """``manifest.json`` as the editor shows a plugin's manifest."""
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def save(conn: psycopg.Connection, doc: Document, text: str, message: str | None = None) -> None:
    """Write ``text`` to the document's row unless it changed on the server; then it is the loaded text.

    The plugin's next version is recorded in the same transaction, as the platform's editor records
    one after each save: ``message`` (what the user typed) or "Updated <path>".
    """
    with history.recorded_change(conn, doc.plugin_id, save_message(doc.path, message)):
        write_text(conn, doc, text)
    doc.loaded_text = text


def write_text(conn: psycopg.Connection, doc: Document, text: str) -> None:
    """Write ``text`` to the document's row(s) unless it changed on the server since
    ``doc.loaded_text`` (``ConflictError``; ``NotFound`` when gone; ``ValidationError`` for a text
    that cannot be stored); no version recorded (``save`` records one)."""
    if doc.table in CODE_COLUMN:
        files.save_code(conn, doc.table, doc.row_id, text, doc.loaded_text)
    elif doc.table == "plugin_entities":
        entities.save_entity_text(conn, doc.row_id, text, doc.loaded_text)
    elif doc.table == "plugin_registry":
        _save_manifest(conn, doc, text)
    elif doc.table == "plugin_migrations":
        from plugin_studio.services.migrations import save_migration_file

        save_migration_file(conn, doc.row_id, text, doc.loaded_text)
    else:
        raise ValueError(f"{doc.table} rows are not edited as text")


def overwrite(conn: psycopg.Connection, doc: Document, text: str) -> None:
    """Save over whatever the server holds now (the user chose to after seeing the conflict).

    When the row was deleted meanwhile, it is recreated with the same id from what the
    document remembers of it.
    """
    current = load_text(conn, doc.table, doc.row_id)
    if current is None:
        recreate(conn, doc, text)
    else:
        doc.loaded_text = current
        save(conn, doc, text)


def recreate(conn: psycopg.Connection, doc: Document, text: str) -> None:
    if doc.table not in RECORDS or not doc.meta:
        raise ValidationError(f"{doc.path} was deleted and cannot be recreated from the editor; "
                              "copy your text into a new file")
    plugins.get_plugin(conn, doc.plugin_id)  # NotFound: the whole plugin is gone, no orphan rows
    with history.recorded_change(conn, doc.plugin_id, save_message(doc.path)):
        _create(conn, doc.table, doc.meta, text, row_id=doc.row_id)
    doc.loaded_text = text


def _save_manifest(conn: psycopg.Connection, doc: Document, text: str) -> None:
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"manifest.json is not valid JSON (line {exc.lineno}): {exc.msg}") from exc
    with conn.transaction():
        # The row lock keeps another client from committing between this check and the write.
        conn.execute("SELECT 1 FROM plugin_registry WHERE id = %s::uuid FOR UPDATE", (doc.row_id,))
        current = _manifest_text(conn, doc.row_id)
        if current is None or json.loads(current) != json.loads(doc.loaded_text):
            raise ConflictError("plugin_registry", doc.row_id, current)
        plugins.update_plugin(conn, doc.row_id, {"manifest": manifest})


def save_as_copy(conn: psycopg.Connection, doc: Document, text: str) -> str:
    """Keep both versions: write ``text`` as a new row beside the original; returns the new row id.

    Handlers are copied disabled (in the same INSERT), so the platform never runs both.
    """
    if doc.table not in RECORDS:
        raise ValidationError("this file cannot be copied; copy its text and save it elsewhere")
    meta = _row_meta(conn, doc.table, doc.row_id) or doc.meta
    if not meta:
        raise NotFound(f"{doc.path} was deleted and nothing is known to copy it from")
    plugins.get_plugin(conn, doc.plugin_id)
    with history.recorded_change(conn, doc.plugin_id, f"Saved a copy of {doc.path}"):
        return _create(conn, doc.table, _as_copy(conn, doc, meta), text)


def _as_copy(conn, doc: Document, meta: dict[str, Any]) -> dict[str, Any]:
    if doc.table in part_documents.PART_RECORDS:
        return part_documents.copy_meta(conn, doc.table, meta)
    copy = dict(meta)
    if doc.table == "plugin_scripts":
        copy["file_name"] = _free_script_name(conn, doc.plugin_id, meta["file_name"])
    elif doc.table == "plugin_events":
        stem, ext = posixpath.splitext(posixpath.basename(doc.path))
        copy.update(file_name=f"{stem}.copy{ext or '.js'}", is_enabled=False)
    elif doc.table == "plugin_hooks":
        copy["is_enabled"] = False
    else:
        copy.update(widget_id=_free_widget_id(conn, doc.plugin_id, meta["widget_id"]),
                    widget_name=f"{meta['widget_name']} (copy)")
    return copy


def _create(conn, table: str, meta: dict[str, Any], text: str, row_id: str | None = None) -> str:
    if table in part_documents.PART_RECORDS:
        return part_documents.create_part(conn, table, meta, text, row_id)
    plugin_id = meta["plugin_id"]
    if table == "plugin_scripts":
        return files.create_script(conn, plugin_id, meta["file_name"], text, script_type=meta["script_type"],
                                   scope=meta["scope"], load_priority=meta["load_priority"], row_id=row_id)
    if table == "plugin_events":
        return files.create_event(conn, plugin_id, meta["event_name"], text, priority=meta["priority"],
                                  file_name=meta["file_name"], enabled=meta["is_enabled"], row_id=row_id)
    if table == "plugin_hooks":
        return files.create_hook(conn, plugin_id, meta["hook_name"], meta["hook_type"], text,
                                 priority=meta["priority"], enabled=meta["is_enabled"], row_id=row_id)
    return files.create_widget(conn, plugin_id, meta["widget_id"], meta["widget_name"], text,
                               description=meta["description"], default_config=meta["default_config"],
                               category=meta["category"], icon=meta["icon"], row_id=row_id)


def _free_script_name(conn, plugin_id: str, file_name: str) -> str:
    taken = {s.file_name for s in files.load_plugin_files(conn, plugin_id).scripts}
    stem, ext = posixpath.splitext(file_name)
    n = 1
    while True:
        candidate = f"{stem}.copy{'' if n == 1 else n}{ext}"
        if candidate not in taken:
            return candidate
        n += 1


def _free_widget_id(conn, plugin_id: str, widget_id: str) -> str:
    taken = {w.widget_id for w in files.load_plugin_files(conn, plugin_id).widgets}
    n = 1
    while f"{widget_id}-copy{'' if n == 1 else n}" in taken:
        n += 1
    return f"{widget_id}-copy{'' if n == 1 else n}"
