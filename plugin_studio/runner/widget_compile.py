"""Compile a widget's ``component_code`` as the storefront does, and say so where it can't.

The storefront (PLATFORM.md §3.1d) trims the code, strips one leading ``export default``, wraps a
leading ``function`` in parentheses and evaluates ``new Function('React', "'use strict'; return
" + code + ";")(React)``: only ``React`` is in scope, in strict mode. That compile is always the
first candidate, and the preview's runtime runs it exactly so (``widget_shell.js``).

Where the storefront can't compile the code (JSX, a module with helpers and ``export default X``)
or gets no component from it, the preview still renders it from the next candidate: the code
after the JSX transform, or as a module body whose default export (or last capitalised top-level
function) is the component, again with only ``React`` in scope. The answer then names what the
storefront shows instead. JSX and ``import``/``export`` go through the runner's one transform
(``runner.transform``, sucrase, which parses the code: text in strings and templates stays text),
the same the save and import checks use.

Every candidate sits at the same place in its ``new Function``: the code's line 1 is line
``FIRST_CODE_LINE`` of the function's text (the transform keeps lines), so an error's line
maps back to the editor's line. Candidates are cached by the code's hash, so typing back to an
earlier text costs no transform.
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, replace

from plugin_studio.runner.errors import JsSyntaxError
from plugin_studio.runner.storefront_check import v8_message
from plugin_studio.runner.transform import Transform

FIRST_CODE_LINE = 5          # "(function anonymous(React\n) {\n" + two lines before the code
STOREFRONT_RETURN = "        return "
LABEL = "widget.jsx"          # the file name the transform's messages use
# A module body has React and the CommonJS names the module transform writes; nothing else.
MODULE_PRELUDE = ("\n'use strict'; var module = { exports: {} }, exports = module.exports, require = function (name) {"
                  " if (name === 'react') return React; throw new Error(\"import from '\" + name + \"' is not available"
                  " to a widget: only React is in scope\"); };\n")
JS_WHITESPACE = " \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
                "\u2028\u2029\u202f\u205f\u3000\ufeff"

_DECLARATION = re.compile(
    r"^([ \t]*)(?:export\s+(?:default\s+)?)?(?:(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)|"
    r"(?:const|let|var|class)\s+([A-Za-z_$][\w$]*)\s*[=\s{])", re.M)
_JSX_HINT = re.compile(r"<\s*(?:[A-Za-z][\w.:-]*[\s/>]|>)|</\s*>|/>")
_MODULE_HINT = re.compile(r"\b(?:import|export)\b")   # every import or export statement has one
_INPUT_POSITION = re.compile(r"<input>:(\d+):(\d+)")
_HOOK_CALL = re.compile(r"\b(use[A-Z][\w$]*)\s*\(")


class WidgetCompileError(Exception):
    """The code gives no widget we can run; ``line``/``column`` are 1-based editor positions.

    ``phase``: "compile" (a syntax error), "load" (the code threw while it was evaluated, before
    React rendered it) or "shape" (it ran, but gave no component); ``name``: the JS error's name."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, *,
                 phase: str = "compile", name: str = "SyntaxError", stack: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.phase = phase
        self.name = name
        self.stack = stack

    def as_dict(self) -> dict:
        return {"phase": self.phase, "name": self.name, "message": self.message,
                "line": self.line, "column": self.column, "stack": self.stack}


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


def storefront_body(code: str) -> str:
    """The body of the storefront's ``new Function('React', body)`` (``widget_shell.js``'s storefrontBody)."""
    clean = re.sub(r"^export\s+default\s+", "", code.strip(JS_WHITESPACE))
    if clean.startswith("function"):
        clean = f"({clean})"
    return f"\n        'use strict';\n{STOREFRONT_RETURN}{clean};\n      "


def storefront_candidate(code: str) -> Candidate:
    stripped = code.lstrip(JS_WHITESPACE)
    shift = code[:len(code) - len(stripped)].count("\n")
    wrapped = 1 if re.sub(r"^export\s+default\s+", "", stripped.rstrip(JS_WHITESPACE)).startswith("function") else 0
    return Candidate("storefront", code, shift, len(STOREFRONT_RETURN) + wrapped)


def module_candidate(body: str, code: str) -> Candidate:
    """The code as a module body (only React in scope), returning its choices of component.

    ``body`` is ``code`` after the module transform (``import``/``export`` as CommonJS, lines
    kept); ``require`` gives React for ``'react'`` and refuses every other module. The body returns
    an array, best first, of which the preview renders the first that is a component: the default
    export, ``module.exports`` (the platform's loader takes ``exports.default || module.exports``),
    then the top-level declarations."""
    names = [f"typeof {n} === 'undefined' ? undefined : {n}" for n in dict.fromkeys(_component_candidates(code))]
    choices = ["module.exports == null ? undefined : module.exports.default", "module.exports", *names]
    return Candidate("module", f"{MODULE_PRELUDE}{body}\n;return [{', '.join(choices)}];", 0, 0)


def _component_candidates(code: str) -> list[str]:
    """Top-level functions and classes, last capitalised one first (a component is named like one).

    "Top-level" is the least indented declarations, so a pasted, uniformly indented module works.
    Names are only candidates: the module's default export, when it has one, is picked first.
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


class WidgetCompiler:
    """The candidates for a code text, cached by its hash.

    The preview's runtime tries them in order (``react_preview.js``): the storefront's compile of
    the stored code, then the stored code as a module; for JSX, the storefront's compile of the
    stored code (its failure is what the storefront shows), then the storefront's compile and the
    module after the JSX transform. Which of them compiles is the runtime's answer, in the same
    call that renders, so an edit costs one call into the interpreter.
    """

    def __init__(self, transform: Transform | None = None, cache_size: int = 128):
        self._transform = transform or Transform()
        self._cache: OrderedDict[str, CompiledWidget] = OrderedDict()
        self._cache_size = cache_size
        self.hits = 0
        self.misses = 0

    def warm_up(self) -> None:
        """Load the transform now (the first JSX widget then compiles in a few ms)."""
        self._transform.jsx_only("0", LABEL)

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
        plain, jsx_error = self._without_jsx(code)
        if plain == code:
            candidates = (storefront_candidate(code), module_candidate(self._module_body(code, jsx=False), code))
        else:  # JSX: as stored only the storefront's compile (its error is what the storefront shows)
            candidates = (storefront_candidate(code), replace(storefront_candidate(plain), jsx=True),
                          replace(module_candidate(self._module_body(code, jsx=True), code), jsx=True))
        return CompiledWidget(key, candidates, hook_signature(code), jsx_error)

    def storefront_syntax_message(self, code: str, quickjs_message: str) -> str:
        """V8's message for the syntax error the storefront's compile of ``code`` meets (the storefront
        runs in Chrome; QuickJS words some errors differently): the position is where sucrase's
        parser stops in the same function text, the wording ``storefront_check.v8_message``'s."""
        text = f"function anonymous(React\n) {{{storefront_body(code)}\n}}"
        found = self._transform.locate_syntax_error(text)
        pos, parser_message = (found["pos"], found["message"]) if found else (None, "")
        return v8_message(text, pos, quickjs_message, parser_message)

    def _without_jsx(self, code: str) -> tuple[str, WidgetCompileError | None]:
        """The code after the JSX transform (itself when it has no JSX), and the transform's error.
        Code without a ``<`` that could start JSX skips the transform (a call costs ~5 ms)."""
        if not looks_like_jsx(code):
            return code, None
        try:
            return self._transform.jsx_only(code, LABEL), None
        except JsSyntaxError as exc:  # the preview's own compile of the code reports it too
            return code, WidgetCompileError(f"JSX: {exc.message}", exc.line, exc.column)

    def _module_body(self, code: str, jsx: bool) -> str:
        """The module transform's output; the code itself where the transform can't parse it (then
        the preview's own compile of it reports the error) or has no import or export to rewrite."""
        if not jsx and not _MODULE_HINT.search(code):
            return code
        try:
            return self._transform.to_commonjs(code, LABEL, jsx=jsx)
        except JsSyntaxError:
            return code


def compile_error(compiled: CompiledWidget, failures: list[dict], code: str) -> WidgetCompileError:
    """The error to show when no candidate gave a component (``failures``: the runtime's
    ``[{index, error}]``, ``error.phase`` "compile", "load" or "shape").

    The first candidate that compiled and then threw is the code that would run, so its error is
    the widget's (an earlier candidate's syntax error is only the reason it was passed over).
    Otherwise the first candidate that ran but gave no component says what it gave; otherwise the
    compile that got furthest (the latest line), or the JSX transform's own error when the
    JavaScript parse stopped at the first JSX or later."""
    for phase in ("load", "shape"):
        failure = next((f for f in failures if f["error"].get("phase") == phase), None)
        if failure is not None:
            return _located(compiled.candidates[failure["index"]], failure["error"])
    located = [_located(compiled.candidates[f["index"]], f["error"]) for f in failures]
    best = max(located, key=lambda e: e.line or 0) if located else WidgetCompileError("the code does not compile")
    if compiled.jsx_error is not None:
        first_jsx = code.count("\n", 0, _JSX_HINT.search(code).start()) + 1
        if not best.line or best.line >= first_jsx:
            return compiled.jsx_error
    return best


def _located(candidate: Candidate, error: dict) -> WidgetCompileError:
    line, column = locate(candidate, error)
    return WidgetCompileError(error.get("message") or "syntax error", line, column, phase=error.get("phase") or "compile",
                              name=error.get("name") or "SyntaxError", stack=error.get("stack") or "")


def locate(candidate: Candidate, error: dict) -> tuple[int | None, int | None]:
    """The editor position of an error raised by ``candidate``'s compiled code (its first frame in
    the code itself: a frame in the module prelude, such as its ``require``, is not the code's)."""
    for match in _INPUT_POSITION.finditer(error.get("stack") or ""):
        if int(match.group(1)) >= FIRST_CODE_LINE:
            return candidate.editor_position(int(match.group(1)), int(match.group(2)))
    return None, None
