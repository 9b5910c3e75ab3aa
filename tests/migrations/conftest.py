"""Fixtures for migration tests: a plugin, a file in the platform's format, a runner session."""
from __future__ import annotations

import pytest
from migration_samples import PLATFORM_FILE

from plugin_studio.db import migrate, plugins
from plugin_studio.models.migration_plan import Planner


@pytest.fixture
def plugin(conn):
    return plugins.create_plugin(conn, "Loyalty")


@pytest.fixture
def platform_text(plugin) -> str:
    return PLATFORM_FILE.format(name=plugin.name, id=plugin.id)


@pytest.fixture
def session(dsn):
    """Opens a runner session (own connections, the lock) for the duration of a ``with``."""
    return lambda wait_s=5, planner=None, **kw: migrate.MigrationSession(
        migrate.connector_for(dsn), planner or Planner(), lock_wait_s=wait_s, **kw)
