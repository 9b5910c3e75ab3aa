"""Marking problems in the editor after a save: syntax errors parsed by the JS runtime, and a
warning where a handler's shape is one the platform's storefront loader cannot evaluate.

The code is saved either way; the marks tell the user what the platform will make of it.
"""
from __future__ import annotations

import logging
import shiboken6
from PySide6.QtCore import QObject

from plugin_studio.runner.syntax import check_syntax, lint_platform_shape
from plugin_studio.ui.callbacks import RunnerCalls

log = logging.getLogger(__name__)
HANDLER_TABLES = ("plugin_events", "plugin_hooks", "plugin_widgets")
CHECKED_LANGUAGES = ("javascript", "jsx", "json")


def problems_for(host, code: str, language: str, is_handler: bool) -> list:
    """Runs on the runner bridge's thread."""
    problems = list(check_syntax(host, code, language))
    if is_handler and not problems:
        problems += lint_platform_shape(code)
    return problems


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
        if not shiboken6.isValid(tab) or tab.text() != checked_code:
            return  # the user typed on; the next save checks again
        tab.editor.reset_annotations()
        for problem in problems:
            prefix = "⚠ " if getattr(problem, "severity", "error") == "warning" else "✖ "
            tab.editor.show_error(problem.line or 1, problem.column, prefix + problem.message)
