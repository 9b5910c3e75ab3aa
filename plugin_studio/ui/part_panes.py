"""The pane beside the editor for the plugin's parts beyond scripts and widgets: a controller's
request pane, a cron job's schedule and Run now, an entity's schema editor, an admin page's preview,
a document's rendered Markdown. ``PartPanes.tab_opened`` is wired to the editor area's ``tab_opened``.
"""
from __future__ import annotations

from typing import Callable

from plugin_studio.db.records import AdminPageRow, ControllerRow, CronRow, EntityRow
from plugin_studio.db.rows import select_one
from plugin_studio.ui.editor_area import alive

RECORDS = {"plugin_controllers": ControllerRow, "plugin_cron": CronRow, "plugin_entities": EntityRow,
           "plugin_admin_pages": AdminPageRow}


def has_markdown_preview(document) -> bool:
    return document.language == "markdown" or document.table == "plugin_docs"


class PartPanes:
    """``PartPanes(db, runner, rows_changed)``: ``rows_changed()`` is called after a pane wrote rows
    (a cron job's settings, an entity's generated migration) so the tree and panels can follow."""

    def __init__(self, db, runner, rows_changed: Callable[[], None]):
        self.db, self.runner, self.rows_changed = db, runner, rows_changed
        self.migration_generated: Callable[[str], None] = lambda _migration_id: None

    def tab_opened(self, tab) -> None:
        doc = tab.document
        if has_markdown_preview(doc):
            from plugin_studio.ui.docs.markdown_preview import attach

            attach(tab)
        elif doc.table in RECORDS:
            record, table, row_id = RECORDS[doc.table], doc.table, doc.row_id  # workers get data, never widgets
            self.db.submit(lambda conn: select_one(conn, record, table, row_id),
                           on_done=lambda row, t=tab: self._attach(t, row))

    def _attach(self, tab, row) -> None:
        if row is None or not alive(tab) or getattr(tab, "preview", None) is not None:
            return
        if isinstance(row, ControllerRow):
            from plugin_studio.ui.controllers.request_pane import attach

            attach(tab, self.db, self.runner, row).route_changed.connect(self.rows_changed)
        elif isinstance(row, CronRow):
            from plugin_studio.ui.cron.cron_pane import attach

            attach(tab, self.db, self.runner, row).settings_saved.connect(self.rows_changed)
        elif isinstance(row, EntityRow):
            from plugin_studio.ui.entities.entity_editor import attach

            attach(tab, self.db, row).migration_generated.connect(self._generated)
        else:
            from plugin_studio.ui.admin.page_preview import attach

            attach(tab, self.db, self.runner, row)

    def _generated(self, made) -> None:
        self.rows_changed()
        self.migration_generated(made.migration_id)
