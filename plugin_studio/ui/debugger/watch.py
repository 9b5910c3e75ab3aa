"""Watch expressions: JavaScript over the chain's current ``value`` and ``args``, re-evaluated after each step."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from plugin_studio.ui import theme
from plugin_studio.ui.debugger.stepping import mono



class WatchView(QWidget):
    watches_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entry = QLineEdit(placeholderText="add a watch, e.g. value * 2 or args[0].name")
        self.remove_button = QPushButton("Remove")
        self.list = QTreeWidget()
        self.list.setHeaderLabels(("Watch", "Value"))
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 100)
        self.list.setFont(mono())
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        self.entry.returnPressed.connect(self._on_entry_return_pressed)
        self.remove_button.clicked.connect(self._on_remove_clicked)

    def watches(self) -> list[str]:
        return [self.list.topLevelItem(i).text(0) for i in range(self.list.topLevelItemCount())]

    def add_watch(self, expression: str) -> None:
        expression = expression.strip()
        if expression and expression not in self.watches():
            self.list.addTopLevelItem(QTreeWidgetItem([expression, "(not evaluated yet)"]))
            self.watches_changed.emit()

    def set_values(self, values: list) -> None:
        """``values``: WatchValue per expression, as the last step evaluated them."""
        by_expression = {v.expression: v for v in values}
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            value = by_expression.get(item.text(0))
            if value is not None:
                item.setText(1, value.text)
                item.setToolTip(1, value.text)
                item.setForeground(1, QBrush(theme.colour("error")) if value.error else QBrush())

    def value_text(self, expression: str) -> str | None:
        for i in range(self.list.topLevelItemCount()):
            if self.list.topLevelItem(i).text(0) == expression:
                return self.list.topLevelItem(i).text(1)
        return None

    def _on_entry_return_pressed(self) -> None:
        self.add_watch(self.entry.text())
        self.entry.clear()

    def _on_remove_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.takeTopLevelItem(self.list.indexOfTopLevelItem(item))
            self.watches_changed.emit()
