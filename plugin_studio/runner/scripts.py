"""Backend scripts: ``require`` over the plugin's own scripts and dependencies, ES modules turned
into CommonJS by Babel, ``pluginData`` answered by the host from ``plugin_data``.

``resolve_spec`` and ``module_source`` run inside the worker; ``run_script`` and
``plugin_data_services`` are the host side.
"""
from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any, Callable

from plugin_studio.runner.loader import BODY_TAIL, FACTORY_HEAD, shape_of

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
    """``{"id"}`` of the module ``require(spec)`` means from module ``from_id``, or ``{"error"}``."""
    name = spec.removeprefix("node:")
    if name in NODE_BUILTINS and name not in dependencies:
        return {"error": f"require('{spec}'): Node's {name} module is not available to plugin code "
                         "(no filesystem, process or network in the sandbox)", "code": "ERR_SANDBOXED"}
    if spec.startswith("/"):
        return {"error": f"require('{spec}'): absolute paths are not allowed; use a path relative to this file"}
    if spec.startswith(("./", "../")) or spec in (".", ".."):
        base = "" if from_id.startswith(DEPENDENCY_PREFIX) else posixpath.dirname(from_id)
        path = posixpath.normpath(posixpath.join(base, spec))
        if path == ".." or path.startswith("../"):
            return {"error": f"require('{spec}') from {from_id or 'the handler'} points outside the plugin"}
        for ext in EXTENSIONS:
            if path + ext in scripts:
                return {"id": path + ext}
        return {"error": f"cannot find module '{spec}' from {from_id or 'the handler'}: the plugin has no "
                         f"script {path} (tried {', '.join(path + e for e in EXTENSIONS if e)})"}
    if spec in dependencies:
        return {"id": DEPENDENCY_PREFIX + spec}
    return {"error": f"cannot find module '{spec}': it is not a dependency of this plugin (plugin_dependencies); "
                     "the plugin's own scripts are required by relative path, e.g. './utils/x'"}


def module_source(resolver: "Resolver", context: "PluginContext", module_id: str) -> dict:
    """The factory source of a module, at its own lines of the context (``{"source"}`` or ``{"error"}``)."""
    if module_id.startswith(DEPENDENCY_PREFIX):
        code = resolver.dependencies.get(module_id[len(DEPENDENCY_PREFIX):])
        if code is None:
            return {"error": f"dependency {module_id[len(DEPENDENCY_PREFIX):]} has no bundled code"}
    else:
        code = resolver.scripts[module_id]
        if module_id.endswith(".json"):
            code = "module.exports = " + code
        elif shape_of(code)[0].needs_module_transform:
            try:
                code = resolver.compile_module(code, module_id)
            except Exception as exc:  # a JsSyntaxError from Babel, shown to the requiring code
                return {"error": str(exc)}
    source = context.lines.allocate(module_id, code)
    from plugin_studio.runner.engine import wrap

    return {"source": wrap(source, FACTORY_HEAD, code, BODY_TAIL)}


# ---- host side ---------------------------------------------------------------------------------

def run_script(host: "JsHost", plugin_id: str, file_name: str, call: str | None = None,
               args: list | None = None, timeout_ms: int | None = None) -> dict:
    """Load a backend script (running its top level) and optionally call one of its exports.

    Returns ``{"exports": [names], "value": ..., "console": [...]}``; the plugin's modules must
    have been given to the host (``host.set_modules``). Raises JsError and the limit errors.
    """
    payload: dict[str, Any] = {"plugin_id": plugin_id, "file_name": file_name, "call": call, "args": args or []}
    if timeout_ms:
        payload["timeout_ms"] = timeout_ms
    return host.call("script.run", **payload)


def plugin_data_services(connect: Callable[[], "psycopg.Connection"]) -> dict[str, Callable[..., Any]]:
    """The host's answers to ``pluginData.get/set/delete/list`` (``connect`` gives a connection)."""
    from plugin_studio.db import plugin_data

    def get(plugin_id: str, key: str, value: Any = None) -> Any:
        return plugin_data.get_value(connect(), plugin_id, key)

    def set_(plugin_id: str, key: str, value: Any = None) -> Any:
        plugin_data.set_value(connect(), plugin_id, key, value)
        return value

    def delete(plugin_id: str, key: str, value: Any = None) -> bool:
        return plugin_data.delete_value(connect(), plugin_id, key)

    def list_(plugin_id: str, key: Any = None, value: Any = None) -> dict:
        return {row.data_key: row.data_value for row in plugin_data.list_data(connect(), plugin_id)}

    return {"data.get": get, "data.set": set_, "data.delete": delete, "data.list": list_}
