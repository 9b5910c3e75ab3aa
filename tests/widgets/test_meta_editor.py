"""The widget properties form writes plugin_widgets on the database worker."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from plugin_studio.db import files
from plugin_studio.db.files import load_plugin_files
from plugin_studio.ui.database import Database
from plugin_studio.ui.preview.meta_editor import WidgetMetaEditor


@pytest.fixture
def db_worker(qtbot, dsn):
    worker = Database()
    with qtbot.waitSignal(worker.connected):
        worker.open(dsn)
    yield worker
    worker.stop()


def starter(conn, plugin_id):
    return next(w for w in load_plugin_files(conn, plugin_id).widgets if w.widget_id == "cart-visit-counter")


def test_saving_renames_and_updates_in_one_go(qtbot, conn, cart_viewer, db_worker):
    editor = WidgetMetaEditor(db_worker)
    qtbot.addWidget(editor)
    editor.show_row(starter(conn, cart_viewer))
    editor.widget_id.setText("visit-counter")
    editor.name.setText("Visit counter")
    editor.enabled.setChecked(False)
    editor.default_config.setPlainText('{"title": "Visits", "accent": "#111111"}')
    with qtbot.waitSignal(editor.widget_saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert set(saved.args[1]) == {"widget_id", "widget_name", "is_enabled", "default_config"}
    row = next(w for w in load_plugin_files(conn, cart_viewer).widgets)
    assert (row.widget_id, row.widget_name, row.is_enabled) == ("visit-counter", "Visit counter", False)
    assert row.default_config == {"title": "Visits", "accent": "#111111"}
    assert editor.status.text() == "Saved."


def test_a_refused_save_keeps_what_was_typed(qtbot, conn, cart_viewer, db_worker):
    files.create_widget(conn, cart_viewer, "taken", "Taken", "function W() { return null; }")
    editor = WidgetMetaEditor(db_worker)
    qtbot.addWidget(editor)
    editor.show_row(starter(conn, cart_viewer))
    editor.widget_id.setText("taken")
    editor.name.setText("Renamed too")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: editor.status.text().startswith("Not saved"))
    assert "already has a widget taken" in editor.status.text()
    assert (editor.widget_id.text(), editor.name.text()) == ("taken", "Renamed too")
    assert starter(conn, cart_viewer).widget_name == "Cart visit counter", "nothing half-written"


def test_invalid_default_config_is_refused_before_the_database(qtbot, conn, cart_viewer, db_worker):
    editor = WidgetMetaEditor(db_worker)
    qtbot.addWidget(editor)
    editor.show_row(starter(conn, cart_viewer))
    editor.default_config.setPlainText("[1, 2]")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert "must be a JSON object" in editor.status.text()
    editor.default_config.setPlainText("{oops")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert "not valid JSON" in editor.status.text()
    assert editor.default_config.toPlainText() == "{oops"
