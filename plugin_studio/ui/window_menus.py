"""The window's commands: actions with their shortcuts, the menus, the toolbar, the tree's context menu."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from plugin_studio.ui import file_actions


def build_actions(window) -> None:
    """Every command of the window as a QAction with its shortcut, reachable as ``window.act_*``."""
    def action(text, slot, shortcut=None, tip=None):
        a = QAction(text, window)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
        a.setToolTip(tip or text)
        a.triggered.connect(slot)
        window.addAction(a)
        return a

    ed = window.editors
    window.act_new_plugin = action("New Plugin from Template…", window.new_plugin_dialog, "Ctrl+Shift+N")
    window.act_new_file = action("New File…", lambda: file_actions.new_file(window), "Ctrl+N")
    window.act_save = action("Save", ed.save_current, QKeySequence.StandardKey.Save)
    window.act_save_all = action("Save All", ed.save_all, "Ctrl+Shift+S")
    window.act_close_tab = action("Close Tab", ed.close_current, QKeySequence.StandardKey.Close)
    window.act_quit = action("Quit", window.close, QKeySequence.StandardKey.Quit)
    window.act_undo = action("Undo", lambda: window._editor_call("undo"), None)
    window.act_redo = action("Redo", lambda: window._editor_call("redo"), None)
    window.act_find = action("Find…", lambda: window._find(False), QKeySequence.StandardKey.Find)
    window.act_replace = action("Replace…", lambda: window._find(True), "Ctrl+H")
    window.act_quick_open = action("Quick Open…", lambda: _quick_open(window), "Ctrl+P",
                                   "Open a file by part of its path, event or hook name")
    window.act_goto = action("Go to Line…", window.go_to_line, "Ctrl+G")
    window.act_edit_event = action("⚡ Edit Event…", lambda: file_actions.edit_event(window), "Ctrl+E",
                                 "Remap this listener to another event")
    window.act_rename = action("Rename…", lambda: file_actions.rename(window), "F2")
    window.act_delete = action("Delete", lambda: file_actions.delete(window), QKeySequence.StandardKey.Delete)
    # The Delete key deletes a row only from the tree; in the editor it deletes a character.
    window.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    window.removeAction(window.act_delete)
    window.tree.addAction(window.act_delete)
    window.act_toggle = action("Enable / Disable", lambda: file_actions.toggle_enabled(window), "Ctrl+Shift+E")
    window.act_priority = action("Edit Priority…", lambda: file_actions.edit_priority(window), "Ctrl+Shift+P")
    window.act_properties = action("Plugin Properties…", lambda: file_actions.plugin_properties(window), "Alt+Return")
    window.act_data = action("Plugin Data…", lambda: file_actions.plugin_data(window), None)
    window.act_deps = action("Dependencies…", lambda: file_actions.plugin_dependencies(window), None)
    window.act_delete_plugin = action("Delete Plugin…", lambda: file_actions.delete_plugin(window), None)
    window.act_refresh = action("Refresh", window.refresh_all, QKeySequence.StandardKey.Refresh)
    window.act_import = action("Import Plugin…", lambda: window.workbench and window.workbench.import_package(),
                             "Ctrl+I", "Import a plugin package (JSON)")
    window.act_export = action("Export Plugin…", lambda: window.workbench and window.workbench.export_package(),
                             "Ctrl+Shift+X", "Export this plugin as a JSON package")
    window.act_breakpoint = action("Toggle Breakpoint", window.toggle_breakpoint, "F9",
                                 "Break before this handler runs in the debugger")


def _quick_open(window) -> None:
    from plugin_studio.ui.quick_open import QuickOpenDialog

    if window.current_plugin is None:
        return
    dialog = QuickOpenDialog(window.tree_model.entries(), window)
    if dialog.exec() and dialog.chosen_entry() is not None:
        entry = dialog.chosen_entry()
        window.tree.setCurrentIndex(window.tree_model.index_for_row(entry.table, entry.row_id))
        window.open_entry(entry)


def build_menus(window) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for a in (window.act_new_plugin, window.act_new_file, window.act_quick_open, None, window.act_save,
              window.act_save_all, window.act_close_tab,
              None, window.act_import, window.act_export, None, window.act_refresh, None, window.act_quit):
        file_menu.addSeparator() if a is None else file_menu.addAction(a)
    window.file_menu = file_menu
    edit_menu = bar.addMenu("&Edit")
    for a in (window.act_undo, window.act_redo, None, window.act_find, window.act_replace, window.act_goto, None,
              window.act_breakpoint):
        edit_menu.addSeparator() if a is None else edit_menu.addAction(a)
    plugin_menu = bar.addMenu("&Plugin")
    for a in (window.act_properties, window.act_data, window.act_deps, None, window.act_edit_event, window.act_rename,
              window.act_toggle, window.act_priority, window.act_delete, None, window.act_delete_plugin):
        plugin_menu.addSeparator() if a is None else plugin_menu.addAction(a)
    window.view_menu = bar.addMenu("&View")
    window.view_menu.addAction(window.side_dock.toggleViewAction())
    toolbar = QToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    for a in (window.act_new_plugin, window.act_new_file, window.act_save, window.act_save_all, window.act_edit_event,
              window.act_toggle, window.act_refresh):
        toolbar.addAction(a)
    window.addToolBar(toolbar)


def tree_actions(window, entry) -> list:
    actions = [window.act_rename, window.act_toggle, window.act_priority, window.act_delete]
    if entry.kind == "event":
        actions.insert(0, window.act_edit_event)
    if entry.kind in ("manifest",):
        actions = [window.act_properties]
    return actions


def show_tree_menu(window, pos) -> None:
    entry = window.tree.current_entry()
    menu = QMenu(window)
    if entry is not None:
        for a in tree_actions(window, entry):
            menu.addAction(a)
        menu.addSeparator()
    menu.addAction(window.act_new_file)
    menu.exec(window.tree.viewport().mapToGlobal(pos))
