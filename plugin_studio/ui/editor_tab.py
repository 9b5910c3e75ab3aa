"""One open file: the editor, its find/replace bar, and the document (row identity, loaded text)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSplitter, QToolButton,
    QVBoxLayout, QWidget,
)

from plugin_studio.models.documents import Document
from plugin_studio.ui.editor import CodeEditor


class FindBar(QWidget):
    """Ctrl+F finds, Ctrl+H also replaces; Enter/Shift+Enter step, Escape closes."""

    def __init__(self, editor: CodeEditor, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.needle = QLineEdit(placeholderText="Find")
        self.replacement = QLineEdit(placeholderText="Replace with")
        self.match_case = QCheckBox("Aa")
        self.match_case.setToolTip("Match case")
        self.status = QLabel()
        buttons = {}
        for text, slot in (("↓", self.find_next), ("↑", self.find_previous), ("Replace", self.replace_one),
                           ("All", self.replace_all)):
            buttons[text] = QPushButton(text)
            buttons[text].clicked.connect(slot)
        close = QToolButton(text="✕")
        close.clicked.connect(self.close_bar)
        self._replace_widgets = [self.replacement, buttons["Replace"], buttons["All"]]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (self.needle, buttons["↓"], buttons["↑"], self.match_case, self.replacement,
                       buttons["Replace"], buttons["All"], self.status, close):
            layout.addWidget(widget)
        self.needle.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence("Shift+Return"), self.needle, self.find_previous)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar)
        self.hide()

    def open_find(self, with_replace: bool = False) -> None:
        for widget in self._replace_widgets:
            widget.setVisible(with_replace)
        selected = bytes(self.editor.getSelText()).decode("utf-8").rstrip("\0")
        if selected and "\n" not in selected:
            self.needle.setText(selected)
        self.show()
        self.needle.setFocus()
        self.needle.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.editor.take_focus()

    def find_next(self) -> None:
        self._report(self.editor.find(self.needle.text(), match_case=self.match_case.isChecked()))

    def find_previous(self) -> None:
        self._report(self.editor.find(self.needle.text(), forward=False, match_case=self.match_case.isChecked()))

    def replace_one(self) -> None:
        self.editor.replace_selection_if_match(self.needle.text(), self.replacement.text(), self.match_case.isChecked())
        self.find_next()

    def replace_all(self) -> None:
        count = self.editor.replace_all(self.needle.text(), self.replacement.text(),
                                        match_case=self.match_case.isChecked())
        self.status.setText(f"{count} replaced")

    def _report(self, found: bool) -> None:
        self.status.setText("" if found else "no match")


class EditorTab(QWidget):
    """A tab's content. ``saving`` is True while a save is on its way to the server."""

    dirty_changed = Signal(bool)

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.saving = False
        self.queued_saves: list = []  # "then" callbacks of saves asked for while one was on its way
        self.waiting_for_connection = False
        self.editor = CodeEditor()
        self.editor.set_language(document.language)
        self.editor.set_text(document.loaded_text)
        self.find_bar = FindBar(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.editor)
        self.preview = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.splitter)
        self.editor.dirty_changed.connect(self.dirty_changed)

    @property
    def key(self) -> str:
        return self.document.key

    def attach_side_panel(self, widget: QWidget) -> None:
        """Show ``widget`` beside the editor (e.g. a widget's live preview), sharing the width.

        The panel scrolls rather than squeezing the editor when the tab is narrower than it wants.
        """
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(widget)
        self.splitter.addWidget(scroller)
        self.splitter.setCollapsible(0, False)
        QTimer.singleShot(0, self._share_width)

    def _share_width(self) -> None:
        width = max(self.splitter.width(), 800)
        self.splitter.setSizes([int(width * 0.42), width - int(width * 0.42)])

    def is_dirty(self) -> bool:
        return self.editor.is_dirty()

    def text(self) -> str:
        return self.editor.text()

    def server_text_changed(self, text: str) -> bool:
        """Another client changed the row: follow it if the user has no edits; True when followed."""
        if self.is_dirty() or self.saving:
            return False
        if text != self.document.loaded_text:
            self.document.loaded_text = text
            line, column = self.editor.cursor_line_column()
            self.editor.set_text(text)
            self.editor.go_to_line(line, column)
        return True

    def saved(self, text: str) -> None:
        """The server has ``text`` now; clear the dirty marker if the user typed nothing meanwhile."""
        self.saving = False
        self.document.loaded_text = text
        if self.editor.text() == text:
            self.editor.mark_saved()
