"""Opening and saving the text behind a tree entry, whatever table it lives in.

A document remembers the text it was loaded with; a save sends that along so the server can
refuse it when another client changed the row meanwhile (``ConflictError``). Nothing here
knows about windows: the editor tab calls these functions from a worker thread.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass

import psycopg

from plugin_studio.db import files, plugins
from plugin_studio.db.errors import ConflictError, NotFound, ValidationError
from plugin_studio.db.records import CODE_COLUMN, EventRow, HookRow, ScriptRow, WidgetRow
from plugin_studio.db.rows import select_one
from plugin_studio.models.paths import FileEntry


@dataclass
class Document:
    """What an editor tab holds about its row: identity, display path, and the text as loaded."""
    table: str
    row_id: str
    plugin_id: str
    path: str
    language: str
    loaded_text: str

    @property
    def key(self) -> str:
        return f"{self.table}:{self.row_id}"


def open_document(conn: psycopg.Connection, plugin_id: str, entry: FileEntry) -> Document:
    text = load_text(conn, entry.table, entry.row_id)
    if text is None:
        raise NotFound(f"{entry.path} no longer exists")
    return Document(entry.table, entry.row_id, plugin_id, entry.path, entry.language, text)


def load_text(conn: psycopg.Connection, table: str, row_id: str) -> str | None:
    """The text the editor shows for a row, or None when the row is gone."""
    if table in CODE_COLUMN:
        return files.fetch_code(conn, table, row_id)
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
    return json.dumps(plugin.manifest, indent=2, ensure_ascii=False) + "\n"


def save(conn: psycopg.Connection, doc: Document, text: str) -> None:
    """Write ``text`` to the document's row unless it changed on the server; then it is the loaded text."""
    if doc.table in CODE_COLUMN:
        files.save_code(conn, doc.table, doc.row_id, text, doc.loaded_text)
    elif doc.table == "plugin_registry":
        _save_manifest(conn, doc, text)
    elif doc.table == "plugin_migrations":
        from plugin_studio.db.migrations import save_migration_file

        save_migration_file(conn, doc.row_id, text, doc.loaded_text)
    else:
        raise ValueError(f"{doc.table} rows are not edited as text")
    doc.loaded_text = text


def overwrite(conn: psycopg.Connection, doc: Document, text: str) -> None:
    """Save over whatever the server holds now (the user chose to after seeing the conflict)."""
    doc.loaded_text = load_text(conn, doc.table, doc.row_id) or ""
    save(conn, doc, text)


def _save_manifest(conn: psycopg.Connection, doc: Document, text: str) -> None:
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"manifest.json is not valid JSON (line {exc.lineno}): {exc.msg}") from exc
    with conn.transaction():
        current = _manifest_text(conn, doc.row_id)
        if current is None or json.loads(current) != json.loads(doc.loaded_text):
            raise ConflictError("plugin_registry", doc.row_id, current)
        plugins.update_plugin(conn, doc.row_id, {"manifest": manifest})


def save_as_copy(conn: psycopg.Connection, doc: Document, text: str) -> str:
    """Keep both versions: write ``text`` as a new row beside the original; returns the new row id."""
    if doc.table == "plugin_scripts":
        row = _row(conn, ScriptRow, doc)
        return files.create_script(conn, row.plugin_id, _free_script_name(conn, row), text,
                                   script_type=row.script_type, scope=row.scope, load_priority=row.load_priority)
    if doc.table == "plugin_events":
        row = _row(conn, EventRow, doc)
        name = posixpath.basename(doc.path)
        stem, ext = posixpath.splitext(name)
        new_id = files.create_event(conn, row.plugin_id, row.event_name, text, priority=row.priority,
                                    file_name=f"{stem}.copy{ext or '.js'}")
        files.set_enabled(conn, "plugin_events", new_id, False)
        return new_id
    if doc.table == "plugin_hooks":
        row = _row(conn, HookRow, doc)
        new_id = files.create_hook(conn, row.plugin_id, row.hook_name, row.hook_type, text, priority=row.priority)
        files.set_enabled(conn, "plugin_hooks", new_id, False)
        return new_id
    if doc.table == "plugin_widgets":
        row = _row(conn, WidgetRow, doc)
        return files.create_widget(conn, row.plugin_id, _free_widget_id(conn, row), f"{row.widget_name} (copy)",
                                   text, description=row.description, default_config=row.default_config,
                                   category=row.category, icon=row.icon)
    raise ValidationError("this file cannot be copied; copy its text and save it elsewhere")


def _row(conn, record_type, doc: Document):
    row = select_one(conn, record_type, doc.table, doc.row_id)
    if row is None:
        # The original was deleted: the copy is made from what the document knows.
        raise NotFound(f"{doc.path} was deleted on the server; use Save to recreate it")
    return row


def _free_script_name(conn, row: ScriptRow) -> str:
    taken = {s.file_name for s in files.load_plugin_files(conn, row.plugin_id).scripts}
    stem, ext = posixpath.splitext(row.file_name)
    n = 1
    while True:
        candidate = f"{stem}.copy{'' if n == 1 else n}{ext}"
        if candidate not in taken:
            return candidate
        n += 1


def _free_widget_id(conn, row: WidgetRow) -> str:
    taken = {w.widget_id for w in files.load_plugin_files(conn, row.plugin_id).widgets}
    n = 1
    while f"{row.widget_id}-copy{'' if n == 1 else n}" in taken:
        n += 1
    return f"{row.widget_id}-copy{'' if n == 1 else n}"
