"""The window's commands, declared once in the keymap (``ui/commands.py``), and the menus, the
toolbar and the tree's context menu built from it.

``WindowCommands(window)`` declares every command of the window in its ``registry`` (id, text,
keys, where the keys work, what runs); its attributes are the commands' QActions, for the menus
and for tests. ``build_menus`` lays the commands out by id in the menu bar and the toolbar and
returns the View menu; tools that arrive later add their docks with ``add_dock``.

Keys follow VS Code where a user would look for them there: F5 runs the debugger (Refresh is
Ctrl+R), Ctrl+Shift+P is the command palette (Edit Priority is Ctrl+Alt+P), Ctrl+Shift+F searches
every plugin's code.
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar

from plugin_studio.ui import editor_keys, file_actions, timeline
from plugin_studio.ui.connections import switch
from plugin_studio.ui.promote import launch
from plugin_studio.ui.command_palette import open_palette
from plugin_studio.ui.commands import EDITOR, TREE, WINDOW, Command, CommandRegistry
from plugin_studio.ui.debug_commands import DebugCommands
from plugin_studio.ui.editor_keys import EDITOR_KEYS, SCINTILLA_KEYS
from plugin_studio.ui.keyboard_shortcuts import KeyboardShortcutsDialog

MENUS = (
    ("&File", ("file.newPlugin", "file.newFile", "file.quickOpen", None, "file.save", "file.saveAll", "file.saveWithMessage",
               "file.closeTab", None, "file.import", "file.export", None, "file.connections", "file.refresh", None, "file.settings", None,
               "file.quit")),
    ("&Edit", ("edit.undo", "edit.redo", None, "edit.cut", "edit.copy", "edit.paste", "edit.selectAll", None,
               "edit.find", "edit.replace", None, "search.findInFiles", "search.replaceInFiles", None,
               "editor.toggleLineComment", "editor.toggleBlockComment", "editor.formatDocument", None,
               "edit.goToLine", "editor.goToDefinition", "editor.findUsages")),
    ("&Plugin", ("plugin.properties", "plugin.data", "plugin.dependencies", None, "plugin.editEvent", "plugin.rename",
                 "plugin.toggle", "plugin.priority", "plugin.delete", None, "plugin.fileHistory", "plugin.history", None,
                 "plugin.promote", "plugin.compareGroup", None, "plugin.deletePlugin")),
    ("&View", ("view.commandPalette", None, "view.explorer", "view.search")),
    ("&Debug", ("debug.run", "debug.stepOver", "debug.stepInto", "debug.stepOut", None, "debug.stop", "debug.restart",
                None, "debug.toggleBreakpoint")),
    ("&Help", ("help.keyboardShortcuts",)),
)
TOOLBAR = ("file.newPlugin", "file.newFile", "file.save", "file.saveAll", "plugin.editEvent", "plugin.toggle",
           "file.refresh")


class WindowCommands:
    """Every command of the window, declared in ``registry``; the attributes are their QActions."""

    def __init__(self, window, search):
        self._window = window
        self.registry = CommandRegistry(window, tree=window.tree)
        self.recent: list[str] = []     # the palette's recently run commands, most recent first
        self.view_menu: QMenu | None = None
        self._file_commands(window)
        self._edit_commands(window, search)
        self._tree_commands(window)
        self._view_commands(window, search)
        self.debug = DebugCommands(self.registry, window.toggle_breakpoint, window)

    def _declare(self, command_id: str, text: str, run, *keys: str, context: str = WINDOW, tip: str = "") -> QAction:
        category = command_id.split(".", 1)[0].capitalize()
        return self.registry.declare(Command(command_id, text, category, run, keys, context, tip))

    def _file_commands(self, window) -> None:
        d, ed = self._declare, window.editors
        self.new_plugin = d("file.newPlugin", "New Plugin from Template…", window.new_plugin_dialog, "Ctrl+Shift+N")
        self.new_file = d("file.newFile", "New File…", lambda: file_actions.new_file(window), "Ctrl+N")
        self.quick_open = d("file.quickOpen", "Quick Open…", window.quick_open, "Ctrl+P",
                            tip="Open a file by part of its path, event or hook name")
        self.save = d("file.save", "Save", ed.save_current, "Ctrl+S")
        self.save_all = d("file.saveAll", "Save All", ed.save_all, "Ctrl+Shift+S")
        self.save_with_message = d("file.saveWithMessage", "Save with Message…", lambda: timeline.save_with_message(window),
                                   "Ctrl+Alt+S", tip="Save; the version it records in the plugin's history says "
                                                     "what you type instead of \"Updated <file>\"")
        self.close_tab = d("file.closeTab", "Close Tab", ed.close_current, "Ctrl+W", "Ctrl+F4")
        self.import_package = d("file.import", "Import Plugin…", window.import_package, "Ctrl+I",
                                tip="Import a plugin package (JSON)")
        self.export_package = d("file.export", "Export Plugin…", window.export_package, "Ctrl+Shift+X",
                                tip="Export this plugin as a JSON package")
        self.refresh = d("file.refresh", "Refresh", window.refresh_all, "Ctrl+R")
        self.connections = d("file.connections", "Connections…", lambda: switch.open_connections(window),
                             tip="Saved connections and groups: edit, test, switch to one")
        self.settings = d("file.settings", "Settings…", window.open_settings, "Ctrl+,",
                          tip="Theme, editor font and size, tab width")
        self.quit = d("file.quit", "Quit", window.close, "Ctrl+Q")

    def _edit_commands(self, window, search) -> None:
        d = self._declare
        # The editor's keys (ui/editor_keys.py): here so that no window key takes them, and listed.
        scintilla = {"edit.undo": window.undo, "edit.redo": window.redo}
        for command_id, text, keys in SCINTILLA_KEYS:
            run = scintilla.get(command_id) or (lambda name=command_id.split(".")[1]: _in_editor(
                window, lambda editor: getattr(editor, name)()))
            d(command_id, text, run, *keys, context=EDITOR)
        for key in EDITOR_KEYS:
            d(key.id, key.text, lambda k=key: _in_editor(window, lambda editor: editor_keys.run(editor, k)), *key.keys,
              context=EDITOR)
        self.undo, self.redo = self.registry.action("edit.undo"), self.registry.action("edit.redo")
        self.find = d("edit.find", "Find…", lambda: window.find(replace=False), "Ctrl+F")
        self.replace = d("edit.replace", "Replace…", lambda: window.find(replace=True), "Ctrl+H")
        self.goto = d("edit.goToLine", "Go to Line…", window.go_to_line, "Ctrl+G")
        self.find_in_files = d("search.findInFiles", "Find in Files…", lambda: search.start(window.selected_text()),
                               "Ctrl+Shift+F", tip="Search the code of every plugin")
        self.replace_in_files = d("search.replaceInFiles", "Replace in Files…",
                                  lambda: search.start(window.selected_text(), replace=True), "Ctrl+Shift+H",
                                  tip="Replace across plugins, with a preview of each change")

    def _tree_commands(self, window) -> None:
        d = self._declare
        self.edit_event = d("plugin.editEvent", "⚡ Edit Event…", lambda: file_actions.edit_event(window), "Ctrl+E",
                            tip="Remap this listener to another event")
        self.rename = d("plugin.rename", "Rename…", lambda: file_actions.rename(window), "F2")
        # The Delete key deletes a row only from the tree; in the editor it deletes a character.
        self.delete = d("plugin.delete", "Delete", lambda: file_actions.delete(window), "Del", context=TREE)
        self.toggle = d("plugin.toggle", "Enable / Disable", lambda: file_actions.toggle_enabled(window),
                        "Ctrl+Shift+E")
        self.priority = d("plugin.priority", "Edit Priority…", lambda: file_actions.edit_priority(window), "Ctrl+Alt+P")
        self.properties = d("plugin.properties", "Plugin Properties…", lambda: file_actions.plugin_properties(window),
                            "Alt+Return")
        self.data = d("plugin.data", "Plugin Data…", lambda: file_actions.plugin_data(window))
        self.deps = d("plugin.dependencies", "Dependencies…", lambda: file_actions.plugin_dependencies(window))
        self.file_history = d("plugin.fileHistory", "File History…", lambda: timeline.show_file_history(window),
                              "Ctrl+Alt+H", tip="The versions of this file: who, when, what changed; restore, tag")
        self.plugin_history = d("plugin.history", "Plugin History…", lambda: timeline.show_plugin_history(window),
                                tip="Every version of the plugin, as the platform's editor records them")
        self.promote = d("plugin.promote", "Compare and Promote…", lambda: launch.open_promote(window),
                         tip="Compare this plugin with a saved connection's, row by row, and promote the differences")
        self.compare_group = d("plugin.compareGroup", "Compare Across Group…", lambda: launch.open_group_compare(window),
                               tip="Which store of a group has which version of each of this plugin's rows")
        self.delete_plugin = d("plugin.deletePlugin", "Delete Plugin…", lambda: file_actions.delete_plugin(window))

    def _view_commands(self, window, search) -> None:
        d = self._declare
        self.palette = d("view.commandPalette", "Command Palette…",
                         lambda: open_palette(self.registry, self.recent, window), "Ctrl+Shift+P", "F1",
                         tip="Run any command by name")
        self.registry.declare(Command("view.explorer", "Explorer", "View", window.side_dock.toggleViewAction().trigger),
                              window.side_dock.toggleViewAction())
        self.registry.declare(Command("view.search", "Search", "View", search.dock.toggleViewAction().trigger),
                              search.dock.toggleViewAction())
        self.shortcuts = d("help.keyboardShortcuts", "Keyboard Shortcuts", lambda: KeyboardShortcutsDialog(
            self.registry, window).exec(), "Ctrl+K, Ctrl+S", tip="Every command's keys")

    def add_dock(self, command_id: str, dock: QDockWidget) -> QAction:
        """A tool's dock, shown and hidden from the View menu and the palette ("View: Migrations")."""
        toggle = dock.toggleViewAction()
        self.registry.declare(Command(command_id, dock.windowTitle(), "View", toggle.trigger), toggle)
        if self.view_menu is not None:
            self.view_menu.addAction(toggle)
        return toggle

    def for_entry(self, entry) -> list[QAction]:
        """The tree's context menu commands for ``entry``."""
        if entry.kind == "manifest":
            return [self.properties]
        actions = [self.rename, self.toggle, self.priority, self.delete]
        return [self.edit_event] + actions if entry.kind == "event" else actions


def _in_editor(window, call) -> None:
    """From a menu or the palette: ``call(editor)`` on the current tab's editor, which keeps the focus."""
    tab = window.editors.current_tab()
    if tab is not None:
        call(tab.editor)
        tab.editor.take_focus()


def build_menus(window, c: WindowCommands) -> QMenu:
    """The menu bar and the toolbar, from the commands' ids; returns the View menu."""
    bar = window.menuBar()
    for title, ids in MENUS:
        menu = bar.addMenu(title)
        menu.setObjectName(title.strip("&").lower() + "-menu")
        for command_id in ids:
            menu.addSeparator() if command_id is None else menu.addAction(c.registry.action(command_id))
        if title == "&View":
            c.view_menu = menu
            menu.addSeparator()
    toolbar = QToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    for command_id in TOOLBAR:
        toolbar.addAction(c.registry.action(command_id))
    window.addToolBar(toolbar)
    return c.view_menu


def show_tree_menu(window, commands: WindowCommands, entry, global_pos) -> None:
    menu = QMenu(window)
    if entry is not None:
        for action in commands.for_entry(entry):
            menu.addAction(action)
        menu.addSeparator()
    menu.addAction(commands.new_file)
    menu.exec(global_pos)
