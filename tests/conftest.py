"""Fixtures by concern: a run that cannot hang (timeouts, dialogs left open), database (one embedded
server per run, one fresh database per test) and the real main window (``make_window``, used by
tests/ui and tests/perf).

Other Qt fixtures come from pytest-qt (``qtbot``); the JS fixtures live with the runner tests.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
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
# The JS time limit is wall time, and on a loaded machine loading Babel alone (for a worker's first ES
# module or JSX) takes over a second: the test run's settings give plugin code room, and the tests of
# the time limit itself ask for a short one (the ``time_limit`` marker, FAST_LIMITS).
ROOMY_RUNNER_TIMEOUT_MS = 60_000
pytest_plugins = ["platform_db"]  # platform_dsn, platform_conn, dml_dsn: see tests/platform_db.py


# -- a run that cannot hang ----------------------------------------------------------------------
# Per test (pyproject.toml): pytest-timeout's signal method fails a test stuck past `timeout` and the
# run goes on; faulthandler's watchdog, a C thread that needs no GIL, dumps every thread and ends the
# run later if the test is still stuck (a native deadlock, or a thread blocked holding the GIL).
@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Run in a temp folder of our own, not under /tmp/pytest-of-<user>.

    pgserver, running PostgreSQL as its own user when we are root, opens the folders above the data
    directory to others; any other pytest starting on the machine closes /tmp/pytest-of-<user> again
    (mode 0700), and the running server, cut off from its data, PANICs. Kept when the run failed.
    """
    if config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="plugin-studio-tests-")
        atexit.register(_remove_if_passed, config)  # runs after pgserver's own atexit stopped the server


def _remove_if_passed(config) -> None:
    if getattr(config, "_studio_exitstatus", 1) == 0:
        shutil.rmtree(config.option.basetemp, ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    session.config._studio_exitstatus = exitstatus
    if exitstatus != 0:
        print(f"\ntest files kept in {session.config.option.basetemp}")


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item, settings):
    """pytest-timeout's signal method, but first closing the dialogs a stuck test waits in.

    A test stuck in a modal dialog's exec() runs no Python of its own: the failure raised there would
    be swallowed by Qt and the dialog would keep waiting. Closing the dialogs lets exec() return.
    """
    if settings.method != "signal":
        return None
    import pytest_timeout
    from qt_dialogs import close_open_dialogs

    def on_timeout(signum, frame):
        closed = close_open_dialogs()
        if closed:
            print("\nclosed at the timeout: " + "; ".join(closed))
        pytest_timeout.timeout_sigalrm(item, settings)

    def cancel():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    item.cancel_timeout = cancel
    signal.signal(signal.SIGALRM, on_timeout)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout)
    return True


WAIT_BUDGET_MS = 60_000


def _give_waits_a_generous_budget() -> None:
    """qtbot's waits (waitUntil, waitSignal, ...) default to 60 s instead of 5 s.

    A wait's budget only turns an event that never comes into a clear failure; it is not a speed
    claim, and 5 s is not enough for a database round trip or a JS runtime's start on a loaded
    2-core machine. Speed is measured in tests/perf/. Tests therefore pass no budgets of their own.
    """
    from pytestqt.qtbot import QtBot

    for name in ("waitUntil", "waitSignal", "waitSignals", "waitCallback", "waitExposed", "waitActive"):
        method = getattr(QtBot, name)
        getattr(method, "__wrapped__", method).__kwdefaults__["timeout"] = WAIT_BUDGET_MS


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with a heartbeat: Python signal handlers (the timeout above) only run
    when the GUI thread runs Python, which an idle Qt event loop would otherwise never do."""
    from PySide6.QtCore import QTimer

    _give_waits_a_generous_budget()
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(100)
    yield qapp
    heartbeat.stop()


@pytest.fixture(autouse=True)
def _no_dialog_left_open():
    """Fail a test that leaves a dialog open, after closing it so the next test is not poisoned; and
    cancel the test's dialog answers still waiting, so they cannot answer the next test's dialogs."""
    yield
    from qt_dialogs import cancel_pending_answers, close_open_dialogs

    cancel_pending_answers()
    closed = close_open_dialogs()
    if closed:
        pytest.fail("the test left dialogs open: " + "; ".join(closed), pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def studio_home(tmp_path_factory) -> Path:
    """Settings, logs, recovery files and the embedded server of this test run live here."""
    home = tmp_path_factory.mktemp("studio-home")
    os.environ["PLUGIN_STUDIO_HOME"] = str(home)
    Settings(runner_timeout_ms=ROOMY_RUNNER_TIMEOUT_MS).save()
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
    from plugin_studio.models.templates import get_template
    from plugin_studio.services.templates import create_from_template

    return create_from_template(conn, get_template("cart-viewer"))


# -- the main window ------------------------------------------------------------------------
@pytest.fixture
def recovery(tmp_path) -> RecoveryStore:
    return RecoveryStore(tmp_path / "recovery")


@pytest.fixture
def make_window(qtbot, dsn, recovery):
    """Open a MainWindow on the test database; waits until the plugin list is shown."""
    from plugin_studio.ui.main_window import MainWindow

    windows = []

    def make(select_plugin: str | None = None, open_tabs: list | None = None, **settings_values):
        settings_values.setdefault("runner_timeout_ms", ROOMY_RUNNER_TIMEOUT_MS)
        settings = Settings(last_plugin_id=select_plugin, open_tabs=list(open_tabs or []), **settings_values)
        settings.save = lambda: None  # tests never write the user's settings file
        # Not qtbot.addWidget: pytest-qt would close it before this fixture can clean dirty tabs.
        window = MainWindow(dsn, settings=settings, recovery=recovery)
        with qtbot.waitSignal(window.plugins_listed):
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
