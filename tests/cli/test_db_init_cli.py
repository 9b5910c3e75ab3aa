"""``plugin-studio db init``: the only command that changes a schema, and it asks first."""
import io

import psycopg

from platform_db import schema_dump
from plugin_studio.cli import main
from plugin_studio.db import schema


def test_init_creates_the_tables_in_an_empty_database_without_asking(capsys, empty_dsn):
    assert main(["db", "init", "--dsn", empty_dsn]) == 0
    out = capsys.readouterr().out
    assert "done: create table plugin_registry" in out and "done: create table plugin_migrations" in out
    assert main(["db", "init", "--dsn", empty_dsn]) == 0
    assert capsys.readouterr().out == "plugin tables are in place; nothing to add\n"


def test_init_on_the_platforms_database_has_nothing_to_add_and_changes_nothing(capsys, platform_dsn):
    before = schema_dump(platform_dsn)
    assert main(["db", "init", "--dsn", platform_dsn]) == 0
    assert capsys.readouterr().out == "plugin tables are in place; nothing to add\n"
    assert schema_dump(platform_dsn) == before


def test_init_lists_what_it_would_add_and_without_a_terminal_changes_nothing(capsys, platform_dsn, platform_conn,
                                                                              monkeypatch):
    platform_conn.execute("ALTER TABLE plugin_events DROP COLUMN file_name")
    before = schema_dump(platform_dsn)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped: not a terminal, so nobody is asked
    assert main(["db", "init", "--dsn", platform_dsn]) == 1
    captured = capsys.readouterr()
    assert "already has plugin tables. `db init` would:\n  - add column plugin_events.file_name" in captured.out
    assert "run `plugin-studio db init --yes`" in captured.err
    assert main(["db", "init", "--dry-run", "--dsn", platform_dsn]) == 0
    assert "add column plugin_events.file_name" in capsys.readouterr().out
    assert schema_dump(platform_dsn) == before
    assert main(["db", "init", "--yes", "--dsn", platform_dsn]) == 0
    assert "done: add column plugin_events.file_name (varchar(500))" in capsys.readouterr().out
    assert schema.plan(platform_conn).changes == []


def test_init_asks_at_a_terminal_and_a_no_changes_nothing(capsys, platform_dsn, platform_conn, monkeypatch):
    platform_conn.execute("DROP INDEX idx_plugin_hooks_name")
    answers = iter(["n", "yes"])
    prompts = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(answers))
    assert main(["db", "init", "--dsn", platform_dsn]) == 1
    assert "nothing changed" in capsys.readouterr().out
    assert [c.summary for c in schema.plan(platform_conn).changes] == [
        "create index idx_plugin_hooks_name on plugin_hooks (hook_name)"]
    assert main(["db", "init", "--dsn", platform_dsn]) == 0
    assert prompts == ["Make these changes? [y/N] "] * 2
    assert schema.plan(platform_conn).changes == []


def test_init_as_a_role_that_may_not_change_the_schema_says_so(capsys, dml_dsn, platform_conn):
    platform_conn.execute("DROP INDEX idx_plugin_hooks_name")
    assert main(["db", "init", "--yes", "--dsn", dml_dsn]) == 1
    err = capsys.readouterr().err
    assert "this role may not change the schema" in err and "as the database's owner" in err


def test_other_commands_on_a_server_without_tables_say_db_init_is_needed(capsys, empty_dsn):
    for command in (["plugins", "list"], ["hooks", "apply", "cart.total", "1"], ["migrate", "list"]):
        assert main([*command, "--dsn", empty_dsn]) == 1
        err = capsys.readouterr().err.strip()
        assert err == ("plugin-studio: error: this database has no plugin tables; "
                       "run `plugin-studio db init` to create them"), command
    with psycopg.connect(empty_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
