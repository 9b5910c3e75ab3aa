"""The window's tools beyond the tree and the editor, created once the database is known:
the JS runner (syntax checks, widget previews, debugger), the migrations dock, package
import/export. Kept apart from main_window.py so each of them is wired in one place.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea

from plugin_studio.db.records import WidgetRow
from plugin_studio.db.rows import select_one
from plugin_studio.runner.scripts import plugin_data_services_for
from plugin_studio.ui import file_dialogs, package_actions
from plugin_studio.ui.code_checks import CodeChecker
from plugin_studio.ui.editor_area import alive
from plugin_studio.ui.migrations_panel import MigrationsPanel
from plugin_studio.ui.part_panes import PartPanes
from plugin_studio.ui.lanes import runner_lane

log = logging.getLogger(__name__)
# What the debugger's inspector shows: handlers, their plugins (active or not) and scripts they import.
DEBUGGER_TABLES = frozenset({"plugin_hooks", "plugin_events", "plugin_registry", "plugin_scripts"})
DEFAULT_EDITOR_SHARE = 0.42   # of a widget tab's width; the preview and its controls get the rest


class Workbench(QObject):
    package_imported = Signal(str)   # new plugin id

    def __init__(self, window, dsn: str):
        super().__init__(window)
        self.window = window
        self.dsn = dsn
        self.runner = runner_lane(services=plugin_data_services_for(dsn))  # pluginData in the debugger
        self.checker = CodeChecker(self.runner, self, on_marks=self._show_marks)
        self._checked_plugin: str | None = None
        self._recheck = QTimer(self, singleShot=True, interval=400)
        self._recheck.timeout.connect(self._check_current_plugin)
        self.flows: list = []
        self.migrations = MigrationsPanel(dsn, lock_wait_s=window.settings.migration_lock_wait_s,
                                          settings=window.settings)
        self.migrations.may_write = window.db.may_write
        self.migrations.migrations_changed.connect(window.reload_tree)
        self.migrations.position_requested.connect(self._on_migration_position)
        self.migrations_dock = self._dock("Migrations", "migrations-dock", self.migrations)
        self.debugger = None
        self.debugger_dock = None
        self._attach_debugger()
        if not window.settings.window_state:  # first start: tools below the editor, the editor keeps most room
            QTimer.singleShot(0, lambda: window.resizeDocks([self.migrations_dock], [min(300, window.height() // 4)],
                                                            Qt.Orientation.Vertical))
        self.migrations_dock.raise_()
        self._follow_changes(window.changes)
        window.editors.tab_saved.connect(self._on_tab_saved)
        window.editors.tab_opened.connect(self._on_tab_opened)
        self.parts = PartPanes(window.db, self.runner, self._on_part_rows_changed)
        self.parts.migration_generated = self._show_generated_migration
        window.plugin_loaded.connect(self._on_plugin_loaded)
        if window.current_plugin is not None:
            self._on_plugin_loaded(window.current_plugin.id)

    def _follow_changes(self, changes) -> None:
        """The docks show rows too: they reload when those rows change, ours or another client's."""
        changes.follow(self.migrations, {"plugin_migrations", "plugin_registry"}, self.migrations.refresh)
        if self.debugger is not None:
            changes.follow(self.debugger, DEBUGGER_TABLES, self.debugger.refresh)

    def _dock(self, title: str, name: str, widget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        # Tabbed docks share the largest minimum height; scrolling lets the editor keep its room.
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(widget)
        dock.setWidget(scroller)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.window.commands.add_dock("view." + name.removesuffix("-dock"), dock)
        return dock

    def _attach_debugger(self) -> None:
        try:
            from plugin_studio.ui.debugger.pane import DebuggerPane
        except ImportError as exc:  # the debugger arrives in its own change
            log.info("debugger pane not available: %s", exc)
            return
        self.debugger = DebuggerPane(self.dsn, runner=self.runner)
        self.debugger.handler_focused.connect(self._on_handler_focused)
        self.debugger.handler_failed.connect(self._on_handler_failed)
        self.debugger.breakpoints_changed.connect(self._show_breakpoint_markers)
        self.debugger.controller.state_changed.connect(self._on_debug_state)
        self.debugger_dock = self._dock("Debugger", "debugger-dock", self.debugger)
        self.window.tabifyDockWidget(self.migrations_dock, self.debugger_dock)
        self.window.commands.debug.attach(self.debugger, self.debugger_dock)

    # -- plugin and tabs ---------------------------------------------------------------------
    def _on_plugin_loaded(self, plugin_id: str) -> None:
        if plugin_id != self._checked_plugin:
            self._checked_plugin = plugin_id
            self.recheck_plugin_code()
        if self.migrations.plugin_id() != plugin_id:
            self.migrations.set_plugin(plugin_id, self.window.current_plugin.name)
        if self.debugger is not None:
            self.debugger.set_plugin(plugin_id)

    def recheck_plugin_code(self) -> None:
        """Parse all of the current plugin's code again (soon, once changes stop arriving)."""
        self._recheck.start()

    def _check_current_plugin(self) -> None:
        plugin = self.window.current_plugin
        if plugin is not None:
            self.checker.load_names(self.window.db, plugin.id)
            self.checker.check_plugin(self.window.db, plugin.id, lambda: self._is_current(plugin.id))

    def _is_current(self, plugin_id: str) -> bool:
        return self.window.current_plugin is not None and self.window.current_plugin.id == plugin_id

    def _show_marks(self, marks: dict, replace: bool) -> None:
        """Syntax errors as ⚠ in the tree; a None message clears a file's mark."""
        model = self.window.tree_model
        if replace:
            model.set_problems(marks)
            return
        for key, message in marks.items():
            if message is None:
                model.clear_problem(*key)
            else:
                model.set_problems({key: message}, replace=False)

    def _on_tab_saved(self, table: str, row_id: str) -> None:
        tab = self.window.editors.tab_for(table, row_id)
        if tab is not None:
            self.checker.check(tab)
        if self.debugger is not None and table in ("plugin_hooks", "plugin_events"):
            self.debugger.refresh()

    def _on_part_rows_changed(self) -> None:
        self.window.reload_tree()
        self.migrations.refresh()

    def _show_generated_migration(self, migration_id: str) -> None:
        """An entity's migration was generated: the Migrations panel shows it, selected, ready to run."""
        self.migrations_dock.show()
        self.migrations_dock.raise_()
        self.migrations.refresh()
        self.migrations.select_migration(migration_id)

    def _on_tab_opened(self, tab) -> None:
        self.checker.watch(tab)
        tab.editor.assist.definition_requested.connect(self._open_module)
        tab.editor.format_requested.connect(lambda t=tab: self.format_document(t))
        tab.editor.assist.usages_requested.connect(lambda kind, name, t=tab: self._show_usages(t, kind, name))
        self.parts.tab_opened(tab)
        self._show_breakpoint_markers()
        if tab.document.table in ("plugin_hooks", "plugin_events"):
            tab.editor.breakpoint_requested.connect(lambda _line: self.window.toggle_breakpoint())
        if tab.document.table == "plugin_widgets":
            row_id = tab.document.row_id  # read here: workers get data, never widgets
            self.window.db.submit(lambda conn: select_one(conn, WidgetRow, "plugin_widgets", row_id),
                                  on_done=lambda row, t=tab: self._attach_preview(t, row))

    def _attach_preview(self, tab, row: WidgetRow | None) -> None:
        from plugin_studio.ui.preview.pane import WidgetPreviewPane

        if row is None or not alive(tab) or getattr(tab, "preview", None) is not None:
            return
        pane = WidgetPreviewPane(self.runner, self.window.db)
        tab.preview = pane
        split = self.window.settings.preview_split
        tab.attach_side_panel(pane, share=split.get("editor", DEFAULT_EDITOR_SHARE))
        pane.restore_split(split)
        pane.split_changed.connect(split.update)
        tab.splitter.splitterMoved.connect(lambda *_a, t=tab: self._remember_editor_share(t))
        pane.show_widget(row)
        pane.set_code(tab.text())
        tab.editor.modified.connect(lambda *_a, t=tab, p=pane: p.set_code(t.text()))
        pane.error_line_clicked.connect(tab.editor.go_to_line)
        pane.widget_saved.connect(lambda *_a: self.window.reload_tree())

    def format_document(self, tab) -> None:
        """Shift+Alt+F: the text as prettier formats it (in the JS worker), one undo step."""
        from plugin_studio.runner.formatting import FORMATTED_LANGUAGES, format_code

        if tab.document.language not in FORMATTED_LANGUAGES:
            self.window.statusBar().showMessage(f"No formatter for {tab.document.language} files", 5000)
            return
        code = tab.text()
        self.window.statusBar().showMessage("Formatting…")
        self.runner.submit(format_code, code, tab.document.language, tab.editor.is_crlf(), owner=tab,
                           title=f"Formatting {tab.document.path}",
                           on_done=lambda formatted, t=tab: self._formatted(t, code, formatted),
                           on_error=lambda error: self.window.statusBar().showMessage(f"Not formatted: {error}", 10000))

    def _formatted(self, tab, code: str, formatted: str) -> None:
        if not alive(tab) or tab.text() != code:
            self.window.statusBar().showMessage("Not formatted: the text changed meanwhile", 5000)
            return
        if formatted != code:
            tab.editor.replace_text_keeping_undo(formatted)
        self.window.statusBar().showMessage("Formatted", 3000)

    def _open_module(self, module: str, line: int) -> None:
        """Go to definition: the script row a module name resolves to, at ``line`` (0: as it is)."""
        found = self.checker.modules.get(module)
        if found is None:
            return
        index = self.window.tree_model.index_for_row("plugin_scripts", found[0])
        if index.isValid():
            self.window.tree.setCurrentIndex(index)
            self.window.open_entry(self.window.tree.current_entry(),
                                   on_opened=lambda tab: alive(tab) and line and tab.editor.go_to_line(line))

    def _show_usages(self, tab, kind: str, name: str) -> None:
        from plugin_studio.ui.editor_usages import UsagesDialog, usages

        found = usages(kind, name, self.checker.known, self.checker.modules, self.window.tree_model.entries(),
                       self.window.current_plugin.id if self.window.current_plugin else "")
        dialog = UsagesDialog(kind, name, found, self.window)
        dialog.chosen.connect(self._open_usage)
        dialog.show()

    def _open_usage(self, table: str, row_id: str, line: int) -> None:
        index = self.window.tree_model.index_for_row(table, row_id)
        if index.isValid():
            self.window.tree.setCurrentIndex(index)
            self.window.open_entry(self.window.tree.current_entry(),
                                   on_opened=lambda tab: alive(tab) and tab.editor.go_to_line(line or 1))

    def _remember_editor_share(self, tab) -> None:
        """The next widget tab (and the next start) splits the width as the user just did."""
        sizes = tab.splitter.sizes()
        if alive(tab) and sum(sizes) > 0:
            self.window.settings.preview_split["editor"] = round(1 - sizes[-1] / sum(sizes), 3)   # the panel is last

    def _on_debug_state(self, state: str) -> None:
        """Finished or stopped: no editor keeps the execution arrow of a session that is over."""
        if state in ("idle", "finished"):
            for tab in self.window.editors.all_tabs():
                if tab.editor.current_line() is not None:
                    tab.editor.set_current_line(None)

    def _on_handler_focused(self, table: str, row_id: str, line: int) -> None:
        self.window.reveal_row(table, row_id, open_it=True,
                               on_opened=lambda tab: alive(tab) and tab.editor.set_current_line(line))

    def _on_migration_position(self, row_id: str, line: int, column: int, message: str) -> None:
        """Open the migration's file and put the cursor on the line and column an error names."""
        index = self.window.tree_model.index_for_row("plugin_migrations", row_id)
        if not index.isValid():
            return
        self.window.tree.setCurrentIndex(index)

        def show(tab) -> None:
            if alive(tab):
                tab.editor.go_to_line(line, column)
                tab.editor.show_error(line, column, "✖ " + message)
        self.window.open_entry(self.window.tree.current_entry(), on_opened=show)

    def _on_handler_failed(self, table: str, row_id: str, line: int, column: int, message: str) -> None:
        tab = self.window.editors.tab_for(table, row_id)
        if tab is not None:
            tab.editor.show_error(line, column, "✖ " + message)

    def _show_breakpoint_markers(self) -> None:
        """A breakpoint belongs to a whole handler: the editor shows it on the handler function's line."""
        rows = self.debugger.breakpoint_rows() if self.debugger is not None else set()
        for tab in self.window.editors.all_tabs():
            if tab.document.table in ("plugin_hooks", "plugin_events"):
                tab.editor.show_handler_breakpoint(tab.document.row_id in rows)

    # -- packages ----------------------------------------------------------------------------
    def import_package(self, path: str | None = None) -> None:
        if not self.window.db.may_write("import a package"):
            return
        if path is None:
            path = file_dialogs.open_file(self.window, self.window.settings, "import", "Import Plugin",
                                          "Plugin packages (*.json)")
            if not path:
                return
        flow = package_actions.start_import(self.window, self.dsn, path)
        self._keep(flow)
        flow.imported.connect(lambda outcome: self._on_imported(outcome))

    def _on_imported(self, outcome) -> None:
        plugin_id = outcome.result.plugin_id
        self.window.reload_plugins(select=plugin_id)
        self.window.show_status(f"Imported {outcome.result.name}", 8000)
        self.package_imported.emit(plugin_id)

    def export_package(self, directory: str | Path | None = None) -> None:
        plugin = self.window.current_plugin
        if plugin is None:
            self.window.show_status("Choose a plugin to export", 5000)
            return
        settings = self.window.settings
        flow = package_actions.start_export(self.window, self.dsn, plugin.id,
                                            directory or file_dialogs.last_folder(settings, "export"))
        self._keep(flow)
        flow.exported.connect(lambda summary: (file_dialogs.remember(settings, "export", summary.path),
                                               self.window.show_status(f"Exported to {summary.path}", 8000)))

    def _keep(self, flow) -> None:
        """Flows must outlive this call; they are dropped when they end."""
        self.flows.append(flow)
        flow.ended.connect(lambda _v, f=flow: self.flows.remove(f) if f in self.flows else None)

    def shutdown(self) -> None:
        for flow in list(self.flows):
            flow.cancel()
        self.migrations.shutdown()
        if self.debugger is not None:
            self.debugger.shutdown()
        for tab in self.window.editors.all_tabs():
            if getattr(tab, "preview", None) is not None:
                tab.preview.stop()
        self.runner.cancel_all()   # checks and renders: nothing to finish once the window goes
        self.runner.close()
