"""Help ▸ Keyboard Shortcuts: every command of the keymap with its keys and where they work,
filtered by what the user types (a command's name or a key such as "F10")."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from plugin_studio.ui.commands import CONTEXT_TEXT, CommandRegistry

COLUMNS = ("Command", "Keys", "Where")


class KeyboardShortcutsDialog(QDialog):
    def __init__(self, registry: CommandRegistry, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("keyboard-shortcuts")
        self.setWindowTitle("Keyboard Shortcuts")
        self.filter = QLineEdit(placeholderText="Filter by command or key (e.g. F10, Ctrl+Shift)")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self._fill(registry)
        self.filter.textChanged.connect(self._apply_filter)
        self.resize(720, 640)

    def _fill(self, registry: CommandRegistry) -> None:
        commands = sorted((c for c in registry.commands() if c.shortcuts), key=lambda c: (c.category, c.text))
        self.table.setRowCount(len(commands))
        for row, command in enumerate(commands):
            for column, text in enumerate((command.title, command.key_text(), CONTEXT_TEXT[command.context])):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def rows(self) -> list[tuple[str, str, str]]:
        """The rows shown now (after the filter)."""
        return [tuple(self.table.item(r, c).text() for c in range(len(COLUMNS)))
                for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.table.rowCount()):
            title, keys = self.table.item(row, 0).text().lower(), self.table.item(row, 1).text().lower()
            self.table.setRowHidden(row, bool(needle) and needle not in title and needle not in keys)
