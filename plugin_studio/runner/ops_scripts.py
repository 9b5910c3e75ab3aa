"""Worker ops for backend scripts: the plugin's modules, and running one script in the backend
environment of the platform's loader (PLATFORM.md §3.3)."""
from __future__ import annotations

import time
from typing import Any

from plugin_studio.runner.engine import PluginContext
from plugin_studio.runner.errors import JsError


def set_modules(state, payload: dict) -> dict:
    """``{"plugin_id", "scripts": {file_name: code}, "dependencies": {package: bundled code}}``."""
    state.set_modules(payload["plugin_id"], payload.get("scripts") or {}, payload.get("dependencies") or {})
    return {"scripts": len(payload.get("scripts") or {}), "dependencies": len(payload.get("dependencies") or {})}


def outcome_result(state, ctx: PluginContext, outcome: dict, path: str, started: float) -> dict:
    """``{"status", "json", "console", "error", "duration_ms"}`` from the runtime's outcome."""
    console = [{"level": line["level"], "text": line["text"]} for line in outcome.get("console", [])]
    result: dict[str, Any] = {"status": outcome["status"], "console": console,
                              "duration_ms": (time.perf_counter() - started) * 1000}
    if outcome["status"] == "ok":
        result["json"] = outcome["json"]
    elif outcome["status"] == "error":
        error = ctx.error_from(outcome["error"], path)
        if error.kind == "memory":
            state.reset(ctx.key)  # the heap is at its limit; start the plugin afresh
        result["error"] = error.to_dict()
    return result


def run_script(state, payload: dict) -> dict:
    """Require ``file_name`` (its top level runs) and, with ``call``, call that export with ``args`` (tagged JSON)."""
    ctx = state.context(payload["plugin_id"], frontend=False)
    file_name = payload["file_name"]
    resolved = ctx.resolver.resolve("", "./" + file_name)
    if "error" in resolved:
        raise JsError(resolved["error"], path=file_name)
    started = time.perf_counter()
    loaded = ctx.settle(ctx.call("loadScript", resolved["id"]))
    result = outcome_result(state, ctx, loaded, file_name, started)
    result["exports"] = loaded.get("exports", [])
    result["notes"] = ctx.call("takeNotes")
    if result["status"] == "error" or not payload.get("call"):
        return result
    called = ctx.settle(ctx.call("callExport", resolved["id"], payload["call"], payload.get("args", "[]")))
    final = outcome_result(state, ctx, called, file_name, started)
    final["console"] = result["console"] + final["console"]
    final["exports"] = result["exports"]
    final["notes"] = result["notes"] + ctx.call("takeNotes")
    return final


OPS = {"modules.set": set_modules, "script.run": run_script}
