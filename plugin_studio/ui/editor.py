"""The code editor: Scintilla behind intent-level methods; raw Scintilla calls stay in this module.

Scintilla here has no Lexilla, so highlighting is a container lexer: Scintilla asks for styles
(``styleNeeded``) and we answer with Pygments tokens, converted to byte lengths.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QWidget
from pygments.lexers import CssLexer, JavascriptLexer, JsonLexer, MarkdownLexer, PostgresLexer, TextLexer
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, Punctuation, String, Token
from pyside6_scintilla import ScintillaEdit

try:  # Pygments ≥ 2.15 has a JSX lexer; older ones fall back to plain JS colours.
    from pygments.lexers.jsx import JsxLexer
except ImportError:  # pragma: no cover - depends on the installed Pygments
    JsxLexer = JavascriptLexer

LEXERS = {
    "javascript": JavascriptLexer, "jsx": JsxLexer, "css": CssLexer, "sql": PostgresLexer,
    "json": JsonLexer, "markdown": MarkdownLexer, "text": TextLexer,
}

# Style numbers we define; colours are 0xBBGGRR as Scintilla wants.
STYLE_DEFAULT, STYLE_KEYWORD, STYLE_STRING, STYLE_COMMENT, STYLE_NUMBER = 0, 1, 2, 3, 4
STYLE_OPERATOR, STYLE_FUNCTION, STYLE_BUILTIN, STYLE_TAG, STYLE_ATTRIBUTE, STYLE_ERROR = 5, 6, 7, 8, 9, 10
STYLE_ANNOTATION_ERROR = 40
STYLE_COLOURS = {
    STYLE_DEFAULT: 0x1F1F1F, STYLE_KEYWORD: 0xA3127F, STYLE_STRING: 0x1A7A0A, STYLE_COMMENT: 0x808080,
    STYLE_NUMBER: 0xB35A09, STYLE_OPERATOR: 0x444444, STYLE_FUNCTION: 0x8B4A00, STYLE_BUILTIN: 0x8A6B00,
    STYLE_TAG: 0x2222B0, STYLE_ATTRIBUTE: 0x7A4F00, STYLE_ERROR: 0x0000FF,
}
TOKEN_STYLES = [
    (Comment, STYLE_COMMENT), (String, STYLE_STRING), (Number, STYLE_NUMBER), (Keyword, STYLE_KEYWORD),
    (Name.Tag, STYLE_TAG), (Name.Attribute, STYLE_ATTRIBUTE), (Name.Function, STYLE_FUNCTION),
    (Name.Builtin, STYLE_BUILTIN), (Name.Other, STYLE_DEFAULT), (Operator, STYLE_OPERATOR),
    (Punctuation, STYLE_OPERATOR), (Error, STYLE_ERROR), (Token.Generic.Heading, STYLE_KEYWORD),
    (Token.Generic.Subheading, STYLE_KEYWORD), (Token.Generic.Strong, STYLE_FUNCTION),
]

MARGIN_LINE_NUMBERS, MARGIN_SYMBOLS = 0, 1
MARKER_BREAKPOINT, MARKER_CURRENT, MARKER_ERROR = 1, 2, 3
INDICATOR_ERROR = 8

# Scintilla message values used for settings ScintillaEdit has no named method for.
SC_MARK_CIRCLE, SC_MARK_SHORTARROW, SC_MARK_SMALLRECT = 0, 4, 7
STYLE_LINE_NUMBER = 33
SC_MARGIN_NUMBER, SC_MARGIN_COLOUR = 1, 6  # a colour margin is a symbol margin with its own background
INDIC_SQUIGGLE = 1
ANNOTATION_BOXED = 2
SCFIND_MATCHCASE, SCFIND_WHOLEWORD = 4, 2


def style_for(token_type) -> int:
    for parent, style in TOKEN_STYLES:
        if token_type in parent:
            return style
    return STYLE_DEFAULT


class CodeEditor(ScintillaEdit):
    """A Scintilla editor that speaks in lines, languages, errors and breakpoints (1-based lines)."""

    dirty_changed = Signal(bool)
    breakpoint_toggled = Signal(int, bool)  # line, now set
    breakpoint_requested = Signal(int)      # the user clicked the margin at this line

    def __init__(self, parent=None):
        super().__init__(parent)
        self._lexer = TextLexer()
        self._styles: bytes = b""
        self._styled_text: str | None = None
        self._configure_view()
        self.styleNeeded.connect(self._on_style_needed)
        self.savePointChanged.connect(lambda dirty: self.dirty_changed.emit(bool(dirty)))
        self.marginClicked.connect(self._on_margin_clicked)

    # -- set-up -------------------------------------------------------------------------------
    def _configure_view(self) -> None:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        family = font.family() or "monospace"
        for style in range(0, 41):
            self.styleSetFont(style, family)
            self.styleSetSize(style, 10)
        for style, colour in STYLE_COLOURS.items():
            self.styleSetFore(style, colour)
        self.styleSetBold(STYLE_KEYWORD, True)
        self.styleSetFore(STYLE_LINE_NUMBER, 0x909090)
        self.styleSetBack(STYLE_LINE_NUMBER, 0xF4F4F4)
        self.styleSetItalic(STYLE_COMMENT, True)
        self.styleSetFore(STYLE_ANNOTATION_ERROR, 0x1010A0)
        self.styleSetBack(STYLE_ANNOTATION_ERROR, 0xE6E6FF)
        self.setMarginTypeN(MARGIN_LINE_NUMBERS, SC_MARGIN_NUMBER)
        self.setMarginWidthN(MARGIN_LINE_NUMBERS, self.textWidth(33, "_99999"))
        self.setMarginTypeN(MARGIN_SYMBOLS, SC_MARGIN_COLOUR)
        self.setMarginWidthN(MARGIN_SYMBOLS, 16)
        self.setMarginSensitiveN(MARGIN_SYMBOLS, True)
        self.setMarginSensitiveN(MARGIN_LINE_NUMBERS, True)
        self.setMarginMaskN(MARGIN_SYMBOLS, (1 << MARKER_BREAKPOINT) | (1 << MARKER_CURRENT) | (1 << MARKER_ERROR))
        self._define_markers()
        self.indicSetStyle(INDICATOR_ERROR, INDIC_SQUIGGLE)
        self.indicSetFore(INDICATOR_ERROR, 0x0000E0)
        self.annotationSetVisible(ANNOTATION_BOXED)
        self.setTabWidth(2)
        self.setIndent(2)
        self.setUseTabs(False)
        self.setCaretLineVisible(True)
        self.setCaretLineBack(0xF7F1EE)
        self.setScrollWidthTracking(True)
        self.setScrollWidth(1)
        self.setCodePage(65001)  # UTF-8

    def _define_markers(self) -> None:
        self.markerDefine(MARKER_BREAKPOINT, SC_MARK_CIRCLE)
        self.markerSetFore(MARKER_BREAKPOINT, 0x2020C0)
        self.markerSetBack(MARKER_BREAKPOINT, 0x3030E0)
        self.markerDefine(MARKER_CURRENT, SC_MARK_SHORTARROW)
        self.markerSetFore(MARKER_CURRENT, 0x006080)
        self.markerSetBack(MARKER_CURRENT, 0x40D0FF)
        self.markerDefine(MARKER_ERROR, SC_MARK_SMALLRECT)
        self.markerSetBack(MARKER_ERROR, 0x0000FF)
        self.markerSetFore(MARKER_ERROR, 0x0000A0)
        self.setMarginBackN(MARGIN_SYMBOLS, 0xF4F4F4)

    # -- text ---------------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self._lexer = LEXERS.get(language, TextLexer)()
        self._styled_text = None
        self.colourise(0, -1)

    def set_text(self, text: str) -> None:
        """Replace the whole text as a fresh, clean document (no undo back into the old one)."""
        self.setText(text)
        self.emptyUndoBuffer()
        self.setSavePoint()
        self.colourise(0, -1)

    def replace_text_keeping_undo(self, text: str) -> None:
        """Replace the text as one undoable step (e.g. reload from the server)."""
        self.beginUndoAction()
        self.setText(text)
        self.endUndoAction()

    def text(self) -> str:
        return bytes(self.getText(self.length())).decode("utf-8")

    def is_dirty(self) -> bool:
        return bool(self.modify())

    def mark_saved(self) -> None:
        self.setSavePoint()

    # -- navigation ---------------------------------------------------------------------------
    def go_to_line(self, line: int, column: int = 1) -> None:
        line0 = max(0, min(line - 1, self.lineCount() - 1))
        position = self.findColumn(line0, max(0, column - 1))
        self.ensureVisibleEnforcePolicy(line0)
        self.gotoPos(position)
        self.take_focus()

    def take_focus(self) -> None:
        """Keyboard focus for this widget (ScintillaEdit.setFocus is Scintilla's own SCI_SETFOCUS)."""
        QWidget.setFocus(self)

    def cursor_line_column(self) -> tuple[int, int]:
        position = self.currentPos()
        return self.lineFromPosition(position) + 1, self.column(position) + 1

    def find(self, needle: str, *, forward: bool = True, match_case: bool = False, whole_word: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around; False when there is none."""
        if not needle:
            return False
        flags = (SCFIND_MATCHCASE if match_case else 0) | (SCFIND_WHOLEWORD if whole_word else 0)
        start, end = (self.selectionEnd(), self.length()) if forward else (self.selectionStart(), 0)
        found = self.findText(flags, needle, start, end)
        if found[0] < 0:
            found = self.findText(flags, needle, 0 if forward else self.length(), start)
        if found[0] < 0:
            return False
        self.setSel(found[0], found[1])
        self.scrollCaret()
        return True

    def replace_selection_if_match(self, needle: str, replacement: str, match_case: bool = False) -> bool:
        selected = bytes(self.getSelText()).decode("utf-8").rstrip("\0")
        same = selected == needle if match_case else selected.lower() == needle.lower()
        if needle and same:
            self.replaceSel(replacement)
            return True
        return False

    def replace_all(self, needle: str, replacement: str, *, match_case: bool = False) -> int:
        """Replace every match in one undo step; returns how many were replaced."""
        if not needle:
            return 0
        flags = SCFIND_MATCHCASE if match_case else 0
        count, position = 0, 0
        self.beginUndoAction()
        while True:
            found = self.findText(flags, needle, position, self.length())
            if found[0] < 0:
                break
            self.setTargetRange(found[0], found[1])
            replaced = self.replaceTarget(-1, replacement)
            position = found[0] + (replaced if isinstance(replaced, int) and replaced >= 0 else len(replacement.encode()))
            count += 1
        self.endUndoAction()
        return count

    # -- problems -----------------------------------------------------------------------------
    def show_error(self, line: int, column: int | None, message: str) -> None:
        """Mark a problem: a squiggle from the column to the line's end, a margin dot, the message below."""
        line0 = max(0, min(line - 1, self.lineCount() - 1))
        start = self.findColumn(line0, max(0, (column or 1) - 1))
        end = self.lineEndPosition(line0)
        if end <= start:
            start = self.positionFromLine(line0)
        self.setIndicatorCurrent(INDICATOR_ERROR)
        self.indicatorFillRange(start, max(1, end - start))
        self.markerAdd(line0, MARKER_ERROR)
        self.annotationSetText(line0, message)
        self.annotationSetStyle(line0, STYLE_ANNOTATION_ERROR)

    def reset_annotations(self) -> None:
        self.setIndicatorCurrent(INDICATOR_ERROR)
        self.indicatorClearRange(0, self.length())
        self.markerDeleteAll(MARKER_ERROR)
        self.annotationClearAll()

    def error_lines(self) -> list[int]:
        return self._marker_lines(MARKER_ERROR)

    def annotation(self, line: int) -> str:
        return bytes(self.annotationText(line - 1)).decode("utf-8").rstrip("\0")

    # -- breakpoints and the debugger's current line --------------------------------------------
    def set_breakpoint(self, line: int, on: bool = True) -> None:
        line0 = line - 1
        has = bool(self.markerGet(line0) & (1 << MARKER_BREAKPOINT))
        if on and not has:
            self.markerAdd(line0, MARKER_BREAKPOINT)
        elif not on and has:
            self.markerDelete(line0, MARKER_BREAKPOINT)
        if on != has:
            self.breakpoint_toggled.emit(line, on)

    def toggle_breakpoint(self, line: int | None = None) -> None:
        line = line or self.cursor_line_column()[0]
        self.set_breakpoint(line, line not in self.breakpoints())

    def breakpoints(self) -> list[int]:
        return self._marker_lines(MARKER_BREAKPOINT)

    def set_current_line(self, line: int | None) -> None:
        self.markerDeleteAll(MARKER_CURRENT)
        if line:
            self.markerAdd(line - 1, MARKER_CURRENT)
            self.go_to_line(line)

    def _marker_lines(self, marker: int) -> list[int]:
        lines, line0 = [], self.markerNext(0, 1 << marker)
        while line0 >= 0:
            lines.append(line0 + 1)
            line0 = self.markerNext(line0 + 1, 1 << marker)
        return lines

    def _on_margin_clicked(self, position: int, modifiers, margin: int) -> None:
        # Whoever owns the debugger decides what a breakpoint means here (per handler, for now).
        self.breakpoint_requested.emit(self.lineFromPosition(position) + 1)

    # -- highlighting -------------------------------------------------------------------------
    def _on_style_needed(self, position: int) -> None:
        """Style from the start of the first unstyled line up to ``position`` with cached tokens."""
        start = self.positionFromLine(self.lineFromPosition(self.endStyled()))
        end = position if position > start else self.length()
        styles = self._byte_styles()
        self.startStyling(start, 0)
        run_start = start
        while run_start < end:
            style = styles[run_start] if run_start < len(styles) else STYLE_DEFAULT
            run_end = run_start + 1
            while run_end < end and run_end < len(styles) and styles[run_end] == style:
                run_end += 1
            self.setStyling(run_end - run_start, style)
            run_start = run_end

    def _byte_styles(self) -> bytes:
        """One style per byte of the document, recomputed only when the text changed."""
        text = self.text()
        if text != self._styled_text:
            out = bytearray()
            for _index, token_type, value in self._lexer.get_tokens_unprocessed(text):
                out.extend(bytes([style_for(token_type)]) * len(value.encode("utf-8")))
            self._styles = bytes(out)
            self._styled_text = text
        return self._styles
