"""Can the storefront load this handler? Compiled exactly as its loader wraps it, with its error text.

The storefront's App.jsx registers each hook and listener with
``eval('(' + makeEvalSafe(code) + ')')``, where ``makeEvalSafe`` removes one leading
``export default`` (``/^\\s*export\\s+default\\s+/``) and the eval is strict (App.jsx is an ES
module) (PLATFORM.md §3.1a). We compile that same text, compile only, strict, in QuickJS; the
verdict is QuickJS's, the position is where the parser stopped (sucrase's parser, which reports
exact offsets where QuickJS's columns are rough), and the message is the one V8 gives, since the
storefront runs in Chrome: "Unexpected token 'export'", "Unexpected end of input",
"Unexpected identifier 'b'"... (QuickJS words some of these differently.)

Worker side: ``storefront_problem(parser, transform, code)``; host side: ``storefront_problems``.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

import dukpy

from plugin_studio.runner.loader import CodeProblem, _function_end, shape_of

if TYPE_CHECKING:
    from plugin_studio.runner.host import JsHost
    from plugin_studio.runner.parser import Parser
    from plugin_studio.runner.transform import Transform

MAKE_EVAL_SAFE = re.compile(r"^\s*export\s+default\s+")
LOADER = "the storefront's loader (App.jsx: eval('(' + code + ')')) rejects this file"
KEYWORDS = frozenset(
    "break case catch class const continue debugger default delete do else enum export extends false finally for "
    "function if import in instanceof new null return super switch this throw true try typeof var void while with "
    "await".split())
STRICT_RESERVED = frozenset("implements interface let package private protected public static yield".split())
PUNCTUATORS = sorted(
    ">>>= ... === !== **= <<= >>= >>> &&= ||= ??= => == != <= >= && || ?? ?. ++ -- += -= *= /= %= &= |= ^= << >> ** "
    "{ } ( ) [ ] ; , < > + - * / % & | ^ ! ~ ? : = . @ #".split(), key=len, reverse=True)
_NUMBER = re.compile(r"(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*)n?")
_WORD = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*")
# QuickJS's wording of errors that are not about one unexpected token -> V8's.
_QUICKJS_TO_V8 = {
    "invalid keyword: with": "Strict mode code may not include a with statement",
    "Octal literals are not allowed in strict mode": "Octal literals are not allowed in strict mode.",
    "octal escape sequences are not allowed in strict mode": "Octal escape sequences are not allowed in strict mode.",
    "Duplicate parameter name not allowed in this context": "Duplicate parameter name not allowed in this context",
    "invalid use of 'delete'": "Delete of an unqualified identifier in strict mode.",
    # sucrase's parser accepts import/export statements anywhere, so no position is found for these
    "unsupported keyword: export": "Unexpected token 'export'",
    "unsupported keyword: import": "Cannot use import statement outside a module",
}


def wrapped(code: str) -> tuple[str, int]:
    """The text the storefront evaluates, and how many characters of ``code`` makeEvalSafe removed."""
    match = MAKE_EVAL_SAFE.match(code)
    removed = match.end() if match else 0
    return "(" + code[removed:] + ")", removed


def v8_message(text: str, pos: int | None, quickjs_message: str, sucrase_message: str = "") -> str:
    """V8's message for a syntax error in ``text`` at offset ``pos`` (None: unknown)."""
    known = _QUICKJS_TO_V8.get(quickjs_message.strip())
    if known:
        return known
    if pos is None:
        token = re.search(r"(?:unexpected token in expression|Unexpected token): '(.*)'$", quickjs_message)
        if token:
            return "Unexpected end of input" if token.group(1) == "" else f"Unexpected token '{token.group(1)}'"
        return quickjs_message[:1].upper() + quickjs_message[1:]
    if sucrase_message.startswith("Unterminated string"):
        return "Invalid or unexpected token"
    if sucrase_message.startswith("Unterminated template") or pos >= len(text) - 1 and text[pos:].strip() in ("", ")"):
        return "Unexpected end of input"
    if re.search(r"(?<![\w$.])import\s*$", text[:pos]) and not re.match(r"\s*[(.]", text[pos:]):
        return "Cannot use import statement outside a module"   # V8's word for any import declaration in a script
    return _unexpected(text, pos)


def _unexpected(text: str, pos: int) -> str:
    rest = text[pos:]
    if rest[:1] in ("'", '"'):
        return "Unexpected string"
    if rest[:1] == "`":
        return "Unexpected template string"
    number = _NUMBER.match(rest)
    if number and number.group():
        return "Unexpected number"
    word = _WORD.match(rest)
    if word:
        name = word.group()
        if name in STRICT_RESERVED:
            return "Unexpected strict mode reserved word"
        return f"Unexpected token '{name}'" if name in KEYWORDS else f"Unexpected identifier '{name}'"
    for punctuator in PUNCTUATORS:
        if rest.startswith(punctuator):
            return f"Unexpected token '{punctuator}'"
    return "Invalid or unexpected token"


def _position(code: str, removed: int, pos: int | None) -> tuple[int, int]:
    """Line and column (1-based) in ``code`` of offset ``pos`` of the wrapped text."""
    offset = len(code) if pos is None else min(max(pos - 1 + removed, 0), len(code))
    before = code[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def _parser_position(transform: "Transform", text: str) -> tuple[int | None, str]:
    try:
        found = transform.locate_syntax_error(text)
    except dukpy.JSRuntimeError:
        return None, ""
    return (found["pos"], found["message"]) if found else (None, "")


def storefront_problem(parser: "Parser", transform: "Transform", code: str) -> CodeProblem | None:
    """What the storefront's loader makes of ``code``: None when it registers a function."""
    text, removed = wrapped(code)
    error = parser.script(text, strict=True)
    if error is None:
        return _not_a_function(code, removed)
    pos, sucrase_message = _parser_position(transform, text)
    message = v8_message(text, pos, error["message"], sucrase_message)
    line, column = _position(code, removed, pos) if pos is not None else (max(1, error["line"]), 1)
    return CodeProblem(line, column, f"{LOADER}: SyntaxError: {message}", "warning")


def _not_a_function(code: str, removed: int) -> CodeProblem | None:
    shape, toks = shape_of(code)
    if shape.commonjs:
        tok = shape.commonjs
        return CodeProblem(tok.line, tok.column, "the storefront's loader evaluates this file and fails: "
                           f"ReferenceError: {tok.text} is not defined (no CommonJS in the browser); write "
                           "`export default function (...) { ... }`", "warning")
    start = 2 if shape.export_default and removed else 0
    if toks and _function_end(toks, start) == len(toks):
        return None
    where = toks[start] if start < len(toks) else (toks[0] if toks else None)
    line, column = (where.line, where.column) if where else (1, 1)
    return CodeProblem(line, column, "the storefront's loader evaluates this to something that is not a function: "
                       "it registers it anyway, and every call of the hook then throws a TypeError it swallows",
                       "warning")


# ---- host side ----------------------------------------------------------------------------------

def storefront_problems(host: "JsHost", code: str) -> list[CodeProblem]:
    """The loader's verdict on one handler's code (empty when it loads a function)."""
    return storefront_problems_many(host, [code])[0]


def storefront_problems_many(host: "JsHost", codes: Sequence[str]) -> list[list[CodeProblem]]:
    answer = host.call("storefront.check_many", codes=list(codes),
                       timeout_ms=host.limits.timeout_ms + 5 * len(codes))
    return [[CodeProblem(**p)] if p else [] for p in answer["problems"]]
