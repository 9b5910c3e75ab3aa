"""The Timeline: a plugin's versions, or one file's, as the platform's editor records them (who, when,
message, tags), the changes of any version or between any two side by side, Restore and Tag.

Everything it reads and writes goes through the window's database lane (``services.history``); the
GUI thread only shows results. Select one version to see what it changed against the one before it,
two to compare them.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton,
    QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from plugin_studio.db.history_records import Version
from plugin_studio.db.safe_text import shown
from plugin_studio.models import history as rules
from plugin_studio.services import history
from plugin_studio.ui.diff_view import DiffView

RowKey = tuple[str, str] | None   # (table, row id) of the file whose history is shown

COLUMNS = ("Version", "When", "Who", "Message", "Tags", "Lines (as the platform counts)")


@dataclass(frozen=True)
class Comparison:
    """Two versions' texts of the files that differ between them (path → (old, new))."""
    old: Version | None
    new: Version
    files: dict[str, tuple[str | None, str | None]]


def load_versions(conn, plugin_id: str, path: str | None, row: RowKey = None) -> list[Version]:
    """The Timeline's rows: the plugin's versions, or those in which the file at ``path`` changed
    (found by its ``row`` (table, row id) when known, so versions from before a rename count)."""
    if path is None:
        return history.versions(conn, plugin_id)
    table, row_id = row or (None, None)
    return [f.version for f in history.file_history(conn, plugin_id, path, table=table, row_id=row_id)]


def compare(conn, plugin_id: str, old: Version | None, new: Version, path: str | None,
            row: RowKey = None) -> Comparison:
    """What changed from ``old`` (None: the version before ``new``) to ``new``: one file, or every file."""
    if old is None and new.parent_version_id:
        old = history.find_version(conn, plugin_id, new.parent_version_id)
    before = history.state_at(conn, old.id) if old else {}
    after = history.state_at(conn, new.id) or {}
    paths = [path] if path else rules.changed_files(before, after)
    table, row_id = row if path and row else (None, None)
    files = {p: (rules.file_text(before or {}, table, row_id, p), rules.file_text(after, table, row_id, p))
             for p in paths}
    return Comparison(old, new, files)


def _lines(v: Version) -> str:
    """The platform's line counts of a patch; a snapshot stores the whole state and counts none."""
    return "snapshot" if v.version_type == "snapshot" else f"+{v.lines_added} −{v.lines_deleted}"


class Timeline(QDialog):
    """The versions of a plugin (``path`` None) or of one of its files."""

    loaded = Signal()          # the list is filled
    compared = Signal()        # the diff shows the selection
    restored = Signal(object)  # the new Version a restore recorded

    def __init__(self, db, plugin_id: str, plugin_name: str, path: str | None = None, parent: QWidget | None = None,
                 row: RowKey = None):
        super().__init__(parent)
        self.setObjectName("history-timeline")
        self.db, self.plugin_id, self.path, self.row = db, plugin_id, path, row
        what = shown(path) if path else "all files"
        self.setWindowTitle(f"History of {shown(plugin_name)} — {what}")
        self.versions: list[Version] = []
        self.comparison: Comparison | None = None
        self.list = self._version_list()
        self.files = QComboBox()
        self.files.setObjectName("history-files")
        self.files.currentIndexChanged.connect(self._show_file)
        self.diff = DiffView()
        self.status = QLabel("Loading…")
        self.status.setObjectName("history-status")
        self.restore_button, self.tag_button = QPushButton("Restore This Version…"), QPushButton("Tag…")
        self.restore_button.clicked.connect(self._ask_restore)
        self.tag_button.clicked.connect(self._ask_tag)
        self._layout()
        self.resize(1100, 720)
        self.reload()

    def _version_list(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("history-versions")
        tree.setHeaderLabels(COLUMNS)
        tree.setRootIsDecorated(False)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        tree.itemSelectionChanged.connect(self._on_selection)
        return tree

    def _layout(self) -> None:
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.files)
        column.addWidget(self.diff, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(lower)
        split.setSizes([260, 460])
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.tag_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

    # ---- reading ------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.db.submit(load_versions, self.plugin_id, self.path, self.row, owner=self, on_done=self._on_loaded,
                       on_error=self._on_error)

    def _on_loaded(self, versions: list[Version]) -> None:
        self.versions = versions
        self.list.clear()
        for version in versions:
            self.list.addTopLevelItem(self._row(version))
        for column in (0, 1, 2, 4, 5):
            self.list.resizeColumnToContents(column)
        self.status.setText(f"{len(versions)} version{'s' if len(versions) != 1 else ''}; select one to see its "
                            "changes, two to compare them" if versions else
                            "No versions recorded yet: saves record them (db init adds the history tables)")
        if versions:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self._enable_actions()
        self.loaded.emit()

    def _row(self, v: Version) -> QTreeWidgetItem:
        when = v.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if v.created_at else ""
        item = QTreeWidgetItem([shown(v.version_number) + ("  ●" if v.is_current else ""), when,
                                shown(v.created_by_name or ""), shown(v.commit_message or ""),
                                ", ".join(shown(t) for t in v.tags), _lines(v)])
        item.setToolTip(0, f"{v.version_type}, {v.snapshot_distance} from its snapshot" +
                        ("; the current version" if v.is_current else ""))
        if v.is_current:
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
        return item

    def selected(self) -> list[Version]:
        """The selected versions, oldest first."""
        rows = sorted(self.list.indexOfTopLevelItem(i) for i in self.list.selectedItems())
        return [self.versions[r] for r in reversed(rows)]

    def _on_selection(self) -> None:
        chosen = self.selected()
        self._enable_actions()
        if not chosen or len(chosen) > 2:
            return
        old, new = (chosen[0], chosen[1]) if len(chosen) == 2 else (None, chosen[0])
        self.db.submit(compare, self.plugin_id, old, new, self.path, self.row, owner=self, on_done=self._on_compared,
                       on_error=self._on_error)

    def _on_compared(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.files.blockSignals(True)
        self.files.clear()
        for path in comparison.files:
            self.files.addItem(shown(path), path)
        self.files.blockSignals(False)
        self.files.setVisible(self.path is None)
        if not comparison.files:
            self.diff.set_texts("", "", self._label(comparison.old), self._label(comparison.new))
        self._show_file()
        self.compared.emit()

    def _show_file(self) -> None:
        if self.comparison is None or self.files.currentIndex() < 0:
            return
        old, new = self.comparison.files[self.files.currentData()]
        self.diff.set_texts(old or "", new or "", self._label(self.comparison.old, old is None),
                            self._label(self.comparison.new, new is None))

    @staticmethod
    def _label(version: Version | None, absent: bool = False) -> str:
        name = shown(version.version_number) if version else "(nothing before)"
        return name + (" (not there)" if absent and version else "")

    def _enable_actions(self) -> None:
        one = len(self.selected()) == 1
        self.restore_button.setEnabled(one)
        self.tag_button.setEnabled(one)

    def _on_error(self, error: Exception) -> None:
        self.status.setText(f"⚠ {error}")

    # ---- restore and tags ----------------------------------------------------------------------------
    def _ask_restore(self) -> None:
        target = self.selected()[0]
        answer = QMessageBox.question(
            self, "Restore", f"Put every file of the plugin back as it was at version {target.version_number}?\n\n"
            "This is recorded as a new version; nothing in the history is lost, and you can restore the current "
            "version again from here.")
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(target)

    def restore(self, target: Version) -> None:
        self.db.submit_write(history.restore, self.plugin_id, target.id, owner=self,
                             action=f"restore version {target.version_number}", on_done=self._on_restored,
                             on_error=self._on_error)

    def _on_restored(self, version: Version) -> None:
        self.restored.emit(version)
        self.reload()

    def _ask_tag(self) -> None:
        target = self.selected()[0]
        name, ok = QInputDialog.getText(self, "Tag", f"Name for version {target.version_number}:")
        if ok and name.strip():
            self.tag(target, name.strip())

    def tag(self, target: Version, name: str) -> None:
        self.db.submit_write(history.tag, self.plugin_id, target.id, name, owner=self,
                             action=f"tag version {target.version_number}", on_done=lambda _v: self.reload(),
                             on_error=self._on_error)


# ---- the window's commands ------------------------------------------------------------------------------
def show_plugin_history(window) -> Timeline | None:
    """History of every file of the current plugin."""
    plugin = window.current_plugin
    if plugin is None:
        window.show_status("Choose a plugin first")
        return None
    return _show(window, Timeline(window.db, plugin.id, plugin.name, None, window))


def show_file_history(window) -> Timeline | None:
    """History of the file in the current editor tab, else of the file selected in the tree."""
    plugin = window.current_plugin
    tab = window.editors.current_tab()
    entry = window.tree.current_entry()
    source = tab.document if tab is not None else entry
    if plugin is None or source is None:
        window.show_status("Open or select a file to see its history")
        return None
    row = (source.table, source.row_id)
    return _show(window, Timeline(window.db, plugin.id, plugin.name, source.path, window, row))


def _show(window, timeline: Timeline) -> Timeline:
    timeline.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    timeline.restored.connect(lambda version: (window.show_status(version.commit_message),
                                               window.reload_tree(None, False)))
    timeline.show()
    return timeline


def save_with_message(window) -> None:
    """Save the current tab with a message of the user's for the version it records."""
    tab = window.editors.current_tab()
    if tab is None:
        return
    message, ok = QInputDialog.getText(window, "Save with Message", "What changed (recorded in the plugin's history):")
    if ok and message.strip():
        window.editors.save_current_with_message(message.strip())
