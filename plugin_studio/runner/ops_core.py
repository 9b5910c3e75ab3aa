"""Worker ops every client uses: ping, reset a plugin's context, syntax checks, debugger conditions."""
from __future__ import annotations

import os

import dukpy

from plugin_studio.runner.errors import JsError, ProtocolError
from plugin_studio.runner.parser import Parser
from plugin_studio.runner.storefront_check import storefront_problem
from plugin_studio.runner.syntax import PARSED_LANGUAGES, check_in_worker

SCRATCH = "\u0000scratch"


def ping(state, payload: dict) -> dict:
    return {"pid": os.getpid(), "dukpy": getattr(dukpy, "__version__", "0.6"), "contexts": sorted(state.contexts)}


def reset(state, payload: dict) -> dict:
    key = payload["plugin_id"]
    existed = key in state.contexts
    state.reset(key)
    return {"reset": existed}


def syntax_check(state, payload: dict) -> dict:
    """``{"code", "language", "strict"}`` → ``{"problems": [...]}``."""
    return {"problems": _problems(state, payload["code"], payload.get("language", "javascript"),
                                  bool(payload.get("strict")))}


def syntax_check_many(state, payload: dict) -> dict:
    """``{"items": [[code, language, strict], ...]}`` → ``{"problems": [[...] per item]}``, one round trip."""
    return {"problems": [_problems(state, item[0], item[1], bool(item[2:] and item[2])) for item in payload["items"]]}


def _parser(state) -> Parser:
    parser = state.get("syntax.parser")
    if parser is None:
        parser = state["syntax.parser"] = Parser(state.limits)
    return parser


def _problems(state, code: str, language: str, strict: bool) -> list[dict]:
    if language not in PARSED_LANGUAGES:
        raise ProtocolError(f"the worker parses only {' and '.join(PARSED_LANGUAGES)}, not {language!r}")
    return [p.as_dict() for p in check_in_worker(_parser(state), state.transform, code, language, strict)]


def storefront_check_many(state, payload: dict) -> dict:
    """``{"codes": [...]}`` → ``{"problems": [problem or None per code]}``: the storefront loader's verdict."""
    out = []
    for code in payload["codes"]:
        problem = storefront_problem(_parser(state), state.transform, code)
        out.append(problem.as_dict() if problem else None)
    return {"problems": out}


def condition(state, payload: dict) -> dict:
    """Evaluate a breakpoint condition (a JS expression over ``value`` and ``args``, tagged JSON)."""
    ctx = state.context(SCRATCH)
    out = ctx.call("condition", payload["expression"], payload.get("value", "null"), payload.get("args", "[]"))
    if out["status"] != "ok":
        error = out["error"]
        raise JsError(f"breakpoint condition failed: {error['message']}", name=error["name"])
    return {"value": out["value"]}


OPS = {"ping": ping, "context.reset": reset, "syntax.check": syntax_check,
       "syntax.check_many": syntax_check_many, "storefront.check_many": storefront_check_many,
       "condition.eval": condition}
