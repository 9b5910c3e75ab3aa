"""Helpers for driving the real window: answering modal dialogs, opening files, reading previews."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel

from qt_dialogs import answer_dialog  # noqa: F401  (the tests of the window answer its dialogs)


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


def wait_for_queued_database_work(qtbot, window) -> None:
    """Wait until every database job the window queued so far has run.

    Each of the window's two lanes (reads, writes) runs its jobs one at a time, in order: a marker
    job queued now on each answers only after all of them. Proof that a write did NOT happen,
    without waiting N ms.
    """
    answered = []
    window.db.submit(_marker, on_done=answered.append)
    window.db.writes_lane.submit(_marker, owner=None, on_done=answered.append)   # not a user's write: no guard
    qtbot.waitUntil(lambda: answered == ["marker", "marker"])


def _marker(_conn) -> str:
    return "marker"
