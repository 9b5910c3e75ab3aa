"""Compile a widget's ``component_code`` as the storefront does, and say so where it can't.

The storefront (PLATFORM.md §3.1d) trims the code, strips one leading ``export default``, wraps a
leading ``function`` in parentheses and evaluates ``new Function('React', "'use strict'; return
" + code + ";")(React)``: only ``React`` is in scope, in strict mode. That compile is always the
first candidate, and the preview's runtime runs it exactly so (``widget_shell.js``).

Where the storefront can't compile the code (JSX, a module with helpers and ``export default X``)
or gets no component from it, the preview still renders it from the next candidate: the code
after the JSX transform, or as a module body whose default export (or last capitalised top-level
function) is the component, again with only ``React`` in scope. The answer then names what the
storefront shows instead.

Every candidate sits at the same place in its ``new Function``: the code's line 1 is line
``FIRST_CODE_LINE`` of the function's text (the JSX transform keeps lines), so an error's line
maps back to the editor's line. Candidates are cached by the code's hash, so typing back to an
earlier text costs no transform.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

FIRST_CODE_LINE = 5          # "(function anonymous(React\n) {\n" + two lines before the code
STOREFRONT_RETURN = "        return "
MODULE_PRELUDE = "\n'use strict'; var module = { exports: {} }, exports = module.exports, __default;\n"
JS_WHITESPACE = " \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
                "\u2028\u2029\u202f\u205f\u3000\ufeff"

_EXPORT_DEFAULT = re.compile(r"^([ \t]*)export\s+default\s+(?:(async\s+)?function\b\s*(\*?\s*[A-Za-z_$][\w$]*)?)?", re.M)
_EXPORT_NAMED = re.compile(r"^([ \t]*)export\s+(?=(?:async\s+)?function\b|const\b|let\b|var\b|class\b)", re.M)
_IMPORT = re.compile(r"^([ \t]*)import\s+([^'\"]*?)\s*from\s*(['\"])([^'\"]+)\3\s*;?", re.M)
_DECLARATION = re.compile(
    r"^([ \t]*)(?:(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:const|let|var|class)\s+([A-Za-z_$][\w$]*)\s*[=\s{]|"
    r"class\s+([A-Za-z_$][\w$]*))", re.M)
_JSX_HINT = re.compile(r"<\s*(?:[A-Za-z][\w.:-]*[\s/>]|>)|</\s*>|/>")
_BABEL_POSITION = re.compile(r"\((\d+):(\d+)\)")
_INPUT_POSITION = re.compile(r"<input>:(\d+):(\d+)")
_HOOK_CALL = re.compile(r"\b(use[A-Z][\w$]*)\s*\(")


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
class Candidate:
    mode: str          # "storefront" (the storefront's own compile) or "module"
    source: str        # storefront: the code as stored (or transformed); module: a function body
    line_shift: int    # add to (line - FIRST_CODE_LINE + 1) to get the editor's line
    column_shift: int  # columns the compile puts before the code's first line
    jsx: bool = False  # the code after the JSX transform

    def as_payload(self) -> dict:
        return {"mode": self.mode, "source": self.source}

    def editor_position(self, line: int, column: int) -> tuple[int, int]:
        code_line = line - FIRST_CODE_LINE + 1
        return code_line + self.line_shift, max(1, column - self.column_shift) if code_line == 1 else column


@dataclass(frozen=True)
class CompiledWidget:
    hash: str
    candidates: tuple[Candidate, ...]    # tried in order by the preview; the first is the storefront's
    signature: str                       # the hooks the code calls, in order (React Refresh's signature)
    jsx_error: WidgetCompileError | None = None   # the JSX transform failed


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()[:24]


def hook_signature(code: str) -> str:
    """The hook calls in ``code``, in order, one per line (``useState\\nuseEffect``).

    React Refresh keeps a component's state across an edit when its signature is unchanged and
    mounts it again otherwise; its Babel plugin computes the signature from the syntax tree.
    The storefront's code shape (one bare function expression) is not a module that plugin
    registers, so the hook calls are read from the text: a hook named in a string or comment
    only makes a remount more likely, never keeps state React can't keep.
    """
    return "\n".join(_HOOK_CALL.findall(code))


def storefront_candidate(code: str) -> Candidate:
    stripped = code.lstrip(JS_WHITESPACE)
    shift = code[:len(code) - len(stripped)].count("\n")
    wrapped = 1 if re.sub(r"^export\s+default\s+", "", stripped.rstrip(JS_WHITESPACE)).startswith("function") else 0
    return Candidate("storefront", code, shift, len(STOREFRONT_RETURN) + wrapped)


def module_candidate(code: str) -> Candidate:
    """The code as a module body (only React in scope), returning its component."""
    body, default_name = _rewrite_exports(_rewrite_imports(code))
    names = [default_name] if default_name else []
    names += _component_candidates(body)
    picks = "".join(f"typeof {n} === 'function' ? {n} : " for n in dict.fromkeys(names))
    pick = (
        "typeof __default === 'function' ? __default : typeof module.exports === 'function' ? module.exports : "
        "module.exports && typeof module.exports.default === 'function' ? module.exports.default : "
        f"{picks}__default"
    )
    return Candidate("module", f"{MODULE_PRELUDE}{body}\n;return ({pick});", 0, 0)


def _rewrite_imports(code: str) -> str:
    def replace(m: re.Match) -> str:
        indent, clause, module = m.group(1), m.group(2).strip(), m.group(4)
        if module != "react":
            line = code.count("\n", 0, m.start()) + 1
            raise WidgetCompileError(
                f"import from '{module}' is not available to a widget: only React is in scope", line, 1)
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


def _blank(text: str) -> str:
    """Spaces in place of ``text`` (newlines kept) so columns after it do not move."""
    return re.sub(r"[^\n]", " ", text)


def _rewrite_exports(code: str) -> tuple[str, str | None]:
    default_name: list[str] = []

    def replace_default(m: re.Match) -> str:
        indent, name = m.group(1), m.group(3)
        whole = m.group(0)
        if name:  # export default function Name: keep the declaration, remember the name
            default_name.append(name.lstrip("* ").strip())
            return indent + _blank(whole[len(indent):whole.index("function")]) + whole[whole.index("function"):]
        rest = whole[len(indent):]
        head = re.match(r"export\s+default\s+", rest).group(0)
        return indent + "__default = " + " " * max(0, len(head) - len("__default = ")) + rest[len(head):]

    code = _EXPORT_DEFAULT.sub(replace_default, code)
    code = _EXPORT_NAMED.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), code)
    return code, (default_name[0] if default_name else None)


def _component_candidates(code: str) -> list[str]:
    """Top-level functions and classes, last capitalised one first (a component is named like one).

    "Top-level" is the least indented declarations, so a pasted, uniformly indented module works.
    """
    found = [(len(m.group(1).expandtabs()), m.group(2) or m.group(3) or m.group(4)) for m in _DECLARATION.finditer(code)]
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


class BabelJsx:
    """JSX → ``React.createElement`` with dukpy's Babel 6 (``retainLines``: lines stay where they were).

    Kept loaded in an interpreter of its own: ~130 ms to load once, then a few ms per compile.
    """

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
                jsx=with_fragment_shorthand(code))
        except dukpy.JSRuntimeError as exc:
            first = str(exc).splitlines()[0]
            message = re.sub(r"^SyntaxError: unknown: ", "", first)
            pos = _BABEL_POSITION.search(first)
            line, column = (int(pos.group(1)), int(pos.group(2)) + 1) if pos else (None, None)
            raise WidgetCompileError(f"JSX: {_BABEL_POSITION.sub('', message).strip()}", line, column) from None


class WidgetCompiler:
    """The candidates for a code text, cached by its hash.

    The preview's runtime tries them in order (``react_preview.js``): the storefront's compile of
    the stored code, the stored code as a module, then the same two after the JSX transform when
    the code looks like JSX. Which of them compiles is the runtime's answer, in the same call that
    renders, so an edit costs one call into the interpreter.
    """

    def __init__(self, transform: Callable[[str], str] | None = None, cache_size: int = 128):
        self._transform = transform or BabelJsx().transform
        self._cache: OrderedDict[str, CompiledWidget] = OrderedDict()
        self._cache_size = cache_size
        self.hits = 0
        self.misses = 0

    def warm_up(self) -> None:
        """Load the JSX transform now (the first JSX widget then compiles in a few ms)."""
        self._transform("0")

    def compile(self, code: str) -> CompiledWidget:
        """Raises ``WidgetCompileError`` for empty code."""
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
        candidates = _shapes(code)
        jsx_error = None
        if looks_like_jsx(code):
            try:
                candidates += [Candidate(c.mode, c.source, c.line_shift, c.column_shift, jsx=True)
                               for c in _shapes(self._transform(code))]
            except WidgetCompileError as exc:
                jsx_error = exc
        return CompiledWidget(key, tuple(candidates), hook_signature(code), jsx_error)


def _shapes(code: str) -> list[Candidate]:
    out = [storefront_candidate(code)]
    try:
        out.append(module_candidate(code))
    except WidgetCompileError:
        pass  # an import the module shape can't provide: the storefront's own error stands
    return out


def compile_error(compiled: CompiledWidget, failures: list[dict], code: str) -> WidgetCompileError:
    """The error to show when no candidate compiled: the one that parsed furthest, or the JSX
    transform's own error when the JavaScript parse stopped at the first JSX or later."""
    located = []
    for failure in failures:
        candidate, error = compiled.candidates[failure["index"]], failure["error"]
        line, column = locate(candidate, error)
        located.append((line or 0, WidgetCompileError(error.get("message") or "syntax error", line, column)))
    best = max(located, key=lambda item: item[0])[1] if located else WidgetCompileError("the code does not compile")
    if compiled.jsx_error is not None:
        first_jsx = code.count("\n", 0, _JSX_HINT.search(code).start()) + 1
        if not best.line or best.line >= first_jsx:
            return compiled.jsx_error
    return best


def locate(candidate: Candidate, error: dict) -> tuple[int | None, int | None]:
    """The editor position of an error raised by ``candidate``'s compiled code (first frame of it)."""
    match = _INPUT_POSITION.search(error.get("stack") or "")
    if not match:
        return None, None
    return candidate.editor_position(int(match.group(1)), int(match.group(2)))


