"""The Migrations panel with a real database, real worker thread and real dialogs."""
import pytest
from migration_samples import add_migration, record_text, table_exists
from PySide6.QtWidgets import QMessageBox
from qt_dialogs import answer_dialog

from plugin_studio.db.migrations import get_migration
from plugin_studio.ui.migrations_model import COLUMNS
from plugin_studio.ui.migrations_panel import MigrationsPanel


@pytest.fixture
def panel(qtbot, dsn, plugin):
    widget = MigrationsPanel(dsn, lock_wait_s=60)  # the lock wait ends when the lock is free
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.migrations_loaded):
        widget.set_plugin(plugin.id, plugin.name)
    yield widget
    widget.shutdown()


def shown(panel, column, version):
    model = panel.model
    for row in range(model.rowCount()):
        if model.index(row, COLUMNS.index("Version")).data() == version:
            return model.index(row, COLUMNS.index(column)).data()
    return None


def reload(qtbot, panel):
    with qtbot.waitSignal(panel.migrations_loaded):
        panel.refresh()


def select(qtbot, panel, row_id):
    panel.select_migration(row_id)
    qtbot.waitUntil(lambda: panel.selected_check() is not None and panel.selected_check().row.id == row_id)


def answer_next_dialog(qtbot, button):
    """Click ``button`` on the QMessageBox the panel is about to open (the real dialog path)."""
    return answer_dialog(qtbot, lambda box: box.button(button).click())


GATE = 61_001  # an advisory lock key no migration code uses: a migration waiting on it waits for the test


def wait_status(qtbot, panel, version, status):
    qtbot.waitUntil(lambda: shown(panel, "Status", version) == status and not panel.is_busy())


def test_panel_shows_each_status_through_run_rollback_failure_and_rerun(qtbot, conn, panel, plugin, platform_text):
    good = record_text(conn, plugin, platform_text)
    bad = add_migration(conn, plugin, "3.0", "CREATE TABLE p_half ();\nSELECT * FROM missing_table;")
    reload(qtbot, panel)
    assert shown(panel, "Status", "2.0.0") == "pending" and shown(panel, "Status", "3.0") == "pending"

    select(qtbot, panel, good)
    assert "-- UP Migration\nCREATE TABLE loyalty_points" in panel.sql_view.toPlainText()
    panel.buttons["run"].click()
    wait_status(qtbot, panel, "2.0.0", "completed")
    assert shown(panel, "Duration", "2.0.0").endswith(" ms")
    assert shown(panel, "Checksum", "2.0.0") == "ok"
    assert shown(panel, "Executed", "2.0.0") and shown(panel, "Completed", "2.0.0")
    assert table_exists(conn, "loyalty_points")
    assert len(panel.chart_heights()) == 2

    select(qtbot, panel, bad)
    message = answer_dialog(qtbot, lambda box: box.accept(), "error-message")
    panel.buttons["run"].click()
    wait_status(qtbot, panel, "3.0", "failed")
    message.wait(qtbot)
    # line 9 of the file the editor shows for the row (its UP section starts on line 8)
    assert 'relation "missing_table" does not exist (line 9, column 15)' in message.text
    assert 'relation "missing_table" does not exist (line 9, column 15)' in panel.error_view.toPlainText()
    assert not table_exists(conn, "p_half")

    select(qtbot, panel, good)
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Yes)
    panel.buttons["rollback"].click()
    wait_status(qtbot, panel, "2.0.0", "rolled back")
    assert not table_exists(conn, "loyalty_points")

    select(qtbot, panel, good)
    panel.buttons["run"].click()
    wait_status(qtbot, panel, "2.0.0", "completed")
    assert table_exists(conn, "loyalty_points")


def test_rollback_asks_first_and_no_leaves_everything_as_it_was(qtbot, conn, panel, plugin, platform_text):
    row_id = record_text(conn, plugin, platform_text)
    reload(qtbot, panel)
    select(qtbot, panel, row_id)
    panel.buttons["run"].click()
    wait_status(qtbot, panel, "2.0.0", "completed")

    asked = []

    def answer_no(box):
        asked.append((box.text(), box.detailedText()))
        box.button(QMessageBox.StandardButton.No).click()

    answer_dialog(qtbot, answer_no)
    panel.buttons["rollback"].click()       # exec() returns once "No" is clicked
    assert asked and asked[0][0].startswith("Roll back 2.0.0 Create loyalty points?")
    assert "commented out" in asked[0][0]
    assert "DROP TABLE IF EXISTS loyalty_points;" in asked[0][1]
    assert not panel.is_busy()
    assert get_migration(conn, row_id).status == "completed" and table_exists(conn, "loyalty_points")


def test_rollback_without_down_sql_is_refused_in_the_panel(qtbot, conn, panel, plugin, session):
    row_id = add_migration(conn, plugin, "4", "CREATE TABLE p4 ();")
    with session() as s:
        s.run(row_id)
    reload(qtbot, panel)
    select(qtbot, panel, row_id)
    with qtbot.waitSignal(panel.operation_failed) as failed:
        panel.buttons["rollback"].click()
    assert "has no DOWN SQL" in failed.args[0]
    assert get_migration(conn, row_id).status == "completed"


def test_drift_is_flagged_by_validate_and_repair_asks_then_clears_it(qtbot, conn, panel, plugin, session):
    row_id = add_migration(conn, plugin, "5", "CREATE TABLE p5 ();")
    with session() as s:
        s.run(row_id)
    conn.execute("UPDATE plugin_migrations SET up_sql = 'CREATE TABLE p5 (x int);' WHERE id = %s", (row_id,))
    with qtbot.waitSignal(panel.operation_failed) as failed:
        panel.buttons["validate"].click()
    assert "1 migration(s) changed after they ran" in failed.args[0]
    qtbot.waitUntil(lambda: shown(panel, "Checksum", "5") == "changed after run")
    qtbot.waitUntil(lambda: panel.buttons["repair"].isEnabled())
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Yes)
    panel.buttons["repair"].click()
    qtbot.waitUntil(lambda: shown(panel, "Checksum", "5") == "ok")


def test_dry_run_shows_up_and_down_sql_and_writes_nothing(qtbot, conn, panel, plugin, platform_text):
    row_id = record_text(conn, plugin, platform_text)
    reload(qtbot, panel)
    select(qtbot, panel, row_id)
    before = conn.execute("SELECT status, updated_at FROM plugin_migrations WHERE id = %s", (row_id,)).fetchone()
    with qtbot.waitSignal(panel.operation_finished):
        panel.buttons["dry_run"].click()
    log = panel.log_view.toPlainText()
    assert "CREATE TABLE loyalty_points (" in log and "\nDROP TABLE IF EXISTS loyalty_points;" in log
    assert conn.execute("SELECT status, updated_at FROM plugin_migrations WHERE id = %s", (row_id,)).fetchone() == before
    assert not table_exists(conn, "loyalty_points")


def test_run_all_pending_shows_progress_and_cancel_stops_between_migrations(qtbot, conn, dsn, panel, plugin):
    import psycopg

    add_migration(conn, plugin, "6.1", f"SELECT pg_advisory_xact_lock({GATE});\nCREATE TABLE p61 ();")
    add_migration(conn, plugin, "6.2", "CREATE TABLE p62 ();")
    add_migration(conn, plugin, "6.3", "CREATE TABLE p63 ();")
    reload(qtbot, panel)
    with psycopg.connect(dsn, autocommit=True) as gate:  # 6.1 runs until the gate opens, however slow we are
        gate.execute("SELECT pg_advisory_lock(%s)", (GATE,))
        with qtbot.waitSignal(panel.migration_started) as started:
            panel.buttons["run_all"].click()
        assert started.args[0] == "6.1 m6.1 (1 of 3)"
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
        panel.cancel_button.click()
        with qtbot.waitSignal(panel.operation_finished) as finished:
            gate.execute("SELECT pg_advisory_unlock(%s)", (GATE,))
    assert finished.args[0] == "cancelled after 1 of 3 migration(s)"
    wait_status(qtbot, panel, "6.1", "completed")
    assert shown(panel, "Status", "6.2") == "pending" and shown(panel, "Status", "6.3") == "pending"

    with qtbot.waitSignal(panel.operation_finished) as finished:
        panel.buttons["run_all"].click()
    assert finished.args[0] == "2 migration(s) completed"
    wait_status(qtbot, panel, "6.3", "completed")
    assert not panel.progress.isVisible()


def test_a_risky_migration_asks_before_running(qtbot, conn, panel, plugin):
    conn.execute("CREATE TABLE doomed (x int)")
    row_id = add_migration(conn, plugin, "7", "DROP TABLE doomed;")
    reload(qtbot, panel)
    select(qtbot, panel, row_id)
    answered = answer_next_dialog(qtbot, QMessageBox.StandardButton.No)
    panel.buttons["run"].click()            # exec() returns once "No" is clicked: no job was started
    assert answered.done and not panel.is_busy()
    assert table_exists(conn, "doomed") and get_migration(conn, row_id).status == "pending"
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Yes)
    panel.buttons["run"].click()
    wait_status(qtbot, panel, "7", "completed")
    assert not table_exists(conn, "doomed")


def test_panel_says_who_holds_the_lock_while_it_waits_then_runs(qtbot, conn, dsn, panel, plugin):
    import psycopg

    from plugin_studio.db import migrate

    row_id = add_migration(conn, plugin, "8", "CREATE TABLE p8 ();")
    reload(qtbot, panel)
    select(qtbot, panel, row_id)
    holder = psycopg.connect(dsn, autocommit=True, application_name="other IDE")
    try:
        migrate.acquire_lock(holder, 1)
        panel.buttons["run"].click()
        qtbot.waitUntil(lambda: "Waiting for the migration lock held by pid" in panel.status_line.text())
        assert "other IDE" in panel.status_line.text()
        assert get_migration(conn, row_id).status == "pending"
    finally:
        holder.close()
    wait_status(qtbot, panel, "8", "completed")


def test_all_plugins_are_listed_when_no_plugin_is_chosen(qtbot, conn, panel, plugin):
    from plugin_studio.db import plugins

    other = plugins.create_plugin(conn, "Other")
    add_migration(conn, plugin, "9", "SELECT 1;")
    add_migration(conn, other, "9", "SELECT 1;")
    with qtbot.waitSignal(panel.migrations_loaded) as loaded:
        panel.set_plugin(None)
    assert loaded.args == [2]
    assert sorted(panel.model.index(r, COLUMNS.index("Plugin")).data() for r in range(2)) == ["Loyalty", "Other"]
    assert panel.title.text() == "All plugins"
