"""The window's one keymap, as a user meets it: no key bound twice, the palette on Ctrl+Shift+P,
Edit Priority on a key of its own, the Debug and Help menus, Help ▸ Keyboard Shortcuts."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from plugin_studio.ui.commands import contexts_meet, sequences_clash
from ui_helpers import answer_dialog, open_file

CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
LOCAL = (Qt.ShortcutContext.WidgetShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut)


def _ready_window(qtbot, make_window, plugin_id):
    window = make_window(select_plugin=plugin_id)
    qtbot.waitUntil(lambda: window.workbench is not None)   # its docks and the debugger declare commands too
    return window


def _activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _menu_texts(window, title: str) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_no_key_is_bound_twice_anywhere_in_the_window(qtbot, cart_viewer, make_window):
    window = _ready_window(qtbot, make_window, cart_viewer)
    registry = window.commands.registry
    commands = registry.commands()
    clashes = [
        f"{a.id} {ka} / {b.id} {kb}"
        for i, a in enumerate(commands) for b in commands[i + 1:] if contexts_meet(a.context, b.context)
        for ka in a.shortcuts for kb in b.shortcuts if sequences_clash(QKeySequence(ka), QKeySequence(kb))
    ]
    assert clashes == []
    # Nothing in the window binds a key behind the registry's back, and widget-local keys stay local.
    declared = {id(registry.action(c.id)) for c in commands}
    stray = [a.text() for a in window.findChildren(QAction)
             if a.shortcuts() and id(a) not in declared and a.shortcutContext() not in LOCAL]
    stray += [s.key().toString() for s in window.findChildren(QShortcut) if s.context() not in LOCAL]
    assert stray == []
    # The cases: F5 is the debugger's alone, Ctrl+Shift+P the palette's.
    owners = lambda key: [c.id for c in commands if QKeySequence(key) in map(QKeySequence, c.shortcuts)]  # noqa: E731
    assert owners("F5") == ["debug.run"]
    assert owners("Ctrl+Shift+P") == ["view.commandPalette"]
    assert registry.command("plugin.priority").shortcuts == ("Ctrl+Alt+P",)


def test_ctrl_shift_p_opens_the_palette_which_runs_edit_priority(qtbot, conn, cart_viewer, make_window):
    window = _ready_window(qtbot, make_window, cart_viewer)
    window.tree.setCurrentIndex(window.tree_model.index_for_path("hooks/product_price.js"))
    window.tree.setFocus()
    seen = {}

    def choose(palette):
        qtbot.keyClicks(palette.field, "edit prio")
        seen["offers"] = [(o.command.title, o.command.key_text()) for o in palette.offers()]
        qtbot.keyClick(palette.field, Qt.Key.Key_Return)

    chosen = answer_dialog(qtbot, choose, "command-palette")
    priority = answer_dialog(qtbot, lambda dialog: (dialog.setIntValue(7), dialog.accept()))
    qtbot.keyClick(window.tree, Qt.Key.Key_P, CTRL | SHIFT)
    chosen.wait(qtbot)
    priority.wait(qtbot)
    assert seen["offers"][0] == ("Plugin: Edit Priority…", "Ctrl+Alt+P")
    qtbot.waitUntil(lambda: window.tree.current_entry() is not None and window.tree.current_entry().priority == 7)
    entry = window.tree.current_entry()
    assert conn.execute("SELECT priority FROM plugin_hooks WHERE id = %s", (entry.row_id,)).fetchone()[0] == 7
    assert window.commands.recent[0] == "plugin.priority"   # offered first next time

    again = answer_dialog(qtbot, lambda dialog: (dialog.setIntValue(4), dialog.accept()))
    _activate(qtbot, window)   # the offscreen platform gives no window the focus back after a dialog
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_P, CTRL | ALT)
    again.wait(qtbot)
    qtbot.waitUntil(lambda: window.tree.current_entry() is not None and window.tree.current_entry().priority == 4)


def test_debug_and_help_menus_and_the_shortcut_list(qtbot, cart_viewer, make_window):
    window = _ready_window(qtbot, make_window, cart_viewer)
    assert _menu_texts(window, "Debug") == ["Run", "Step Over", "Step Into", "Step Out", "Stop", "Restart",
                                            "Toggle Breakpoint"]
    assert "Migrations" in _menu_texts(window, "View") and "Debugger" in _menu_texts(window, "View")
    debug_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Debug")
    keys = {a.text(): a.shortcut().toString() for a in debug_menu.actions() if not a.isSeparator()}
    assert keys == {"Run": "F5", "Step Over": "F10", "Step Into": "F11", "Step Out": "Shift+F11", "Stop": "Shift+F5",
                    "Restart": "Ctrl+Shift+F5", "Toggle Breakpoint": "F9"}
    # No session yet: Stop, Step Out and Restart cannot run; Run and the steps start one.
    enabled = {a.text(): a.isEnabled() for a in debug_menu.actions() if not a.isSeparator()}
    assert [name for name, on in enabled.items() if not on] == ["Step Out", "Stop", "Restart"]

    seen = {}

    def read(dialog):
        seen["all"] = dialog.rows()
        dialog.filter.setText("F10")
        seen["F10"] = dialog.rows()
        dialog.reject()

    listed = answer_dialog(qtbot, read, "keyboard-shortcuts")
    open_file(qtbot, window, "hooks/product_price.js")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, CTRL)   # Ctrl+K, Ctrl+S, from the editor
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, CTRL)
    listed.wait(qtbot)
    assert seen["F10"] == [("Debug: Step Over", "F10", "Anywhere")]
    rows = {row[0]: row[1:] for row in seen["all"]}
    assert rows["View: Command Palette…"] == ("Ctrl+Shift+P, F1", "Anywhere")
    assert rows["Plugin: Delete"] == ("Del", "In the file tree")
    assert rows["Edit: Undo"] == ("Ctrl+Z", "In the editor")
    assert rows["File: Refresh"] == ("Ctrl+R", "Anywhere")
    assert rows["Editor: Toggle Line Comment"] == ("Ctrl+/", "In the editor")
    assert rows["Editor: Go to Definition"] == ("F12", "In the editor")
    with_keys = [c for c in window.commands.registry.commands() if c.shortcuts]
    assert len(seen["all"]) == len(with_keys)


def test_every_menu_entry_is_a_declared_command(qtbot, cart_viewer, make_window):
    window = _ready_window(qtbot, make_window, cart_viewer)
    registry = window.commands.registry
    declared = {id(registry.action(c.id)) for c in registry.commands()}
    menus = [a.menu() for a in window.menuBar().actions()]
    assert [m.title() for m in menus] == ["&File", "&Edit", "&Plugin", "&View", "&Debug", "&Help"]
    entries = [a for menu in menus for a in menu.actions() if not a.isSeparator()]
    assert entries and [a.text() for a in entries if id(a) not in declared] == []


def test_an_editor_command_from_the_palette_acts_on_the_editor_as_its_key_does(qtbot, cart_viewer, make_window):
    window = _ready_window(qtbot, make_window, cart_viewer)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    first_line = tab.editor.line_text(1)
    chosen = answer_dialog(qtbot, lambda palette: (qtbot.keyClicks(palette.field, "toggle line comment"),
                                                   qtbot.keyClick(palette.field, Qt.Key.Key_Return)), "command-palette")
    window.commands.palette.trigger()
    chosen.wait(qtbot)
    qtbot.waitUntil(lambda: tab.editor.line_text(1) == "// " + first_line)
    _activate(qtbot, window)
    tab.editor.take_focus()
    qtbot.keyClick(tab.editor, Qt.Key.Key_Slash, CTRL)        # the key itself: the same command, back
    assert tab.editor.line_text(1) == first_line
    assert window.commands.recent == ["editor.toggleLineComment"]
