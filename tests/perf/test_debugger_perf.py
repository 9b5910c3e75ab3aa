"""Debugger step latency through the pane (DESIGN §7: a debugger step ≤ 5 ms; checked on the median).

`pytest tests/perf/test_debugger_perf.py -s`. One F10 = the Step command (the pane's action F10 triggers) → the
runner bridge's thread → one handler call in the worker → signals back → list, details and status
repainted. The reference is ``ChainSession.step()`` on a bare ``JsHost`` in the same run: the
ratio is what the pane adds around the runner.
"""
from __future__ import annotations

import statistics
import time


from plugin_studio.db import files, plugins
from plugin_studio.models.chain import hook_handler
from plugin_studio.runner.chain import FILTER, ChainSession
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.limits import Limits

LIMITS = Limits(timeout_ms=5000, grace_ms=2000, memory_mb=256, stack_kb=1024, console_bytes=100_000)
HANDLERS = 20
STEPS = 200


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95)]


def reference_step_ms(codes: list[str]) -> list[float]:
    handlers = [hook_handler("perf", f"r{i}", f"hooks/h{i}.js", c, name="product.price", plugin_name="Perf")
                for i, c in enumerate(codes)]
    latencies, session = [], None
    with JsHost(LIMITS) as host:
        for _ in range(STEPS):
            if session is None or session.finished:
                session = ChainSession(host, handlers, FILTER, "product.price", 100, []).start()
            started = time.perf_counter()
            session.step()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def test_step_latency_through_the_pane(qtbot, conn, dsn):
    from plugin_studio.ui.debugger import DebuggerPane
    from plugin_studio.ui.lanes import runner_lane

    plugin = plugins.create_plugin(conn, name="Perf").id
    codes = [f"// step {i}\nexport default function (price) {{ return price * 0.99; }}" for i in range(HANDLERS)]
    for code in codes:
        files.create_hook(conn, plugin, "product.price", "filter", code)
    bridge = runner_lane(LIMITS)
    pane = DebuggerPane(dsn, runner=bridge)
    qtbot.addWidget(pane)
    try:
        pane.resize(1100, 650)
        with qtbot.waitSignal(pane.registrations_loaded, timeout=10000):
            pane.set_plugin(plugin)
        with qtbot.waitActive(pane):
            pane.show()
            pane.activateWindow()
        pane.set_scenario("product.price", 100, [], mode="filter")
        pane.chain.list.setFocus()
        latencies = []
        while len(latencies) < STEPS:
            with qtbot.waitSignal(pane.controller.session_paused, timeout=10000):   # (re)start at entry
                pane.actions_by_name["step"].trigger()
            for _ in range(HANDLERS - 1):
                started = time.perf_counter()
                with qtbot.waitSignal(pane.controller.session_paused, timeout=10000):
                    pane.actions_by_name["step"].trigger()
                latencies.append((time.perf_counter() - started) * 1000)
            with qtbot.waitSignal(pane.controller.session_finished, timeout=10000):
                pane.actions_by_name["step"].trigger()
    finally:
        pane.shutdown()
        bridge.close()
    reference = reference_step_ms(codes)
    ours_median, ref_median = statistics.median(latencies), statistics.median(reference)
    print(f"\npane step (F10 → repainted): median {ours_median:.3f} ms, p95 {p95(latencies):.3f} ms over "
          f"{len(latencies)} steps (target ≤ 5 ms)")
    print(f"bare ChainSession.step: median {ref_median:.3f} ms, p95 {p95(reference):.3f} ms; "
          f"pane/bare = {ours_median / ref_median:.1f}x")
    assert ours_median <= 5
