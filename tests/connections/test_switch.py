"""Switching the running window to another saved connection: its tabs kept (a window stays on the
old connection) or closed (the window gives way to one on the new connection)."""
from __future__ import annotations

import psycopg
import pytest

from plugin_studio.models.connections import SavedConnection
from plugin_studio.models.templates import get_template
from plugin_studio.services.templates import create_from_template
from plugin_studio.settings import Settings
from plugin_studio.ui.connections import switch

from qt_dialogs import answer_dialog
from ui.ui_helpers import open_file


@pytest.fixture
def two_stores(databases, save_connections):
    a, b = databases(2)
    for dsn, name in ((a, "Alpha Tools"), (b, "Beta Tools")):
        with psycopg.connect(dsn, autocommit=True) as conn:
            create_from_template(conn, get_template("cart-viewer"), name)
    save_connections(SavedConnection("A", dsn=a), SavedConnection("B", dsn=b, color="#1565c0"))
    return a, b


@pytest.fixture
def windows(qtbot, recovery):
    from plugin_studio.ui.main_window import MainWindow

    opened = []

    def open_on(name: str) -> MainWindow:
        settings = Settings(runner_timeout_ms=60_000)
        settings.save = lambda: None
        window = MainWindow(name, settings=settings, recovery=recovery)
        with qtbot.waitSignal(window.plugins_listed):
            window.show()
        opened.append(window)
        return window

    yield open_on, opened
    for window in opened + switch._open_windows:
        if window.isVisible():
            for tab in window.editors.all_tabs():
                tab.editor.set_text(tab.text())
            window.close()


def _plugin_names(window) -> list[str]:
    return [window.plugin_model.plugin_at(r).name for r in range(window.plugin_model.rowCount())]


def test_without_tabs_the_window_switches_at_once(qtbot, two_stores, windows):
    open_on, _opened = windows
    window = open_on("A")
    assert _plugin_names(window) == ["Alpha Tools"]
    new = switch.switch_connection(window, "B")
    qtbot.waitUntil(lambda: new.plugin_model.rowCount() == 1)
    assert _plugin_names(new) == ["Beta Tools"] and new.windowTitle().startswith("B — ")
    assert not window.isVisible() and new.frame.isVisible()


def test_with_tabs_the_user_keeps_them_or_closes_them(qtbot, two_stores, windows):
    open_on, _opened = windows
    window = open_on("A")
    qtbot.waitUntil(lambda: window.current_plugin is not None)
    open_file(qtbot, window, "hooks/product_price.js")
    keep = answer_dialog(qtbot, lambda box: [b for b in box.buttons() if b.text() == "Keep Them"][0].click(),
                         "switch-connection")
    beside = switch.switch_connection(window, "B")
    keep.wait(qtbot)
    assert "1 tab(s) of “A” are open" in keep.text
    qtbot.waitUntil(lambda: beside.plugin_model.rowCount() == 1)
    assert window.isVisible() and len(window.editors.all_tabs()) == 1 and _plugin_names(beside) == ["Beta Tools"]

    close = answer_dialog(qtbot, lambda box: [b for b in box.buttons() if b.text() == "Close Them"][0].click(),
                          "switch-connection")
    again = switch.switch_connection(window, "B")
    close.wait(qtbot)
    qtbot.waitUntil(lambda: not window.isVisible())
    qtbot.waitUntil(lambda: again.plugin_model.rowCount() == 1)

    qtbot.waitUntil(lambda: beside.current_plugin is not None)
    open_file(qtbot, beside, "hooks/product_price.js")
    cancel = answer_dialog(qtbot, lambda box: box.button(box.StandardButton.Cancel).click(), "switch-connection")
    assert switch.switch_connection(beside, "A") is None
    cancel.wait(qtbot)
    assert beside.isVisible()
