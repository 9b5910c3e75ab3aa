"""**Open in browser**: the widget the preview shows, as a self-contained page in the system browser.

Three steps off the GUI thread, each answered on it: the compiled widget from the worker, the
plugin's style sheets from the database, then the page (React's browser builds read from the
package cache) written under the cache folder. The page is opened with QDesktopServices.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from plugin_studio.db.files import load_plugin_files
from plugin_studio.runner.widget_page import browser_page
from plugin_studio.ui.lanes import Lane, host_call


def page_folder() -> Path:
    return Path(platformdirs.user_cache_dir("plugin-studio")) / "browser-previews"


def write_page(name: str, candidates: list[dict], config: Any, slot_data: Any, css: list[tuple[str, str]]) -> Path:
    """Build the page and write it; returns its path. Runs on a worker thread (reads ~1 MB of React)."""
    folder = page_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^\w.-]+", "_", name) + ".html")
    path.write_text(browser_page(candidates, config, slot_data, css, name), encoding="utf-8")
    return path


def plugin_css(conn, plugin_id: str) -> list[tuple[str, str]]:
    """The plugin's style sheets (``*.css`` scripts), in load order."""
    scripts = sorted(load_plugin_files(conn, plugin_id).scripts, key=lambda s: (s.load_priority, s.file_name))
    return [(s.file_name, s.file_content) for s in scripts if s.file_name.lower().endswith(".css") and s.is_enabled]


class BrowserExport(QObject):
    """One "Open in browser" at a time for a preview; ``opened(path)`` or ``failed(message)``."""

    opened = Signal(str)
    failed = Signal(str)

    def __init__(self, runner: Lane, database, parent: QObject | None = None):
        """``runner``: the IDE's JS lane; ``database``: ``ui.database.Database`` (None: no plugin CSS)."""
        super().__init__(parent)
        self._runner = runner
        self._db = database
        self.busy = False

    def open(self, root: str, name: str, plugin_id: str, config: Any, slot_data: Any) -> None:
        if self.busy:
            return
        self.busy = True
        self._runner.submit(host_call, "widget.source", {"root": root}, owner=self, title="widget.source",
                            on_done=lambda answer: self._with_css(answer, name, plugin_id, config, slot_data),
                            on_error=self._fail)

    def _with_css(self, answer: dict, name: str, plugin_id: str, config: Any, slot_data: Any) -> None:
        if answer.get("missing_root"):
            self._fail("the widget has not rendered yet: fix its code first")
            return
        candidates = answer["candidates"]

        def build(css: list[tuple[str, str]]) -> None:
            self._runner.submit(_write_page, name, candidates, config, slot_data, css, owner=self,
                                title="Open in browser", on_done=self._show, on_error=self._fail)
        if self._db is None or not plugin_id:
            build([])
        else:
            self._db.submit(plugin_css, plugin_id, on_done=build, on_error=self._fail, owner=self)

    def _show(self, path: Path) -> None:
        self.busy = False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.failed.emit(f"no browser could be started for {path}")
            return
        self.opened.emit(str(path))

    def _fail(self, error) -> None:
        self.busy = False
        self.failed.emit(str(error))


def _write_page(_host, name: str, candidates: list[dict], config: Any, slot_data: Any,
                css: list[tuple[str, str]]) -> Path:
    return write_page(name, candidates, config, slot_data, css)
