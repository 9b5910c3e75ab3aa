"""One plugin's preview interpreter: a QuickJS context with React loaded and that plugin's roots.

Each plugin gets its own interpreter, so no widget can reach another plugin's previews, config or
typed input, and a runaway widget costs only its own plugin's previews (DESIGN.md §3). The
interpreter's only entry point is ``__studioPreview``, guarded by a token that appears in no
JavaScript value a widget could read: calls pass it with their arguments as JSON text straight
through QuickJS's API (``quickjs.Caller``), parsed by a ``JSON.parse`` taken before any widget
code ran.

    interp = PreviewInterpreter(limits)
    interp.call("render", {...})   # then interp.settle(); interp.call("snapshot", {"root": ...})
"""
from __future__ import annotations

import json
import secrets
from typing import Any

from plugin_studio.runner import npm_packages, quickjs, widget_packages
from plugin_studio.runner.engine import Interp
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.js_packages import PackageLoader
from plugin_studio.runner.limits import Limits

MAX_SETTLE_ROUNDS = 1000  # rounds of promise jobs and React work after one call


class PreviewInterpreter:
    def __init__(self, limits: Limits):
        """Load React (~100 ms for the development builds). Raises ``RunnerError`` when the
        packages are not available (offline on first use)."""
        try:
            modules = widget_packages.module_sources()
        except npm_packages.NpmPackageError as exc:
            raise RunnerError(f"the widget preview needs React: {exc.user_message}", packages=True) from None
        self._token = secrets.token_hex(16)
        self._js = Interp(limits.memory_mb * 1024 * 1024, limits.stack_kb * 1024)
        self._server_loaded = False
        self._js.evaljs(self._boot_script(modules))
        self._js.evaljs(widget_packages.own_source("preview_env.js") + "\n;0")
        PackageLoader(self._js).install()  # the storefront browser's Intl, from the pinned `intl` package
        self._js.evaljs(f"({widget_packages.own_source('browser_builtins.js')})(globalThis, __pkg.require, "
                        "navigator.language); 0")
        self._js.evaljs(widget_packages.own_source("react_preview.js") + "\n;delete globalThis.dukpy; 0")  # evaljs's variables
        self._caller = quickjs.Caller(self._js._ctx, "__studioPreview")
        self.dirty = False   # called since the heap was last collected

    def _boot_script(self, modules: dict[str, str]) -> str:
        own = widget_packages.own_source
        parts = [f"globalThis.__studioBoot = {{token: {json.dumps(self._token)}, packages: {{}}, parts: {{}}}};"]
        for name, source in modules.items():
            parts.append(f"__studioBoot.packages[{json.dumps(name)}] = {widget_packages.module_factory(source)};")
        for key, file in (("shell", "widget_shell.js"), ("tree", "widget_tree.js"), ("host", "preview_host.js"),
                          ("events", "preview_events.js")):
            parts.append(f"__studioBoot.parts.{key} = {own(file)};")
        return "\n".join(parts) + "\n0;"

    def call(self, op: str, args: dict | None = None, extra_js: str | None = None) -> Any:
        """``op`` of the preview runtime with ``args`` (JSON); ``extra_js`` is passed as JavaScript.

        Straight through QuickJS's API (``quickjs.Caller``): dukpy's ``evaljs`` collects the whole
        heap after every evaluation, React's included, which costs more than a small render."""
        self.dirty = True
        if extra_js is None:
            text = self._caller.call_after_jobs(op, json.dumps([self._token, args or {}], ensure_ascii=False))
            return None if text is None else json.loads(text)
        return self._js.evaljs(  # the one call that hands over JavaScript (react-dom/server, once)
            f"__studioPreview({json.dumps(self._token)}, {json.dumps(op)}, "
            f"(function () {{ var a = dukpy.a; delete globalThis.dukpy; return a; }})(), {extra_js})",
            a=args or {})

    def collect_garbage(self) -> None:
        """Collect the heap (React's fibers and elements form cycles only the collector frees): the
        worker does it when idle, so no call pays for it and QuickJS's own collector, which starts
        when the heap has grown by half, seldom runs inside one."""
        quickjs.collect_garbage(self._js._ctx)
        self.dirty = False

    def answer(self, op: str, args: dict) -> dict:
        """``op`` for ``args["root"]`` with its snapshot taken after the promise jobs it started; while
        those queued more React work, snapshots follow (their log and errors are added up)."""
        result = self.call(op, args)
        for _ in range(MAX_SETTLE_ROUNDS):
            if not result.get("again"):
                break
            later = self.call("snapshot", {"root": args["root"]})
            later["log"] = result["log"] + later["log"]
            later["errors"] = result["errors"] + later["errors"]
            result = {**result, **later}
        result.pop("again", None)
        return result

    def html(self, root: str) -> str:
        """The root's elements as HTML, serialised by react-dom/server (loaded on first use)."""
        result = self.call("html", {"root": root})
        if result.get("needs_server"):
            try:
                source = widget_packages.server_source()
            except npm_packages.NpmPackageError as exc:
                raise RunnerError(f"HTML needs react-dom/server: {exc.user_message}", packages=True) from None
            result = self.call("html", {"root": root}, widget_packages.module_factory(source))
        return result["html"]
