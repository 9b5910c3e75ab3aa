"""npm packages (pinned in resources/js/npm-lock.json, fetched by ``npm_packages``) inside a QuickJS interpreter.

``PackageLoader(interp).install()`` gives the interpreter ``__pkg.require("sucrase")``: CommonJS
over the files of pinned packages, resolved as Node resolves within a package (``main``, extension,
``index.js``). Each file is compiled under its own name (``npm:domino/lib/Node.js``), so a stack
frame in library code is never mistaken for a line of plugin code. Packages named in ``unused``
load as a stand-in that throws when touched (for dependencies of code paths we never take, e.g.
sucrase's source maps), so they need not be pinned.
"""
from __future__ import annotations

import json
import posixpath
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from plugin_studio.runner import npm_packages, quickjs
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.js_resources import resource_text

if TYPE_CHECKING:
    from plugin_studio.runner.engine import Interp

_EXTENSIONS = ("", ".js", ".cjs", ".json", "/index.js")


class PackageLoader:
    def __init__(self, interp: Interp, unused: Iterable[str] = ()):
        pointers = quickjs.runtime_and_context(interp._ctx)
        if pointers is None:
            raise RunnerError("npm packages unavailable: this dukpy build's QuickJS context has an unexpected layout")
        # Weakly: the interpreter holds this loader (its exported ps.package), and a cycle through a
        # QuickJS heap would keep a dropped interpreter's memory until Python's next full collection.
        self._interp, self._context = weakref.ref(interp), pointers[1]
        self.unused = frozenset(unused)
        self._mains: dict[str, str] = {}

    def install(self) -> "PackageLoader":
        interp = self._interp()
        interp.export_function("ps.package", self.load)
        interp.evaljs(resource_text("package_loader.js"))
        return self

    def load(self, package: str, path: str) -> dict:
        """Compile the factory of ``package``/``path`` into ``__pkg.factories``: ``{"id"}``, ``{"stub"}`` or ``{"error"}``."""
        if package in self.unused:
            return {"stub": package}
        try:
            root = npm_packages.package_dir(package)
            relative = self._resolve(root, package, path)
        except (npm_packages.NpmPackageError, OSError) as exc:
            return {"error": str(exc)}
        if relative is None:
            return {"error": f"{package} has no file {path or '(main)'}"}
        file_id = f"{package}/{relative}"
        code = (root / relative).read_text(encoding="utf-8")
        if relative.endswith(".json"):
            code = "module.exports = " + code
        wrapper = ("__pkg.factories[" + json.dumps(file_id) + "] = function (exports, require, module, __filename, "
                   "__dirname) {" + code + "\n};")
        error = quickjs.evaluate(self._context, wrapper, "npm:" + file_id)
        if error is not None:
            return {"error": f"{file_id}: {error['name']}: {error['message']}"}
        return {"id": file_id}

    def _resolve(self, root: Path, package: str, path: str) -> str | None:
        if not path:
            path = self._main(root, package)
        path = posixpath.normpath(path.removeprefix("./"))
        for ext in _EXTENSIONS:
            if (root / (path + ext)).is_file():
                return path + ext
        return None

    def _main(self, root: Path, package: str) -> str:
        if package not in self._mains:
            manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
            self._mains[package] = str(manifest.get("main") or "index.js")
        return self._mains[package]
