"""The main window's layout: the plugin list and the FileTree in a dock, the editor area, the
connection banner, the status bar; and saving and restoring it with the settings.

A mixin of ``MainWindow`` (kept apart so main_window.py holds behaviour): these are the
window's own methods, building the window's own widgets.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDockWidget, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from plugin_studio.models.templates import list_templates
from plugin_studio.ui.connections.frame import connection_strip
from plugin_studio.ui.editor_area import EditorArea
from plugin_studio.ui.file_tree_model import FileTreeModel, PluginListModel
from plugin_studio.ui.job_status import JobStatus
from plugin_studio.ui.screen_fit import fit_new_window, keep_on_screen
from plugin_studio.ui.session import remembered_tabs
from plugin_studio.ui.tree_view import FileTreeView
from plugin_studio.ui.welcome import WelcomePage
from plugin_studio.ui import theme

log = logging.getLogger(__name__)
DEFAULT_SIZE = (1280, 800)     # logical pixels; smaller where the screen has less room (ui/screen_fit.py)


class WindowLayout:
    """Mixin for ``MainWindow``: its widgets and their saved geometry."""

    def _build_views(self) -> None:
        self._build_explorer()
        self._build_center()
        self.cursor_label = QLabel()
        self.statusBar().addPermanentWidget(self.cursor_label)
        self.job_status = JobStatus()
        self.statusBar().addPermanentWidget(self.job_status)
        self.db.job_started.connect(self.job_status.watch)
        fit_new_window(self, QSize(*DEFAULT_SIZE))

    def _build_plugin_list(self) -> QTableView:
        self.plugin_model = PluginListModel(self)
        self.plugin_view = QTableView()
        self.plugin_view.setObjectName("plugin-list")
        self.plugin_view.setModel(self.plugin_model)
        self.plugin_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.plugin_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plugin_view.verticalHeader().hide()
        header = self.plugin_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.plugin_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plugin_view.selectionModel().currentRowChanged.connect(self._on_plugin_row_changed)
        return self.plugin_view

    def _build_explorer(self) -> None:
        self.tree_model = FileTreeModel(self)
        self.tree = FileTreeView()
        self.tree.setObjectName("file-tree")
        self.tree.setModel(self.tree_model)
        self.tree.activated.connect(self._on_tree_activated)
        self.tree.customContextMenuRequested.connect(self._on_tree_menu_requested)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(_titled("My Plugins", self._build_plugin_list()))
        left.addWidget(_titled("Files", self.tree))
        left.setSizes([180, 520])
        self.side_dock = QDockWidget("Explorer", self)
        self.side_dock.setObjectName("explorer-dock")
        self.side_dock.setWidget(left)
        self.side_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.side_dock)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.resizeDocks([self.side_dock], [400], Qt.Orientation.Horizontal)

    def _build_center(self) -> None:
        self.welcome = WelcomePage(list_templates())
        self.welcome.template_chosen.connect(self.create_plugin_from_template)
        self.editors = EditorArea(self.db, self.report_error, self.welcome, self.recovery,
                                  self.settings.recovery_interval_s * 1000)
        self.editors.tab_saved.connect(lambda *_: self._pending_tree_reload.start())
        self.editors.copy_created.connect(self._on_copy_created)
        self.editors.current_tab_changed.connect(self._on_current_tab_changed)
        self.editors.recovery_failed.connect(lambda message: self.show_status(message, 0))
        self.banner = QLabel()
        self.banner.setObjectName("connection-banner")
        theme.style(self.banner, "background: {warning_bg}; color: {warning}; padding: 6px;"
                                 " border-bottom: 1px solid {warning_border};")
        self.banner.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.connection_strip = connection_strip()    # which saved connection, when it is coloured
        layout.addWidget(self.connection_strip)
        layout.addWidget(self.banner)
        layout.addWidget(self.editors)
        self.setCentralWidget(central)

    def save_layout(self) -> None:
        """Remember geometry, docks, open tabs and the plugin in the settings file."""
        self.settings.window_geometry = bytes(self.saveGeometry().toHex()).decode()
        self.settings.window_state = bytes(self.saveState().toHex()).decode()
        self.settings.open_tabs = remembered_tabs(self.editors)
        self.settings.current_tab = self.editors.tabs.currentIndex()
        if self.current_plugin:
            self.settings.last_plugin_id = self.current_plugin.id
        try:
            self.settings.save()
        except OSError as exc:
            log.warning("could not save settings: %s", exc)

    def _restore_layout(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromHex(self.settings.window_geometry.encode()))
            keep_on_screen(self)    # saved on another screen, or at another scale factor
        if self.settings.window_state:
            self.restoreState(QByteArray.fromHex(self.settings.window_state.encode()))


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(title)
    theme.style(label, "font-weight: 600; padding: 4px 6px; color: {title};")
    layout.addWidget(label)
    layout.addWidget(widget)
    return box
