"""The schema: what `db init` would add, that it adds only that, and that nothing else changes one."""
import psycopg
import pytest

from platform_db import insert_platform_plugin, insert_row, schema_dump
from plugin_studio.db import plugins, schema
from plugin_studio.db.errors import SchemaNotReady


def test_an_empty_database_gets_every_table_and_a_second_plan_is_empty(empty_dsn):
    with psycopg.connect(empty_dsn, autocommit=True) as conn:
        first = schema.plan(conn)
        required = [t.name for t in schema.TABLES if not t.optional]
        assert not first.has_plugin_tables and first.missing_tables == required
        assert {f"create table {t.name}" for t in schema.VERSION_TABLES} <= {c.summary for c in first.changes}
        done = schema.apply(conn)
        assert [c.summary for c in done] == [c.summary for c in first.changes]
        assert schema.plan(conn).changes == []
        schema.check_ready(conn)


def test_the_platforms_database_needs_nothing_and_gets_no_duplicate_index(platform_conn):
    found = schema.plan(platform_conn)
    assert found.has_plugin_tables
    assert found.changes == []
    schema.check_ready(platform_conn)


def test_the_plan_lists_exactly_a_missing_table_column_and_index(platform_conn):
    platform_conn.execute("DROP TABLE plugin_migrations")
    platform_conn.execute("ALTER TABLE plugin_events DROP COLUMN file_name")
    platform_conn.execute("DROP INDEX idx_plugin_hooks_name")
    # (plugin_id, event_name) still leads with plugin_id: an index on plugin_id alone would be a duplicate
    platform_conn.execute("DROP INDEX idx_plugin_events_plugin")
    summaries = [c.summary for c in schema.plan(platform_conn).changes]
    assert summaries == [
        "add column plugin_events.file_name (varchar(500))",
        "create index idx_plugin_hooks_name on plugin_hooks (hook_name)",
        "create table plugin_migrations",  # its unique (plugin_id, migration_version) serves plugin_id lookups
    ]
    with pytest.raises(SchemaNotReady, match="lacks plugin_migrations, plugin_events.file_name.*db init"):
        schema.check_ready(platform_conn)


def test_apply_adds_what_was_listed_and_no_trigger_or_unique_on_existing_tables(platform_dsn, platform_conn):
    platform_conn.execute("ALTER TABLE plugin_events DROP COLUMN file_name")
    platform_conn.execute("DROP INDEX idx_plugin_hooks_name")
    before = schema_dump(platform_dsn)
    schema.apply(platform_conn)
    added = _added_lines(before, schema_dump(platform_dsn))
    assert added == ["    file_name character varying(500)",
                     "CREATE INDEX idx_plugin_hooks_name ON public.plugin_hooks USING btree (hook_name);"]


def test_an_earlier_studios_cascade_trigger_is_listed_for_removal_and_removed(platform_conn):
    platform_conn.execute("""
        CREATE FUNCTION plugin_studio_delete_plugin_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM plugin_events WHERE plugin_id = OLD.id::text; RETURN OLD; END $$;
        CREATE TRIGGER plugin_studio_delete_plugin_rows AFTER DELETE ON plugin_registry
            FOR EACH ROW EXECUTE FUNCTION plugin_studio_delete_plugin_rows();""")
    [change] = schema.plan(platform_conn).changes
    assert change.summary.startswith("remove trigger plugin_studio_delete_plugin_rows on plugin_registry")
    schema.apply(platform_conn)
    plugin = insert_platform_plugin(platform_conn, "Old")
    insert_row(platform_conn, "plugin_events", plugin_id=plugin, event_name="cart.viewed", listener_function="f")
    platform_conn.execute("DELETE FROM plugin_registry WHERE id = %s", (plugin,))
    assert _count(platform_conn, "plugin_events", plugin) == 1, "the platform's own delete leaves its rows, as always"


def test_deleting_a_plugin_in_the_ide_deletes_its_rows_in_every_platform_table(platform_dsn, platform_conn):
    keep, gone = (_plugin_with_rows(platform_conn, name) for name in ("Keep", "Gone"))
    before = schema_dump(platform_dsn)
    plugins.delete_plugin(platform_conn, gone)
    for table in schema.PLUGIN_CHILD_TABLES:
        assert _count(platform_conn, table, gone) == 0, table
        assert _count(platform_conn, table, keep) == 1, table
    assert platform_conn.execute("SELECT count(*) FROM plugin_registry").fetchone()[0] == 1
    assert schema_dump(platform_dsn) == before


def test_the_platforms_own_delete_behaves_as_it_always_did(platform_conn):
    plugin = _plugin_with_rows(platform_conn, "Deleted by the platform")
    platform_conn.execute("DELETE FROM plugin_registry WHERE id = %s", (plugin,))
    assert _count(platform_conn, "plugin_events", plugin) == 1, "orphaned, as the platform leaves it"
    assert _count(platform_conn, "plugin_migrations", plugin) == 0, "its foreign key cascades"


def _plugin_with_rows(conn, name: str) -> str:
    """A plugin with one row in each of the platform's per-plugin tables."""
    plugin = insert_platform_plugin(conn, name)
    version = insert_row(conn, "plugin_version_history", plugin_id=plugin, version_number="1.0.0")
    rows = {
        "plugin_scripts": dict(script_type="js", scope="frontend", file_name="a.js", file_content=""),
        "plugin_events": dict(event_name="cart.viewed", listener_function="f"),
        "plugin_hooks": dict(hook_name="cart.total", handler_function="f"),
        "plugin_widgets": dict(widget_id=f"w-{name}", widget_name="W", component_code="c"),
        "plugin_data": dict(data_key="k", data_value={"n": 1}),
        "plugin_migrations": dict(plugin_name=name, migration_name="m", migration_version="1"),
        "plugin_entities": dict(entity_name="e", table_name="t", schema_definition={}),
        "plugin_controllers": dict(controller_name="c", method="GET", path="/", handler_code="c"),
        "plugin_docs": dict(doc_type="readme", file_name="README.md", content=""),
        "plugin_cron": dict(cron_name="c", cron_schedule="* * * * *", handler_method="run"),
        "plugin_admin_pages": dict(page_key="p", page_name="P", route=f"/{name}", component_code="c"),
        "plugin_admin_scripts": dict(script_name="s", script_code="c"),
        "plugin_configurations": dict(),
        "plugin_version_comparisons": dict(from_version_id=version, to_version_id=version),
        "plugin_version_tags": dict(version_id=version, tag_name="t"),
        "plugin_version_patches": dict(version_id=version, component_type="hook", patch_operations=[]),
        "plugin_version_snapshots": dict(version_id=version, snapshot_data={}),
    }
    for table, values in rows.items():
        insert_row(conn, table, plugin_id=plugin, **values)
    dependency_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM plugin_dependencies").fetchone()[0]
    insert_row(conn, "plugin_dependencies", id=dependency_id, plugin_id=plugin, package_name="lodash",
               version="4", bundled_code="")
    return plugin


def _count(conn, table: str, plugin_id: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table} WHERE plugin_id::text = %s", (plugin_id,)).fetchone()[0]


def _added_lines(before: str, after: str) -> list[str]:
    old = set(before.splitlines())
    return [line.rstrip(",") for line in after.splitlines()
            if line not in old and line.strip() and not line.startswith("--")]


def test_a_database_without_the_version_tables_works_and_db_init_offers_them(empty_dsn):
    with psycopg.connect(empty_dsn, autocommit=True) as conn:
        schema.apply(conn)
        conn.execute("DROP TABLE plugin_version_tags, plugin_version_patches, plugin_version_snapshots,"
                     " plugin_version_history")
        schema.check_ready(conn)   # history is optional: no "run db init" for it
        offered = [c.summary for c in schema.plan(conn).changes]
        assert {f"create table {t.name}" for t in schema.VERSION_TABLES} <= set(offered)
        assert all("version" in s for s in offered)
