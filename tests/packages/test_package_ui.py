"""The import preview, the export options and the jobs behind them, with real widgets and a real database."""
from __future__ import annotations

import json

from package_samples import current_package, write
from qt_dialogs import answer_dialog
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QTreeWidgetItemIterator

from plugin_studio.db import files, plugins
from plugin_studio.models import package as pk
from plugin_studio.settings import Settings
from plugin_studio.ui import package_actions as pa
from plugin_studio.services.packages import import_package


def _paths_in(tree) -> list[str]:
    found, it = [], QTreeWidgetItemIterator(tree)
    while it.value():
        if it.value().parent() is not None:
            found.append(it.value().text(0))
        it += 1
    return found


def _open_preview(qtbot, dsn, path):
    flow = pa.ImportFlow(None, dsn, path, Settings())
    with qtbot.waitSignal(flow.preview_shown) as shown:
        flow.start()
    dialog = shown.args[0]
    qtbot.addWidget(dialog)
    return flow, dialog


def test_preview_shows_what_will_be_created_and_import_creates_it(qtbot, conn, dsn, tmp_path):
    plugins.create_plugin(conn, "Loyalty Points")
    flow, dialog = _open_preview(qtbot, dsn, write(tmp_path, current_package()))

    assert dialog.isVisible()
    summary_text = dialog.findChild(QLabel, "import-summary").text()
    assert "Loyalty Points (2)" in summary_text and "loyalty-points-2" in summary_text
    top = [dialog.items.topLevelItem(i).text(0) for i in range(dialog.items.topLevelItemCount())]
    assert top == ["Files (3)", "Event listeners (3)", "Hooks (2)", "Widgets (1)", "Migrations (pending) (2)",
                   "Plugin data (2)", "Dependencies (1)"]
    assert "events/notify_customer.js" in _paths_in(dialog.items)
    data = {dialog.data_table.item(r, 0).text(): dialog.data_table.item(r, 1).text()
            for r in range(dialog.data_table.rowCount())}
    assert data["api_key"] == '"sk_live_secret_123"'

    with qtbot.waitSignal(flow.imported) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    outcome = imported.args[0]
    assert flow.value == outcome.result.plugin_id
    created = plugins.get_plugin(conn, outcome.result.plugin_id)
    assert (created.name, created.slug) == ("Loyalty Points (2)", "loyalty-points-2")
    assert len(files.load_plugin_files(conn, created.id).events) == 3


def test_preview_offers_renaming_clashing_widget_ids(qtbot, conn, dsn, tmp_path):
    path = write(tmp_path, current_package())
    import_package(conn, pk.load_package(path))
    flow, dialog = _open_preview(qtbot, dsn, path)

    assert dialog.findChild(QGroupBox, "widget-clashes") is not None
    assert "points-balance → points-balance-2" in dialog.rename_widgets.text()
    assert dialog.keep_widgets.isChecked()
    dialog.rename_widgets.click()
    with qtbot.waitSignal(flow.imported) as imported:
        dialog.import_button.click()
    result = imported.args[0].result
    assert files.load_plugin_files(conn, result.plugin_id).widgets[0].widget_id == "points-balance-2"


def test_cancel_in_preview_creates_nothing(qtbot, conn, dsn, tmp_path, db_snapshot):
    before = db_snapshot(conn)
    flow, dialog = _open_preview(qtbot, dsn, write(tmp_path, current_package()))
    with qtbot.waitSignal(flow.ended) as ended:
        dialog.reject()
    assert ended.args == [None]
    assert db_snapshot(conn) == before


def test_refused_package_says_why_and_changes_nothing(qtbot, conn, dsn, tmp_path, db_snapshot):
    package = current_package()
    package["events"].append({"eventName": "a.b", "listenerCode": ""})
    del package["events"][3]["eventName"]
    before = db_snapshot(conn)
    flow = pa.ImportFlow(None, dsn, write(tmp_path, package), Settings())
    with qtbot.waitSignal(flow.refused):
        flow.start()
    qtbot.addWidget(flow.error_box)
    assert "events[3].eventName: missing" in flow.error_box.text()
    assert "nothing was changed" in flow.error_box.text()
    assert flow.value is None and db_snapshot(conn) == before


def test_cancel_during_import_rolls_back(qtbot, conn, dsn, tmp_path, db_snapshot):
    package = current_package()
    package["files"] = [{"name": f"lib/f{i}.js", "content": "x" * 100} for i in range(2000)]
    flow, dialog = _open_preview(qtbot, dsn, write(tmp_path, package))
    before = db_snapshot(conn)
    with qtbot.waitSignal(flow.ended) as ended:
        dialog.import_button.click()
        flow.progress.findChild(QPushButton).click()   # the progress dialog's Cancel
    assert ended.args == [None]
    assert db_snapshot(conn) == before


def test_export_dialog_defaults_to_slug_and_version_and_can_leave_out_data(qtbot, conn, dsn, tmp_path):
    result = import_package(conn, pk.load_package(write(tmp_path, current_package())))
    flow = pa.ExportFlow(None, dsn, result.plugin_id, tmp_path, Settings())
    with qtbot.waitSignal(flow.options_shown) as shown:
        flow.start()
    dialog = shown.args[0]
    qtbot.addWidget(dialog)
    assert dialog.path.text() == str(tmp_path / "loyalty-points-1.2.0.json")
    assert "2 keys" in dialog.include_data.text()
    dialog.include_data.setChecked(False)
    with qtbot.waitSignal(flow.exported):
        dialog.accept()
    written = json.loads((tmp_path / "loyalty-points-1.2.0.json").read_text())
    assert written["plugin"]["name"] == "Loyalty Points" and written["pluginData"] == []
    assert flow.value == str(tmp_path / "loyalty-points-1.2.0.json")


def test_export_dialog_refuses_a_missing_folder(qtbot, tmp_path):
    dialog = pa.ExportDialog("P", tmp_path / "nope" / "p.json", 0)
    qtbot.addWidget(dialog)
    dialog._accept_if_valid()
    assert "does not exist" in dialog.error.text() and dialog.result() == 0


def test_import_package_interactively_returns_the_new_id(qtbot, conn, dsn, tmp_path, monkeypatch):
    monkeypatch.setenv("PLUGIN_STUDIO_HOME", str(tmp_path / "home"))
    path = write(tmp_path, current_package())

    previewed = answer_dialog(qtbot, lambda dialog: dialog.import_button.click(), "import-preview")
    plugin_id = pa.import_package_interactively(None, dsn, path)
    assert previewed.done
    assert plugins.get_plugin(conn, plugin_id).name == "Loyalty Points"


def test_package_paths_takes_local_json_files_from_a_drop(tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.json")), QUrl.fromLocalFile(str(tmp_path / "b.txt")),
                  QUrl("https://example.com/c.json")])
    assert pa.package_paths(mime) == [str(tmp_path / "a.json")]
