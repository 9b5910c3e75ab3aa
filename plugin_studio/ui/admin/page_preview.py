"""An admin page's preview beside its editor: the component rendered as widgets are (the same preview
pane, without the widget's properties tab), under a line with its route and any other page, of any
plugin, that uses the same route (the production schema's UNIQUE(route) keeps only one of them).
"""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from plugin_studio.db.admin import AdminRoute, admin_routes
from plugin_studio.db.records import AdminPageRow, WidgetRow
from plugin_studio.models.routes import admin_route_clashes
from plugin_studio.ui.preview.pane import WidgetPreviewPane
from plugin_studio.ui.part_layout import attach_beside


def as_widget(page: AdminPageRow) -> WidgetRow:
    """The page as the preview takes a component: no config, its key as the widget id."""
    return WidgetRow(page.id, page.plugin_id, page.page_key, page.page_name, page.description, page.component_code,
                     {}, page.category, page.icon, None, page.is_enabled is True)


def clash_messages(page: AdminPageRow, routes: list[AdminRoute]) -> list[str]:
    return [c.message for c in admin_route_clashes(routes) if page.id in (c.first.id, c.second.id)]


class AdminPagePreview(QWidget):
    """``AdminPagePreview(runner, page)``; ``set_code(text)`` follows the editor; ``show_routes(routes)``
    flags the pages sharing this page's route."""

    def __init__(self, runner, page: AdminPageRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("admin-page-preview")
        self.page = page
        self.route = QLabel()
        self.route.setObjectName("admin-route")
        self.route.setWordWrap(True)
        self.preview = WidgetPreviewPane(runner, None)
        meta = self.preview.tabs.indexOf(self.preview.meta)
        if meta >= 0:
            self.preview.tabs.removeTab(meta)  # the widget's own columns; a page's are in the row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.route)
        layout.addWidget(self.preview, 1)
        self.show_routes([])
        self.preview.show_widget(as_widget(page))

    def set_code(self, code: str) -> None:
        self.preview.set_code(code)

    def stop(self) -> None:
        self.preview.stop()

    def show_routes(self, routes: list[AdminRoute]) -> None:
        clashes = clash_messages(self.page, routes)
        text = f"Route <code>{self.page.route}</code> · {self.page.page_name}"
        if clashes:
            text += "".join(f"<br><b style='color:#b45309'>⚠ {m}</b>" for m in clashes)
        self.route.setText(text)
        self.clashes = clashes


def attach(tab, db, runner, page: AdminPageRow) -> AdminPagePreview:
    pane = AdminPagePreview(runner, page)
    tab.preview = pane
    attach_beside(tab, pane)
    pane.set_code(tab.text())
    tab.editor.modified.connect(lambda *_a: pane.set_code(tab.text()))
    pane.preview.error_line_clicked.connect(tab.editor.go_to_line)
    db.submit(admin_routes, on_done=pane.show_routes)
    return pane
