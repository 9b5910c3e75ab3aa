"""The panes beside a part's editor, used as a person would: the request pane answers as the CLI does,
the cron view shows the next runs and runs the job now, the entity editor generates a migration for
the Migrations panel, documents render their Markdown, an admin page previews with its route."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from platform_db import insert_platform_plugin, insert_row

from parts_helpers import open_with_pane
from plugin_studio.cli import main
from plugin_studio.db.migrations import get_migration


def cli_call(capsys, dsn, *argv) -> dict:
    assert main(["controllers", "call", *argv, "--json", "--dsn", dsn]) == 0
    return json.loads(capsys.readouterr().out)


def send(qtbot, pane, method, target, body="", role="anonymous"):
    pane.method.setCurrentText(method)
    pane.target.setText(target)
    pane.body.setPlainText(body)
    pane.role.setCurrentText(role)
    with qtbot.waitSignal(pane.answered, timeout=60_000) as answered:
        qtbot.mouseClick(pane.send_button, Qt.MouseButton.LeftButton)
    return answered.args[0]


def test_the_request_pane_answers_as_the_cli_does(qtbot, capsys, window, platform_dsn):
    _tab, pane = open_with_pane(qtbot, window, "controllers/get-visit.js")
    assert pane.target.text() == "/visits/1" and "GET /visits/:id" in pane.route.text()
    answer = send(qtbot, pane, "GET", "/visits/42?sort=desc&tag=a&tag=b", '{"note": "hi"}', "customer")
    assert answer.status == 200 and answer.controller == "get-visit"
    shown = json.loads(pane.response_body.toPlainText())
    assert shown["params"] == {"0": "/visits/42", "pluginId": "visits", "id": "42"}
    assert shown["query"] == {"sort": "desc", "tag": ["a", "b"]} and shown["body"] == {"note": "hi"}
    assert shown["keys"] == ["body", "query", "params", "headers", "ip", "user", "method"]
    assert "<b style='color:#15803d'>200</b>" in pane.status.text()
    assert "[log] looking up 42" in pane.console.toPlainText()
    from_cli = cli_call(capsys, platform_dsn, "visits", "GET", "/visits/42?sort=desc&tag=a&tag=b",
                        "--body", '{"note": "hi"}', "--role", "customer")
    pane_json = answer.to_json()
    for key in ("status", "body", "controller", "url", "params", "sent_by", "console", "notes", "error"):
        assert pane_json[key] == from_cli[key], key


def test_status_404_default_answer_and_a_throw(qtbot, window, platform_conn, visits):
    tab, pane = open_with_pane(qtbot, window, "controllers/get-visit.js")
    missing = send(qtbot, pane, "GET", "/visits/missing")
    assert (missing.status, missing.body) == (404, {"success": False, "error": "no visit missing"})
    nothing = send(qtbot, pane, "POST", "/visits", "{}")
    assert (nothing.status, nothing.sent_by, nothing.controller) == (200, "default", "record-visit")
    assert nothing.body == {"success": True, "message": "Controller executed successfully"}
    tab.editor.replace_text_keeping_undo("(req, res) => {\n  throw new Error('boom ' + req.params.id);\n}")
    thrown = send(qtbot, pane, "GET", "/visits/7")   # the unsaved editor text is what runs
    assert thrown.status == 500 and thrown.body["error"] == "boom 7"
    assert "Error (line 2): boom 7" in pane.notes.toPlainText()


def test_requests_are_saved_per_controller(qtbot, window):
    _tab, pane = open_with_pane(qtbot, window, "controllers/record-visit.js")
    pane.method.setCurrentText("POST")
    pane.target.setText("/visits")
    pane.body.setPlainText('{"page": "/"}')
    pane.save_request("record home")
    pane.set_request(pane.request().__class__())
    assert pane.saved_box.findText("record home") > 0
    pane.saved_box.setCurrentText("record home")
    pane.saved_box.activated.emit(pane.saved_box.currentIndex())
    assert (pane.method.currentText(), pane.body.toPlainText()) == ("POST", '{"page": "/"}')
    again = pane.saved_store.load(pane.controller.id)
    assert [s.name for s in again] == ["record home"]


def test_the_cron_view_shows_next_runs_and_runs_the_job_now(qtbot, window, visits):
    _tab, pane = open_with_pane(qtbot, window, "cron/daily-summary.js")
    assert "Every 15 minutes, between 09:00 and 17:59, Monday through Friday" in pane.words.text()
    assert len(pane.runs.text().splitlines()) == 5 and all("CE" in r for r in pane.runs.text().splitlines())
    assert "Runs 0" in pane.stats.text()
    with qtbot.waitSignal(pane.ran, timeout=60_000) as ran:
        qtbot.mouseClick(pane.run_button, Qt.MouseButton.LeftButton)
    run = ran.args[0]
    assert run.status == "ok" and json.loads(run.result_text)["result"] == {"total": 0, "window": "day"}
    assert "visits so far 0" in pane.result.toPlainText()
    pane.schedule.setText("*/15 9-17 * * 1-6 1")
    assert "⚠" in pane.words.text() and pane.runs.text() == ""


def test_run_now_honours_the_timeout_set_in_the_view(qtbot, window, platform_conn, visits):
    tab, pane = open_with_pane(qtbot, window, "cron/cleanup.js")
    tab.editor.replace_text_keeping_undo("await new Promise((resolve) => setTimeout(resolve, 5000));\nreturn 1;")
    pane.timeout.setValue(2)
    with qtbot.waitSignal(pane.ran, timeout=60_000) as ran:
        pane.run_now()
    assert ran.args[0].status == "timeout" and "timeout_seconds (2 s)" in ran.args[0].error["message"]
    pane.apply()
    qtbot.waitUntil(lambda: platform_conn.execute("SELECT timeout_seconds FROM plugin_cron WHERE id = %s",
                                                  (visits["cleanup"],)).fetchone()[0] == 2)


def test_the_entity_editor_hands_its_migration_to_the_migrations_panel(qtbot, window, platform_conn, visits):
    _tab, pane = open_with_pane(qtbot, window, "entities/Visit.json")
    assert [pane.columns.item(r, 0).text() for r in range(pane.columns.rowCount())] == ["id", "page", "hits", "revenue"]
    assert "pending" in pane.status.text() and pane.generate_button.isEnabled()
    with qtbot.waitSignal(pane.migration_generated, timeout=30_000) as generated:
        qtbot.mouseClick(pane.generate_button, Qt.MouseButton.LeftButton)
    made = generated.args[0]
    assert get_migration(platform_conn, made.migration_id).status == "pending"
    assert "CREATE TABLE" in pane.sql.toPlainText() and "DROP TABLE" in pane.sql.toPlainText()
    panel = window.workbench.migrations
    qtbot.waitUntil(lambda: panel.model.row_of(made.migration_id) is not None)


def test_a_bad_schema_is_shown_and_cannot_generate(qtbot, window):
    tab, pane = open_with_pane(qtbot, window, "entities/Visit.json")
    pane.columns.item(1, 1).setText("VARCHAR(255")
    assert not pane.generate_button.isEnabled()
    assert any("columns[1].type" in pane.problem_list.item(i).text() for i in range(pane.problem_list.count()))
    tab.editor.replace_text_keeping_undo("{ broken")
    assert "line 1" in pane.problem_list.item(0).text()


def test_documents_render_their_markdown_beside_the_editor(qtbot, window, platform_conn, visits):
    tab, pane = open_with_pane(qtbot, window, "README.md")
    assert "Counts page visits." in pane.plain_text()
    assert "font-weight:700" in pane.html() or "font-weight:600" in pane.html()
    tab.editor.replace_text_keeping_undo("# Visits\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    qtbot.waitUntil(lambda: "Counts" not in pane.plain_text())
    assert "<table" in pane.html()


def test_an_older_plugins_readme_script_gets_the_preview_too(qtbot, window, platform_conn, visits):
    insert_row(platform_conn, "plugin_scripts", plugin_id=visits["plugin"], file_name="docs/NOTES.md",
               file_content="# Notes\n\n*kept in scripts*\n", script_type="js", scope="frontend")
    window.reload_tree()
    qtbot.waitUntil(lambda: window.tree_model.index_for_path("docs/NOTES.md").isValid())
    _tab, pane = open_with_pane(qtbot, window, "docs/NOTES.md")
    assert "kept in scripts" in pane.plain_text()


def test_an_admin_page_previews_with_its_route_and_clashes(qtbot, window, platform_conn, visits):
    other = insert_platform_plugin(platform_conn, "Other", slug="other")
    insert_row(platform_conn, "plugin_admin_pages", plugin_id=other, page_key="theirs", page_name="Theirs",
               route="/admin/plugins/visits", component_code="function T() { return null; }")
    _tab, pane = open_with_pane(qtbot, window, "admin/visits-admin.jsx")
    qtbot.waitUntil(lambda: "⚠" in pane.route.text())
    assert "/admin/plugins/visits" in pane.route.text() and "Other: theirs" in pane.route.text()
    qtbot.waitUntil(lambda: pane.preview.canvas.findChildren(type(pane.route)) != [])
    assert any(label.text() == "Visits" for label in pane.preview.canvas.findChildren(type(pane.route)))


def test_the_route_is_edited_from_the_pane_and_the_tree_follows(qtbot, window, platform_conn, visits):
    from PySide6.QtWidgets import QLineEdit

    from qt_dialogs import answer_dialog

    _tab, pane = open_with_pane(qtbot, window, "controllers/list-visits.js")

    def bad_then_good(dialog):
        dialog.findChild(QLineEdit).setText("visits/all")
        dialog.accept()
        assert "starts with /" in dialog.error.text() and dialog.isVisible()
        dialog.method.setCurrentText("PUT")
        dialog.findChild(QLineEdit).setText("/visits/all/:day")
        dialog.accept()

    state = answer_dialog(qtbot, bad_then_good, "route-dialog")
    with qtbot.waitSignal(pane.route_changed, timeout=30_000):
        pane.edit_route()
    state.wait(qtbot)
    assert platform_conn.execute("SELECT method, path FROM plugin_controllers WHERE id = %s",
                                 (visits["list"],)).fetchone() == ("PUT", "/visits/all/:day")
    assert pane.target.text() == "/visits/all/1" and "PUT /visits/all/:day" in pane.route.text()
    qtbot.waitUntil(lambda: any(e.badge and e.badge.text == "PUT /visits/all/:day"
                                for e in window.tree_model.entries()))
