"""Worker ops for hooks and events: load a handler, invoke it once, or run a batch of chains.

A handler spec is ``{"key": row id, "code": stored code, "path": shown path}``; a handler is
(re)defined in its plugin's context whenever its code differs from what was loaded last.
"""
from __future__ import annotations

import json
import time
from typing import Any

from plugin_studio.runner.engine import PluginContext, wrap
from plugin_studio.runner.errors import JsSyntaxError, RunnerError
from plugin_studio.runner.loader import (
    BODY_TAIL, EXPRESSION_TAIL, FACTORY_HEAD, handler_candidates,
)
from plugin_studio.runner.syntax import best_syntax_error


def define(state, ctx: PluginContext, handler: dict) -> RunnerError | None:
    """Make ``handler`` callable in ``ctx``; the load error (syntax, top-level throw) if it can't be."""
    key, code, path = handler["key"], handler["code"], handler.get("path") or handler["key"]
    if ctx.loaded.get(key) == code:
        return None
    ctx.loaded.pop(key, None)
    candidates, shape = handler_candidates(code)
    source = ctx.lines.allocate(path, code)
    texts = [wrap(source, head, body, EXPRESSION_TAIL if kind == "expression" else BODY_TAIL)
             for kind, head, body in candidates]
    if shape.needs_module_transform:
        try:
            texts = [wrap(source, FACTORY_HEAD, state.babel_module(code, path), BODY_TAIL)]
        except JsSyntaxError as exc:
            return exc
    outcome = ctx.call("define", key, texts, path)
    if outcome["status"] == "ok":
        ctx.loaded[key] = code
        return None
    if outcome["status"] == "syntax":
        return best_syntax_error(ctx, outcome["errors"], code, path)
    return ctx.error_from(outcome["error"], path)


def outcome_result(state, ctx: PluginContext, outcome: dict, path: str, started: float) -> dict:
    result: dict[str, Any] = {"status": outcome["status"], "console": outcome.get("console", []),
                              "duration_ms": (time.perf_counter() - started) * 1000}
    if outcome["status"] == "ok":
        result["value"] = json.loads(outcome["json"])
    elif outcome["status"] == "error":
        error = ctx.error_from(outcome["error"], path)
        if error.kind == "memory":
            state.reset(ctx.key)  # the heap is at its limit; start the plugin afresh
        result["error"] = error.to_dict()
    return result


def invoke(state, payload: dict) -> dict:
    """Call one handler with ``args``: ``{"status": ok|undefined|error, "value", "console", "error", "duration_ms"}``."""
    ctx = state.context(payload["plugin_id"])
    handler = payload["handler"]
    started = time.perf_counter()
    failure = define(state, ctx, handler)
    if failure is not None:
        return {"status": "error", "phase": "load", "error": failure.to_dict(), "console": [],
                "duration_ms": (time.perf_counter() - started) * 1000}
    outcome = ctx.settle(ctx.call("invoke", handler["key"], payload.get("args", [])))
    return outcome_result(state, ctx, outcome, handler.get("path") or handler["key"], started)


def batch(state, payload: dict) -> dict:
    """Run ``items`` (``[{"value", "args"}]``) through every segment ``[[plugin_id, [handlers]], ...]``.

    Applies are independent, so each segment (one plugin's consecutive handlers) takes every item
    in one eval. Returns ``{"values": [...], "errors": [[item, [[row id, error], ...]], ...]}``.
    """
    items = [{"value": i.get("value"), "args": list(i.get("args", []))} for i in payload["items"]]
    kind = payload["kind"]
    errors: dict[int, list] = {}
    for plugin_id, handlers in payload["segments"]:
        ctx = state.context(plugin_id)
        keys = []
        for handler in handlers:
            failure = define(state, ctx, handler)
            if failure is not None:
                for i in range(len(items)):
                    errors.setdefault(i, []).append([handler["key"], failure.to_dict()])
            else:
                keys.append(handler["key"])
        outcome = ctx.settle(ctx.call("batch", keys, kind, items), "batchPoll")
        if outcome["status"] != "ok":
            raise ctx.error_from(outcome["error"])
        out = outcome["result"]
        for i, value in enumerate(out["values"]):
            items[i]["value"] = value
        for i, failures in out["errors"]:
            errors.setdefault(i, []).extend([key, ctx.error_from(e).to_dict()] for key, e in failures)
    return {"values": [i["value"] for i in items], "errors": sorted(errors.items())}


OPS = {"handler.invoke": invoke, "chain.batch": batch}
