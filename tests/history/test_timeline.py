"""The Timeline as a user sees it: versions with who, when and message, the changes of one version or
between two side by side, Restore and Tag."""
from __future__ import annotations

import pytest
from test_history import _open, _text, _twelve_saves

from plugin_studio.db import files, plugins
from plugin_studio.services import documents, history
from plugin_studio.ui.database import Database
from plugin_studio.ui.timeline import Timeline


@pytest.fixture
def database(qtbot, dsn):
    db = Database()
    with qtbot.waitSignal(db.connected):
        db.open(dsn)
    yield db
    db.stop()


def _timeline(qtbot, database, plugin_id, path=None) -> Timeline:
    view = Timeline(database, plugin_id, "Prices", path)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.comparison is not None)   # listed, the newest selected and its diff shown
    return view


def test_the_file_timeline_lists_its_versions_and_shows_a_versions_change(qtbot, conn, database):
    plugin_id = plugins.create_plugin(conn, "Prices").id
    texts = _twelve_saves(conn, plugin_id)
    view = _timeline(qtbot, database, plugin_id, "utils/price.js")
    rows = [[view.list.topLevelItem(r).text(c) for c in range(6)] for r in range(view.list.topLevelItemCount())]
    assert len(rows) == 12 and rows[0][0] == "1.0.12  ●" and rows[-1][0] == "1.0.1"
    assert {r[3] for r in rows} == {"Updated utils/price.js"} and all(r[2].endswith("(Plugin Studio)") for r in rows)
    assert view.diff.old_title.text() == "1.0.11" and view.diff.new_title.text() == "1.0.12"
    assert view.diff.new_side.toPlainText().startswith("// save 12")
    view.list.clearSelection()   # two versions: compared with each other (the last of the answers)
    view.list.topLevelItem(11).setSelected(True)
    view.list.topLevelItem(9).setSelected(True)
    qtbot.waitUntil(lambda: (view.diff.old_title.text(), view.diff.new_title.text()) == ("1.0.1", "1.0.3"))
    assert view.diff.old_side.toPlainText().rstrip("\n") == texts[0].rstrip("\n")   # gap rows pad the shorter side
    assert not view.restore_button.isEnabled()


def test_restore_from_the_timeline_records_a_version_and_puts_the_text_back(qtbot, conn, database):
    plugin_id = plugins.create_plugin(conn, "Prices").id
    texts = _twelve_saves(conn, plugin_id)
    view = _timeline(qtbot, database, plugin_id)
    third = next(v for v in view.versions if v.version_number == "1.0.3")
    with qtbot.waitSignal(view.restored) as restored, qtbot.waitSignal(view.loaded):
        view.restore(third)
    assert restored.args[0].commit_message == "Restored to version 1.0.3"
    assert view.list.topLevelItem(0).text(0) == "1.0.13  ●"
    assert view.list.topLevelItem(0).text(4) == "restored-from-1.0.3"
    assert files.load_plugin_files(conn, plugin_id).scripts[0].file_content == texts[2]
    with qtbot.waitSignal(view.loaded):
        view.tag(view.versions[1], "before restore")
    assert view.list.topLevelItem(1).text(4) == "before restore"


def test_the_plugin_timeline_lists_the_files_a_version_changed(qtbot, conn, database):
    plugin_id = plugins.create_plugin(conn, "Prices").id
    files.create_script(conn, plugin_id, "a.js", "a\n")
    files.create_script(conn, plugin_id, "b.js", "b\n")
    history.record_version(conn, plugin_id, message="start", author=history.default_author())
    for name in ("a.js", "b.js"):
        doc = _open(conn, plugin_id, name)
        with history.recorded_change(conn, plugin_id, "both"):
            documents.write_text(conn, doc, _text(3))
    view = _timeline(qtbot, database, plugin_id)
    assert [view.files.itemText(i) for i in range(view.files.count())] == ["b.js"]
    # Each selection change asks for a comparison; the answers come in order, the last is the pair's.
    view.list.clearSelection()
    view.list.topLevelItem(0).setSelected(True)
    view.list.topLevelItem(2).setSelected(True)
    qtbot.waitUntil(lambda: [view.files.itemText(i) for i in range(view.files.count())] == ["a.js", "b.js"])
    view.files.setCurrentIndex(1)
    assert view.diff.old_side.toPlainText().rstrip("\n") == "b" and view.diff.new_side.toPlainText().startswith("// save 3")
