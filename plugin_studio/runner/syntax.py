"""Parse-only checks: ``check_syntax`` (the editor, on save), ``check_syntax_many`` (a package's
files in one worker round trip) and ``lint_platform_shape``.

JavaScript is parsed by QuickJS in the worker (``runner.parser``: compile only, nothing runs), in
the shapes the runner loads stored code in: a CommonJS body (a leading ``export default`` becomes
``return``) or a handler expression; code with import/export statements and JSX first go through
the one module transform the runner uses too (``runner.transform``, sucrase), so the check and
the runner can't disagree (tests/runner/test_syntax_corpus.py holds them to it).

QuickJS gives exact lines but rough columns for syntax errors, so the column is placed on the
token the message names when it names one.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Sequence

from plugin_studio.runner.errors import JsSyntaxError
from plugin_studio.runner.loader import (
    BODY_TAIL, EXPRESSION_HEAD, EXPRESSION_TAIL, FACTORY_HEAD, CodeProblem, handler_candidates,
    lint_platform_shape, shape_of, tokens,
)

if TYPE_CHECKING:
    from plugin_studio.runner.engine import PluginContext
    from plugin_studio.runner.host import JsHost
    from plugin_studio.runner.parser import Parser
    from plugin_studio.runner.transform import Transform

__all__ = ["CodeProblem", "check_syntax", "check_syntax_many", "lint_platform_shape"]

_NAMED_TOKEN = re.compile(r"(?:unexpected token in expression|unexpected token|expecting):? '([^']+)'")
_LEADING_EXPORT_DEFAULT = re.compile(r"(?:\s+|//[^\n]*|/\*[\s\S]*?\*/)*(export)(?:\s+|//[^\n]*\n|/\*[\s\S]*?\*/)+default\b")
_TRAILING_SEMICOLONS = re.compile(r"[;\s]*\Z")
_MODULE_STATEMENT = re.compile(r"^[ \t]*(?:import(?:\s+[\w$*{]|\s*[{*'\"])|export(?:\s+[\w$]|\s*[{*]))", re.M)
PARSED_LANGUAGES = ("javascript", "jsx")
# Worker time a batch may take on top of the usual limit: module code and JSX go through the transform.
BATCH_MS_PER_FILE = {"javascript": 10, "jsx": 20}


# ---- host side -----------------------------------------------------------------------------------

def check_syntax(host: "JsHost", code: str, language: str = "javascript", strict: bool = False) -> list[CodeProblem]:
    """Syntax problems of ``code`` (empty when it parses). ``language``: javascript, jsx, json, or
    anything else (css, sql, markdown: not checked here). ``strict``: parse as strict code, as the
    runner loads hooks and events (the storefront's bundle is strict)."""
    return check_syntax_many(host, [(code, language, strict)])[0]


def check_syntax_many(host: "JsHost", items: Sequence[tuple]) -> list[list[CodeProblem]]:
    """``check_syntax`` for each ``(code, language[, strict])``, the JavaScript of all of them parsed in
    one worker round trip. Raises the runner's errors (timeout, crash) for the batch as a whole."""
    results: list[list[CodeProblem]] = [[] for _ in items]
    parsed = [i for i, item in enumerate(items) if item[1] in PARSED_LANGUAGES]
    for i, item in enumerate(items):
        if item[1] == "json":
            results[i] = _json_problems(item[0])
    if parsed:
        budget = sum(BATCH_MS_PER_FILE[items[i][1]] for i in parsed)
        answer = host.call("syntax.check_many", items=[[items[i][0], items[i][1], bool(items[i][2:] and items[i][2])]
                                                       for i in parsed],
                           timeout_ms=host.limits.timeout_ms + budget)
        for i, problems in zip(parsed, answer["problems"]):
            results[i] = [CodeProblem(**p) for p in problems]
    return results


def _json_problems(code: str) -> list[CodeProblem]:
    try:
        json.loads(code)
    except json.JSONDecodeError as exc:
        return [CodeProblem(exc.lineno, exc.colno, exc.msg)]
    return []


# ---- worker side ---------------------------------------------------------------------------------

def check_in_worker(parser: "Parser", transform: "Transform", code: str, language: str,
                    strict: bool = False) -> list[CodeProblem]:
    """Problems of one file, found the way the runner loads it (so what passes here loads there).

    Plain code parses on the first or second try (body, then expression), without tokenizing it.
    Code with import/export statements, and JSX, goes through the module transform the runner uses
    (``runner.transform``), then its output is compiled. Only code that fails everything is
    looked at closely (the Pygments lexer, ~3 ms for 2 KB).
    """
    if language == "jsx":
        return _transformed_problems(parser, transform, code, strict, jsx=True)
    if _parses_quickly(parser, code, strict):
        return []
    if _MODULE_STATEMENT.search(code) or shape_of(code)[0].needs_module_transform:
        return _transformed_problems(parser, transform, code, strict)
    candidates, _shape = handler_candidates(code)
    errors = []
    for kind, head, body in candidates:
        error = parser.script(f"{head}\n{body}\n{EXPRESSION_TAIL if kind == 'expression' else BODY_TAIL}", strict)
        if error is None:
            return []
        errors.append(error)
    return [_problem(code, max(errors, key=lambda e: (e["line"], e["column"])), 1)]


def _transformed_problems(parser: "Parser", transform: "Transform", code: str, strict: bool,
                          jsx: bool = False) -> list[CodeProblem]:
    """Module code must be a valid ES module (QuickJS's parser: the transform's own parser is lenient),
    go through the transform, and compile as the runner compiles the result."""
    if not jsx:
        module_error = parser.module(code)
        if module_error is not None:
            return [_problem(code, module_error, 0)]
    try:
        out = transform.to_commonjs(code, "<check>", jsx=jsx)
    except JsSyntaxError as exc:
        return [CodeProblem(exc.line or 1, exc.column or 1, exc.message)]
    error = parser.script(f"{FACTORY_HEAD}\n{out}\n{BODY_TAIL}", strict)
    return [] if error is None else [_problem(code, error, 1)]


def _parses_quickly(parser: "Parser", code: str, strict: bool = False) -> bool:
    """Whether the code parses as a body or an expression, found without tokenizing it."""
    lead = _LEADING_EXPORT_DEFAULT.match(code)
    body, expression = code, code
    if lead:
        start, end = lead.start(1), lead.end()
        body = code[:start] + "return".ljust(end - start) + code[end:]
        expression = code[:start] + " " * (end - start) + code[end:]
    tail = _TRAILING_SEMICOLONS.search(expression)
    expression = expression[:tail.start()] + tail.group().replace(";", " ")
    return any(parser.script(text, strict) is None
               for text in (f"{FACTORY_HEAD}\n{body}\n{BODY_TAIL}", f"{EXPRESSION_HEAD}\n{expression}\n{EXPRESSION_TAIL}"))


def _problem(code: str, error: dict, lines_before: int) -> CodeProblem:
    """A parser error (``lines_before`` lines of wrapper above the code) as a problem in the code."""
    line, column = error["line"] - lines_before, error["column"]
    last_line = code.count("\n") + 1
    if line > last_line:  # it failed at the end of the code (an unterminated string, bracket...)
        line, column = last_line, len(code.split("\n")[-1]) + 1
    line = max(line, 1)
    return CodeProblem(line, refine_column(code, line, column, error["message"]), error["message"])


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
    """Of the errors of each shape the runner tried, the one that got furthest into the code."""
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
