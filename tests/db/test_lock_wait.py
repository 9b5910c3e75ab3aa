"""A wait behind another session's lock says who holds it, and nothing is written."""
from __future__ import annotations

import psycopg
import pytest

from plugin_studio.db import files
from plugin_studio.db.lock_wait import LockTimeout
from plugin_studio.ui.jobs import JobControl
from plugin_studio.ui.lanes import DbSession

LOCK_TIMEOUT_MS = 600


@pytest.fixture
def hook_row(conn, cart_viewer) -> str:
    return conn.execute("SELECT id::text FROM plugin_hooks WHERE plugin_id::text = %s", (cart_viewer,)).fetchone()[0]


@pytest.fixture
def holder(dsn, hook_row):
    """Another client (psql, say) in a transaction holding the hook's row lock."""
    with psycopg.connect(dsn, application_name="psql") as other:
        other.execute("SELECT 1 FROM plugin_hooks WHERE id = %s FOR UPDATE", (hook_row,))
        yield other
        other.rollback()


def test_a_save_behind_a_row_lock_names_the_holder_and_writes_nothing(dsn, conn, hook_row, holder):
    session = DbSession(dsn, lock_timeout_ms=LOCK_TIMEOUT_MS, name_lock_holders=True)
    before = files.fetch_code(conn, "plugin_hooks", hook_row)
    try:
        with pytest.raises(LockTimeout) as failed:
            session.run(JobControl(), lambda c: files.save_code(c, "plugin_hooks", hook_row, "// mine", before))
        assert [h.pid for h in failed.value.holders] == [holder.info.backend_pid]
        assert failed.value.holders[0].application_name == "psql"
        assert failed.value.holders[0].busy_since is not None     # in a transaction since ...
        message = str(failed.value)
        assert f"pid {holder.info.backend_pid} (psql" in message and "nothing was written" in message
        assert "600ms" in message
        assert files.fetch_code(conn, "plugin_hooks", hook_row) == before
        holder.rollback()                                           # the holder lets go: trying again works
        session.run(JobControl(), lambda c: files.save_code(c, "plugin_hooks", hook_row, "// mine", before))
        assert files.fetch_code(conn, "plugin_hooks", hook_row) == "// mine"
    finally:
        session.close()

