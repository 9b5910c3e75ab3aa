"""The highlight class of every byte of a document, and which ranges of it are out of date.

Scintilla asks for styles from the first unstyled line up to what it is about to draw; for a
long line (minified code) that is the whole line. The cache answers such requests at once with
what it knows, and only the parts that are stale *and* on screen are highlighted afresh; the
rest is refreshed when it scrolls into view.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

Span = tuple[int, int]


class StyleCache:
    """One highlight class per byte (``styles``) and the stale byte ranges (sorted, disjoint)."""

    def __init__(self, length: int = 0):
        self.styles = bytearray(length)
        self.stale: list[Span] = [(0, length)] if length else []

    def reset(self, length: int) -> None:
        self.styles = bytearray(length)
        self.stale = [(0, length)] if length else []

    def edit(self, start: int, old_end: int, new_end: int) -> None:
        """Text [start, old_end) became [start, new_end). New bytes are class 0 and stale, as
        Scintilla stores inserted text: handing Scintilla back what it has changes no style, so
        it keeps the line's layout (which costs ~20 ms for a 1 MB line)."""
        self.styles[start:old_end] = bytes(new_end - start)
        delta = new_end - old_end
        shifted = []
        for a, b in self.stale:
            a = a + delta if a >= old_end else min(a, start) if a > start else a
            b = b + delta if b >= old_end else max(min(b, new_end), start) if b > start else b
            if b > a:
                shifted.append((a, b))
        self.stale = shifted
        self.mark_stale(start, max(new_end, start + 1))

    def mark_stale(self, start: int, end: int) -> None:
        end = min(end, len(self.styles))
        if end <= start:
            return
        first, last = self._touching(start, end, inclusive=True)
        merged = self.stale[first:last]
        if merged:
            start, end = min(start, merged[0][0]), max(end, merged[-1][1])
        self.stale[first:last] = [(start, end)]

    def stale_within(self, start: int, end: int) -> list[Span]:
        """The stale parts of [start, end)."""
        first, last = self._touching(start, end)
        return [(max(a, start), min(b, end)) for a, b in self.stale[first:last]]

    def write(self, start: int, classes: bytes | bytearray) -> None:
        """Fresh classes for [start, start + len(classes)): no longer stale."""
        end = start + len(classes)
        self.styles[start:end] = classes
        first, last = self._touching(start, end)
        kept = []
        for a, b in self.stale[first:last]:
            if a < start:
                kept.append((a, start))
            if b > end:
                kept.append((end, b))
        self.stale[first:last] = kept

    def _touching(self, start: int, end: int, inclusive: bool = False) -> tuple[int, int]:
        """Index range of the stale spans overlapping [start, end) (or touching it: ``inclusive``)."""
        if inclusive:
            first = bisect_left(self.stale, start, key=lambda span: span[1])
            last = bisect_right(self.stale, end, key=lambda span: span[0])
        else:
            first = bisect_right(self.stale, start, key=lambda span: span[1])
            last = bisect_left(self.stale, end, key=lambda span: span[0])
        return first, last
