"""The code editor's text and positions in the file's terms (a mixin of ``CodeEditor``): as
Scintilla holds it, or, in rows mode (ui/editor_rows.py), as the file the display text shows.
Offsets are UTF-8 bytes of the file; lines are 1-based.
"""
from __future__ import annotations

import ctypes

from PySide6.QtWidgets import QWidget


class FileText:
    """Text, positions, selection, undo and navigation of a CodeEditor, in the file's terms."""

    def text(self) -> str:
        if self._loading is not None and self.rows is None:
            return self._loading
        return self.text_bytes().decode("utf-8")

    def text_bytes(self) -> bytes:
        """The file's text (UTF-8): as Scintilla stores it, without a copy through Qt (in rows
        mode, the file's own bytes, without the display breaks)."""
        if self.rows is not None:
            return bytes(self.rows.text.file)
        length = self.length()
        return ctypes.string_at(self.characterPointer(), length) if length else b""

    def text_length(self) -> int:
        """The file's length in bytes."""
        return len(self.rows.text.file) if self.rows is not None else self.length()

    def text_range(self, start: int, end: int) -> str:
        """The text between two byte positions of the file."""
        if self.rows is not None:
            return self.rows.text.file[max(0, start):max(0, end)].decode("utf-8", "replace")
        return bytes(self.textRange(start, end)).decode("utf-8", "replace")

    def line_text(self, line: int) -> str:
        """Line ``line`` (1-based) of the file, without its line ending."""
        if self.rows is not None:
            start = self.rows.text.offset_of(line)
            return self.text_range(start, self.rows.text.line_end(start))
        line0 = line - 1
        return self.text_range(self.positionFromLine(line0), self.lineEndPosition(line0))

    def line_count(self) -> int:
        """The file's number of lines."""
        return self.rows.text.line_count() if self.rows is not None else self.lineCount()

    def selected_text(self) -> str:
        return self.text_range(*self.selection_range())

    # -- the file's positions (the display's differ in rows mode: ui/editor_rows.py) ----------------
    def display_position(self, offset: int) -> int:
        """Scintilla's position of file byte ``offset``."""
        return self.rows.text.to_display(offset) if self.rows is not None else offset

    def file_position(self, position: int) -> int:
        """The file byte offset of Scintilla's ``position``."""
        return self.rows.text.to_file(position) if self.rows is not None else position

    def file_line_of(self, offset: int) -> int:
        """The file's line (1-based) holding file byte ``offset``."""
        if self.rows is not None:
            return self.rows.text.point(min(offset, len(self.rows.text.file)))[0] + 1
        return self.lineFromPosition(offset) + 1

    def _display_line0(self, line: int) -> int:
        return self.rows.display_line(line) if self.rows is not None else line - 1

    def _file_line(self, display_line0: int) -> int:
        return self.rows.file_line(display_line0) if self.rows is not None else display_line0 + 1

    def selection_range(self) -> tuple[int, int]:
        """The main selection as file byte offsets (start <= end)."""
        if self.rows is not None:
            return self.rows.selection()
        return self.selectionStart(), self.selectionEnd()

    def select_range(self, start: int, end: int) -> None:
        """Select the file's [start, end) and scroll it into view."""
        if self.rows is not None:
            self.rows.select(start, end)
        else:
            self.setSel(start, end)
        self.scrollRange(self.currentPos(), self.anchor())

    def replace_range(self, start: int, end: int, text: str) -> None:
        """Replace the file's [start, end) with ``text`` (one undoable step, or part of the
        open undo action)."""
        if self.rows is not None:
            self.rows.replace(start, end, text.encode("utf-8"))
            return
        self.setTargetRange(start, end)
        self.replaceTarget(len(text.encode("utf-8")), text)

    def fill_indicator(self, indicator: int, start: int, end: int) -> None:
        """Draw ``indicator`` under the file's [start, end)."""
        self.setIndicatorCurrent(indicator)
        if self.rows is not None:
            text = self.rows.text
            start, end = text.to_display(start), text.to_display_end(end) if end > start else text.to_display(start)
        self.indicatorFillRange(start, end - start)

    # -- undo (Python callers; in rows mode the editor's own, ui/editor_rows.py) ---------------------
    def beginUndoAction(self) -> None:
        if self.rows is not None:
            self.rows.begin_group()
        else:
            super().beginUndoAction()

    def endUndoAction(self) -> None:
        if self.rows is not None:
            self.rows.end_group()
        else:
            super().endUndoAction()

    def undo(self) -> None:
        self.rows.undo() if self.rows is not None else super().undo()

    def redo(self) -> None:
        self.rows.redo() if self.rows is not None else super().redo()


    # -- navigation ---------------------------------------------------------------------------
    def go_to_line(self, line: int, column: int = 1) -> None:
        """Caret to ``line``:``column`` (1-based; the column in characters: a tab or an emoji is one)."""
        if self.rows is not None:
            position = self.rows.text.to_display(self.rows.text.offset_of(line, column))
            self.ensureVisibleEnforcePolicy(self.lineFromPosition(position))
            self.gotoPos(position)
            self.take_focus()
            return
        line0 = max(0, min(line - 1, self.lineCount() - 1))
        start, end = self.positionFromLine(line0), self.lineEndPosition(line0)
        position = min(self.positionRelative(start, max(0, column - 1)), end)
        if position < start:   # past the document's end
            position = end
        self.ensureVisibleEnforcePolicy(line0)
        self.gotoPos(position)
        self.take_focus()

    def go_to_offset(self, offset: int) -> None:
        """Caret to the file's byte ``offset``."""
        position = self.display_position(max(0, min(offset, self.text_length())))
        self.ensureVisibleEnforcePolicy(self.lineFromPosition(position))
        self.gotoPos(position)
        self.take_focus()

    def take_focus(self) -> None:
        """Keyboard focus for this widget (ScintillaEdit.setFocus is Scintilla's own SCI_SETFOCUS)."""
        QWidget.setFocus(self)

    def cursor_line_column(self) -> tuple[int, int]:
        """The caret's line and column, 1-based, the column in characters (as problems count)."""
        position = self.currentPos()
        if self.rows is not None:
            return self.rows.text.line_column(self.rows.text.to_file(position))
        line0 = self.lineFromPosition(position)
        return line0 + 1, self.countCharacters(self.positionFromLine(line0), position) + 1
