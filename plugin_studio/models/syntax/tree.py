"""A document's syntax tree kept in step with its edits, reparsed incrementally and in slices.

The editor reports each edit in bytes and (row, byte column) points, exactly as Scintilla and
tree-sitter both count (UTF-8). The tree is edited at once and reparsed from the edited tree, so
typing never re-lexes the document. tree-sitter holds the GIL while it parses, so a thread would
not keep the window responsive; instead a parse runs in slices with a time budget each (its
progress callback stops it, and the next call resumes where it stopped).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import tree_sitter

from plugin_studio.models.syntax.grammars import Grammar

PARSE_CHUNK = 4096   # bytes per read while parsing
TEXT_CHUNK = 64      # bytes per read afterwards: a finished tree reads node texts (query predicates) this way

Reader = Callable[[int, int], bytes]  # (byte offset, length) -> the document's bytes there


@dataclass(frozen=True)
class Edit:
    """One change of the text in bytes and (row, byte column) points, as ``Tree.edit`` wants it."""
    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: tuple[int, int]
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]


class SyntaxDocument:
    """The tree of one document. ``read(offset, length)`` returns the document's current bytes.

    ``parse(budget_s)`` brings the tree up to date, or stops after about ``budget_s`` seconds and
    resumes on the next call. A parse reads a snapshot of the text taken when it started; edits
    made while it runs are applied to its result, and the next parse catches up with them.
    ``tree`` is the last complete tree with every later edit applied (positions shifted), so it
    serves highlighting even while a parse is pending.
    """

    def __init__(self, grammar: Grammar, read: Reader, length: Callable[[], int]):
        self.grammar = grammar
        self._read = read
        self._length = length
        self._parser = tree_sitter.Parser(grammar.language)
        self.tree: tree_sitter.Tree | None = None
        self._stale = True             # edits (or no parse yet) since the last complete parse
        self._running: _RunningParse | None = None
        self.generation = 0            # counts complete parses

    @property
    def up_to_date(self) -> bool:
        return not self._stale

    def edit(self, edit: Edit) -> None:
        """Record an edit: the tree's positions follow it now, its structure on the next parse."""
        if self.tree is not None:
            _apply(self.tree, edit)
        if self._running is not None:
            self._running.later_edits.append(edit)
        self._stale = True

    def reset(self) -> None:
        """The whole text was replaced: parse from scratch."""
        if self._running is not None:
            self._parser.reset()
            self._running = None
        self.tree = None
        self._stale = True

    def parse(self, budget_s: float) -> bool:
        """Parse for at most about ``budget_s`` seconds; True when the tree is up to date."""
        if not self._stale:
            return True
        if self._running is None:
            self._running = _RunningParse(self._read(0, self._length()), self.tree.copy() if self.tree else None)
        run = self._running
        deadline = time.perf_counter() + budget_s
        stop = lambda *_: time.perf_counter() > deadline  # noqa: E731 - tree-sitter's progress callback
        try:
            if run.old_tree is None:
                tree = self._parser.parse(run.read, progress_callback=stop)
            else:
                tree = self._parser.parse(run.read, run.old_tree, progress_callback=stop)
        except ValueError:  # stopped by the budget; the next call resumes
            return False
        self._finish(run, tree)
        return not self._stale

    def _finish(self, run: "_RunningParse", tree: tree_sitter.Tree) -> None:
        for edit in run.later_edits:
            _apply(tree, edit)
        run.chunk = TEXT_CHUNK
        self.tree = tree
        self._running = None
        self._stale = bool(run.later_edits)
        self.generation += 1

    def text(self, start: int, end: int) -> bytes:
        """The document's bytes in [start, end)."""
        return self._read(start, max(0, end - start))


class _RunningParse:
    """A parse in progress: the text it reads, the tree it reuses, the edits made since it began.

    The finished tree keeps ``read`` as its source and reads node texts through it (tree-sitter's
    Python binding does that for a tree parsed from a callback)."""

    def __init__(self, snapshot: bytes, old_tree: tree_sitter.Tree | None):
        self.snapshot = snapshot
        self.old_tree = old_tree
        self.later_edits: list[Edit] = []
        self.chunk = PARSE_CHUNK

    def read(self, offset: int, _point) -> bytes:
        # bytes, not a memoryview: the binding does not keep a view alive past the call.
        return self.snapshot[offset:offset + self.chunk]


def _apply(tree: tree_sitter.Tree, edit: Edit) -> None:
    tree.edit(edit.start_byte, edit.old_end_byte, edit.new_end_byte,
              edit.start_point, edit.old_end_point, edit.new_end_point)
