"""Side-by-side diffs of two texts, with the changed words of each changed line.

``side_by_side(old, new)`` aligns the two texts line by line (``difflib.SequenceMatcher``, the
standard library's diff): a line on one side faces its counterpart or a gap. Lines that were
replaced face each other pairwise, as VS Code's diff shows them, and carry the character spans of
the words that differ (``word_spans``), so a one-word edit in a long line is visible at a glance.
Used by the conflict dialog, the replace preview and version history.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

EQUAL, CHANGED, REMOVED, ADDED = "equal", "changed", "removed", "added"
# Words, runs of white space, and single other characters: a word diff marks `price` in
# `item.price * 2`, not the whole expression.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
ALIKE = 0.6              # lines this similar (0..1) are one line edited, not one removed and one added
MAX_ALIGNED = 40_000     # old × new lines of a block beyond which lines simply face each other in order


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff: the old line, the new line, or both facing each other.

    Line numbers are 1-based; a side without a line (a gap) has number and text None. Spans are
    (start, end) character offsets into that side's text, 0-based, end exclusive.
    """
    kind: str                      # equal | changed | removed | added
    old_number: int | None
    old_text: str | None
    new_number: int | None
    new_text: str | None
    old_spans: tuple[tuple[int, int], ...] = ()
    new_spans: tuple[tuple[int, int], ...] = ()


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: ``\\n``, ``\\r\\n`` and ``\\r`` end a line; a final line
    ending does not start another (empty) line."""
    return text.splitlines()


def side_by_side(old: str, new: str) -> list[DiffRow]:
    """The rows of the diff from ``old`` to ``new``, in order (all rows, equal ones included)."""
    old_lines, new_lines = split_lines(old), split_lines(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [DiffRow(EQUAL, i + 1, old_lines[i], j + 1, new_lines[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
        else:
            rows += _replaced_block(old_lines, range(i1, i2), new_lines, range(j1, j2))
    return rows


def _replaced_block(old_lines: list[str], old_range: range, new_lines: list[str], new_range: range) -> list[DiffRow]:
    """A block that differs: lines alike enough face each other (``_alike_pairs``); between them
    the rest face each other in order, and what is left over faces a gap."""
    rows: list[DiffRow] = []
    i, j = old_range.start, new_range.start
    for a, b in _alike_pairs(old_lines, old_range, new_lines, new_range) + [(old_range.stop, new_range.stop)]:
        rows += _in_order(old_lines, range(i, a), new_lines, range(j, b))
        if a < old_range.stop and b < new_range.stop:
            rows += _in_order(old_lines, range(a, a + 1), new_lines, range(b, b + 1))
        i, j = a + 1, b + 1
    return rows


def _in_order(old_lines: list[str], old_range: range, new_lines: list[str], new_range: range) -> list[DiffRow]:
    rows = []
    for k in range(max(len(old_range), len(new_range))):
        i = old_range[k] if k < len(old_range) else None
        j = new_range[k] if k < len(new_range) else None
        if i is not None and j is not None:
            old_spans, new_spans = word_spans(old_lines[i], new_lines[j])
            rows.append(DiffRow(CHANGED, i + 1, old_lines[i], j + 1, new_lines[j], old_spans, new_spans))
        elif i is not None:
            rows.append(DiffRow(REMOVED, i + 1, old_lines[i], None, None))
        else:
            rows.append(DiffRow(ADDED, None, None, j + 1, new_lines[j]))
    return rows


def _alike_pairs(old_lines: list[str], old_range: range, new_lines: list[str], new_range: range) -> list[tuple[int, int]]:
    """The pairs (old index, new index), in order on both sides, of lines at least ``ALIKE`` similar
    (``SequenceMatcher.ratio``), chosen for the most similarity in all: an edited line faces its
    old self, not whatever line was inserted above it. Large blocks are left in order."""
    n, m = len(old_range), len(new_range)
    if n == 0 or m == 0 or n * m > MAX_ALIGNED:
        return []
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n):
        for b in range(m):
            alike = _similarity(old_lines[old_range[a]], new_lines[new_range[b]])
            paired = best[a][b] + alike if alike >= ALIKE else 0.0
            best[a + 1][b + 1] = max(best[a][b + 1], best[a + 1][b], paired)
    pairs, a, b = [], n, m
    while a > 0 and b > 0:
        if best[a][b] == best[a - 1][b]:
            a -= 1
        elif best[a][b] == best[a][b - 1]:
            b -= 1
        else:
            pairs.append((old_range[a - 1], new_range[b - 1]))
            a, b = a - 1, b - 1
    return pairs[::-1]


def _similarity(old_line: str, new_line: str) -> float:
    matcher = difflib.SequenceMatcher(None, old_line.strip(), new_line.strip(), autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= ALIKE else 0.0


def word_spans(old_line: str, new_line: str) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """The character spans that differ between two versions of a line, word by word.

    Changed tokens separated by nothing or by white space only merge into one span (``a b`` →
    ``x y`` is one change, not two); white space alone that changed is a span too.
    """
    old_tokens, new_tokens = _TOKEN.findall(old_line), _TOKEN.findall(new_line)
    old_starts, new_starts = _starts(old_tokens), _starts(new_tokens)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    old_spans, new_spans = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            _add_span(old_spans, old_line, old_starts[i1], old_starts[i2])
        if j2 > j1:
            _add_span(new_spans, new_line, new_starts[j1], new_starts[j2])
    return tuple(old_spans), tuple(new_spans)


def _starts(tokens: list[str]) -> list[int]:
    """Start offset of each token, and the end of the line as one more entry."""
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token)
    return starts + [position]


def _add_span(spans: list[tuple[int, int]], line: str, start: int, end: int) -> None:
    if spans and not line[spans[-1][1]:start].strip():
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))


def change_count(rows: list[DiffRow]) -> int:
    """How many separate changes (runs of non-equal rows) the diff has."""
    count, inside = 0, False
    for row in rows:
        if row.kind != EQUAL and not inside:
            count += 1
        inside = row.kind != EQUAL
    return count
