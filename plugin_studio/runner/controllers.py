"""Sending a request to a plugin's controllers, and running a cron job now: the host side of
``ops_controllers``. The request pane and ``plugin-studio controllers call`` / ``cron run`` all go
through ``send_request`` and ``run_cron_job``, so they give the same answer.

Routing is the platform's (``models.routes``): the controller that answers may be another than the
one being edited (an exact route beats a parameterised one). Where the storefront would answer
differently (an inactive plugin gets 403 there; ``requires_auth`` is not checked there; code using
``sequelize``) the response carries a note rather than a different answer.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plugin_studio.models import controller_requests as requests
from plugin_studio.models.controller_requests import ControllerRequest
from plugin_studio.models.paths import path_for_controller, path_for_cron
from plugin_studio.models.routes import match_route, method_problem, route_clashes
from plugin_studio.runner.errors import JsTimeout

if TYPE_CHECKING:
    from plugin_studio.db.controllers import RequestContext
    from plugin_studio.db.cron import CronContext
    from plugin_studio.db.records import ControllerRow, CronRow, Plugin
    from plugin_studio.runner.host import JsHost

API_BASE_URL = "http://localhost:3001"  # what the platform's cron runner passes when no API_BASE_URL is set


@dataclass
class ControllerResponse:
    """What the exec route answers. ``status`` None: it never answers (the handler's promise never settles)."""
    status: int | None
    body_text: str | None                 # the response body; None when empty
    controller: str | None = None         # the controller that answered (None: no route matched)
    url: str = ""
    params: dict[str, str] = field(default_factory=dict)
    sent_by: str = "handler"              # handler | default | error | router | none
    console: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: dict | None = None             # a throw or compile error: message, line, column, path, stack
    duration_ms: float = 0.0

    @property
    def body(self) -> Any:
        """The body as JSON (None when empty or not JSON)."""
        try:
            return json.loads(self.body_text) if self.body_text else None
        except ValueError:
            return None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "body": self.body, "controller": self.controller, "url": self.url,
                "params": self.params, "sent_by": self.sent_by, "console": self.console, "notes": self.notes,
                "error": self.error, "duration_ms": round(self.duration_ms, 3)}


def plugin_ref(plugin: "Plugin") -> str:
    """How the storefront's URL names the plugin: its slug when it has one, else its id."""
    return plugin.slug or plugin.id


def send_request(host: "JsHost", plugin: "Plugin", controllers: list["ControllerRow"], request: ControllerRequest,
                 timeout_ms: int | None = None) -> ControllerResponse:
    """Route ``request`` among ``controllers`` (the plugin's rows) and run the handler that matches.

    The plugin's modules must have been given to the host (``host.set_modules``) for ``require``.
    Raises ``RequestError`` for a request the platform refuses before routing (bad JSON body), and
    the runner's errors for a limit (time, memory) or a crashed worker.
    """
    ref = plugin_ref(plugin)
    method = request.method.strip().upper()
    path = requests.controller_path(request.target)
    url = requests.url_of(request, ref)
    found = match_route(controllers, method, path)
    requests.exec_payload(request, ref, {})  # refuses a bad body even when no route matches
    if found is None:
        return _not_found(controllers, method, path, ref, url, plugin)
    row = found.route
    payload = {"plugin_id": plugin.id, "label": path_for_controller(row.controller_name), "code": row.handler_code,
               "request": requests.exec_payload(request, ref, found.params)}
    if timeout_ms:
        payload["timeout_ms"] = timeout_ms
    result = host.call("controller.call", **payload)
    response = ControllerResponse(
        result["http_status"] if not result["hang"] else None, result["text"], row.controller_name, url, found.params,
        "none" if result["hang"] else result["sent"], result["console"], [], result["error"], result["duration_ms"])
    response.notes = _notes(plugin, row, controllers, result)
    return response


def send_in_context(host: "JsHost", context: "RequestContext", request: ControllerRequest) -> ControllerResponse:
    """``send_request`` with the plugin's modules given to the host first (the pane's and the CLI's way)."""
    modules = context.modules
    host.set_modules(context.plugin.id, modules.scripts, modules.dependencies)
    return send_request(host, context.plugin, context.controllers, request)


def _not_found(controllers, method: str, path: str, ref: str, url: str, plugin: "Plugin") -> ControllerResponse:
    available = [f"{c.method} {c.path}" for c in controllers if c.method == method and c.is_enabled is True]
    body = {"success": False, "error": f"Controller not found: {method} {path}", "pluginId": ref,
            "availableControllers": available}
    notes = _plugin_notes(plugin)
    notes += [f"{c.controller_name}: {method_problem(c.method)}" for c in controllers if method_problem(c.method)]
    notes += [f"{c.controller_name} would answer but is disabled" for c in controllers
              if c.is_enabled is not True and c.method == method and match_route([_enabled(c)], method, path)]
    return ControllerResponse(404, json.dumps(body, separators=(",", ":")), None, url, {}, "router", notes=notes)


def _enabled(row):
    from dataclasses import replace

    return replace(row, is_enabled=True)


def _plugin_notes(plugin: "Plugin") -> list[str]:
    if plugin.status == "active":
        return []
    return [f"on the storefront this plugin is not active (status {plugin.status!r}): the exec route answers 403 "
            f"{{\"success\":false,\"error\":\"Plugin \\\"{plugin.name}\\\" is not active (status: {plugin.status})\"}}"]


def _notes(plugin: "Plugin", row: "ControllerRow", controllers: list, result: dict) -> list[str]:
    notes = _plugin_notes(plugin)
    if row.requires_auth:
        notes.append("requires_auth is set, but the platform's exec route does not check it: anonymous requests "
                     "run this handler there too")
    if re.search(r"\bsequelize\b", row.handler_code or ""):
        notes.append("the exec route passes only { supabase } (since 2025-11-30): sequelize is undefined there")
    notes += [clash.message for clash in route_clashes(controllers) if row in (clash.first, clash.second)]
    if result.get("compile"):
        notes.append("the exec route compiles the code as (handler_code)(req, res, { supabase }): it must be one "
                     "function expression, with no export and no comment after its last line")
    if result.get("swallowed"):
        notes.append("the handler threw after sending its response: the platform ignores that error silently")
    return notes + result.get("notes", [])


# ---- cron ---------------------------------------------------------------------------------------

@dataclass
class CronRun:
    """One run of a cron job's handler. ``status``: ok | error | timeout | hang."""
    status: str
    result_text: str | None = None    # the platform's job result, {handler, executedAt, result}, as JSON
    error: dict | None = None
    console: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_ms: float = 0.0
    timeout_seconds: int = 300

    def to_json(self) -> dict[str, Any]:
        result = json.loads(self.result_text) if self.result_text else None
        return {"status": self.status, "result": result, "error": self.error, "console": self.console,
                "notes": self.notes, "duration_ms": round(self.duration_ms, 3), "timeout_seconds": self.timeout_seconds}


def run_cron_job(host: "JsHost", plugin: "Plugin", job: "CronRow") -> CronRun:
    """Run ``job``'s handler now with its ``handler_params``, stopped after its ``timeout_seconds``."""
    limit_s = job.timeout_seconds if job.timeout_seconds and job.timeout_seconds > 0 else 300
    if not (job.handler_code or "").strip():
        return CronRun("error", error={"message": f"No handler_code defined for plugin cron: {job.id} (the platform's "
                                                  "runner refuses a job without code)"}, timeout_seconds=limit_s)
    payload = {"plugin_id": plugin.id, "label": path_for_cron(job.cron_name), "code": job.handler_code or "",
               "params": job.handler_params if job.handler_params is not None else {},
               "handler_method": job.handler_method, "store_id": requests.STUDIO_USER["store_id"],
               "api_base_url": API_BASE_URL, "limit_ms": limit_s * 1000, "timeout_ms": limit_s * 1000}
    try:
        result = host.call("cron.run", **payload)
    except JsTimeout:
        return CronRun("timeout", error={"message": f"stopped after its timeout_seconds ({limit_s} s)"},
                       timeout_seconds=limit_s, duration_ms=limit_s * 1000.0)
    run = CronRun(result["status"], result.get("text"), result.get("error"), result["console"], result["notes"],
                  result["duration_ms"], limit_s)
    if run.status == "timeout":
        run.error = {"message": f"the handler waits on a timer {result['waited_ms']:.0f} ms after it started, past "
                                f"its timeout_seconds ({limit_s} s)"}
    elif run.status == "hang":
        run.error = {"message": "the handler's promise never settles (no timer or job is left to run)"}
    return run



def run_cron_in_context(host: "JsHost", context: "CronContext") -> CronRun:
    """``run_cron_job`` with the plugin's modules given to the host first (the pane's and the CLI's way)."""
    modules = context.modules
    host.set_modules(context.plugin.id, modules.scripts, modules.dependencies)
    return run_cron_job(host, context.plugin, context.job)
