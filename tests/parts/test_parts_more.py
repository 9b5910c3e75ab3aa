"""Docs of every kind the platform's editor shows, and requests kept per controller, used as a person
would: LICENSE and CONTRIBUTING.md from plugin_docs get their paths and the Markdown preview; a request
saved in one controller's pane comes back when that controller is opened again, and only there."""
from __future__ import annotations

from platform_db import insert_row

from parts_helpers import open_with_pane


def add_doc(platform_conn, plugin_id, doc_type, file_name, content):
    insert_row(platform_conn, "plugin_docs", plugin_id=plugin_id, doc_type=doc_type, file_name=file_name,
               title=file_name, content=content, format="markdown")


def test_license_and_contributing_rows_are_files_with_the_preview(qtbot, window, platform_conn, visits):
    add_doc(platform_conn, visits["plugin"], "license", "LICENSE", "MIT License\n\nCopyright (c) 2026 Visits\n")
    add_doc(platform_conn, visits["plugin"], "contributing", "CONTRIBUTING.md",
            "# Contributing\n\n1. Fork\n2. **Test** your change\n")
    window.reload_tree()
    qtbot.waitUntil(lambda: window.tree_model.index_for_path("CONTRIBUTING.md").isValid())
    assert window.tree_model.index_for_path("LICENSE").isValid()
    _tab, license_pane = open_with_pane(qtbot, window, "LICENSE")
    assert "Copyright (c) 2026 Visits" in license_pane.plain_text()
    _tab, contributing = open_with_pane(qtbot, window, "CONTRIBUTING.md")
    assert "Test your change" in contributing.plain_text() and "<li" in contributing.html()


def close_current_tab(qtbot, window):
    tabs = len(window.editors.all_tabs())
    window.editors.close_current()
    qtbot.waitUntil(lambda: len(window.editors.all_tabs()) == tabs - 1)


def test_a_saved_request_comes_back_with_its_controller_only(qtbot, window):
    _tab, pane = open_with_pane(qtbot, window, "controllers/get-visit.js")
    pane.target.setText("/visits/77?sort=asc")
    pane.body.setPlainText('{"note": "kept"}')
    pane.save_request("visit 77")
    assert [pane.saved_box.itemText(i) for i in range(pane.saved_box.count())] == ["(new request)", "visit 77"]
    close_current_tab(qtbot, window)

    _tab, other = open_with_pane(qtbot, window, "controllers/list-visits.js")
    assert "visit 77" not in [other.saved_box.itemText(i) for i in range(other.saved_box.count())]
    _tab, again = open_with_pane(qtbot, window, "controllers/get-visit.js")
    again.target.setText("/visits/1")
    again.saved_box.setCurrentIndex(1)
    again.saved_box.activated.emit(1)
    assert again.target.text() == "/visits/77?sort=asc" and '"kept"' in again.body.toPlainText()
