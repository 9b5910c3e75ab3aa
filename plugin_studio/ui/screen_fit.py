"""Windows that fit the screen they open on, at any scale factor.

Sizes in Qt are logical pixels: at a 150 % scale a 1920×1080 screen offers 1280×720 (less the
panels), so a fixed 1280×800 window would hang off its edges. A window asks for its preferred
size and gets what fits the screen's available area; a geometry restored from another screen or
another scale is pulled back into it too.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.92     # a new window leaves a little of the desktop showing around it


def fitted(wanted: QSize, available: QRect, share: float = SCREEN_SHARE) -> QRect:
    """A rectangle of ``wanted`` size, shrunk to ``share`` of ``available`` where larger, centred in it."""
    width = min(wanted.width(), int(available.width() * share))
    height = min(wanted.height(), int(available.height() * share))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def fit_new_window(window: QWidget, wanted: QSize) -> None:
    """Size a window opening for the first time: ``wanted``, or what its screen has room for."""
    screen = window.screen()
    if screen is None:
        window.resize(wanted)
        return
    window.setGeometry(fitted(wanted, screen.availableGeometry()))


def keep_on_screen(window: QWidget) -> None:
    """After restoring a saved geometry: shrink and move the window into its screen's available area."""
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    if available.contains(frame):
        return
    extra = frame.size() - window.size()     # the window manager's frame, outside the geometry
    width = min(window.width(), available.width() - extra.width())
    height = min(window.height(), available.height() - extra.height())
    window.resize(max(width, 1), max(height, 1))
    left = min(max(frame.left(), available.left()), available.right() - window.frameGeometry().width() + 1)
    top = min(max(frame.top(), available.top()), available.bottom() - window.frameGeometry().height() + 1)
    window.move(left, top)
