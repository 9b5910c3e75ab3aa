"""New File: the row ``models.new_files`` plans for a request, written with ``db``'s creators."""
from __future__ import annotations

import psycopg

from plugin_studio.db import admin, controllers, cron, docs, entities, files, migrations
from plugin_studio.models.new_files import NewFileRequest, plan_new_file

_CREATORS = {
    "plugin_events": files.create_event, "plugin_hooks": files.create_hook, "plugin_scripts": files.create_script,
    "plugin_widgets": files.create_widget, "plugin_migrations": migrations.create_migration,
    "plugin_controllers": controllers.create_controller, "plugin_entities": entities.create_entity,
    "plugin_cron": cron.create_cron, "plugin_docs": docs.create_doc, "plugin_admin_pages": admin.create_admin_page,
    "plugin_admin_scripts": admin.create_admin_script,
}


def create_new_file(conn: psycopg.Connection, plugin_id: str, plugin_name: str, req: NewFileRequest) -> tuple[str, str]:
    """Create the row a New File request asks for; returns (table, row id). ``ValidationError`` for a bad name."""
    row = plan_new_file(plugin_name, req)
    return row.table, _CREATORS[row.table](conn, plugin_id, **row.values)
