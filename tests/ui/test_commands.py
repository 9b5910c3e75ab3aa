"""The keymap's rules, the command palette and the shortcut list, on a bare window."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QTreeView

from plugin_studio.ui.command_palette import KEYS_ROLE, NOT_NOW, CommandPalette, open_palette, rank
from plugin_studio.ui.commands import EDITOR, TREE, WINDOW, Command, CommandRegistry, ShortcutClash
from plugin_studio.ui.keyboard_shortcuts import KeyboardShortcutsDialog
from qt_dialogs import answer_dialog


@pytest.fixture
def window(qtbot):
    window = QMainWindow()
    window.setCentralWidget(QTreeView())
    qtbot.addWidget(window)
    return window


def _noop():
    return None


def test_a_key_bound_twice_where_both_would_work_is_refused(window):
    registry = CommandRegistry(window, tree=window.centralWidget())
    registry.declare(Command("file.refresh", "Refresh", "File", _noop, ("F5",)))
    with pytest.raises(ShortcutClash, match="F5 of debug.run clashes with F5 of file.refresh"):
        registry.declare(Command("debug.run", "Run", "Debug", _noop, ("F5",)))
    with pytest.raises(ShortcutClash, match="declared twice"):
        registry.declare(Command("file.refresh", "Refresh again", "File", _noop, ("Ctrl+R",)))
    registry.declare(Command("help.keys", "Keyboard Shortcuts", "Help", _noop, ("Ctrl+K, Ctrl+S",)))
    with pytest.raises(ShortcutClash):   # would swallow the chord's first key
        registry.declare(Command("edit.k", "K", "Edit", _noop, ("Ctrl+K",)))
    with pytest.raises(ShortcutClash):   # the editor's key is shadowed by a window key
        registry.declare(Command("editor.refresh", "R", "Editor", _noop, ("F5",), context=EDITOR))


def test_the_same_key_in_the_editor_and_in_the_tree_is_two_commands(window):
    registry = CommandRegistry(window, tree=window.centralWidget())
    registry.declare(Command("tree.delete", "Delete", "Plugin", _noop, ("Delete",), context=TREE))
    registry.declare(Command("editor.deleteRight", "Delete", "Editor", _noop, ("Delete",), context=EDITOR))
    assert [c.context for c in registry.commands()] == [TREE, EDITOR]
    assert registry.action("tree.delete") in window.centralWidget().actions()
    assert registry.action("tree.delete") not in window.actions()


def test_a_window_command_runs_from_its_key_and_not_while_disabled(qtbot, window):
    ran = []
    registry = CommandRegistry(window)
    registry.declare(Command("view.palette", "Command Palette", "View", lambda: ran.append(1), ("Ctrl+Shift+P",), WINDOW))
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert ran == [1]
    registry.set_enabled("view.palette", False)
    assert registry.trigger("view.palette") is False and ran == [1]
    assert registry.action("view.palette").toolTip() == "Command Palette (Ctrl+Shift+P)"


def _palette_registry(window):
    registry = CommandRegistry(window)
    for command_id, text, category, keys in (
        ("debug.toggleBreakpoint", "Toggle Breakpoint", "Debug", ("F9",)),
        ("debug.stop", "Stop", "Debug", ("Shift+F5",)),
        ("file.save", "Save", "File", ("Ctrl+S",)),
        ("search.find", "Find in Files", "Search", ("Ctrl+Shift+F",)),
        ("plugin.priority", "Edit Priority…", "Plugin", ("Ctrl+Alt+P",)),
    ):
        registry.declare(Command(command_id, text, category, _noop, keys))
    return registry


def test_the_palette_matches_letters_in_order_best_first(window):
    registry = _palette_registry(window)
    titles = [o.command.title for o in rank(registry.commands(), "tgbr", [], lambda _id: True)]
    assert titles == ["Debug: Toggle Breakpoint"]
    offers = rank(registry.commands(), "fif", [], lambda _id: True)
    assert offers[0].command.title == "Search: Find in Files"
    assert [offers[0].command.title[i] for i in offers[0].matched] == ["F", "i", "F"]
    assert rank(registry.commands(), "", ["file.save"], lambda _id: True)[0].command.id == "file.save"


def test_the_palette_shows_keys_greys_what_cannot_run_and_runs_the_choice(qtbot, window):
    registry = _palette_registry(window)
    registry.set_enabled("debug.stop", False)
    ran = []
    registry.command_run.connect(ran.append)
    palette = CommandPalette(registry, [], window)
    qtbot.addWidget(palette)
    qtbot.keyClicks(palette.field, "stop")
    assert [(o.command.title, o.enabled) for o in palette.offers()] == [("Debug: Stop", False)]
    index = palette.model.index(0, 0)
    assert index.data() == "Debug: Stop" + NOT_NOW and index.data(KEYS_ROLE) == "Shift+F5"
    palette.run_current()   # Enter on a command that cannot run now: nothing runs
    assert palette.chosen is None and palette.result() == 0 and ran == []

    recent = []
    answer = answer_dialog(qtbot, lambda dialog: (qtbot.keyClicks(dialog.field, "save"),
                                                  qtbot.keyClick(dialog.field, Qt.Key.Key_Return)), "command-palette")
    assert open_palette(registry, recent, window) == "file.save"
    answer.wait(qtbot)
    assert ran == ["file.save"] and recent == ["file.save"]


def test_keyboard_shortcuts_lists_every_key_and_filters(qtbot, window):
    registry = _palette_registry(window)
    registry.declare(Command("editor.comment", "Toggle Line Comment", "Editor", _noop, ("Ctrl+/",), context=EDITOR))
    dialog = KeyboardShortcutsDialog(registry, window)
    qtbot.addWidget(dialog)
    assert ("Debug: Toggle Breakpoint", "F9", "Anywhere") in dialog.rows()
    assert ("Editor: Toggle Line Comment", "Ctrl+/", "In the editor") in dialog.rows()
    assert len(dialog.rows()) == 6
    dialog.filter.setText("F9")
    assert dialog.rows() == [("Debug: Toggle Breakpoint", "F9", "Anywhere")]
