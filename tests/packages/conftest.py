"""Helpers for package tests: a snapshot of every plugin table, to prove a failed import wrote nothing."""
from __future__ import annotations

import pytest

from plugin_studio.db.schema import PLUGIN_TABLES


def snapshot(conn) -> dict[str, list[tuple]]:
    """Every row of every plugin table, as text, in a stable order."""
    return {
        table: conn.execute(f"SELECT t::text FROM {table} t ORDER BY id").fetchall()
        for table in PLUGIN_TABLES
    }


@pytest.fixture
def db_snapshot():
    return snapshot
