"""The session comes back: every tab of every plugin with its cursor, the focused tab focused;
titles tell same-named files of different plugins apart; a deleted plugin's tabs close."""
from __future__ import annotations

import psycopg
import pytest

from plugin_studio.models.templates import get_template
from plugin_studio.services.templates import create_from_template
from ui_helpers import open_file


@pytest.fixture
def loyalty(conn) -> str:
    """A second plugin with the same files as Cart Viewer (so its file names clash)."""
    return create_from_template(conn, get_template("cart-viewer"), "Loyalty")


def _titles(window):
    tabs = window.editors.tabs
    return [tabs.tabText(i) for i in range(tabs.count())]


def _open_in(qtbot, window, plugin_id, path):
    window.select_plugin(plugin_id)
    qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.id == plugin_id
                    and window.tree_model.index_for_path(path).isValid())
    return open_file(qtbot, window, path)


def test_every_tab_of_every_plugin_comes_back_with_its_cursor(qtbot, cart_viewer, loyalty, make_window):
    window = make_window(select_plugin=cart_viewer)
    opened = [("README.md", 1, 3), ("hooks/product_price.js", 2, 5), ("events/cart_viewed.js", 3, 1)]
    for path, line, column in opened:
        open_file(qtbot, window, path).editor.go_to_line(line, column)
    theirs = _open_in(qtbot, window, loyalty, "hooks/product_price.js")
    theirs.editor.go_to_line(4, 2)
    window.editors.tabs.setCurrentIndex(1)
    window.save_layout()
    remembered = window.settings.open_tabs
    assert len(remembered) == 4

    second = make_window(select_plugin=cart_viewer, open_tabs=remembered, current_tab=1)
    qtbot.waitUntil(lambda: len(second.editors.all_tabs()) == 4)
    tabs = second.editors.all_tabs()
    assert [(t.document.plugin_id, t.document.path) for t in tabs] == \
        [(cart_viewer, p) for p, _l, _c in opened] + [(loyalty, "hooks/product_price.js")]
    qtbot.waitUntil(lambda: second.editors.current_tab() is tabs[1])
    cursors = [t.editor.cursor_line_column() for t in tabs]
    assert cursors == [(line, column) for _p, line, column in opened] + [(4, 2)]


def test_same_named_files_of_two_plugins_have_titles_that_tell_them_apart(qtbot, cart_viewer, loyalty, make_window):
    window = make_window(select_plugin=cart_viewer)
    open_file(qtbot, window, "hooks/product_price.js")
    open_file(qtbot, window, "README.md")
    _open_in(qtbot, window, loyalty, "hooks/product_price.js")
    qtbot.waitUntil(lambda: len(_titles(window)) == 3)
    assert _titles(window) == ["product_price.js — Cart Viewer", "README.md", "product_price.js — Loyalty"]


def test_the_tabs_of_a_plugin_deleted_by_another_client_close(qtbot, dsn, cart_viewer, loyalty, make_window):
    window = make_window(select_plugin=cart_viewer)
    open_file(qtbot, window, "README.md")
    _open_in(qtbot, window, loyalty, "README.md")
    dirty = open_file(qtbot, window, "hooks/product_price.js")
    qtbot.keyClicks(dirty.editor, "/* unsaved */")
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("DELETE FROM plugin_registry WHERE id = %s", (loyalty,))
    qtbot.waitUntil(lambda: len(window.editors.all_tabs()) == 2)
    assert [t.document.plugin_id for t in window.editors.all_tabs()] == [cart_viewer, loyalty]
    assert dirty.text().startswith("/* unsaved */")     # the user's edits stay, and the title says why
    qtbot.waitUntil(lambda: "(plugin deleted)" in _titles(window)[1])


def test_tabs_of_deleted_rows_are_left_out_and_the_status_bar_says_so(qtbot, conn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    readme = open_file(qtbot, window, "README.md")
    open_file(qtbot, window, "hooks/product_price.js")
    window.save_layout()
    conn.execute("DELETE FROM plugin_scripts WHERE id = %s", (readme.document.row_id,))
    second = make_window(select_plugin=cart_viewer, open_tabs=window.settings.open_tabs)
    qtbot.waitUntil(lambda: "1 tab(s) of the last session were not reopened" in second.statusBar().currentMessage())
    qtbot.waitUntil(lambda: len(second.editors.all_tabs()) == 1)
    assert second.editors.all_tabs()[0].document.path == "hooks/product_price.js"
