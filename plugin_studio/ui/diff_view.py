"""A side-by-side diff: the old text on the left, the new on the right, aligned line by line.

Removed lines are red on the left, added lines green on the right, changed lines face each other
with the changed words marked more strongly; a line missing on one side is a grey gap. The two
sides scroll together. Used by the conflict dialog, the replace preview and version history.

    view = DiffView()
    view.set_texts(server_text, my_text, "Server", "Yours")
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPlainTextEdit, QSplitter, QTextEdit, QToolButton, QVBoxLayout, QWidget,
)

from plugin_studio.models.text_diff import ADDED, CHANGED, EQUAL, REMOVED, DiffRow, change_count, side_by_side

# Translucent, so that they read on a light and on a dark background alike.
REMOVED_LINE, REMOVED_WORD = QColor(248, 81, 73, 48), QColor(248, 81, 73, 120)
ADDED_LINE, ADDED_WORD = QColor(46, 160, 67, 48), QColor(46, 160, 67, 120)
GAP = QColor(128, 128, 128, 36)


class _Gutter(QWidget):
    """Line numbers of one side; a gap row has none."""

    def __init__(self, side: "_DiffSide"):
        super().__init__(side)
        self.side = side

    def sizeHint(self) -> QSize:
        return QSize(self.side.gutter_width(), 0)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().alternateBase())
        painter.setPen(self.palette().placeholderText().color())
        block = self.side.firstVisibleBlock()
        while block.isValid():
            top = round(self.side.blockBoundingGeometry(block).translated(self.side.contentOffset()).top())
            if top > event.rect().bottom():
                break
            number = self.side.number_at(block.blockNumber())
            if number is not None:
                height = self.side.fontMetrics().height()
                painter.drawText(QRect(0, top, self.width() - 6, height), Qt.AlignmentFlag.AlignRight, str(number))
            block = block.next()


class _DiffSide(QPlainTextEdit):
    """One side of the diff: read-only text, its line numbers in a gutter, rows coloured."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._numbers: list[int | None] = []
        self.gutter = _Gutter(self)
        self.updateRequest.connect(self._on_update_request)

    def number_at(self, block: int) -> int | None:
        return self._numbers[block] if 0 <= block < len(self._numbers) else None

    def gutter_width(self) -> int:
        digits = len(str(max([n for n in self._numbers if n] or [1])))
        return self.fontMetrics().horizontalAdvance("9") * max(digits, 2) + 12

    def show_rows(self, lines: list[str | None], numbers: list[int | None], marks: list[tuple]) -> None:
        """``lines``: the text per row (None: a gap); ``marks``: (kind, spans) per row."""
        self._numbers = numbers
        self.setPlainText("\n".join(line or "" for line in lines))
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)
        self.setExtraSelections(self._selections(lines, marks))
        self.gutter.update()

    def _selections(self, lines: list[str | None], marks: list[tuple]) -> list[QTextEdit.ExtraSelection]:
        selections, document = [], self.document()
        for row, (line, (colour, word_colour, spans)) in enumerate(zip(lines, marks)):
            if colour is None and line is not None:
                continue
            block = document.findBlockByNumber(row)
            selections.append(_line_selection(block, GAP if line is None else colour))
            for start, end in spans:
                selections.append(_span_selection(block, start, end, word_colour))
        return selections

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())


def _line_selection(block, colour: QColor) -> QTextEdit.ExtraSelection:
    selection = QTextEdit.ExtraSelection()
    selection.format = QTextCharFormat()
    selection.format.setBackground(colour)
    selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
    selection.cursor = QTextCursor(block)
    return selection


def _span_selection(block, start: int, end: int, colour: QColor) -> QTextEdit.ExtraSelection:
    selection = QTextEdit.ExtraSelection()
    selection.format = QTextCharFormat()
    selection.format.setBackground(colour)
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + start)
    cursor.setPosition(block.position() + min(end, block.length() - 1), QTextCursor.MoveMode.KeepAnchor)
    selection.cursor = cursor
    return selection


class DiffView(QWidget):
    """Two texts side by side (see the module docstring). ``rows`` is the diff shown."""

    change_shown = Signal(int)   # index of the change now in view (0-based)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[DiffRow] = []
        self._change_starts: list[int] = []
        self._current_change = -1
        self.old_title, self.new_title = QLabel(), QLabel()
        self.summary = QLabel()
        self.previous_button = QToolButton(text="↑", toolTip="Previous change")
        self.next_button = QToolButton(text="↓", toolTip="Next change")
        self.previous_button.clicked.connect(lambda: self.go_to_change(self._current_change - 1))
        self.next_button.clicked.connect(lambda: self.go_to_change(self._current_change + 1))
        self.old_side, self.new_side = _DiffSide(), _DiffSide()
        self.old_side.setObjectName("diff-old")
        self.new_side.setObjectName("diff-new")
        self._link_scrolling()
        self._lay_out()

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for title, side in ((self.old_title, self.old_side), (self.new_title, self.new_side)):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            title.setStyleSheet("font-weight: 600; padding: 2px 4px;")
            column.addWidget(title)
            column.addWidget(side)
            splitter.addWidget(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    def _link_scrolling(self) -> None:
        for a, b in ((self.old_side, self.new_side), (self.new_side, self.old_side)):
            a.verticalScrollBar().valueChanged.connect(b.verticalScrollBar().setValue)
            a.horizontalScrollBar().valueChanged.connect(b.horizontalScrollBar().setValue)

    def set_texts(self, old: str, new: str, old_title: str = "Before", new_title: str = "After") -> None:
        """Show the diff from ``old`` to ``new`` and scroll to its first change."""
        self.old_title.setText(old_title)
        self.new_title.setText(new_title)
        self.rows = side_by_side(old, new)
        old_marks = [_marks(row, "old") for row in self.rows]
        new_marks = [_marks(row, "new") for row in self.rows]
        self.old_side.show_rows([r.old_text for r in self.rows], [r.old_number for r in self.rows], old_marks)
        self.new_side.show_rows([r.new_text for r in self.rows], [r.new_number for r in self.rows], new_marks)
        self._change_starts = [i for i, r in enumerate(self.rows)
                               if r.kind != EQUAL and (i == 0 or self.rows[i - 1].kind == EQUAL)]
        self.summary.setText(_summary(self.rows, old, new))
        self._current_change = -1
        self.go_to_change(0)

    def change_count(self) -> int:
        return len(self._change_starts)

    def go_to_change(self, index: int) -> None:
        """Scroll so that change ``index`` (0-based, clamped) is near the top."""
        if not self._change_starts:
            self._update_buttons()
            return
        index = max(0, min(index, len(self._change_starts) - 1))
        self._current_change = index
        row = self._change_starts[index]
        self.old_side.verticalScrollBar().setValue(max(0, row - 3))
        self._update_buttons()
        self.change_shown.emit(index)

    def _update_buttons(self) -> None:
        self.previous_button.setEnabled(self._current_change > 0)
        self.next_button.setEnabled(0 <= self._current_change < len(self._change_starts) - 1)


def _marks(row: DiffRow, side: str) -> tuple:
    """(line colour, word colour, spans) of a row on one side."""
    if row.kind == EQUAL:
        return None, None, ()
    if side == "old":
        return (REMOVED_LINE, REMOVED_WORD, row.old_spans) if row.kind in (REMOVED, CHANGED) else (GAP, None, ())
    return (ADDED_LINE, ADDED_WORD, row.new_spans) if row.kind in (ADDED, CHANGED) else (GAP, None, ())


def _summary(rows: list[DiffRow], old: str, new: str) -> str:
    changes = change_count(rows)
    if changes:
        removed = sum(r.kind in (REMOVED, CHANGED) for r in rows)
        added = sum(r.kind in (ADDED, CHANGED) for r in rows)
        return f"{changes} change{'s' if changes != 1 else ''}: −{removed} +{added} lines"
    if old == new:
        return "No differences"
    if _unix_endings(old) == _unix_endings(new):
        return "Only the line endings differ (CRLF / LF)"
    return "Only the line break at the end differs"


def _unix_endings(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
