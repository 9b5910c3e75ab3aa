"""The main window as a user drives it: tree, badges, editing, saving, Edit Event, live changes, conflicts."""
from __future__ import annotations

import psycopg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from plugin_studio.db import files, plugins
from plugin_studio.ui.file_tree_model import BADGE_ROLE, ENABLED_ROLE
from ui_helpers import answer_dialog, open_file, wait_for_queued_database_work


def _visible_paths(window):
    return sorted(e.path for e in window.tree_model.entries())




def _rows(conn, table):
    return sorted(map(str, conn.execute(f"SELECT * FROM {table}").fetchall()))


def test_tree_shows_paths_and_badges_for_every_kind(qtbot, conn, make_window):
    p = plugins.create_plugin(conn, "Badges")
    files.create_event(conn, p.id, "cart.viewed", "function (d) {}")  # NULL file_name
    files.create_event(conn, p.id, "product.before_save", "function (d) {}")
    files.create_hook(conn, p.id, "product.price", "filter", "function (v) { return v; }", priority=5)
    files.create_widget(conn, p.id, "promo", "Promo", "function () { return null; }")
    files.create_script(conn, p.id, "services/sync.js", "export const a = 1;", scope="backend")
    from plugin_studio.db.migrations import create_migration
    create_migration(conn, p.id, p.name, "1.0.1", "add_points", "SELECT 1;")
    disabled = files.create_hook(conn, p.id, "cart.total", "action", "function () {}")
    files.set_enabled(conn, "plugin_hooks", disabled, False)

    window = make_window(select_plugin=p.id)
    assert _visible_paths(window) == sorted([
        "events/cart_viewed.js", "events/product_before_save.js", "hooks/product_price.js", "hooks/cart_total.js",
        "widgets/promo.jsx", "services/sync.js", "migrations/1.0.1_add_points.sql", "manifest.json",
    ])
    badge = lambda path: window.tree_model.index_for_path(path).data(BADGE_ROLE).text  # noqa: E731
    assert badge("events/product_before_save.js") == "product.before_save"
    assert badge("hooks/product_price.js") == "product.price · filter · 5"
    assert badge("widgets/promo.jsx") == "promo"
    assert badge("migrations/1.0.1_add_points.sql") == "pending"
    assert badge("services/sync.js") == "backend"
    assert window.tree_model.index_for_path("hooks/cart_total.js").data(ENABLED_ROLE) is False


def test_editing_and_ctrl_s_writes_exactly_one_row(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    before = {t: _rows(conn, t) for t in ("plugin_hooks", "plugin_events", "plugin_scripts", "plugin_widgets")}
    tab.editor.setFocus(True)
    tab.editor.documentEnd()
    qtbot.keyClicks(tab.editor, "// edited")
    qtbot.keyClick(tab.editor, Qt.Key.Key_Return)
    assert tab.is_dirty() and "●" in window.editors.tabs.tabText(window.editors.tabs.currentIndex())
    qtbot.keyClick(tab.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not tab.is_dirty())
    after = {t: _rows(conn, t) for t in before}
    assert [t for t in before if before[t] != after[t]] == ["plugin_hooks"]
    assert len(set(after["plugin_hooks"]) - set(before["plugin_hooks"])) == 1
    stored = files.fetch_code(conn, "plugin_hooks", tab.document.row_id)
    assert stored.rstrip().endswith("// edited") and stored == tab.text()


def test_edit_event_dialog_changes_only_event_name_of_that_row(qtbot, conn, cart_viewer, make_window):
    other = files.create_event(conn, cart_viewer, "cart.viewed", "function () {}", file_name="second.js")
    window = make_window(select_plugin=cart_viewer)
    event_path = "events/cart_viewed.js"
    window.tree.setCurrentIndex(window.tree_model.index_for_path(event_path))
    row_id = window.tree.current_entry().row_id
    before = {t: _rows(conn, t) for t in ("plugin_hooks", "plugin_scripts", "plugin_widgets", "plugin_registry")}
    before_event = conn.execute("SELECT * FROM plugin_events WHERE id = %s", (row_id,)).fetchone()

    def remap(dialog):
        dialog.event_name.setCurrentText("checkout.started")
        dialog.accept()

    state = answer_dialog(qtbot, remap, "edit-event-dialog")
    window.commands.edit_event.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: window.tree_model.index_for_path(event_path).data(BADGE_ROLE).text == "checkout.started")

    after_event = conn.execute("SELECT * FROM plugin_events WHERE id = %s", (row_id,)).fetchone()
    columns = [d.name for d in conn.execute("SELECT * FROM plugin_events LIMIT 0").description]
    changed = {c for c, a, b in zip(columns, before_event, after_event) if a != b}
    assert changed == {"event_name", "updated_at"}
    assert conn.execute("SELECT event_name FROM plugin_events WHERE id = %s", (other,)).fetchone()[0] == "cart.viewed"
    assert {t: _rows(conn, t) for t in before} == before


def test_edit_event_refuses_a_name_that_is_not_dotted_identifiers(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    window.tree.setCurrentIndex(window.tree_model.index_for_path("events/cart_viewed.js"))
    seen = {}

    def bad_name(dialog):
        dialog.event_name.setCurrentText("cart viewed!")
        dialog.accept()
        seen["error"] = dialog.form.error_text(dialog.event_name)
        seen["still_open"] = dialog.isVisible()
        dialog.reject()

    state = answer_dialog(qtbot, bad_name, "edit-event-dialog")
    window.commands.edit_event.trigger()
    state.wait(qtbot)
    assert seen["still_open"] and "dotted identifiers" in seen["error"]


def test_a_change_from_another_client_shows_in_tree_and_open_editor(qtbot, dsn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "utils/format_price.js")
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("INSERT INTO plugin_scripts (plugin_id, file_name, file_content) VALUES (%s, 'utils/new.js', 'x')",
                      (cart_viewer,))
        other.execute("UPDATE plugin_scripts SET file_content = 'changed elsewhere' WHERE id = %s",
                      (tab.document.row_id,))
    qtbot.waitUntil(lambda: "utils/new.js" in _visible_paths(window))
    qtbot.waitUntil(lambda: tab.text() == "changed elsewhere")
    assert not tab.is_dirty()


def test_conflicting_save_opens_dialog_and_keeps_both_versions(qtbot, dsn, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    window.listener.stop()  # so the other client's change cannot reach the clean editor first
    qtbot.keyClicks(tab.editor, "/* mine */")
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("UPDATE plugin_hooks SET handler_function = 'theirs' WHERE id = %s", (tab.document.row_id,))
    seen = {}

    def save_copy(dialog):
        seen["server"] = dialog.diff.old_side.toPlainText()
        seen["yours"] = dialog.diff.new_side.toPlainText()
        dialog.findChild(QPushButton, "copy").click()

    state = answer_dialog(qtbot, save_copy, "conflict-dialog")
    window.commands.save.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: conn.execute("SELECT count(*) FROM plugin_hooks WHERE plugin_id = %s",
                                         (cart_viewer,)).fetchone()[0] == 2)
    codes = {r[0] for r in conn.execute("SELECT handler_function FROM plugin_hooks WHERE plugin_id = %s",
                                        (cart_viewer,)).fetchall()}
    assert "theirs" in codes and any(c.startswith("/* mine */") for c in codes)
    # Side by side: the server's text on the left facing the user's on the right.
    assert seen["server"].splitlines()[0] == "theirs" and seen["yours"].startswith("/* mine */")


def test_lost_connection_keeps_the_edit_shows_banner_and_saves_when_back(qtbot, dsn, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "utils/format_price.js")
    qtbot.keyClicks(tab.editor, "// offline edit")
    sessions = ("SELECT {} FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name IN ('plugin-studio', 'plugin-studio (writes)')")
    qtbot.waitUntil(lambda: conn.execute(sessions.format("count(*)")).fetchone()[0] == 2)  # reads' and writes'
    conn.execute(sessions.format("pg_terminate_backend(pid)"))
    window.commands.save.trigger()
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert "lost" in window.banner.text()
    qtbot.waitUntil(lambda: not window.banner.isVisible())
    qtbot.waitUntil(lambda: not tab.is_dirty())
    assert files.fetch_code(conn, "plugin_scripts", tab.document.row_id).startswith("// offline edit")


def test_unsaved_buffers_are_offered_back_after_a_crash(qtbot, cart_viewer, make_window, recovery):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "README.md")
    qtbot.keyClicks(tab.editor, "unsaved words ")
    window.editors.write_recovery()
    assert [b.text for b in recovery.pending()] == [tab.text()]

    def recover(dialog):
        dialog.accept()

    state = answer_dialog(qtbot, recover, "recovery-dialog")
    second = make_window(select_plugin=cart_viewer)  # the next start after a crash
    state.wait(qtbot)
    qtbot.waitUntil(lambda: second.editors.current_tab() is not None)
    reopened = second.editors.current_tab()
    assert reopened.text().startswith("unsaved words ") and reopened.is_dirty()


def test_new_file_dialog_creates_a_hook_row_and_opens_it(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)

    def fill(dialog):
        dialog.kind.setCurrentText("Hook")
        dialog.hook_name.setCurrentText("cart.total")
        dialog.hook_type.setCurrentText("filter")
        dialog.priority.setValue(3)
        dialog.accept()

    state = answer_dialog(qtbot, fill, "new-file-dialog")
    window.commands.new_file.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: window.editors.current_tab() is not None
                    and window.editors.current_tab().document.path == "hooks/cart_total.js")
    row = conn.execute("SELECT hook_type, priority, handler_function FROM plugin_hooks WHERE hook_name = 'cart.total'").fetchone()
    assert row[0] == "filter" and row[1] == 3 and "export default function" in row[2]


def test_open_tabs_are_reopened_on_the_next_start(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    open_file(qtbot, window, "README.md")
    open_file(qtbot, window, "hooks/product_price.js")
    window.save_layout()
    remembered = window.settings.open_tabs
    assert len(remembered) == 2
    second = make_window(select_plugin=cart_viewer, open_tabs=remembered)
    qtbot.waitUntil(lambda: len(second.editors.all_tabs()) == 2)
    assert sorted(t.document.path for t in second.editors.all_tabs()) == ["README.md", "hooks/product_price.js"]


def test_a_statement_timeout_on_save_is_reported_and_the_edit_survives(qtbot, dsn, conn, cart_viewer, make_window):
    dbname = conn.info.dbname
    conn.execute(f'ALTER DATABASE "{dbname}" SET statement_timeout = \'300ms\'')
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    qtbot.keyClicks(tab.editor, "/* slow */")
    with psycopg.connect(dsn) as locker:  # another client holds the row in an open transaction
        locker.execute("SELECT 1 FROM plugin_hooks WHERE id = %s FOR UPDATE", (tab.document.row_id,))
        refused = answer_dialog(qtbot, lambda box: box.accept(), "error-message")
        window.commands.save.trigger()
        refused.wait(qtbot)
        assert "statement timeout" in refused.text
        assert tab.is_dirty() and tab.text().startswith("/* slow */")
        locker.rollback()
    window.commands.save.trigger()
    qtbot.waitUntil(lambda: not tab.is_dirty())
    assert files.fetch_code(conn, "plugin_hooks", tab.document.row_id).startswith("/* slow */")


def _drop_notify_triggers(conn):
    for (name, table) in conn.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger"
                                      " WHERE tgname LIKE 'plugin_studio_notify_%'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}" ON {table}')


def test_on_a_server_without_triggers_declining_them_still_shows_changes_by_polling(qtbot, dsn, conn, cart_viewer,
                                                                                     make_window):
    _drop_notify_triggers(conn)
    seen = {}

    def decline(box):
        seen["text"] = box.text()
        box.button(QMessageBox.StandardButton.No).click()

    state = answer_dialog(qtbot, decline)
    window = make_window(select_plugin=cart_viewer)
    state.wait(qtbot)
    assert "NOTIFY triggers" in seen["text"]
    assert conn.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'plugin_studio_notify_%'").fetchone()[0] == 0
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("INSERT INTO plugin_scripts (plugin_id, file_name, file_content) VALUES (%s, 'polled.js', '')",
                      (cart_viewer,))
    qtbot.waitUntil(lambda: window.tree_model.index_for_path("polled.js").isValid())

    # The next start on the same server remembers the answer: no question, polling again. The question
    # would come before the listener starts (it decides how the listener works), so once it has started:
    asked = answer_dialog(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    again = make_window(select_plugin=cart_viewer, declined_triggers=list(window.settings.declined_triggers))
    qtbot.waitUntil(lambda: again.listener is not None)
    assert not asked.done


def test_accepting_the_triggers_installs_them(qtbot, conn, cart_viewer, make_window):
    _drop_notify_triggers(conn)
    state = answer_dialog(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    make_window(select_plugin=cart_viewer)
    state.wait(qtbot)
    qtbot.waitUntil(lambda: conn.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'plugin_studio_notify_%'")
                    .fetchone()[0] >= 8)


def test_the_delete_key_in_the_editor_deletes_a_character_not_the_file(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "utils/format_price.js")
    before = tab.text()
    tab.editor.go_to_line(1)
    asked = answer_dialog(qtbot, lambda box: box.reject())  # the file's "Delete?" question, if it came
    qtbot.keyClick(tab.editor, Qt.Key.Key_Delete)
    assert tab.text() == before[1:]
    wait_for_queued_database_work(qtbot, window)  # a delete, asked or not, would have run before this
    assert not asked.done
    assert files.fetch_code(conn, "plugin_scripts", tab.document.row_id) == before


def test_opening_a_file_gives_the_editor_keyboard_focus(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    window.activateWindow()
    tab = open_file(qtbot, window, "README.md")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.editor)


def test_a_dirty_file_deleted_on_the_server_can_be_overwritten_back(qtbot, dsn, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    qtbot.keyClicks(tab.editor, "/* keep me */")
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("DELETE FROM plugin_hooks WHERE id = %s", (tab.document.row_id,))
    state = answer_dialog(qtbot, lambda d: d.findChild(QPushButton, "overwrite").click(), "conflict-dialog")
    window.commands.save.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: not tab.is_dirty())
    assert files.fetch_code(conn, "plugin_hooks", tab.document.row_id).startswith("/* keep me */")


def test_saving_text_the_server_already_has_is_not_a_conflict(qtbot, dsn, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "README.md")
    window.listener.stop()
    qtbot.keyClicks(tab.editor, "same words ")
    with psycopg.connect(dsn, autocommit=True) as other:  # e.g. our own commit whose answer was lost
        other.execute("UPDATE plugin_scripts SET file_content = %s WHERE id = %s", (tab.text(), tab.document.row_id))
    conflict = answer_dialog(qtbot, lambda dialog: dialog.reject(), "conflict-dialog")
    window.commands.save.trigger()
    qtbot.waitUntil(lambda: not tab.is_dirty() or conflict.done)
    assert not conflict.done and not tab.is_dirty()


def test_quitting_with_save_keeps_recovery_buffers_the_user_postponed(qtbot, cart_viewer, make_window, recovery):
    from plugin_studio.models.recovery import RecoveredBuffer

    postponed = RecoveredBuffer("plugin_scripts", "00000000-0000-0000-0000-000000000001", cart_viewer, "x.js",
                                "javascript", "", "LOST WORK")
    recovery.write(postponed)
    state = answer_dialog(qtbot, lambda d: d.reject(), "recovery-dialog")  # "not now"
    window = make_window(select_plugin=cart_viewer)
    state.wait(qtbot)
    tab = open_file(qtbot, window, "README.md")
    qtbot.keyClicks(tab.editor, "edit ")
    window.editors.write_recovery()
    quit_state = answer_dialog(qtbot, lambda d: d.button(QMessageBox.StandardButton.Save).click())
    window.close()
    quit_state.wait(qtbot)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert [b.text for b in recovery.pending()] == ["LOST WORK"]


def test_after_the_listener_reconnects_missed_changes_show_up(qtbot, dsn, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "utils/format_price.js")
    qtbot.waitUntil(lambda: window.listener.ready.is_set())
    conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                 " WHERE datname = current_database() AND application_name = 'plugin-studio listener'")
    with psycopg.connect(dsn, autocommit=True) as other:  # while nobody listens
        other.execute("UPDATE plugin_scripts SET file_content = 'changed in the gap' WHERE id = %s",
                      (tab.document.row_id,))
        other.execute("INSERT INTO plugin_scripts (plugin_id, file_name, file_content) VALUES (%s, 'gap.js', '')",
                      (cart_viewer,))
    qtbot.waitUntil(lambda: window.tree_model.index_for_path("gap.js").isValid())
    qtbot.waitUntil(lambda: tab.text() == "changed in the gap")
