"""JS fixtures: a real worker process running QuickJS (dukpy), shared by a module's tests."""
from __future__ import annotations

import pytest

from plugin_studio.db import files
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.limits import Limits

FAST_LIMITS = Limits(timeout_ms=1000, grace_ms=1500, memory_mb=256, stack_kb=1024, console_bytes=100_000)


@pytest.fixture(scope="module")
def host():
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
