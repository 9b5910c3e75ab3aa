"""``plugin-studio db ...`` and ``plugins list`` as a user runs them."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from plugin_studio.cli import main
from plugin_studio.db import schema


def _cli(args, home, dsn=None):
    env = dict(os.environ, PLUGIN_STUDIO_HOME=str(home))
    env.pop("PLUGIN_STUDIO_DSN", None)
    if dsn:
        env["PLUGIN_STUDIO_DSN"] = dsn
    return subprocess.run([sys.executable, "-m", "plugin_studio", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_plugins_list_json_shows_the_plugins(capsys, dsn, cart_viewer):
    assert main(["plugins", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(p["id"], p["name"], p["slug"]) for p in listed] == [(cart_viewer, "Cart Viewer", "cart-viewer")]


def test_plugins_list_text_and_dsn_flag_after_the_command(capsys, dsn, cart_viewer, monkeypatch):
    monkeypatch.delenv("PLUGIN_STUDIO_DSN")
    assert main(["plugins", "list", "--dsn", dsn]) == 0
    assert "Cart Viewer  1.0.0  cart-viewer  active  enabled" in capsys.readouterr().out


def test_plugins_list_text_shows_a_null_slug_as_a_dash(capsys, platform_dsn, platform_conn):
    from platform_db import insert_platform_plugin

    insert_platform_plugin(platform_conn, "Raw Row", version="2.0.0")  # the platform leaves slug NULL
    assert main(["plugins", "list", "--dsn", platform_dsn]) == 0
    out = capsys.readouterr().out
    assert "Raw Row  2.0.0  -  inactive  disabled" in out and "None" not in out


def test_db_init_is_idempotent_on_an_empty_database(capsys, dsn, conn):
    for table in reversed(schema.PLUGIN_TABLES):
        conn.execute(f"DROP TABLE {table} CASCADE")
    assert schema.missing_tables(conn) == [t.name for t in schema.TABLES if not t.optional]
    assert main(["db", "init"]) == 0
    assert main(["db", "init", "--dsn", dsn]) == 0
    assert schema.missing_tables(conn) == [] and schema.plan(conn).changes == []
    assert "plugin tables are in place" in capsys.readouterr().out


def test_an_unreachable_server_is_one_clear_line_and_exit_1(capsys, tmp_path):
    bad = f"postgresql://nobody@/nodb?host={tmp_path}"
    assert main(["plugins", "list", "--dsn", bad]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("plugin-studio: error: database connection lost")


def test_bad_arguments_exit_2(capsys):
    try:
        main(["plugins", "frobnicate"])
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("argparse should have refused the command")


def test_embedded_server_start_status_url_stop(tmp_path):
    home = tmp_path / "home"
    started = _cli(["db", "start"], home)
    assert started.returncode == 0, started.stderr
    try:
        status = json.loads(_cli(["db", "status", "--json"], home).stdout)
        assert status["running"] and status["held"]
        url = _cli(["db", "url"], home).stdout.strip()
        assert url == status["dsn"]
        listed = _cli(["plugins", "list", "--json"], home)  # shares the held server and leaves it up
        assert listed.returncode == 0 and json.loads(listed.stdout) == []
        assert json.loads(_cli(["db", "status", "--json"], home).stdout)["running"]
    finally:
        stopped = _cli(["db", "stop"], home)
    assert "stopped" in stopped.stdout
    assert json.loads(_cli(["db", "status", "--json"], home).stdout)["running"] is False


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error(dsn, cart_viewer, tmp_path):
    env = dict(os.environ, PLUGIN_STUDIO_HOME=str(tmp_path))
    pipeline = subprocess.run(f'"{sys.executable}" -m plugin_studio plugins list --json | head -c 1',
                              shell=True, env=env, capture_output=True, text=True, timeout=60)
    assert pipeline.stdout == "["
    assert "Traceback" not in pipeline.stderr and "BrokenPipe" not in pipeline.stderr
