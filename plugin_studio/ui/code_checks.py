"""Marking problems in the editor after a save: syntax errors parsed by the JS runtime, and a
warning where a handler's shape is one the platform's storefront loader cannot evaluate.

The code is saved either way; the marks tell the user what the platform will make of it.
"""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QObject

from plugin_studio.runner.syntax import check_syntax, lint_platform_shape
from plugin_studio.ui.runner_bridge import RunnerBridge

log = logging.getLogger(__name__)
HANDLER_TABLES = ("plugin_events", "plugin_hooks", "plugin_widgets")
CHECKED_LANGUAGES = ("javascript", "jsx", "json")


def problems_for(host, code: str, language: str, is_handler: bool) -> list:
    """Runs on the runner bridge's thread."""
    problems = list(check_syntax(host, code, language))
    if is_handler and not problems:
        problems += lint_platform_shape(code)
    return problems


class RunnerCalls(QObject):
    """Per-request callbacks over a RunnerBridge's id-based signals."""

    def __init__(self, bridge: RunnerBridge, parent: QObject | None = None):
        super().__init__(parent)
        self.bridge = bridge
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        bridge.call_finished.connect(self._on_finished)
        bridge.call_failed.connect(self._on_failed)

    def run(self, function: Callable, *args, on_done: Callable | None = None, on_error: Callable | None = None) -> int:
        request_id = self.bridge.run(function, *args)
        self._callbacks[request_id] = (on_done, on_error)
        return request_id

    def _on_finished(self, request_id: int, result: object) -> None:
        on_done, _ = self._callbacks.pop(request_id, (None, None))
        if on_done:
            on_done(result)

    def _on_failed(self, request_id: int, error: object) -> None:
        _, on_error = self._callbacks.pop(request_id, (None, None))
        if on_error:
            on_error(error)
        else:
            log.warning("runner request failed: %s", error)


class CodeChecker(QObject):
    def __init__(self, calls: RunnerCalls, parent: QObject | None = None):
        super().__init__(parent)
        self.calls = calls

    def check(self, tab) -> None:
        doc = tab.document
        if doc.language not in CHECKED_LANGUAGES:
            tab.editor.reset_annotations()
            return
        code = tab.text()
        self.calls.run(problems_for, code, doc.language, doc.table in HANDLER_TABLES,
                       on_done=lambda problems, t=tab, c=code: self._show(t, c, problems),
                       on_error=lambda error: log.warning("syntax check of %s failed: %s", doc.path, error))

    @staticmethod
    def _show(tab, checked_code: str, problems: list) -> None:
        if tab.text() != checked_code:
            return  # the user typed on; the next save checks again
        tab.editor.reset_annotations()
        for problem in problems:
            prefix = "⚠ " if getattr(problem, "severity", "error") == "warning" else "✖ "
            tab.editor.show_error(problem.line or 1, problem.column, prefix + problem.message)
