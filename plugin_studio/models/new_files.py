"""The kinds of file "New File" creates, the row each becomes, and starter code that runs.

Handler templates are lone function expressions with an optional ``export default``: the only
shape the platform's storefront loader evaluates (DESIGN.md §5). Frontend scripts avoid module
syntax because the storefront loads them as classic scripts; backend services are ES modules,
which the backend runner turns into CommonJS.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plugin_studio.db.errors import ValidationError
from plugin_studio.models.new_parts import PART_KINDS, plan_part
from plugin_studio.models.paths import path_for_event

KNOWN_EVENTS = (
    "cart.viewed", "cart.updated", "cart.item_added", "cart.item_removed", "cart.cleared",
    "checkout.started", "checkout.completed", "order.created", "order.paid", "order.shipped",
    "order.cancelled", "order.refunded", "product.viewed", "product.before_save", "product.after_save",
    "customer.registered", "customer.login", "customer.logout", "page.viewed", "search.performed",
)
KNOWN_HOOKS = (
    "product.price", "product.title", "product.description", "cart.total", "cart.shipping",
    "checkout.fields", "order.confirmation_email", "page.head", "page.footer",
)

KINDS = ("Event Listener", "Hook", "Component", "Utility", "Service", "Style", "Widget", "Migration", "README",
         *PART_KINDS)


@dataclass
class NewFileRequest:
    kind: str
    name: str = ""             # file/component/widget/migration name, as the user typed it
    event_name: str = ""
    hook_name: str = ""
    hook_type: str = "filter"
    priority: int = 10
    version: str = ""          # migrations
    method: str = "GET"        # controllers
    route: str = ""            # a controller's path, an admin page's route, an entity's table
    schedule: str = ""         # cron jobs
    timezone: str = "UTC"      # cron jobs


def identifier(text: str, *, capitalise: bool = False) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    if not words:
        return "Untitled" if capitalise else "untitled"
    first = words[0].capitalize() if capitalise else words[0][0].lower() + words[0][1:]
    name = first + "".join(w.capitalize() for w in words[1:])
    return name if not name[0].isdigit() else "_" + name


# Handler templates are one function expression, comments inside it: the storefront's loader evaluates
# eval('(' + code + ')') after removing a *leading* `export default`, so a comment line above it, a
# trailing `;` or a trailing comment makes it reject the file (PLATFORM.md §3.2).

def event_listener_code(event_name: str) -> str:
    handler = "on" + identifier(event_name, capitalise=True)
    return (f"export default function {handler}(data) {{\n"
            f"  // Runs when the platform emits {event_name}; `data` is the event payload.\n"
            f"  console.log('{event_name}', data);\n}}\n")


def hook_code(hook_name: str, hook_type: str) -> str:
    handler = identifier(hook_name) + ("Filter" if hook_type == "filter" else "Action")
    if hook_type == "filter":
        return (f"export default function {handler}(value, ...args) {{\n"
                f"  // Filter for {hook_name}: return the new value (returning undefined keeps the old one).\n"
                f"  return value;\n}}\n")
    return (f"export default function {handler}(value, ...args) {{\n"
            f"  // Action for {hook_name}: runs for its side effects with do(name, value, ...args); returns are ignored.\n"
            f"  console.log('{hook_name}', value, args);\n}}\n")


def component_code(name: str) -> str:
    component = identifier(name, capitalise=True)
    return (f"function {component}(props) {{\n"
            f"  return React.createElement('div', {{ className: '{name}' }}, props.children);\n}}\n")


def widget_code(widget_id: str) -> str:
    component = identifier(widget_id, capitalise=True)
    return (f"function {component}({{ config, slotData }}) {{\n"
            f"  const [count, setCount] = React.useState(0);\n"
            f"  return React.createElement(\n    'div',\n    {{ style: {{ padding: '12px' }} }},\n"
            f"    React.createElement('strong', null, (config && config.title) || '{component}'),\n"
            f"    React.createElement('button', {{ onClick: () => setCount((n) => n + 1) }}, 'Clicked ' + count)\n"
            f"  );\n}}\n")


@dataclass
class NewRow:
    """The row a New File request becomes: its table and the values ``db.files``'s creator for that
    table takes as keyword arguments (``services.new_files`` writes it)."""
    table: str
    values: dict[str, Any]


def plan_new_file(plugin_name: str, req: NewFileRequest) -> NewRow:
    """The row for ``req`` with working starter code; ``ValidationError`` for a kind or name we can't make."""
    if req.kind in PART_KINDS:
        return NewRow(*plan_part(plugin_name, req))
    planner = _PLANNERS.get(req.kind)
    if planner is None:
        raise ValidationError(f"unknown kind of file {req.kind!r}")
    return planner(plugin_name, req)


def _script_path(folder: str, name: str, ext: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("give the file a name")
    if "/" not in name:
        name = f"{folder}/{name}"
    return name if name.endswith(ext) else name + ext


def _script(path: str, code: str, scope: str = "frontend", script_type: str | None = None) -> NewRow:
    return NewRow("plugin_scripts", {"file_name": path, "content": code, "scope": scope, "script_type": script_type})


def _event(_plugin_name: str, req: NewFileRequest) -> NewRow:
    event_name = req.event_name.strip()
    # Never NULL: the platform's editor shows such a row under a derived name and duplicates it on save.
    file_name = req.name.strip() or path_for_event(event_name).removeprefix("events/")
    if not file_name.endswith(".js"):
        file_name += ".js"
    return NewRow("plugin_events", {"event_name": event_name, "code": event_listener_code(event_name),
                                    "priority": req.priority, "file_name": file_name})


def _hook(_plugin_name: str, req: NewFileRequest) -> NewRow:
    hook_name = req.hook_name.strip()
    return NewRow("plugin_hooks", {"hook_name": hook_name, "hook_type": req.hook_type,
                                   "code": hook_code(hook_name, req.hook_type), "priority": req.priority})


def _component(_plugin_name: str, req: NewFileRequest) -> NewRow:
    path = _script_path("components", req.name, ".js")
    return _script(path, component_code(path.rsplit("/", 1)[-1].removesuffix(".js")))


def _utility(_plugin_name: str, req: NewFileRequest) -> NewRow:
    path = _script_path("utils", req.name, ".js")
    fn = identifier(path.rsplit("/", 1)[-1].removesuffix(".js"))
    code = f"// A helper shared by this plugin's frontend code.\nfunction {fn}(value) {{\n  return value;\n}}\n"
    return _script(path, code)


def _service(_plugin_name: str, req: NewFileRequest) -> NewRow:
    path = _script_path("services", req.name, ".js")
    fn = identifier(path.rsplit("/", 1)[-1].removesuffix(".js"))
    code = (f"// Backend service: runs on the server; pluginData keeps this plugin's settings.\n"
            f"export async function {fn}(input) {{\n"
            f"  const settings = (await pluginData.get('settings')) || {{}};\n"
            f"  return {{ input, settings }};\n}}\n")
    return _script(path, code, scope="backend")


def _style(_plugin_name: str, req: NewFileRequest) -> NewRow:
    path = _script_path("styles", req.name, ".css")
    code = f"/* Styles for {path}; class names are prefixed to avoid clashing with the theme. */\n"
    return _script(path, code, script_type="css")


def _widget(_plugin_name: str, req: NewFileRequest) -> NewRow:
    widget_id = req.name.strip().removesuffix(".jsx")
    return NewRow("plugin_widgets", {"widget_id": widget_id, "widget_name": widget_id.replace("-", " ").title(),
                                     "code": widget_code(widget_id), "default_config": {"title": widget_id}})


def migration_table_name(plugin_name: str, migration_name: str) -> str:
    """The starter table of a new migration: prefixed with the plugin, so its DOWN can only drop the
    plugin's own table (a migration named "orders" must never drop the platform's orders)."""
    prefix = re.sub(r"[^a-z0-9]+", "_", plugin_name.lower()).strip("_") or "plugin"
    stem = re.sub(r"[^a-z0-9]+", "_", migration_name.lower()).strip("_") or "data"
    stem = re.sub(r"^(create|add|make)_", "", stem) or "data"
    return f"{prefix}_{stem}"[:63]


def _migration(plugin_name: str, req: NewFileRequest) -> NewRow:
    name = re.sub(r"[^A-Za-z0-9_]+", "_", req.name.strip()).strip("_") or "migration"
    version = req.version.strip() or "1.0.0"
    table = '"' + migration_table_name(plugin_name, name) + '"'
    up = (f"-- Write the change here; it runs in one transaction.\nCREATE TABLE IF NOT EXISTS {table} (\n"
          f"    id BIGSERIAL PRIMARY KEY\n);\n")
    return NewRow("plugin_migrations", {"plugin_name": plugin_name, "version": version, "name": name, "up_sql": up,
                                        "down_sql": f"DROP TABLE IF EXISTS {table};\n"})


def _readme(plugin_name: str, req: NewFileRequest) -> NewRow:
    return _script(req.name.strip() or "README.md", f"# {plugin_name}\n\n")


_PLANNERS = {
    "Event Listener": _event, "Hook": _hook, "Component": _component, "Utility": _utility, "Service": _service,
    "Style": _style, "Widget": _widget, "Migration": _migration, "README": _readme,
}
