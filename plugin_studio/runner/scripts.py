"""Backend scripts: ``require`` over the plugin's own scripts and dependencies in the platform's
order, ES modules turned into CommonJS by the one transform, ``pluginData`` answered by the host.

``resolve_spec`` and ``module_source`` run inside the worker; ``run_script`` and
``plugin_data_services`` are the host side.
"""
from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING, Any, Callable

from plugin_studio.runner.loader import BODY_TAIL, FACTORY_HEAD, STRICT_FACTORY_HEAD, shape_of, wrap

if TYPE_CHECKING:
    import psycopg

    from plugin_studio.runner.engine import PluginContext, Resolver
    from plugin_studio.runner.host import JsHost

NODE_BUILTINS = frozenset({
    "fs", "fs/promises", "path", "os", "child_process", "http", "https", "http2", "net", "tls", "dgram",
    "dns", "cluster", "worker_threads", "process", "vm", "v8", "module", "readline", "repl", "tty",
    "inspector", "perf_hooks", "stream", "zlib", "crypto", "url", "util", "events", "buffer", "timers",
})
EXTENSIONS = ("", ".js", ".mjs", ".cjs", ".json", "/index.js")
DEPENDENCY_PREFIX = "dep:"


def resolve_spec(scripts: dict[str, str], dependencies: dict[str, str], from_id: str, spec: str) -> dict:
    """``{"id"}`` of the module ``require(spec)`` means from module ``from_id`` (with ``"note"`` where the
    platform's loader would not find it), or ``{"error"}``.

    The platform's order (PluginModuleLoader.createPluginContext, PLATFORM.md §3.3): bundled
    dependencies by name; then the plugin's own scripts by path from the plugin's root, a leading
    ``./`` and a trailing ``.js`` ignored; else "Module not found". Beyond that we resolve as Node
    does (relative to the requiring file, ``../``, ``.json``, ``index.js``) and say the platform won't.
    """
    if spec in dependencies:
        return {"id": DEPENDENCY_PREFIX + spec}
    name = spec.removeprefix("node:")
    if name in NODE_BUILTINS:
        return {"error": f"Module not found: {spec} (Node's {name} module is not available to plugin code: "
                         "no filesystem, process or network in the sandbox)", "code": "ERR_SANDBOXED"}
    own = _platform_module(scripts, spec)
    if own is not None:
        return {"id": own}
    if spec.startswith("/"):
        return {"error": f"Module not found: {spec} (absolute paths are not allowed; use a path relative to the plugin)"}
    if spec.startswith(("./", "../")) or spec in (".", ".."):
        return _node_relative(scripts, from_id, spec)
    return {"error": f"Module not found: {spec} (not a dependency of this plugin in plugin_dependencies, nor one of "
                     "its scripts; scripts are required by their path, e.g. './utils/format')"}


def _platform_module(scripts: dict[str, str], spec: str) -> str | None:
    """The script the platform's ``normalizeModulePath`` finds: ``./`` and ``.js`` stripped, from the root."""
    wanted = spec.removeprefix("./").removesuffix(".js")
    for file_name in scripts:
        if file_name.removeprefix("./").removesuffix(".js") == wanted:
            return file_name
    return None


def _node_relative(scripts: dict[str, str], from_id: str, spec: str) -> dict:
    base = "" if from_id.startswith(DEPENDENCY_PREFIX) else posixpath.dirname(from_id)
    path = posixpath.normpath(posixpath.join(base, spec))
    if path == ".." or path.startswith("../"):
        return {"error": f"Module not found: {spec} (from {from_id or 'the handler'} it points outside the plugin)"}
    for ext in EXTENSIONS:
        if path + ext in scripts:
            return {"id": path + ext, "note": f"require('{spec}') from {from_id or 'the handler'} finds {path + ext} "
                    "here as Node would; the platform's loader looks scripts up from the plugin's root "
                    "(and only .js files), so there it throws \"Module not found\""}
    return {"error": f"Module not found: {spec} (from {from_id or 'the handler'}: the plugin has no script {path}; "
                     f"tried {', '.join(path + e for e in EXTENSIONS if e)})"}


_UNSUPPORTED_BY_PLATFORM = [
    (re.compile(r"^\s*export\s+(?:let|var)\b", re.M), "export let/var"),
    (re.compile(r"^\s*export\s+async\s+function\b", re.M), "export async function"),
    (re.compile(r"^\s*export\s+class\b", re.M), "export class"),
    (re.compile(r"^\s*export\s+\*", re.M), "export * from"),
    (re.compile(r"^\s*export\s*\{[^}]*\bas\b", re.M), "export { a as b }"),
    (re.compile(r"^\s*import\s+[\w$]+\s*,\s*[{*]", re.M), "import X, { Y } from"),
    (re.compile(r"^\s*import\s*['\"]", re.M), "a side-effect import 'x'"),
    (re.compile(r"\bimport\s*\("), "dynamic import()"),
]


def platform_transform_notes(code: str) -> list[str]:
    """Module syntax the platform's regex transform (PLATFORM.md §3.3) leaves broken."""
    return [f"the platform's loader does not transform {what}: there this script fails to load"
            for pattern, what in _UNSUPPORTED_BY_PLATFORM if pattern.search(code)]


def module_source(resolver: "Resolver", context: "PluginContext", module_id: str) -> dict:
    """The factory source of a module, at its own lines of the context (``{"source", "notes"}`` or ``{"error"}``).

    Backend code runs sloppy, as the platform's ``new Function`` runs it; module syntax goes through
    the one transform (``runner.transform``), whose ``"use strict"`` is blanked out for that reason.
    """
    notes: list[str] = []
    original = None
    if module_id.startswith(DEPENDENCY_PREFIX):
        code = resolver.dependencies.get(module_id[len(DEPENDENCY_PREFIX):])
        if code is None:
            return {"error": f"dependency {module_id[len(DEPENDENCY_PREFIX):]} has no bundled code"}
    else:
        code = original = resolver.scripts[module_id]
        if module_id.endswith(".json"):
            code = "module.exports = " + code
        elif shape_of(code)[0].needs_module_transform:
            notes = platform_transform_notes(code)
            try:
                code = resolver.compile_module(code, module_id)
            except Exception as exc:  # a JsSyntaxError from the transform, shown to the requiring code
                return {"error": str(exc)}
            if not context.frontend and code.startswith(_USE_STRICT):
                code = " " * len(_USE_STRICT) + code[len(_USE_STRICT):]
    source = context.lines.allocate(module_id, original if original is not None else code)
    head = STRICT_FACTORY_HEAD if context.frontend else FACTORY_HEAD
    return {"source": wrap(source, head, code, BODY_TAIL), "notes": notes}


_USE_STRICT = '"use strict";'


# ---- host side ---------------------------------------------------------------------------------

def run_script(host: "JsHost", plugin_id: str, file_name: str, call: str | None = None,
               args: list | None = None, timeout_ms: int | None = None) -> dict:
    """Load a backend script (running its top level) and optionally call one of its exports.

    Returns ``{"status", "exports": [names], "value": ..., "console": [...], "notes": [...], "error"}``
    (``notes``: where the platform's loader would behave differently); the plugin's modules must have
    been given to the host (``host.set_modules``). Raises the runner's errors (limits, crash).
    """
    from plugin_studio.models import js_value

    payload: dict[str, Any] = {"plugin_id": plugin_id, "file_name": file_name, "call": call,
                               "args": js_value.encode(list(args or []))}
    if timeout_ms:
        payload["timeout_ms"] = timeout_ms
    result = host.call("script.run", **payload)
    if "json" in result:
        result["value"] = js_value.decode(result.pop("json"))
    return result


def plugin_data_services(connect: Callable[[], "psycopg.Connection"]) -> dict[str, Callable[..., Any]]:
    """The host's answers to ``pluginData.get/set/delete/list`` (``connect`` gives a connection).

    Values travel as JSON text both ways (``value_json`` in, the answer out), as the platform's
    driver stores them.
    """
    from plugin_studio.db import plugin_data

    def get(plugin_id: str, key: str, value_json: str | None = None) -> str | None:
        value = plugin_data.get_value(connect(), plugin_id, key)
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def set_(plugin_id: str, key: str, value_json: str | None = None) -> str | None:
        plugin_data.set_value(connect(), plugin_id, key, None if value_json is None else json.loads(value_json))
        return value_json

    def delete(plugin_id: str, key: str, value_json: str | None = None) -> str:
        return json.dumps(plugin_data.delete_value(connect(), plugin_id, key))

    def list_(plugin_id: str, key: Any = None, value_json: str | None = None) -> str:
        rows = plugin_data.list_data(connect(), plugin_id)
        return json.dumps({row.data_key: row.data_value for row in rows}, ensure_ascii=False)

    return {"data.get": get, "data.set": set_, "data.delete": delete, "data.list": list_}


def plugin_data_services_for(dsn: str) -> dict[str, Callable[..., Any]]:
    """``plugin_data_services`` over a connection of their own, opened from ``dsn`` on first use (on
    the thread that runs the JS host) and again after it broke: the debugger's and the IDE's runner."""
    from plugin_studio.db.connection import connect

    holder: list = []

    def connection() -> "psycopg.Connection":
        if not holder or holder[0].closed or holder[0].broken:
            holder[:] = [connect(dsn, application_name="plugin-studio-plugindata")]
        return holder[0]

    return plugin_data_services(connection)
