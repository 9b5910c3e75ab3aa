"""The app on a database built like the platform's: it opens, lists, loads and saves without changing
the schema; a role that may only read and write rows gets live updates by polling, unasked."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from platform_db import insert_platform_plugin, insert_row, schema_dump
from plugin_studio.settings import Settings
from ui_helpers import open_file


@pytest.fixture
def platform_plugin(platform_conn) -> str:
    plugin = insert_platform_plugin(platform_conn, "Cart Hamid", slug="cart-hamid", status="active")
    insert_row(platform_conn, "plugin_hooks", plugin_id=plugin, hook_name="cart.total",
               handler_function="function (t) { return t; }")
    insert_row(platform_conn, "plugin_events", plugin_id=plugin, event_name="cart.viewed",
               listener_function="function (d) {}")
    return plugin


@pytest.fixture
def open_window(qtbot, recovery, monkeypatch):
    """``open_window(dsn, plugin_id)`` → a MainWindow showing that plugin; ``asked`` records trigger questions."""
    from plugin_studio.ui.main_window import MainWindow

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _parent, title, *_a, **_k: asked.append(title) or QMessageBox.StandardButton.No)
    windows = []

    def open_(dsn: str, plugin_id: str | None = None) -> MainWindow:
        settings = Settings(last_plugin_id=plugin_id)
        settings.save = lambda: None
        window = MainWindow(dsn, settings=settings, recovery=recovery)
        windows.append(window)
        with qtbot.waitSignal(window.plugins_listed, timeout=20_000):
            window.show()
        if plugin_id:
            qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.id == plugin_id)
        return window

    open_.asked = asked
    yield open_
    for window in windows:
        for tab in window.editors.all_tabs():
            tab.editor.set_text(tab.text())
        window.close()
        window.deleteLater()


def _save_an_edit(qtbot, window, path: str, text: str):
    tab = open_file(qtbot, window, path)
    tab.editor.setFocus(True)
    tab.editor.documentEnd()
    qtbot.keyClicks(tab.editor, text)
    qtbot.keyClick(tab.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not tab.is_dirty(), timeout=10_000)


def test_a_dml_only_role_opens_loads_saves_and_sees_changes_by_polling(qtbot, open_window, dml_dsn, platform_dsn,
                                                                      platform_conn, platform_plugin):
    before = schema_dump(platform_dsn)
    window = open_window(dml_dsn, platform_plugin)
    assert open_window.asked == [], "a role that cannot install triggers is not asked to"
    assert window.listener is not None and not window.listener.uses_triggers
    paths = lambda: sorted(e.path for e in window.tree_model.entries())  # noqa: E731
    assert {"hooks/cart_total.js", "events/cart_viewed.js"} <= set(paths())

    _save_an_edit(qtbot, window, "hooks/cart_total.js", "// saved by a DML role")
    stored = platform_conn.execute("SELECT handler_function FROM plugin_hooks WHERE plugin_id = %s",
                                   (platform_plugin,)).fetchone()[0]
    assert stored.endswith("// saved by a DML role")

    insert_row(platform_conn, "plugin_scripts", plugin_id=platform_plugin, script_type="js", scope="frontend",
               file_name="utils/new.js", file_content="x")  # another client
    qtbot.waitUntil(lambda: "utils/new.js" in paths(), timeout=10_000)
    assert schema_dump(platform_dsn) == before


def test_the_owner_is_asked_once_and_a_no_leaves_the_schema_alone(qtbot, open_window, platform_dsn, platform_conn,
                                                                   platform_plugin):
    before = schema_dump(platform_dsn)
    window = open_window(platform_dsn, platform_plugin)
    assert open_window.asked == ["See other clients' changes"]
    _save_an_edit(qtbot, window, "events/cart_viewed.js", "// saved by the owner")
    assert schema_dump(platform_dsn) == before


def test_a_server_without_plugin_tables_says_db_init_is_needed_and_creates_nothing(qtbot, recovery, empty_dsn):
    from plugin_studio.ui.main_window import MainWindow

    settings = Settings()
    settings.save = lambda: None
    window = MainWindow(empty_dsn, settings=settings, recovery=recovery)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "error-message") is not None, timeout=20_000)
    box = window.findChild(QMessageBox, "error-message")
    assert box.windowTitle() == "Could not open the database"
    assert "run `plugin-studio db init`" in box.text()
    box.close()
    assert schema_dump(empty_dsn).count("CREATE TABLE") == 0
