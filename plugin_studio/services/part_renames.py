"""Rename and enable for the parts beyond scripts: which column a tree entry's name is, and which
column says it is on (documents are shown or hidden, the rest enabled or disabled)."""
from __future__ import annotations

import posixpath

import psycopg

from plugin_studio.db import admin, controllers, cron, docs, entities, files
from plugin_studio.models.paths import FileEntry

RENAMES = ("controller", "entity", "cron", "doc", "admin_page", "admin_script")


def rename_plan(entry: FileEntry, plugin_id: str):
    """(label, current name, write(conn, new name)) for the rename dialog; None: this entry has no name."""
    stem = posixpath.basename(entry.path).rsplit(".", 1)[0]
    row_id = entry.row_id
    if entry.kind == "controller":
        return ("Controller name (its route stays the same):", stem,
                lambda conn, name: controllers.update_controller(conn, row_id, plugin_id, {"controller_name": name}))
    if entry.kind == "entity":
        return ("Entity name (its table stays the same):", stem,
                lambda conn, name: entities.rename_entity(conn, row_id, plugin_id, name))
    if entry.kind == "cron":
        return ("Cron job name:", stem, lambda conn, name: cron.update_cron(conn, row_id, plugin_id, {"cron_name": name}))
    if entry.kind == "admin_page":
        return ("Page key (its route stays the same):", stem,
                lambda conn, name: admin.update_admin_page(conn, row_id, plugin_id, {"page_key": name}))
    if entry.kind == "admin_script":
        return ("Script name:", stem, lambda conn, name: admin.rename_admin_script(conn, row_id, plugin_id, name))
    return None


def set_enabled(conn: psycopg.Connection, table: str, row_id: str, enabled: bool) -> None:
    """Enable or disable a row; a document is shown or hidden (``is_visible``), having no ``is_enabled``."""
    if table == "plugin_docs":
        docs.set_visible(conn, row_id, enabled)
    else:
        files.set_enabled(conn, table, row_id, enabled)
