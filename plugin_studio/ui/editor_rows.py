"""A file with a line longer than 10,000 characters, shown in rows (``models.display_rows``).

Scintilla holds the display text (the file's text with display breaks) and is read-only: every
edit comes through here, in the file's terms, so nothing Scintilla does on its own (a key, a drop,
its own undo, which would re-insert a deleted break as a real line end) can change the file. The
editor's text, positions, lines, undo/redo, copy and the dirty state are the file's; line
numbers in the margin are the file's, a continuation row marked ↪.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QApplication, QToolTip

from plugin_studio.models.display_rows import (
    LONG_LINE_CHARS, ROW_MAX_BYTES, RowedText, display_chunks, line_chars, long_lines, row_breaks, rowed,
    word_end, word_start,
)
from plugin_studio.models.syntax.rows import token_boundary
from plugin_studio.models.syntax.tree import Edit
from plugin_studio.ui.editor_editing import PAIRS

SC_MARGIN_RTEXT, SC_MARGIN_NUMBER = 5, 1
SC_POPUP_NEVER, SC_POPUP_ALL = 0, 1
CONTINUATION = "↪"
CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, \
    Qt.KeyboardModifier.AltModifier
EOL = {0: b"\r\n", 1: b"\r", 2: b"\n"}
LOAD_CHUNK_BYTES = 1_000_000   # of the file per event-loop pass while loading (~25 ms for a 10 MB line)


@dataclass
class FileEdit:
    """One change of the file: ``old`` at ``start`` became ``new`` (bytes)."""
    start: int
    old: bytes
    new: bytes


class Rows(QObject):
    """Rows mode of one CodeEditor: the file (``text``), its breaks, edits and undo."""

    def __init__(self, editor, source: bytes, line_margin: int, line_style: int):
        super().__init__(editor)
        self.editor = editor
        self.text = RowedText(source)   # its breaks come as the display text is loaded (load_chunk)
        self._chunks = display_chunks(source, LOAD_CHUNK_BYTES)
        self.undo_steps: list[list[FileEdit]] = []
        self.redo_steps: list[list[FileEdit]] = []
        self._group: list[FileEdit] | None = None
        self._group_depth = 0
        self._typing = False          # the last step is typing that the next typed character extends
        self._saved = source
        self._dirty = False
        self._margin, self._line_style = line_margin, line_style
        self._tokens_placed = False   # breaks placed at token boundaries (after the first parse)
        self._entered = False
        self._long_rows = False       # an edit left a row longer than ROW_MAX_BYTES
        self._labels: dict[int, str] = {}   # the margin's labels set, by display line

    # -- the mode ------------------------------------------------------------------------------
    def load_chunk(self) -> bool:
        """Append the next chunk of the display text (breaks placed lexically; the first parse
        moves them to token boundaries); True while more is to come."""
        breaks, display = next(self._chunks, ([], b""))
        self.text.breaks.extend(breaks)
        if display:
            self.editor.appendText(len(display), display.decode("utf-8"))
        return len(self.text.breaks) + len(self.text.file) > self.editor.length()

    def enter(self) -> None:
        editor = self.editor
        editor.setUndoCollection(False)
        editor.emptyUndoBuffer()
        editor.setReadOnly(True)
        editor.setMultipleSelection(False)
        editor.usePopUp(SC_POPUP_NEVER)
        editor.setMarginTypeN(self._margin, SC_MARGIN_RTEXT)
        self.relabel()
        editor.highlighter.tree_updated.connect(self._after_parse)
        editor.updateUi.connect(self._label_visible)
        self._entered = True

    def leave(self) -> None:
        editor = self.editor
        if not self._entered:
            return
        editor.highlighter.tree_updated.disconnect(self._after_parse)
        editor.updateUi.disconnect(self._label_visible)
        editor.setReadOnly(False)
        editor.setUndoCollection(True)
        editor.setMultipleSelection(True)
        editor.usePopUp(SC_POPUP_ALL)
        editor.marginTextClearAll()
        editor.setMarginTypeN(self._margin, SC_MARGIN_NUMBER)

    def notice(self) -> str:
        found = long_lines(self.text.file)
        if found:
            start, end = found[0]
            line = self.text.file.count(b"\n", 0, start) + 1
            chars = line_chars(self.text.file, start, end)
            shown = f"Line {line} has {chars:,} characters: shown in rows; the file keeps its lines."
        else:
            shown = "Long lines are shown in rows; the file keeps its lines."
        return shown + " Line commands, folding, completion and bracket auto-close are off in this file."

    # -- positions -------------------------------------------------------------------------------
    def file_line(self, display_line0: int) -> int:
        """The file's line (1-based) shown on display line ``display_line0`` (0-based)."""
        start = self.editor.positionFromLine(display_line0)
        return display_line0 - self.text.breaks_before(start) + 1

    def display_line(self, file_line: int) -> int:
        """The display line (0-based) where file line ``file_line`` (1-based) starts."""
        return self.editor.lineFromPosition(self.text.to_display(self.text.offset_of(file_line)))

    def selection(self) -> tuple[int, int]:
        """The main selection in file offsets (of a rectangular one, its main row's part)."""
        editor = self.editor
        main = editor.mainSelection()
        start, end = editor.selectionNStart(main), editor.selectionNEnd(main)
        return self.text.to_file(start), self.text.to_file(end)

    def select(self, start: int, end: int) -> None:
        self.editor.setSel(self.text.to_display(start), self.text.to_display_end(end) if end > start
                           else self.text.to_display(end))

    # -- edits -------------------------------------------------------------------------------------
    def replace(self, start: int, end: int, new: bytes, *, typing: bool = False, at: int | None = None) -> None:
        """The file's [start, end) becomes ``new``: one undoable step (or part of the open group);
        the caret goes after ``new``. ``at``: the display offset of an insertion (the end of a row
        and the start of the next are the same file offset)."""
        old = bytes(self.text.file[start:end])
        self._apply(start, end, new, at if start == end else None)
        step = FileEdit(start, old, new)
        self.redo_steps.clear()
        if self._group is not None:
            self._group.append(step)
        elif not (typing and self._typing and self.undo_steps and self._merge(self.undo_steps[-1][-1], step)):
            self.undo_steps.append([step])
        self._typing = typing and b"\n" not in new
        self._changed()

    @staticmethod
    def _merge(last: FileEdit, step: FileEdit) -> bool:
        """Join ``step`` to ``last`` when it continues it, as Scintilla groups undo: typing on,
        Backspace back, Delete forward. False when it does not."""
        if not step.old and not last.old and step.start == last.start + len(last.new):
            last.new += step.new
        elif not step.new and not last.new and step.start + len(step.old) == last.start:
            last.start, last.old = step.start, step.old + last.old
        elif not step.new and not last.new and step.start == last.start:
            last.old += step.old
        else:
            return False
        return True

    def begin_group(self) -> None:
        self._group_depth += 1
        if self._group is None:
            self._group = []

    def end_group(self) -> None:
        self._group_depth = max(0, self._group_depth - 1)
        if self._group_depth == 0 and self._group is not None:
            if self._group:
                self.undo_steps.append(self._group)
            self._group = None
            self._typing = False

    def undo(self) -> None:
        if self.undo_steps:
            step = self.undo_steps.pop()
            for edit in reversed(step):
                self._apply(edit.start, edit.start + len(edit.new), edit.old)
            self.redo_steps.append(step)
            self._typing = False
            self._changed()

    def redo(self) -> None:
        if self.redo_steps:
            step = self.redo_steps.pop()
            for edit in step:
                self._apply(edit.start, edit.start + len(edit.old), edit.new)
            self.undo_steps.append(step)
            self._typing = len(step) == 1   # as in Scintilla, typing on continues a redone edit
            self._changed()

    def _apply(self, start: int, end: int, new: bytes, at: int | None = None) -> None:
        """Replace the file's [start, end) and the display text it shows as; nothing recorded."""
        text, editor = self.text, self.editor
        display_start = text.to_display(start) if at is None else at
        display_end = text.to_display_end(end) if end > start else display_start
        rows_before = editor.lineCount()
        # The file's row from Scintilla's line index: counting line ends in a 10 MB line takes ~5 ms.
        start_point = (self.file_line(editor.lineFromPosition(display_start)) - 1, start - text.line_start(start))
        old_end_point = text.advance(start_point, bytes(text.file[start:end]))
        text.replace_display(display_start, display_end, new)
        with self.writable():
            editor.setTargetRange(display_start, display_end)
            editor.replaceTarget(len(new), new.decode("utf-8"))
        editor.highlighter.file_edited(Edit(start, end, start + len(new), start_point, old_end_point,
                                            text.advance(start_point, new)))
        editor.marks.edited(start, end - start, len(new))
        self._tidy_breaks(start + len(new))
        self._tidy_breaks(start)
        editor.setEmptySelection(text.to_display_end(start + len(new)))
        editor.chooseCaretX()
        editor.scrollCaret()
        if editor.lineCount() != rows_before or b"\n" in new:
            self.relabel()
        first, last = editor.lineFromPosition(display_start), editor.lineFromPosition(display_start + len(new))
        if any(editor.lineLength(row) > ROW_MAX_BYTES for row in range(first, last + 1)):
            self._long_rows = True
            self._break_long_rows(after_parse=False)

    def _tidy_breaks(self, offset: int) -> None:
        """Remove the breaks an edit left at a line's start or end, or beside another."""
        for index in self.text.misplaced_breaks(offset):
            display = self.text.remove_break(index)
            with self.writable():
                self.editor.setTargetRange(display, display + 1)
                self.editor.replaceTarget(0, "")

    def writable(self):
        return _Writable(self.editor)

    def _changed(self) -> None:
        dirty = self.text.file != self._saved
        if dirty != self._dirty:
            self._dirty = dirty
            self.editor.dirty_changed.emit(dirty)

    def is_dirty(self) -> bool:
        return self._dirty

    def mark_saved(self) -> None:
        self._saved = bytes(self.text.file)
        self._changed()

    # -- breaking rows ----------------------------------------------------------------------------
    def _after_parse(self) -> None:
        if self._long_rows or not self._tokens_placed:
            self._break_long_rows(after_parse=True)

    def _break_long_rows(self, after_parse: bool) -> None:
        """Rows longer than ROW_MAX_BYTES in a long line get breaks; at the first parse, every long
        line's breaks move to token boundaries (they were placed lexically before it)."""
        document = self.editor.highlighter.document
        tree = document.tree if document is not None and document.up_to_date else None
        if document is not None and tree is None:
            return   # wait for the parse: a break must not fall inside a string
        boundary = token_boundary(tree) if tree is not None else None
        self._long_rows = False
        if after_parse and not self._tokens_placed:
            self._tokens_placed = True
            self.relayout(boundary)
            return
        file = bytes(self.text.file)
        added = False
        for line_start, line_end in long_lines(file):
            edges = [line_start] + [p for p in self.text.breaks if line_start < p < line_end] + [line_end]
            for a, b in zip(edges, edges[1:]):
                if b - a > ROW_MAX_BYTES:
                    for p in row_breaks(file, a, b, boundary):
                        added |= self._insert_break(p)
        if added:
            self.relabel()

    def _insert_break(self, offset: int) -> bool:
        display = self.text.add_break(offset)
        if display is None:
            return False
        with self.writable():
            self.editor.insertText(display, "\n")
        return True

    def relayout(self, boundary) -> None:
        """Break every long line afresh (``boundary``: token boundaries, or None), keeping the
        caret, selection, scroll position, markers and styles in the file's terms."""
        editor, text = self.editor, self.text
        breaks = rowed(bytes(text.file), boundary).breaks
        if breaks == text.breaks:
            return
        anchor, caret = text.to_file(editor.anchor()), text.to_file(editor.currentPos())
        top_offset = text.to_file(editor.positionFromLine(editor.docLineFromVisible(editor.firstVisibleLine())))
        markers = editor.file_markers()
        text.breaks = breaks
        with self.writable():
            editor.setText(text.display_bytes().decode("utf-8"))
        editor.setSel(text.to_display(anchor), text.to_display(caret))
        editor.setFirstVisibleLine(editor.visibleFromDocLine(editor.lineFromPosition(text.to_display(top_offset))))
        editor.restore_file_markers(markers)
        editor.marks.redraw()
        self.relabel()

    # -- the margin ------------------------------------------------------------------------------
    def relabel(self) -> None:
        """The rows changed: label the visible ones afresh (the others as they come into view)."""
        self._labels: dict[int, str] = {}
        self.editor.marginTextClearAll()
        self._label_visible()

    def _label_visible(self, *_updated) -> None:
        """The file's line numbers on the rows on screen (↪ on a continuation row); a label is
        set only where it changes, so labelling never repaints in a loop."""
        editor = self.editor
        first = editor.docLineFromVisible(editor.firstVisibleLine())
        for row in range(first, min(editor.lineCount(), first + editor.linesOnScreen() + 2)):
            start = editor.positionFromLine(row)
            label = CONTINUATION if start and self.text.is_break(start - 1) else str(self.file_line(row))
            if self._labels.get(row) != label:
                self._labels[row] = label
                editor.marginSetText(row, label)
                editor.marginSetStyle(row, self._line_style)

    # -- keys ------------------------------------------------------------------------------------
    def key_pressed(self, event) -> bool:
        """Handle an editing key here; False leaves it to Scintilla (moving, selecting: its edits
        are refused, the document being read-only to it)."""
        key, mods = event.key(), event.modifiers() & (CTRL | SHIFT | ALT)
        action = self._shortcut(key, mods)
        if action is not None:
            action()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods & (CTRL | ALT):
            self.new_line()
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and mods in (CTRL, Qt.KeyboardModifier.NoModifier):
            self.delete(backwards=key == Qt.Key.Key_Backspace, word=mods == CTRL)
        elif key == Qt.Key.Key_Backspace and mods == SHIFT:
            self.delete(backwards=True)
        elif key == Qt.Key.Key_Tab and not mods:
            self.indent()
        elif event.text() and event.text().isprintable() and not mods & (CTRL | ALT):
            self.type_text(event.text())
        else:
            return False
        return True

    def _shortcut(self, key, mods):
        table = {(Qt.Key.Key_Z, CTRL): self.undo, (Qt.Key.Key_Y, CTRL): self.redo,
                 (Qt.Key.Key_Z, CTRL | SHIFT): self.redo, (Qt.Key.Key_C, CTRL): self.copy,
                 (Qt.Key.Key_Insert, CTRL): self.copy, (Qt.Key.Key_X, CTRL): self.cut,
                 (Qt.Key.Key_Delete, SHIFT): self.cut, (Qt.Key.Key_V, CTRL): self.paste,
                 (Qt.Key.Key_Insert, SHIFT): self.paste}
        return table.get((key, mods))

    def type_text(self, typed: str, typing: bool = True) -> None:
        """``typed`` replaces the selection (``typing``: joins the previous typing's undo step)."""
        start, end = self.selection()
        self.replace(start, end, typed.encode("utf-8"), typing=typing and start == end, at=self.editor.currentPos())

    def _with_files_line_ends(self, text: str) -> str:
        eol = EOL[self.editor.eOLMode()].decode()
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", eol)

    def new_line(self) -> None:
        """Enter, as in the plain editor (``Editing.new_line``): the file's own line ending, the
        line's indentation, one level more after an opener, a closer beside it on its own line."""
        start, end = self.selection()
        file, eol = self.text.file, EOL[self.editor.eOLMode()]
        line_start = self.text.line_start(start)
        line = file[line_start:self.text.line_end(start)]
        indent = bytes(line[:len(line) - len(line.lstrip(b" \t"))])
        unit = b"\t" if self.editor.useTabs() else b" " * self.editor.indent()
        before, after = file[start - 1:start] if start else b"", file[end:end + 1]
        if before and before in b"([{" and PAIRS.get(before.decode()) == after.decode():
            self.replace(start, end, eol + indent + unit + eol + indent)
            self.editor.setEmptySelection(self.text.to_display_end(start + len(eol + indent + unit)))
        else:
            self.replace(start, end, eol + indent + (unit if before and before in b"([{" else b""))

    def indent(self) -> None:
        """Tab: one indentation unit at the caret; indenting selected lines is a line command."""
        start, end = self.selection()
        if start != end:
            self.refuse("Indenting a selection")
            return
        self.type_text(" " * self.editor.indent() if not self.editor.useTabs() else "\t")

    def delete(self, backwards: bool, word: bool = False) -> None:
        """Backspace/Delete: the selection, or the file's character (``word``: word) beside the
        caret; never a break."""
        start, end = self.selection()
        single = start == end and not word   # a run of single deletions is one undo step
        if start == end and word:
            start, end = (word_start(self.text.file, start), start) if backwards else \
                (start, word_end(self.text.file, start))
        elif start == end:
            start, end = (self._previous(start), start) if backwards else (start, self._next(start))
        if end > start:
            self.replace(start, end, b"", typing=single)

    def _previous(self, offset: int) -> int:
        file = self.text.file
        if offset >= 2 and file[offset - 2:offset] == b"\r\n":
            return offset - 2
        offset = max(0, offset - 1)
        while offset > 0 and 0x80 <= file[offset] < 0xC0:
            offset -= 1
        return offset

    def _next(self, offset: int) -> int:
        file = self.text.file
        if file[offset:offset + 2] == b"\r\n":
            return offset + 2
        offset = min(len(file), offset + 1)
        while offset < len(file) and 0x80 <= file[offset] < 0xC0:
            offset += 1
        return offset

    def copy(self) -> None:
        start, end = self.selection()
        if end > start:
            QApplication.clipboard().setText(self.text.file[start:end].decode("utf-8", "replace"))

    def cut(self) -> None:
        start, end = self.selection()
        if end > start:
            self.copy()
            self.replace(start, end, b"")

    def paste(self) -> None:
        pasted = QApplication.clipboard().text()
        if pasted:
            self.type_text(self._with_files_line_ends(pasted), typing=False)

    def dropped(self, event) -> None:
        """Text dropped from elsewhere is typed at the drop point (in the file's terms)."""
        editor = self.editor
        point = event.position().toPoint()
        dropped = event.mimeData().text() if event.mimeData().hasText() else ""
        if dropped:
            editor.setEmptySelection(editor.positionFromPoint(point.x(), point.y()))
            self.type_text(self._with_files_line_ends(dropped), typing=False)
        event.acceptProposedAction()

    def mouse_pressed(self, event) -> None:
        """A press inside the selection would start dragging the display text (breaks and all):
        the selection goes first."""
        editor = self.editor
        point = event.position().toPoint()
        position = editor.positionFromPoint(point.x(), point.y())
        if not event.modifiers() & SHIFT and editor.selectionStart() <= position < editor.selectionEnd():
            editor.setEmptySelection(position)

    def refuse(self, what: str) -> None:
        """Say at the caret that ``what`` is off in this file."""
        editor = self.editor
        position = editor.currentPos()
        point = QPoint(editor.pointXFromPosition(position), editor.pointYFromPosition(position))
        QToolTip.showText(editor.mapToGlobal(point), f"{what} is off in a file shown in rows "
                                                     f"(a line longer than {LONG_LINE_CHARS:,} characters)", editor)


class _Writable:
    """Lets the rows code (and only it) change Scintilla's read-only display text."""

    def __init__(self, editor):
        self.editor = editor

    def __enter__(self):
        self.editor.setReadOnly(False)

    def __exit__(self, *_exc):
        self.editor.setReadOnly(True)
