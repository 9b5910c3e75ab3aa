"""The code editor: Scintilla behind intent-level methods; raw Scintilla calls stay in this module
and its ``editor_*`` helpers.

Scintilla here has no Lexilla, so highlighting is a container lexer fed from a tree-sitter tree
(``editor_syntax.SyntaxHighlighter``): style numbers are ``models.syntax.grammars.Highlight`` values.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QMenu, QToolTip
from pyside6_scintilla import ScintillaEdit

from plugin_studio.models.display_rows import has_long_line
from plugin_studio.models.syntax.grammars import Highlight
from plugin_studio.models.syntax.handler import handler_function_line
from plugin_studio.models.syntax.problems import Problem, QuickFix
from plugin_studio.ui import editor_keys, theme
from plugin_studio.ui.editor_assist import CodeAssist
from plugin_studio.ui.editor_editing import Editing, eol_mode_of
from plugin_studio.ui.editor_folding import Folding
from plugin_studio.ui.editor_problems import (
    MARKER_ERROR, MARKER_WARNING, STYLE_ANNOTATION_ERROR, STYLE_ANNOTATION_WARNING, ProblemMarks,
)
from plugin_studio.ui.editor_rows import Rows
from plugin_studio.ui.editor_syntax import SyntaxHighlighter
from plugin_studio.ui.editor_text import FileText


def _bgr(rgb: int) -> int:
    """Scintilla colours are 0xBBGGRR; the palette below is written as the usual 0xRRGGBB."""
    return ((rgb & 0xFF) << 16) | (rgb & 0xFF00) | (rgb >> 16)


# A light palette close to Monaco's default ("Light+"), as 0xRRGGBB.
HIGHLIGHT_COLOURS = {
    Highlight.DEFAULT: 0x1F1F1F, Highlight.KEYWORD: 0x0000FF, Highlight.STRING: 0xA31515,
    Highlight.COMMENT: 0x008000, Highlight.NUMBER: 0x098658, Highlight.OPERATOR: 0x1F1F1F,
    Highlight.FUNCTION: 0x795E26, Highlight.BUILTIN: 0x0070C1, Highlight.TAG: 0x800000,
    Highlight.ATTRIBUTE: 0xE50000, Highlight.ERROR: 0xE51400, Highlight.PROPERTY: 0x001080,
    Highlight.CONSTANT: 0x0070C1, Highlight.TYPE: 0x267F99, Highlight.PUNCTUATION: 0x3B3B3B,
    Highlight.PARAMETER: 0x001080, Highlight.ESCAPE: 0xEE0000, Highlight.HEADING: 0x800000,
    Highlight.EMPHASIS: 0x1F1F1F, Highlight.STRONG: 0x1F1F1F, Highlight.LINK: 0x0451A5, Highlight.CODE: 0xA31515,
}
STYLE_LINE_NUMBER = 33
STYLE_BRACE_MATCH, STYLE_BRACE_BAD, STYLE_INDENT_GUIDE = 34, 35, 37   # Scintilla's STYLE_BRACELIGHT, ...

MARGIN_LINE_NUMBERS, MARGIN_SYMBOLS = 0, 1
MARKER_BREAKPOINT, MARKER_CURRENT, MARKER_BREAKPOINT_UNBOUND = 1, 2, 5

# Scintilla message values used for settings ScintillaEdit has no named method for.
SC_MARK_CIRCLE, SC_MARK_SHORTARROW = 0, 4
SC_MARGIN_NUMBER, SC_MARGIN_COLOUR = 1, 6  # a colour margin is a symbol margin with its own background
SC_MOD_INSERTTEXT, SC_MOD_DELETETEXT = 0x1, 0x2
# A larger text is handed to Scintilla this many characters at a time, one event loop pass each
# (~8 ms per chunk), so opening a 10 MB file never holds the window up.
LOAD_CHUNK_CHARS = 1_000_000


class CodeEditor(FileText, ScintillaEdit):
    """A Scintilla editor that speaks in lines, languages, errors and breakpoints (1-based lines)."""

    dirty_changed = Signal(bool)
    loaded = Signal()                       # the text given to set_text is all in (large texts: in chunks)
    format_requested = Signal()             # Shift+Alt+F: whoever has the JS worker formats the text
    breakpoint_toggled = Signal(int, bool)  # line, now set
    breakpoint_requested = Signal(int)      # the user clicked the margin at this line

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: Rows | None = None   # set while the text has a line shown in rows (editor_rows)
        self._configure_view()
        self.highlighter = SyntaxHighlighter(self)
        self.marks = ProblemMarks(self)
        self.editing = Editing(self)
        self.folding = Folding(self)
        self.assist = CodeAssist(self)
        self._handler_breakpoint: bool | None = None
        self.unbound_reason = ""
        self.highlighter.tree_updated.connect(self._replace_handler_breakpoint)
        self.modified.connect(self._on_text_modified)
        self._loading: str | None = None    # the text set_text is still handing over
        self._loaded_chars = 0
        self._load_timer = QTimer(self, singleShot=True, interval=0)
        self._load_timer.timeout.connect(self._load_next_chunk)
        self.savePointChanged.connect(lambda dirty: self.rows is None and self.dirty_changed.emit(bool(dirty)))
        self.marginClicked.connect(self._on_margin_clicked)
        # Last: the helpers above set their own styles, which the theme then colours.
        theme.follow(self, lambda editor, appearance: editor.set_theme(appearance.editor))

    # -- set-up -------------------------------------------------------------------------------
    def _configure_view(self) -> None:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        family = font.family() or "monospace"
        for style in range(0, 42):
            self.styleSetFont(style, family)
            self.styleSetSize(style, 10)
            # A fixed-width font lets Scintilla place ASCII text without measuring it: a 1 MB line
            # lays out in ~40 ms instead of ~1 s.
            self.styleSetCheckMonospaced(style, True)
        for highlight, colour in HIGHLIGHT_COLOURS.items():
            self.styleSetFore(highlight, _bgr(colour))
        self.styleSetBold(Highlight.HEADING, True)
        self.styleSetBold(Highlight.STRONG, True)
        self.styleSetItalic(Highlight.EMPHASIS, True)
        self.styleSetItalic(Highlight.COMMENT, True)
        self.styleSetFore(STYLE_LINE_NUMBER, 0x909090)
        self.styleSetBack(STYLE_LINE_NUMBER, 0xF4F4F4)
        self.styleSetFore(STYLE_ANNOTATION_ERROR, 0x1010A0)
        self.styleSetBack(STYLE_ANNOTATION_ERROR, 0xE6E6FF)
        self.styleSetFore(STYLE_ANNOTATION_WARNING, _bgr(0x7A5300))
        self.styleSetBack(STYLE_ANNOTATION_WARNING, _bgr(0xFFF6D5))
        self.setMarginTypeN(MARGIN_LINE_NUMBERS, SC_MARGIN_NUMBER)
        self.setMarginWidthN(MARGIN_LINE_NUMBERS, self.textWidth(33, "_99999"))
        self.setMarginTypeN(MARGIN_SYMBOLS, SC_MARGIN_COLOUR)
        self.setMarginWidthN(MARGIN_SYMBOLS, 16)
        self.setMarginSensitiveN(MARGIN_SYMBOLS, True)
        self.setMarginSensitiveN(MARGIN_LINE_NUMBERS, True)
        self.setMarginMaskN(MARGIN_SYMBOLS, (1 << MARKER_BREAKPOINT) | (1 << MARKER_CURRENT) | (1 << MARKER_ERROR)
                            | (1 << MARKER_WARNING) | (1 << MARKER_BREAKPOINT_UNBOUND))
        self._define_markers()
        self.setTabWidth(2)
        self.setIndent(2)
        self.setUseTabs(False)
        self.setCaretLineVisible(True)
        self.setCaretLineBack(0xF7F1EE)
        self.setScrollWidthTracking(True)
        self.setScrollWidth(1)
        self.setCodePage(65001)  # UTF-8

    def set_theme(self, colours) -> None:
        """Colours, font and tab width of a ``ui.theme.EditorTheme`` (colours as 0xRRGGBB), at once."""
        for style in range(0, 42):
            self.styleSetFont(style, colours.font_family)
            self.styleSetSize(style, colours.font_size)
            self.styleSetBack(style, _bgr(colours.background))
            self.styleSetFore(style, _bgr(colours.foreground))
        for highlight in Highlight:
            self.styleSetFore(highlight, _bgr(colours.syntax.get(highlight.name.lower(), colours.foreground)))
        self.styleSetFore(STYLE_LINE_NUMBER, _bgr(colours.line_number))
        self.styleSetBack(STYLE_LINE_NUMBER, _bgr(colours.margin))
        for style, (fore, back) in ((STYLE_ANNOTATION_ERROR, colours.annotation_error),
                                    (STYLE_ANNOTATION_WARNING, colours.annotation_warning)):
            self.styleSetFore(style, _bgr(fore))
            self.styleSetBack(style, _bgr(back))
        self.setMarginBackN(MARGIN_SYMBOLS, _bgr(colours.margin))
        self.setFoldMarginColour(True, _bgr(colours.margin))
        self.setFoldMarginHiColour(True, _bgr(colours.margin))
        self.styleSetFore(STYLE_INDENT_GUIDE, _bgr(colours.indent_guide))
        self.styleSetBack(STYLE_BRACE_MATCH, _bgr(colours.brace_match))
        self.styleSetFore(STYLE_BRACE_BAD, _bgr(colours.syntax.get("error", colours.foreground)))
        self.markerSetBack(MARKER_BREAKPOINT_UNBOUND, _bgr(colours.margin))   # hollow: the margin inside
        self.markerSetBack(MARKER_CURRENT, _bgr(colours.current_line_marker))
        self.setCaretFore(_bgr(colours.caret))
        self.setCaretLineBack(_bgr(colours.caret_line))
        self.setSelBack(True, _bgr(colours.selection))
        self.setMarginWidthN(MARGIN_LINE_NUMBERS, self.textWidth(STYLE_LINE_NUMBER, "_99999"))
        self.setTabWidth(colours.tab_width)
        self.setIndent(colours.tab_width)

    def _define_markers(self) -> None:
        self.markerDefine(MARKER_BREAKPOINT, SC_MARK_CIRCLE)
        self.markerSetFore(MARKER_BREAKPOINT, 0x2020C0)
        self.markerSetBack(MARKER_BREAKPOINT, 0x3030E0)
        self.markerDefine(MARKER_BREAKPOINT_UNBOUND, SC_MARK_CIRCLE)   # hollow: the margin's colour inside
        self.markerSetFore(MARKER_BREAKPOINT_UNBOUND, 0x2020C0)
        self.markerSetBack(MARKER_BREAKPOINT_UNBOUND, 0xF4F4F4)
        self.markerDefine(MARKER_CURRENT, SC_MARK_SHORTARROW)
        self.markerSetFore(MARKER_CURRENT, 0x006080)
        self.markerSetBack(MARKER_CURRENT, 0x40D0FF)
        self.setMarginBackN(MARGIN_SYMBOLS, 0xF4F4F4)

    # -- text ---------------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """``javascript``, ``jsx``, ``css``, ``json``, ``sql``, ``markdown`` or ``text``."""
        self.editing.language = language
        self.highlighter.set_language(language)

    def set_text(self, text: str) -> None:
        """Replace the whole text as a fresh, clean document (no undo back into the old one).

        A text over ``LOAD_CHUNK_CHARS``, or with a line shown in rows (ui/editor_rows.py),
        arrives in chunks: the editor is read-only until ``loaded``, and ``text()`` already
        answers the whole text."""
        self._load_timer.stop()
        self._loading = None
        self.setEOLMode(eol_mode_of(text))   # Enter inserts the line ending the file already uses
        if self._rows_for(text) or len(text) > LOAD_CHUNK_CHARS:
            self._start_loading(text)
            return
        self.setReadOnly(False)
        self.setText(text)
        self._finish_loading()

    def _start_loading(self, text: str) -> None:
        """Hand the text over in chunks, one event-loop pass each (rows mode: the display text,
        broken as it goes)."""
        self._loading, self._loaded_chars = text, 0
        self.highlighter.suspend()
        self.setReadOnly(False)
        self.setUndoCollection(False)
        self.clearAll()
        self._load_next_chunk()

    def _load_next_chunk(self) -> None:
        self.setReadOnly(False)   # the user's keys wait; the loader's own appends may not
        if self.rows is not None:
            more = self.rows.load_chunk()
        else:
            chunk = self._loading[self._loaded_chars:self._loaded_chars + LOAD_CHUNK_CHARS]
            self.appendText(len(chunk.encode("utf-8")), chunk)
            self._loaded_chars += len(chunk)
            more = self._loaded_chars < len(self._loading)
        if more:
            self.setReadOnly(True)
            self._load_timer.start()
            return
        self._loading = None
        self.setUndoCollection(True)
        self._finish_loading()

    def _rows_for(self, text: str) -> bool:
        """Rows mode for a text with a long line (leave it otherwise): True when entered."""
        if self.rows is not None:
            self.rows.leave()
            self.rows.deleteLater()
            self.rows = None
        source = text.encode("utf-8")
        if not has_long_line(source):
            return False
        self.rows = Rows(self, source, MARGIN_LINE_NUMBERS, STYLE_LINE_NUMBER)
        return True

    def _finish_loading(self) -> None:
        self.emptyUndoBuffer()
        self.setSavePoint()
        if self.rows is not None:
            self.rows.enter()
        self.highlighter.reset()
        self.loaded.emit()

    def is_loading(self) -> bool:
        return self._loading is not None

    def replace_text_keeping_undo(self, text: str) -> None:
        """Replace the text as one undoable step (e.g. reload from the server, format document);
        the caret stays on its line."""
        line, column = self.cursor_line_column()
        first_visible = self.firstVisibleLine()
        if self.rows is not None:
            self.rows.replace(0, len(self.rows.text.file), text.encode("utf-8"))
        else:
            self.beginUndoAction()
            self.setText(text)
            self.endUndoAction()
        self.go_to_line(line, column)
        self.setFirstVisibleLine(first_visible)

    def is_crlf(self) -> bool:
        return self.eOLMode() == 0   # SC_EOL_CRLF

    def file_markers(self) -> dict[int, list[int]]:
        """The breakpoint and current-line markers, by the file's lines."""
        return {marker: self._marker_lines(marker)
                for marker in (MARKER_BREAKPOINT, MARKER_CURRENT, MARKER_BREAKPOINT_UNBOUND)}

    def restore_file_markers(self, markers: dict[int, list[int]]) -> None:
        for marker, lines in markers.items():
            for line in lines:
                self.markerAdd(self._display_line0(line), marker)

    def syntax_notice(self) -> str:
        """Why highlighting is reduced for this document ("" when it is not)."""
        return self.highlighter.notice

    def is_dirty(self) -> bool:
        if self.rows is not None:
            return self._loading is None and self.rows.is_dirty()
        return self._loading is None and bool(self.modify())

    def mark_saved(self) -> None:
        if self.rows is not None:
            self.rows.mark_saved()
        self.setSavePoint()

    # -- keys and mouse ------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        command = editor_keys.command_for(event)   # the editor's keys: ui/editor_keys.py
        if self.rows is not None and not self.autoCActive() and self._loading is None:
            if command is not None:
                editor_keys.run(self, command)
            elif not self.rows.key_pressed(event):
                self._move_in_rows(event)
            return
        if command is not None and not (command.edits and (self.autoCActive() or self.readOnly())):
            editor_keys.run(self, command)
        elif self.autoCActive() or self.readOnly() or not self.editing.key_pressed(event):
            super().keyPressEvent(event)   # with the completion list open, its keys are Scintilla's
            if self.autoCActive():
                self.assist.show_documentation()
        elif len(event.text()) == 1:
            self.assist.typed(event.text())   # a pair the editing inserted is typed text too

    def _move_in_rows(self, event) -> None:
        """Moving and selecting are Scintilla's (it may not edit). A break is not a character: a
        Left/Right that only crossed one (the same file offset) moves once more."""
        before = self.currentPos()
        super().keyPressEvent(event)
        after = self.currentPos()
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right) and after != before and \
                self.rows.text.to_file(after) == self.rows.text.to_file(before):
            super().keyPressEvent(event)

    def dropEvent(self, event) -> None:
        if self.rows is not None and self._loading is None:
            self.rows.dropped(event)
            return
        super().dropEvent(event)

    def inputMethodEvent(self, event) -> None:
        if self.rows is not None and self._loading is None:   # composed text (dead keys, CJK) is typed text
            if event.commitString():
                self.rows.type_text(event.commitString())
            event.accept()
            return
        super().inputMethodEvent(event)

    def mousePressEvent(self, event) -> None:
        alt_click = event.modifiers() == Qt.KeyboardModifier.AltModifier and \
            event.button() == Qt.MouseButton.LeftButton
        if alt_click and self.rows is None and event.position().x() > self._margins_width():
            point = event.position().toPoint()
            self.editing.add_caret_at(self.positionFromPoint(point.x(), point.y()))
            return
        if self.rows is not None:
            self.rows.mouse_pressed(event)
        super().mousePressEvent(event)

    def _margins_width(self) -> int:
        return sum(self.marginWidthN(margin) for margin in range(5))

    # -- problems -----------------------------------------------------------------------------
    def show_problems(self, problems: list[Problem], group: str = "check") -> None:
        """Replace the problems of ``group`` (syntax | check | engine | runtime) with ``problems``."""
        self.marks.replace(group, problems)

    def show_error(self, line: int, column: int | None, message: str) -> None:
        """Mark a problem reported as line:column (1-based, the column in characters, as
        ``models.syntax.positions`` counts): squiggle to the line's end, margin mark, message below."""
        runtime = [p for p in self.marks.groups.get("runtime", []) if p.line != line]
        severity = "warning" if message.startswith("⚠") else "error"
        message = message.removeprefix("✖ ").removeprefix("⚠ ")
        self.marks.replace("runtime", runtime + [self.marks.problem_from_line_column(line, column, message, severity)])

    def problems(self) -> list[Problem]:
        return self.marks.all()

    def reset_annotations(self) -> None:
        self.marks.clear()

    def error_lines(self) -> list[int]:
        """Lines (1-based) with a problem of any severity."""
        return self.marks.lines()

    def annotation(self, line: int) -> str:
        return bytes(self.annotationText(line - 1)).decode("utf-8").rstrip("\0")

    def quick_fixes(self, line: int | None = None) -> list[QuickFix]:
        """The quick fixes offered on ``line`` (default: the caret's)."""
        return self.marks.fixes_on_line(line or self.cursor_line_column()[0])

    def apply_fix(self, fix: QuickFix) -> None:
        """Replace the fix's range as one undoable step."""
        self.replace_range(fix.start, fix.end, fix.replacement)

    def offer_quick_fixes(self) -> None:
        """Ctrl+.: the quick fixes of the caret's line in a menu at the caret."""
        fixes = self.quick_fixes()
        if not fixes:
            return
        menu = QMenu(self)
        for fix in fixes:
            menu.addAction(fix.title, lambda f=fix: self.apply_fix(f))
        position = self.currentPos()
        menu.popup(self.mapToGlobal(QPoint(self.pointXFromPosition(position),
                                           self.pointYFromPosition(position) + self.textHeight(0))))

    def _on_text_modified(self, kind: int, position: int, length: int, *_rest) -> None:
        if self.rows is not None:
            return   # the rows code reports the file's edits itself
        if kind & SC_MOD_INSERTTEXT:
            self.marks.edited(position, 0, length)
        elif kind & SC_MOD_DELETETEXT:
            self.marks.edited(position, length, 0)

    # -- breakpoints and the debugger's current line --------------------------------------------
    def set_breakpoint(self, line: int, on: bool = True) -> None:
        line0 = self._display_line0(line)
        has = bool(self.markerGet(line0) & (1 << MARKER_BREAKPOINT))
        if on and not has:
            self.markerAdd(line0, MARKER_BREAKPOINT)
        elif not on and has:
            self.markerDelete(line0, MARKER_BREAKPOINT)
        if on != has:
            self.breakpoint_toggled.emit(line, on)

    def show_handler_breakpoint(self, on: bool) -> None:
        """The debugger's breakpoint on this handler, on the line of its function (placed again as
        the code changes); hollow, with the reason as tooltip, where it cannot bind."""
        self._handler_breakpoint = on
        line, reason = handler_function_line(self.highlighter.document.tree if self.highlighter.document else None)
        self.markerDeleteAll(MARKER_BREAKPOINT_UNBOUND)
        self.unbound_reason = reason if on else ""
        for other in self.breakpoints():
            if not on or other != line or reason:
                self.set_breakpoint(other, False)
        if on and not reason:
            self.set_breakpoint(line, True)
        elif on:
            self.markerAdd(self._display_line0(line or 1), MARKER_BREAKPOINT_UNBOUND)

    def unbound_breakpoints(self) -> list[int]:
        return self._marker_lines(MARKER_BREAKPOINT_UNBOUND)

    def _replace_handler_breakpoint(self) -> None:
        if self._handler_breakpoint is not None:
            self.show_handler_breakpoint(self._handler_breakpoint)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and event.pos().x() < self._margins_width():
            line = self._file_line(self.lineFromPosition(self.positionFromPoint(event.pos().x() + self._margins_width(),
                                                                                event.pos().y())))
            if line in self.unbound_breakpoints():
                QToolTip.showText(event.globalPos(), "Breakpoint not bound: " + self.unbound_reason, self)
                return True
        return super().event(event)

    def toggle_breakpoint(self, line: int | None = None) -> None:
        line = line or self.cursor_line_column()[0]
        self.set_breakpoint(line, line not in self.breakpoints())

    def breakpoints(self) -> list[int]:
        return self._marker_lines(MARKER_BREAKPOINT)

    def set_current_line(self, line: int | None) -> None:
        self.markerDeleteAll(MARKER_CURRENT)
        if line:
            self.markerAdd(self._display_line0(line), MARKER_CURRENT)
            self.go_to_line(line)

    def current_line(self) -> int | None:
        """The line the debugger's arrow is on, or None."""
        lines = self._marker_lines(MARKER_CURRENT)
        return lines[0] if lines else None

    def _marker_lines(self, marker: int) -> list[int]:
        lines, line0 = [], self.markerNext(0, 1 << marker)
        while line0 >= 0:
            lines.append(self._file_line(line0))
            line0 = self.markerNext(line0 + 1, 1 << marker)
        return lines

    def _on_margin_clicked(self, position: int, modifiers, margin: int) -> None:
        # Whoever owns the debugger decides what a breakpoint means here (per handler, for now).
        if margin in (MARGIN_LINE_NUMBERS, MARGIN_SYMBOLS):
            self.breakpoint_requested.emit(self._file_line(self.lineFromPosition(position)))
