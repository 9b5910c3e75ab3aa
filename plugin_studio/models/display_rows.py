"""A file whose long lines are shown in rows: the display text is the file's text with a display
break (one LF byte) inserted every ~``ROW_BYTES`` inside each line longer than ``LONG_LINE_CHARS``.

Scintilla lays a whole line out again on every change (~25 ms for a 1 MB line), so the editor
never hands it such a line: it shows the display text and keeps the file's text here. The file's
text is never changed by the display; Monaco, in the same spirit, stops rendering a line after
10,000 characters.

Offsets are UTF-8 bytes. A break is kept as the file offset it stands before: a break at ``p``
sits between file bytes ``p - 1`` and ``p`` (never at a line's start or end, never inside a
character). The ``k``-th break (0-based) is at display offset ``p + k``. A file offset at a break
is shown after it (at the start of the next row); ``to_display_end`` gives the place before it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Callable, Iterable, Iterator

LONG_LINE_CHARS = 10_000   # a line longer than this (in characters) is shown in rows
ROW_BYTES = 200            # a row's target length
ROW_MAX_BYTES = 1_000      # an edited row longer than this is broken again
BREAK = b"\n"

# Where a row may end without a parse: after a blank or punctuation (a parse knows better, see
# ``models.syntax.rows``; this serves files too large to parse).
_BOUNDARY = re.compile(rb"[ \t;,{}()\[\]]")

Boundary = Callable[[int], int]   # a wanted break offset -> the token boundary at or after it


class RowedText:
    """The file's bytes (``file``) and its display breaks (``breaks``, sorted file offsets)."""

    def __init__(self, file: bytes, breaks: Iterable[int] = ()):
        self.file = bytearray(file)
        self.breaks: list[int] = sorted(set(breaks))

    # -- the display ------------------------------------------------------------------------------
    def display_bytes(self) -> bytes:
        """The file's bytes with a BREAK before each break offset."""
        parts, last = [], 0
        for p in self.breaks:
            parts.append(self.file[last:p])
            last = p
        parts.append(self.file[last:])
        return BREAK.join(parts)

    def display_length(self) -> int:
        return len(self.file) + len(self.breaks)

    def to_display(self, offset: int) -> int:
        """The display offset of file ``offset`` (after a break standing there)."""
        return offset + bisect_right(self.breaks, offset)

    def to_display_end(self, offset: int) -> int:
        """The display offset of file ``offset`` as the end of a range (before a break standing there)."""
        return offset + bisect_left(self.breaks, offset)

    def to_file(self, display: int) -> int:
        """The file offset of display offset ``display``; a break's own place maps to the file
        offset it stands before."""
        return display - self.breaks_before(display)

    def breaks_before(self, display: int) -> int:
        """How many breaks sit at display offsets below ``display`` (break k sits at breaks[k] + k)."""
        low, high = 0, len(self.breaks)
        while low < high:
            middle = (low + high) // 2
            if self.breaks[middle] + middle < display:
                low = middle + 1
            else:
                high = middle
        return low

    def is_break(self, display: int) -> bool:
        """Whether display offset ``display`` holds a break."""
        k = self.breaks_before(display)
        return k < len(self.breaks) and self.breaks[k] + k == display

    def spread(self, start: int, end: int, data: bytes, filler: bytes = b"\0") -> tuple[int, bytes]:
        """``data`` (one byte per file byte of [start, end)) as the display shows it: (its display
        start, the bytes with ``filler`` at each break inside)."""
        first, last = bisect_right(self.breaks, start), bisect_left(self.breaks, end)
        if first >= last:
            return self.to_display(start), bytes(data)
        parts, previous = [], start
        for p in self.breaks[first:last]:
            parts.append(data[previous - start:p - start])
            previous = p
        parts.append(data[previous - start:])
        return self.to_display(start), filler.join(parts)

    # -- edits ----------------------------------------------------------------------------------
    def replace_display(self, start: int, end: int, text: bytes) -> tuple[int, int]:
        """The display text [start, end) becomes ``text`` (which holds no break): the file
        changes accordingly and the breaks inside the range go. Returns the file range replaced."""
        first, last = self.breaks_before(start), self.breaks_before(end)
        file_start, file_end = start - first, end - last
        delta = len(text) - (file_end - file_start)
        self.file[file_start:file_end] = text
        self.breaks[first:] = [p + delta for p in self.breaks[last:]] if delta else self.breaks[last:]
        return file_start, file_end

    def misplaced_breaks(self, offset: int) -> list[int]:
        """Indexes of the breaks near file ``offset`` that an edit left at a line's start or end,
        or beside another break: the editor removes them (``remove_break``), last first."""
        index = bisect_left(self.breaks, offset)
        return [i for i in range(max(0, index - 1), min(len(self.breaks), index + 2))
                if not self._valid(self.breaks[i], i)][::-1]

    def _valid(self, p: int, index: int) -> bool:
        file = self.file
        if not 0 < p < len(file) or file[p - 1] in b"\r\n" or file[p] in b"\r\n":
            return False
        return index == 0 or self.breaks[index - 1] < p

    def remove_break(self, index: int) -> int:
        """Drop break ``index``; returns the display offset it had."""
        return self.breaks.pop(index) + index

    def add_break(self, offset: int) -> int | None:
        """Show a break before file ``offset``; returns its display offset, None where no break
        may be (a line's start or end, another break, inside a character)."""
        index = bisect_left(self.breaks, offset)
        taken = index < len(self.breaks) and self.breaks[index] == offset
        if taken or not self._valid(offset, index) or 0x80 <= self.file[offset] < 0xC0:
            return None
        self.breaks.insert(index, offset)
        return offset + index

    # -- lines ----------------------------------------------------------------------------------
    def line_start(self, offset: int) -> int:
        return self.file.rfind(b"\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """The end of the text of the line holding ``offset`` (before its LF or CRLF)."""
        end = self.file.find(b"\n", offset)
        end = len(self.file) if end < 0 else end
        return end - 1 if end > offset and self.file[end - 1:end] == b"\r" else end

    def point(self, offset: int) -> tuple[int, int]:
        """(row, byte column), 0-based, as tree-sitter counts the file."""
        return self.file.count(b"\n", 0, offset), offset - self.line_start(offset)

    @staticmethod
    def advance(point: tuple[int, int], data: bytes) -> tuple[int, int]:
        """The point after ``data`` written at ``point`` (as ``point`` counts)."""
        rows = data.count(b"\n")
        if not rows:
            return point[0], point[1] + len(data)
        return point[0] + rows, len(data) - data.rfind(b"\n") - 1

    def line_column(self, offset: int) -> tuple[int, int]:
        """(line, column) of file ``offset``, 1-based, the column in characters."""
        start = self.line_start(offset)
        return self.file.count(b"\n", 0, offset) + 1, len(self.file[start:offset].decode("utf-8", "replace")) + 1

    def offset_of(self, line: int, column: int = 1) -> int:
        """The file offset of (line, column), 1-based, clamped to the file."""
        start = 0
        for _ in range(max(0, line - 1)):
            found = self.file.find(b"\n", start)
            if found < 0:
                break
            start = found + 1
        end = self.line_end(start)
        text = self.file[start:end].decode("utf-8", "replace")
        return start + len(text[:max(0, column - 1)].encode("utf-8"))

    def line_count(self) -> int:
        return self.file.count(b"\n") + 1


# -- words (Ctrl+Backspace / Ctrl+Delete in the file's terms) -------------------------------------------
def _word_class(byte: int) -> int:
    """0 blank, 1 word (letters, digits, ``_$``, any non-ASCII character), 2 punctuation."""
    if byte in b" \t":
        return 0
    return 1 if byte >= 0x80 or chr(byte).isalnum() or byte in b"_$" else 2


def word_start(source: bytes | bytearray, offset: int) -> int:
    """Where Ctrl+Backspace deletes back to from ``offset``: over blanks, then one run of word
    characters or of punctuation; a line end on its own (never past it)."""
    at = offset
    while at > 0 and source[at - 1] in b" \t":
        at -= 1
    if at == 0 or source[at - 1] in b"\r\n":
        if at < offset:
            return at
        return max(0, at - (2 if source[max(0, at - 2):at] == b"\r\n" else 1))
    kind = _word_class(source[at - 1])
    while at > 0 and source[at - 1] not in b"\r\n" and _word_class(source[at - 1]) == kind:
        at -= 1
    return at


def word_end(source: bytes | bytearray, offset: int) -> int:
    """Where Ctrl+Delete deletes forward to from ``offset`` (``word_start`` mirrored)."""
    at, length = offset, len(source)
    if at < length and source[at] in b"\r\n":
        return at + (2 if source[at:at + 2] == b"\r\n" else 1)
    if at < length and source[at] in b" \t":
        while at < length and source[at] in b" \t":
            at += 1
        return at
    kind = _word_class(source[at]) if at < length else 0
    while at < length and source[at] not in b"\r\n" and _word_class(source[at]) == kind:
        at += 1
    return at


# -- choosing the breaks ---------------------------------------------------------------------------
def long_lines(source: bytes | bytearray) -> list[tuple[int, int]]:
    """The (start, end) byte ranges of the lines longer than LONG_LINE_CHARS (end before the line end).

    Such a line holds a whole window of half that length wherever the windows start, so only a
    window without a line end is looked at closely: ~2,000 ``find`` calls for 10 MB."""
    found, window, at = [], LONG_LINE_CHARS // 2, 0
    while at < len(source):
        if source.find(b"\n", at, at + window) >= 0:
            at += window
            continue
        start = source.rfind(b"\n", 0, at) + 1
        end = source.find(b"\n", at)
        end = len(source) if end < 0 else end
        text_end = end - 1 if end > start and source[end - 1:end] == b"\r" else end
        if text_end - start > 4 * LONG_LINE_CHARS or \
                text_end - start > LONG_LINE_CHARS and _chars(source, start, text_end) > LONG_LINE_CHARS:
            found.append((start, text_end))
        at = end + 1
    return found


def has_long_line(source: bytes) -> bool:
    """Whether ``source`` has a line longer than LONG_LINE_CHARS."""
    return bool(long_lines(source))


def _chars(source: bytes, start: int, end: int) -> int:
    """The characters in [start, end), without decoding what need not be (~20 ms for 10 MB)."""
    part = source[start:end]
    return len(part) if part.isascii() else len(part.decode("utf-8", "replace"))


def line_chars(source: bytes, start: int, end: int) -> int:
    """The characters in the line part [start, end) of ``source``."""
    return _chars(source, start, end)


def row_breaks(source: bytes, start: int, end: int, boundary: Boundary | None = None,
               width: int = ROW_BYTES) -> list[int]:
    """Break offsets for the line [start, end) of ``source``: about every ``width`` bytes, each
    at ``boundary(wanted)`` (a token boundary from a parse) or, without one, after a blank or
    punctuation, or, failing both within a row, at the next character's start."""
    return list(_row_breaks(source, start, end, boundary, width))


def _row_breaks(source: bytes, start: int, end: int, boundary: Boundary | None, width: int) -> Iterator[int]:
    row = start
    boundary = boundary or (lambda wanted: _lexical_boundary(source, wanted, end, width))
    while end - row > width + width // 2:
        p = boundary(row + width)
        if p is None or p >= end - width // 4:
            return
        p = max(p, row + 1)
        while p < end and 0x80 <= source[p] < 0xC0:
            p += 1
        yield p
        row = p


def _lexical_boundary(source: bytes, wanted: int, end: int, width: int) -> int:
    found = _BOUNDARY.search(source, wanted, min(end, wanted + width))
    return found.end() if found else wanted


def display_chunks(source: bytes, size: int) -> Iterator[tuple[list[int], bytes]]:
    """``rowed(source)`` a chunk of about ``size`` file bytes at a time, so that a 10 MB line is
    broken (~120 ms) and handed to the editor in slices: (the chunk's breaks, its display bytes)."""
    breaks = (p for start, end in long_lines(source) for p in _row_breaks(source, start, end, None, ROW_BYTES))
    pending, at = next(breaks, None), 0
    while at < len(source):
        end = min(len(source), at + size)
        while end < len(source) and 0x80 <= source[end] < 0xC0:
            end += 1
        found = []
        while pending is not None and pending < end:
            found.append(pending)
            pending = next(breaks, None)
        edges = [at] + found + [end]
        yield found, BREAK.join(source[a:b] for a, b in zip(edges, edges[1:]))
        at = end


def rowed(source: bytes, boundary: Boundary | None = None) -> RowedText:
    """``source`` with every long line broken into rows (``boundary``: see ``row_breaks``)."""
    breaks = [p for start, end in long_lines(source) for p in row_breaks(source, start, end, boundary)]
    return RowedText(source, breaks)
