"""A migration on a live store: it waits for another session's lock at most lock_timeout, names the
blocker, never makes the storefront's reads queue behind it for longer, and can be retried."""
import threading

import psycopg
from migration_samples import add_migration

from plugin_studio.db import migrate
from plugin_studio.db.migrations import get_migration


def wait_until(conn, query: str, params=(), attempts: int = 2000) -> None:
    """Poll the server (not the clock) until ``query`` returns a row; each poll is a round trip."""
    for _ in range(attempts):
        if conn.execute(query, params).fetchone():
            return
        conn.execute("SELECT pg_sleep(0.005)")
    raise AssertionError(f"never true: {query}")


WAITING_FOR_LOCK = ("SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'"
                    " AND query LIKE %s")


def test_ddl_behind_a_lock_fails_after_lock_timeout_naming_the_holder_and_reads_pass(
        conn, dsn, plugin, session):
    conn.execute("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), (2)")
    row_id = add_migration(conn, plugin, "4.0", "ALTER TABLE orders ADD COLUMN note text;")
    holder = psycopg.connect(dsn, application_name="storefront report")
    holder.execute("SELECT count(*) FROM orders")            # ACCESS SHARE, kept: its transaction stays open
    outcome, reader = {}, {}

    def migration():
        with session(timeouts=migrate.Timeouts(lock_s=2)) as s:
            outcome["result"] = s.run(row_id)

    def storefront_read():
        # Arrives while the ALTER waits, so it queues behind the ALTER's ACCESS EXCLUSIVE request.
        with psycopg.connect(dsn, autocommit=True, application_name="storefront") as c:
            c.execute("SET statement_timeout = '30s'")       # a failure, never a hang
            reader["count"] = c.execute("SELECT count(*) FROM orders").fetchone()[0]
            reader["holder_still_open"] = holder.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS

    try:
        runner = threading.Thread(target=migration)
        runner.start()
        wait_until(conn, WAITING_FOR_LOCK, (migrate.APPLICATION_NAME, "ALTER TABLE orders%"))
        read = threading.Thread(target=storefront_read)
        read.start()
        wait_until(conn, WAITING_FOR_LOCK, ("storefront", "SELECT count(*) FROM orders"))
        runner.join(60)
        read.join(60)
        result = outcome["result"]
        # The read got through while the report's transaction was still open: it waited only for the
        # ALTER, which gave up after lock_timeout; the report itself never blocks a read.
        assert reader == {"count": 2, "holder_still_open": True}
        assert not result.ok and result.retryable
        assert "canceling statement due to lock timeout" in result.error
        assert f"held by pid {holder.info.backend_pid} (storefront report" in result.error
        assert "SELECT count(*) FROM orders" in result.error and "in a transaction since" in result.error
        assert [b.pid for b in result.blocked_by] == [holder.info.backend_pid]
        row = get_migration(conn, row_id)
        assert row.status == "failed" and f"pid {holder.info.backend_pid}" in row.error_message
        assert conn.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'"
                            " AND column_name = 'note'").fetchone()[0] == 0
    finally:
        holder.close()
    with session() as s:                                     # the report ended: a retry goes through
        assert s.run(row_id).ok
    assert get_migration(conn, row_id).status == "completed"


def test_a_lock_timeout_is_retried_when_asked_and_the_statement_timeout_bounds_a_long_statement(
        conn, dsn, plugin, session):
    row_id = add_migration(conn, plugin, "4.1", "SELECT pg_sleep(5);")
    with session(timeouts=migrate.Timeouts(lock_s=1, statement_s=0.2)) as s:
        result = s.run(row_id)
    assert not result.ok and not result.retryable
    assert "canceling statement due to statement timeout" in result.error
    assert "longer than statement_timeout (0.2 s)" in result.error

    conn.execute("CREATE TABLE retried (id int)")
    retried = add_migration(conn, plugin, "4.2", "ALTER TABLE retried ADD COLUMN x int;")
    holder = psycopg.connect(dsn, application_name="short report")
    holder.execute("SELECT * FROM retried")
    outcome = {}

    def migration():
        with session(timeouts=migrate.Timeouts(lock_s=0.5)) as s:
            outcome["result"] = s.run(retried, retries=20, retry_delay_s=0.05)

    runner = threading.Thread(target=migration)
    runner.start()
    wait_until(conn, "SELECT 1 FROM plugin_migrations WHERE id = %s AND status = 'failed'", (retried,))
    holder.close()                                           # the report ends after the first timeout
    runner.join(60)
    assert outcome["result"].ok and outcome["result"].attempts >= 2
