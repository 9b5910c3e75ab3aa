"""The window's commands: actions with their shortcuts, the menus, the toolbar, the tree's context menu.

``WindowCommands(window)`` makes every command as a QAction of the window that calls one of its
public methods (or a tree command of ``file_actions``); ``build_menus`` lays them out in the menu
bar and the toolbar and returns the View menu, where tools add their docks.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from plugin_studio.ui import file_actions


class WindowCommands:
    """Every command of the window as a QAction with its shortcut."""

    def __init__(self, window):
        self._window = window
        ed = window.editors
        self.new_plugin = self._action("New Plugin from Template…", window.new_plugin_dialog, "Ctrl+Shift+N")
        self.new_file = self._action("New File…", lambda: file_actions.new_file(window), "Ctrl+N")
        self.save = self._action("Save", ed.save_current, QKeySequence.StandardKey.Save)
        self.save_all = self._action("Save All", ed.save_all, "Ctrl+Shift+S")
        self.close_tab = self._action("Close Tab", ed.close_current, QKeySequence.StandardKey.Close)
        self.quit = self._action("Quit", window.close, QKeySequence.StandardKey.Quit)
        self.undo = self._action("Undo", window.undo)
        self.redo = self._action("Redo", window.redo)
        self.find = self._action("Find…", lambda: window.find(replace=False), QKeySequence.StandardKey.Find)
        self.replace = self._action("Replace…", lambda: window.find(replace=True), "Ctrl+H")
        self.quick_open = self._action("Quick Open…", window.quick_open, "Ctrl+P",
                                       "Open a file by part of its path, event or hook name")
        self.goto = self._action("Go to Line…", window.go_to_line, "Ctrl+G")
        self._tree_commands(window)
        self.refresh = self._action("Refresh", window.refresh_all, QKeySequence.StandardKey.Refresh)
        self.import_package = self._action("Import Plugin…", window.import_package, "Ctrl+I",
                                           "Import a plugin package (JSON)")
        self.export_package = self._action("Export Plugin…", window.export_package, "Ctrl+Shift+X",
                                           "Export this plugin as a JSON package")
        self.breakpoint = self._action("Toggle Breakpoint", window.toggle_breakpoint, "F9",
                                       "Break before this handler runs in the debugger")

    def _tree_commands(self, window) -> None:
        self.edit_event = self._action("⚡ Edit Event…", lambda: file_actions.edit_event(window), "Ctrl+E",
                                       "Remap this listener to another event")
        self.rename = self._action("Rename…", lambda: file_actions.rename(window), "F2")
        self.delete = self._action("Delete", lambda: file_actions.delete(window), QKeySequence.StandardKey.Delete)
        # The Delete key deletes a row only from the tree; in the editor it deletes a character.
        self.delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        window.removeAction(self.delete)
        window.tree.addAction(self.delete)
        self.toggle = self._action("Enable / Disable", lambda: file_actions.toggle_enabled(window), "Ctrl+Shift+E")
        self.priority = self._action("Edit Priority…", lambda: file_actions.edit_priority(window), "Ctrl+Shift+P")
        self.properties = self._action("Plugin Properties…", lambda: file_actions.plugin_properties(window),
                                       "Alt+Return")
        self.data = self._action("Plugin Data…", lambda: file_actions.plugin_data(window))
        self.deps = self._action("Dependencies…", lambda: file_actions.plugin_dependencies(window))
        self.delete_plugin = self._action("Delete Plugin…", lambda: file_actions.delete_plugin(window))

    def _action(self, text, slot, shortcut=None, tip=None) -> QAction:
        action = QAction(text, self._window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text)
        action.triggered.connect(slot)
        self._window.addAction(action)
        return action

    def for_entry(self, entry) -> list[QAction]:
        """The tree's context menu commands for ``entry``."""
        if entry.kind == "manifest":
            return [self.properties]
        actions = [self.rename, self.toggle, self.priority, self.delete]
        return [self.edit_event] + actions if entry.kind == "event" else actions


def build_menus(window, c: WindowCommands) -> QMenu:
    """The menu bar and the toolbar; returns the View menu."""
    bar = window.menuBar()
    _fill(bar.addMenu("&File"), (c.new_plugin, c.new_file, c.quick_open, None, c.save, c.save_all, c.close_tab,
                                 None, c.import_package, c.export_package, None, c.refresh, None, c.quit))
    _fill(bar.addMenu("&Edit"), (c.undo, c.redo, None, c.find, c.replace, c.goto, None, c.breakpoint))
    _fill(bar.addMenu("&Plugin"), (c.properties, c.data, c.deps, None, c.edit_event, c.rename, c.toggle, c.priority,
                                   c.delete, None, c.delete_plugin))
    view_menu = bar.addMenu("&View")
    toolbar = QToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    for action in (c.new_plugin, c.new_file, c.save, c.save_all, c.edit_event, c.toggle, c.refresh):
        toolbar.addAction(action)
    window.addToolBar(toolbar)
    return view_menu


def _fill(menu: QMenu, actions) -> None:
    for action in actions:
        menu.addSeparator() if action is None else menu.addAction(action)


def show_tree_menu(window, commands: WindowCommands, entry, global_pos) -> None:
    menu = QMenu(window)
    if entry is not None:
        for action in commands.for_entry(entry):
            menu.addAction(action)
        menu.addSeparator()
    menu.addAction(commands.new_file)
    menu.exec(global_pos)
