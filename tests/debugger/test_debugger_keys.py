"""The debugger's keys in the whole window: each pause opens the handler in the editor, which takes
the focus, and the next F10 steps on from there; F5, F10, F11, Shift+F11, Shift+F5, Ctrl+Shift+F5
and F9 work wherever the focus is while a session exists."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from plugin_studio.ui.command_palette import CommandPalette

SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
F5, F9, F10, F11 = Qt.Key.Key_F5, Qt.Key.Key_F9, Qt.Key.Key_F10, Qt.Key.Key_F11


def _debugging_window(qtbot, make_window, plugin_id):
    window = make_window(select_plugin=plugin_id)
    qtbot.waitUntil(lambda: window.workbench is not None and window.workbench.debugger is not None)
    pane = window.workbench.debugger
    qtbot.waitUntil(lambda: pane.plugin_id == plugin_id)
    pane.set_scenario("product.price", 100, [{"id": "prod_tea"}], mode="filter")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, pane


def _press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier):
    """A key where the focus is, as the user's keyboard sends it."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


def _editor_has_focus_on(qtbot, window, row_id):
    def shown():
        tab = window.editors.current_tab()
        return tab is not None and tab.document.row_id == row_id and QApplication.focusWidget() is tab.editor
    qtbot.waitUntil(shown)


def test_f10_twice_with_the_focus_in_the_editor_steps_twice(qtbot, make_window, discounts, price_chain):
    window, pane = _debugging_window(qtbot, make_window, discounts)
    window.tree.setFocus()
    with qtbot.waitSignal(pane.controller.session_paused) as paused:
        _press(qtbot, F10)
    assert paused.args == ["entry", 0]
    _editor_has_focus_on(qtbot, window, price_chain[0])
    for position in (1, 2):
        with qtbot.waitSignal(pane.controller.session_paused) as paused:
            _press(qtbot, F10)
        assert paused.args == ["step", position]
        _editor_has_focus_on(qtbot, window, price_chain[position])
    assert pane.chain.highlighted_rows() == [2]
    with qtbot.waitSignal(pane.controller.session_finished) as finished:
        _press(qtbot, F10)
    assert finished.args[0].final == 72.9


def test_every_debugger_key_works_from_the_tree_the_editor_and_the_plugin_list(qtbot, make_window, discounts,
                                                                               price_chain):
    window, pane = _debugging_window(qtbot, make_window, discounts)
    commands = window.commands.registry
    assert not commands.is_enabled("debug.stop")     # no session: nothing to stop
    window.plugin_view.setFocus()
    with qtbot.waitSignal(pane.controller.session_paused) as paused:
        _press(qtbot, F11)                            # Step Into starts a session at the first handler
    assert paused.args == ["entry", 0]
    assert commands.is_enabled("debug.stop") and commands.action("debug.run").text() == "Continue"

    _editor_has_focus_on(qtbot, window, price_chain[0])
    _press(qtbot, F9)                                 # in the editor: a breakpoint on its handler
    qtbot.waitUntil(lambda: price_chain[0] in pane.breakpoint_rows())
    window.tree.setFocus()
    with qtbot.waitSignal(pane.controller.session_paused) as paused:
        _press(qtbot, F5, CTRL | SHIFT)               # Restart: stops at the breakpoint on the first
    assert paused.args[1] == 0

    window.plugin_view.setFocus()
    with qtbot.waitSignal(pane.controller.session_finished) as finished:
        _press(qtbot, F11, SHIFT)                     # Step Out of the only level runs to the end
    assert finished.args[0].final == 72.9

    with qtbot.waitSignal(pane.controller.session_paused):
        _press(qtbot, F5)                             # Run stops at the breakpoint again
    _editor_has_focus_on(qtbot, window, price_chain[0])
    with qtbot.waitSignal(pane.controller.state_changed) as stopped:
        _press(qtbot, F5, SHIFT)                      # Stop, from the editor
    assert stopped.args == ["idle"]
    qtbot.waitUntil(lambda: not commands.is_enabled("debug.stop"))


def _debug_menu_entry(window) -> str:
    """The first entry of the Debug menu, as the user reads it."""
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Debug"]
    assert isinstance(menu, QMenu)
    return menu.actions()[0].text()


def _palette_offers(qtbot, window, typed: str) -> list[str]:
    """The palette's lines for ``typed``, as shown."""
    palette = CommandPalette(window.commands.registry, [], window)
    qtbot.addWidget(palette)
    qtbot.keyClicks(palette.field, typed)
    lines = [palette.model.index(row, 0).data() for row in range(palette.model.rowCount())]
    palette.close()
    return lines


def test_the_palette_names_run_and_continue_as_the_debug_menu_does(qtbot, make_window, discounts, price_chain):
    window, pane = _debugging_window(qtbot, make_window, discounts)
    assert _debug_menu_entry(window) == "Run"
    assert "Debug: Run" in _palette_offers(qtbot, window, "debug run")
    window.tree.setFocus()
    with qtbot.waitSignal(pane.controller.session_paused):
        _press(qtbot, F10)
    assert _debug_menu_entry(window) == "Continue"
    offers = _palette_offers(qtbot, window, "debug")
    assert "Debug: Continue" in offers and not [line for line in offers if "Run / Continue" in line]
    with qtbot.waitSignal(pane.controller.state_changed):
        window.commands.registry.trigger("debug.stop")
