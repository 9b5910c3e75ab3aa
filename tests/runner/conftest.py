"""JS fixtures: a real worker process running QuickJS (dukpy), shared by a module's tests.

The runner's tests (hooks, events, scripts, the CLI's hooks/events commands) run on a database built
like the platform's (tests/platform_db.py: varchar plugin_id, no unique constraints, a dependency id
without default, disabled-by-default registry rows), connected as a role that may only SELECT, INSERT,
UPDATE and DELETE: ``dsn`` and ``conn`` here stand in for tests/conftest.py's, which give the IDE's
own schema as its owner (the rest of the suite runs on that one).
"""
from __future__ import annotations

import psycopg
import pytest
from js_limits import FAST_LIMITS, ROOMY_LIMITS

from plugin_studio.db import files
from plugin_studio.runner.host import JsHost


@pytest.fixture
def dsn(dml_dsn, monkeypatch) -> str:
    """A fresh platform-shaped database as the DML-only role; also set as PLUGIN_STUDIO_DSN."""
    monkeypatch.setenv("PLUGIN_STUDIO_DSN", dml_dsn)
    return dml_dsn


@pytest.fixture
def conn(dsn):
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def host():
    with JsHost(ROOMY_LIMITS) as js:
        yield js


@pytest.fixture(scope="module")
def strict_host():
    """A worker with a 1 s time limit, for tests of the time limit itself."""
    with JsHost(FAST_LIMITS) as js:
        yield js


@pytest.fixture
def add_hook(conn):
    """``add_hook(plugin_id, code, name=..., priority=..., hook_type=...)`` → the new row id."""
    def add(plugin_id, code, *, name="product.price", priority=10, hook_type="filter"):
        return files.create_hook(conn, plugin_id, name, hook_type, code, priority=priority)
    return add


@pytest.fixture
def plugin(conn):
    """A second, empty active plugin."""
    from plugin_studio.db import plugins

    return plugins.create_plugin(conn, name="Discounts").id
