"""``db url`` and ``db start`` keep the embedded server up whatever started it first."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

APP_LIKE = ("from plugin_studio.db import server; print(server.start_embedded(), flush=True); "
            "import sys; sys.stdin.read()")   # joins as the app does (stop on exit unless held) and waits to be told to quit


def _env(home):
    env = dict(os.environ, PLUGIN_STUDIO_HOME=str(home))
    env.pop("PLUGIN_STUDIO_DSN", None)
    return env


def _cli(args, home):
    return subprocess.run([sys.executable, "-m", "plugin_studio", *args], env=_env(home), capture_output=True,
                          text=True, timeout=120)


def _status(home) -> dict:
    return json.loads(_cli(["db", "status", "--json"], home).stdout)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """One data folder for these tests: its server is initialised once (initdb takes seconds)."""
    return tmp_path_factory.mktemp("hold-home")


@pytest.fixture
def app_like(home):
    """A process that joined the embedded server first, in pgserver's stop-on-exit mode."""
    process = subprocess.Popen([sys.executable, "-c", APP_LIKE], env=_env(home), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith("postgresql://")
        yield home, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
        _cli(["db", "stop"], home)


def _quit(process) -> None:
    process.stdin.close()
    assert process.wait(60) == 0


@pytest.mark.parametrize("command", ["url", "start"])
def test_a_hold_taken_while_the_app_runs_keeps_the_server_up_after_the_app_quits(app_like, command):
    home, app = app_like
    held = _cli(["db", command], home)
    assert held.returncode == 0, held.stderr
    _quit(app)
    status = _status(home)
    assert status["running"] and status["held"]
    assert "embedded PostgreSQL stopped" in _cli(["db", "stop"], home).stdout


def test_without_a_hold_the_last_process_to_leave_stops_the_server(app_like):
    home, app = app_like
    _quit(app)
    assert not _status(home)["running"]
