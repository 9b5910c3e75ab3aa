"""Helpers for driving the real window: answering modal dialogs, opening files, reading previews."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel


PENDING_ANSWERS: list[dict] = []  # cancelled after each test by tests/conftest.py


def cancel_pending_answers() -> None:
    for state in PENDING_ANSWERS:
        state["cancelled"] = True
    PENDING_ANSWERS.clear()


def answer_dialog(qtbot, handle, object_name: str | None = None, timeout_ms: int = 5000):
    """Call ``handle(dialog)`` on the next modal dialog (optionally with this objectName) once it shows.

    Gives up after ``timeout_ms`` (``state["done"]`` stays False), so a test can also check that no
    dialog came; ``state["cancelled"] = True`` stops it at once (it must not answer a later test's dialog).
    """
    state = {"done": False, "cancelled": False}
    waited = {"ms": 0}
    PENDING_ANSWERS.append(state)

    def poll():
        if state["cancelled"]:
            return
        dialog = QApplication.activeModalWidget()
        if dialog is not None and (object_name is None or dialog.objectName() == object_name):
            state["done"] = True
            handle(dialog)
        elif waited["ms"] < timeout_ms:
            waited["ms"] += 20
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return state


def open_file(qtbot, window, path):
    """Select ``path`` in the FileTree and open it as a user would; returns its tab."""
    index = window.tree_model.index_for_path(path)
    assert index.isValid(), path
    window.tree.setCurrentIndex(index)
    window.open_entry(window.tree.current_entry())
    qtbot.waitUntil(lambda: window.editors.current_tab() is not None
                    and window.editors.current_tab().document.path == path)
    return window.editors.current_tab()


def preview_texts(pane) -> list[str]:
    """The text a user sees in a widget preview (labels and buttons)."""
    widgets = pane.findChildren(QLabel) + pane.findChildren(QAbstractButton)
    return [w.text() for w in widgets if w.isVisibleTo(pane) and w.text()]
