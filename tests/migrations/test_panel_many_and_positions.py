""""Run on databases…" from the panel (a live table per database) and errors shown at their file line."""
import uuid

import psycopg
import pytest
from PySide6.QtWidgets import QApplication, QFileDialog
from migration_samples import add_migration
from qt_dialogs import answer_dialog

from plugin_studio.db import plugins
from plugin_studio.db.migrate_many import COMPLETED, FAILED
from plugin_studio.models.migration_format import render_migration_file
from plugin_studio.settings import Settings
from plugin_studio.ui.migrations_panel import MigrationsPanel, error_position
from plugin_studio.ui.run_on_databases import COLUMNS, dsn_lines

TEMPLATE_DB = "plugin_studio_test_template"      # tests/conftest.py: the schema, made once per run


@pytest.fixture
def panel(qtbot, dsn, plugin):
    widget = MigrationsPanel(dsn, lock_wait_s=60)
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.migrations_loaded):
        widget.set_plugin(plugin.id, plugin.name)
    yield widget
    widget.shutdown()


@pytest.fixture
def stores(pg_admin_dsn):
    """Four store databases with the "Loyalty" plugin (a different id in each, as after an import)."""
    names = [f"panel_store_{uuid.uuid4().hex[:8]}_{i}" for i in range(4)]
    dsns = []
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
            dsns.append(pg_admin_dsn.replace("/postgres?", f"/{name}?"))
    for dsn in dsns:
        with psycopg.connect(dsn, autocommit=True) as c:
            plugins.create_plugin(c, "Loyalty")
    return dsns


def reload(qtbot, panel):
    with qtbot.waitSignal(panel.migrations_loaded):
        panel.refresh()


def cell(dialog, row, column):
    return dialog.model.index(row, COLUMNS.index(column)).data()


def test_run_on_databases_fills_a_live_table_and_a_second_run_skips_what_completed(
        qtbot, conn, panel, plugin, stores):
    add_migration(conn, plugin, "1.0", "CREATE TABLE loyalty_cards (id int);")
    add_migration(conn, plugin, "1.1", "ALTER TABLE loyalty_cards ADD COLUMN points int;")
    reload(qtbot, panel)
    with psycopg.connect(stores[2], autocommit=True) as c:
        c.execute("CREATE TABLE loyalty_cards (legacy text)")          # this store already has one
    assert panel.buttons["many"].isEnabled()
    dialog = panel.run_on_databases()
    qtbot.addWidget(dialog)
    assert "1.0, 1.1" in dialog.what.text()
    dialog.set_databases("# stores\n" + "\n".join(stores) + "\n")
    dialog.parallelism.setValue(2)
    seen_running = []
    dialog.model.dataChanged.connect(lambda top, _bottom: seen_running.append(cell(dialog, top.row(), "Status")))
    with qtbot.waitSignal(dialog.run_finished, timeout=60_000) as done:
        dialog.run_button.click()
    summary = done.args[0]
    assert (summary[COMPLETED], summary[FAILED]) == (3, 1)
    assert "running" in seen_running                                  # the table moved while it ran
    assert [cell(dialog, i, "Status") for i in range(4)] == ["completed", "completed", "failed", "completed"]
    assert cell(dialog, 0, "Ran") == "1.0, 1.1"
    assert 'relation "loyalty_cards" already exists' in cell(dialog, 2, "Message")
    assert cell(dialog, 2, "Message").startswith("1.0: ")
    assert "3 of 4 completed, 1 failed" in dialog.summary.text()
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()

    with psycopg.connect(stores[2], autocommit=True) as c:
        c.execute("DROP TABLE loyalty_cards")
    with qtbot.waitSignal(dialog.run_finished, timeout=60_000) as again:
        dialog.run_button.click()
    assert again.args[0][COMPLETED] == 4
    assert [cell(dialog, i, "Already done") for i in range(4)] == ["1.0, 1.1", "1.0, 1.1", "", "1.0, 1.1"]
    assert cell(dialog, 2, "Ran") == "1.0, 1.1"
    dialog.close()


def test_dsn_lines_skip_comments_and_read_names_as_services():
    assert dsn_lines("# a\npostgresql://u@h/db\n\n  store7  \nhost=x dbname=y\n") == [
        "postgresql://u@h/db", "service=store7", "host=x dbname=y"]


def test_go_to_error_opens_the_migration_at_the_file_line_of_the_error(qtbot, conn, make_window, plugin):
    bad = add_migration(conn, plugin, "5.0", "CREATE TABLE fine_t ();\n\nINSERT INTO fine_t VALUES (1, 2);")
    window = make_window(select_plugin=plugin.id)
    panel = window.workbench.migrations
    qtbot.waitUntil(lambda: panel.model.row_of(bad) is not None)
    panel.select_migration(bad)
    qtbot.waitUntil(lambda: panel.selected_check() is not None)
    with qtbot.waitSignal(panel.operation_failed, timeout=30_000):
        panel.run_selected()
    row_text = render_migration_file(panel.model.check_at(panel.model.row_of(bad)).row)
    line = row_text.splitlines().index("INSERT INTO fine_t VALUES (1, 2);") + 1
    qtbot.waitUntil(lambda: panel.selected_check() is not None and panel.selected_check().row.status == "failed")
    assert error_position(panel.selected_check().row.error_message) == (line, 28)
    assert panel.buttons["goto"].isEnabled()
    panel.buttons["goto"].click()
    qtbot.waitUntil(lambda: window.editors.tab_for("plugin_migrations", bad) is not None)
    tab = window.editors.tab_for("plugin_migrations", bad)
    qtbot.waitUntil(lambda: tab.editor.cursor_line_column() == (line, 28))
    assert tab.editor.text().splitlines()[line - 1] == "INSERT INTO fine_t VALUES (1, 2);"
    (message,) = [w for w in QApplication.topLevelWidgets() if w.objectName() == "error-message" and w.isVisible()]
    assert f"(line {line}, column 28)" in message.text()
    message.close()


def test_load_list_starts_where_the_last_list_was_loaded(qtbot, dsn, conn, plugin, tmp_path):
    lists = tmp_path / "store lists"
    lists.mkdir()
    (lists / "stores.txt").write_text("postgresql://shop@db1/store1\nhost=db2 dbname=store2\n", encoding="utf-8")
    settings = Settings()
    settings.save = lambda: None
    add_migration(conn, plugin, "1.0", "CREATE TABLE loyalty_cards (id int);")
    panel = MigrationsPanel(dsn, lock_wait_s=60, settings=settings)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.migrations_loaded):
        panel.set_plugin(plugin.id, plugin.name)
    seen = []

    def pick(dialog):
        assert isinstance(dialog, QFileDialog)
        seen.append(dialog.directory().absolutePath())
        dialog.selectFile(str(lists / "stores.txt"))
        dialog.accept()

    for _ in range(2):                     # the first time, and again in a new dialog
        dialog = panel.run_on_databases()
        qtbot.addWidget(dialog)
        picked = answer_dialog(qtbot, pick)
        dialog.load_button.click()
        picked.wait(qtbot)
        assert dialog.databases.toPlainText().startswith("postgresql://shop@db1/store1")
        dialog.close()
    panel.shutdown()
    assert seen[1] == str(lists) and seen[0] != str(lists)
    assert settings.last_folders["databases"] == str(lists)
