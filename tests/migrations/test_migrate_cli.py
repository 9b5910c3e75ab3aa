"""``plugin-studio migrate ...`` in-process: what a user types and reads, and the exit status."""
import json

from migration_samples import add_migration, table_exists

from plugin_studio.cli import main
from plugin_studio.db.migrations import find_migration


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def catalog(conn):
    """Everything a migration could have created or recorded."""
    return (conn.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace").fetchone(),
            conn.execute("SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace").fetchone(),
            conn.execute("SELECT count(*), max(updated_at) FROM plugin_migrations").fetchone())


def test_dry_run_prints_up_and_down_sql_and_changes_nothing(conn, plugin, platform_text, tmp_path, capsys):
    path = write(tmp_path, "2.0.0_loyalty.sql", platform_text)
    before = catalog(conn)
    assert main(["migrate", "run", path, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "-- dry run: nothing is written" in out
    assert "CREATE TABLE loyalty_points (" in out
    assert "commented out in the file; rollback runs it uncommented" in out
    assert "\nDROP TABLE IF EXISTS loyalty_points;" in out
    assert catalog(conn) == before
    assert not table_exists(conn, "loyalty_points")


def test_run_a_file_records_it_for_the_plugin_in_its_header_then_list_and_rollback(
        conn, plugin, platform_text, tmp_path, capsys):
    path = write(tmp_path, "2.0.0_loyalty.sql", platform_text)
    assert main(["migrate", "run", path]) == 0
    assert capsys.readouterr().out.startswith("completed 2.0.0 Create loyalty points in ")
    assert table_exists(conn, "loyalty_points")

    assert main(["migrate", "list", "loyalty", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert (entry["status"], entry["checksum_state"], entry["plugin_name"]) == ("completed", "ok", "Loyalty")
    assert entry["execution_time_ms"] is not None

    assert main(["migrate", "run", path]) == 0          # the same text again: nothing to do
    assert "already completed; nothing to do" in capsys.readouterr().out

    assert main(["migrate", "rollback", "Loyalty", "2.0.0"]) == 0
    assert capsys.readouterr().out.startswith("rolled back 2.0.0")
    assert not table_exists(conn, "loyalty_points")
    assert main(["migrate", "run", "2.0.0", "--plugin", "loyalty"]) == 0
    assert table_exists(conn, "loyalty_points")


def test_a_failing_run_exits_1_with_the_servers_message_on_one_line(conn, plugin, tmp_path, capsys):
    path = write(tmp_path, "3_bad.sql", "-- UP Migration\nCREATE TABLE ok_t ();\nCREATE TABLE bad_t (x nosuchtype);\n")
    assert main(["migrate", "run", path, "--plugin", plugin.id]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert 'type "nosuchtype" does not exist (line 3, column 23)' in err      # line 3 of the file
    assert find_migration(conn, plugin.id, "3").status == "failed"
    assert not table_exists(conn, "ok_t")


def test_a_changed_file_of_a_completed_version_is_reported_as_drift_and_force_runs_it(
        conn, plugin, tmp_path, capsys):
    path = write(tmp_path, "4_counter.sql", "-- UP Migration\nCREATE TABLE IF NOT EXISTS c4 (n int);\n")
    assert main(["migrate", "run", path, "--plugin", "Loyalty"]) == 0
    write(tmp_path, "4_counter.sql", "-- UP Migration\nCREATE TABLE IF NOT EXISTS c4 (n int);\nINSERT INTO c4 VALUES (4);\n")
    assert main(["migrate", "run", path, "--plugin", "Loyalty"]) == 1
    assert "already ran with different text" in capsys.readouterr().err
    assert main(["migrate", "run", path, "--plugin", "Loyalty", "--force"]) == 0
    assert conn.execute("SELECT n FROM c4").fetchall() == [(4,)]


def test_validate_flags_drift_and_repair_needs_yes(conn, plugin, capsys):
    row_id = add_migration(conn, plugin, "5", "CREATE TABLE v5 ();")
    assert main(["migrate", "run", "5"]) == 0
    assert main(["migrate", "validate", "Loyalty"]) == 0
    conn.execute("UPDATE plugin_migrations SET up_sql = 'CREATE TABLE v5 (changed int);' WHERE id = %s", (row_id,))
    capsys.readouterr()
    assert main(["migrate", "validate"]) == 1
    captured = capsys.readouterr()
    assert "Loyalty 5 m5: changed after it ran" in captured.out
    assert "1 migration(s) changed after they ran" in captured.err
    assert main(["migrate", "repair", "Loyalty"]) == 1      # no terminal to ask, no --yes
    assert "confirm with --yes" in capsys.readouterr().err
    assert main(["migrate", "repair", "Loyalty", "--yes"]) == 0
    assert main(["migrate", "validate", "Loyalty"]) == 0


def test_rollback_without_down_sql_and_unknown_names_fail_clearly(conn, plugin, capsys):
    add_migration(conn, plugin, "6", "CREATE TABLE r6 ();")
    assert main(["migrate", "run", "6"]) == 0
    assert main(["migrate", "rollback", "Loyalty", "6"]) == 1
    assert "can't be rolled back: it has no DOWN SQL" in capsys.readouterr().err
    assert main(["migrate", "rollback", "nobody", "6"]) == 1
    assert "no plugin with id, slug or name 'nobody'" in capsys.readouterr().err
    assert main(["migrate", "run", "9.9.9"]) == 1
    assert "no migration has version 9.9.9" in capsys.readouterr().err
    assert main(["migrate", "run", "/nonexistent/x.sql"]) == 1
    assert "cannot read /nonexistent/x.sql" in capsys.readouterr().err


def test_risky_statements_are_flagged_before_the_run(conn, plugin, tmp_path, capsys):
    conn.execute("CREATE TABLE old_orders (id int)")
    path = write(tmp_path, "7_cleanup.sql", "-- UP Migration\nDELETE FROM old_orders;\nDROP TABLE old_orders;\n")
    assert main(["migrate", "run", path, "--plugin", "Loyalty", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "-- warning: line 2: risky: DELETE FROM old_orders without WHERE deletes every row" in out
    assert "-- warning: line 3: risky: DROP TABLE old_orders deletes the table and its data" in out
    assert table_exists(conn, "old_orders")
    assert main(["migrate", "run", path, "--plugin", "Loyalty"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {path}: line 3: risky: DROP TABLE old_orders" in err
    assert err.count("DROP TABLE old_orders deletes") == 1          # each warning once
    assert not table_exists(conn, "old_orders")


def test_the_starter_templates_migration_runs_and_rolls_back(conn, cart_viewer, capsys):
    assert main(["migrate", "list", cart_viewer]) == 0
    header, line = capsys.readouterr().out.splitlines()
    assert line.split() == ["Cart", "Viewer", "1.0.0", "pending", "-", "-", "-", "create_cart_views"]
    assert header.index("STATUS") == line.index("pending")            # an aligned table
    assert main(["migrate", "run", "1.0.0", "--plugin", cart_viewer]) == 0
    assert table_exists(conn, "cart_viewer_views")
    assert main(["migrate", "rollback", cart_viewer, "1.0.0"]) == 0
    assert not table_exists(conn, "cart_viewer_views")
