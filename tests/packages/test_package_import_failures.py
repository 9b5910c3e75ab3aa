"""Packages that pass every check and then fail inside the import transaction, on the server's side.

The refusals of tests/packages/test_package_bad_input.py all happen before the database is touched.
These packages are valid; what stops them is the target database: a value it cannot store, a
constraint of its schema, a lock, a time limit, a permission, a session killed half way. Each test
asserts the server's error, where the import stopped, and rows byte-identical to before (a dump of
every plugin_* table); most also that rows had been written inside the transaction before it failed.
"""
from __future__ import annotations

import copy

import psycopg
import pytest
from package_samples import current_package, write

from plugin_studio.db import schema
from plugin_studio.db.connection import connect
from plugin_studio.db.errors import ConnectionLost, SqlError
from plugin_studio.models import package as pk
from plugin_studio.services.packages import import_package


def _package(change=None, *, dependencies: bool = True) -> dict:
    package = copy.deepcopy(current_package())
    if not dependencies:  # a platform (G5) database has no id default for them: see _import_into_platform
        del package["pluginDependencies"]
    if change:
        change(package)
    return package


def _import(conn, tmp_path, package: dict, **options) -> list[int]:
    """Import ``package`` (which must pass validation); returns the progress reported before it failed."""
    loaded = pk.load_package(write(tmp_path, package))
    steps: list[int] = []
    with pytest.raises((SqlError, ConnectionLost)) as caught:
        import_package(conn, loaded, progress=lambda done, total: steps.append(done), **options)
    _import.error = str(caught.value)
    _import.type = type(caught.value)
    return steps


def _rows_written_before_the_failure(steps: list[int], at_least: int) -> bool:
    return bool(steps) and steps[-1] >= at_least


# -- values the target's schema cannot store ----------------------------------------------------------
# (Values longer than the platform's own columns are refused before anything is written:
# test_package_bad_input. A store may have narrowed a column further.)
def test_a_file_name_longer_than_the_stores_narrowed_column(platform_dsn, platform_conn, tmp_path, db_snapshot):
    platform_conn.execute("ALTER TABLE plugin_scripts ALTER file_name TYPE varchar(100)")
    before = db_snapshot(platform_conn)
    package = _package(lambda p: p["files"][0].update(name="utils/" + "p" * 150 + ".js"), dependencies=False)
    with connect(platform_dsn) as conn:
        steps = _import(conn, tmp_path, package)
    assert "value too long for type character varying(100)" in _import.error
    assert "rolled back, nothing was written (while writing plugin_scripts)" in _import.error
    assert steps == [1]  # the registry row had been written
    assert db_snapshot(platform_conn) == before


def test_a_category_longer_than_the_stores_narrowed_column(platform_dsn, platform_conn, tmp_path, db_snapshot):
    platform_conn.execute("ALTER TABLE plugin_registry ALTER category TYPE varchar(20)")
    before = db_snapshot(platform_conn)
    package = _package(lambda p: p["plugin"].update(category="seasonal " * 4), dependencies=False)
    with connect(platform_dsn) as conn:
        steps = _import(conn, tmp_path, package)
    assert "value too long for type character varying(20)" in _import.error
    assert "(while writing plugin_registry)" in _import.error
    assert steps == []
    assert db_snapshot(platform_conn) == before


def test_text_a_latin1_database_cannot_hold(pg_admin_dsn, tmp_path, db_snapshot):
    name = "latin1_store"
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        with connect(pg_admin_dsn.replace("/postgres?", f"/{name}?")) as conn:
            schema.ensure_schema(conn)
            before = db_snapshot(conn)
            steps = _import(conn, tmp_path, _package(lambda p: p["widgets"][0].update(description="Earn ★ points")))
            assert 'character with byte sequence 0xe2 0x98 0x85 in encoding "UTF8" has no equivalent in encoding' \
                   ' "LATIN1"' in _import.error
            assert "(while writing plugin_widgets)" in _import.error
            assert _rows_written_before_the_failure(steps, 1 + 3 + 3 + 2)  # registry, files, events, hooks
            assert db_snapshot(conn) == before
    finally:
        with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- constraints of the target's schema ----------------------------------------------------------------
def test_a_widget_id_another_plugin_has_where_the_store_made_widget_ids_unique(conn, cart_viewer, tmp_path, db_snapshot):
    # The storefront looks widgets up by id alone; a store may well have said so in its schema.
    conn.execute("CREATE UNIQUE INDEX store_unique_widget_id ON plugin_widgets (widget_id)")
    conn.execute("UPDATE plugin_widgets SET widget_id = 'points-balance' WHERE plugin_id = %s", (cart_viewer,))
    before = db_snapshot(conn)
    steps = _import(conn, tmp_path, _package())
    assert 'duplicate key value violates unique constraint "store_unique_widget_id"' in _import.error
    assert "(while writing plugin_widgets)" in _import.error
    assert _rows_written_before_the_failure(steps, 1 + 3 + 3 + 2)
    assert db_snapshot(conn) == before


def test_a_priority_a_store_check_constraint_forbids(conn, cart_viewer, tmp_path, db_snapshot):
    conn.execute("ALTER TABLE plugin_hooks ADD CONSTRAINT store_priority_not_negative CHECK (priority >= 0)")
    before = db_snapshot(conn)
    steps = _import(conn, tmp_path, _package(lambda p: p["hooks"][1].update(priority=-5)))
    assert 'violates check constraint "store_priority_not_negative"' in _import.error
    assert "(while writing plugin_hooks)" in _import.error
    assert _rows_written_before_the_failure(steps, 1 + 3 + 3)
    assert db_snapshot(conn) == before


def test_a_row_a_store_trigger_refuses_late_in_the_import(conn, cart_viewer, tmp_path, db_snapshot):
    conn.execute("""
        CREATE FUNCTION refuse_secrets() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.data_key LIKE '%key%' THEN RAISE EXCEPTION 'secrets belong in the vault, not in plugin_data'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_secrets BEFORE INSERT ON plugin_data FOR EACH ROW EXECUTE FUNCTION refuse_secrets();
    """)
    before = db_snapshot(conn)
    steps = _import(conn, tmp_path, _package())
    assert "secrets belong in the vault, not in plugin_data" in _import.error
    assert "(while writing plugin_data)" in _import.error
    assert _rows_written_before_the_failure(steps, 1 + 3 + 3 + 2 + 1 + 2)  # up to the migrations
    assert db_snapshot(conn) == before


# -- what the server and other sessions do while the import runs ------------------------------------------
def test_a_table_locked_by_another_session_past_the_lock_timeout(dsn, conn, cart_viewer, tmp_path, db_snapshot):
    before = db_snapshot(conn)
    with psycopg.connect(dsn) as other:  # holds the lock in its open transaction until the end
        other.execute("LOCK TABLE plugin_data IN SHARE MODE")
        with connect(dsn) as importing:
            importing.execute("SET lock_timeout = '200ms'")
            steps = _import(importing, tmp_path, _package())
        other.rollback()
    assert "canceling statement due to lock timeout" in _import.error
    assert "(while writing plugin_data)" in _import.error
    assert _rows_written_before_the_failure(steps, 1 + 3 + 3 + 2 + 1 + 2)
    assert db_snapshot(conn) == before


def test_a_statement_past_the_statement_timeout(dsn, conn, cart_viewer, tmp_path, db_snapshot):
    conn.execute("""
        CREATE FUNCTION slow_migrations() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(5); RETURN NEW; END $$;
        CREATE TRIGGER slow_migrations BEFORE INSERT ON plugin_migrations
          FOR EACH ROW EXECUTE FUNCTION slow_migrations();
    """)
    before = db_snapshot(conn)
    with connect(dsn) as importing:
        importing.execute("SET statement_timeout = '300ms'")
        steps = _import(importing, tmp_path, _package())
    assert "canceling statement due to statement timeout" in _import.error
    assert "(while writing plugin_migrations)" in _import.error
    assert _rows_written_before_the_failure(steps, 1 + 3 + 3 + 2 + 1)  # the platform's order: up to the widgets
    assert db_snapshot(conn) == before


def test_a_session_killed_half_way_by_another_session(dsn, conn, cart_viewer, tmp_path, db_snapshot):
    before = db_snapshot(conn)
    with connect(dsn) as importing:
        victim = importing.info.backend_pid

        def kill_after_the_hooks(done: int, total: int) -> None:
            if done == 1 + 3 + 3 + 2:  # registry, files, events and hooks written
                conn.execute("SELECT pg_terminate_backend(%s, 60000)", (victim,))

        loaded = pk.load_package(write(tmp_path, _package()))
        with pytest.raises(ConnectionLost) as caught:
            import_package(importing, loaded, progress=kill_after_the_hooks)
    assert "database connection lost" in str(caught.value)
    assert "rolled back, nothing was written (while writing plugin_widgets)" in str(caught.value)
    assert db_snapshot(conn) == before


def test_a_read_only_session(dsn, conn, cart_viewer, tmp_path, db_snapshot):
    # e.g. a replica, or a store put in maintenance mode with default_transaction_read_only
    before = db_snapshot(conn)
    with connect(dsn) as importing:
        importing.execute("SET default_transaction_read_only = on")
        _import(importing, tmp_path, _package())
    assert "cannot execute INSERT in a read-only transaction" in _import.error
    assert db_snapshot(conn) == before


def test_a_role_that_may_not_write_one_of_the_tables(platform_dsn, platform_conn, dml_dsn, tmp_path, db_snapshot):
    platform_conn.execute("REVOKE INSERT ON plugin_migrations FROM studio_dml")
    before = db_snapshot(platform_conn)
    with connect(dml_dsn) as conn:
        steps = _import(conn, tmp_path, _package(dependencies=False))
    assert "permission denied for table plugin_migrations" in _import.error
    assert "(while writing plugin_migrations)" in _import.error
    assert _rows_written_before_the_failure(steps, 1 + 3 + 3 + 2 + 1)
    assert db_snapshot(platform_conn) == before


def test_a_creator_the_store_does_not_have(platform_dsn, platform_conn, tmp_path, db_snapshot):
    # The platform's registry points creator_id at its users table (PLATFORM.md §1.1).
    before = db_snapshot(platform_conn)
    with connect(platform_dsn) as conn:
        _import(conn, tmp_path, _package(dependencies=False), creator_id="00000000-0000-4000-8000-00000000dead")
    assert 'violates foreign key constraint' in _import.error and "creator_id" in _import.error
    assert db_snapshot(platform_conn) == before
