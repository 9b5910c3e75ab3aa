"""Helpers for driving the real window: answering modal dialogs, opening files, reading previews."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel


def answer_dialog(qtbot, handle, object_name: str | None = None, timeout_ms: int = 5000):
    """Call ``handle(dialog)`` on the next modal dialog (optionally with this objectName) once it shows."""
    state = {"done": False}

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is not None and (object_name is None or dialog.objectName() == object_name):
            state["done"] = True
            handle(dialog)
        else:
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
