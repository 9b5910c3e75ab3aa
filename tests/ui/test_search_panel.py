"""The Search view as a user drives it: typing, toggles, scope, clicking a match, replacing."""
import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from plugin_studio.db import files, plugins
from plugin_studio.ui.search.panel import SearchPanel
from plugin_studio.ui.search.results_model import SPANS_ROLE, TARGET_ROLE
from qt_dialogs import answer_dialog


@pytest.fixture
def shop(conn):
    shop = plugins.create_plugin(conn, "Shop Tools").id
    cart = plugins.create_plugin(conn, "Cart Bits").id
    rows = {
        "hook": files.create_hook(conn, shop, "product.price", "filter", "function (price) {\n  return price * 2;\n}\n"),
        "script": files.create_script(conn, shop, "utils/format.js", "export const priceTotal = 1;\n"),
        "event": files.create_event(conn, cart, "cart.viewed", "function () {\n  track('PRICE');\n}\n"),
    }
    return shop, cart, rows


@pytest.fixture
def panel(qtbot, dsn):
    view = SearchPanel()
    qtbot.addWidget(view)
    view.resize(420, 700)
    view.show()
    view.connect_database(dsn)
    yield view
    view.shutdown()


def _search(qtbot, panel, text):
    with qtbot.waitSignal(panel.search_finished) as finished:
        panel.query.setText(text)
        panel.query.returnPressed.emit()
    return finished.args[0]


def _shown(model, parent=None):
    """The tree as displayed: {label: children}."""
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    return {model.index(r, 0, parent).data(): _shown(model, model.index(r, 0, parent))
            for r in range(model.rowCount(parent))} or None


def test_typing_shows_matches_by_plugin_file_and_line(qtbot, panel, shop, qtmodeltester):
    with qtbot.waitSignal(panel.search_finished):
        qtbot.keyClicks(panel.query, "price")   # searches once typing pauses
    assert _shown(panel.model) == {
        "Cart Bits  (1 match)": {"events/cart_viewed.js  (1 match)": {"track('PRICE');": None}},
        "Shop Tools  (3 matches)": {
            "hooks/product_price.js  (2 matches)": {"function (price) {": None, "return price * 2;": None},
            "utils/format.js  (1 match)": {"export const priceTotal = 1;": None}},
    }
    assert panel.status.text() == "4 results in 3 files of 2 plugins."
    line = panel.model.index(0, 0, panel.model.index(0, 0, panel.model.index(1, 0)))
    assert line.data(SPANS_ROLE) == ((10, 15),) and line.data(TARGET_ROLE)[3:] == (1, 11)
    qtmodeltester.check(panel.model)


def test_toggles_and_scope_narrow_the_search(qtbot, panel, shop):
    shop_id, cart_id, _rows = shop
    _search(qtbot, panel, "price")
    with qtbot.waitSignal(panel.search_finished) as found:
        panel.case.click()
    assert found.args[0].match_count == 3
    with qtbot.waitSignal(panel.search_finished) as found:
        panel.whole_word.click()
    assert found.args[0].match_count == 2
    panel.set_current_plugin(cart_id, "Cart Bits")
    with qtbot.waitSignal(panel.search_finished) as found:
        panel.scope.setCurrentIndex(1)
    assert found.args[0].plugins == [] and panel.status.text() == "No results."
    assert panel.scope.currentText() == "Current plugin (Cart Bits)"


def test_a_bad_regular_expression_says_what_is_wrong(qtbot, panel, shop):
    panel.regex.setChecked(True)
    panel.query.setText("price(")
    panel.search()
    qtbot.waitUntil(lambda: "parentheses" in panel.status.text())
    assert "d32f2f" in panel.status.styleSheet() and panel.model.rowCount() == 0


def test_clicking_a_line_asks_to_open_the_file_at_the_match(qtbot, panel, shop):
    _shop, _cart, rows = shop
    _search(qtbot, panel, "return price")
    hook_file = panel.model.index(0, 0, panel.model.index(0, 0))
    line = panel.model.index(0, 0, hook_file)
    panel.results.scrollTo(line)
    with qtbot.waitSignal(panel.match_activated) as opened:
        qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=panel.results.visualRect(line).center())
    assert opened.args == [_shop, "plugin_hooks", rows["hook"], 2, 3]


def _replace(qtbot, panel, text, replacement, handle):
    panel.show_replace.setChecked(True)
    panel.query.setText(text)
    panel.replacement.setText(replacement)
    return answer_dialog(qtbot, handle, "replace-preview")


def test_replace_previews_each_file_and_writes_the_ticked_ones(qtbot, panel, shop, conn):
    shop_id, _cart, rows = shop
    seen = {}

    def untick_the_script_then_replace(dialog):
        items = dialog._file_items()
        seen["files"] = [item.text(0) for item in items]
        seen["diff"] = (dialog.diff.old_side.toPlainText(), dialog.diff.new_side.toPlainText())
        items[2].setCheckState(0, Qt.CheckState.Unchecked)
        seen["button"] = dialog.replace_button.text()
        dialog.replace_button.click()

    answer = _replace(qtbot, panel, "price", "cost", untick_the_script_then_replace)
    replaced = []
    panel.replace_finished.connect(replaced.append)
    with qtbot.waitSignals([panel.replace_finished, panel.search_finished]):
        panel.replace_all.click()
    answer.wait(qtbot)
    assert seen["files"] == ["events/cart_viewed.js", "hooks/product_price.js", "utils/format.js"]
    assert seen["diff"] == ("function () {\n  track('PRICE');\n}", "function () {\n  track('cost');\n}")
    assert seen["button"] == "Replace in 2 files" and replaced == [2]
    assert files.fetch_code(conn, "plugin_hooks", rows["hook"]) == "function (cost) {\n  return cost * 2;\n}\n"
    assert files.fetch_code(conn, "plugin_scripts", rows["script"]) == "export const priceTotal = 1;\n"
    assert panel.status.text() == "Replaced in 2 files. 1 result in 1 file of 1 plugin."


def test_a_file_with_unsaved_edits_is_not_replaced(qtbot, dsn, shop, conn):
    _shop, _cart, rows = shop
    view = SearchPanel(unsaved_rows=lambda: {("plugin_hooks", rows["hook"])})
    qtbot.addWidget(view)
    view.connect_database(dsn)
    seen = {}

    def look(dialog):
        item = dialog._file_items()[1]
        seen["hook"] = (item.text(0), item.checkState(0), bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable))
        dialog.reject()

    answer = _replace(qtbot, view, "price", "cost", look)
    view.preview_replace()
    answer.wait(qtbot)
    assert seen["hook"] == ("hooks/product_price.js — unsaved edits in the editor: save or revert them first",
                            Qt.CheckState.Unchecked, False)
    view.shutdown()


def test_a_file_changed_after_the_preview_stops_the_replacement(qtbot, panel, shop, dsn, conn):
    _shop, _cart, rows = shop
    before = {key: files.fetch_code(conn, table, rows[key])
              for key, table in (("hook", "plugin_hooks"), ("event", "plugin_events"))}
    seen = {}

    def change_then_replace(dialog):
        with psycopg.connect(dsn, autocommit=True) as other:
            other.execute("UPDATE plugin_hooks SET handler_function = handler_function || '//' WHERE id = %s",
                          (rows["hook"],))
        dialog.replace_button.click()
        qtbot.waitUntil(lambda: dialog.error.isVisible())
        seen["error"] = dialog.error.text()
        seen["again"] = dialog.findChild(QPushButton, "preview-again").isVisible()
        dialog.reject()

    answer = _replace(qtbot, panel, "price", "cost", change_then_replace)
    panel.preview_replace()
    answer.wait(qtbot)
    assert seen["error"].startswith("1 file(s) changed since the preview") and "nothing was replaced" in seen["error"]
    assert seen["again"]
    assert files.fetch_code(conn, "plugin_events", rows["event"]) == before["event"]
    assert files.fetch_code(conn, "plugin_hooks", rows["hook"]) == before["hook"] + "//"
