"""The widget preview pane's layout: the split between the preview and its controls, and the
controls' building blocks, so that the pane is usable in a widget tab's share of 1280×800.

Narrower than ``SIDE_BY_SIDE_MIN_PX`` the controls go below the preview (beside it, one of the two
would be a sliver: a phone-sized page needs ~400 px, the controls ~300). The preview's share of
the room is kept per orientation as the user last left it, and reported for the settings.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QScrollArea, QSplitter, QWidget

from plugin_studio.ui import theme

SIDE_BY_SIDE_MIN_PX = 740
DEFAULT_SPLIT = {"horizontal": 0.6, "vertical": 0.55}   # the preview's share of the pane


class PreviewSplit(QObject):
    """Keeps ``splitter`` (preview first, controls second) fitted to the room ``pane`` has."""

    changed = Signal(dict)    # the user moved the split: {"horizontal"|"vertical": share}

    def __init__(self, pane: QWidget, splitter: QSplitter):
        super().__init__(pane)
        self.pane, self.splitter = pane, splitter
        self.shares = dict(DEFAULT_SPLIT)
        self._watched: QWidget | None = None
        splitter.splitterMoved.connect(self._on_moved)
        pane.installEventFilter(self)

    def restore(self, shares: dict) -> None:
        """Shares remembered from another widget tab or the last session (``changed``'s values)."""
        self.shares.update({k: float(v) for k, v in shares.items() if k in DEFAULT_SPLIT and 0.1 <= v <= 0.9})
        self.fit()

    def eventFilter(self, watched, event):
        if watched is self.pane and event.type() == QEvent.Type.Show:
            self._watch_parent()
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    def _watch_parent(self) -> None:
        """In a scroll area the pane is never narrower than its minimum: the room it has is the parent's."""
        parent = self.pane.parentWidget()
        if parent is not None and parent is not self._watched:
            parent.installEventFilter(self)
            self._watched = parent

    def _room(self) -> QSize:
        parent = self.pane.parentWidget()
        return parent.size() if parent is not None else self.pane.size()

    def _orientation_name(self) -> str:
        return "horizontal" if self.splitter.orientation() == Qt.Orientation.Horizontal else "vertical"

    def fit(self) -> None:
        """Controls beside the preview where there is room, below it otherwise; the preview's share
        of the room as the user last left it, whatever the room is now."""
        room = self._room()
        wanted = Qt.Orientation.Horizontal if room.width() >= SIDE_BY_SIDE_MIN_PX else Qt.Orientation.Vertical
        if wanted != self.splitter.orientation():
            self.splitter.setOrientation(wanted)
        total = room.width() if wanted == Qt.Orientation.Horizontal else room.height()
        first = int(total * self.shares[self._orientation_name()])
        self.splitter.setSizes([first, max(total - first, 1)])

    def _on_moved(self, *_args) -> None:
        sizes = self.splitter.sizes()
        if sum(sizes) > 0:
            self.shares[self._orientation_name()] = round(sizes[0] / sum(sizes), 3)
            self.changed.emit(dict(self.shares))


def scrolling(page: QWidget) -> QScrollArea:
    """A controls page that scrolls when the pane is short, instead of taking room from the preview."""
    scroller = QScrollArea()
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setWidget(page)
    return scroller


def json_edit() -> QPlainTextEdit:
    """A JSON field in the editor's font, never squeezed below three lines."""
    edit = QPlainTextEdit()
    theme.follow(edit, lambda e, appearance: (e.setFont(theme.editor_font(appearance)),
                                              e.setMinimumHeight(e.fontMetrics().lineSpacing() * 3 + 12)))
    return edit


def wrapped(text: str) -> QLabel:
    """A caption that wraps: a long one must not set the pane's minimum width."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label
