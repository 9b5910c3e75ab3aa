"""Format document in the worker: prettier's standalone build (npm, pinned in the lock file),
loaded once into an interpreter of its own. Prettier parses the code itself; code it cannot
parse is left alone and its message says where."""
from __future__ import annotations

import dukpy

from plugin_studio.runner import npm_packages
from plugin_studio.runner.engine import Interp
from plugin_studio.runner.errors import JsError, ProtocolError

# editor language → (prettier parser, the plugin files it needs)
PARSERS = {
    "javascript": ("babel", ("plugins/babel.js", "plugins/estree.js")),
    "jsx": ("babel", ("plugins/babel.js", "plugins/estree.js")),
    "json": ("json", ("plugins/babel.js", "plugins/estree.js")),
    "css": ("css", ("plugins/postcss.js",)),
    "markdown": ("markdown", ("plugins/markdown.js",)),
}
HEAP_BYTES, STACK_BYTES = 256 * 1024 * 1024, 4 * 1024 * 1024


def _prettier(state, files: tuple[str, ...]) -> Interp:
    interp = state.get("format.prettier")
    if interp is None:
        interp = state["format.prettier"] = Interp(HEAP_BYTES, STACK_BYTES)
        interp.evaljs(npm_packages.read_text("prettier", "standalone.js") + "\n;0")
        state["format.loaded"] = set()
    for name in files:
        if name not in state["format.loaded"]:
            interp.evaljs(npm_packages.read_text("prettier", name) + "\n;0")
            state["format.loaded"].add(name)
    return interp


def format_document(state, payload: dict) -> dict:
    """``{"code", "language", "end_of_line"}`` → ``{"code": formatted}``; prettier's error → JsError."""
    language = payload.get("language", "javascript")
    if language not in PARSERS:
        raise ProtocolError(f"no formatter for {language!r}")
    parser, files = PARSERS[language]
    interp = _prettier(state, files)
    try:
        result = interp.evaljs(
            "var out = {code: null, error: null};"
            "prettier.format(dukpy.source, {parser: dukpy.parser, plugins: Object.values(prettierPlugins),"
            " endOfLine: dukpy.eol}).then(function (r) { out.code = r; }, function (e) { out.error = String(e && e.message || e); });"
            "out", source=payload["code"], parser=parser, eol=payload.get("end_of_line", "lf"))
        result = interp.evaljs("out")
    except dukpy.JSRuntimeError as exc:
        raise JsError("the formatter failed: " + str(exc).split("\n", 1)[0]) from None
    if result.get("error"):
        raise JsError("the formatter could not parse the code: " + result["error"].split("\n", 1)[0])
    return {"code": result["code"]}


OPS = {"format.document": format_document}
