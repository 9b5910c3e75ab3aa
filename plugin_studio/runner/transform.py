"""The one transform for module syntax and JSX (DESIGN §2): sucrase, from npm, in the worker.

Used by the runner (handlers and scripts with import/export, JSX widgets) *and* the syntax check,
so whatever the check accepts the runner loads. sucrase keeps every line where it was (errors and
stack frames point at the stored code's own lines), targets a modern engine (``?.``, ``??``,
object spread and class fields pass through untouched: QuickJS runs them), and compiles JSX to
``React.createElement`` (classic runtime, as the platform's widgets use ``React`` only).

``Transform`` is worker-side: one interpreter of its own, loaded on first use (~0.2 s, seconds on a
loaded machine), then ~1-4 ms per file, cached by source text. Compiling is not the plugin's time:
in the worker it runs with the call's time limit set aside (``Limits.compile_ms`` bounds it instead). For widgets (helper code in ops_widgets / widget_compile):

    transform.to_commonjs(code, "widgets/x.jsx", jsx=True)   # import/export -> CommonJS, JSX -> createElement
    transform.jsx_only(code, "widgets/x.jsx")                 # JSX -> createElement, nothing else touched

Both raise ``JsSyntaxError`` with the line and column (1-based) in ``code``.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from contextlib import nullcontext
from typing import Callable, ContextManager

import dukpy

from plugin_studio.runner import quickjs
from plugin_studio.runner.engine import Interp
from plugin_studio.runner.errors import JsSyntaxError, JsTimeout, RunnerError
from plugin_studio.runner.limits import Limits

_POSITION = re.compile(r"\((\d+):(\d+)\)\s*$")
_CACHE_SIZE = 2000
# Packages sucrase requires only for features we never ask for (source maps, its CLI).
_UNUSED = ("@jridgewell/gen-mapping", "commander", "glob", "mz", "pirates", "tinyglobby")


class Transform:
    def __init__(self, limits: Limits | None = None,
                 compiling: Callable[[], ContextManager] | None = None):
        """``compiling()`` is entered around each compile that is not in the cache (the worker's sets the
        call's time limit aside: compiling is not the plugin's time); by default the limit of the
        call in progress keeps running."""
        self.limits = limits or Limits()
        self._compiling = compiling or nullcontext
        self._interp: Interp | None = None
        self._cache: OrderedDict[tuple, str] = OrderedDict()

    def _sucrase(self) -> Interp:
        if self._interp is None:
            from plugin_studio.runner.js_packages import PackageLoader

            interp = Interp(256 * 1024 * 1024, 4 * 1024 * 1024)
            PackageLoader(interp, unused=_UNUSED).install()
            try:
                interp.evaljs("globalThis.__sucrase = __pkg.require('sucrase'); 0")
            except dukpy.JSRuntimeError as exc:
                if quickjs.WATCH.fired:  # out of time while loading: the next call loads it again
                    raise JsTimeout(f"stopped while loading the module transform: it took over {self._limit_s} "
                                    "(a loaded machine?); it is loaded again by the next call") from None
                raise RunnerError(f"the module transform (sucrase) could not be loaded: {str(exc).splitlines()[0]}") from None
            self._interp = interp  # only once loaded: a load cut short leaves nothing half done
        return self._interp

    def to_commonjs(self, code: str, label: str, jsx: bool = False) -> str:
        """ES module syntax (and with ``jsx`` JSX) as CommonJS, lines kept. Raises JsSyntaxError."""
        return self._run(code, label, ["jsx", "imports"] if jsx else ["imports"])

    def jsx_only(self, code: str, label: str) -> str:
        """JSX as ``React.createElement`` calls; import/export left as written. Raises JsSyntaxError."""
        return self._run(code, label, ["jsx"])

    @property
    def _limit_s(self) -> str:
        return f"{self.limits.compile_ms / 1000:g} s"

    def locate_syntax_error(self, code: str) -> dict | None:
        """Where sucrase's parser stops in ``code`` (a plain script): ``{"pos", "message"}``, or None."""
        with self._compiling():
            return self._sucrase().evaljs(
                "(function () { try { __sucrase.transform(dukpy.source, {transforms: []}); return null; }"
                " catch (e) { return {pos: typeof e.pos === 'number' ? e.pos : null, message: String(e.message)}; } })()",
                source=code)

    def _run(self, code: str, label: str, transforms: list[str]) -> str:
        key = (code, tuple(transforms))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        try:
            with self._compiling():
                out = self._sucrase().evaljs(
                    "__sucrase.transform(dukpy.source, {transforms: dukpy.transforms, disableESTransforms: true,"
                    " production: true, jsxRuntime: 'classic', filePath: dukpy.label}).code",
                    source=code, transforms=transforms, label=label)
        except dukpy.JSRuntimeError as exc:
            if quickjs.WATCH.fired:
                raise JsTimeout(f"stopped in the module transform: compiling {label} took over {self._limit_s}") from None
            raise syntax_error(str(exc), code, label) from None
        self._cache[key] = out
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return out


def syntax_error(text: str, code: str, label: str) -> JsSyntaxError:
    """sucrase's ``SyntaxError: Unexpected token (3:10)`` (line and column both 1-based) as ours."""
    first = text.split("\n", 1)[0]
    name, _, message = first.partition(": ")
    match = _POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    message = _POSITION.sub("", message).strip().removeprefix(f"Error transforming {label}: ")
    lines = code.split("\n")
    if line > len(lines):
        line, column = len(lines), len(lines[-1]) + 1
    if message.startswith("Unexpected token"):  # name the token, as V8 does ("Unexpected token ';'")
        from plugin_studio.runner.storefront_check import v8_message

        offset = sum(len(text) + 1 for text in lines[:line - 1]) + column - 1
        message = v8_message(code, offset, "", message)
    return JsSyntaxError(message, line, column, "", name if name.endswith("Error") else "SyntaxError", label)
