"""Marking problems in the editor after a save: syntax errors parsed by the JS runtime, and a
warning where a handler's shape is one the platform's storefront loader cannot evaluate.

The code is saved either way; the marks tell the user what the platform will make of it.
"""
from __future__ import annotations

import logging
import shiboken6
from PySide6.QtCore import QObject

from plugin_studio.db import files, plugins
from plugin_studio.models.paths import checkable_code
from plugin_studio.runner.storefront_check import storefront_problems
from plugin_studio.runner.syntax import check_syntax, check_syntax_many, lint_platform_shape
from plugin_studio.ui.lanes import Lane

log = logging.getLogger(__name__)
HANDLER_TABLES = ("plugin_events", "plugin_hooks", "plugin_widgets")
CHECKED_LANGUAGES = ("javascript", "jsx", "json")


STOREFRONT_LOADED = ("plugin_events", "plugin_hooks")  # App.jsx evals these (the widget renderer compiles widgets)


def problems_for(host, code: str, language: str, table: str | None) -> list:
    """A runner lane job: syntax errors as the runner loads the file (hooks and events
    strict, as the storefront runs them), then what the storefront's loader makes of a handler."""
    problems = list(check_syntax(host, code, language, strict=table in STOREFRONT_LOADED))
    if table in STOREFRONT_LOADED and not problems:
        problems += storefront_problems(host, code)
    elif table in HANDLER_TABLES and not problems:
        problems += lint_platform_shape(code)
    return problems


def load_checkable(conn, plugin_id: str) -> list[tuple[str, str, str, str]]:
    """A database lane job: every parsable file of a plugin with its code."""
    return checkable_code(plugins.get_plugin(conn, plugin_id), files.load_plugin_files(conn, plugin_id))


def first_errors(host, items: list[tuple[str, str, str, str]]) -> dict[tuple[str, str], str]:
    """A runner lane job: {(table, row id): first syntax error} over a whole plugin, one batch."""
    results = check_syntax_many(host, [(code, language, table in STOREFRONT_LOADED)
                                       for table, _r, language, code in items])
    marks = {}
    for (table, row_id, _language, _code), problems in zip(items, results):
        errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
        if errors:
            marks[(table, row_id)] = f"line {errors[0].line}: {errors[0].message}"
    return marks


class CodeChecker(QObject):
    """Marks problems in editors after saves, and syntax errors of a whole plugin in the tree."""

    def __init__(self, runner: Lane, parent: QObject | None = None, on_marks=None):
        super().__init__(parent)
        self.runner = runner
        self.on_marks = on_marks or (lambda marks, replace: None)

    def check_plugin(self, db, plugin_id: str, still_current) -> None:
        """Parse every file of the plugin in the background; ``still_current()`` drops stale answers."""
        db.submit(load_checkable, plugin_id, owner=self, title="Reading the plugin's code",
                  on_done=lambda items: self.runner.submit(
                      first_errors, items, owner=self, title="Parsing the plugin's code",
                      on_done=lambda marks: still_current() and self.on_marks(marks, True)))

    def check(self, tab) -> None:
        doc = tab.document
        if doc.language not in CHECKED_LANGUAGES:
            tab.editor.reset_annotations()
            return
        code = tab.text()
        self.runner.submit(problems_for, code, doc.language, doc.table, owner=self,
                           title=f"Checking {doc.path}",
                           on_done=lambda problems, t=tab, c=code: self._show(t, c, problems),
                           on_error=lambda error: log.warning("syntax check of %s failed: %s", doc.path, error))

    def _show(self, tab, checked_code: str, problems: list) -> None:
        if not shiboken6.isValid(tab) or tab.text() != checked_code:
            return  # the user typed on; the next save checks again
        errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
        key = (tab.document.table, tab.document.row_id)
        self.on_marks({key: f"line {errors[0].line}: {errors[0].message}"} if errors else {key: None}, False)
        tab.editor.reset_annotations()
        for problem in problems:
            prefix = "⚠ " if getattr(problem, "severity", "error") == "warning" else "✖ "
            tab.editor.show_error(problem.line or 1, problem.column, prefix + problem.message)
