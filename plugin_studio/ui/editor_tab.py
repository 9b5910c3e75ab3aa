"""One open file: the editor, its find bar (ui/editor_find.py), and the document (row identity, loaded text)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from plugin_studio.models.documents import Document
from plugin_studio.ui.editor import CodeEditor
from plugin_studio.ui.editor_find import FindBar
from plugin_studio.ui.editor_outline import OutlineView


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
        self.notice = QLabel()
        self.notice.setObjectName("editor-notice")
        self.notice.setStyleSheet("QLabel { background: #fff6d5; color: #5c4500; padding: 2px 8px; }")
        self.editor.highlighter.notice_changed.connect(self._show_notice)
        self._show_notice(self.editor.syntax_notice())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.editor)
        self.outline = OutlineView(self.editor)
        self.splitter.addWidget(self.outline)
        self.splitter.setStretchFactor(0, 1)
        self.outline.setVisible(document.language in ("javascript", "jsx"))
        QTimer.singleShot(0, self._size_outline)
        self.preview = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)   # the notice and the find bar keep their own heights
        self.editor.dirty_changed.connect(self.dirty_changed)

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    @property
    def key(self) -> str:
        return self.document.key

    def attach_side_panel(self, widget: QWidget, share: float = 0.42) -> None:
        """Show ``widget`` beside the editor (e.g. a widget's live preview), sharing the width: the
        editor gets ``share`` of it.

        The panel scrolls rather than squeezing the editor when the tab is narrower than it wants.
        """
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(widget)
        self.outline.hide()   # the panel needs the room beside the editor more than the outline does
        self.splitter.addWidget(scroller)
        self.splitter.setCollapsible(0, False)
        QTimer.singleShot(0, lambda: self._share_width(share))

    def _size_outline(self) -> None:
        if self.splitter.count() == 2:
            width = max(self.splitter.width(), 600)
            self.splitter.setSizes([width - 190, 190])

    def _share_width(self, share: float) -> None:
        width = max(self.splitter.width(), 800)
        editor = int(width * share)
        outline = 150 if self.outline.isVisible() else 0
        self.splitter.setSizes([editor - outline, outline, width - editor])

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
