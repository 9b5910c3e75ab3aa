"""Parse-only checks: ``check_syntax`` (the editor, on save), ``check_syntax_many`` (a package's
files in one worker round trip) and ``lint_platform_shape``.

JavaScript is parsed by QuickJS in the worker (``runner.parser``: compile only, nothing runs), in
the shapes the runner loads stored code in: a CommonJS body (a leading ``export default`` becomes
``return``), a handler expression, or, for code with import/export statements, an ES module.
Babel is not involved for JavaScript: QuickJS accepts what Babel 6 can't (``?.``, ``??``), and
whether code can run through the runner's ES-module transform is a question for running it.
JSX that QuickJS can't parse goes through Babel's JSX compile, as the widget runtime does.

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

__all__ = ["CodeProblem", "check_syntax", "check_syntax_many", "lint_platform_shape"]

_NAMED_TOKEN = re.compile(r"(?:unexpected token in expression|unexpected token|expecting):? '([^']+)'")
_LEADING_EXPORT_DEFAULT = re.compile(r"(?:\s+|//[^\n]*|/\*[\s\S]*?\*/)*(export)(?:\s+|//[^\n]*\n|/\*[\s\S]*?\*/)*default\b")
_TRAILING_SEMICOLONS = re.compile(r"[;\s]*\Z")
_MODULE_STATEMENT = re.compile(r"^[ \t]*(?:import\s*[\w$*{'\"]|export\s*[\w$*{])", re.M)
PARSED_LANGUAGES = ("javascript", "jsx")
# Worker time a batch may take on top of the usual limit: a JSX file goes through Babel (~30 ms).
BATCH_MS_PER_FILE = {"javascript": 5, "jsx": 100}


# ---- host side -----------------------------------------------------------------------------------

def check_syntax(host: "JsHost", code: str, language: str = "javascript") -> list[CodeProblem]:
    """Syntax problems of ``code`` (empty when it parses). ``language``: javascript, jsx, json, or
    anything else (css, sql, markdown: not checked here)."""
    return check_syntax_many(host, [(code, language)])[0]


def check_syntax_many(host: "JsHost", items: Sequence[tuple[str, str]]) -> list[list[CodeProblem]]:
    """``check_syntax`` for each ``(code, language)``, the JavaScript of all of them parsed in one
    worker round trip. Raises the runner's errors (timeout, crash) for the batch as a whole."""
    results: list[list[CodeProblem]] = [[] for _ in items]
    parsed = [i for i, (_code, language) in enumerate(items) if language in PARSED_LANGUAGES]
    for i, (code, language) in enumerate(items):
        if language == "json":
            results[i] = _json_problems(code)
    if parsed:
        budget = sum(BATCH_MS_PER_FILE[items[i][1]] for i in parsed)
        answer = host.call("syntax.check_many", items=[list(items[i]) for i in parsed],
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

def check_in_worker(parser: "Parser", babel_jsx, code: str, language: str) -> list[CodeProblem]:
    """Problems of one file. ``babel_jsx(code)`` raises JsSyntaxError where Babel's JSX compile fails.

    Most code parses on the first or second try (body, then expression), without tokenizing it;
    only code that neither accepts is looked at closely (the Pygments lexer, ~3 ms for 2 KB).
    """
    if _parses_quickly(parser, code):
        return []
    module_error = parser.module(code)
    if language == "jsx":
        return [] if module_error is None else _jsx_problems(babel_jsx, code)
    if module_error is None and _MODULE_STATEMENT.search(code):
        return []
    if shape_of(code)[0].needs_module_transform:
        return [] if module_error is None else [_problem(code, module_error, 0)]
    candidates, _shape = handler_candidates(code)
    errors = []
    for kind, head, body in candidates:
        error = parser.script(f"{head}\n{body}\n{EXPRESSION_TAIL if kind == 'expression' else BODY_TAIL}")
        if error is None:
            return []
        errors.append(error)
    return [_problem(code, max(errors, key=lambda e: (e["line"], e["column"])), 1)]


def _parses_quickly(parser: "Parser", code: str) -> bool:
    """Whether the code parses as a body or an expression, found without tokenizing it."""
    lead = _LEADING_EXPORT_DEFAULT.match(code)
    body, expression = code, code
    if lead:
        start, end = lead.start(1), lead.end()
        body = code[:start] + "return".ljust(end - start) + code[end:]
        expression = code[:start] + " " * (end - start) + code[end:]
    tail = _TRAILING_SEMICOLONS.search(expression)
    expression = expression[:tail.start()] + tail.group().replace(";", " ")
    return any(parser.script(text) is None
               for text in (f"{FACTORY_HEAD}\n{body}\n{BODY_TAIL}", f"{EXPRESSION_HEAD}\n{expression}\n{EXPRESSION_TAIL}"))


def _problem(code: str, error: dict, lines_before: int) -> CodeProblem:
    """A parser error (``lines_before`` lines of wrapper above the code) as a problem in the code."""
    line, column = error["line"] - lines_before, error["column"]
    last_line = code.count("\n") + 1
    if line > last_line:  # it failed at the end of the code (an unterminated string, bracket...)
        line, column = last_line, len(code.split("\n")[-1]) + 1
    line = max(line, 1)
    return CodeProblem(line, refine_column(code, line, column, error["message"]), error["message"])


def _jsx_problems(babel_jsx, code: str) -> list[CodeProblem]:
    try:
        babel_jsx(code)
    except JsSyntaxError as exc:
        return [CodeProblem(exc.line or 1, exc.column or 1, exc.message)]
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
