"""The editing session across restarts: every open tab, of whichever plugin, with its cursor and
scroll position, and the tab that had focus.

Tabs are remembered by row (table, row id, plugin id), never by path; a row or plugin deleted
since is not reopened, and the status bar says how many were left out. Settings files written
before this kept ``[table, row id]`` pairs of the current plugin; they still restore.
"""
from __future__ import annotations

from typing import Any

from plugin_studio.db.errors import NotFound
from plugin_studio.services.plugin_tree import load_plugin_view
from plugin_studio.ui.editor_area import alive


def remembered_tabs(editors) -> list[dict[str, Any]]:
    """What ``restore`` needs of each open tab, in tab order (lines and columns 1-based)."""
    found = []
    for tab in editors.all_tabs():
        line, column = tab.editor.cursor_line_column()
        found.append({"table": tab.document.table, "row_id": tab.document.row_id, "plugin_id": tab.document.plugin_id,
                      "line": line, "column": column, "first_line": tab.editor.firstVisibleLine() + 1})
    return found


def _normalised(saved: list, default_plugin: str | None) -> list[dict[str, Any]]:
    tabs = []
    for item in saved:
        if isinstance(item, dict) and item.get("table") and item.get("row_id"):
            tabs.append({"plugin_id": default_plugin, **item})
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            tabs.append({"table": item[0], "row_id": item[1], "plugin_id": default_plugin})
    return [t for t in tabs if t["plugin_id"]]


def entries_by_plugin(conn, plugin_ids: list[str]) -> dict[str, dict[tuple[str, str], Any]]:
    """Each still existing plugin's files by (table, row id); a deleted plugin is left out."""
    found = {}
    for plugin_id in plugin_ids:
        try:
            _plugin, entries = load_plugin_view(conn, plugin_id)
        except NotFound:
            continue
        found[plugin_id] = {(e.table, e.row_id): e for e in entries}
    return found


class SessionRestore:
    """Reopens the remembered tabs once, in their order, each at its cursor; then focuses the one
    that had focus. ``window``: the main window (its public ``db``, ``editors``, ``settings``)."""

    def __init__(self, window):
        self.window = window
        settings = window.settings
        self.tabs = _normalised(settings.open_tabs, settings.last_plugin_id)
        self.current = settings.current_tab if 0 <= settings.current_tab < len(self.tabs) else len(self.tabs) - 1

    def start(self) -> None:
        if not self.tabs:
            return
        plugin_ids = list(dict.fromkeys(t["plugin_id"] for t in self.tabs))
        self.window.db.submit(entries_by_plugin, plugin_ids, title="Reopening your tabs", on_done=self._reopen,
                              on_error=lambda e: self.window.report_error("Could not reopen the last session's tabs", e))

    def _reopen(self, found: dict) -> None:
        reopening = [(t, found.get(t["plugin_id"], {}).get((t["table"], t["row_id"]))) for t in self.tabs]
        kept = [(saved, entry) for saved, entry in reopening if entry is not None]
        focus = reopening[self.current][0] if reopening and reopening[self.current][1] is not None else None
        last = kept[-1][0] if kept else None
        for saved, entry in kept:
            self.window.editors.open_entry(saved["plugin_id"], entry,
                                           on_opened=lambda tab, s=saved: self._placed(tab, s, focus, last))
        left_out = len(reopening) - len(kept)
        if left_out:
            self.window.show_status(f"{left_out} tab(s) of the last session were not reopened: their files or "
                                    "plugins were deleted since", 15_000)

    def _placed(self, tab, saved: dict, focus: dict | None, last: dict) -> None:
        if alive(tab) and saved.get("line"):
            tab.editor.go_to_line(saved["line"], saved.get("column") or 1)
            tab.editor.setFirstVisibleLine(max(0, (saved.get("first_line") or 1) - 1))
        if saved is last and focus is not None:
            focused = self.window.editors.tab_for(focus["table"], focus["row_id"])
            if focused is not None:
                self.window.editors.tabs.setCurrentWidget(focused)
                focused.editor.take_focus()
