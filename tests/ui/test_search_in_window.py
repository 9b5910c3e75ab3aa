"""Find in Files in the window: Ctrl+Shift+F from the editor starts with its selection, a click on a
match in another plugin shows that plugin and opens the file with the cursor on the match."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from plugin_studio.db import entities, files, plugins
from plugin_studio.ui.search.results_model import TARGET_ROLE
from ui_helpers import open_file

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _first_line_match(model) -> QModelIndex:
    plugin = model.index(0, 0)
    return model.index(0, 0, model.index(0, 0, plugin))


def test_ctrl_shift_f_searches_the_selection_and_a_click_opens_the_match_in_its_plugin(qtbot, conn, cart_viewer,
                                                                                          make_window):
    other = plugins.create_plugin(conn, "Loyalty Points").id
    row_id = files.create_script(conn, other, "utils/points.js",
                                 "// points\nexport function points(total) {\n  return Math.floor(total / 10);\n}\n")
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    search = window.search
    qtbot.waitUntil(lambda: search.panel.lane is not None)
    tab.editor.set_text("// Math.floor here too\n")
    tab.editor.setSel(3, 13)                                  # "Math.floor"
    tab.editor.take_focus()
    with qtbot.waitSignal(search.panel.search_finished) as finished:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, CTRL | SHIFT)
    assert search.dock.isVisible() and search.panel.query.text() == "Math.floor"
    assert QApplication.focusWidget() is search.panel.query
    results = finished.args[0]
    assert [p.plugin_name for p in results.plugins] == ["Loyalty Points"]   # the server's rows, not the buffer

    target = _first_line_match(search.panel.model)
    assert target.data(TARGET_ROLE) == (other, "plugin_scripts", row_id, 3, 10)
    search.panel.results.activated.emit(target)
    qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.id == other)
    qtbot.waitUntil(lambda: window.editors.current_tab() is not None
                    and window.editors.current_tab().document.row_id == row_id)
    qtbot.waitUntil(lambda: window.editors.current_tab().editor.cursor_line_column() == (3, 10))
    assert window.plugin_model.plugin_at(window.plugin_view.currentIndex().row()).id == other


def test_a_match_in_an_entity_file_is_found_and_opens_the_entity_at_it(qtbot, conn, cart_viewer, make_window):
    schema = ('{"columns": [{"name": "id", "type": "UUID", "primaryKey": true},'
              ' {"name": "points_balance", "type": "INTEGER", "default": 0}]}')
    entity_id = entities.create_entity(conn, cart_viewer, "LoyaltyCard", "loyalty_cards", schema)
    window = make_window(select_plugin=cart_viewer)
    search = window.search
    qtbot.waitUntil(lambda: search.panel.lane is not None)
    search.start("points_balance")
    with qtbot.waitSignal(search.panel.search_finished) as finished:
        qtbot.keyClick(search.panel.query, Qt.Key.Key_Return)
    [plugin] = finished.args[0].plugins
    assert [f.path for f in plugin.files] == ["entities/LoyaltyCard.json"]
    target = _first_line_match(search.panel.model)
    _plugin, table, row_id, line, column = target.data(TARGET_ROLE)
    assert (table, row_id) == ("plugin_entities", entity_id)
    search.panel.results.activated.emit(target)
    qtbot.waitUntil(lambda: window.editors.current_tab() is not None
                    and window.editors.current_tab().document.row_id == entity_id)
    editor = window.editors.current_tab().editor
    qtbot.waitUntil(lambda: editor.cursor_line_column() == (line, column))
    assert editor.line_text(line)[column - 1:].startswith("points_balance")   # the cursor is on the match


def test_the_search_view_is_wide_at_1920_and_keeps_the_width_the_user_gave_it(qtbot, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.width() == 1920)
    explorer, dock = window.side_dock.width(), window.search.dock
    window.search.start("price")
    qtbot.waitUntil(lambda: dock.width() >= 0.3 * 1920)
    assert window.editors.width() >= 0.5 * 1920                      # the editor keeps most of the window
    window.resizeDocks([dock], [700], Qt.Orientation.Horizontal)     # the user drags the side bar's edge
    qtbot.waitUntil(lambda: dock.width() == 700)
    window.side_dock.raise_()                                        # back to the Explorer: its own width
    qtbot.waitUntil(lambda: window.side_dock.width() == explorer)
    window.search.start()
    qtbot.waitUntil(lambda: dock.width() == 700)                     # and the Search view's again
    assert window.settings.side_widths["search"] == 700              # kept for the next start
