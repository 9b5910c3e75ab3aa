"""Every part of a platform plugin in the tree with its badge; each saved as one row, with the usual
conflict rule; New File, rename and enable for the new kinds."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from platform_db import insert_platform_plugin, insert_row

from plugin_studio.db.records import CODE_COLUMN
from parts_helpers import open_file, wait_for_queued_database_work

PART_TABLES = ("plugin_controllers", "plugin_entities", "plugin_cron", "plugin_docs", "plugin_admin_pages",
               "plugin_admin_scripts", "plugin_scripts", "plugin_events", "plugin_hooks", "plugin_widgets",
               "plugin_migrations", "plugin_registry")


def badges(window) -> dict[str, str | None]:
    return {e.path: (e.badge.text if e.badge else None) for e in window.tree_model.entries()}


def snapshot(conn) -> dict[tuple[str, str], str]:
    """Every row of the plugin tables, as a digest of all its columns."""
    found = {}
    for table in PART_TABLES:
        for row_id, digest in conn.execute(f"SELECT id::text, md5(t::text) FROM {table} t").fetchall():
            found[(table, row_id)] = digest
    return found


def test_the_tree_shows_every_part_with_its_badge(window):
    shown = badges(window)
    assert shown["controllers/list-visits.js"] == "GET /visits"
    assert shown["controllers/get-visit.js"] == "GET /visits/:id 🔒"
    assert shown["controllers/record-visit.js"] == "POST /visits"
    assert shown["entities/Visit.json"] == "visits_log · pending"
    assert shown["cron/daily-summary.js"].startswith("Every 15 minutes, between 09:00 and 17:59, Monday through Friday")
    assert "Europe/Berlin" in shown["cron/daily-summary.js"] and "· next " in shown["cron/daily-summary.js"]
    assert shown["cron/cleanup.js"].startswith("At 03:00, only on Sunday")
    assert shown["README.md"] == "readme" and shown["CHANGELOG.md"] == "changelog"
    assert shown["admin/visits-admin.jsx"] == "/admin/plugins/visits"
    assert shown["admin/scripts/visits-nav.js"].startswith("admin script")


EDITS = [
    ("controllers/get-visit.js", "plugin_controllers", "get"),
    ("controllers/list-visits.js", "plugin_controllers", "list"),
    ("controllers/record-visit.js", "plugin_controllers", "record"),
    ("cron/daily-summary.js", "plugin_cron", "summary"),
    ("cron/cleanup.js", "plugin_cron", "cleanup"),
    ("README.md", "plugin_docs", "readme"),
    ("CHANGELOG.md", "plugin_docs", "changelog"),
    ("admin/visits-admin.jsx", "plugin_admin_pages", "admin"),
    ("admin/scripts/visits-nav.js", "plugin_admin_scripts", "admin_script"),
]


@pytest.mark.parametrize("path, table, key", EDITS, ids=[e[0] for e in EDITS])
def test_editing_and_saving_a_part_writes_exactly_its_row(qtbot, window, platform_conn, visits, path, table, key):
    before = snapshot(platform_conn)
    tab = open_file(qtbot, window, path)
    tab.editor.setFocus(True)
    tab.editor.documentEnd()
    qtbot.keyClick(tab.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(tab.editor, "/* edited in the studio */")
    qtbot.keyClick(tab.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not tab.is_dirty(), timeout=20_000)
    after = snapshot(platform_conn)
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed == {(table, visits[key])}
    stored = platform_conn.execute(f"SELECT {CODE_COLUMN[table]} FROM {table} WHERE id = %s", (visits[key],)).fetchone()
    assert stored[0].endswith("\n/* edited in the studio */")


def test_the_entity_file_is_saved_from_its_schema_grid_as_one_row(qtbot, window, platform_conn, visits):
    before = snapshot(platform_conn)
    tab = open_file(qtbot, window, "entities/Visit.json")
    qtbot.waitUntil(lambda: getattr(tab, "preview", None) is not None)
    pane = tab.preview
    hits = next(r for r in range(pane.columns.rowCount()) if pane.columns.item(r, 0).text() == "hits")
    assert pane.columns.item(hits, 4).text() == "0"
    pane.columns.item(hits, 4).setText("0.00")
    assert '"default": 0.00' in tab.text() and tab.is_dirty()
    window.editors.save(tab)
    qtbot.waitUntil(lambda: not tab.is_dirty(), timeout=20_000)
    after = snapshot(platform_conn)
    assert {k for k in after if before.get(k) != after[k]} == {("plugin_entities", visits["entity"])}
    schema = platform_conn.execute("SELECT schema_definition::text FROM plugin_entities WHERE id = %s",
                                   (visits["entity"],)).fetchone()[0]
    assert '"default": 0.00' in schema


def test_a_part_changed_by_another_client_is_a_conflict_and_can_be_kept_as_a_copy(qtbot, window, platform_conn,
                                                                                  visits):
    from PySide6.QtWidgets import QPushButton

    from qt_dialogs import answer_dialog

    tab = open_file(qtbot, window, "cron/cleanup.js")
    window.listener.stop()  # so the other client's change cannot reach the clean editor first
    qtbot.keyClicks(tab.editor, "// mine")
    qtbot.keyClick(tab.editor, Qt.Key.Key_Return)
    platform_conn.execute("UPDATE plugin_cron SET handler_code = 'return 1;' WHERE id = %s", (visits["cleanup"],))
    state = answer_dialog(qtbot, lambda d: d.findChild(QPushButton, "copy").click(), "conflict-dialog")
    window.commands.save.trigger()
    state.wait(qtbot)
    query = "SELECT cron_name, is_enabled, handler_code FROM plugin_cron WHERE plugin_id = %s ORDER BY cron_name"
    qtbot.waitUntil(lambda: len(platform_conn.execute(query, (visits["plugin"],)).fetchall()) == 3)
    rows = platform_conn.execute(query, (visits["plugin"],)).fetchall()
    assert rows[0][0] == "cleanup" and rows[0][2] == "return 1;"
    assert rows[1][0] == "cleanup-copy" and rows[1][1] is False and rows[1][2].startswith("// mine")
    qtbot.waitUntil(lambda: "disabled: only the original job runs" in window.statusBar().currentMessage())
    assert not window.editors.dirty_tabs() and tab.text() == "return 1;"


def test_route_clashes_are_flagged_in_the_tree(qtbot, window, platform_conn, visits):
    insert_row(platform_conn, "plugin_controllers", plugin_id=visits["plugin"], controller_name="get-visit-2",
               method="GET", path="/visits/:visitId", handler_code="(req, res) => res.json({})")
    other = insert_platform_plugin(platform_conn, "Other", slug="other")
    insert_row(platform_conn, "plugin_admin_pages", plugin_id=other, page_key="mine", page_name="Mine",
               route="/admin/plugins/visits", component_code="function Mine() { return null; }")
    window.reload_tree()
    qtbot.waitUntil(lambda: "⚠" in (badges(window).get("controllers/get-visit-2.js") or ""))
    shown = badges(window)
    assert "clashes with get-visit" in shown["controllers/get-visit-2.js"]
    assert "clashes with get-visit-2" in shown["controllers/get-visit.js"]
    assert "route also used by Other: mine" in shown["admin/visits-admin.jsx"]
    assert "⚠" not in shown["controllers/list-visits.js"]


def test_rename_and_disable_a_controller(qtbot, window, platform_conn, visits):
    from plugin_studio.ui import file_actions
    from qt_dialogs import answer_dialog

    window.reveal_row("plugin_controllers", visits["list"])
    qtbot.waitUntil(lambda: window.tree.current_entry() is not None
                    and window.tree.current_entry().row_id == visits["list"])
    state = answer_dialog(qtbot, lambda dialog: (dialog.name.setText("all-visits"), dialog.accept()), "rename-dialog")
    file_actions.rename(window)
    state.wait(qtbot)
    qtbot.waitUntil(lambda: "controllers/all-visits.js" in badges(window))
    file_actions.toggle_enabled(window)
    wait_for_queued_database_work(qtbot, window)
    assert platform_conn.execute("SELECT controller_name, is_enabled FROM plugin_controllers WHERE id = %s",
                                 (visits["list"],)).fetchone() == ("all-visits", False)


def test_a_badge_never_shows_a_glyph_its_font_cannot_draw(qapp):
    from PySide6.QtGui import QFont, QFontMetrics

    from plugin_studio.ui.tree_view import drawable

    metrics = QFontMetrics(QFont())
    shown = drawable("GET /visits/:id 🔒", metrics)
    assert shown.startswith("GET /visits/:id ")
    assert all(metrics.inFontUcs4(ord(c)) for c in shown)
