"""The runner's lane (ui/lanes.runner_lane): results and errors arrive as job answers on the GUI thread;
the GUI never stalls on plugin code."""
from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from plugin_studio.models.chain import hook_handler
from plugin_studio.runner.chain import apply_filters
from plugin_studio.runner.errors import JsTimeout
from plugin_studio.ui.lanes import host_call, runner_lane

from js_limits import FAST_LIMITS


def test_results_and_errors_arrive_as_signals(qtbot):
    runner = runner_lane(FAST_LIMITS)
    try:
        with qtbot.waitSignal(runner.submit(host_call, "ping", {}, owner=None).finished) as finished:
            pass
        assert finished.args[0]["pid"] == runner.resource.host.pid
        with qtbot.waitSignal(runner.submit(host_call, "no.such.op", {}, owner=None).failed) as failed:
            pass
        assert "unknown runner op" in str(failed.args[0])
    finally:
        runner.close()


def test_gui_event_loop_keeps_running_while_a_plugin_runs_away(qtbot):
    """While `while(true){}` runs for its full second in the worker, the GUI thread handles its events.

    Proof by order, not by counting ticks: a GUI event posted right after ``submit`` is handled before
    the job's answer, which can only come after the time limit. Were ``submit`` to block the GUI thread
    until the answer, the answer would be queued first.
    """
    runner = runner_lane(FAST_LIMITS)
    seen: list[str] = []
    try:
        with qtbot.waitSignal(runner.submit(host_call, "ping", {}, owner=None).finished):
            pass  # worker started: measure the runaway call alone
        handlers = [hook_handler("p", "r", "hooks/loop.js", "v => { while (true) {} }", name="loop")]
        started = time.monotonic()
        job = runner.submit(apply_filters, handlers, "loop", 1, owner=None, on_done=lambda _r: seen.append("answer"))
        QTimer.singleShot(0, lambda: seen.append("GUI event"))
        with qtbot.waitSignal(job.finished) as finished:
            pass
        assert isinstance(finished.args[0].steps[0].error, JsTimeout)
        assert time.monotonic() - started >= FAST_LIMITS.timeout_ms / 1000
        assert seen == ["GUI event", "answer"]
        # How long the GUI thread stalls at most is measured in tests/perf/test_runner_perf.py.
    finally:
        runner.close()
