"""Opening a file in the window as a user would, and waiting for the pane beside it."""
from __future__ import annotations


def open_file(qtbot, window, path):
    """Select ``path`` in the FileTree and open it; returns its tab."""
    index = window.tree_model.index_for_path(path)
    assert index.isValid(), path
    window.tree.setCurrentIndex(index)
    window.open_entry(window.tree.current_entry())
    qtbot.waitUntil(lambda: window.editors.current_tab() is not None
                    and window.editors.current_tab().document.path == path)
    return window.editors.current_tab()


def open_with_pane(qtbot, window, path):
    """Open ``path`` and wait until the pane beside its editor is there; returns (tab, pane)."""
    tab = open_file(qtbot, window, path)
    qtbot.waitUntil(lambda: getattr(tab, "preview", None) is not None)
    return tab, tab.preview


def wait_for_queued_database_work(qtbot, window) -> None:
    """Every database job queued so far has run (each of the window's two lanes runs its jobs in order)."""
    answered = []
    window.db.submit(lambda _conn: "marker", on_done=answered.append)
    window.db.writes_lane.submit(lambda _conn: "marker", owner=None, on_done=answered.append)   # not a user's write: no guard
    qtbot.waitUntil(lambda: answered == ["marker", "marker"])
