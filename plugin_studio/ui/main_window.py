"""The main window: "My Plugins", the FileTree, the editor tabs, menus, and the live connection."""
from __future__ import annotations

import hashlib
import logging

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QMainWindow, QMessageBox

from plugin_studio.db import notify, plugins
from plugin_studio.db.dsn import masked_dsn
from plugin_studio.db.errors import NotFound
from plugin_studio.db.notify import Change, ChangeListener
from plugin_studio.models.copy_messages import copy_message
from plugin_studio.models.recovery import RecoveryStore
from plugin_studio.models.templates import list_templates
from plugin_studio.services.plugin_tree import load_plugin_view
from plugin_studio.services.templates import create_from_template
from plugin_studio.settings import Settings
from plugin_studio.ui import theme, window_menus
from plugin_studio.ui.database import Database
from plugin_studio.services.connections import window_connection
from plugin_studio.ui.connections.frame import WindowFrame, frame_color, show_strip, title_prefix
from plugin_studio.ui.connections.guard import WriteGuard
from plugin_studio.ui.dialogs import NewPluginDialog, RecoveryDialog
from plugin_studio.ui.errors import show_error
from plugin_studio.ui.settings_dialog import SettingsDialog
from plugin_studio.ui.file_tree_model import ENTRY_ROLE
from plugin_studio.ui.live_views import ChangeStream
from plugin_studio.ui.search.tool import SearchTool
from plugin_studio.ui.session import SessionRestore
from plugin_studio.ui.window_layout import WindowLayout

log = logging.getLogger(__name__)


class _ChangeRelay(QObject):
    """Carries changes from the listener thread to the GUI thread (signals queue across threads)."""
    changed = Signal(object)
    failed = Signal(object)


class MainWindow(WindowLayout, QMainWindow):
    plugin_loaded = Signal(str)           # plugin id, after its tree is shown
    plugins_listed = Signal()
    database_ready = Signal(str)          # dsn

    def __init__(self, cli_dsn: str | None = None, settings: Settings | None = None,
                 recovery: RecoveryStore | None = None):
        super().__init__()
        self.connection = window_connection(cli_dsn)   # the saved connection, or None for a bare DSN
        self.setWindowTitle(title_prefix(self.connection) + "Plugin Studio")
        self.setAcceptDrops(True)
        self.settings = settings or Settings.load()
        theme.apply(self.settings)
        self.cli_dsn = cli_dsn
        self.current_plugin = None
        self.wanted_plugin_id: str | None = None  # last asked for; current_plugin follows once loaded
        self.listener: ChangeListener | None = None
        self.workbench = None
        self.known_events: list[str] = []
        self.db = Database(self)
        self.guard = WriteGuard(self, self.connection)
        self.db.write_guard = self.guard.allow
        self.recovery = recovery or RecoveryStore()
        self.changes = ChangeStream(self)     # every view that shows rows follows it (ui/live_views.py)
        self._relay = _ChangeRelay()
        self._relay.changed.connect(self.on_server_changed)
        self._relay.failed.connect(self._on_listener_failed)
        self._pending_tree_reload = QTimer(self, singleShot=True, interval=80)
        self._pending_tree_reload.timeout.connect(self.reload_tree)
        self._build_views()
        self.frame = WindowFrame(self)
        self.frame.show_color(frame_color(self.connection))
        show_strip(self.connection_strip, self.connection)
        self.search = SearchTool(self)
        self.commands = window_menus.WindowCommands(self, self.search)
        self.view_menu = window_menus.build_menus(self, self.commands)
        self._restore_layout()
        self.db.connected.connect(self.on_database_connected)
        self.db.connection_lost.connect(self.on_connection_lost)
        self.db.connection_restored.connect(self.on_connection_restored)
        self.db.unhandled_error.connect(lambda message: self.show_status(message, 10_000))
        self.statusBar().showMessage("Starting the database…")
        self.db.open(cli_dsn, on_error=self.on_database_failed)

    # -- database lifecycle ------------------------------------------------------------------
    def on_database_connected(self, dsn: str, has_triggers: bool, may_install_triggers: bool = True) -> None:
        self.statusBar().showMessage(f"Connected to {_safe_dsn(dsn)}", 5000)
        # A role that may not create triggers (DML only) polls, unasked.
        use_triggers = has_triggers or (may_install_triggers and self._ask_to_install_triggers())
        self._start_listener(dsn, use_triggers)
        self._start_workbench(dsn)
        self.reload_plugins(select=self.settings.last_plugin_id)
        SessionRestore(self).start()
        self._offer_recovery()
        self.database_ready.emit(dsn)

    def _start_workbench(self, dsn: str) -> None:
        from plugin_studio.ui.workbench import Workbench

        try:
            self.workbench = Workbench(self, dsn)
        except Exception as exc:  # the editor still works without the runner-backed tools
            log.exception("could not start the runner, migrations and package tools")
            self.report_error("Some tools could not start", exc)

    def toggle_breakpoint(self) -> None:
        tab = self.editors.current_tab()
        debugger = self.workbench.debugger if self.workbench else None
        if tab is None or tab.document.table not in ("plugin_hooks", "plugin_events"):
            self.statusBar().showMessage("Breakpoints are set on hook and event handlers", 5000)
            return
        if debugger is None:
            self.statusBar().showMessage("The debugger is not available", 5000)
            return
        debugger.toggle_breakpoint_for_row(tab.document.row_id)
        on = tab.document.row_id in debugger.breakpoint_rows()
        self.statusBar().showMessage(f"Breakpoint {'set on' if on else 'removed from'} {tab.document.path}", 4000)

    # -- drag and drop of packages ---------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        from plugin_studio.ui.package_actions import package_paths

        if package_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        from plugin_studio.ui.package_actions import package_paths

        for path in package_paths(event.mimeData()):
            if self.workbench:
                self.workbench.import_package(path)
        event.acceptProposedAction()

    def _ask_to_install_triggers(self) -> bool:
        server_key = hashlib.sha1(_safe_dsn(self.db.dsn or "").encode()).hexdigest()[:16]
        if server_key in self.settings.declined_triggers:
            return False  # asked before on this server: poll, as the user chose
        answer = QMessageBox.question(
            self, "See other clients' changes",
            "To show changes made by other clients within a second, Plugin Studio can install small NOTIFY "
            "triggers on the plugin tables of this server.\n\nInstall them? (Otherwise it checks once a second.)")
        if answer != QMessageBox.StandardButton.Yes:
            self.settings.declined_triggers.append(server_key)
            return False
        self.db.submit(notify.install_triggers, on_done=lambda _r: self._restart_listener(True),
                       on_error=lambda e: self.report_error("Could not install the triggers; polling instead", e))
        return False

    def _start_listener(self, dsn: str, use_triggers: bool) -> None:
        self.listener = ChangeListener(dsn, self._relay.changed.emit, use_triggers=use_triggers,
                                       on_error=self._relay.failed.emit)
        self.listener.start()

    def _restart_listener(self, use_triggers: bool) -> None:
        if self.listener:
            self.listener.stop()
        self._start_listener(self.db.dsn, use_triggers)

    def on_database_failed(self, error: Exception) -> None:
        self.statusBar().showMessage("No database")
        self.report_error("Could not open the database", error)

    def on_connection_lost(self, message: str) -> None:
        self.banner.setText(f"⚠ Connection to the database lost ({message}). Your edits are kept; "
                            "reconnecting and saving when it is back…")
        self.banner.show()

    def on_connection_restored(self) -> None:
        self.banner.hide()
        self.statusBar().showMessage("Reconnected", 5000)
        self.editors.retry_waiting_saves()
        self.resync()

    def resync(self) -> None:
        """Catch up with whatever changed while we were not listening: lists, tree and clean editors."""
        self.refresh_all()
        for table in {t.document.table for t in self.editors.all_tabs()}:
            self.editors.follow_server_change(table, None)

    def _on_listener_failed(self, error: Exception) -> None:
        log.warning("change listener: %s (reconnecting)", error)
        self.statusBar().showMessage("Not receiving live changes right now; reconnecting…", 5000)

    def report_error(self, title: str, error: Exception) -> None:
        show_error(self, title, error)

    # -- plugins and tree ---------------------------------------------------------------------
    def reload_plugins(self, select: str | None = None) -> None:
        if select:
            self.wanted_plugin_id = select
        select = self.wanted_plugin_id
        self.db.submit(plugins.list_plugins, on_done=lambda rows: self._show_plugins(rows, select),
                       on_error=lambda e: self.report_error("Could not list the plugins", e))

    def _show_plugins(self, rows, select: str | None) -> None:
        self.plugin_model.set_plugins(rows)
        self.editors.set_plugin_names({plugin.id: plugin.name for plugin in rows})
        for gone in {t.document.plugin_id for t in self.editors.all_tabs()} - {plugin.id for plugin in rows}:
            self.editors.close_tabs_of_plugin(gone)     # deleted, here or by another client
        row = self.plugin_model.row_of(select) if select else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.plugin_view.selectRow(row)
        else:
            self.current_plugin = None
            self.tree_model.set_entries([])
        self.welcome.set_has_plugins(bool(rows))
        self.plugins_listed.emit()

    def _on_plugin_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        plugin = self.plugin_model.plugin_at(current.row())
        if plugin and (self.current_plugin is None or plugin.id != self.current_plugin.id):
            self.select_plugin(plugin.id)
        elif plugin:
            self.wanted_plugin_id = plugin.id

    def select_plugin(self, plugin_id: str) -> None:
        self.wanted_plugin_id = plugin_id
        self.db.submit(load_plugin_view, plugin_id, on_done=lambda r: self._show_plugin(r, first=True),
                       on_error=lambda e: self.report_error("Could not load the plugin", e))

    def reload_tree(self, select: tuple[str, str] | None = None, open_it: bool = False, on_opened=None) -> None:
        """Load the current plugin's tree again; then select (and open) the row ``(table, row id)``."""
        if self.current_plugin:
            self.db.submit(load_plugin_view, self.current_plugin.id, title="Loading the files",
                           on_done=lambda result: self._show_plugin(result, select=select, open_it=open_it,
                                                                    on_opened=on_opened),
                           on_error=self._on_tree_reload_failed)

    def _on_tree_reload_failed(self, error: Exception) -> None:
        if isinstance(error, NotFound):  # deleted by another client
            self.current_plugin = None
            self.reload_plugins()

    def _show_plugin(self, result, first: bool = False, select: tuple[str, str] | None = None,
                     open_it: bool = False, on_opened=None) -> None:
        plugin, entries = result
        if self.wanted_plugin_id and plugin.id != self.wanted_plugin_id:
            return  # the user moved on to another plugin while this one loaded
        self.current_plugin = plugin
        self.settings.last_plugin_id = plugin.id
        self.tree_model.set_entries(entries)  # row by row: the tree keeps its expansion and selection
        if first:
            self.tree.expandAll()
        if select is not None:
            self.reveal_row(*select, open_it=open_it, on_opened=on_opened)
        for entry in entries:
            self.editors.rename_tab(entry.table, entry.row_id, entry.path)
        self.setWindowTitle(f"{title_prefix(self.connection)}{plugin.name} {plugin.version} — Plugin Studio")
        self.plugin_loaded.emit(plugin.id)

    def refresh_all(self) -> None:
        self.reload_plugins()
        self.reload_tree()

    def _on_tree_menu_requested(self, pos) -> None:
        global_pos = self.tree.viewport().mapToGlobal(pos)
        window_menus.show_tree_menu(self, self.commands, self.tree.current_entry(), global_pos)

    def _on_tree_activated(self, index: QModelIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if entry is not None and self.current_plugin:
            self.open_entry(entry)

    def open_entry(self, entry, on_opened=None) -> None:
        self.editors.open_entry(self.current_plugin.id, entry, on_opened)

    def reveal_row(self, table: str, row_id: str, open_it: bool = False, on_opened=None) -> bool:
        """Select the row's file in the tree and scroll to it (and open it); False when it is not shown."""
        index = self.tree_model.index_for_row(table, row_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        if open_it:
            self.open_entry(self.tree.current_entry(), on_opened)
        return True

    def forget_plugin(self) -> None:
        """The current plugin was deleted: show the list without it."""
        self.current_plugin = None
        self.reload_plugins()

    def remember_event_names(self, names: list[str]) -> None:
        """Event names known on the server, offered by the New File and Edit Event dialogs."""
        self.known_events = list(names)

    def show_status(self, text: str, timeout_ms: int = 5000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def _on_copy_created(self, table: str, row_id: str, original_path: str) -> None:
        """Open the copy beside the original and say what it is, as the tree now shows it."""
        def say(_tab) -> None:
            entry = self.tree_model.index_for_row(table, row_id).data(ENTRY_ROLE)
            if entry is not None:
                self.show_status(copy_message(entry, original_path), 15_000)
        self.reload_tree(select=(table, row_id), open_it=True, on_opened=say)

    def _on_current_tab_changed(self, tab) -> None:
        if tab is None:
            self.cursor_label.setText("")
            return
        index = self.tree_model.index_for_row(tab.document.table, tab.document.row_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        self._show_cursor(tab.editor)
        if not getattr(tab, "cursor_tracked", False):
            tab.editor.updateUi.connect(lambda _u, e=tab.editor: self._show_cursor(e))
            tab.cursor_tracked = True

    def _show_cursor(self, editor) -> None:
        if self.editors.current_tab() is not None and self.editors.current_tab().editor is editor:
            self.cursor_label.setText("Ln {}, Col {}".format(*editor.cursor_line_column()))

    # -- changes from other clients ---------------------------------------------------------
    def on_server_changed(self, change: Change) -> None:
        self.changes.publish(change)
        if change.op == "RESYNC":
            self.resync()
            return
        if change.table == "plugin_registry" or change.op == "POLL":
            self.reload_plugins()
        mine = self.current_plugin and change.plugin_id in (None, self.current_plugin.id)
        if mine or change.op == "POLL":
            self._pending_tree_reload.start()
            if self.workbench and change.table != "plugin_registry":
                self.workbench.recheck_plugin_code()
        if change.op == "DELETE":
            self.editors.follow_server_change(change.table, change.row_id)
        else:
            table = change.table
            self.editors.follow_server_change(table, change.row_id if change.op != "POLL" else None)

    # -- editor commands ----------------------------------------------------------------------
    def undo(self) -> None:
        tab = self.editors.current_tab()
        if tab:
            tab.editor.undo()

    def redo(self) -> None:
        tab = self.editors.current_tab()
        if tab:
            tab.editor.redo()

    def find(self, replace: bool = False) -> None:
        tab = self.editors.current_tab()
        if tab:
            tab.find_bar.open_find(replace)

    def selected_text(self) -> str:
        """The current editor's selection ("" without one)."""
        tab = self.editors.current_tab()
        return tab.editor.selected_text() if tab else ""

    def quick_open(self) -> None:
        """Open a file by part of its path, event or hook name."""
        from plugin_studio.ui.quick_open import QuickOpenDialog

        if self.current_plugin is None:
            return
        dialog = QuickOpenDialog(self.tree_model.entries(), self)
        if dialog.exec() and dialog.chosen_entry() is not None:
            entry = dialog.chosen_entry()
            self.reveal_row(entry.table, entry.row_id, open_it=True)

    def import_package(self) -> None:
        if self.workbench:
            self.workbench.import_package()

    def export_package(self) -> None:
        if self.workbench:
            self.workbench.export_package()

    def go_to_line(self) -> None:
        tab = self.editors.current_tab()
        if not tab:
            return
        line, ok = QInputDialog.getInt(self, "Go to Line", f"Line (1–{tab.editor.line_count()}):",
                                       tab.editor.cursor_line_column()[0], 1, tab.editor.line_count())
        if ok:
            tab.editor.go_to_line(line)

    def open_settings(self) -> None:
        """Theme, editor font and size, tab width: shown live while the dialog is open, kept on OK."""
        dialog = SettingsDialog(self.settings, self)
        dialog.changed.connect(theme.apply)
        if dialog.exec():
            chosen = dialog.chosen()
            for name in ("theme", "editor_font_family", "editor_font_size", "tab_width"):
                setattr(self.settings, name, getattr(chosen, name))
            theme.apply(self.settings)
            self._save_settings()
        else:
            theme.apply(self.settings)

    def _save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as exc:
            self.show_status(f"Could not save the settings: {exc}", 10_000)

    # -- plugins from templates, recovery ---------------------------------------------------------
    def new_plugin_dialog(self) -> None:
        dialog = NewPluginDialog(list_templates(), self)
        if dialog.exec():
            template, name = dialog.choice()
            self.create_plugin_from_template(template, name)

    def create_plugin_from_template(self, template, name: str | None = None) -> None:
        self.db.submit_write(create_from_template, template, name, action="create a plugin", on_done=lambda pid: self.reload_plugins(select=pid),
                             on_error=lambda e: self.report_error("Could not create the plugin", e))

    def _offer_recovery(self) -> None:
        buffers = self.recovery.pending()
        if not buffers:
            return
        dialog = RecoveryDialog(buffers, self)
        dialog.setObjectName("recovery-dialog")
        if not dialog.exec():
            return
        chosen = {b.key for b in dialog.chosen()}
        for buffer in buffers:
            if buffer.key in chosen:
                self.editors.open_recovered(buffer)
            else:
                self.recovery.discard(buffer.key)

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        dirty = self.editors.dirty_tabs()
        if dirty:
            names = "\n".join(t.document.path for t in dirty)
            answer = QMessageBox.question(
                self, "Unsaved changes", f"Save your changes before quitting?\n\n{names}",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                self.editors.write_recovery()
                self.editors.save_all()
                event.ignore()
                QTimer.singleShot(300, self._close_when_saved)
                return
            for tab in dirty:  # the user chose to discard these edits
                self.recovery.discard(tab.key)
        self._shut_down()
        event.accept()

    def close_without_asking(self) -> None:
        """Close now (a termination signal): dirty buffers stay in the recovery folder for next time."""
        self.editors.write_recovery()
        self._shut_down()
        QApplication.instance().quit()

    def _close_when_saved(self) -> None:
        if any(t.saving for t in self.editors.all_tabs()):
            QTimer.singleShot(200, self._close_when_saved)
        elif self.editors.dirty_tabs():
            self.report_error("Some files could not be saved", RuntimeError(
                "They are kept in the editor and in the recovery folder; nothing was lost."))
        else:
            # Only these tabs' files: others (postponed at start, another instance's) stay.
            for tab in self.editors.all_tabs():
                self.recovery.discard(tab.key)
            self._shut_down()
            QMainWindow.close(self)

    def _shut_down(self) -> None:
        if getattr(self, "_was_shut_down", False):
            return
        self._was_shut_down = True
        self.save_layout()
        self.search.shutdown()
        if self.workbench:
            self.workbench.shutdown()
            self.workbench = None
        if self.listener:
            self.listener.stop()
            self.listener = None
        self.db.stop()
        for tab in self.editors.all_tabs():
            if not tab.is_dirty():
                self.recovery.discard(tab.key)

def _safe_dsn(dsn: str) -> str:
    """A DSN without its password (in any of the forms libpq accepts), for the status bar."""
    return masked_dsn(dsn)
