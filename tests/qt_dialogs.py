"""Modal dialogs in tests: answering them when they show, and closing those a test left open.

A test that expects a dialog registers an answer *before* the action that opens it; the answer is
handed the dialog by an application event filter the moment the dialog shows, however late that is
(no polling budget that can run out before a slow dialog comes). Every answer still pending when the
test ends is cancelled by tests/conftest.py, so it cannot answer the next test's dialog.
"""
from __future__ import annotations

from typing import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

DEFAULT_WAIT_MS = 60_000  # only turns a dialog that never comes into a clear failure; not a speed claim


class DialogAnswer:
    """One expected dialog: ``handle(dialog)`` runs once, on the first matching dialog that shows.

    ``text`` is then the message of the box answered (a QMessageBox), as the user read it.
    """

    def __init__(self, handle: Callable[[QDialog], object], object_name: str | None):
        self.handle = handle
        self.object_name = object_name
        self.done = False
        self.cancelled = False
        self.text = ""

    def wants(self, dialog: QWidget) -> bool:
        return not self.cancelled and (self.object_name is None or dialog.objectName() == self.object_name)

    def cancel(self) -> None:
        self.cancelled = True
        watcher().forget(self)

    def wait(self, qtbot, timeout_ms: int = DEFAULT_WAIT_MS) -> None:
        """Wait until the dialog has come and been answered."""
        qtbot.waitUntil(lambda: self.done, timeout=timeout_ms)

    def answer(self, dialog: QDialog) -> None:
        if self.cancelled or not shiboken6.isValid(dialog) or not dialog.isVisible():
            return
        self.done = True
        self.text = dialog.text() if isinstance(dialog, QMessageBox) else ""
        try:
            self.handle(dialog)
        except BaseException:
            _close(dialog)  # a failed answer must not leave the modal loop waiting for a user
            raise


class DialogWatcher(QObject):
    """Application event filter: offers each dialog that shows to the first pending answer wanting it,
    and remembers what showed (``shown``: objectName or class name, in order)."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.pending: list[DialogAnswer] = []
        self.shown: list[str] = []
        app.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            self.shown.append(_name(watched))
            self.offer(watched)
        return False

    def offer(self, dialog: QDialog) -> None:
        answer = next((a for a in self.pending if a.wants(dialog)), None)
        if answer is not None:
            self.forget(answer)
            # Run once the dialog's own event loop (exec) is running, as a user's click would.
            QTimer.singleShot(0, lambda: answer.answer(dialog))

    def add(self, answer: DialogAnswer) -> None:
        self.pending.append(answer)
        shown = QApplication.activeModalWidget()
        if isinstance(shown, QDialog):
            self.offer(shown)

    def forget(self, answer: DialogAnswer) -> None:
        if answer in self.pending:
            self.pending.remove(answer)

    def cancel_all(self) -> None:
        for answer in list(self.pending):
            answer.cancel()


_watcher: DialogWatcher | None = None


def watcher() -> DialogWatcher:
    """The watcher of the running QApplication (created on first use)."""
    global _watcher
    app = QApplication.instance()
    if _watcher is None or not shiboken6.isValid(_watcher) or _watcher.parent() is not app:
        _watcher = DialogWatcher(app)
    return _watcher


def answer_dialog(qtbot, handle: Callable[[QDialog], object], object_name: str | None = None) -> DialogAnswer:
    """Call ``handle(dialog)`` on the next dialog that shows (optionally only one with this objectName).

    Register it before the action that opens the dialog. It waits for as long as the test runs;
    ``answer.cancel()`` stops it, and tests/conftest.py cancels every pending answer after each test.
    """
    answer = DialogAnswer(handle, object_name)
    watcher().add(answer)
    return answer


def cancel_pending_answers() -> None:
    if _watcher is not None and shiboken6.isValid(_watcher):
        _watcher.cancel_all()


def open_dialogs() -> list[QWidget]:
    """Visible top-level dialogs and modal windows."""
    if QApplication.instance() is None:
        return []
    return [w for w in QApplication.topLevelWidgets()
            if w.isVisible() and (isinstance(w, QDialog) or w.isModal())]


def describe(widget: QWidget) -> str:
    text = f" {widget.text()!r}" if isinstance(widget, QMessageBox) else ""
    return f"{type(widget).__name__} {_name(widget)!r} titled {widget.windowTitle()!r}{text}"


def close_open_dialogs() -> list[str]:
    """Close every dialog still open (so a modal loop returns); returns what was closed, described."""
    closed = []
    for widget in open_dialogs():
        closed.append(describe(widget))
        _close(widget)
    return closed


def _close(widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        widget.reject()
    widget.close()


def _name(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__
