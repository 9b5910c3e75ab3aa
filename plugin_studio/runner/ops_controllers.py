"""Worker ops for controllers and cron jobs, run in the plugin's backend interpreter as the platform
runs them (``resources/js/backend_exec.js`` says how; ``runner/controllers.py`` is the host side).

The stored code is compiled inside the platform's own wrapper text, at its own lines of the context,
so an error's line is the file's line. A controller's route closes on the code's last line, as the
platform's ``new Function`` has it: a trailing line comment breaks it there, and here.
"""
from __future__ import annotations

import json
import time

from plugin_studio.runner.engine import PluginContext
from plugin_studio.runner.js_resources import resource_text
from plugin_studio.runner.loader import wrap

# What the platform's exec route compiles (PLATFORM.md §3.4), inside a closure that hands the code
# require and pluginData (noted on use: the platform has neither there).
CONTROLLER_HEAD = ("(function (require, pluginData) { return function anonymous(req, res, context) {"
                   " const { supabase } = context; return (")
CONTROLLER_TAIL = ")(req, res, { supabase }); }; })"
# What the platform's cron runner compiles (DynamicCronJob.executeInlineHandlerCode): the code is a body.
CRON_HEAD = ("(function (require, pluginData) { return async function anonymous(db, storeId, params, fetch,"
             " apiBaseUrl, console) {")
CRON_TAIL = "}; })"


def backend_context(state, plugin_id: str) -> PluginContext:
    """The plugin's backend interpreter with the controller and cron runtime installed."""
    ctx = state.context(plugin_id, frontend=False)
    if not ctx.eval("!!(__ps.installed && __ps.installed.controllers)"):
        ctx.eval(resource_text("backend_exec.js"))
    return ctx


def _located(ctx: PluginContext, error: dict | None, label: str) -> dict | None:
    return None if error is None else ctx.error_from(error, label).to_dict()


def call_controller(state, payload: dict) -> dict:
    """``{"plugin_id", "label", "code", "request"}`` → ``{"http_status", "text", "sent", "console", "notes",
    "error", "hang", "duration_ms"}``; ``request`` as ``models.controller_requests.exec_payload`` makes it."""
    ctx = backend_context(state, payload["plugin_id"])
    label, code = payload["label"], payload["code"]
    source = wrap(ctx.lines.allocate(label, code), CONTROLLER_HEAD, code + CONTROLLER_TAIL, "")
    started = time.perf_counter()
    outcome = ctx.settle(ctx.call("controllerStart", source, payload["request"]), poll="controllerPoll")
    return {"http_status": outcome.get("http_status"), "text": outcome.get("text"), "sent": outcome.get("sent"),
            "hang": bool(outcome.get("hang")), "compile": bool(outcome.get("compile")),
            "swallowed": bool(outcome.get("swallowed")), "console": _console(outcome), "notes": outcome.get("notes", []),
            "error": _located(ctx, outcome.get("error"), label), "duration_ms": (time.perf_counter() - started) * 1000}


def run_cron(state, payload: dict) -> dict:
    """``{"plugin_id", "label", "code", "params", "handler_method", "store_id", "api_base_url", "limit_ms"}`` →
    ``{"status": ok|error|timeout|hang, "text", "error", "waited_ms", "console", "notes", "duration_ms"}``."""
    ctx = backend_context(state, payload["plugin_id"])
    label, code = payload["label"], payload["code"]
    source = wrap(ctx.lines.allocate(label, code), CRON_HEAD, code, CRON_TAIL)
    started = time.perf_counter()
    first = ctx.call("cronStart", source, json.dumps(payload.get("params") or {}), payload.get("handler_method"),
                     payload.get("store_id"), payload.get("api_base_url"), payload.get("limit_ms"))
    outcome = ctx.settle(first, poll="cronPoll")
    return {"status": outcome["status"], "text": outcome.get("text"), "waited_ms": outcome.get("waited_ms"),
            "compile": bool(outcome.get("compile")), "error": _located(ctx, outcome.get("error"), label),
            "console": _console(outcome), "notes": outcome.get("notes", []),
            "duration_ms": (time.perf_counter() - started) * 1000}


def _console(outcome: dict) -> list[dict]:
    return [{"level": line["level"], "text": line["text"]} for line in outcome.get("console", [])]


OPS = {"controller.call": call_controller, "cron.run": run_cron}
