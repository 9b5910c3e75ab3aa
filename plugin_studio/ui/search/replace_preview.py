"""Replace across files, previewed: each file the replacement changes, with its side-by-side diff;
the user unticks what should stay, then every ticked file is written in one transaction.

Files that cannot take the replacement are listed unticked with the reason: unsaved edits in an
editor tab (save or revert them first), a migration that ran. The dialog returns what the user
chose; ``apply`` (given by the Search view) writes it and answers with ``on_done`` / ``on_error``.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from plugin_studio.db.search import ReplaceConflict, RowChange
from plugin_studio.services.code_search import FileChange
from plugin_studio.ui.diff_view import DiffView
from plugin_studio.ui.errors import describe_error

FILE_ROLE = Qt.ItemDataRole.UserRole + 1
UNSAVED = "unsaved edits in the editor: save or revert them first"

Apply = Callable[[list[RowChange], Callable[[int], None], Callable[[Exception], None]], None]


class ReplacePreviewDialog(QDialog):
    """``files``: what the replacement changes; ``unsaved``: (table, row id) of dirty editor tabs."""

    def __init__(self, files: list[FileChange], unsaved: set[tuple[str, str]], summary: str, apply: Apply,
                 preview_again: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("replace-preview")
        self.setWindowTitle("Replace in Files")
        self._apply, self._preview_again = apply, preview_again
        self.replaced = 0   # files written, once accepted
        self.summary = QLabel(summary)
        self.files = QTreeWidget()
        self.files.setHeaderHidden(True)
        self.diff = DiffView()
        self.error = QLabel()
        self.error.setObjectName("replace-error")
        self.error.setStyleSheet("color: #d32f2f;")
        self.error.setWordWrap(True)
        self.error.hide()
        self._fill(files, unsaved)
        self._lay_out()
        self.files.currentItemChanged.connect(self._show_diff)
        self.files.itemChanged.connect(lambda *_: self._update_button())
        self._select_first()
        self.resize(1100, 680)

    def _fill(self, files: list[FileChange], unsaved: set[tuple[str, str]]) -> None:
        plugins: dict[str, QTreeWidgetItem] = {}
        for file in files:
            if file.plugin_id not in plugins:
                plugins[file.plugin_id] = QTreeWidgetItem(self.files, [file.plugin_name])
                plugins[file.plugin_id].setFlags(Qt.ItemFlag.ItemIsEnabled)
                plugins[file.plugin_id].setExpanded(True)
            reason = UNSAVED if (file.table, file.row_id) in unsaved else file.refused
            item = QTreeWidgetItem(plugins[file.plugin_id], [file.path + (f" — {reason}" if reason else "")])
            item.setData(0, FILE_ROLE, file)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable |
                          (Qt.ItemFlag.NoItemFlags if reason else Qt.ItemFlag.ItemIsUserCheckable))
            item.setCheckState(0, Qt.CheckState.Unchecked if reason else Qt.CheckState.Checked)
            item.setToolTip(0, reason or file.path)

    def _lay_out(self) -> None:
        self.buttons = QDialogButtonBox()
        self.replace_button = self.buttons.addButton("Replace", QDialogButtonBox.ButtonRole.AcceptRole)
        self.replace_button.setObjectName("replace")
        self.again_button = QPushButton("Preview Again")
        self.again_button.setObjectName("preview-again")
        self.again_button.hide()
        self.buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.replace_button.clicked.connect(self._on_replace_clicked)
        self.again_button.clicked.connect(self._on_again_clicked)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.files)
        splitter.addWidget(self.diff)
        splitter.setSizes([320, 780])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update_button()

    def _select_first(self) -> None:
        for item in self._file_items():
            self.files.setCurrentItem(item)
            return

    def _file_items(self) -> list[QTreeWidgetItem]:
        root = self.files.invisibleRootItem()
        return [root.child(i).child(j) for i in range(root.childCount()) for j in range(root.child(i).childCount())]

    def chosen(self) -> list[FileChange]:
        """The ticked files."""
        return [item.data(0, FILE_ROLE) for item in self._file_items() if item.checkState(0) == Qt.CheckState.Checked]

    def _update_button(self) -> None:
        count = len(self.chosen())
        self.replace_button.setText(f"Replace in {count} file{'s' if count != 1 else ''}")
        self.replace_button.setEnabled(count > 0)

    def _show_diff(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        file = item.data(0, FILE_ROLE) if item is not None else None
        if file is None:
            return
        old, new = _texts(file)
        self.diff.set_texts(old, new, f"{file.path} now", "After the replacement")

    def _on_replace_clicked(self) -> None:
        changes = [change for file in self.chosen() for change in file.changes]
        self.replace_button.setEnabled(False)
        self.error.hide()
        self._apply(changes, self._on_applied, self._on_failed)

    def _on_applied(self, _rows: int) -> None:
        self.replaced = len(self.chosen())
        self.accept()

    def _on_failed(self, error: Exception) -> None:
        if isinstance(error, ReplaceConflict):
            self.error.setText(f"{error} Preview again to see the files as they are now.")
            self.again_button.show()
        else:
            self.error.setText(f"Nothing was replaced: {describe_error(error)}")
            self.replace_button.setEnabled(True)
        self.error.show()

    def _on_again_clicked(self) -> None:
        self.reject()
        self._preview_again()


def _texts(file: FileChange) -> tuple[str, str]:
    """A file's text before and after; a migration changed in both sections shows both."""
    if len(file.changes) == 1:
        return file.changes[0].old_text, file.changes[0].new_text
    parts = [(f"-- {c.column} --\n{c.old_text}", f"-- {c.column} --\n{c.new_text}") for c in file.changes]
    return "\n".join(old for old, _ in parts), "\n".join(new for _, new in parts)
