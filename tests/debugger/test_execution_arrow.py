"""The execution arrow shows where a paused session is, and leaves the editor when it is over."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def test_the_arrow_follows_the_pauses_and_goes_when_the_session_finishes(qtbot, make_window, discounts, price_chain):
    window = make_window(select_plugin=discounts)
    qtbot.waitUntil(lambda: window.workbench is not None and window.workbench.debugger is not None)
    pane = window.workbench.debugger
    qtbot.waitUntil(lambda: pane.plugin_id == discounts)
    pane.set_scenario("product.price", 100, [{"id": "prod_tea"}], mode="filter")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tree.setFocus()
    with qtbot.waitSignal(pane.controller.session_paused):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: window.editors.tab_for("plugin_hooks", price_chain[0]) is not None
                    and window.editors.tab_for("plugin_hooks", price_chain[0]).editor.current_line() is not None)
    with qtbot.waitSignal(pane.controller.session_finished):
        window.commands.registry.action("debug.run").trigger()      # Continue to the end
    assert [t.document.path for t in window.editors.all_tabs() if t.editor.current_line() is not None] == []
