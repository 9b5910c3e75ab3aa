"""Folding and bracket matching in the code editor. Fold levels come from the syntax tree
(``models.syntax.folding``), computed in the background shortly after the tree catches up with
the typing and handed to Scintilla only where they changed, a few milliseconds per event-loop
pass (a 1 MB file's first levels are ~17,000 changes); Scintilla draws the fold margin and
folds on a click. The bracket at the caret and its partner are highlighted, a bracket without one
is shown as bad."""
from __future__ import annotations

import time

import tree_sitter
from PySide6.QtCore import QObject, QTimer

from plugin_studio.models.syntax.folding import fold_levels
from plugin_studio.models.syntax.grammars import Highlight
from plugin_studio.ui import jobs

MARGIN_FOLD = 2
FOLD_DELAY_MS = 120
APPLY_BUDGET_S = 0.004   # of handing levels to Scintilla per event-loop pass
SC_MARGIN_SYMBOL, SC_MASK_FOLDERS = 0, 0xFE000000
SC_MARK_ARROW, SC_MARK_EMPTY, SC_MARK_ARROWDOWN = 2, 5, 6
FOLD_MARKERS = {25: SC_MARK_ARROW, 26: SC_MARK_ARROWDOWN, 27: SC_MARK_EMPTY, 28: SC_MARK_EMPTY, 29: SC_MARK_EMPTY,
                30: SC_MARK_ARROW, 31: SC_MARK_ARROWDOWN}
SC_AUTOMATICFOLD_ALL = 1 | 2 | 4       # show, click, change
SC_FOLDFLAG_LINEAFTER_CONTRACTED = 16
STYLE_BRACELIGHT, STYLE_BRACEBAD, STYLE_INDENTGUIDE = 34, 35, 37
SC_IV_LOOKBOTH = 3
BRACKETS = set(b"()[]{}")


def compute_levels(_control, tree: tree_sitter.Tree, line_count: int) -> list[int]:
    """A job: the fold levels of a tree copy."""
    return fold_levels(tree, line_count)


class Folding(QObject):
    """Fold margin, fold levels and bracket matching for ``editor``."""

    def __init__(self, editor):
        super().__init__(editor)
        self.editor = editor
        self._timer = QTimer(self, singleShot=True, interval=FOLD_DELAY_MS)
        self._timer.timeout.connect(self.update_levels)
        self._pending: tuple[list[int], int, int] | None = None   # levels, their line count, next line
        self._apply_timer = QTimer(self, singleShot=True, interval=0)
        self._apply_timer.timeout.connect(self._apply_some)
        self._configure()
        editor.highlighter.tree_updated.connect(self._timer.start)
        editor.updateUi.connect(self._match_brackets)

    def _configure(self) -> None:
        editor = self.editor
        editor.setMarginTypeN(MARGIN_FOLD, SC_MARGIN_SYMBOL)
        editor.setMarginMaskN(MARGIN_FOLD, SC_MASK_FOLDERS)
        editor.setMarginWidthN(MARGIN_FOLD, 14)
        editor.setMarginSensitiveN(MARGIN_FOLD, True)
        for marker, symbol in FOLD_MARKERS.items():
            editor.markerDefine(marker, symbol)
            editor.markerSetFore(marker, 0x808080)
            editor.markerSetBack(marker, 0x808080)
        editor.setAutomaticFold(SC_AUTOMATICFOLD_ALL)
        editor.setFoldFlags(SC_FOLDFLAG_LINEAFTER_CONTRACTED)
        editor.setIndentationGuides(SC_IV_LOOKBOTH)
        editor.styleSetFore(STYLE_INDENTGUIDE, 0xD8D8D8)
        editor.styleSetBack(STYLE_BRACELIGHT, 0xD9EFD9)
        editor.styleSetBold(STYLE_BRACELIGHT, True)
        editor.styleSetFore(STYLE_BRACEBAD, 0x1414E5)

    def update_levels(self) -> None:
        document = self.editor.highlighter.document
        if document is None or document.tree is None or not self.editor.highlighter.is_current() or \
                self.editor.rows is not None:   # fold levels are the file's lines, not the rows
            return
        line_count = self.editor.lineCount()
        jobs.start(compute_levels, document.tree.copy(), line_count, owner=self,
                   on_done=lambda levels, n=line_count: self._apply(levels, n))

    def _apply(self, levels: list[int], line_count: int) -> None:
        self._pending = (levels, line_count, 0)
        self._apply_some()

    def _apply_some(self) -> None:
        levels, line_count, line = self._pending
        editor = self.editor
        if editor.lineCount() != line_count:
            self._pending = None
            return   # lines came or went meanwhile: the next tree brings new levels
        deadline = time.perf_counter() + APPLY_BUDGET_S
        while line < len(levels):
            if editor.foldLevel(line) != levels[line]:
                editor.setFoldLevel(line, levels[line])
            line += 1
            if line % 256 == 0 and time.perf_counter() > deadline:
                self._pending = (levels, line_count, line)
                self._apply_timer.start()
                return
        self._pending = None

    def levels(self) -> list[int]:
        return [self.editor.foldLevel(line) for line in range(self.editor.lineCount())]

    def _match_brackets(self, _updated: int) -> None:
        editor = self.editor
        position = editor.currentPos()
        for candidate in (position - 1, position):
            if 0 <= candidate < editor.length() and editor.charAt(candidate) in BRACKETS and \
                    editor.styleAt(candidate) not in (Highlight.STRING, Highlight.COMMENT):
                match = editor.braceMatch(candidate, 0)
                if match >= 0:
                    editor.braceHighlight(candidate, match)
                else:
                    editor.braceBadLight(candidate)
                return
        editor.braceHighlight(-1, -1)
