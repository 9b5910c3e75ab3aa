"""Recreating and copying the rows of the parts beyond scripts, for the editor's conflict and recovery
rules (``services.documents``): a row deleted while it was edited comes back with its id from what the
tab remembers (``recreate_part``); "Save as copy" writes a second row beside it, under a free name and
disabled where two would both run (``copy_part``).
"""
from __future__ import annotations

from typing import Any

import psycopg

from plugin_studio.db import admin, controllers, cron, docs, entities
from plugin_studio.db.errors import ValidationError
from plugin_studio.db.records import AdminPageRow, AdminScriptRow, ControllerRow, CronRow, DocRow, EntityRow
from plugin_studio.db.rows import run
from plugin_studio.services.entities import read_entity_text, recreate_entity
from plugin_studio.models.entity_schema import schema_json

PART_RECORDS = {"plugin_controllers": ControllerRow, "plugin_cron": CronRow, "plugin_docs": DocRow,
                "plugin_admin_pages": AdminPageRow, "plugin_admin_scripts": AdminScriptRow,
                "plugin_entities": EntityRow}
# Each table's name column, for free copy names.
NAME_COLUMN = {"plugin_controllers": "controller_name", "plugin_cron": "cron_name", "plugin_admin_pages": "page_key",
               "plugin_admin_scripts": "script_name", "plugin_entities": "entity_name"}


def create_part(conn: psycopg.Connection, table: str, meta: dict[str, Any], text: str,
                row_id: str | None = None) -> str:
    """Insert the row ``meta`` describes with ``text`` as its code; returns its id."""
    plugin_id = str(meta["plugin_id"])
    if table == "plugin_entities":
        return recreate_entity(conn, plugin_id, row_id, text) if row_id else _copy_entity(conn, plugin_id, meta, text)
    if table == "plugin_controllers":
        return controllers.create_controller(
            conn, plugin_id, meta["controller_name"], meta["method"], meta["path"], text, row_id=row_id,
            description=meta.get("description"), requires_auth=bool(meta.get("requires_auth")),
            enabled=meta.get("is_enabled") is not False,
            **_kept(meta, controllers.EDITABLE - {"controller_name", "method", "path", "description", "requires_auth",
                                                  "is_enabled"}))
    if table == "plugin_cron":
        return cron.create_cron(conn, plugin_id, meta["cron_name"], meta["cron_schedule"], meta["handler_method"],
                                text, row_id=row_id, **_kept(meta, cron.EDITABLE - {"cron_name", "handler_method"}))
    if table == "plugin_docs":
        return docs.create_doc(conn, plugin_id, meta["doc_type"], text, file_name=meta.get("file_name"),
                               title=meta.get("title"), visible=meta.get("is_visible") is not False, row_id=row_id,
                               description=meta.get("description"), display_order=meta.get("display_order"))
    if table == "plugin_admin_pages":
        return admin.create_admin_page(conn, plugin_id, meta["page_key"], meta["page_name"], meta["route"], text,
                                       row_id=row_id, **_kept(meta, admin.PAGE_EDITABLE - {"page_key", "page_name",
                                                                                           "route"}))
    return admin.create_admin_script(conn, plugin_id, meta["script_name"], text, row_id=row_id,
                                     load_order=meta.get("load_order") or 100, is_enabled=meta.get("is_enabled"))


def _kept(meta: dict[str, Any], editable) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k in editable and v is not None}


def copy_meta(conn: psycopg.Connection, table: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The copy's columns: a free name, disabled (two handlers of one route or job would both run)."""
    if table == "plugin_docs":
        raise ValidationError(f"this plugin can have one {meta.get('file_name') or meta.get('doc_type')}: copy your "
                              "text and save it after reloading")
    copy = dict(meta)
    column = NAME_COLUMN[table]
    copy[column] = _free_name(conn, table, column, str(meta["plugin_id"]), meta[column])
    if table == "plugin_admin_pages":
        copy["route"] = meta["route"].rstrip("/") + "-copy"
    if "is_enabled" in copy:
        copy["is_enabled"] = False
    return copy


def _free_name(conn, table: str, column: str, plugin_id: str, name: str) -> str:
    taken = {r[0] for r in run(conn, f"SELECT {column} FROM {table} WHERE plugin_id::text = %s", (plugin_id,))}
    separator = "_" if table == "plugin_entities" else "-"
    n = 1
    while f"{name}{separator}copy{'' if n == 1 else n}" in taken:
        n += 1
    return f"{name}{separator}copy{'' if n == 1 else n}"


def _copy_entity(conn, plugin_id: str, meta: dict[str, Any], text: str) -> str:
    doc, _spec = read_entity_text(text)
    table = _free_name(conn, "plugin_entities", "table_name", plugin_id, doc.table_name).replace("-", "_")
    return entities.create_entity(conn, plugin_id, meta["entity_name"], table, schema_json(doc.schema),
                                  description=doc.description, enabled=False)
