"""Worker ops every client uses: ping, reset a plugin's context, syntax checks, debugger conditions."""
from __future__ import annotations

import os

import dukpy

from plugin_studio.runner.errors import JsError
from plugin_studio.runner.syntax import check_in_worker

SCRATCH = "\u0000scratch"


def ping(state, payload: dict) -> dict:
    return {"pid": os.getpid(), "dukpy": getattr(dukpy, "__version__", "0.6"), "contexts": sorted(state.contexts)}


def reset(state, payload: dict) -> dict:
    key = payload["plugin_id"]
    existed = key in state.contexts
    state.reset(key)
    return {"reset": existed}


def syntax_check(state, payload: dict) -> dict:
    ctx = state.context(SCRATCH)
    if ctx.lines.next_line > 5_000_000:
        state.reset(SCRATCH)  # keep line numbers small in a long session
        ctx = state.context(SCRATCH)
    problems = check_in_worker(state, ctx, payload["code"], payload.get("language", "javascript"))
    return {"problems": [p.as_dict() for p in problems]}


def condition(state, payload: dict) -> dict:
    """Evaluate a breakpoint condition (a JS expression over ``value`` and ``args``)."""
    ctx = state.context(SCRATCH)
    out = ctx.call("condition", payload["expression"], payload.get("value"), payload.get("args", []))
    if out["status"] != "ok":
        error = out["error"]
        raise JsError(f"breakpoint condition failed: {error['message']}", name=error["name"])
    return {"value": out["value"]}


OPS = {"ping": ping, "context.reset": reset, "syntax.check": syntax_check, "condition.eval": condition}
