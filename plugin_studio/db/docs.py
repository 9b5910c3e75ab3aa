"""Queries on ``plugin_docs``: README, CHANGELOG, LICENSE, CONTRIBUTING and other documents.

G4 had UNIQUE(plugin_id, doc_type); G5 has none and the platform's own save inserts a second
README when the lookup misses. Our writes refuse a second document of one of the four known types.
"""
from __future__ import annotations

import psycopg

from plugin_studio.db.errors import ValidationError
from plugin_studio.db.records import DocRow
from plugin_studio.db.rows import insert_row, lock_plugin_names, run, select_rows, update_row, with_id

TABLE = "plugin_docs"
# doc_type → the file name the platform's editor gives it (PLATFORM.md §4.2, §5.2).
KNOWN_TYPES = {"readme": "README.md", "changelog": "CHANGELOG.md", "license": "LICENSE",
               "contributing": "CONTRIBUTING.md"}


def doc_type_for(file_name: str) -> str | None:
    """The doc_type of README.md, CHANGELOG.md, LICENSE or CONTRIBUTING.md; None for other names."""
    return next((t for t, name in KNOWN_TYPES.items() if name.lower() == file_name.strip().lower()), None)


def create_doc(conn: psycopg.Connection, plugin_id: str, doc_type: str, content: str, *, file_name: str | None = None,
               title: str | None = None, visible: bool = True, row_id: str | None = None, **more) -> str:
    doc_type = doc_type.strip().lower()
    if not doc_type:
        raise ValidationError("a document needs a type (readme, changelog, license, contributing...)")
    values = {"plugin_id": plugin_id, "doc_type": doc_type,
              "file_name": file_name or KNOWN_TYPES.get(doc_type, f"{doc_type}.md"), "title": title or doc_type.upper(),
              "content": content, "format": "markdown", "is_visible": bool(visible),
              **{k: v for k, v in more.items() if k in ("description", "display_order", "format")}}
    with conn.transaction():
        lock_plugin_names(conn, plugin_id)
        if doc_type in KNOWN_TYPES and not row_id:
            _refuse_duplicate(conn, plugin_id, doc_type)
        return insert_row(conn, TABLE, with_id(row_id, values))


def _refuse_duplicate(conn, plugin_id: str, doc_type: str) -> None:
    if run(conn, "SELECT 1 FROM plugin_docs WHERE plugin_id = %s::uuid AND doc_type = %s",
           (plugin_id, doc_type)).fetchone():
        raise ValidationError(f"this plugin already has a {KNOWN_TYPES[doc_type]}")


def docs_of(conn: psycopg.Connection, plugin_id: str) -> list[DocRow]:
    return select_rows(conn, DocRow, TABLE, "plugin_id = %s::uuid", (plugin_id,), "display_order, doc_type")


def set_visible(conn: psycopg.Connection, row_id: str, visible: bool) -> None:
    update_row(conn, TABLE, row_id, {"is_visible": bool(visible)})
