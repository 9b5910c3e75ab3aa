"""The find bar: one row above the editor. Matches are highlighted as the needle is typed and
counted ("3 of 17"); Enter and Shift+Enter step, Ctrl+H shows the replace field in the same row,
Escape closes. Case, whole word and regular expression are toggles, as in Monaco."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QToolButton, QWidget

from plugin_studio.models.text_search import MAX_MATCHES, SearchError, find_all

INDICATOR_FIND = 10
INDIC_ROUNDBOX = 7
SEARCH_DELAY_MS = 60   # a large file is searched once typing in the field pauses


class FindBar(QWidget):
    """Ctrl+F finds, Ctrl+H also replaces; Enter/Shift+Enter step, Escape closes."""

    def __init__(self, editor, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.matches: list[tuple[int, int]] = []
        self.needle = QLineEdit(placeholderText="Find")
        self.replacement = QLineEdit(placeholderText="Replace")
        self.match_case = self._toggle("Aa", "Match case")
        self.whole_word = self._toggle("ab", "Match whole word")
        self.regex = self._toggle(".*", "Use regular expression")
        self.status = QLabel("")
        self.status.setMinimumWidth(80)
        self.previous_button = self._button("↑", "Previous match (Shift+Enter)", self.find_previous)
        self.next_button = self._button("↓", "Next match (Enter)", self.find_next)
        self.replace_button = self._button("Replace", "Replace this match", self.replace_one)
        self.replace_all_button = self._button("All", "Replace all matches", self.replace_all)
        self._replace_widgets = [self.replacement, self.replace_button, self.replace_all_button]
        self._layout_row()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search)
        self.needle.textChanged.connect(lambda _text: self._search_timer.start())
        for toggle in (self.match_case, self.whole_word, self.regex):
            toggle.toggled.connect(lambda _on: self.search())
        self.needle.returnPressed.connect(self.find_next)
        self.replacement.returnPressed.connect(self.replace_one)
        # The bar's own keys, while the focus is in it (not the window's: see ui/commands.py).
        QShortcut(QKeySequence("Shift+Return"), self.needle, self.find_previous,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        editor.indicSetStyle(INDICATOR_FIND, INDIC_ROUNDBOX)
        editor.indicSetFore(INDICATOR_FIND, 0x00A5FF)
        editor.indicSetAlpha(INDICATOR_FIND, 90)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()

    def _toggle(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(text=text, checkable=True, toolTip=tip)
        button.setAutoRaise(True)
        return button

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(text=text, toolTip=tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def _layout_row(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(2)
        close = self._button("✕", "Close (Escape)", self.close_bar)
        for widget in (self.needle, self.match_case, self.whole_word, self.regex, self.status, self.previous_button,
                       self.next_button, self.replacement, self.replace_button, self.replace_all_button):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(close)
        self.needle.setMaximumWidth(260)
        self.replacement.setMaximumWidth(220)

    # -- opening and closing ----------------------------------------------------------------------
    def open_find(self, with_replace: bool = False) -> None:
        for widget in self._replace_widgets:
            widget.setVisible(with_replace)
        selected = self.editor.selected_text()
        if selected and "\n" not in selected:
            self.needle.setText(selected)
        self.show()
        self.needle.setFocus()
        self.needle.selectAll()
        self.search()

    def close_bar(self) -> None:
        self._clear_marks()
        self.matches = []
        self.hide()
        self.editor.take_focus()

    # -- searching ---------------------------------------------------------------------------
    def search(self) -> None:
        """Find and mark every match; select the first one from the caret on."""
        self._search_timer.stop()
        self._clear_marks()
        try:
            self.matches = find_all(self.editor.text_bytes(), self.needle.text(), match_case=self.match_case.isChecked(),
                                    whole_word=self.whole_word.isChecked(), regex=self.regex.isChecked())
        except SearchError as exc:
            self.matches = []
            self.status.setText("bad pattern")
            self.status.setToolTip(str(exc))
            return
        for start, end in self.matches:
            self.editor.fill_indicator(INDICATOR_FIND, start, end)
        anchor = self.editor.selection_range()[0]
        following = next((m for m in self.matches if m[0] >= anchor), self.matches[0] if self.matches else None)
        if following is not None:
            self._select(following)
        self._report()

    def _clear_marks(self) -> None:
        self.editor.setIndicatorCurrent(INDICATOR_FIND)
        self.editor.indicatorClearRange(0, self.editor.length())

    def find_next(self) -> None:
        self._step(forward=True)

    def find_previous(self) -> None:
        self._step(forward=False)

    def _step(self, forward: bool) -> None:
        if self._search_timer.isActive() or not self.matches:
            self.search()
            if not self.matches:
                return
        start, end = self.editor.selection_range()
        if forward:
            found = next((m for m in self.matches if m[0] >= end and m != (start, end)), self.matches[0])
        else:
            found = next((m for m in reversed(self.matches) if m[1] <= start), self.matches[-1])
        self._select(found)
        self._report()

    def _select(self, match: tuple[int, int]) -> None:
        self.editor.select_range(match[0], match[1])

    def _report(self) -> None:
        self.status.setToolTip("")
        if not self.needle.text():
            self.status.setText("")
            return
        if not self.matches:
            self.status.setText("No results")
            return
        selected = self.editor.selection_range()
        index = self.matches.index(selected) + 1 if selected in self.matches else 0
        total = f"{len(self.matches)}+" if len(self.matches) >= MAX_MATCHES else str(len(self.matches))
        self.status.setText(f"{index} of {total}" if index else f"{total} found")

    def match_count(self) -> int:
        return len(self.matches)

    # -- replacing ---------------------------------------------------------------------------
    def replace_one(self) -> None:
        selected = self.editor.selection_range()
        if selected in self.matches:
            self.editor.replace_range(*selected, self.replacement.text())
        self.search()

    def replace_all(self) -> None:
        """Every match replaced in one undo step (last to first, so offsets stay valid)."""
        self.search()
        count, text = len(self.matches), self.replacement.text()
        self.editor.beginUndoAction()
        for start, end in reversed(self.matches):
            self.editor.replace_range(start, end, text)
        self.editor.endUndoAction()
        self.search()
        self.status.setText(f"{count} replaced")
