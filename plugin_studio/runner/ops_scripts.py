"""Worker ops for backend scripts: the plugin's modules, and running one script."""
from __future__ import annotations

import time

from plugin_studio.runner.errors import JsError
from plugin_studio.runner.ops_chain import outcome_result


def set_modules(state, payload: dict) -> dict:
    """``{"plugin_id", "scripts": {file_name: code}, "dependencies": {package: bundled code}}``."""
    state.set_modules(payload["plugin_id"], payload.get("scripts") or {}, payload.get("dependencies") or {})
    return {"scripts": len(payload.get("scripts") or {}), "dependencies": len(payload.get("dependencies") or {})}


def run_script(state, payload: dict) -> dict:
    """Require ``file_name`` (its top level runs) and, with ``call``, call that export with ``args``."""
    ctx = state.context(payload["plugin_id"])
    file_name = payload["file_name"]
    resolved = ctx.resolver.resolve("", "./" + file_name)
    if "error" in resolved:
        raise JsError(resolved["error"], path=file_name)
    started = time.perf_counter()
    loaded = ctx.settle(ctx.call("loadScript", resolved["id"]))
    result = outcome_result(state, ctx, loaded, file_name, started)
    result["exports"] = loaded.get("exports", [])
    if result["status"] == "error" or not payload.get("call"):
        return result
    called = ctx.settle(ctx.call("callExport", resolved["id"], payload["call"], payload.get("args", [])))
    final = outcome_result(state, ctx, called, file_name, started)
    final["console"] = result["console"] + final["console"]
    final["exports"] = result["exports"]
    return final


OPS = {"modules.set": set_modules, "script.run": run_script}
