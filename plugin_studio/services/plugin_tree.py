"""The FileTree of a plugin: its rows (``db``) as tree entries (``models.paths``)."""
from __future__ import annotations

import psycopg

from plugin_studio.db import admin, files, plugins
from plugin_studio.db.records import Plugin
from plugin_studio.models import paths
from plugin_studio.models.paths import FileEntry


def load_plugin_view(conn: psycopg.Connection, plugin_id: str) -> tuple[Plugin, list[FileEntry]]:
    """The plugin and its tree entries: one round per table. ``NotFound`` when the plugin is gone."""
    plugin = plugins.get_plugin(conn, plugin_id)
    loaded = files.load_plugin_files(conn, plugin_id)
    routes = admin.admin_routes(conn) if loaded.admin_pages else []
    return plugin, paths.entries_for(plugin, loaded, admin_routes=routes)
