"""Cloning a starter template (``models.templates``) into a new plugin, in one transaction."""
from __future__ import annotations

from typing import Any

import psycopg

from plugin_studio.db import files, migrations, plugins
from plugin_studio.models.templates import Template


def create_from_template(conn: psycopg.Connection, template: Template, name: str | None = None) -> str:
    """Clone a template into a new plugin in one transaction; returns the new plugin id."""
    spec = template.spec
    props = dict(spec["plugin"])
    plugin_name = name or props.pop("name")
    props.pop("name", None)
    with conn.transaction():
        plugin = plugins.create_plugin(conn, plugin_name, manifest=_manifest(plugin_name, props), **props)
        _create_rows(conn, template, plugin.id, plugin.name)
    return plugin.id


def _manifest(name: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "version": props.get("version", "1.0.0"), "description": props.get("description", "")}


def _create_rows(conn: psycopg.Connection, template: Template, plugin_id: str, plugin_name: str) -> None:
    spec = template.spec
    for s in spec.get("scripts", []):
        files.create_script(conn, plugin_id, s["file"], template.code(s["file"]), scope=s.get("scope", "frontend"))
    for e in spec.get("events", []):
        files.create_event(conn, plugin_id, e["event_name"], template.code(e["file"]), priority=e.get("priority", 10),
                           file_name=e["file"].removeprefix("events/"))
    for h in spec.get("hooks", []):
        files.create_hook(conn, plugin_id, h["hook_name"], h["hook_type"], template.code(h["file"]),
                          priority=h.get("priority", 10))
    for w in spec.get("widgets", []):
        files.create_widget(conn, plugin_id, w["widget_id"], w["widget_name"], template.code(w["file"]),
                            description=w.get("description"), default_config=w.get("default_config"),
                            category=w.get("category"), icon=w.get("icon"))
    for m in spec.get("migrations", []):
        migrations.create_migration(conn, plugin_id, plugin_name, m["version"], m["name"], template.code(m["up"]),
                                    template.code(m["down"]) if m.get("down") else None, m.get("description"))
