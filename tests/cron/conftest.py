"""A worker that answers pluginData from the test's database, and the Visits plugin on a platform database."""
from __future__ import annotations

import pytest
from plugin_parts import ROOMY, add_visits_plugin

from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services


@pytest.fixture
def visits(platform_conn):
    return add_visits_plugin(platform_conn)


@pytest.fixture
def js(platform_conn):
    with JsHost(ROOMY, plugin_data_services(lambda: platform_conn)) as host:
        yield host
