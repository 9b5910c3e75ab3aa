"""The Qt bridge: results and errors arrive as signals; the GUI never stalls on plugin code."""
from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from plugin_studio.runner.chain import FILTER, Handler, apply_filters
from plugin_studio.runner.errors import JsTimeout
from plugin_studio.ui.runner_bridge import RunnerBridge

from js_limits import FAST_LIMITS


def test_results_and_errors_arrive_as_signals(qtbot):
    bridge = RunnerBridge(FAST_LIMITS)
    try:
        with qtbot.waitSignal(bridge.call_finished) as finished:
            request = bridge.call("ping")
        assert finished.args[0] == request and finished.args[1]["pid"] == bridge.host.pid
        with qtbot.waitSignal(bridge.call_failed) as failed:
            bridge.call("no.such.op")
        assert "unknown runner op" in str(failed.args[1])
    finally:
        bridge.close()


def test_gui_event_loop_keeps_running_while_a_plugin_runs_away(qtbot):
    """While `while(true){}` runs for its full second in the worker, the GUI thread handles its events.

    Proof by order, not by counting ticks: a GUI event posted right after ``run`` is handled before
    the call's answer, which can only come after the time limit. Were ``run`` to block the GUI thread
    until the answer, the answer would be queued first.
    """
    bridge = RunnerBridge(FAST_LIMITS)
    seen: list[str] = []
    try:
        with qtbot.waitSignal(bridge.call_finished):
            bridge.call("ping")  # worker started: measure the runaway call alone
        bridge.call_finished.connect(lambda *_: seen.append("answer"))
        handlers = [Handler("p", "r", "hooks/loop.js", 10, "v => { while (true) {} }", FILTER, "loop")]
        started = time.monotonic()
        with qtbot.waitSignal(bridge.call_finished) as finished:
            bridge.run(apply_filters, handlers, "loop", 1)
            QTimer.singleShot(0, lambda: seen.append("GUI event"))
        assert isinstance(finished.args[1].steps[0].error, JsTimeout)
        assert time.monotonic() - started >= FAST_LIMITS.timeout_ms / 1000
        assert seen == ["GUI event", "answer"]
        # How long the GUI thread stalls at most is measured in tests/perf/test_runner_perf.py.
    finally:
        bridge.close()
