"""Input is sacred: what was typed is what is saved, a refused value keeps the dialog open with the
message below its field, and no proposal is a name the plugin already has."""
from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import Qt

from plugin_studio.db import files
from plugin_studio.db.migrations import create_migration
from plugin_studio.models.new_file_names import free_event_file_name, next_free_version
from ui_helpers import answer_dialog


def _select(window, path):
    index = window.tree_model.index_for_path(path)
    assert index.isValid(), path
    window.tree.setCurrentIndex(index)
    return window.tree.current_entry()


def _paths(window):
    return {e.path for e in window.tree_model.entries()}


@pytest.mark.parametrize("typed", ["product.view", "PRODUCT.VIEWED", "cart.v"])
def test_edit_event_saves_exactly_what_was_typed_when_enter_is_pressed(qtbot, conn, cart_viewer, make_window, typed):
    # Known names that an inline completer would turn "product.view" into.
    other = files.create_event(conn, cart_viewer, "product.viewed", "function () {}", file_name="pv.js")
    window = make_window(select_plugin=cart_viewer)
    entry = _select(window, "events/cart_viewed.js")

    def type_and_press_enter(dialog):
        line = dialog.event_name.lineEdit()
        line.selectAll()
        qtbot.keyClicks(line, typed)
        qtbot.keyClick(line, Qt.Key.Key_Return)     # the dialog's default button: Remap

    state = answer_dialog(qtbot, type_and_press_enter, "edit-event-dialog")
    window.commands.edit_event.trigger()
    state.wait(qtbot)
    query = "SELECT event_name FROM plugin_events WHERE id = %s"
    qtbot.waitUntil(lambda: conn.execute(query, (entry.row_id,)).fetchone()[0] != "cart.viewed")
    assert conn.execute(query, (entry.row_id,)).fetchone()[0] == typed
    assert conn.execute(query, (other,)).fetchone()[0] == "product.viewed"


def test_a_bad_event_name_is_explained_below_its_field_and_the_dialog_keeps_the_text(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    _select(window, "events/cart_viewed.js")
    seen = {}

    def bad_name(dialog):
        dialog.event_name.setCurrentText("cart viewed!")
        dialog.priority.setValue(7)
        dialog.accept()
        seen.update(error=dialog.form.error_text(dialog.event_name), open=dialog.isVisible(),
                    text=dialog.event_name.currentText(), priority=dialog.priority.value())
        dialog.reject()

    state = answer_dialog(qtbot, bad_name, "edit-event-dialog")
    window.commands.edit_event.trigger()
    state.wait(qtbot)
    assert seen["open"] and "dotted identifiers" in seen["error"]
    assert (seen["text"], seen["priority"]) == ("cart viewed!", 7)


def test_emptying_the_file_name_in_edit_event_stores_a_derived_one_not_null(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    entry = _select(window, "events/cart_viewed.js")

    def remap(dialog):
        dialog.event_name.setCurrentText("checkout.started")
        dialog.file_name.clear()
        dialog.accept()

    state = answer_dialog(qtbot, remap, "edit-event-dialog")
    window.commands.edit_event.trigger()
    state.wait(qtbot)
    query = "SELECT event_name, file_name FROM plugin_events WHERE id = %s"
    qtbot.waitUntil(lambda: conn.execute(query, (entry.row_id,)).fetchone()[0] == "checkout.started")
    assert conn.execute(query, (entry.row_id,)).fetchone()[1] == "checkout_started.js"


def _new_file(qtbot, window, handle):
    state = answer_dialog(qtbot, handle, "new-file-dialog")
    window.commands.new_file.trigger()
    state.wait(qtbot)


def test_new_listeners_always_get_a_file_name_of_their_own(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)       # it has events/cart_viewed.js already
    query = "SELECT id::text, file_name FROM plugin_events WHERE plugin_id = %s"
    before = {row[0] for row in conn.execute(query, (cart_viewer,)).fetchall()}
    for _ in range(2):
        def fill(dialog):
            dialog.kind.setCurrentText("Event Listener")
            dialog.event_name.setCurrentText("cart.viewed")
            dialog.accept()
        count = len(_paths(window))
        _new_file(qtbot, window, fill)
        qtbot.waitUntil(lambda: len(_paths(window)) == count + 1)
    new = sorted(name for row_id, name in conn.execute(query, (cart_viewer,)).fetchall() if row_id not in before)
    assert new == ["cart_viewed_2.js", "cart_viewed_3.js"]


def test_a_taken_file_name_keeps_new_file_open_with_the_message_below_the_name(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    assert "utils/format_price.js" in _paths(window)
    seen = {}

    def fill(dialog):
        dialog.kind.setCurrentText("Utility")
        dialog.name.setText("format_price")
        dialog.accept()
        seen.update(open=dialog.isVisible(), error=dialog.form.error_text(dialog.name), name=dialog.name.text())
        dialog.name.setText("format_total")
        dialog.accept()

    _new_file(qtbot, window, fill)
    assert seen["open"] and seen["name"] == "format_price"
    assert seen["error"] == "This plugin already has utils/format_price.js"
    qtbot.waitUntil(lambda: "utils/format_total.js" in _paths(window))


def test_the_migration_version_proposed_is_never_one_the_plugin_has(qtbot, conn, cart_viewer, make_window):
    create_migration(conn, cart_viewer, "Cart Viewer", "1.0.9", "second", "SELECT 1;")   # the starter has 1.0.0
    window = make_window(select_plugin=cart_viewer)
    seen = {}

    def fill(dialog):
        dialog.kind.setCurrentText("Migration")
        seen["proposed"] = dialog.version.text()
        dialog.name.setText("third")
        dialog.version.setText("1.0.0")
        dialog.accept()
        seen["error"] = dialog.form.error_text(dialog.version)
        dialog.version.setText(seen["proposed"])
        dialog.accept()

    _new_file(qtbot, window, fill)
    assert seen["proposed"] == "1.0.10"
    assert "already has a migration 1.0.0" in seen["error"] and "1.0.10" in seen["error"]
    qtbot.waitUntil(lambda: "migrations/1.0.10_third.sql" in _paths(window))


def test_a_refusal_from_the_server_keeps_the_dialog_open_beside_the_field(qtbot, dsn, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    seen = {}

    def fill(dialog):
        dialog.kind.setCurrentText("Migration")
        dialog.name.setText("points")
        # Another client takes the proposed version after the dialog opened.
        seen["proposed"] = dialog.version.text()
        with psycopg.connect(dsn, autocommit=True) as other:
            create_migration(other, cart_viewer, "Cart Viewer", dialog.version.text(), "theirs", "SELECT 1;")

        def refused(text):
            seen.update(text=text, open=dialog.isVisible(), below=dialog.form.error_text(dialog.version),
                        name=dialog.name.text())
            dialog.version.setText("7.0.0")
            dialog.accept()
        dialog.refused.connect(refused)
        dialog.accept()

    _new_file(qtbot, window, fill)
    qtbot.waitUntil(lambda: "migrations/7.0.0_points.sql" in _paths(window))
    assert seen["open"] and seen["name"] == "points"
    assert f"already has a migration with version {seen['proposed']}" in seen["below"]


def test_names_proposed_skip_what_is_taken():
    assert next_free_version(frozenset()) == "1.0.0"
    assert next_free_version({"1.0.0", "1.0.1"}) == "1.0.2"
    assert next_free_version({"1.9.0", "1.10.0"}) == "1.10.1"
    assert next_free_version({"20250129_143000"}) == "20250129_143001"
    assert next_free_version({"v2", "v3"}) == "v4"
    assert free_event_file_name("cart.viewed", {"events/cart_viewed.js", "events/cart_viewed_2.js"}) == \
        "cart_viewed_3.js"
    assert free_event_file_name("order.paid", {"events/cart_viewed.js"}) == "order_paid.js"
