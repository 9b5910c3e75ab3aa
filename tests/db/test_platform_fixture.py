"""The platform-shaped test database is what PLATFORM.md's appendix says a real one is."""
import psycopg
import pytest

from platform_db import PLATFORM_TABLES, insert_platform_plugin, schema_dump


def _column(conn, table, column):
    return conn.execute(
        "SELECT data_type, character_maximum_length, column_default, is_nullable FROM information_schema.columns"
        " WHERE table_name = %s AND column_name = %s", (table, column)).fetchone()


def test_the_platform_database_has_the_platforms_column_types_and_defaults(platform_conn):
    present = {r[0] for r in platform_conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
    assert set(PLATFORM_TABLES) <= present
    for table in ("plugin_scripts", "plugin_events", "plugin_hooks", "plugin_data", "plugin_admin_pages"):
        assert _column(platform_conn, table, "plugin_id")[:2] == ("character varying", 255)
    for table in ("plugin_widgets", "plugin_migrations", "plugin_entities", "plugin_controllers", "plugin_cron"):
        assert _column(platform_conn, table, "plugin_id")[0] == "uuid"
    assert _column(platform_conn, "plugin_dependencies", "id")[:3] == ("integer", None, None)
    plugin_id = insert_platform_plugin(platform_conn, "Cart Hamid")
    row = platform_conn.execute("SELECT status, is_enabled, slug FROM plugin_registry WHERE id = %s",
                                (plugin_id,)).fetchone()
    assert row == ("inactive", False, None)


def test_the_platform_database_has_no_unique_constraints_and_only_its_two_unique_indexes(platform_conn):
    uniques = platform_conn.execute(
        "SELECT count(*) FROM pg_constraint WHERE contype = 'u' AND conrelid::regclass::text LIKE 'plugin_%'"
    ).fetchone()[0]
    unique_indexes = {r[0] for r in platform_conn.execute(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indisunique AND NOT indisprimary"
        " AND indrelid::regclass::text LIKE 'plugin_%'")}
    assert uniques == 0
    assert unique_indexes == {"idx_plugin_cron_unique_name", "unique_plugin_store_config"}


def test_the_dml_role_reads_and_writes_rows_but_cannot_change_the_schema(dml_dsn, platform_dsn):
    before = schema_dump(platform_dsn)
    with psycopg.connect(dml_dsn, autocommit=True) as dml:
        plugin_id = insert_platform_plugin(dml, "Written by a DML role")
        assert dml.execute("SELECT name FROM plugin_registry WHERE id = %s", (plugin_id,)).fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for schema public"):
            dml.execute("CREATE TABLE plugin_extra (id int)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be owner"):
            dml.execute("CREATE INDEX ON plugin_events (file_name)")
    after = schema_dump(platform_dsn)
    assert "CREATE TABLE public.plugin_dependencies" in before
    assert after == before
