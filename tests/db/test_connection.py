"""Every session has a lock and a statement timeout (DESIGN.md §3); callers may set their own."""
import psycopg
import pytest

from plugin_studio.db import migrate, plugins
from plugin_studio.db.connection import connect
from plugin_studio.db.errors import SqlError


def _timeouts(conn) -> tuple[str, str]:
    return conn.execute("SELECT current_setting('lock_timeout'), current_setting('statement_timeout')").fetchone()


def test_a_session_waits_at_most_five_seconds_for_a_lock_and_two_minutes_for_a_statement(dsn):
    with connect(dsn) as conn:
        assert _timeouts(conn) == ("5s", "2min")
    with connect(dsn, lock_timeout_ms=250, statement_timeout_ms=0) as conn:
        assert _timeouts(conn) == ("250ms", "0")


def migration_session(dsn):
    from plugin_studio.models.migration_plan import Planner

    return migrate.MigrationSession(migrate.connector_for(dsn), Planner(), lock_wait_s=5)


def test_a_migration_session_has_no_statement_limit_of_ours(dsn):
    with migration_session(dsn) as session:
        assert _timeouts(session.conn) == ("5s", "0")


def test_a_row_locked_by_another_session_fails_with_a_lock_timeout_instead_of_waiting(dsn, conn, cart_viewer):
    with psycopg.connect(dsn) as other:  # holds the plugin's row in an open transaction
        other.execute("SELECT 1 FROM plugin_registry WHERE id = %s FOR UPDATE", (cart_viewer,))
        with connect(dsn, lock_timeout_ms=100) as mine:
            with pytest.raises(SqlError) as err:
                plugins.update_plugin(mine, cart_viewer, {"version": "2.0.0"})
    assert err.value.problem.sqlstate == "55P03"


def test_a_stricter_limit_set_by_the_servers_administrator_stays(dsn, conn):
    conn.execute(f'ALTER DATABASE "{conn.info.dbname}" SET statement_timeout = \'300ms\'')
    conn.execute(f'ALTER DATABASE "{conn.info.dbname}" SET lock_timeout = \'1min\'')
    with connect(dsn) as session:
        assert _timeouts(session) == ("5s", "300ms")
    with migration_session(dsn) as session:
        assert _timeouts(session.conn) == ("5s", "300ms")
