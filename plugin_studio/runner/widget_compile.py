"""Turn a widget's ``component_code`` into a factory the React runtime can call.

The platform evaluates a widget as one function expression, optionally behind ``export default``.
We accept that shape first (so a widget that works here works there), then a module-like body
(helpers, ``const {useState} = React``, ``import ... from 'react'``, ``export default X``) whose
component is the default export or the last capitalised top-level function. JSX is compiled with
Babel (dukpy's bundled Babel 6, kept loaded in one interpreter). Line numbers are preserved: the
wrapper sits on line 1 and Babel runs with ``retainLines``, so an error's line is the editor's line.

Compiled output is cached by the hash of the code, so typing back to an earlier text is free.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

# Everything the widget code sees besides the language's own globals; the runtime passes the
# preview root's own window, timers and console for these names.
FACTORY_PARAMS = (
    "React, window, setTimeout, clearTimeout, setInterval, clearInterval, requestAnimationFrame, "
    "cancelAnimationFrame, console, localStorage, sessionStorage, CustomEvent, Event"
)
_MODULE_VARS = "var module = { exports: {} }, exports = module.exports, __default; "
EXPRESSION_PREFIX = f"(function ({FACTORY_PARAMS}) {{ {_MODULE_VARS}return ("
STATEMENT_PREFIX = f"(function ({FACTORY_PARAMS}) {{ {_MODULE_VARS}"

_LEADING_TRIVIA = r"(?:\s+|//[^\n]*\n|/\*[\s\S]*?\*/)*"
_EXPORT_DEFAULT_AT_START = re.compile(rf"^({_LEADING_TRIVIA})export\s+default\s+")
_EXPORT_DEFAULT = re.compile(r"^([ \t]*)export\s+default\s+(?:(async\s+)?function\b\s*(\*?\s*[A-Za-z_$][\w$]*)?)?", re.M)
_EXPORT_NAMED = re.compile(r"^([ \t]*)export\s+(?=(?:async\s+)?function\b|const\b|let\b|var\b|class\b)", re.M)
_IMPORT = re.compile(r"^([ \t]*)import\s+([^'\"]*?)\s*from\s*(['\"])([^'\"]+)\3\s*;?", re.M)
_DECLARATION = re.compile(
    r"^([ \t]*)(?:(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=)", re.M
)
_JSX_HINT = re.compile(r"<\s*(?:[A-Za-z][\w.:-]*[\s/>]|>)|</\s*>|/>")
_BABEL_POSITION = re.compile(r"\((\d+):(\d+)\)")


class WidgetCompileError(Exception):
    """The code is not a widget we can run; ``line``/``column`` are 1-based editor positions."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def as_dict(self) -> dict:
        return {"phase": "compile", "name": "SyntaxError", "message": self.message,
                "line": self.line, "column": self.column, "stack": ""}


@dataclass(frozen=True)
class CompiledWidget:
    hash: str
    source: str          # a JS expression evaluating to the factory function
    mode: str            # "expression" (the platform's shape) or "statements"
    jsx: bool
    prefix_len: int      # columns the wrapper adds on line 1

    @property
    def platform_compatible(self) -> bool:
        """The platform's storefront loader can run only a lone function expression without JSX."""
        return self.mode == "expression" and not self.jsx


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()[:24]


def _blank(text: str) -> str:
    """Spaces in place of ``text`` (newlines kept) so columns after it do not move."""
    return re.sub(r"[^\n]", " ", text)


def expression_factory(code: str) -> str:
    body = _EXPORT_DEFAULT_AT_START.sub(lambda m: m.group(1) + _blank(m.group(0)[len(m.group(1)):]), code, count=1)
    body = re.sub(r"[;\s]*$", "", body)
    return f"{EXPRESSION_PREFIX}{body}\n); }})"


def statement_factory(code: str) -> str:
    body, default_name = _rewrite_exports(_rewrite_imports(code))
    names = [default_name] if default_name else []
    names += _component_candidates(body)
    picks = "".join(f"typeof {n} === 'function' ? {n} : " for n in dict.fromkeys(names))
    pick = (
        "typeof __default === 'function' ? __default : typeof module.exports === 'function' ? module.exports : "
        "module.exports && typeof module.exports.default === 'function' ? module.exports.default : "
        f"{picks}__default"
    )
    return f"{STATEMENT_PREFIX}{body}\n; return ({pick}); }})"


def _rewrite_imports(code: str) -> str:
    def replace(m: re.Match) -> str:
        indent, clause, module = m.group(1), m.group(2).strip(), m.group(4)
        if module != "react":
            line = code.count("\n", 0, m.start()) + 1
            raise WidgetCompileError(
                f"import from '{module}' is not available in a widget: only 'react' is provided", line, 1
            )
        return indent + _react_import_as_vars(clause)
    return _IMPORT.sub(replace, code)


def _react_import_as_vars(clause: str) -> str:
    parts = []
    named = re.search(r"\{([^}]*)\}", clause)
    default = re.sub(r"\{[^}]*\}", "", clause).strip().strip(",").strip()
    if default.startswith("*"):
        default = default.split("as", 1)[1].strip()
    if default:
        parts.append(f"var {default} = React;")
    if named:
        fields = [re.sub(r"\s+as\s+", ": ", f.strip()) for f in named.group(1).split(",") if f.strip()]
        parts.append("var { " + ", ".join(fields) + " } = React;")
    return " ".join(parts)


def _rewrite_exports(code: str) -> tuple[str, str | None]:
    default_name: list[str] = []

    def replace_default(m: re.Match) -> str:
        indent, is_async, name = m.group(1), m.group(2) or "", m.group(3)
        whole = m.group(0)
        if name:  # export default function Name: keep the declaration, remember the name
            default_name.append(name.lstrip("* ").strip())
            return indent + _blank(whole[len(indent):whole.index("function")]) + whole[whole.index("function"):]
        assign = "__default = "
        rest = whole[len(indent):]
        head = re.match(r"export\s+default\s+", rest).group(0)
        return indent + assign + " " * max(0, len(head) - len(assign)) + rest[len(head):]

    code = _EXPORT_DEFAULT.sub(replace_default, code)
    code = _EXPORT_NAMED.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), code)
    return code, (default_name[0] if default_name else None)


def _component_candidates(code: str) -> list[str]:
    """Top-level functions, last capitalised one first (a component is named like one).

    "Top-level" is the least indented declarations, so a pasted, uniformly indented module works.
    """
    found = [(len(m.group(1).expandtabs()), m.group(2) or m.group(3)) for m in _DECLARATION.finditer(code)]
    if not found:
        return []
    outer = min(indent for indent, _ in found)
    names = [name for indent, name in found if indent == outer]
    capitalised = [n for n in names if n[0].isupper()]
    return list(reversed(capitalised)) + list(reversed([n for n in names if not n[0].isupper()]))


def looks_like_jsx(code: str) -> bool:
    return bool(_JSX_HINT.search(code))


def with_fragment_shorthand(code: str) -> str:
    """Babel 6 predates ``<>...</>``: spell it as React.Fragment (same lines)."""
    return re.sub(r"<\s*>", "<React.Fragment>", re.sub(r"<\s*/\s*>", "</React.Fragment>", code))


def _with_modern_syntax_hint(error: WidgetCompileError, code: str) -> WidgetCompileError:
    lines = code.split("\n")
    if error.line and error.line <= len(lines) and re.search(r"\?\.|\?\?", lines[error.line - 1]):
        error.message += " (JSX is compiled with Babel 6, which does not know ?. and ??: write a && a.b instead)"
        error.args = (error.message,)
    return error


class BabelJsx:
    """dukpy's Babel kept loaded: ~130 ms to load once, then a few ms per compile."""

    def __init__(self):
        self._interp = None

    def transform(self, code: str) -> str:
        import dukpy  # the worker imports it anyway; importing here keeps this module cheap to load

        if self._interp is None:
            path = os.path.join(os.path.dirname(dukpy.__file__), "jsmodules", "babel-6.26.0.min.js")
            interp = dukpy.JSInterpreter()
            with open(path, encoding="utf-8") as f:
                interp.evaljs(f.read())
            self._interp = interp
        try:
            return self._interp.evaljs(
                "Babel.transform(dukpy.jsx, {presets: ['react'], retainLines: true, compact: false}).code",
                jsx=with_fragment_shorthand(code),
            )
        except dukpy.JSRuntimeError as exc:
            first = str(exc).splitlines()[0]
            message = re.sub(r"^SyntaxError: unknown: ", "", first)
            pos = _BABEL_POSITION.search(first)
            line, column = (int(pos.group(1)), int(pos.group(2)) + 1) if pos else (None, None)
            raise WidgetCompileError(f"JSX: {message}", line, column) from None


class WidgetCompiler:
    """Compile with a cache; ``check_syntax(source)`` returns None or the runtime's error dict."""

    def __init__(self, check_syntax: Callable[[str], dict | None], babel: BabelJsx | None = None,
                 cache_size: int = 128):
        self._check = check_syntax
        self._babel = babel or BabelJsx()
        self._cache: OrderedDict[str, CompiledWidget] = OrderedDict()
        self._cache_size = cache_size
        self.hits = 0
        self.misses = 0

    def compile(self, code: str) -> CompiledWidget:
        key = code_hash(code)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self.hits += 1
            return cached
        self.misses += 1
        compiled = self._compile_fresh(key, code)
        self._cache[key] = compiled
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return compiled

    def _compile_fresh(self, key: str, code: str) -> CompiledWidget:
        if not code.strip():
            raise WidgetCompileError("the widget has no code: write a function component", 1, 1)
        attempt = self._try_shapes(key, code, jsx=False)
        if isinstance(attempt, CompiledWidget):
            return attempt
        if not looks_like_jsx(code):
            raise attempt
        return self._compile_jsx(key, code, plain_error=attempt)

    def _compile_jsx(self, key: str, code: str, plain_error: WidgetCompileError) -> CompiledWidget:
        try:
            js = self._babel.transform(code)
        except WidgetCompileError as babel_error:
            # When the JS engine stopped before the first JSX, its error is the real one.
            first_jsx = code.count("\n", 0, _JSX_HINT.search(code).start()) + 1
            if plain_error.line and plain_error.line < first_jsx:
                raise plain_error from None
            raise _with_modern_syntax_hint(babel_error, code) from None
        attempt = self._try_shapes(key, js, jsx=True)
        if isinstance(attempt, CompiledWidget):
            return attempt
        raise attempt

    def _try_shapes(self, key: str, code: str, jsx: bool) -> CompiledWidget | WidgetCompileError:
        try:
            statements = statement_factory(code)
        except WidgetCompileError as exc:
            return exc
        error = None
        for mode, source, prefix in (
            ("expression", expression_factory(code), EXPRESSION_PREFIX),
            ("statements", statements, STATEMENT_PREFIX),
        ):
            error = self._check(source)
            if error is None:
                return CompiledWidget(key, source, mode, jsx, len(prefix))
            error = self._as_compile_error(error, len(prefix))
        return error

    @staticmethod
    def _as_compile_error(info: dict, prefix_len: int) -> WidgetCompileError:
        line, column = info.get("line"), info.get("column")
        if line == 1 and column:
            column = max(1, column - prefix_len)
        return WidgetCompileError(info.get("message") or "syntax error", line, column)
