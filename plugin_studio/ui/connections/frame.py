"""How the window shows which connection it is on: a frame in the connection's colour around the
whole window and a strip along its top (production: always, in the production colour unless the
connection has its own), and the connection's name in the window title."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QWidget

from plugin_studio.models.connections import DEFAULT_COLOR, PRODUCTION_COLOR, SavedConnection

FRAME_WIDTH = 4   # logical pixels


def frame_color(connection: SavedConnection | None) -> str | None:
    """The frame's colour, or None for no frame (no saved connection, or an ordinary one left grey)."""
    if connection is None:
        return None
    if connection.production:
        return PRODUCTION_COLOR if connection.color == DEFAULT_COLOR else connection.color
    return None if connection.color == DEFAULT_COLOR else connection.color


def title_prefix(connection: SavedConnection | None) -> str:
    """What the window title starts with: ``"[PRODUCTION] Shop — "``, ``"[read-only] Staging — "``…"""
    if connection is None:
        return ""
    flags = [word for word, on in (("PRODUCTION", connection.production), ("read-only", connection.read_only)) if on]
    marks = "".join(f"[{flag}] " for flag in flags)
    return f"{marks}{connection.name} — "


class WindowFrame(QWidget):
    """A border drawn over the window's edges; it lets every click through to what is below."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("connection-frame")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.color = QColor(PRODUCTION_COLOR)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.hide()

    def show_color(self, color: str | None) -> None:
        if color is None:
            self.hide()
            return
        self.color = QColor(color)
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded):
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
        return False

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        pen = QPen(self.color, FRAME_WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = FRAME_WIDTH / 2
        painter.drawRect(self.rect().toRectF().adjusted(half, half, -half, -half))


def connection_strip() -> QLabel:
    strip = QLabel()
    strip.setObjectName("connection-strip")
    strip.setAlignment(Qt.AlignmentFlag.AlignCenter)
    strip.hide()
    return strip


def show_strip(strip: QLabel, connection: SavedConnection | None) -> None:
    color = frame_color(connection)
    if connection is None or color is None:
        strip.hide()
        return
    flags = " · ".join(w for w, on in (("PRODUCTION", connection.production), ("read-only", connection.read_only)) if on)
    strip.setText(f"{connection.name}" + (f"  —  {flags}" if flags else "") + f"  —  {connection.describe()}")
    strip.setStyleSheet(f"background: {color}; color: white; font-weight: bold; padding: 3px;")
    strip.show()
