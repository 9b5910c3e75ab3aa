"""Fixtures by concern: database (one embedded server per run, one fresh database per test) and
the real main window (``make_window``, used by tests/ui and tests/perf).

Other Qt fixtures come from pytest-qt (``qtbot``); the JS fixtures live with the runner tests.
"""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from plugin_studio.db import notify, schema, server  # noqa: E402
from plugin_studio.models.recovery import RecoveryStore  # noqa: E402
from plugin_studio.settings import Settings  # noqa: E402

TEMPLATE_DB = "plugin_studio_test_template"
pytest_plugins = ["platform_db"]  # platform_dsn, platform_conn, dml_dsn: see tests/platform_db.py


@pytest.fixture(scope="session", autouse=True)
def studio_home(tmp_path_factory) -> Path:
    """Settings, logs, recovery files and the embedded server of this test run live here."""
    home = tmp_path_factory.mktemp("studio-home")
    os.environ["PLUGIN_STUDIO_HOME"] = str(home)
    return home


@pytest.fixture(scope="session")
def pg_admin_dsn(studio_home) -> str:
    """One embedded PostgreSQL for the whole run, with a template database holding the schema."""
    os.environ.pop("PLUGIN_STUDIO_DSN", None)
    dsn = server.start_embedded()
    admin = dsn.replace(f"/{server.DATABASE}?", "/postgres?")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}"')
        conn.execute(f'CREATE DATABASE "{TEMPLATE_DB}"')
    with psycopg.connect(admin.replace("/postgres?", f"/{TEMPLATE_DB}?"), autocommit=True) as conn:
        schema.ensure_schema(conn)
        notify.install_triggers(conn)  # as the IDE does in its own database; tests may drop them
    # pgserver stops the server when this process exits (its handle's cleanup mode is 'stop').
    return admin


@pytest.fixture
def dsn(pg_admin_dsn, monkeypatch) -> str:
    """A fresh database with the plugin tables, private to this test; also set as PLUGIN_STUDIO_DSN."""
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
    test_dsn = pg_admin_dsn.replace("/postgres?", f"/{name}?")
    monkeypatch.setenv("PLUGIN_STUDIO_DSN", test_dsn)
    yield test_dsn
    with psycopg.connect(pg_admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def conn(dsn):
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture
def cart_viewer(conn) -> str:
    """The starter "Cart Viewer" plugin, cloned into this test's database; returns its id."""
    from plugin_studio.models.templates import create_from_template, get_template

    return create_from_template(conn, get_template("cart-viewer"))


# -- the main window ------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _no_dialog_answers_leak_between_tests():
    """A test that expected a dialog which never came must not answer the next test's dialog."""
    yield
    helpers = sys.modules.get("ui_helpers")
    if helpers is not None:
        helpers.cancel_pending_answers()


@pytest.fixture
def recovery(tmp_path) -> RecoveryStore:
    return RecoveryStore(tmp_path / "recovery")


@pytest.fixture
def make_window(qtbot, dsn, recovery):
    """Open a MainWindow on the test database; waits until the plugin list is shown."""
    from plugin_studio.ui.main_window import MainWindow

    windows = []

    def make(select_plugin: str | None = None, open_tabs: list | None = None, **settings_values):
        settings = Settings(last_plugin_id=select_plugin, open_tabs=list(open_tabs or []), **settings_values)
        settings.save = lambda: None  # tests never write the user's settings file
        # Not qtbot.addWidget: pytest-qt would close it before this fixture can clean dirty tabs.
        window = MainWindow(dsn, settings=settings, recovery=recovery)
        with qtbot.waitSignal(window.plugins_listed, timeout=10000):
            window.show()
        if select_plugin:
            qtbot.waitUntil(lambda: window.current_plugin is not None and window.current_plugin.id == select_plugin)
        windows.append(window)
        return window

    yield make
    for window in windows:
        for tab in window.editors.all_tabs():
            tab.editor.set_text(tab.text())  # clean, so closing asks nothing
        window.close()
        window.deleteLater()


# -- background work: garbage collected on the GUI thread, no job left behind (ui/collector.py, ui/jobs.py) --
@pytest.fixture(scope="session", autouse=True)
def gui_garbage_collector(qapp):
    """As the app does: no automatic collection, which could free Qt objects on a worker thread."""
    from plugin_studio.ui.collector import GuiGarbageCollector

    collector = GuiGarbageCollector()
    collector.start()
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def _no_job_left_running(gui_garbage_collector):
    """A test fails if a background job outlives it (ended jobs' answers are delivered first)."""
    yield
    from plugin_studio.ui import jobs

    left = jobs.wait_until_idle(timeout_s=10)
    gui_garbage_collector.collect_due()
    if left:
        titles = ", ".join(f"{job.title or job.id!r} ({job.state})" for job in left)
        for job in left:
            job.cancel()
        jobs.wait_until_idle(timeout_s=5)
        pytest.fail(f"the test left background jobs running: {titles}")
