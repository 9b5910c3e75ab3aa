""""Save mine as a copy": the message says what the copy is for each kind of row, both versions are
kept, and afterwards no tab is dirty (the next Ctrl+S does not bring the conflict back)."""
from __future__ import annotations

import psycopg
import pytest
from PySide6.QtWidgets import QPushButton

from plugin_studio.db import files
from plugin_studio.db.records import CODE_COLUMN
from ui_helpers import answer_dialog, open_file

KINDS = [   # path, what the message must say, whether the copy is enabled
    ("hooks/product_price.js", "disabled: the storefront runs only the original", False),
    ("events/cart_viewed.js", "disabled: the storefront runs only the original", False),
    ("utils/format_price.js", "enabled: the storefront loads both scripts", True),
    ("styles/theme.css", "enabled: the storefront loads both style sheets", True),
    ("widgets/cart-visit-counter.jsx", "no page places it yet", True),
]


@pytest.mark.parametrize("path, says, enabled", KINDS, ids=[k[0].split("/")[0] for k in KINDS])
def test_save_mine_as_a_copy_says_what_the_copy_is_and_leaves_no_tab_dirty(qtbot, dsn, conn, cart_viewer, make_window,
                                                                          path, says, enabled):
    files.create_script(conn, cart_viewer, "styles/theme.css", ".a { color: red; }\n", script_type="css")
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, path)
    table, row_id = tab.document.table, tab.document.row_id
    window.listener.stop()      # so the other client's change cannot reach the clean editor first
    qtbot.keyClicks(tab.editor, "/* mine */")
    mine = tab.text()
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute(f"UPDATE {table} SET {CODE_COLUMN[table]} = 'theirs' WHERE id = %s", (row_id,))

    state = answer_dialog(qtbot, lambda dialog: dialog.findChild(QPushButton, "copy").click(), "conflict-dialog")
    window.commands.save.trigger()
    state.wait(qtbot)
    qtbot.waitUntil(lambda: window.editors.current_tab() is not tab and window.editors.current_tab() is not None)
    copy_tab = window.editors.current_tab()
    qtbot.waitUntil(lambda: "Your version was saved as" in window.statusBar().currentMessage())

    message = window.statusBar().currentMessage()
    assert says in message and copy_tab.document.path in message and f"{path} keeps the server's version" in message
    assert copy_tab.text() == mine and not copy_tab.is_dirty()
    assert tab.text() == "theirs" and not tab.is_dirty()
    assert not window.editors.dirty_tabs()
    copy_enabled = conn.execute(f"SELECT is_enabled FROM {table} WHERE id = %s",
                                (copy_tab.document.row_id,)).fetchone()[0]
    assert copy_enabled is enabled
    tab.editor.undo()                                   # mine is one undo step back in the original's tab
    assert tab.text() == mine
