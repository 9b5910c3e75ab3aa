"""Compare Across Group…: the current plugin in every store of a group, as a version matrix.

One row per row of the plugin (its files, hooks, widgets… and the plugin itself), one column per
store; a cell says which version of that row the store has (v1 is the first store's, v2 the next
different one…) in that version's colour, or — where the store lacks it. The header gives each
store's plugin version, and why a store has no versions (unreachable, plugin missing).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from plugin_studio.services import connections as saved
from plugin_studio.ui import jobs
from plugin_studio.ui.errors import describe_error
from plugin_studio.ui.promote import jobs_work

# Translucent, so that they read on a light and on a dark background alike; v1, v2, … in turn.
VERSION_COLOURS = (QColor(46, 160, 67, 70), QColor(210, 153, 34, 90), QColor(88, 166, 255, 90),
                   QColor(188, 140, 255, 90), QColor(248, 81, 73, 80))
MISSING = "—"


class GroupCompareDialog(QDialog):
    def __init__(self, parent: QWidget | None, plugin_ref: str, plugin_name: str):
        super().__init__(parent)
        self.setObjectName("group-compare-dialog")
        self.setWindowTitle(f"Compare Across Group — {plugin_name}")
        self.plugin_ref, self.plugin_name = plugin_ref, plugin_name
        self.matrix = None
        self.job = None
        self.group = QComboBox(objectName="compare-group")
        self.group.addItems(saved.load_connections().group_names())
        self.only_differing = QCheckBox("Only rows that differ", objectName="only-differing", checked=True)
        self.only_differing.toggled.connect(lambda _on: self._fill())
        self.table = QTableWidget(objectName="version-matrix")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.progress = QProgressBar(objectName="compare-progress", visible=False)
        self.status = QLabel(objectName="compare-status", wordWrap=True)
        self.compare_button = QPushButton("Compare", objectName="compare")
        self.compare_button.clicked.connect(self.compare)
        self.cancel_button = QPushButton("Cancel", objectName="cancel", enabled=False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("Close", objectName="close")
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(f"<b>{plugin_name}</b> across the group:"))
        top.addWidget(self.group, 1)
        top.addWidget(self.compare_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.only_differing)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        if not self.group.count():
            self.status.setText("No group yet: make one on the Groups tab of File ▸ Connections….")
        self.resize(1200, 720)

    def compare(self) -> None:
        group = self.group.currentText()
        if not group:
            return
        self.compare_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self.status.setText(f"Reading {self.plugin_name} from every store of {group}…")
        self.job = jobs.start(jobs_work.matrix, group, self.plugin_ref, owner=self, title=f"Comparing across {group}",
                              on_done=self._compared, on_error=self._failed, on_progress=self._progressed,
                              on_cancelled=lambda: self._ended("Cancelled."))

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progressed(self, done: int, total: int, store: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(f"Reading {store}…")

    def _compared(self, matrix) -> None:
        if matrix is None:
            self._ended("Cancelled.")
            return
        self.matrix = matrix
        self._fill()
        differing = len(matrix.differing())
        self._ended(f"{len(matrix.rows)} rows in {len(matrix.stores)} stores; {differing} differ between stores.")

    def _failed(self, error: Exception) -> None:
        self._ended(describe_error(error))

    def _ended(self, text: str) -> None:
        self.job = None
        self.compare_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        self.status.setText(text)

    def _fill(self) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        rows = matrix.differing() if self.only_differing.isChecked() else matrix.rows
        self.table.clear()
        self.table.setColumnCount(len(matrix.stores) + 2)
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(["Table", "Row", *(_store_header(matrix, i)
                                                                 for i in range(len(matrix.stores)))])
        for i, note in enumerate(matrix.notes):
            self.table.horizontalHeaderItem(i + 2).setToolTip(note or f"plugin version {matrix.plugin_versions[i]}")
        for r, row in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(row.table))
            self.table.setItem(r, 1, QTableWidgetItem(row.name))
            for c, version in enumerate(row.versions):
                self.table.setItem(r, c + 2, _cell(version))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def cell_text(self, row: int, store: int) -> str:
        """What the user reads in the cell of ``row`` (as shown) and ``store`` (0-based)."""
        return self.table.item(row, store + 2).text()


def _store_header(matrix, i: int) -> str:
    version = matrix.plugin_versions[i]
    return f"{matrix.stores[i]}\n{version if version else matrix.notes[i] or '—'}"


def _cell(version: int | None) -> QTableWidgetItem:
    item = QTableWidgetItem(MISSING if version is None else f"v{version}")
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    if version is not None:
        item.setBackground(QBrush(VERSION_COLOURS[(version - 1) % len(VERSION_COLOURS)]))
    return item
