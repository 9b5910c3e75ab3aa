"""New File for the parts beyond scripts: a controller, an entity, a cron job, a document, an admin
page, an admin script. Each gets starter code the platform runs as it is (PLATFORM.md §3.4 for a
controller: one function expression, no export, no comment after its last line; §1.9 for a cron job:
the body of an async function of ``(db, storeId, params, fetch, apiBaseUrl, console)``).

``plan_part(plugin_name, req)`` returns ``(table, values)``: ``values`` are the keyword arguments of
that table's creator in ``db`` (``services.new_files`` writes the row).
"""
from __future__ import annotations

import re
from typing import Any

from plugin_studio.db.errors import ValidationError
from plugin_studio.models import cron_schedule
from plugin_studio.models.entity_schema import dumps
from plugin_studio.models.routes import HTTP_METHODS

PART_KINDS = ("Controller", "Entity", "Cron Job", "Document", "Admin Page", "Admin Script")
DOC_TYPES = {"README.md": "readme", "CHANGELOG.md": "changelog", "LICENSE": "license",
             "CONTRIBUTING.md": "contributing"}
SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


def slug(text: str, fallback: str) -> str:
    return SLUG.sub("-", text.strip()).strip("-.") or fallback


def controller_code(method: str, path: str) -> str:
    # No comment after the closing brace: the platform's wrapper closes on the code's last line.
    return ("async (req, res, { supabase }) => {\n"
            f"  // {method} {path}: req has body, query, params, headers, ip, user, method.\n"
            "  // Send with res.json(data) or res.status(code).json(data); sending nothing answers\n"
            "  // { success: true, message: 'Controller executed successfully' }.\n"
            "  res.json({ success: true, params: req.params, query: req.query });\n"
            "}\n")


def cron_code(name: str) -> str:
    return (f"// {name}: the body of an async function (db, storeId, params, fetch, apiBaseUrl, console).\n"
            "// handler_params arrive as params; what it returns is the run's result.\n"
            f"console.log('{name} ran', params);\n"
            "return { ok: true, at: new Date().toISOString() };\n")


def entity_schema(table: str) -> dict[str, Any]:
    return {"columns": [
        {"name": "id", "type": "UUID", "primaryKey": True, "default": "gen_random_uuid()"},
        {"name": "name", "type": "VARCHAR(255)", "nullable": False},
        {"name": "created_at", "type": "TIMESTAMP", "default": "now()"},
    ], "indexes": [{"name": f"idx_{table}_name", "columns": ["name"]}]}


def admin_page_code(component: str, title: str) -> str:
    return (f"function {component}() {{\n"
            f"  return React.createElement('div', {{ className: 'plugin-admin-page' }},\n"
            f"    React.createElement('h1', null, {title!r}));\n}}\n")


def _controller(_plugin: str, req) -> tuple[str, dict[str, Any]]:
    name = slug(req.name, "")
    if not name:
        raise ValidationError("Give the controller a name, e.g. list-visits")
    method = (req.method or "GET").strip().upper()
    if method not in HTTP_METHODS:
        raise ValidationError(f"the method is one of {', '.join(HTTP_METHODS)}")
    path = "/" + (req.route.strip() or name).lstrip("/")
    return "plugin_controllers", {"controller_name": name, "method": method, "path": path,
                                  "code": controller_code(method, path)}


def _entity(_plugin: str, req) -> tuple[str, dict[str, Any]]:
    name = re.sub(r"[^A-Za-z0-9_]+", "", req.name.strip().removesuffix(".json"))
    if not name:
        raise ValidationError("Give the entity a name, e.g. Visit")
    table = (req.route.strip() or re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() + "s")
    return "plugin_entities", {"entity_name": name, "table_name": table, "schema_text": dumps(entity_schema(table), None),
                               "description": f"{name} records"}


def _cron(_plugin: str, req) -> tuple[str, dict[str, Any]]:
    name = slug(req.name.removesuffix(".js"), "")
    if not name:
        raise ValidationError("Give the cron job a name, e.g. daily-summary")
    method = re.sub(r"[^A-Za-z0-9_]", "_", name)
    try:
        schedule = cron_schedule.check_expression(req.schedule or "0 * * * *")
        cron_schedule.zone(req.timezone.strip() or "UTC")
    except cron_schedule.ScheduleError as exc:
        raise ValidationError(str(exc)) from None
    return "plugin_cron", {"cron_name": name, "schedule": schedule,
                           "handler_method": method, "code": cron_code(name),
                           "timezone": req.timezone.strip() or "UTC"}


def _document(plugin: str, req) -> tuple[str, dict[str, Any]]:
    file_name = req.name.strip() or "README.md"
    doc_type = DOC_TYPES.get(file_name) or next((t for n, t in DOC_TYPES.items() if n.lower() == file_name.lower()),
                                                None)
    if doc_type is None:
        raise ValidationError(f"a document is one of {', '.join(DOC_TYPES)}")
    heading = {"readme": f"# {plugin}\n\n", "changelog": "# Changelog\n\n## 1.0.0\n\n- First release\n",
               "license": "", "contributing": "# Contributing\n\n"}[doc_type]
    return "plugin_docs", {"doc_type": doc_type, "content": heading, "file_name": [n for n, t in DOC_TYPES.items()
                                                                                  if t == doc_type][0]}


def _admin_page(plugin: str, req) -> tuple[str, dict[str, Any]]:
    key = slug(req.name.removesuffix(".jsx"), "")
    if not key:
        raise ValidationError("Give the admin page a key, e.g. visits-dashboard")
    route = req.route.strip() or f"/admin/plugins/{slug(plugin, 'plugin').lower()}/{key}"
    component = "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", key) if w) or "AdminPage"
    title = key.replace("-", " ").replace("_", " ").title()
    return "plugin_admin_pages", {"page_key": key, "page_name": title, "route": route,
                                  "code": admin_page_code(component if not component[0].isdigit() else "P" + component,
                                                          title)}


def _admin_script(_plugin: str, req) -> tuple[str, dict[str, Any]]:
    name = slug(req.name.removesuffix(".js"), "")
    if not name:
        raise ValidationError("Give the admin script a name, e.g. admin-menu")
    return "plugin_admin_scripts", {"script_name": name,
                                    "code": f"// {name}: loaded on every page of the store's admin.\n"}


PLANNERS = {"Controller": _controller, "Entity": _entity, "Cron Job": _cron, "Document": _document,
            "Admin Page": _admin_page, "Admin Script": _admin_script}


def plan_part(plugin_name: str, req) -> tuple[str, dict[str, Any]]:
    return PLANNERS[req.kind](plugin_name, req)
