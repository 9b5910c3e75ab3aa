"""``migrate run`` on the files people really have: SQL-standard function bodies, BOMs, CR endings,
errors at file lines, the plugin named on the command line, pending runs, concurrent runners."""
import os
import signal
import subprocess
import sys

import psycopg
import pytest
from migration_samples import add_migration, table_exists

from plugin_studio.cli import main
from plugin_studio.db.migrations import find_migration

ADD_FUNCTIONS = """\
-- =====================================================
-- MIGRATION: Add functions
-- Plugin: {plugin}
-- Version: 10.0
-- =====================================================

-- UP Migration
CREATE FUNCTION add(a integer, b integer) RETURNS integer
    LANGUAGE SQL IMMUTABLE
BEGIN ATOMIC
    SELECT a + b;
END;

CREATE FUNCTION add_ret(a integer, b integer) RETURNS integer LANGUAGE SQL IMMUTABLE RETURN a + b;

CREATE FUNCTION sign_of(x integer) RETURNS text LANGUAGE SQL IMMUTABLE
BEGIN ATOMIC
    SELECT CASE WHEN x > 0 THEN 'positive' WHEN x < 0 THEN 'negative' ELSE 'zero' END;
END;

-- DOWN Migration
-- DROP FUNCTION sign_of(integer);
-- DROP FUNCTION add_ret(integer, integer);
-- DROP FUNCTION add(integer, integer);
"""


def write(tmp_path, name, text, newline="\n", bom=False):
    path = tmp_path / name
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    path.write_bytes(data.encode("utf-8"))
    return str(path)


def test_begin_atomic_and_return_functions_run_and_roll_back(conn, plugin, tmp_path, capsys):
    path = write(tmp_path, "10.0_add.sql", ADD_FUNCTIONS.format(plugin=plugin.name))
    assert main(["migrate", "run", path, "--dry-run"]) == 0
    assert "-- runs in one transaction" in capsys.readouterr().out
    assert main(["migrate", "run", path]) == 0
    assert capsys.readouterr().out.startswith("completed 10.0 Add functions in ")
    assert conn.execute("SELECT add(2, 3), add_ret(2, 3), sign_of(-4)").fetchone() == (5, 5, "negative")
    assert main(["migrate", "rollback", plugin.name, "10.0"]) == 0
    assert conn.execute("SELECT count(*) FROM pg_proc WHERE proname IN ('add', 'add_ret', 'sign_of')").fetchone() == (0,)


@pytest.mark.parametrize("newline, bom", [("\r\n", False), ("\r", False), ("\n", True), ("\r", True)],
                         ids=["crlf", "cr-only", "bom", "bom-cr-only"])
def test_bom_crlf_and_cr_only_files_run(conn, plugin, tmp_path, capsys, newline, bom):
    path = write(tmp_path, "10.0_add.sql", ADD_FUNCTIONS.format(plugin=plugin.name), newline, bom)
    assert main(["migrate", "run", path]) == 0, capsys.readouterr().err
    assert conn.execute("SELECT add(2, 3)").fetchone() == (5,)
    row = find_migration(conn, plugin.id, "10.0")
    assert row.status == "completed" and "\r" not in row.up_sql and "\ufeff" not in row.up_sql
    assert main(["migrate", "run", path]) == 0                   # the same file again: nothing to do
    assert "already completed; nothing to do" in capsys.readouterr().out


BAD_ON_LINE_12 = """\
-- =====================================================
-- MIGRATION: Broken
-- Plugin: {plugin}
-- Version: 11.0
-- Description: the bad statement is on file line 12
-- =====================================================

-- UP Migration
CREATE TABLE line_ok (id int);

INSERT INTO line_ok VALUES (1);
INSERT INTO line_ok VALUES ('not a number');
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr-only"])
def test_a_bad_statement_on_file_line_12_is_reported_at_line_12(conn, plugin, tmp_path, capsys, newline):
    path = write(tmp_path, "11.0_broken.sql", BAD_ON_LINE_12.format(plugin=plugin.name), newline, bom=True)
    assert main(["migrate", "run", path]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert 'invalid input syntax for type integer: "not a number" (line 12, column 29)' in err
    assert not table_exists(conn, "line_ok")
    syntax = write(tmp_path, "11.1_syntax.sql", BAD_ON_LINE_12.replace("11.0", "11.1").replace(
        "INSERT INTO line_ok VALUES ('not a number');", "INSERT INTO line_ok VALUS (2);").format(plugin=plugin.name))
    assert main(["migrate", "run", syntax]) == 1
    assert 'syntax error at or near "VALUS" (line 12, column 21)' in capsys.readouterr().err


def test_warnings_point_at_file_lines_and_are_printed_once(conn, plugin, tmp_path, capsys):
    conn.execute("CREATE TABLE wl (id int, legacy text)")
    text = f"-- Plugin: {plugin.name}\n-- Version: 12\n\n-- UP Migration\n\nALTER TABLE wl DROP COLUMN legacy;\nDELETE FROM wl;\n"
    path = write(tmp_path, "12_w.sql", text)
    assert main(["migrate", "run", path, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "-- warning: line 6: risky: ALTER TABLE wl DROP COLUMN legacy deletes the column's data" in out
    assert "-- warning: line 7: risky: DELETE FROM wl without WHERE deletes every row" in out
    assert main(["migrate", "run", path]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("DROP COLUMN legacy") == 1 and captured.err.count("DELETE FROM wl") == 1
    assert "warning" not in captured.out


def test_plugin_on_the_command_line_overrides_the_header_with_a_note(conn, plugin, tmp_path, capsys):
    text = ADD_FUNCTIONS.format(plugin="Cart Hamid (109c940f-5d33-472c-b7df-c48e68c35696)")
    path = write(tmp_path, "10.0_add.sql", text)
    assert main(["migrate", "run", path]) == 1                     # that plugin is not in this database
    assert "no plugin with id, slug or name" in capsys.readouterr().err
    assert main(["migrate", "run", path, "--plugin", "loyalty"]) == 0
    err = capsys.readouterr().err
    assert f"--plugin Loyalty ({plugin.id}) overrides the file's plugin Cart Hamid" in err
    assert find_migration(conn, plugin.id, "10.0").status == "completed"


def test_run_pending_runs_every_pending_migration_in_version_order(conn, plugin, capsys):
    for version, sql in (("1.10", "INSERT INTO pend VALUES (110);"), ("1.9", "INSERT INTO pend VALUES (19);"),
                         ("1.2", "CREATE TABLE pend (v int);")):
        add_migration(conn, plugin, version, sql)
    assert main(["migrate", "run", "--pending", "loyalty"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["1.2", "1.9", "1.10"]
    assert conn.execute("SELECT array_agg(v ORDER BY v) FROM pend").fetchone() == ([19, 110],)
    assert main(["migrate", "run", "--pending", "--plugin", "loyalty"]) == 0
    assert "no pending migrations; nothing to do" in capsys.readouterr().out
    assert main(["migrate", "status", "loyalty"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert [r.split()[1] for r in rows] == ["1.2", "1.9", "1.10"]
    assert all(r.index("completed") == header.index("STATUS") for r in rows)


# The command as started from a terminal, where Ctrl+C raises KeyboardInterrupt: a test run that
# inherited SIGINT ignored (a CI job started in the background with `&`) would pass that on.
_FROM_A_TERMINAL = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                    "runpy.run_module('plugin_studio', run_name='__main__')")


def cli(dsn, *args):
    env = {**os.environ, "PLUGIN_STUDIO_DSN": dsn}
    return subprocess.Popen([sys.executable, "-c", _FROM_A_TERMINAL, *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(conn, query, params=()):
    for _ in range(3000):
        if conn.execute(query, params).fetchone():
            return
        conn.execute("SELECT pg_sleep(0.005)")
    raise AssertionError(f"never true: {query}")


RUNNING = "SELECT 1 FROM pg_stat_activity WHERE application_name = 'plugin-studio migrate' AND query LIKE %s"


def test_two_concurrent_runs_of_one_file_run_it_once_and_the_second_finds_it_completed(conn, dsn, plugin, tmp_path):
    conn.execute("CREATE TABLE ran (n int); CREATE TABLE gate (n int)")
    path = write(tmp_path, "13_once.sql", f"-- Plugin: {plugin.name}\n-- Version: 13\n-- UP Migration\n"
                                          "INSERT INTO ran VALUES (1);\nSELECT count(*) FROM gate;\n")
    with psycopg.connect(dsn) as gatekeeper:        # holds the first run inside its migration until told
        gatekeeper.execute("LOCK TABLE gate IN ACCESS EXCLUSIVE MODE")
        first = cli(dsn, "migrate", "run", path, "--lock-timeout", "120")
        wait_for(conn, RUNNING, ("SELECT count(*) FROM gate%",))
        second = cli(dsn, "migrate", "run", path)
        wait_for(conn, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    out1, err1 = first.communicate(timeout=60)
    out2, err2 = second.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 0), (err1, err2)
    assert out1.startswith("completed 13")
    assert "waiting for the migration lock held by pid" in err2
    assert out2.strip() == "Loyalty 13 already completed; nothing to do (--force runs it again)"
    assert "unique" not in (err1 + err2).lower()
    assert conn.execute("SELECT count(*) FROM ran").fetchone() == (1,)


def test_a_killed_run_prints_one_line(conn, dsn, plugin, tmp_path):
    path = write(tmp_path, "14_killed.sql", f"-- Plugin: {plugin.name}\n-- Version: 14\n-- UP Migration\n"
                                            "CREATE TABLE killed_t ();\nSELECT pg_sleep(30);\n")
    run = cli(dsn, "migrate", "run", path)
    wait_for(conn, RUNNING, ("SELECT pg_sleep(30)%",))
    conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'"
                 " AND application_name = 'plugin-studio migrate'")
    out, err = run.communicate(timeout=60)
    assert run.returncode == 1
    assert err.count("\n") == 1 and "database connection lost" in err, err
    assert "Error ignored" not in err and "Traceback" not in err
    assert find_migration(conn, plugin.id, "14").status == "failed"

    interrupted = cli(dsn, "migrate", "run", path)
    wait_for(conn, RUNNING, ("SELECT pg_sleep(30)%",))
    interrupted.send_signal(signal.SIGINT)
    out, err = interrupted.communicate(timeout=60)
    assert interrupted.returncode == 1 and err.strip() == "plugin-studio: interrupted", err
    row = find_migration(conn, plugin.id, "14")       # psycopg cancelled the statement; the row says so
    assert (row.status, row.error_message) == ("failed", "interrupted by the user; nothing was changed")
    assert not table_exists(conn, "killed_t")
