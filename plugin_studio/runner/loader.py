"""Which shape stored handler code has, and the sources the worker tries to load it from.

Accepted (DESIGN §5): ``function (...) {}``, named and ``async`` functions, arrow functions,
``export default function ...``, ``module.exports = ...``, with leading comments and trailing
semicolons. The code is split into tokens by a real JavaScript lexer (Pygments), so comments
and strings are never mistaken for code; edits keep every character's line and column (words
are replaced by blanks or by words of the same length).

The platform's storefront loader only evaluates a lone function expression with an optional
``export default``; ``lint_platform_shape`` says when code goes beyond that.
"""
from __future__ import annotations

from dataclasses import dataclass

from pygments.lexers import JavascriptLexer
from pygments.token import Comment, Keyword, Name, Punctuation, Text

_LEXER = JavascriptLexer(stripnl=False, stripall=False, ensurenl=False)
FACTORY_HEAD = "(function (exports, require, module, __filename, __dirname) {"
# Frontend code is strict, as the storefront's bundle (an ES module) evaluates it.
STRICT_FACTORY_HEAD = FACTORY_HEAD + " 'use strict';"
EXPRESSION_HEAD = FACTORY_HEAD + " return ("
STRICT_EXPRESSION_HEAD = STRICT_FACTORY_HEAD + " return ("
EXPRESSION_TAIL = "); })"
BODY_TAIL = "})"


@dataclass(frozen=True)
class Token:
    text: str
    offset: int
    line: int
    column: int  # 1-based
    is_keyword: bool
    is_punct: bool
    is_name: bool


@dataclass(frozen=True)
class CodeProblem:
    line: int
    column: int
    message: str
    severity: str = "error"  # error | warning

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message, "severity": self.severity}


def tokens(code: str) -> list[Token]:
    """The significant tokens of ``code`` (comments and blanks left out)."""
    out, line, line_start, position = [], 1, 0, 0
    for offset, kind, text in _LEXER.get_tokens_unprocessed(code):
        # Positions come from our own count: the lexer is configured not to alter the text.
        while position < offset:
            if code[position] == "\n":
                line, line_start = line + 1, position + 1
            position += 1
        if text.strip() and kind not in Text and kind not in Comment:
            out.append(Token(text, offset, line, offset - line_start + 1, kind in Keyword,
                             kind in Punctuation, kind in Name))
    return out


@dataclass(frozen=True)
class Shape:
    export_default: tuple[Token, Token] | None  # a leading ``export default``
    trailing_semicolons: tuple[Token, ...]
    module_syntax: tuple[Token, ...]            # other import/export statements
    commonjs: Token | None                      # ``module.exports`` or ``exports.x``

    @property
    def needs_module_transform(self) -> bool:
        return bool(self.module_syntax)


def shape_of(code: str) -> tuple[Shape, list[Token]]:
    toks = tokens(code)
    lead = None
    if len(toks) >= 2 and toks[0].is_keyword and toks[0].text == "export" and toks[1].text == "default":
        lead = (toks[0], toks[1])
    trailing = []
    for tok in reversed(toks):
        if tok.text != ";":
            break
        trailing.append(tok)
    module = []
    for i, tok in enumerate(toks):
        if lead and i < 2:
            continue
        following = toks[i + 1].text if i + 1 < len(toks) else ""
        if tok.is_keyword and tok.text == "export" or (tok.text == "import" and following not in ("(", ".")):
            if i == 0 or toks[i - 1].text in (";", "}") or toks[i - 1].line < tok.line:
                module.append(tok)
    commonjs = None
    for i, tok in enumerate(toks[:-2]):
        if tok.text == "module" and toks[i + 1].text == "." and toks[i + 2].text == "exports":
            commonjs = tok
            break
        if tok.text == "exports" and toks[i + 1].text == "." and (i == 0 or toks[i - 1].text != "."):
            commonjs = tok
            break
    return Shape(lead, tuple(trailing), tuple(module), commonjs), toks


def _blank(code: str, start: int, end: int, fill: str = "") -> str:
    """Replace code[start:end] with ``fill`` padded by spaces to the same length."""
    return code[:start] + fill.ljust(end - start) + code[end:]


def handler_candidates(code: str, strict: bool = False) -> tuple[list[tuple[str, str, str]], Shape]:
    """``(kind, head, body)`` sources to try in order: the code as one expression, then as a
    module body whose leading ``export default`` becomes ``return``. Code with other import/export
    statements has no candidate here: it goes through the ES module transform first."""
    shape, _ = shape_of(code)
    if shape.module_syntax:
        return [], shape
    expression = code
    for tok in shape.trailing_semicolons:
        expression = _blank(expression, tok.offset, tok.offset + 1)
    body = code
    if shape.export_default:
        start, end = shape.export_default[0].offset, shape.export_default[1].offset + len("default")
        expression = _blank(expression, start, end)
        body = _blank(body, start, end, "return")
    if strict:
        return [("expression", STRICT_EXPRESSION_HEAD, expression), ("body", STRICT_FACTORY_HEAD, body)], shape
    return [("expression", EXPRESSION_HEAD, expression), ("body", FACTORY_HEAD, body)], shape


# ---- the storefront loader's shape ------------------------------------------------------------

def lint_platform_shape(code: str) -> list[CodeProblem]:
    """Warnings where the platform's storefront loader could not evaluate this handler."""
    shape, toks = shape_of(code)
    if not toks:
        return [CodeProblem(1, 1, "the file is empty: the storefront loader needs a function", "warning")]
    if shape.commonjs:
        return [_warn(shape.commonjs, "the storefront loader can't evaluate `module.exports`: write "
                                      "`export default function (...) { ... }` instead")]
    if shape.module_syntax:
        return [_warn(shape.module_syntax[0], "the storefront loader can't evaluate import/export statements: "
                                              "keep one `export default function` and move helpers inside it")]
    start = 2 if shape.export_default else 0
    end = _function_end(toks, start)
    if end is None:
        return [_warn(toks[start] if start < len(toks) else toks[-1],
                      "the storefront loader expects a function expression here")]
    rest = [t for t in toks[end:] if t.text != ";"]
    if rest:
        return [_warn(rest[0], "code after the function: the storefront loader evaluates a single function "
                               "expression, so move this inside the function")]
    return []


def _warn(tok: Token, message: str) -> CodeProblem:
    return CodeProblem(tok.line, tok.column, message, "warning")


def _function_end(toks: list[Token], i: int) -> int | None:
    """Index after a function or arrow expression starting at ``toks[i]``; None if there is none."""
    n = len(toks)
    if i < n and toks[i].text == "async":
        i += 1
    if i < n and toks[i].text == "function":
        i += 1
        if i < n and toks[i].text == "*":
            i += 1
        if i < n and toks[i].text != "(":
            i += 1  # the function's name
        i = _matched(toks, i, "(", ")")
        return _matched(toks, i, "{", "}") if i is not None else None
    if i < n and toks[i].text == "(":
        i = _matched(toks, i, "(", ")")
    elif i < n and toks[i].is_name:
        i += 1
    else:
        return None
    if i is None or i >= n or toks[i].text != "=>":
        return None
    i += 1
    if i < n and toks[i].text == "{":
        return _matched(toks, i, "{", "}")
    depth = 0
    while i < n:  # a concise body: up to a top-level semicolon
        depth += _depth_change(toks[i])
        if depth == 0 and toks[i].text == ";":
            break
        i += 1
    return i


def _matched(toks: list[Token], i: int | None, opening: str, closing: str) -> int | None:
    if i is None or i >= len(toks) or toks[i].text != opening:
        return None
    depth = 0
    while i < len(toks):
        depth += _depth_change(toks[i])
        i += 1
        if depth == 0:
            return i
    return None


def _depth_change(tok: Token) -> int:
    if not tok.is_punct:
        return 0
    return sum(1 for c in tok.text if c in "([{") - sum(1 for c in tok.text if c in ")]}")


def wrap(source, head: str, body: str, tail: str) -> str:
    """``head`` on the line before the stored code and ``tail`` after it, the code at its own lines
    (``source``: the ``engine.Source`` it was allocated, whose ``first`` line the code starts on)."""
    return "\n" * (source.first - 2) + head + "\n" + body + "\n" + tail
