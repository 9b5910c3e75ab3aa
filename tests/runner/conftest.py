"""JS fixtures: a real worker process running QuickJS (dukpy), shared by a module's tests."""
from __future__ import annotations

import pytest
from js_limits import FAST_LIMITS, ROOMY_LIMITS

from plugin_studio.db import files
from plugin_studio.runner.host import JsHost


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
