"""Where a byte of a document is, as people count: line and column from 1, a column being one
character (a Unicode code point). A tab is one character, so is an emoji (two UTF-16 units in
JavaScript's own count, four bytes in Scintilla's and tree-sitter's), and a CRLF ends a line as
an LF does.
"""
from __future__ import annotations

from bisect import bisect_right


class Positions:
    """Byte offsets of ``source`` (UTF-8) ↔ (line, column), both 1-based, columns in characters."""

    def __init__(self, source: bytes):
        self.source = source
        self.line_starts = [0]
        find = source.find
        index = find(b"\n")
        while index >= 0:
            self.line_starts.append(index + 1)
            index = find(b"\n", index + 1)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def locate(self, offset: int) -> tuple[int, int]:
        """(line, column) of the character at byte ``offset`` (clamped to the document)."""
        offset = max(0, min(offset, len(self.source)))
        line = bisect_right(self.line_starts, offset)
        start = self.line_starts[line - 1]
        return line, len(self.source[start:offset].decode("utf-8", "replace")) + 1

    def offset(self, line: int, column: int) -> int:
        """Byte offset of (line, column); a column past the line's end is its end."""
        line = max(1, min(line, self.line_count))
        start, end = self.line_starts[line - 1], self.line_end(line)
        text = self.source[start:end].decode("utf-8", "replace")
        return start + len(text[:max(0, column - 1)].encode("utf-8"))

    def line_end(self, line: int) -> int:
        """Byte offset of the end of ``line``'s text (before its LF or CRLF)."""
        end = self.line_starts[line] - 1 if line < self.line_count else len(self.source)
        if end > self.line_starts[line - 1] and self.source[end - 1:end] == b"\r":
            end -= 1
        return end

    def line_text(self, line: int) -> str:
        return self.source[self.line_starts[line - 1]:self.line_end(line)].decode("utf-8", "replace")

    def indentation(self, line: int) -> int:
        """Width of the line's leading blanks (a tab counts as 2, as the editor shows it)."""
        text = self.line_text(line)
        blanks = text[:len(text) - len(text.lstrip(" \t"))]
        return len(blanks) + blanks.count("\t")

    def is_blank(self, line: int) -> bool:
        return not self.line_text(line).strip()
