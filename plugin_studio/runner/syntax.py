"""Parse-only checks for the editor (on save): ``check_syntax`` and ``lint_platform_shape``.

JavaScript is parsed by QuickJS itself in the worker, in each shape a stored file may have
(handler expression, CommonJS body, ES module); nothing in the code runs. QuickJS gives exact
lines but rough columns for syntax errors, so the column is placed on the token the message
names when it names one.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from plugin_studio.runner.errors import JsSyntaxError
from plugin_studio.runner.loader import (
    BODY_TAIL, EXPRESSION_TAIL, CodeProblem, handler_candidates, lint_platform_shape, shape_of, tokens,
)

if TYPE_CHECKING:
    from plugin_studio.runner.engine import PluginContext
    from plugin_studio.runner.host import JsHost

__all__ = ["CodeProblem", "check_syntax", "lint_platform_shape"]

_NAMED_TOKEN = re.compile(r"(?:unexpected token in expression|unexpected token|expecting):? '([^']+)'")
_MODULE_FRAME = re.compile(r"at <check>:(\d+):(\d+)")
MODULE_PROBE = 'import "ps:syntax-check-only";'  # resolving it fails, so the module never runs


def check_syntax(host: "JsHost", code: str, language: str = "javascript") -> list[CodeProblem]:
    """Syntax problems of ``code`` (empty when it parses). ``language``: javascript, jsx, json, or
    anything else (css, sql, markdown: not checked here)."""
    if language == "json":
        return _json_problems(code)
    if language not in ("javascript", "jsx"):
        return []
    result = host.call("syntax.check", code=code, language=language)
    return [CodeProblem(**p) for p in result["problems"]]


def _json_problems(code: str) -> list[CodeProblem]:
    try:
        json.loads(code)
    except json.JSONDecodeError as exc:
        return [CodeProblem(exc.lineno, exc.colno, exc.msg)]
    return []


def refine_column(code: str, line: int, column: int | None, message: str) -> int:
    """A better column for a QuickJS syntax error on ``line``."""
    on_line = [t for t in tokens(code) if t.line == line]
    match = _NAMED_TOKEN.search(message)
    if match:
        named = [t for t in on_line if t.text == match.group(1)]
        if named:
            return named[0].column
    line_text = code.split("\n")[line - 1] if 0 < line <= code.count("\n") + 1 else ""
    if column and 1 < column <= len(line_text) + 1:
        return column
    return on_line[0].column if on_line else 1


def best_syntax_error(ctx: "PluginContext", errors: list[dict], code: str, path: str) -> JsSyntaxError:
    """Of the errors of each shape tried, the one that got furthest into the code."""
    located = []
    for error in errors:
        reached = _reached(ctx, error.get("stack", ""))
        located.append((reached, error))
    (line, column), error = max(located, key=lambda pair: pair[0])
    last_line = code.count("\n") + 1
    if line > last_line:  # it failed at the end of the code (an unterminated string, bracket...)
        line, column = last_line, len(code.split("\n")[-1]) + 1
    return JsSyntaxError(error["message"], line, refine_column(code, line, column, error["message"]), "",
                         error.get("name", "SyntaxError"), path)


def _reached(ctx: "PluginContext", stack: str) -> tuple[int, int]:
    """How far into its source a syntax error's first frame is (lines past the end count)."""
    from plugin_studio.runner.engine import _FRAME

    for text in stack.splitlines():
        match = _FRAME.match(text)
        found = match and ctx.lines.find(int(match.group(3)))
        if found:
            return found[1], int(match.group(4))
    return 1, 1


def check_in_worker(state, ctx: "PluginContext", code: str, language: str) -> list[CodeProblem]:
    if language == "jsx":
        return _jsx_problems(state, code)
    candidates, shape = handler_candidates(code)
    if shape.needs_module_transform:
        return _module_problems(state, ctx, code)
    from plugin_studio.runner.engine import wrap

    source = ctx.lines.allocate("<check>", code)
    texts = [wrap(source, head, body, EXPRESSION_TAIL if kind == "expression" else BODY_TAIL)
             for kind, head, body in candidates]
    outcome = ctx.call("compile", texts)
    if outcome["status"] == "ok":
        return []
    error = best_syntax_error(ctx, outcome["errors"], code, "<check>")
    return [CodeProblem(error.line or 1, error.column or 1, error.message)]


def _module_problems(state, ctx: "PluginContext", code: str) -> list[CodeProblem]:
    """Parse as an ES module with QuickJS (never evaluated), then through the CommonJS transform."""
    try:
        ctx.interp._evaljs_module(MODULE_PROBE + code, module_name="<check>")
    except Exception as exc:  # dukpy.JSRuntimeError: the probe import fails when parsing succeeded
        text = str(exc)
        if not text.startswith("SyntaxError"):
            return _transform_problems(state, code)
        message = text.split("\n", 1)[0].removeprefix("SyntaxError: ")
        match = _MODULE_FRAME.search(text)
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        if line == 1 and column:
            column = max(1, column - len(MODULE_PROBE))
        return [CodeProblem(line, refine_column(code, line, column, message), message)]
    return _transform_problems(state, code)


def _transform_problems(state, code: str) -> list[CodeProblem]:
    try:
        state.babel_module(code, "<check>")
    except JsSyntaxError as exc:
        return [CodeProblem(exc.line or 1, exc.column or 1, exc.message)]
    return []


def _jsx_problems(state, code: str) -> list[CodeProblem]:
    import dukpy

    from plugin_studio.runner.worker import babel_error

    shape = shape_of(code)[0]
    try:
        state.babel().evaljs("Babel.transform(dukpy.source, {presets: ['react'], babelrc: false,"
                             " sourceType: dukpy.kind}).code; 0", source=code,
                             kind="module" if shape.module_syntax or shape.export_default else "script")
    except dukpy.JSRuntimeError as exc:
        error = babel_error(str(exc), "<check>")
        return [CodeProblem(error.line or 1, error.column or 1, error.message.replace(" (ES module transform)", ""))]
    return []
