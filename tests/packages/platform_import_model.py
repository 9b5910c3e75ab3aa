"""A model of the platform's import (``POST /api/plugins/import``, plugin-api.js:1195, PLATFORM.md §5.2),
to show what the platform's importer makes of a package we write, without a Node server.

It follows the handler statement by statement: ``pkg.X || []`` per section, ``for…of`` over it (an
object or a number there is "not iterable", a string iterates its characters), the fields each
insert reads and the JavaScript ``||`` defaults it applies (a falsy 0 or "" takes the default),
``undefined`` keys left out of the insert (the column's default applies), errors of the child
inserts ignored, no transaction. ``platform_import`` returns the inserts; ``run_inserts`` performs
them on a platform-shaped database, one by one, and returns the errors the platform would ignore.

Written from the handler's behaviour, not from its code; what a JavaScript engine does differently
from Python here (number precision: ``JSON.parse`` reads numbers as doubles) is noted where it matters.
"""
from __future__ import annotations

import re
import time
from decimal import Decimal
import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from plugin_studio.db import exact_json
from plugin_studio.db.jsonb import exact_jsonb

UNDEFINED = object()


class PlatformImportError(Exception):
    """What makes the handler answer HTTP 500 (a TypeError, or the registry insert failing)."""


@dataclass
class Insert:
    table: str
    values: dict[str, Any]          # column → value; UNDEFINED columns are left out


@dataclass
class PlatformImport:
    plugin_id: str
    name: str
    slug: str
    inserts: list[Insert] = field(default_factory=list)

    def rows(self, table: str) -> list[dict[str, Any]]:
        return [i.values for i in self.inserts if i.table == table]


def truthy(value: Any) -> bool:
    """JavaScript truthiness of a JSON value (``[]`` and ``{}`` are truthy, ``0``, ``""``, null are not)."""
    if value is UNDEFINED or value is None or value is False:
        return False
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value != 0
    if isinstance(value, str):
        return value != ""
    return True


def js_or(value: Any, default: Any) -> Any:
    return value if truthy(value) else default


def get(obj: Any, key: str) -> Any:
    """``obj.key``: undefined where obj is not an object or lacks the key; TypeError on null/undefined."""
    if obj is None or obj is UNDEFINED:
        raise PlatformImportError(f"TypeError: Cannot read properties of {'null' if obj is None else 'undefined'} "
                                  f"(reading '{key}')")
    return obj.get(key, UNDEFINED) if isinstance(obj, dict) else UNDEFINED


def iterate(package: dict, key: str) -> list[Any]:
    """``for (const x of pkg[key] || [])``."""
    value = js_or(get(package, key), [])
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return list(value)
    raise PlatformImportError(f"TypeError: packageData.{key} is not iterable")


def template(value: Any) -> str:
    """``${value}`` of a JSON value."""
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return value if isinstance(value, str) else exact_json.dumps(value)


def platform_import(package: Any, existing: set[tuple[str, str]] | None = None) -> PlatformImport:
    """The inserts the handler makes for ``package``; ``existing`` holds the (name, slug) pairs
    already in plugin_registry, for its name/slug loop. Raises PlatformImportError where it answers 500."""
    plugin = get(package, "plugin")
    name, slug = get(plugin, "name"), get(plugin, "slug")
    counter, unique_name, unique_slug = 1, name, slug
    taken_names = {n for n, _s in existing or ()}
    taken_slugs = {s for _n, s in existing or ()}
    while template(unique_name) in taken_names or template(unique_slug) in taken_slugs:
        counter += 1
        unique_name, unique_slug = f"{template(name)} ({counter})", f"{template(slug)}-{counter}"
    plugin_id = str(uuid.uuid4())
    result = PlatformImport(plugin_id, unique_name, unique_slug)
    result.inserts.append(Insert("plugin_registry", {
        "id": plugin_id, "name": unique_name, "slug": unique_slug, "version": get(plugin, "version"),
        "description": get(plugin, "description"), "author": get(plugin, "author"),
        "category": get(plugin, "category"), "type": get(plugin, "type"),
        "framework": js_or(get(plugin, "framework"), "react"), "status": "active", "creator_id": UNDEFINED,
        "is_installed": True, "is_enabled": True, "manifest": get(plugin, "manifest"),
        "permissions": get(plugin, "permissions"), "dependencies": get(plugin, "dependencies"),
        "tags": get(plugin, "tags")}))
    for build in (_files, _events, _hooks, _widgets):
        result.inserts += build(package, plugin_id)
    result.inserts += _entities_and_migrations(package, plugin_id, unique_name, counter)
    result.inserts += _the_rest(package, plugin_id, unique_slug)
    return result


def _files(package, plugin_id):
    return [Insert("plugin_scripts", {
        "plugin_id": plugin_id, "file_name": get(f, "name"), "file_content": get(f, "content"),
        "script_type": js_or(get(f, "type"), "js"), "scope": js_or(get(f, "scope"), "frontend"),
        "load_priority": js_or(get(f, "priority"), 0), "is_enabled": True}) for f in iterate(package, "files")]


def _events(package, plugin_id):
    inserts = []
    for e in iterate(package, "events"):
        event_name = get(e, "eventName")
        file_name = get(e, "fileName")
        if not truthy(file_name):
            if not isinstance(event_name, str):
                raise PlatformImportError("TypeError: event.eventName.replace is not a function")
            file_name = event_name.replace(".", "_") + ".js"
        inserts.append(Insert("plugin_events", {
            "plugin_id": plugin_id, "event_name": event_name, "file_name": file_name,
            "listener_function": get(e, "listenerCode"), "priority": js_or(get(e, "priority"), 10),
            "is_enabled": True}))
    return inserts


def _hooks(package, plugin_id):
    return [Insert("plugin_hooks", {
        "plugin_id": plugin_id, "hook_name": get(h, "hookName"), "hook_type": js_or(get(h, "hookType"), "filter"),
        "handler_function": get(h, "handlerCode"), "priority": js_or(get(h, "priority"), 10), "is_enabled": True})
        for h in iterate(package, "hooks")]


def _widgets(package, plugin_id):
    return [Insert("plugin_widgets", {
        "plugin_id": plugin_id, "widget_id": f"{template(get(w, 'widgetId'))}-{plugin_id[:8]}",
        "widget_name": get(w, "widgetName"), "description": get(w, "description"),
        "component_code": get(w, "componentCode"), "default_config": js_or(get(w, "defaultConfig"), {}),
        "category": js_or(get(w, "category"), "functional"), "icon": js_or(get(w, "icon"), "Box"),
        "is_enabled": True}) for w in iterate(package, "widgets")]


def _entities_and_migrations(package, plugin_id, unique_name, counter):
    suffix = f"_{counter}" if counter > 1 else ""
    inserts, table_map = [], {}
    for e in iterate(package, "entities"):
        entity_name = get(e, "name")
        base = get(e, "tableName")
        if not truthy(base):
            if not isinstance(entity_name, str):
                raise PlatformImportError("TypeError: entity.name.toLowerCase is not a function")
            base = "_".join(entity_name.lower().split())
        if suffix:
            table_map[base] = f"{base}{suffix}"
        inserts.append(Insert("plugin_entities", {
            "plugin_id": plugin_id, "entity_name": f"{template(entity_name)}{suffix}", "table_name": f"{base}{suffix}",
            "model_code": get(e, "code"), "schema_definition": js_or(get(e, "schemaDefinition"), {}),
            "description": js_or(get(e, "description"), None)}))
    for m in iterate(package, "migrations"):
        code = get(m, "code")
        for original in sorted(table_map, key=len, reverse=True):   # longest first, as the handler
            if not isinstance(code, str):
                raise PlatformImportError("TypeError: migrationSql.replace is not a function")
            # The handler builds the pattern from the table name unescaped, as here.
            code = re.sub(rf"\b{original}\b", table_map[original], code, flags=re.IGNORECASE)
        inserts.append(Insert("plugin_migrations", {
            "plugin_id": plugin_id, "plugin_name": js_or(get(m, "pluginName"), unique_name),
            "migration_name": get(m, "name"),
            "migration_version": js_or(get(m, "migrationVersion"), f"v{int(time.time() * 1000)}"), "up_sql": code}))
    return inserts


def _the_rest(package, plugin_id, unique_slug):
    inserts = [Insert("plugin_controllers", {
        "plugin_id": plugin_id, "controller_name": get(c, "name"), "method": js_or(get(c, "method"), "GET"),
        "path": js_or(get(c, "path"), f"/api/plugins/{template(unique_slug)}/{template(get(c, 'name'))}"),
        "handler_code": get(c, "code"), "description": js_or(get(c, "description"), None)})
        for c in iterate(package, "controllers")]
    inserts += [Insert("plugin_data", {"plugin_id": plugin_id, "data_key": get(d, "dataKey"),
                                       "data_value": get(d, "dataValue")}) for d in iterate(package, "pluginData")]
    inserts += [Insert("plugin_dependencies", {
        "plugin_id": plugin_id, "package_name": get(d, "packageName"), "version": get(d, "version"),
        "bundled_code": get(d, "bundledCode")}) for d in iterate(package, "pluginDependencies")]
    inserts += [_doc(plugin_id, d) for d in iterate(package, "pluginDocs")]
    inserts += [Insert("plugin_admin_pages", {
        "plugin_id": plugin_id, "page_key": get(p, "pageKey"), "page_name": get(p, "pageName"),
        "route": get(p, "route"), "component_code": get(p, "componentCode"), "description": get(p, "description"),
        "icon": get(p, "icon"), "category": get(p, "category"), "order_position": js_or(get(p, "orderPosition"), 100),
        "is_enabled": True}) for p in iterate(package, "adminPages")]
    inserts += [Insert("plugin_admin_scripts", {
        "plugin_id": plugin_id, "script_name": get(s, "scriptName"), "script_code": get(s, "scriptCode"),
        "description": get(s, "description"), "load_order": js_or(get(s, "loadOrder"), 100), "is_enabled": True})
        for s in iterate(package, "adminScripts")]
    inserts += [Insert("plugin_cron", {
        "plugin_id": plugin_id, "cron_name": get(c, "cronName"), "cron_schedule": get(c, "cronSchedule"),
        "handler_method": get(c, "handlerMethod"),
        "description": js_or(get(c, "description"), f"Scheduled task: {template(get(c, 'cronName'))}"),
        "is_enabled": get(c, "isEnabled") is not False}) for c in iterate(package, "cronJobs")]
    return inserts


DOC_FILES = {"readme": "README.md", "manifest": "manifest.json", "changelog": "CHANGELOG.md", "license": "LICENSE",
             "contributing": "CONTRIBUTING.md"}


def _doc(plugin_id, d):
    doc_type = js_or(get(d, "category"), "readme")
    if not isinstance(doc_type, str):
        raise PlatformImportError("TypeError: docType.toUpperCase is not a function")
    return Insert("plugin_docs", {
        "plugin_id": plugin_id, "doc_type": doc_type,
        "file_name": js_or(get(d, "fileName"), DOC_FILES.get(doc_type, f"{doc_type}.md")),
        "title": js_or(get(d, "title"), doc_type.upper()), "content": get(d, "content"),
        "format": "json" if doc_type == "manifest" else "markdown", "display_order": js_or(get(d, "orderPosition"), 0)})


def run_inserts(conn: psycopg.Connection, result: PlatformImport) -> list[str]:
    """Perform the inserts as the Supabase client sends them (undefined keys left out, JSON values as
    JSON), each on its own; the errors the platform ignores are returned, not raised. The registry
    insert's error is raised (the handler checks only that one)."""
    json_columns = {(t, c) for t, c in conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND data_type IN ('json', 'jsonb')").fetchall()}
    errors = []
    for insert in result.inserts:
        values = {k: v for k, v in insert.values.items() if v is not UNDEFINED}
        params = [exact_jsonb(v) if (insert.table, k) in json_columns else v for k, v in values.items()]
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(insert.table), sql.SQL(", ").join(map(sql.Identifier, values)),
            sql.SQL(", ").join(sql.Placeholder() * len(values)))
        try:
            with conn.transaction():
                conn.execute(query, params)
        except psycopg.Error as exc:
            if insert.table == "plugin_registry":
                raise PlatformImportError(str(exc)) from exc
            errors.append(f"{insert.table}: {str(exc).splitlines()[0]}")
    return errors
