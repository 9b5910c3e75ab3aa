"""A flat Qt table model over a Python list: one item a row, named columns.

Subclasses give ``COLUMNS`` and answer ``data``; the row count, column count, header and the bounds
check every ``data`` needs live here once (Qt's QAbstractTableModel contract).
"""
from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Item = TypeVar("Item")


class ListTableModel(QAbstractTableModel, Generic[Item]):
    """``items`` in rows, ``COLUMNS`` as horizontal headers; ``item_at(index)`` is None outside them."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._items: list[Item] = []

    def item_at(self, index: QModelIndex | QPersistentModelIndex) -> Item | None:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        return self._items[index.row()]

    def column_name(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return self.COLUMNS[index.column()]

    def emit_row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None
