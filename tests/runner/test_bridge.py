"""The Qt bridge: results and errors arrive as signals; the GUI never stalls on plugin code."""
from __future__ import annotations

import time

from PySide6.QtCore import QElapsedTimer, QTimer

from plugin_studio.runner.chain import FILTER, Handler, apply_filters
from plugin_studio.runner.errors import JsTimeout
from plugin_studio.ui.runner_bridge import RunnerBridge

from conftest import FAST_LIMITS


def test_results_and_errors_arrive_as_signals(qtbot):
    bridge = RunnerBridge(FAST_LIMITS)
    try:
        with qtbot.waitSignal(bridge.call_finished, timeout=10000) as finished:
            request = bridge.call("ping")
        assert finished.args[0] == request and finished.args[1]["pid"] == bridge.host.pid
        with qtbot.waitSignal(bridge.call_failed, timeout=10000) as failed:
            bridge.call("no.such.op")
        assert "unknown runner op" in str(failed.args[1])
    finally:
        bridge.close()


def test_gui_event_loop_keeps_running_while_a_plugin_runs_away(qtbot):
    """5 ms timer ticks keep coming while `while(true){}` runs for a second in the worker."""
    bridge = RunnerBridge(FAST_LIMITS)
    gaps: list[int] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)

    def tick():
        gaps.append(clock.restart())

    ticker.timeout.connect(tick)
    try:
        with qtbot.waitSignal(bridge.call_finished, timeout=10000):
            bridge.call("ping")  # worker started: measure the runaway call alone
        handlers = [Handler("p", "r", "hooks/loop.js", 10, "v => { while (true) {} }", FILTER, "loop")]
        clock.start()
        ticker.start()
        started = time.monotonic()
        with qtbot.waitSignal(bridge.call_finished, timeout=10000) as finished:
            bridge.run(apply_filters, handlers, "loop", 1)
        ticker.stop()
        assert isinstance(finished.args[1].steps[0].error, JsTimeout)
        assert time.monotonic() - started >= FAST_LIMITS.timeout_ms / 1000
        # The stall itself is measured in tests/perf/test_runner_perf.py; here: the loop kept ticking.
        assert len(gaps) > 20
    finally:
        bridge.close()
