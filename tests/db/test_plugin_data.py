"""pluginData and dependencies on the platform's tables: no unique constraints, no id default."""
import threading

import psycopg

from platform_db import insert_platform_plugin, insert_row
from plugin_studio.db import plugin_data
from plugin_studio.db.connection import connect


def test_set_replaces_the_value_without_a_unique_constraint(dml_dsn, platform_conn):
    plugin = insert_platform_plugin(platform_conn, "Counter")
    with connect(dml_dsn) as conn:
        plugin_data.set_value(conn, plugin, "visits", 1)
        plugin_data.set_value(conn, plugin, "visits", {"n": 2})
        assert plugin_data.get_value(conn, plugin, "visits") == {"n": 2}
    assert _rows(platform_conn, "plugin_data", plugin) == 1


def test_concurrent_sets_of_one_new_key_leave_one_row(platform_dsn, platform_conn):
    plugin = insert_platform_plugin(platform_conn, "Racer")
    errors = _in_parallel(8, lambda n, conn: plugin_data.set_value(conn, plugin, "shared", n), platform_dsn)
    assert errors == []
    assert _rows(platform_conn, "plugin_data", plugin) == 1


def test_rows_duplicated_by_another_client_are_all_updated_and_all_deleted(platform_conn):
    plugin = insert_platform_plugin(platform_conn, "Doubled")
    for n in (1, 2):
        insert_row(platform_conn, "plugin_data", plugin_id=plugin, data_key="k", data_value={"copy": n})
    plugin_data.set_value(platform_conn, plugin, "k", "same")
    assert [r[0] for r in platform_conn.execute("SELECT data_value FROM plugin_data")] == ["same", "same"]
    assert plugin_data.delete_value(platform_conn, plugin, "k") is True
    assert _rows(platform_conn, "plugin_data", plugin) == 0


def test_dependencies_get_ids_where_the_table_has_no_default(dml_dsn, platform_conn):
    plugin = insert_platform_plugin(platform_conn, "Bundles")
    insert_row(platform_conn, "plugin_dependencies", id=41, plugin_id="another", package_name="react",
               version="18", bundled_code="")
    with connect(dml_dsn) as conn:
        plugin_data.upsert_dependency(conn, plugin, "lodash", "4.17.21", None)
        plugin_data.upsert_dependency(conn, plugin, "dayjs", "1.11.0", "module.exports = {}")
        plugin_data.upsert_dependency(conn, plugin, "lodash", "4.17.22", "x")
    rows = platform_conn.execute("SELECT id, package_name, version, bundled_code FROM plugin_dependencies"
                                 " WHERE plugin_id = %s ORDER BY id", (plugin,)).fetchall()
    assert rows == [(42, "lodash", "4.17.22", "x"), (43, "dayjs", "1.11.0", "module.exports = {}")]


def test_concurrent_dependency_inserts_get_distinct_ids(platform_dsn, platform_conn):
    plugin = insert_platform_plugin(platform_conn, "Many bundles")
    errors = _in_parallel(6, lambda n, conn: plugin_data.upsert_dependency(conn, plugin, f"pkg-{n}", "1", ""),
                          platform_dsn)
    assert errors == []
    ids = [r[0] for r in platform_conn.execute("SELECT id FROM plugin_dependencies ORDER BY id")]
    assert ids == [1, 2, 3, 4, 5, 6]


def _in_parallel(count: int, work, dsn: str) -> list[BaseException]:
    """Run ``work(n, conn)`` on ``count`` threads with their own connections, released together."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            with connect(dsn) as conn:
                start.wait(timeout=30)
                work(n, conn)
        except BaseException as exc:  # reported to the test, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _rows(conn: psycopg.Connection, table: str, plugin_id: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table} WHERE plugin_id = %s", (plugin_id,)).fetchone()[0]
