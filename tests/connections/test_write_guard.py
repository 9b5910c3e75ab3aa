"""The guard on writes in the window: production asks once per session, read-only refuses."""
from __future__ import annotations

import pytest

from plugin_studio.db import files, plugin_data
from plugin_studio.db.errors import ReadOnlyRefused
from plugin_studio.db.rows import run
from plugin_studio.models.connections import PRODUCTION_COLOR, SavedConnection
from plugin_studio.settings import Settings

from qt_dialogs import answer_dialog, watcher
from ui.ui_helpers import open_file, wait_for_queued_database_work

HOOK = "hooks/product_price.js"


@pytest.fixture
def open_window(qtbot, recovery):
    from plugin_studio.ui.main_window import MainWindow

    windows = []

    def make(name: str, plugin_id: str) -> MainWindow:
        settings = Settings(last_plugin_id=plugin_id, runner_timeout_ms=60_000)
        settings.save = lambda: None
        window = MainWindow(name, settings=settings, recovery=recovery)
        with qtbot.waitSignal(window.plugins_listed):
            window.show()
        qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.id == plugin_id)
        windows.append(window)
        return window

    yield make
    for window in windows:
        for tab in window.editors.all_tabs():
            tab.editor.set_text(tab.text())
        window.close()
        window.deleteLater()


def _press(text):
    def press(box):
        [button] = [b for b in box.buttons() if b.text() == text]
        button.click()
    return press


def _code(conn, tab) -> str:
    return files.fetch_code(conn, tab.document.table, tab.document.row_id)


def test_read_only_refuses_a_save_and_an_import_and_the_server_refuses_the_rest(
        qtbot, dsn, conn, cart_viewer, save_connections, open_window, tmp_path):
    from plugin_studio.cli import main

    save_connections(SavedConnection("Look", dsn=dsn, read_only=True))
    package = tmp_path / "cart.json"
    assert main(["export", cart_viewer, "-o", str(package), "--dsn", dsn]) == 0
    window = open_window("Look", cart_viewer)
    assert window.windowTitle().startswith("[read-only] Look — Cart Viewer")
    tab = open_file(qtbot, window, HOOK)
    before = _code(conn, tab)
    qtbot.keyClicks(tab.editor, "/* mine */")
    notice = answer_dialog(qtbot, lambda box: box.accept(), "read-only-refused")
    window.commands.save.trigger()
    notice.wait(qtbot)
    assert "“Look” is a read-only connection: Plugin Studio did not save hooks/product_price.js" in notice.text
    assert "Your edits are kept" in notice.text
    wait_for_queued_database_work(qtbot, window)
    assert tab.is_dirty() and _code(conn, tab) == before

    plugins_before = conn.execute("SELECT count(*) FROM plugin_registry").fetchone()[0]
    notice = answer_dialog(qtbot, lambda box: box.accept(), "read-only-refused")
    window.workbench.import_package(str(package))
    notice.wait(qtbot)
    assert "did not import a package" in notice.text
    assert conn.execute("SELECT count(*) FROM plugin_registry").fetchone()[0] == plugins_before

    failures = []
    window.db.submit(lambda c: run(c, "UPDATE plugin_registry SET name = name || '!'"), on_error=failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], ReadOnlyRefused)
    assert conn.execute("SELECT count(*) FROM plugin_registry WHERE name LIKE '%!'").fetchone()[0] == 0


def test_production_asks_once_per_session_before_the_first_write(qtbot, dsn, conn, cart_viewer, save_connections,
                                                                open_window):
    save_connections(SavedConnection("Shop", dsn=dsn, production=True))
    window = open_window("Shop", cart_viewer)
    assert window.windowTitle().startswith("[PRODUCTION] Shop — Cart Viewer")
    assert window.frame.isVisible() and window.frame.color.name() == PRODUCTION_COLOR
    assert window.connection_strip.isVisible() and "PRODUCTION" in window.connection_strip.text()
    shown_before = len(watcher().shown)
    tab = open_file(qtbot, window, HOOK)
    before = _code(conn, tab)
    qtbot.keyClicks(tab.editor, "/* one */")

    declined = answer_dialog(qtbot, _press("Cancel"), "production-write-confirm")
    window.commands.save.trigger()
    declined.wait(qtbot)
    assert "“Shop” is a production database" in declined.text and "save hooks/product_price.js" in declined.text
    wait_for_queued_database_work(qtbot, window)
    assert tab.is_dirty() and _code(conn, tab) == before

    allowed = answer_dialog(qtbot, _press("Allow Writing"), "production-write-confirm")
    window.commands.save.trigger()
    allowed.wait(qtbot)
    qtbot.waitUntil(lambda: not tab.is_dirty())
    assert _code(conn, tab).startswith("/* one */")

    qtbot.keyClicks(tab.editor, "/* two */")
    window.commands.save.trigger()
    qtbot.waitUntil(lambda: not tab.is_dirty())
    assert _code(conn, tab).startswith("/* one *//* two */")
    index = window.tree_model.index_for_path("utils/format_price.js")
    window.tree.setCurrentIndex(index)
    deleted = answer_dialog(qtbot, _press("Delete"), "confirm-destructive")
    window.commands.delete.trigger()
    deleted.wait(qtbot)
    qtbot.waitUntil(lambda: not window.tree_model.index_for_path("utils/format_price.js").isValid())
    asked = [name for name in watcher().shown[shown_before:] if name == "production-write-confirm"]
    assert len(asked) == 2   # the declined first write, then the one allowed; nothing after it


def test_an_ordinary_connection_is_not_framed_and_never_asks(qtbot, dsn, conn, cart_viewer, save_connections,
                                                            open_window):
    save_connections(SavedConnection("Dev", dsn=dsn))
    window = open_window("Dev", cart_viewer)
    assert window.windowTitle().startswith("Dev — Cart Viewer") and not window.frame.isVisible()
    shown_before = len(watcher().shown)
    tab = open_file(qtbot, window, HOOK)
    qtbot.keyClicks(tab.editor, "/* dev */")
    window.commands.save.trigger()
    qtbot.waitUntil(lambda: not tab.is_dirty())
    assert watcher().shown[shown_before:] == []


def test_every_write_the_window_starts_asks_on_production_and_a_declined_one_writes_nothing(
        qtbot, dsn, conn, cart_viewer, save_connections, open_window):
    """Not only saves: a data key set in its dialog and a Replace in Files ask the same question
    (the guard sits where every user write is queued, ``Database.submit_write``)."""
    save_connections(SavedConnection("Shop", dsn=dsn, production=True))
    window = open_window("Shop", cart_viewer)
    hook = files.load_plugin_files(conn, cart_viewer).hooks[0]
    asked = []

    def set_a_key(dialog):
        dialog.key.setText("theme")
        dialog.value.setPlainText('"dark"')
        declined = answer_dialog(qtbot, _press("Cancel"), "production-write-confirm")
        dialog._save_value()
        declined.wait(qtbot)
        asked.append(declined.text)
        dialog.reject()

    data = answer_dialog(qtbot, set_a_key, "plugin-data")
    window.commands.data.trigger()
    data.wait(qtbot)
    assert "You are about to set the data key theme" in asked[0]

    panel = window.search.panel
    panel.show_replace.setChecked(True)
    panel.query.setText("price")
    panel.replacement.setText("cost")
    declined = answer_dialog(qtbot, _press("Cancel"), "production-write-confirm")
    preview = answer_dialog(qtbot, lambda dialog: dialog.reject(), "replace-preview")
    panel.preview_replace()
    declined.wait(qtbot)
    assert "You are about to replace “price” in files" in declined.text
    wait_for_queued_database_work(qtbot, window)
    assert not preview.done
    preview.cancel()
    assert plugin_data.get_value(conn, cart_viewer, "theme") is None
    assert files.fetch_code(conn, "plugin_hooks", hook.id) == hook.handler_function


def test_a_write_the_guard_refuses_never_runs_nor_answers(qtbot, dsn, conn, cart_viewer):
    """Whatever view queues a write (here the timeline's tag), the guard is asked with what it does."""
    from plugin_studio.db import history as history_rows
    from plugin_studio.services import history
    from plugin_studio.ui.database import Database
    from plugin_studio.ui.timeline import Timeline

    database = Database()
    with qtbot.waitSignal(database.connected, timeout=30_000):
        database.open(dsn)
    history.record_version(conn, cart_viewer, message="start", author=history.default_author())
    asked = []
    database.write_guard = lambda action: asked.append(action) is not None
    view = Timeline(database, cart_viewer, "Cart Viewer", None)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: bool(view.versions))
    answered = []
    view.tag(view.versions[0], "shipped")
    database.writes_lane.submit(lambda _c: "marker", owner=None, on_done=answered.append)
    qtbot.waitUntil(lambda: answered == ["marker"])
    assert asked == [f"tag version {view.versions[0].version_number}"]
    assert all("shipped" not in v.tags for v in history_rows.list_versions(conn, cart_viewer))
    database.stop()
