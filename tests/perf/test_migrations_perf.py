"""Migration bookkeeping overhead and panel load time (DESIGN §7). Run with ``pytest tests/perf -s``.

References measured in the same run: the same SQL through a bare psycopg execute in a transaction,
and through psql (pgserver ships it), one process per migration as a script runner would do.
"""
from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path

import pytest

from plugin_studio.db import migrate, plugins
from plugin_studio.db.migrations import create_migration
from plugin_studio.models.migration_plan import Planner

N = 100
SQL = ("CREATE TABLE {t} (id bigint PRIMARY KEY, label text NOT NULL DEFAULT '', created_at timestamptz DEFAULT now());\n"
       "CREATE INDEX {t}_label ON {t} (label);\n"
       "INSERT INTO {t} (id, label) SELECT g, 'row ' || g FROM generate_series(1, 20) g;\n")


def psql_path() -> Path | None:
    import pgserver

    path = Path(pgserver.__file__).parent / "pginstall" / "bin" / "psql"
    return path if path.exists() else None


def test_bookkeeping_overhead_per_migration(conn, dsn):
    plugin = plugins.create_plugin(conn, "Perf")
    ids = [create_migration(conn, plugin.id, plugin.name, f"{i:04d}", f"m{i}", SQL.format(t=f"ours_{i}"))
           for i in range(N)]

    # Interleaved, so both see the same catalog size, cache state and machine load.
    bare, ours = [], []
    with migrate.MigrationSession(migrate.connector_for(dsn), Planner(), lock_wait_s=5) as session:
        for i, row_id in enumerate(ids):
            started = time.perf_counter()
            with conn.transaction():
                conn.execute(SQL.format(t=f"bare_{i}"))
            bare.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assert session.run(row_id).ok
            ours.append((time.perf_counter() - started) * 1000)
    bare_ms, ours_ms = statistics.mean(bare), statistics.mean(ours)
    median_overhead = statistics.median(o - b for o, b in zip(ours, bare))

    single = create_migration(conn, plugin.id, plugin.name, "single", "single", SQL.format(t="ours_single"))
    started = time.perf_counter()
    with migrate.MigrationSession(migrate.connector_for(dsn), Planner(), lock_wait_s=5) as session:
        assert session.run(single).ok
    one_session_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    with conn.transaction():
        conn.execute(SQL.format(t="bare_single"))
    one_bare_ms = (time.perf_counter() - started) * 1000

    psql = psql_path()
    psql_ms = None
    if psql:
        started = time.perf_counter()
        for i in range(20):
            subprocess.run([str(psql), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-c", SQL.format(t=f"psql_{i}"), dsn],
                           check=True, capture_output=True)
        psql_ms = (time.perf_counter() - started) * 1000 / 20

    overhead = ours_ms - bare_ms
    print(f"\nmigrations, {N} in one session: bare psycopg {bare_ms:.2f} ms/migration, ours {ours_ms:.2f} ms/migration,"
          f" bookkeeping overhead {overhead:.2f} ms/migration mean, {median_overhead:.2f} ms median"
          f" (ratio {ours_ms / bare_ms:.2f}x)")
    print(f"one migration with its own session (connect, lock, status rows): {one_session_ms:.1f} ms"
          f" vs bare execute on an open connection {one_bare_ms:.1f} ms"
          f" (overhead {one_session_ms - one_bare_ms:.1f} ms)")
    if psql_ms is not None:
        print(f"psql, one process per migration: {psql_ms:.1f} ms/migration; ours/psql time ratio: in one session"
              f" {ours_ms / psql_ms:.2f}, a fresh session per migration {one_session_ms / psql_ms:.2f}"
              f" (over psql: {one_session_ms - psql_ms:+.1f} ms)")
    assert overhead <= 10, f"bookkeeping overhead {overhead:.2f} ms per migration (target 10 ms)"


@pytest.fixture
def thousand_migrations(conn):
    plugin = plugins.create_plugin(conn, "Many")
    with conn.transaction():
        conn.execute(
            "INSERT INTO plugin_migrations (plugin_id, plugin_name, migration_name, migration_version,"
            " migration_description, status, executed_at, completed_at, execution_time_ms, checksum, up_sql, down_sql)"
            " SELECT %s, %s, 'create_table_' || g, lpad(g::text, 5, '0'), 'Creates table ' || g, 'completed',"
            " now(), now(), (g %% 97) + 1, md5(g::text),"
            " 'CREATE TABLE t' || g || ' (id bigint PRIMARY KEY, label text NOT NULL DEFAULT '''', note text);'"
            "  || repeat(E'\\n-- padding line to make the SQL a realistic size', 8),"
            " '-- DROP TABLE t' || g || ';'"
            " FROM generate_series(1, 1000) g", (plugin.id, plugin.name))
    return plugin


def test_panel_loads_1000_migrations(qtbot, dsn, thousand_migrations):
    from plugin_studio.ui.migrations_panel import MigrationsPanel

    panel = MigrationsPanel(dsn, lock_wait_s=5)
    qtbot.addWidget(panel)
    panel.show()
    timings = []
    for attempt in range(5):
        started = time.perf_counter()
        with qtbot.waitSignal(panel.migrations_loaded, timeout=10_000) as loaded:
            if attempt == 0:
                panel.set_plugin(thousand_migrations.id, thousand_migrations.name)
            else:
                panel.refresh()
        timings.append((time.perf_counter() - started) * 1000)
    assert loaded.args == [1000] and panel.model.rowCount() == 1000
    assert len(panel.chart_heights()) == 1000
    panel.shutdown()
    print(f"\npanel: 1,000 migrations loaded (query, checksum states, model, chart): first {timings[0]:.0f} ms"
          f" (includes connecting), then median {statistics.median(timings[1:]):.0f} ms")
    assert timings[0] <= 200 and statistics.median(timings[1:]) <= 200


def test_twenty_databases_five_migrations_parallel_against_serial(pg_admin_dsn, tmp_path):
    """20 databases × 5 migrations: ``--parallel 4`` against the same work one database after another."""
    import psycopg

    from plugin_studio.db.migrate_many import ManyDatabases, ManyOptions
    from plugin_studio.models.migration_file import parse_migration_file
    from plugin_studio.models.migration_plan import FileRun

    template = "perf_stores_tpl"
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{template}" TEMPLATE "plugin_studio_test_template"')
    with psycopg.connect(pg_admin_dsn.replace("/postgres?", f"/{template}?"), autocommit=True) as c:
        plugins.create_plugin(c, "Stores")
    dsns = []
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        for i in range(20):
            admin.execute(f'CREATE DATABASE "perf_store_{i:02d}" TEMPLATE "{template}"')
            dsns.append(pg_admin_dsn.replace("/postgres?", f"/perf_store_{i:02d}?"))
    texts = [f"-- Version: {v}\n-- UP Migration\n" + SQL.format(t=f"store_t{v}") for v in range(1, 6)]
    files = [FileRun(parse_migration_file(t), t, f"{v}_m.sql") for v, t in enumerate(texts, start=1)]

    def reset():
        for dsn in dsns:
            with psycopg.connect(dsn, autocommit=True) as c:
                c.execute("DELETE FROM plugin_migrations;"
                          + "".join(f"DROP TABLE IF EXISTS store_t{v};" for v in range(1, 6)))

    def timed(parallelism: int) -> float:
        reset()
        many = ManyDatabases(dsns, Planner(), ManyOptions(plugin="stores", parallelism=parallelism))
        started = time.perf_counter()
        reports = many.run(files)
        elapsed = time.perf_counter() - started
        assert all(r.status == "completed" and len(r.completed) == 5 for r in reports)
        return elapsed

    serial, parallel = [], []
    for _ in range(2):                     # interleaved, so both see the same machine load
        serial.append(timed(1))
        parallel.append(timed(4))
    ratio = min(parallel) / min(serial)
    print(f"\n20 databases × 5 migrations: serial (sum of one-by-one runs) {min(serial) * 1000:.0f} ms,"
          f" parallel 4 {min(parallel) * 1000:.0f} ms, ratio {ratio:.2f}")
    assert ratio < 1.0
