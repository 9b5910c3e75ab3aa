"""Editing as in Monaco: Enter keeps the indentation (one level deeper after an opening bracket,
the closing one moved to its own line) and inserts the document's own line ending; brackets and
quotes close themselves and are typed over; Backspace removes an empty pair; Ctrl+/ and
Shift+Alt+A toggle comments; Ctrl+D adds the next occurrence to the selections; Alt+click adds
a caret; Alt+Up/Down move lines, Shift+Alt+Up/Down copy them, Ctrl+Shift+K deletes them.
"""
from __future__ import annotations

from PySide6.QtCore import Qt

from plugin_studio.models.syntax.grammars import Highlight

PAIRS = {"(": ")", "[": "]", "{": "}", "'": "'", '"': '"', "`": "`"}
CLOSERS = {")", "]", "}"}
QUOTES = {"'", '"', "`"}
LINE_COMMENTS = {"javascript": "//", "jsx": "//", "sql": "--", "css": None, "json": None, "markdown": None}
BLOCK_COMMENTS = {"javascript": ("/*", "*/"), "jsx": ("/*", "*/"), "css": ("/*", "*/"), "sql": ("/*", "*/"),
                  "markdown": ("<!--", "-->")}
SC_EOL_CRLF, SC_EOL_CR, SC_EOL_LF = 0, 1, 2
EOL_TEXT = {SC_EOL_CRLF: "\r\n", SC_EOL_CR: "\r", SC_EOL_LF: "\n"}
SCFIND_MATCHCASE, SCFIND_WHOLEWORD = 4, 2
SC_MULTIPASTE_EACH = 1
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def eol_mode_of(text: str) -> int:
    """The line ending a text uses (the first one found; LF for a text without any)."""
    index = text.find("\n")
    if index > 0 and text[index - 1] == "\r":
        return SC_EOL_CRLF
    if index < 0 and "\r" in text:
        return SC_EOL_CR
    return SC_EOL_LF


class Editing:
    """The key handling and editing commands of one CodeEditor."""

    def __init__(self, editor):
        self.editor = editor
        self.language = "text"
        editor.setMultipleSelection(True)
        editor.setAdditionalSelectionTyping(True)
        editor.setMultiPaste(SC_MULTIPASTE_EACH)

    # -- keys ------------------------------------------------------------------------------------
    def key_pressed(self, event) -> bool:
        """Handle ``event`` if it is one of ours; False lets Scintilla handle it."""
        key, mods = event.key(), event.modifiers()   # commands on keys (Ctrl+/ …): ui/editor_keys.py
        single = self.editor.selections() == 1
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods & (CTRL | ALT) and single:
            self.new_line()
            return True
        if key == Qt.Key.Key_Backspace and not mods and single and self._delete_empty_pair():
            return True
        text = event.text()
        if len(text) == 1 and single and not mods & (CTRL | ALT):
            return self._typed(text)
        return False

    # -- Enter -------------------------------------------------------------------------------------
    def new_line(self) -> None:
        """The document's line ending, the line's indentation, one level more after an opener."""
        editor = self.editor
        position = editor.currentPos()
        line = editor.lineFromPosition(position)
        indent = self._indent_text(line)
        before, after = self._char_before(position), self._char_at(position)
        eol = EOL_TEXT[editor.eOLMode()]
        editor.beginUndoAction()
        if editor.selectionStart() != editor.selectionEnd():
            editor.replaceSel("")
            position = editor.currentPos()
        if before in "([{" and PAIRS.get(before) == after:
            inner = indent + self._unit()
            editor.replaceSel(eol + inner + eol + indent)
            editor.gotoPos(position + len((eol + inner).encode("utf-8")))
        else:
            editor.replaceSel(eol + indent + (self._unit() if before in "([{" else ""))
        editor.endUndoAction()
        editor.scrollCaret()

    def _unit(self) -> str:
        return "\t" if self.editor.useTabs() else " " * self.editor.indent()

    def _indent_text(self, line: int) -> str:
        text = self.editor.line_text(line + 1)
        return text[:len(text) - len(text.lstrip(" \t"))]

    # -- brackets and quotes -----------------------------------------------------------------------
    def _typed(self, char: str) -> bool:
        editor = self.editor
        position, after = editor.currentPos(), self._char_at(editor.currentPos())
        if (char in CLOSERS or char in QUOTES) and after == char and editor.selectionEmpty() and \
                self._closing_is_ours(char, position):
            editor.gotoPos(position + 1)   # type over the closer that was inserted with its opener
            return True
        if char not in PAIRS or self.language in ("text", "markdown") and char in QUOTES:
            return False
        if not editor.selectionEmpty():
            return self._wrap_selection(char)
        if char in QUOTES and (self._is_word(self._char_before(position)) or self._in_string(position)):
            return False
        if after and not (after.isspace() or after in CLOSERS or after in ",;:"):
            return False
        editor.beginUndoAction()
        editor.replaceSel(char + PAIRS[char])
        editor.gotoPos(position + 1)
        editor.endUndoAction()
        return True

    def _closing_is_ours(self, char: str, position: int) -> bool:
        if char in QUOTES:
            return self._in_string(position)
        match = self.editor.braceMatch(position, 0)
        return match >= 0

    def _wrap_selection(self, char: str) -> bool:
        editor = self.editor
        start, end = editor.selectionStart(), editor.selectionEnd()
        selected = editor.selected_text()
        editor.beginUndoAction()
        editor.replaceSel(char + selected + PAIRS[char])
        editor.setSel(start + 1, end + 1)
        editor.endUndoAction()
        return True

    def _delete_empty_pair(self) -> bool:
        editor = self.editor
        position = editor.currentPos()
        before, after = self._char_before(position), self._char_at(position)
        if not editor.selectionEmpty() or PAIRS.get(before) != after or not after:
            return False
        editor.beginUndoAction()
        editor.setTargetRange(position - 1, position + 1)
        editor.replaceTarget(0, "")
        editor.endUndoAction()
        return True

    def _in_string(self, position: int) -> bool:
        return self.editor.styleAt(max(0, position - 1)) == Highlight.STRING

    @staticmethod
    def _is_word(char: str) -> bool:
        return bool(char) and (char.isalnum() or char in "_$")

    def _char_at(self, position: int) -> str:
        if position >= self.editor.length():
            return ""
        return chr(self.editor.charAt(position) & 0xFF) if self.editor.charAt(position) & 0x80 == 0 else "\x80"

    def _char_before(self, position: int) -> str:
        return self._char_at(position - 1) if position > 0 else ""

    # -- comments ----------------------------------------------------------------------------------
    def toggle_line_comment(self) -> None:
        """Ctrl+/: comment the selected lines out, or back in when all of them are comments."""
        marker = LINE_COMMENTS.get(self.language)
        if marker is None:
            self.toggle_block_comment(whole_lines=True)
            return
        editor = self.editor
        first, last = self._selected_lines()
        lines = [(line, editor.line_text(line + 1)) for line in range(first, last + 1)]
        code = [(line, text) for line, text in lines if text.strip()]
        if not code:
            return
        commented = all(text.lstrip().startswith(marker) for _line, text in code)
        column = min(len(text) - len(text.lstrip(" \t")) for _line, text in code)
        for line, text in reversed(code):
            start = editor.positionFromLine(line)
            if commented:
                at = len(text) - len(text.lstrip(" \t"))
                width = len(marker) + (1 if text[at + len(marker):at + len(marker) + 1] == " " else 0)
                self._replace(start + len(text[:at].encode()), start + len(text[:at + width].encode()), "")
            else:
                offset = start + len(text[:column].encode())
                self._replace(offset, offset, marker + " ")

    def toggle_block_comment(self, whole_lines: bool = False) -> None:
        """Shift+Alt+A: wrap the selection in /* */, or unwrap it."""
        opening, closing = BLOCK_COMMENTS.get(self.language, ("/*", "*/"))
        editor = self.editor
        if whole_lines or editor.selectionEmpty():
            first, last = self._selected_lines()
            start, end = editor.positionFromLine(first), editor.lineEndPosition(last)
            text = editor.text_range(start, end)
            stripped = text.strip()
            lead = len(text) - len(text.lstrip())
            start += len(text[:lead].encode())
            end = start + len(stripped.encode())
        else:
            start, end = editor.selectionStart(), editor.selectionEnd()
            stripped = editor.text_range(start, end)
        if stripped.startswith(opening) and stripped.endswith(closing):
            inner = stripped[len(opening):len(stripped) - len(closing)]
            inner = inner[1:] if inner.startswith(" ") else inner
            inner = inner[:-1] if inner.endswith(" ") else inner
            self._replace(start, end, inner)
        else:
            self._replace(start, end, f"{opening} {stripped} {closing}")

    def _replace(self, start: int, end: int, text: str) -> None:
        self.editor.setTargetRange(start, end)
        self.editor.replaceTarget(len(text.encode("utf-8")), text)

    def _selected_lines(self) -> tuple[int, int]:
        editor = self.editor
        start, end = editor.selectionStart(), editor.selectionEnd()
        first, last = editor.lineFromPosition(start), editor.lineFromPosition(end)
        if last > first and end == editor.positionFromLine(last):
            last -= 1   # a selection ending at a line's start leaves that line alone
        return first, last

    # -- selections and lines ---------------------------------------------------------------------
    def add_next_occurrence(self) -> None:
        """Ctrl+D: select the word at the caret, then each next occurrence as another selection."""
        editor = self.editor
        if editor.selectionEmpty():
            position = editor.currentPos()
            start, end = editor.wordStartPosition(position, True), editor.wordEndPosition(position, True)
            if end > start:
                editor.setSelection(end, start)
            return
        editor.setSearchFlags(SCFIND_MATCHCASE)
        editor.targetWholeDocument()
        editor.multipleSelectAddNext()
        editor.scrollCaret()

    def add_caret_at(self, position: int) -> None:
        """Alt+click: one more caret, keeping the others."""
        self.editor.addSelection(position, position)

    def copy_lines_down(self) -> None:
        self.editor.selectionDuplicate() if not self.editor.selectionEmpty() else self.editor.lineDuplicate()

    def copy_lines_up(self) -> None:
        editor = self.editor
        position = editor.currentPos()
        editor.lineDuplicate()
        editor.gotoPos(position)

    def delete_lines(self) -> None:
        editor = self.editor
        first, last = self._selected_lines()
        start = editor.positionFromLine(first)
        end = editor.positionFromLine(last + 1) if last + 1 < editor.lineCount() else editor.length()
        if last + 1 >= editor.lineCount() and first > 0:
            start = editor.lineEndPosition(first - 1)
        self._replace(start, end, "")
