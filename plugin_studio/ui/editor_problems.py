"""Problems drawn in the code editor: a squiggle under the code (red for errors, amber for
warnings), a mark in the margin, and the message boxed under its line, as the user reads it.

Problems come in groups that are replaced independently: the checks run as you type
(``"check"``), the JS engine's own verdict (``"engine"``), and runtime errors reported by the
debugger (``"runtime"``).
"""
from __future__ import annotations

import dataclasses

from plugin_studio.models.syntax.positions import Positions
from plugin_studio.models.syntax.problems import Problem, QuickFix, problem_at

INDICATOR_ERROR, INDICATOR_WARNING = 8, 9
MARKER_ERROR, MARKER_WARNING = 3, 4
STYLE_ANNOTATION_ERROR, STYLE_ANNOTATION_WARNING = 40, 41
INDIC_SQUIGGLE = 1
SC_MARK_SMALLRECT = 3
ANNOTATION_BOXED = 2


class ProblemMarks:
    """Owns the problem indicators, margin marks and annotations of ``editor``."""

    def __init__(self, editor):
        self.editor = editor
        self.groups: dict[str, list[Problem]] = {}
        editor.indicSetStyle(INDICATOR_ERROR, INDIC_SQUIGGLE)
        editor.indicSetFore(INDICATOR_ERROR, 0x1414E5)       # 0xBBGGRR
        editor.indicSetStyle(INDICATOR_WARNING, INDIC_SQUIGGLE)
        editor.indicSetFore(INDICATOR_WARNING, 0x0090D0)
        editor.markerDefine(MARKER_ERROR, SC_MARK_SMALLRECT)
        editor.markerSetBack(MARKER_ERROR, 0x1414E5)
        editor.markerSetFore(MARKER_ERROR, 0x0000A0)
        editor.markerDefine(MARKER_WARNING, SC_MARK_SMALLRECT)
        editor.markerSetBack(MARKER_WARNING, 0x0090D0)
        editor.markerSetFore(MARKER_WARNING, 0x006090)
        editor.annotationSetVisible(ANNOTATION_BOXED)

    def replace(self, group: str, problems: list[Problem]) -> None:
        self.groups[group] = list(problems)
        self._redraw()

    def clear(self) -> None:
        self.groups.clear()
        self._redraw()

    def all(self) -> list[Problem]:
        return sorted((p for group in self.groups.values() for p in group), key=lambda p: p.start)

    def at(self, position: int) -> list[Problem]:
        """Problems whose range (or, when empty, whose line) holds ``position``."""
        line = self.line_of(position)
        return [p for p in self.all() if p.start <= position <= max(p.end, p.start + 1) or
                (p.start == p.end and self.line_of(p.start) == line)]

    def fixes_on_line(self, line: int) -> list[QuickFix]:
        return [fix for p in self.all() if self.line_of(p.start) == line for fix in p.fixes]

    def lines(self, severity: str | None = None) -> list[int]:
        return sorted({self.line_of(p.start) for p in self.all() if severity is None or p.severity == severity})

    def line_of(self, position: int) -> int:
        return self.editor.file_line_of(position)

    def edited(self, position: int, removed: int, inserted: int) -> None:
        """Text changed at ``position``: problems after it move with their code (Scintilla moves
        the drawn marks itself); those inside a removed range shrink to its start."""
        def moved(offset: int) -> int:
            if offset >= position + removed:
                return offset - removed + inserted
            return min(offset, position) if offset > position else offset

        for group, problems in self.groups.items():
            self.groups[group] = [dataclasses.replace(
                p, start=moved(p.start), end=moved(p.end),
                fixes=tuple(dataclasses.replace(f, start=moved(f.start), end=moved(f.end)) for f in p.fixes))
                for p in problems]

    def problem_from_line_column(self, line: int, column: int | None, message: str, severity: str) -> Problem:
        """A problem reported as line:column (columns in characters), e.g. by the runtime."""
        positions = Positions(self.editor.text_bytes())
        start = positions.offset(line, column or 1)
        return problem_at(positions, start, positions.line_end(min(line, positions.line_count)), message, severity,
                          "runtime")

    def redraw(self) -> None:
        """Draw the problems afresh (the display text was replaced)."""
        self._redraw()

    def _redraw(self) -> None:
        editor = self.editor
        length = editor.text_length()
        for indicator in (INDICATOR_ERROR, INDICATOR_WARNING):
            editor.setIndicatorCurrent(indicator)
            editor.indicatorClearRange(0, editor.length())
        editor.markerDeleteAll(MARKER_ERROR)
        editor.markerDeleteAll(MARKER_WARNING)
        editor.annotationClearAll()
        messages: dict[int, list[Problem]] = {}
        for problem in self.all():
            if problem.start > length:
                continue
            self._squiggle(problem, length)
            messages.setdefault(editor.lineFromPosition(editor.display_position(problem.start)), []).append(problem)
        for line0, problems in messages.items():
            errors = any(p.severity == "error" for p in problems)
            editor.markerAdd(line0, MARKER_ERROR if errors else MARKER_WARNING)
            text = "\n".join(("✖ " if p.severity == "error" else "⚠ ") + p.message for p in problems)
            editor.annotationSetText(line0, text)
            editor.annotationSetStyle(line0, STYLE_ANNOTATION_ERROR if errors else STYLE_ANNOTATION_WARNING)

    def _squiggle(self, problem: Problem, length: int) -> None:
        editor = self.editor
        indicator = INDICATOR_ERROR if problem.severity == "error" else INDICATOR_WARNING
        if problem.start < min(problem.end, length):
            editor.fill_indicator(indicator, problem.start, min(problem.end, length))
            return
        # A place, not a range ("missing `}`"): underline the character before it.
        at = editor.display_position(problem.start)
        line_start = editor.positionFromLine(editor.lineFromPosition(at))
        start, end = (editor.positionBefore(at), at) if at > line_start else (at, editor.positionAfter(at))
        if end > start:
            editor.setIndicatorCurrent(indicator)
            editor.indicatorFillRange(start, end - start)
