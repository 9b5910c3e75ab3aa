"""Rename, delete, enable/disable and priority from the tree; plugin properties, data and dependencies;
starting from a template on an empty database. All through the real dialogs."""
from __future__ import annotations

from plugin_studio.db import files, plugin_data, plugins
from plugin_studio.ui.file_tree_model import ENABLED_ROLE
from ui_helpers import answer_dialog, open_file, wait_for_queued_database_work


def _select(window, path):
    index = window.tree_model.index_for_path(path)
    assert index.isValid(), path
    window.tree.setCurrentIndex(index)
    return window.tree.current_entry()


def _paths(window):
    return {e.path for e in window.tree_model.entries()}


def test_rename_a_hook_changes_its_name_and_its_path(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    entry = _select(window, "hooks/product_price.js")

    def rename(dialog):
        dialog.name.setText("product.sale_price")
        dialog.accept()

    state = answer_dialog(qtbot, rename, "rename-dialog")
    window.commands.rename.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: "hooks/product_sale_price.js" in _paths(window))
    assert "hooks/product_price.js" not in _paths(window)
    name = conn.execute("SELECT hook_name FROM plugin_hooks WHERE id = %s", (entry.row_id,)).fetchone()[0]
    assert name == "product.sale_price"


def test_rename_an_event_file_keeps_its_event(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    entry = _select(window, "events/cart_viewed.js")
    state = answer_dialog(qtbot, lambda d: (d.name.setText("basket_seen.js"), d.accept()), "rename-dialog")
    window.commands.rename.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: "events/basket_seen.js" in _paths(window))
    row = conn.execute("SELECT event_name, file_name FROM plugin_events WHERE id = %s", (entry.row_id,)).fetchone()
    assert row == ("cart.viewed", "basket_seen.js")


def test_renaming_a_script_onto_an_existing_path_keeps_the_dialog_open_with_the_reason(qtbot, conn, cart_viewer,
                                                                                       make_window):
    window = make_window(select_plugin=cart_viewer)
    entry = _select(window, "utils/format_price.js")
    seen = {}

    def rename(dialog):
        def refused(_text):
            seen.update(below=dialog.form.error_text(dialog.name), typed=dialog.name.text(), open=dialog.isVisible())
            dialog.reject()
        dialog.refused.connect(refused)
        dialog.name.setText("README.md")
        dialog.accept()

    state = answer_dialog(qtbot, rename, "rename-dialog")
    window.commands.rename.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: "below" in seen)
    assert "already has a file README.md" in seen["below"] and seen["typed"] == "README.md" and seen["open"]
    assert files.fetch_code(conn, "plugin_scripts", entry.row_id) is not None
    assert "utils/format_price.js" in _paths(window)


def test_delete_asks_then_removes_the_row_and_its_clean_tab(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    open_file(qtbot, window, "utils/format_price.js")
    entry = _select(window, "utils/format_price.js")
    state = answer_dialog(qtbot, _press("Delete"), "confirm-destructive")
    window.commands.delete.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: "utils/format_price.js" not in _paths(window))
    assert files.fetch_code(conn, "plugin_scripts", entry.row_id) is None
    assert window.editors.tab_for("plugin_scripts", entry.row_id) is None


def _press(text):
    def press(box):
        [button] = [b for b in box.buttons() if b.text() == text]
        button.click()
    return press


def _press_enter(seen):
    """What a reflexive Enter does: the default button."""
    def press(box):
        seen["default"] = box.defaultButton().text()
        box.defaultButton().click()
    return press


def test_declining_delete_keeps_the_row(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    entry = _select(window, "widgets/cart-visit-counter.jsx")
    seen = {}
    state = answer_dialog(qtbot, _press_enter(seen), "confirm-destructive")
    window.commands.delete.trigger()
    state.wait(qtbot)
    wait_for_queued_database_work(qtbot, window)  # a delete would have been queued before this
    assert files.fetch_code(conn, "plugin_widgets", entry.row_id) is not None
    assert "widgets/cart-visit-counter.jsx" in _paths(window)
    assert seen["default"] == "Cancel"


def test_delete_plugin_defaults_to_cancel_and_deletes_only_when_asked(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    seen = {}
    state = answer_dialog(qtbot, _press_enter(seen), "confirm-destructive")
    window.commands.delete_plugin.trigger()
    state.wait(qtbot)
    wait_for_queued_database_work(qtbot, window)
    assert seen["default"] == "Cancel"
    assert conn.execute("SELECT count(*) FROM plugin_registry WHERE id = %s", (cart_viewer,)).fetchone()[0] == 1
    state = answer_dialog(qtbot, _press("Delete Plugin"), "confirm-destructive")
    window.commands.delete_plugin.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: conn.execute("SELECT count(*) FROM plugin_registry WHERE id = %s",
                                         (cart_viewer,)).fetchone()[0] == 0)


def test_toggle_enabled_dims_the_file_and_priority_reorders_its_badge(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    entry = _select(window, "hooks/product_price.js")
    window.commands.toggle.trigger()
    qtbot.waitUntil(lambda: window.tree_model.index_for_path("hooks/product_price.js").data(ENABLED_ROLE) is False)
    assert conn.execute("SELECT is_enabled FROM plugin_hooks WHERE id = %s", (entry.row_id,)).fetchone()[0] is False

    _select(window, "hooks/product_price.js")
    state = answer_dialog(qtbot, lambda d: (d.setIntValue(3), d.accept()))
    window.commands.priority.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: window.tree.current_entry() is not None and window.tree.current_entry().priority == 3)
    assert conn.execute("SELECT priority FROM plugin_hooks WHERE id = %s", (entry.row_id,)).fetchone()[0] == 3


def test_properties_keep_names_unique_and_save_changes(qtbot, conn, cart_viewer, make_window):
    plugins.create_plugin(conn, "Loyalty")
    window = make_window(select_plugin=cart_viewer)
    seen = {}

    def edit(dialog):
        dialog.fields["name"].setText("loyalty")
        dialog._save()
        seen["dialog"] = dialog

    state = answer_dialog(qtbot, edit, "plugin-properties")
    window.commands.properties.trigger()
    state.wait(qtbot)
    dialog = seen["dialog"]
    qtbot.waitUntil(lambda: "already has the name" in dialog.error.text())
    dialog.fields["name"].setText("Cart Viewer Pro")
    dialog.fields["version"].setText("1.1.0")
    dialog._save()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = plugins.get_plugin(conn, cart_viewer)
    assert (saved.name, saved.version, saved.slug) == ("Cart Viewer Pro", "1.1.0", "cart-viewer")
    qtbot.waitUntil(lambda: window.current_plugin.name == "Cart Viewer Pro")


def test_plugin_data_rejects_bad_json_and_saves_good_json(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    seen = {}

    def edit(dialog):
        dialog.key.setText("settings")
        dialog.value.setPlainText('{"discount": 10,')
        dialog._save_value()
        seen["bad"] = dialog.error.text()
        dialog.value.setPlainText('{"discount": 10, "label": "Sale"}')
        dialog._save_value()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
        seen["row"] = (dialog.table.item(0, 0).text(), dialog.table.item(0, 1).text())
        dialog.reject()

    state = answer_dialog(qtbot, edit, "plugin-data")
    window.commands.data.trigger()
    state.wait(qtbot)
    assert "not valid JSON" in seen["bad"]
    assert seen["row"][0] == "settings"
    assert plugin_data.get_value(conn, cart_viewer, "settings") == {"discount": 10, "label": "Sale"}


def test_dependencies_load_a_bundle_from_a_local_file(qtbot, conn, cart_viewer, make_window, tmp_path):
    bundle = tmp_path / "tiny-lib.js"
    bundle.write_text("module.exports = { twice: (x) => x * 2 };\n")
    window = make_window(select_plugin=cart_viewer)

    def edit(dialog):
        dialog.package.setText("tiny-lib")
        dialog.version.setText("1.0.0")
        dialog.load_bundle_file(str(bundle))
        dialog._save()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
        dialog.reject()

    state = answer_dialog(qtbot, edit, "plugin-dependencies")
    window.commands.deps.trigger()
    state.wait(qtbot)
    deps = plugin_data.list_dependencies(conn, cart_viewer)
    assert [(d.package_name, d.version, d.bundled_code) for d in deps] == [
        ("tiny-lib", "1.0.0", "module.exports = { twice: (x) => x * 2 };\n")]


def test_an_empty_database_offers_the_starter_templates(qtbot, conn, make_window):
    window = make_window()
    assert "No plugins yet" in window.welcome.hint.text()
    button = next(b for b in window.welcome.template_buttons if "Cart Viewer" in b.text())
    button.click()
    qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.name == "Cart Viewer")
    qtbot.waitUntil(lambda: "widgets/cart-visit-counter.jsx" in _paths(window))


def test_quick_open_finds_a_file_by_its_hook_name_and_opens_it(qtbot, cart_viewer, make_window):
    from PySide6.QtCore import Qt

    window = make_window(select_plugin=cart_viewer)

    def type_and_enter(dialog):
        qtbot.keyClicks(dialog.query, "product.pr")
        assert dialog.results.count() == 1
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    state = answer_dialog(qtbot, type_and_enter, "quick-open")
    window.commands.quick_open.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: window.editors.current_tab() is not None
                    and window.editors.current_tab().document.path == "hooks/product_price.js")


def test_properties_leave_untouched_lists_exactly_as_they_were(qtbot, conn, cart_viewer, make_window):
    plugins.update_plugin(conn, cart_viewer, {"permissions": [{"resource": "orders", "actions": ["read"]}],
                                              "tags": ["a,b", 1]})
    window = make_window(select_plugin=cart_viewer)
    seen = {}

    def edit_version_only(dialog):
        dialog.fields["version"].setText("1.0.1")
        dialog._save()
        seen["dialog"] = dialog

    state = answer_dialog(qtbot, edit_version_only, "plugin-properties")
    window.commands.properties.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: plugins.get_plugin(conn, cart_viewer).version == "1.0.1")
    saved = plugins.get_plugin(conn, cart_viewer)
    assert saved.permissions == [{"resource": "orders", "actions": ["read"]}]
    assert saved.tags == ["a,b", 1]
