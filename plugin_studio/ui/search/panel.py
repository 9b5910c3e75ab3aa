"""The Search view (Ctrl+Shift+F): search the code of every plugin, or of the current one, on the
server; results by plugin, file and line; a click opens the file at the match. Replace across
files (Ctrl+Shift+H) shows a preview of each change and writes them in one transaction.

The view asks for work on a lane of its own (its own connection: a long search never holds up a
save), cancels a search the user has typed past, and never waits. For the window:
``match_activated(plugin id, table, row id, line, column)`` asks to open a match;
``unsaved_rows`` (given at construction) says which rows have unsaved edits in an editor.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QToolButton, QTreeView, QVBoxLayout,
    QWidget,
)

from plugin_studio.db.search import SearchQuery
from plugin_studio.services.code_search import SearchResults, apply_replace, preview_replace, run_search
from plugin_studio.ui.errors import describe_error
from plugin_studio.ui.jobs import Job
from plugin_studio.ui.lanes import DbSession, Lane
from plugin_studio.ui.search.replace_preview import ReplacePreviewDialog
from plugin_studio.ui.search.results_model import TARGET_ROLE, MatchDelegate, SearchResultsModel

TYPING_PAUSE_MS = 300    # search as the user types, once typing pauses


def _toggle(text: str, tip: str, name: str) -> QToolButton:
    button = QToolButton(text=text, toolTip=tip, checkable=True)
    button.setObjectName(name)
    return button


class SearchPanel(QWidget):
    match_activated = Signal(str, str, str, int, int)   # plugin id, table, row id, line, column
    search_finished = Signal(object)                      # SearchResults
    replace_finished = Signal(int)                        # files written

    def __init__(self, unsaved_rows: Callable[[], set[tuple[str, str]]] = set,
                 may_write: Callable[[str], bool] = lambda _action: True, parent: QWidget | None = None):
        super().__init__(parent)
        self.unsaved_rows = unsaved_rows
        self.may_write = may_write   # the window's write guard (ui/connections/guard.py)
        self.lane: Lane | None = None
        self.current_plugin: tuple[str, str] | None = None   # id, name
        self._job: Job | None = None
        self._notice = ""    # said before the next search's summary (what a replacement did)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.search)
        self._build()
        self._connect()
        self._show_state("Type to search the code of every plugin.")

    def _build(self) -> None:
        self.query = QLineEdit(placeholderText="Search")
        self.query.setObjectName("search-query")
        self.case = _toggle("Aa", "Match case", "match-case")
        self.whole_word = _toggle("ab", "Match whole word", "whole-word")
        self.regex = _toggle(".*", "Use a regular expression (PostgreSQL's syntax)", "use-regex")
        self.show_replace = QToolButton(text="⇄", toolTip="Replace in files (Ctrl+Shift+H)", checkable=True)
        self.replacement = QLineEdit(placeholderText="Replace ($1, $& in a regular expression)")
        self.replacement.setObjectName("search-replacement")
        self.replace_all = QPushButton("Replace All…")
        self.replace_all.setObjectName("replace-all")
        self.scope = QComboBox()
        self.scope.addItems(["All plugins", "Current plugin"])
        self.scope.setObjectName("search-scope")
        self.cancel = QPushButton("Cancel")
        self.cancel.hide()
        self.status = QLabel()
        self.status.setObjectName("search-status")
        self.status.setWordWrap(True)
        self.model = SearchResultsModel(self)
        self.results = QTreeView()
        self.results.setObjectName("search-results")
        self.results.setModel(self.model)
        self.results.setHeaderHidden(True)
        self.results.setUniformRowHeights(True)
        self.results.setItemDelegate(MatchDelegate(self.results))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._lay_out()

    def _lay_out(self) -> None:
        find_row = QHBoxLayout()
        for widget in (self.show_replace, self.query, self.case, self.whole_word, self.regex):
            find_row.addWidget(widget)
        self._replace_row = QWidget()
        replace_row = QHBoxLayout(self._replace_row)
        replace_row.setContentsMargins(0, 0, 0, 0)
        replace_row.addWidget(self.replacement)
        replace_row.addWidget(self.replace_all)
        self._replace_row.hide()
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope, 1)
        scope_row.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(find_row)
        layout.addWidget(self._replace_row)
        layout.addLayout(scope_row)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

    def _connect(self) -> None:
        self.query.textChanged.connect(lambda _text: self._typing.start())
        self.query.returnPressed.connect(self.search)
        for button in (self.case, self.whole_word, self.regex):
            button.toggled.connect(lambda _on: self.search())
        self.scope.currentIndexChanged.connect(lambda _i: self.search())
        self.show_replace.toggled.connect(self._replace_row.setVisible)
        self.replacement.returnPressed.connect(self.preview_replace)
        self.replace_all.clicked.connect(self.preview_replace)
        self.cancel.clicked.connect(self.cancel_search)
        self.results.activated.connect(self._on_results_activated)
        self.results.clicked.connect(self._on_results_activated)

    # -- for the window ------------------------------------------------------------------------
    def connect_database(self, dsn: str) -> None:
        """Searches run on a connection of their own to ``dsn`` from now on."""
        self.shutdown()
        self.lane = Lane("search-db", DbSession(dsn, application_name="plugin-studio-search"))
        if self.query.text():
            self.search()

    def set_current_plugin(self, plugin_id: str | None, name: str = "") -> None:
        self.current_plugin = (plugin_id, name) if plugin_id else None
        self.scope.setItemText(1, f"Current plugin ({name})" if plugin_id else "Current plugin")
        if self.scope.currentIndex() == 1 and self.query.text():
            self.search()

    def start(self, text: str = "", replace: bool = False) -> None:
        """Ctrl+Shift+F / Ctrl+Shift+H: focus the query (filled with ``text`` if given)."""
        if text:
            self.query.setText(text)
        self.show_replace.setChecked(replace or self.show_replace.isChecked())
        target = self.replacement if replace and self.query.text() else self.query
        target.setFocus()
        target.selectAll()

    def shutdown(self) -> None:
        if self.lane is not None:
            self.lane.cancel_all()
            self.lane.close()
            self.lane = None

    # -- searching -------------------------------------------------------------------------------
    def search_query(self) -> SearchQuery | None:
        """What the fields ask for; None when there is nothing to search."""
        if not self.query.text():
            return None
        plugin = self.current_plugin[0] if self.scope.currentIndex() == 1 and self.current_plugin else None
        if self.scope.currentIndex() == 1 and plugin is None:
            return None
        return SearchQuery(self.query.text(), regex=self.regex.isChecked(), case_sensitive=self.case.isChecked(),
                           whole_word=self.whole_word.isChecked(), plugin_id=plugin)

    def search(self) -> None:
        self._typing.stop()
        self.cancel_search()
        query = self.search_query()
        if query is None:
            self.model.set_results(None)
            self._show_state("Choose a plugin first." if self.query.text() else "")
            return
        if self.lane is None:
            self._show_state("Waiting for the database…")
            return
        self._show_state("Searching…", busy=True)
        self._job = self.lane.submit(run_search, query, owner=self, title="Searching the code",
                                     on_done=self._on_searched, on_error=self._on_search_failed)

    def cancel_search(self) -> None:
        if self._job is not None and self._job.running:
            self._job.cancel()
            self._show_state("Search cancelled.")
        self._job = None

    def _on_searched(self, results: SearchResults) -> None:
        self._job = None
        self.model.set_results(results)
        self.results.expandToDepth(1)
        self._show_state(self._notice + _summary(results))
        self._notice = ""
        self.search_finished.emit(results)

    def _on_search_failed(self, error: Exception) -> None:
        self._job = None
        self.model.set_results(None)
        self._show_state(describe_error(error), error=True)

    def _show_state(self, text: str, busy: bool = False, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #d32f2f;" if error else "")
        self.cancel.setVisible(busy)

    def _on_results_activated(self, index) -> None:
        target = index.data(TARGET_ROLE)
        if target is not None:
            self.match_activated.emit(*target)

    # -- replacing -------------------------------------------------------------------------------
    def preview_replace(self) -> None:
        query = self.search_query()
        if query is None or self.lane is None or not self.may_write(f"replace “{query.text}” in files"):
            return
        replacement = self.replacement.text()
        self._show_state("Preparing the preview…", busy=True)
        self._job = self.lane.submit(preview_replace, query, replacement, owner=self, title="Previewing the replacement",
                                     on_done=lambda files: self._show_preview(query, replacement, files),
                                     on_error=self._on_search_failed)

    def _show_preview(self, query: SearchQuery, replacement: str, files: list) -> None:
        self._job = None
        if not files:
            self._show_state("Nothing to replace: no file would change.")
            return
        summary = (f"Replace “{query.text}” with “{replacement}” in {len(files)} file"
                   f"{'s' if len(files) != 1 else ''}. Untick what should stay as it is.")
        self._show_state("")
        dialog = ReplacePreviewDialog(files, self.unsaved_rows(), summary, self._apply, self.preview_replace, self)
        if dialog.exec():
            self._notice = f"Replaced in {dialog.replaced} file{'s' if dialog.replaced != 1 else ''}. "
            self.replace_finished.emit(dialog.replaced)
            self.search()

    def _apply(self, changes: list, on_done: Callable[[int], None], on_error: Callable[[Exception], None]) -> None:
        self.lane.submit(apply_replace, changes, owner=self, title="Replacing in files", on_done=on_done,
                         on_error=on_error)


def _summary(results: SearchResults) -> str:
    if not results.plugins:
        return "No results."
    matches, files, plugins = results.match_count, results.file_count, len(results.plugins)
    text = (f"{matches} result{'s' if matches != 1 else ''} in {files} file{'s' if files != 1 else ''}"
            f" of {plugins} plugin{'s' if plugins != 1 else ''}")
    if results.truncated:
        text += " — only the first lines are shown; narrow the search to see all"
    return text + "."
