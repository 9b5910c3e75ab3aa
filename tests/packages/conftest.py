"""Helpers for package tests: a dump of every plugin table's rows, to prove a failed import wrote nothing."""
from __future__ import annotations

import pytest


def snapshot(conn) -> dict[str, list[str]]:
    """Every row of every ``plugin_*`` table the database has (its own schema's or a platform's), each
    row as PostgreSQL's text of it, in a stable order: equal dumps mean byte-identical rows."""
    tables = [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'plugin\\_%' ORDER BY 1")]
    return {table: [r[0] for r in conn.execute(f'SELECT t::text FROM "{table}" t ORDER BY 1')] for table in tables}


@pytest.fixture
def db_snapshot():
    return snapshot
