"""Highlighting for the code editor: Scintilla's container-lexer requests answered from a
tree-sitter tree kept in step with every edit (``models.syntax``).

Scintilla reports each insertion and deletion (``modified``); the tree and the style cache follow
it at once, and the tree is reparsed incrementally in slices of a few milliseconds, so a keystroke
never waits for the whole document. ``styleNeeded`` is answered from the style cache, highlighting
afresh only what is stale and on screen. Files above ``MAX_PARSED_BYTES`` are shown as plain text,
and the editor says so (``notice``).
"""
from __future__ import annotations

import ctypes

from PySide6.QtCore import QObject, QTimer, Signal

from plugin_studio.models.syntax.grammars import grammar_for
from plugin_studio.models.syntax.highlight import highlight_range
from plugin_studio.models.syntax.styling import StyleCache
from plugin_studio.models.syntax.tree import Edit, SyntaxDocument

# Above this a document is plain text: a tree of 2 MB of JavaScript takes ~0.8 s of parsing and
# ~60 MB; typing stays fast either way (see tests/perf/test_editor_perf.py).
MAX_PARSED_BYTES = 2 * 1024 * 1024
SLICE_S = 0.008              # one slice of background parsing
FIRST_PARSE_S = 0.016        # a new document is parsed this long before its first paint
PARSE_DELAY_MS = 4           # after an edit, the paint comes first and the reparse right after
FRESH_LIMIT = 32 * 1024      # requests up to this size are highlighted whole
LONG_LINE = 8 * 1024         # lines longer than this are highlighted around what is visible
LONG_LINE_MARGIN = 2 * 1024

SC_MOD_INSERTTEXT, SC_MOD_DELETETEXT, SC_MOD_BEFOREDELETE = 0x1, 0x2, 0x800
EDIT_EVENTS = SC_MOD_INSERTTEXT | SC_MOD_DELETETEXT | SC_MOD_BEFOREDELETE
SC_UPDATE_V_SCROLL, SC_UPDATE_H_SCROLL = 0x4, 0x8


class SyntaxHighlighter(QObject):
    """Keeps ``editor``'s styles (Highlight values as style numbers) in step with its text."""

    notice_changed = Signal(str)   # "" or why highlighting is reduced
    tree_updated = Signal()        # a parse completed: folding, outline and problems may follow

    def __init__(self, editor):
        super().__init__(editor)
        self.editor = editor
        self.document: SyntaxDocument | None = None
        self.cache = StyleCache()
        self.notice = ""
        self._language = "text"
        self._suspended = False
        self._announced = -1           # the parse generation tree_updated was last emitted for
        self._pending_delete: tuple[int, tuple[int, int]] | None = None
        self._slices = QTimer(self, singleShot=True, interval=PARSE_DELAY_MS)
        self._slices.timeout.connect(self._parse_slice)
        editor.setModEventMask(EDIT_EVENTS)
        editor.modified.connect(self._on_modified)
        editor.styleNeeded.connect(self._on_style_needed)
        editor.updateUi.connect(self._on_update_ui)
        editor.painted.connect(self.refresh_visible)   # text shown without a scroll (resize, unfold)

    def is_current(self) -> bool:
        """True when the tree and the styles on screen follow the last edit (nothing scheduled)."""
        return self.document is None or (self.document.up_to_date and not self._slices.isActive())

    # -- language and text ----------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self._language = language
        self.reset()

    def suspend(self) -> None:
        """Ignore edits until ``reset`` (the editor is loading a large text in chunks)."""
        self._suspended = True
        self.document = None
        self._slices.stop()
        self.editor.setModEventMask(0)   # no notification (with a copy of each chunk) per append

    def reset(self) -> None:
        """The whole text changed (or the language): start over."""
        self._suspended = False
        self._announced = -1
        self.editor.setModEventMask(EDIT_EVENTS)
        length = self._length()
        grammar = grammar_for(self._language)
        self.cache.reset(length)
        too_big = grammar is not None and length > MAX_PARSED_BYTES
        self.document = None if grammar is None or too_big else SyntaxDocument(grammar, self.read, self._length)
        notices = [self.editor.rows.notice()] if self.editor.rows is not None else []
        if too_big:
            notices.append(f"Large file ({length / 1048576:.1f} MB): highlighting, folding and problems are off "
                           f"above {MAX_PARSED_BYTES // 1048576} MB")
        self._set_notice(" ".join(notices))
        if self.document is not None:
            self.document.reset()
            self.document.parse(FIRST_PARSE_S)   # small files are coloured on their first paint
            self._slices.start()
        self.editor.startStyling(0, 0)   # everything is requested again

    def read(self, offset: int, length: int) -> bytes:
        """The file's bytes [offset, offset + length), read from Scintilla's buffer (in rows
        mode, from the file the rows show: ui/editor_rows.py)."""
        if length <= 0:
            return b""
        if self.editor.rows is not None:
            return bytes(self.editor.rows.text.file[offset:offset + length])
        return ctypes.string_at(self.editor.rangePointer(offset, length), length)

    def _length(self) -> int:
        return self.editor.text_length()

    # Highlighting works in the file's byte offsets; Scintilla's positions differ in rows mode.
    def _file(self, position: int) -> int:
        rows = self.editor.rows
        return position if rows is None else rows.text.to_file(position)

    def _set_notice(self, notice: str) -> None:
        if notice != self.notice:
            self.notice = notice
            self.notice_changed.emit(notice)

    # -- edits -----------------------------------------------------------------------------------
    def _point(self, position: int) -> tuple[int, int]:
        line = self.editor.lineFromPosition(position)
        return line, position - self.editor.positionFromLine(line)

    def _on_modified(self, kind: int, position: int, length: int, *_rest) -> None:
        if self._suspended or self.editor.rows is not None:
            return   # in rows mode the edits come in the file's terms (file_edited)
        if kind & SC_MOD_BEFOREDELETE:
            self._pending_delete = (position + length, self._point(position + length))
        elif kind & SC_MOD_DELETETEXT:
            end, end_point = self._pending_delete or (position + length, self._point(position))
            self._pending_delete = None
            start_point = self._point(position)
            self._edited(Edit(position, end, position, start_point, end_point, start_point))
        elif kind & SC_MOD_INSERTTEXT:
            start_point = self._point(position)
            self._edited(Edit(position, position, position + length, start_point, start_point,
                              self._point(position + length)))

    def file_edited(self, edit: Edit) -> None:
        """An edit of the file in rows mode (ui/editor_rows.py)."""
        if not self._suspended:
            self._edited(edit)

    def _edited(self, edit: Edit) -> None:
        self.cache.edit(edit.start_byte, edit.old_end_byte, edit.new_end_byte)
        if self.document is None:
            return
        if self._length() > MAX_PARSED_BYTES:
            self.reset()
            return
        self.document.edit(edit)
        self._slices.start()

    # -- parsing in slices -----------------------------------------------------------------------
    def _parse_slice(self) -> None:
        if self.document is None:
            return
        if self.document.up_to_date and self.document.generation == self._announced:
            self.refresh_visible()
            return
        if not self.document.parse(SLICE_S):
            self._slices.start(0)
            return
        self._after_parse()
        self._slices.setInterval(PARSE_DELAY_MS)

    def _after_parse(self) -> None:
        # Any part of the text may read differently now (an opened comment or string reaches far):
        # all of it is stale, and what is on screen is highlighted afresh (~1 ms a screen). This is
        # cheaper than Tree.changed_ranges, which walks both trees (10-20 ms at 1 MB).
        self.cache.mark_stale(0, len(self.cache.styles))
        self.refresh_visible()
        self._announced = self.document.generation
        self.tree_updated.emit()

    # -- styling -------------------------------------------------------------------------------
    def _on_style_needed(self, position: int) -> None:
        start = self.editor.endStyled()
        end = max(position, start)
        if self._suspended:
            self.editor.startStyling(start, 0)
            self.editor.setStylingEx(end - start, "\0" * (end - start))
            return
        # The tree may lag the text by the last keystroke or two (the reparse follows the paint):
        # its positions follow every edit, and the reparse then restyles what is on screen. Only
        # what is on screen is highlighted afresh: Scintilla also asks far ahead (setting fold
        # levels styles the document down to each line), and that text gets the cached styles,
        # refreshed when it is painted (``painted``). A request beyond FRESH_LIMIT (a long line,
        # a jump) gets the cached styles now and fresh ones once the event loop is free, so the
        # paint never waits for them.
        start, end = self._file(start), self._file(end)
        if end - start <= FRESH_LIMIT:
            if self._may_be_visible(start, end):
                for a, b in self._visible_windows(start, end):
                    self._highlight(a, b)
        else:
            self._slices.start()
        self._apply(start, end)

    def _on_update_ui(self, updated: int) -> None:
        if updated & (SC_UPDATE_V_SCROLL | SC_UPDATE_H_SCROLL):
            self.refresh_visible()

    def refresh_visible(self) -> None:
        """Highlight afresh what is on screen and stale, and hand it to Scintilla."""
        if self.document is None or self.document.tree is None:
            return
        styled_end = self._file(self.editor.endStyled())
        for a, b in self._visible_windows(0, styled_end):
            for s, e in self.cache.stale_within(a, b):
                self._highlight(s, e)
                self._apply(s, e)

    def _highlight(self, start: int, end: int) -> None:
        document = self.document
        if document is None or document.tree is None:
            return
        for a, b in self.cache.stale_within(start, end):
            self.cache.write(a, highlight_range(document.grammar, document.tree, a, b, document.text))

    def _apply(self, start: int, end: int) -> None:
        end = min(end, len(self.cache.styles))
        if end > start:
            styles = self.cache.styles[start:end]
            if self.editor.rows is not None:   # a break between rows has the default style
                start, styles = self.editor.rows.text.spread(start, end, styles)
            self.editor.startStyling(start, 0)
            # Style numbers are below 32, so the latin-1 text is the style bytes themselves.
            self.editor.setStylingEx(len(styles), styles.decode("latin-1"))

    def _may_be_visible(self, start: int, end: int) -> bool:
        """Whether [start, end) meets the lines on screen (a quick test before ``_visible_windows``)."""
        editor = self.editor
        first = editor.docLineFromVisible(editor.firstVisibleLine())
        last = editor.docLineFromVisible(editor.firstVisibleLine() + editor.linesOnScreen() + 1)
        return start < self._file(editor.lineEndPosition(last)) and end > self._file(editor.positionFromLine(first))

    def _visible_windows(self, start: int, end: int) -> list[tuple[int, int]]:
        """The byte ranges on screen within [start, end); a long line only around its visible part."""
        editor = self.editor
        first = editor.docLineFromVisible(editor.firstVisibleLine())
        last = editor.docLineFromVisible(editor.firstVisibleLine() + editor.linesOnScreen() + 1)
        windows: list[tuple[int, int]] = []
        for line in range(first, min(last, editor.lineCount() - 1) + 1):
            a, b = editor.positionFromLine(line), editor.lineEndPosition(line)
            if b - a > LONG_LINE:
                a, b = self._visible_part(line, a, b)
            a, b = max(self._file(a), start), min(self._file(b), end)
            if b <= a:
                continue
            if windows and a - windows[-1][1] <= 2:   # next line: one window
                windows[-1] = (windows[-1][0], b)
            else:
                windows.append((a, b))
        return windows

    def _visible_part(self, line: int, line_start: int, line_end: int) -> tuple[int, int]:
        editor = self.editor
        y = editor.pointYFromPosition(line_start)
        left = editor.positionFromPoint(0, y)
        right = editor.positionFromPoint(editor.width(), y)
        return max(line_start, left - LONG_LINE_MARGIN), min(line_end, right + LONG_LINE_MARGIN)
