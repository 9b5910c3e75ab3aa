"""The tabs in the middle of the window: opening, saving, conflicts, recovery, following the server.

Every save is a job on the window's lane for writes (``Database.submit_write``: a save waiting for
a row lock holds up no reload); the tab keeps its buffer until the server has it.
A save refused for a conflict opens the conflict dialog; one that meets a lost connection waits
and is sent again when the connection comes back.
"""
from __future__ import annotations

import dataclasses
import logging
from typing import Callable

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QTabWidget, QWidget

from plugin_studio.db.errors import ConflictError, ConnectionLost, NotFound
from plugin_studio.db.lock_wait import LockTimeout
from plugin_studio.models.documents import Document
from plugin_studio.models.paths import FileEntry
from plugin_studio.models.recovery import RecoveredBuffer, RecoveryStore
from plugin_studio.models.tab_titles import TabFile, tab_titles
from plugin_studio.services import documents
from plugin_studio.ui.database import Database
from plugin_studio.ui.confirm import offer_retry
from plugin_studio.ui.dialogs import ConflictChoice, ConflictDialog
from plugin_studio.ui.editor_tab import EditorTab

log = logging.getLogger(__name__)


def alive(tab) -> bool:
    """Answers from the database can arrive after the user closed (and Qt deleted) a tab."""
    return tab is not None and shiboken6.isValid(tab)


class EditorArea(QStackedWidget):
    tab_saved = Signal(str, str)          # table, row id
    current_tab_changed = Signal(object)  # EditorTab or None
    copy_created = Signal(str, str, str)  # table, new row id, the original's path
    tab_opened = Signal(object)           # a new EditorTab, once shown
    recovery_failed = Signal(str)         # why recovery files can't be written (once, until they can again)

    def __init__(self, db: Database, report_error: Callable[[str, Exception], None], welcome: QWidget,
                 recovery: RecoveryStore, recovery_interval_ms: int = 5000, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.report_error = report_error
        self.recovery = recovery
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab_at)
        self.tabs.currentChanged.connect(self._on_current_changed)
        self.addWidget(welcome)
        self.addWidget(self.tabs)
        self._recovery_failing = False
        self._plugin_names: dict[str, str] = {}
        self._recovery_timer = QTimer(self)
        self._recovery_timer.timeout.connect(self.write_recovery)
        self._recovery_timer.start(recovery_interval_ms)

    # -- tabs ------------------------------------------------------------------------------------
    def all_tabs(self) -> list[EditorTab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def current_tab(self) -> EditorTab | None:
        return self.tabs.currentWidget()

    def tab_for(self, table: str, row_id: str) -> EditorTab | None:
        return next((t for t in self.all_tabs() if (t.document.table, t.document.row_id) == (table, row_id)), None)

    def open_entry(self, plugin_id: str, entry: FileEntry, on_opened: Callable[[EditorTab], None] | None = None) -> None:
        existing = self.tab_for(entry.table, entry.row_id)
        if existing:
            self.tabs.setCurrentWidget(existing)
            if on_opened:
                on_opened(existing)
            return
        self.db.submit(documents.open_document, plugin_id, entry,
                       on_done=lambda doc: self._add_tab(doc, None, on_opened),
                       on_error=lambda e: self.report_error(f"Could not open {entry.path}", e))

    def open_recovered(self, buffer: RecoveredBuffer) -> EditorTab:
        doc = Document(buffer.table, buffer.row_id, buffer.plugin_id, buffer.path, buffer.language, buffer.loaded_text,
                       dict(buffer.meta))
        return self._add_tab(doc, buffer.text)

    def _add_tab(self, doc: Document, text: str | None, on_opened=None) -> EditorTab:
        existing = self.tab_for(doc.table, doc.row_id)
        tab = existing or EditorTab(doc)
        if not existing:
            tab.dirty_changed.connect(lambda _dirty, t=tab: self._refresh_title(t))
            self.tabs.addTab(tab, "")
        if text is not None and text != tab.text():
            tab.editor.replace_text_keeping_undo(text)
        self._refresh_title(tab)
        self.tabs.setCurrentWidget(tab)
        self.setCurrentWidget(self.tabs)
        tab.editor.take_focus()
        if not existing:
            self.tab_opened.emit(tab)
        if on_opened:
            on_opened(tab)
        return tab

    def set_plugin_names(self, names: dict[str, str]) -> None:
        """Plugin names by id, for titles that tell apart same-named files of different plugins."""
        self._plugin_names = dict(names)
        self._refresh_title()

    def _refresh_title(self, _tab: EditorTab | None = None) -> None:
        """Every tab's title (one file's name can clash with another tab's: both then say more)."""
        tabs = self.all_tabs()
        files = [TabFile(self._plugin_name(t), t.document.path) for t in tabs]
        for index, (tab, title) in enumerate(zip(tabs, tab_titles(files))):
            marker = "● " if tab.is_dirty() else ""
            note = " (waiting for connection)" if tab.waiting_for_connection else ""
            note += f" ({tab.gone})" if getattr(tab, "gone", "") else ""
            self.tabs.setTabText(index, f"{marker}{title}{note}")
            self.tabs.setTabToolTip(index, f"{self._plugin_name(tab)}: {tab.document.path}\n"
                                           f"{tab.document.table} row {tab.document.row_id}")

    def _plugin_name(self, tab: EditorTab) -> str:
        plugin_id = tab.document.plugin_id or ""
        return self._plugin_names.get(plugin_id, plugin_id)

    def mark_gone(self, tab: EditorTab, why: str) -> None:
        """The tab's row (or its plugin) no longer exists: the title says so; the text stays."""
        tab.gone = why
        self._refresh_title()

    def close_tabs_of_plugin(self, plugin_id: str) -> None:
        """The plugin was deleted: its clean tabs close; a dirty one stays, saying so (the edits are the user's)."""
        for tab in self.all_tabs():
            if tab.document.plugin_id == plugin_id:
                if tab.is_dirty():
                    self.mark_gone(tab, "plugin deleted")
                else:
                    self._remove(tab)

    def rename_tab(self, table: str, row_id: str, new_path: str) -> None:
        tab = self.tab_for(table, row_id)
        if tab and tab.document.path != new_path:
            tab.document.path = new_path
            self._refresh_title(tab)

    def _on_current_changed(self, _index: int) -> None:
        self.current_tab_changed.emit(self.current_tab())
        if self.tabs.count() == 0:
            self.setCurrentIndex(0)

    def close_tab_at(self, index: int) -> bool:
        """Close a tab; a dirty one asks first. Returns False when the user cancelled."""
        tab = self.tabs.widget(index)
        if tab is None:
            return True
        if tab.is_dirty():
            answer = QMessageBox.question(
                self, "Unsaved changes", f"Save the changes to {tab.document.path} before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return False
            if answer == QMessageBox.StandardButton.Save:
                self.save(tab, then=lambda t=tab: self._remove(t))
                return True
        self._remove(tab)
        return True

    def close_current(self) -> None:
        if self.tabs.count():
            self.close_tab_at(self.tabs.currentIndex())

    def _remove(self, tab: EditorTab) -> None:
        index = self.tabs.indexOf(tab)
        if index >= 0:
            self.tabs.removeTab(index)
        self.recovery.discard(tab.key)
        tab.deleteLater()
        self._refresh_title()

    def close_tabs_of_rows(self, keys: set[tuple[str, str]]) -> None:
        """The rows were deleted by the user: their clean tabs go, dirty ones stay (the edits are theirs)."""
        for tab in self.all_tabs():
            if (tab.document.table, tab.document.row_id) in keys and not tab.is_dirty():
                self._remove(tab)

    # -- saving --------------------------------------------------------------------------------
    def save_current(self) -> None:
        tab = self.current_tab()
        if tab:
            self.save(tab)

    def save_all(self) -> None:
        for tab in self.all_tabs():
            if tab.is_dirty():
                self.save(tab)

    def save_current_with_message(self, message: str) -> None:
        """Save the current tab; the version it records in the plugin's history says ``message``
        (instead of "Updated <file>")."""
        tab = self.current_tab()
        if tab:
            self.save(tab, message=message)

    def save(self, tab: EditorTab, then: Callable[[], None] | None = None, message: str | None = None) -> None:
        if not self.db.may_write(f"save {tab.document.path}"):
            return
        if tab.saving:
            # One save at a time per row; this one follows when the current one is answered.
            tab.queued_saves.append(then)
            return
        text = tab.text()
        tab.saving = True
        doc = dataclasses.replace(tab.document)
        self.db.submit_write(documents.save, doc, text, message, action=f"save {doc.path}",
                             on_done=lambda _r: self._on_saved(tab, text, then),
                             on_error=lambda e: self._on_save_failed(tab, text, e, then, doc))

    def _on_saved(self, tab: EditorTab, text: str, then) -> None:
        if not alive(tab):
            return
        tab.waiting_for_connection = False
        tab.saved(text)
        self._refresh_title(tab)
        if not tab.is_dirty():
            self.recovery.discard(tab.key)
        self.tab_saved.emit(tab.document.table, tab.document.row_id)
        if then:
            then()
        self._run_queued_saves(tab)

    def _run_queued_saves(self, tab: EditorTab) -> None:
        if alive(tab) and tab.queued_saves:
            thens = tab.queued_saves
            tab.queued_saves = []
            if tab.is_dirty():
                self.save(tab, then=lambda: [t() for t in thens if t])
            else:
                for then in thens:
                    if then:
                        then()

    def _on_save_failed(self, tab: EditorTab, text: str, error: Exception, then, doc: Document | None = None) -> None:
        if not alive(tab):
            if doc is not None:  # the tab is gone, the text is not: the next start offers it back
                self.recovery.write(RecoveredBuffer(doc.table, doc.row_id, doc.plugin_id, doc.path, doc.language,
                                                    doc.loaded_text, text, meta=doc.meta))
            self.report_error("A file closed while saving could not be saved; it is kept for recovery", error)
            return
        tab.saving = False
        tab.queued_saves = []  # the user sees why this save failed and can save again
        if isinstance(error, ConnectionLost):
            tab.waiting_for_connection = True
            self.write_recovery()
            self._refresh_title(tab)
        elif isinstance(error, ConflictError) and error.server_text == text:
            # The server already has exactly this text (a commit whose answer was lost): saved.
            self._on_saved(tab, text, then)
        elif isinstance(error, ConflictError):
            self.resolve_conflict(tab, text, error.server_text, then)
        elif isinstance(error, NotFound):
            self.resolve_conflict(tab, text, None, then)
        elif isinstance(error, LockTimeout):
            self._offer_retry(tab, error, then)
        else:
            self.report_error(f"Could not save {tab.document.path}", error)

    def _offer_retry(self, tab: EditorTab, error: LockTimeout, then) -> None:
        """Another session holds the row: say who, keep the edit, save again when asked."""
        text = f"{tab.document.path} was not saved: {error}.\n\nYour edits are kept. Try again?"
        if offer_retry(self, f"Could not save {tab.document.path}", text, "lock-wait") and alive(tab):
            self.save(tab, then)

    def retry_waiting_saves(self) -> None:
        for tab in self.all_tabs():
            if tab.waiting_for_connection:
                self.save(tab)

    # -- conflicts -------------------------------------------------------------------------------
    def resolve_conflict(self, tab: EditorTab, mine: str, theirs: str | None, then=None) -> None:
        dialog = ConflictDialog(tab.document.path, mine, theirs, self)
        dialog.setObjectName("conflict-dialog")
        dialog.exec()
        choice = dialog.choice
        doc = dataclasses.replace(tab.document)
        if choice == ConflictChoice.OVERWRITE:
            tab.saving = True
            self.db.submit_write(documents.overwrite, doc, mine, action=f"overwrite {doc.path}", on_done=lambda _r: self._on_saved(tab, mine, then),
                                 on_error=lambda e: self._on_save_failed(tab, mine, e, then))
        elif choice == ConflictChoice.RELOAD and theirs is not None:
            # The user chose their version away; it stays one undo step back (Ctrl+Z).
            tab.document.loaded_text = theirs
            tab.editor.replace_text_keeping_undo(theirs)
            tab.editor.mark_saved()
            self._refresh_title(tab)
        elif choice == ConflictChoice.SAVE_COPY:
            self.db.submit_write(documents.save_as_copy, doc, mine, action=f"save a copy of {doc.path}",
                                 on_done=lambda new_id: self._on_copy_saved(tab, doc, theirs, new_id),
                                 on_error=lambda e: self.report_error("Could not save a copy", e))

    def _on_copy_saved(self, tab: EditorTab, doc: Document, theirs: str | None, new_id: str) -> None:
        """Mine is safe in the copy: the original's tab shows the server's text (mine one undo back)
        and is clean; a deleted original's tab closes, the copy opening in its place."""
        if alive(tab) and theirs is not None:
            tab.document.loaded_text = theirs
            tab.editor.replace_text_keeping_undo(theirs)
            tab.editor.mark_saved()
            self._refresh_title(tab)
        elif alive(tab):
            tab.editor.mark_saved()
            self._remove(tab)
        self.copy_created.emit(doc.table, new_id, doc.path)

    # -- changes from other clients ------------------------------------------------------------
    def follow_server_change(self, table: str, row_id: str | None) -> None:
        """Reload open, unmodified tabs of a changed row (``row_id`` None: any row of the table)."""
        for tab in self.all_tabs():
            if tab.document.table == table and row_id in (None, tab.document.row_id) and not tab.is_dirty():
                self.db.submit(documents.load_text, tab.document.table, tab.document.row_id,
                               on_done=lambda text, t=tab: self._apply_server_text(t, text))

    def _apply_server_text(self, tab: EditorTab, text: str | None) -> None:
        if not alive(tab) or self.tabs.indexOf(tab) < 0:
            return
        if text is None:
            self.mark_gone(tab, "deleted on server")
            return
        if getattr(tab, "gone", ""):
            self.mark_gone(tab, "")
        tab.server_text_changed(text)

    # -- recovery ------------------------------------------------------------------------------
    def write_recovery(self) -> None:
        """Keep every dirty buffer in the recovery folder (on a timer and before closing). A failing
        write (a full disk) is reported once by ``recovery_failed``; the timer keeps retrying."""
        failure = None
        for tab in self.all_tabs():
            try:
                self._write_recovery_of(tab)
            except OSError as exc:
                failure = failure or exc
        if failure is None:
            self._recovery_failing = False
        elif not self._recovery_failing:
            self._recovery_failing = True
            log.warning("could not write recovery files to %s: %s", self.recovery.folder, failure)
            reason = failure.strerror or str(failure)
            self.recovery_failed.emit(f"⚠ Unsaved edits can't be kept for crash recovery ({reason}); retrying."
                                      " Save your work when you can.")

    def _write_recovery_of(self, tab: EditorTab) -> None:
        if tab.is_dirty():
            doc = tab.document
            self.recovery.write(RecoveredBuffer(doc.table, doc.row_id, doc.plugin_id, doc.path, doc.language,
                                                doc.loaded_text, tab.text(), meta=doc.meta))
        else:
            self.recovery.discard(tab.key)

    def dirty_tabs(self) -> list[EditorTab]:
        return [t for t in self.all_tabs() if t.is_dirty()]
