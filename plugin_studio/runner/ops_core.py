"""Worker ops every client uses: ping, reset a plugin's context, syntax checks, debugger conditions."""
from __future__ import annotations

import os

import dukpy

from plugin_studio.runner.errors import JsError, ProtocolError
from plugin_studio.runner.loader import shape_of
from plugin_studio.runner.parser import Parser
from plugin_studio.runner.syntax import PARSED_LANGUAGES, check_in_worker
from plugin_studio.runner.worker import babel_error

SCRATCH = "\u0000scratch"


def ping(state, payload: dict) -> dict:
    return {"pid": os.getpid(), "dukpy": getattr(dukpy, "__version__", "0.6"), "contexts": sorted(state.contexts)}


def reset(state, payload: dict) -> dict:
    key = payload["plugin_id"]
    existed = key in state.contexts
    state.reset(key)
    return {"reset": existed}


def syntax_check(state, payload: dict) -> dict:
    """``{"code", "language"}`` → ``{"problems": [...]}``."""
    return {"problems": _problems(state, payload["code"], payload.get("language", "javascript"))}


def syntax_check_many(state, payload: dict) -> dict:
    """``{"items": [[code, language], ...]}`` → ``{"problems": [[...] per item]}``, one round trip."""
    return {"problems": [_problems(state, code, language) for code, language in payload["items"]]}


def _problems(state, code: str, language: str) -> list[dict]:
    if language not in PARSED_LANGUAGES:
        raise ProtocolError(f"the worker parses only {' and '.join(PARSED_LANGUAGES)}, not {language!r}")
    parser = state.get("syntax.parser")
    if parser is None:
        parser = state["syntax.parser"] = Parser(state.limits)
    problems = check_in_worker(parser, lambda jsx: _babel_jsx(state, jsx), code, language)
    return [p.as_dict() for p in problems]


def _babel_jsx(state, code: str) -> None:
    """Babel's JSX compile (react preset), as the widget runtime uses; raises JsSyntaxError."""
    shape = shape_of(code)[0]
    try:
        state.babel().evaljs("Babel.transform(dukpy.source, {presets: ['react'], babelrc: false,"
                             " sourceType: dukpy.kind}).code; 0", source=code,
                             kind="module" if shape.module_syntax or shape.export_default else "script")
    except dukpy.JSRuntimeError as exc:
        error = babel_error(str(exc), "<check>")
        error.message = error.message.replace(" (ES module transform)", "").removeprefix("unknown: ")
        raise error from None


def condition(state, payload: dict) -> dict:
    """Evaluate a breakpoint condition (a JS expression over ``value`` and ``args``)."""
    ctx = state.context(SCRATCH)
    out = ctx.call("condition", payload["expression"], payload.get("value"), payload.get("args", []))
    if out["status"] != "ok":
        error = out["error"]
        raise JsError(f"breakpoint condition failed: {error['message']}", name=error["name"])
    return {"value": out["value"]}


OPS = {"ping": ping, "context.reset": reset, "syntax.check": syntax_check,
       "syntax.check_many": syntax_check_many, "condition.eval": condition}
