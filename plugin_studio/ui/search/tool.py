"""The Search view in the window: a dock tabbed with the Explorer, searching on its own connection
once the database is there, scoped to the plugin the window shows, opening a match where it is
(in another plugin too: that plugin is shown first, as a click in the plugin list would).

Results are lines of code, wider than the Explorer's names: the side bar takes the Search view's
own width while it shows (the user's last, kept in the settings; at first about a third of the
window) and gives the Explorer its width back when it shows again.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDockWidget

from plugin_studio.ui.editor_area import alive
from plugin_studio.ui.search.panel import SearchPanel


SEARCH_SHARE = 0.32              # of the window's width, for a first Search view
SEARCH_WIDTH_RANGE = (440, 760)  # px: a line of code and its path at least; the editor keeps the rest


def default_search_width(window_width: int) -> int:
    low, high = SEARCH_WIDTH_RANGE
    return max(low, min(high, int(window_width * SEARCH_SHARE)))


class SearchTool(QObject):
    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self._pending: tuple[str, str, str, int, int] | None = None   # a match waiting for its plugin
        self.panel = SearchPanel(unsaved_rows=self._unsaved_rows, may_write=lambda action: window.db.may_write(action))
        self.dock = QDockWidget("Search", window)
        self.dock.setObjectName("search-dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.side_dock, self.dock)
        window.side_dock.raise_()
        window.database_ready.connect(self.panel.connect_database)
        window.plugin_loaded.connect(self._on_plugin_loaded)
        self.panel.match_activated.connect(self.open_match)
        self.dock.visibilityChanged.connect(self._on_shown_or_hidden)
        # Whether a view has been given its own width since it showed: until then a resize is not the user's.
        self._sized = {"search": False, "explorer": True}
        for dock in (self.dock, window.side_dock):
            dock.installEventFilter(self)

    def _on_shown_or_hidden(self, visible: bool) -> None:
        """The side bar is as wide as the view it shows (see the module docstring)."""
        window, widths = self._window, self._window.settings.side_widths
        shown, dock = ("search", self.dock) if visible else ("explorer", window.side_dock)
        self._sized = {"search": False, "explorer": False}   # both change places now
        if window.isVisible() and not window.isMinimized():
            wanted = widths.get(shown)
            if shown == "search" and not wanted:
                wanted = max(widths.get("explorer", 0), default_search_width(window.width()))
            if wanted:
                window.resizeDocks([dock], [wanted], Qt.Orientation.Horizontal)
        self._sized[shown] = True

    def eventFilter(self, watched, event) -> bool:
        """Each view's width, kept as the user drags the side bar's edge."""
        if event.type() == QEvent.Type.Resize and watched.isVisible() and self._window.isVisible():
            name = "search" if watched is self.dock else "explorer"
            if self._sized[name]:
                self._window.settings.side_widths[name] = watched.width()
        return False

    def start(self, text: str = "", replace: bool = False) -> None:
        """Show the view with the query focused (Ctrl+Shift+F; Ctrl+Shift+H with replace)."""
        self.dock.show()
        self.dock.raise_()
        self.panel.start(text if "\n" not in text else "", replace)

    def open_match(self, plugin_id: str, table: str, row_id: str, line: int, column: int) -> None:
        plugin = self._window.current_plugin
        if plugin is not None and plugin.id == plugin_id:
            self._reveal(table, row_id, line, column)
        else:
            self._pending = (plugin_id, table, row_id, line, column)
            self._window.reload_plugins(select=plugin_id)

    def _reveal(self, table: str, row_id: str, line: int, column: int) -> None:
        def show(tab) -> None:
            if alive(tab):
                tab.editor.go_to_line(line, column)
        if not self._window.reveal_row(table, row_id, open_it=True, on_opened=show):
            self._window.show_status("That file is no longer there; search again to see what is.")

    def _on_plugin_loaded(self, plugin_id: str) -> None:
        plugin = self._window.current_plugin
        self.panel.set_current_plugin(plugin_id, plugin.name if plugin is not None else "")
        if self._pending is not None and self._pending[0] == plugin_id:
            _plugin, table, row_id, line, column = self._pending
            self._pending = None
            self._reveal(table, row_id, line, column)

    def _unsaved_rows(self) -> set[tuple[str, str]]:
        return {(tab.document.table, tab.document.row_id) for tab in self._window.editors.dirty_tabs()}

    def shutdown(self) -> None:
        self.panel.shutdown()
