"""Running, failing, rolling back, locking and checksum drift on the real embedded PostgreSQL."""
import threading

import psycopg
import pytest
from migration_samples import add_migration, record_text, table_exists

from plugin_studio.db import migrate
from plugin_studio.db.errors import ValidationError
from plugin_studio.db.migrations import get_migration
from plugin_studio.models.migration_file import checksum
from plugin_studio.models.migration_format import render_migration_file
from plugin_studio.models.migration_ops import plan_repair
from plugin_studio.services.migrations import apply_repair, validate


def test_platform_file_runs_rolls_back_and_runs_again(conn, plugin, platform_text, session):
    row_id = record_text(conn, plugin, platform_text)
    assert get_migration(conn, row_id).status == "pending"
    with session() as s:
        result = s.run(row_id)
    row = get_migration(conn, row_id)
    assert result.ok and row.status == "completed"
    assert row.execution_time_ms is not None and row.execution_time_ms >= 0
    assert row.executed_at <= row.completed_at
    assert row.checksum == checksum(render_migration_file(row))
    assert table_exists(conn, "loyalty_points")
    assert conn.execute("SELECT loyalty_total()").fetchone()[0] == 0

    with session() as s:
        back = s.rollback(row_id)
    row = get_migration(conn, row_id)
    assert back.ok and row.status == "rolled_back" and row.rolled_back_at is not None
    assert "commented out" in " ".join(back.warnings)
    assert not table_exists(conn, "loyalty_points")
    assert conn.execute("SELECT count(*) FROM pg_proc WHERE proname = 'loyalty_total'").fetchone()[0] == 0

    with session() as s:
        again = s.run(row_id)
    assert again.ok and get_migration(conn, row_id).status == "completed"
    assert table_exists(conn, "loyalty_points")


def test_an_error_half_way_leaves_nothing_behind_and_records_the_servers_message(conn, plugin, session):
    row_id = add_migration(conn, plugin, "1.1", "CREATE TABLE half_a (x int);\nINSERT INTO half_a VALUES (1);\n"
                                                "SELECT * FROM   no_such_table;\nCREATE TABLE half_b ();")
    with session() as s:
        result = s.run(row_id)
    row = get_migration(conn, row_id)
    assert not result.ok and row.status == "failed"
    # the line of the file the editor shows for the row
    line = render_migration_file(row).splitlines().index("SELECT * FROM   no_such_table;") + 1
    assert f'relation "no_such_table" does not exist (line {line}, column 17)' in row.error_message
    assert "42P01" in row.error_message
    assert (result.error_line, result.error_column) == (line, 17)
    assert row.execution_time_ms is not None
    assert not table_exists(conn, "half_a") and not table_exists(conn, "half_b")


def test_a_failed_migration_can_be_fixed_and_run_again(conn, plugin, session):
    row_id = add_migration(conn, plugin, "1.2", "CREATE TABLE fixme (x int;")
    with session() as s:
        assert not s.run(row_id).ok
    conn.execute("UPDATE plugin_migrations SET up_sql = 'CREATE TABLE fixme (x int);' WHERE id = %s", (row_id,))
    with session() as s:
        assert s.run(row_id).ok
    row = get_migration(conn, row_id)
    assert row.status == "completed" and row.error_message is None


def test_completed_needs_force_and_force_runs_it_again(conn, plugin, session):
    row_id = add_migration(conn, plugin, "1.3", "INSERT INTO counter_t SELECT 1;")
    conn.execute("CREATE TABLE counter_t (n int)")
    with session() as s:
        s.run(row_id)
        with pytest.raises(ValidationError, match="already completed"):
            s.run(row_id)
        assert s.run(row_id, force=True).ok
    assert conn.execute("SELECT count(*) FROM counter_t").fetchone()[0] == 2


def test_rollback_without_down_sql_is_refused_and_changes_nothing(conn, plugin, session):
    row_id = add_migration(conn, plugin, "1.4", "CREATE TABLE keep_me ();", "-- there is no way back")
    with session() as s:
        s.run(row_id)
        with pytest.raises(ValidationError, match="can't be rolled back: its DOWN section holds only comments"):
            s.rollback(row_id)
    assert get_migration(conn, row_id).status == "completed" and table_exists(conn, "keep_me")


def test_a_failing_rollback_keeps_the_row_completed_with_the_error(conn, plugin, session):
    row_id = add_migration(conn, plugin, "1.5", "CREATE TABLE rb ();", "DROP TABLE rb;\nDROP TABLE not_there;")
    with session() as s:
        s.run(row_id)
        result = s.rollback(row_id)
    row = get_migration(conn, row_id)
    assert not result.ok and row.status == "completed"
    assert row.error_message.startswith('rollback failed: table "not_there" does not exist')
    assert table_exists(conn, "rb")


def test_statements_that_cannot_run_in_a_transaction_run_outside_it_with_a_warning(conn, plugin, session):
    conn.execute("CREATE TABLE big (x int)")
    row_id = add_migration(conn, plugin, "1.6", "CREATE INDEX CONCURRENTLY big_x ON big (x);\nVACUUM big;",
                           "DROP INDEX CONCURRENTLY big_x;")
    with session() as s:
        result = s.run(row_id)
        assert result.ok, result.error
        assert any("outside a transaction" in w for w in result.warnings)
        assert table_exists(conn, "big_x")
        assert s.rollback(row_id).ok
    assert not table_exists(conn, "big_x")


def test_outside_a_transaction_a_failure_says_what_stays_applied(conn, plugin, session):
    conn.execute("CREATE TABLE big2 (x int)")
    row_id = add_migration(conn, plugin, "1.7", "CREATE INDEX CONCURRENTLY big2_x ON big2 (x);\n"
                                                "CREATE INDEX CONCURRENTLY big2_y ON big2 (x) WHERE nosuch > 0;")
    with session() as s:
        result = s.run(row_id)
    row = get_migration(conn, row_id)
    assert row.status == "failed"
    line = render_migration_file(row).splitlines().index("CREATE INDEX CONCURRENTLY big2_y ON big2 (x) WHERE nosuch > 0;")
    assert f'column "nosuch" does not exist (line {line + 1}, column 52)' in row.error_message
    assert "1 statement(s) before it ran outside a transaction and stay applied" in row.error_message
    assert result.error_line == line + 1
    assert table_exists(conn, "big2_x")


def test_a_syntax_error_is_found_by_the_parser_before_anything_runs(conn, plugin, session):
    conn.execute("CREATE TABLE big3 (x int)")
    row_id = add_migration(conn, plugin, "1.71", "CREATE INDEX CONCURRENTLY big3_x ON big3 (x);\n"
                                                 "CREATE INDEX CONCURRENTLY big3_y ON big3 (x) WHER x > 0;")
    with session() as s:
        result = s.run(row_id)
    row = get_migration(conn, row_id)
    line = render_migration_file(row).splitlines().index("CREATE INDEX CONCURRENTLY big3_y ON big3 (x) WHER x > 0;")
    assert row.status == "failed"
    assert row.error_message == f'syntax error at or near "WHER" (line {line + 1}, column 46)'
    assert (result.error_line, result.error_column) == (line + 1, 46)
    assert not table_exists(conn, "big3_x")


def test_the_files_own_begin_commit_wrapper_still_rolls_back_on_failure(conn, plugin, session):
    row_id = add_migration(conn, plugin, "1.8", "BEGIN;\nCREATE TABLE wrapped ();\nSELECT 1/0;\nCOMMIT;")
    with session() as s:
        result = s.run(row_id)
    assert "division by zero" in result.error
    assert not table_exists(conn, "wrapped")


def test_a_row_left_running_by_a_dead_runner_is_marked_failed(conn, plugin, session):
    row_id = add_migration(conn, plugin, "1.9", "SELECT 1;")
    conn.execute("UPDATE plugin_migrations SET status = 'running', executed_at = now() WHERE id = %s", (row_id,))
    with session() as s:
        assert s.recovered == 1
    row = get_migration(conn, row_id)
    assert row.status == "failed" and row.error_message.startswith("interrupted")


GATE = 21_001  # an advisory lock key no migration code uses: a migration waiting on it waits for the test


def test_a_second_runner_waits_for_the_first_and_both_finish(conn, dsn, plugin, session):
    # The first migration runs until the test opens the gate, which it does once the second runner
    # waits: the second surely found the lock taken, however the threads are scheduled.
    slow = add_migration(conn, plugin, "2.1", f"SELECT pg_advisory_xact_lock({GATE});\nCREATE TABLE first_t ();")
    other = add_migration(conn, plugin, "2.2", "CREATE TABLE second_t ();")
    first_has_lock, second_waits, waited_for, results = threading.Event(), threading.Event(), [], {}

    def first():
        with session() as s:
            first_has_lock.set()
            results["first"] = s.run(slow)

    def second():
        first_has_lock.wait()
        with session(wait_s=60, on_wait=lambda holder: (waited_for.append(holder), second_waits.set())) as s:
            results["second"] = s.run(other)
            results["second_saw_first_table"] = table_exists(s.conn, "first_t")

    conn.execute("SELECT pg_advisory_lock(%s)", (GATE,))
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    assert second_waits.wait(60)
    conn.execute("SELECT pg_advisory_unlock(%s)", (GATE,))
    for t in threads:
        t.join()
    assert results["first"].ok and results["second"].ok
    assert results["second_saw_first_table"]          # it ran after the first one finished
    assert len(waited_for) == 1 and waited_for[0].application_name == migrate.APPLICATION_NAME
    assert {get_migration(conn, r).status for r in (slow, other)} == {"completed"}


def test_a_runner_gives_up_after_the_bound_and_names_the_holder(dsn, plugin, session):
    holder = psycopg.connect(dsn, autocommit=True, application_name="colleague's runner")
    try:
        migrate.acquire_lock(holder, 1)
        with pytest.raises(migrate.MigrationLockTimeout) as caught:
            with session(wait_s=0.3):
                pass
        message = str(caught.value)
        assert f"pid {holder.info.backend_pid}" in message
        assert "colleague's runner" in message and "connected since" in message and "0.3 s" in message
    finally:
        holder.close()
    with session(wait_s=60):     # the lock went with the holder's connection (when its backend has ended)
        pass


def test_drift_is_detected_after_the_text_changes_and_repair_records_it(conn, plugin, platform_text, session):
    row_id = record_text(conn, plugin, platform_text)
    with session() as s:
        s.run(row_id)
    assert [c.state for c in validate(conn, plugin.id)] == ["ok"]
    conn.execute("UPDATE plugin_migrations SET up_sql = up_sql || E'\\n-- edited later' WHERE id = %s", (row_id,))
    (check,) = validate(conn, plugin.id)
    assert check.state == "drift" and check.current != check.row.checksum
    (change,) = plan_repair([check])
    assert change.column == "checksum" and change.after == check.current
    assert "accepts the text now recorded" in change.describe()
    assert apply_repair(conn, [change]) == 1
    assert [c.state for c in validate(conn, plugin.id)] == ["ok"]


def test_a_connection_killed_mid_migration_is_recorded_failed_not_running(conn, plugin, session):
    row_id = add_migration(conn, plugin, "3.1", "CREATE TABLE killed_t ();\nSELECT pg_sleep(30);")
    results = {}

    def runner():
        with session() as s:
            results["run"] = s.run(row_id)

    thread = threading.Thread(target=runner)
    thread.start()
    sleeping = "SELECT pid FROM pg_stat_activity WHERE query LIKE '%%pg_sleep(30)%%' AND pid <> pg_backend_pid()"
    while not conn.execute(sleeping).fetchall():  # until the migration is inside its sleep
        assert thread.is_alive(), results
        thread.join(0.02)
    conn.execute(f"SELECT pg_terminate_backend(pid) FROM ({sleeping}) s")
    thread.join()
    row = get_migration(conn, row_id)
    assert row.status == "failed" and row.error_message.startswith("database connection lost")
    assert not results["run"].ok and not table_exists(conn, "killed_t")
