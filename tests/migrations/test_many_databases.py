"""``migrate run … --dsn-file``: the same migrations on 20 databases of the embedded server, one of
which already holds a conflicting table; resumable; a JSON summary; exit 1 when one failed."""
import json
import uuid

import psycopg
import pytest

from plugin_studio.cli import main
from plugin_studio.db import plugins
from plugin_studio.db.migrate_many import redact

STORES = 20
TEMPLATE_DB = "plugin_studio_test_template"      # tests/conftest.py: the schema, made once per run
MIGRATIONS = {
    "1.0_visits.sql": "CREATE TABLE store_visits (id bigint PRIMARY KEY, at timestamptz DEFAULT now());",
    "1.1_visit_note.sql": "ALTER TABLE store_visits ADD COLUMN note text;",
}


@pytest.fixture(scope="module")
def store_pool(pg_admin_dsn):
    """20 databases copied from one template (fast), each with the plugin tables and the "Stores" plugin.

    Made once for this module and not dropped: dropping 20 databases costs seconds of fsync, and the
    test server (with everything in it) is thrown away after the run.
    """
    template = f"stores_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{template}" TEMPLATE "{TEMPLATE_DB}"')
    with psycopg.connect(pg_admin_dsn.replace("/postgres?", f"/{template}?"), autocommit=True) as c:
        plugins.create_plugin(c, "Stores")
    names = [f"{template}_{i:02d}" for i in range(STORES)]
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return [pg_admin_dsn.replace("/postgres?", f"/{name}?") for name in names]


@pytest.fixture
def store_dsns(store_pool):
    """The pool as a fresh set of stores: no migration recorded, no table of theirs."""
    for dsn in store_pool:
        with psycopg.connect(dsn, autocommit=True) as c:
            c.execute("DELETE FROM plugin_migrations; DROP TABLE IF EXISTS store_visits")
    return store_pool


def files(tmp_path):
    paths = []
    for name, sql in MIGRATIONS.items():
        path = tmp_path / name
        path.write_text(f"-- Version: {name.split('_')[0]}\n-- UP Migration\n{sql}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def run_many(tmp_path, dsns, capsys, *extra):
    dsn_file = tmp_path / "stores.txt"
    dsn_file.write_text("# one store per line\n" + "\n".join(dsns) + "\n\n", encoding="utf-8")
    code = main(["migrate", "run", *files(tmp_path), "--plugin", "stores", "--dsn-file", str(dsn_file),
                 "--json", *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_twenty_databases_one_conflicting_then_a_resumed_run(tmp_path, store_dsns, capsys):
    conflicting = store_dsns[7]
    with psycopg.connect(conflicting, autocommit=True) as c:
        c.execute("CREATE TABLE store_visits (legacy int)")
    code, summary, progress = run_many(tmp_path, store_dsns, capsys)
    assert code == 1
    assert (summary["completed"], summary["failed"], summary["not started"]) == (19, 1, 0)
    by_label = {d["label"]: d for d in summary["databases"]}
    failed = by_label[redact(conflicting)]
    assert failed["status"] == "failed" and failed["failed_version"] == "1.0"
    assert 'relation "store_visits" already exists' in failed["error"]
    assert all(d["completed"] == ["1.0", "1.1"] for d in summary["databases"] if d is not failed)
    assert "password" not in json.dumps(summary) and len(progress.splitlines()) == STORES   # one line each

    code, summary, _ = run_many(tmp_path, store_dsns, capsys)     # resumed: nothing completes twice
    assert code == 1 and summary["completed"] == 19
    assert all(d["completed"] == [] and d["skipped"] == ["1.0", "1.1"]
               for d in summary["databases"] if d["status"] == "completed")

    with psycopg.connect(conflicting, autocommit=True) as c:
        c.execute("DROP TABLE store_visits")
    code, summary, _ = run_many(tmp_path, store_dsns, capsys, "--parallel", "2")
    assert code == 0 and summary["completed"] == STORES
    assert [d["completed"] for d in summary["databases"] if d["completed"]] == [["1.0", "1.1"]]
    for dsn in store_dsns:
        with psycopg.connect(dsn) as c:
            assert c.execute("SELECT count(*) FROM plugin_migrations WHERE status = 'completed'").fetchone() == (2,)


def test_stop_on_error_starts_no_database_after_a_failure(tmp_path, store_dsns, capsys):
    with psycopg.connect(store_dsns[0], autocommit=True) as c:
        c.execute("CREATE TABLE store_visits (legacy int)")
    code, summary, _ = run_many(tmp_path, store_dsns[:6], capsys, "--parallel", "1", "--stop-on-error")
    assert code == 1
    assert [d["status"] for d in summary["databases"]] == ["failed"] + ["not started"] * 5


def test_a_bad_line_in_the_dsn_file_fails_that_database_only(tmp_path, store_dsns, capsys):
    dsns = store_dsns[:2] + ["service=no_such_store_service"]
    code, summary, _ = run_many(tmp_path, dsns, capsys)
    assert code == 1 and (summary["completed"], summary["failed"]) == (2, 1)
    assert summary["databases"][2]["label"] == "service no_such_store_service"
    assert "no_such_store_service" in summary["databases"][2]["error"]
