"""Bringing a Qt model's rows in line with new data by inserts, removes and moves, never a reset.

A reset makes every view forget its expansion, selection and scroll position; rows inserted,
removed or moved one run at a time keep them for every row that is still there (Qt moves the
persistent indexes along). Rows are matched by a key (a row id, a folder's path).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable

from PySide6.QtCore import QAbstractItemModel, QModelIndex


@dataclass
class RowList:
    """One parent's rows in a model: the list itself and what to do around changes to it."""
    items: list                                    # the model's own storage for these rows
    key: Callable[[Any], Hashable]
    adopt: Callable[[Any], Any] = lambda item: item    # a new item as the model stores it
    update: Callable[[int, Any, Any], None] = lambda row, old, new: None   # same key, maybe new data
    renumbered: Callable[[], None] = lambda: None      # after the list changed (rows moved)


def sync_rows(model: QAbstractItemModel, parent: QModelIndex, rows: RowList, wanted: list) -> None:
    """Make ``rows.items`` hold ``wanted`` (in that order), telling the views each change."""
    keep = {rows.key(item) for item in wanted}
    _remove_missing(model, parent, rows, keep)
    row = 0
    while row < len(wanted):
        key = rows.key(wanted[row])
        if row < len(rows.items) and rows.key(rows.items[row]) == key:
            rows.update(row, rows.items[row], wanted[row])
            row += 1
            continue
        found = _find(rows, key, row + 1)
        if found is None:
            row = _insert_run(model, parent, rows, wanted, row)
        else:
            _move(model, parent, rows, found, row)


def _remove_missing(model: QAbstractItemModel, parent: QModelIndex, rows: RowList, keep: set) -> None:
    end = len(rows.items)
    while end > 0:
        if rows.key(rows.items[end - 1]) in keep:
            end -= 1
            continue
        start = end - 1
        while start > 0 and rows.key(rows.items[start - 1]) not in keep:
            start -= 1
        model.beginRemoveRows(parent, start, end - 1)
        del rows.items[start:end]
        rows.renumbered()
        model.endRemoveRows()
        end = start


def _find(rows: RowList, key: Hashable, start: int) -> int | None:
    return next((i for i in range(start, len(rows.items)) if rows.key(rows.items[i]) == key), None)


def _insert_run(model: QAbstractItemModel, parent: QModelIndex, rows: RowList, wanted: list, row: int) -> int:
    """Insert the run of new items starting at ``row`` (up to the next one already present)."""
    present = {rows.key(item) for item in rows.items}
    end = row
    while end < len(wanted) and rows.key(wanted[end]) not in present:
        end += 1
    model.beginInsertRows(parent, row, end - 1)
    rows.items[row:row] = [rows.adopt(item) for item in wanted[row:end]]
    rows.renumbered()
    model.endInsertRows()
    return end


def _move(model: QAbstractItemModel, parent: QModelIndex, rows: RowList, source: int, destination: int) -> None:
    """Move the row at ``source`` up to ``destination`` (< source)."""
    model.beginMoveRows(parent, source, source, parent, destination)
    rows.items.insert(destination, rows.items.pop(source))
    rows.renumbered()
    model.endMoveRows()
