"""The two CSS layouts a QBoxLayout can't do: a wrapping flex row, and a grid of column tracks.

``FlowLayout`` places its items left to right and starts a new row where the next one would not
fit (``flex-wrap: wrap``); ``grid_tracks`` reads ``grid-template-columns`` into column tracks
(``fr`` tracks stretch, fixed ones keep their width; the renderer flows items into them row by row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget

from plugin_studio.ui.preview.styles import length_px


class FlowLayout(QLayout):
    """Items in rows that wrap at the layout's width, ``h_gap``/``v_gap`` px apart."""

    def __init__(self, parent: QWidget, h_gap: int, v_gap: int):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._h_gap, self._v_gap = h_gap, v_gap
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientations:
        return Qt.Orientations()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items (when ``move``) and return the height they take at ``rect``'s width."""
        x, y, row_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, row_height = rect.x(), y + row_height + self._v_gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._h_gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()


@dataclass(frozen=True)
class Track:
    stretch: int         # fr units (0: not stretching)
    width: int | None    # px for a fixed track


_REPEAT = re.compile(r"repeat\(\s*(\d+)\s*,\s*([^()]*(?:\([^)]*\))?[^()]*)\)")


def grid_tracks(value, font_px: float) -> list[Track] | None:
    """``grid-template-columns`` as tracks; None for what the preview can't lay out (auto-fill, minmax)."""
    if value is None:
        return [Track(1, None)]
    text = _REPEAT.sub(lambda m: " ".join([m.group(2).strip()] * int(m.group(1))), str(value).strip())
    if "(" in text:
        return None
    tracks = []
    for part in text.split():
        if part.endswith("fr"):
            tracks.append(Track(max(1, round(float(part[:-2] or 1))), None))
        elif part in ("auto", "min-content", "max-content"):
            tracks.append(Track(0, None))
        else:
            px = length_px(part, font_px)
            if px is None:
                return None
            tracks.append(Track(0, round(px)))
    return tracks or None
