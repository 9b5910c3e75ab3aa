"""What the editor marks: a problem with its place in bytes and in line:column, its message, and
the quick fixes that can be applied to it."""
from __future__ import annotations

from dataclasses import dataclass

from plugin_studio.models.syntax.positions import Positions


@dataclass(frozen=True)
class QuickFix:
    """Replace the bytes [start, end) of the document with ``replacement``."""
    title: str
    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Problem:
    """A diagnostic. ``start``/``end``: byte offsets (UTF-8, as Scintilla and tree-sitter count);
    ``line``/``column``: 1-based, the column in characters (``Positions``).
    ``source``: syntax | engine | storefront | names | react."""
    start: int
    end: int
    line: int
    column: int
    message: str
    severity: str = "error"
    source: str = "syntax"
    fixes: tuple[QuickFix, ...] = ()

    @property
    def label(self) -> str:
        return f"line {self.line}:{self.column}: {self.message}"


def problem_at(positions: Positions, start: int, end: int, message: str, severity: str = "error",
               source: str = "syntax", fixes: tuple[QuickFix, ...] = ()) -> Problem:
    line, column = positions.locate(start)
    return Problem(start, max(start, end), line, column, message, severity, source, fixes)
