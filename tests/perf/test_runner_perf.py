"""Runner throughput and latency (DESIGN §7): `pytest tests/perf/test_runner_perf.py -s`.

Figures: applies/s of a 10-handler chain through the worker in batches (target ≥ 5,000/s), the
same chain traced one call per handler, debugger step latency (≤ 5 ms), cold worker start,
the longest Qt event-loop stall while plugin code runs away (≤ 50 ms), and the same chain in
one Node.js process as the reference ratio.
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import time

import pytest

from plugin_studio.runner.chain import FILTER, ChainSession, Handler, apply_filters, apply_filters_batch
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.limits import Limits

LIMITS = Limits(timeout_ms=5000, grace_ms=2000, memory_mb=256, stack_kb=1024, console_bytes=100_000)
CODES = [
    "v => v * 1.01",
    "function (v) { return v + 1; }",
    "export default function (v, ctx) { return ctx.member ? v * 0.95 : v; }",
    "(v) => { if (v > 1e9) return 1e9; }",
    "async function (v) { return v - 0.5; }",
    "v => Math.round(v * 100) / 100",
    "function (v, ctx) { return v + ctx.shipping; }",
    "module.exports = (v) => v < 0 ? 0 : v;",
    "v => v * 1.2",
    "// tax\nexport default (v) => Math.round(v * 100) / 100;",
]
ARGS = [{"member": True, "shipping": 4.5}]


def chain() -> list[Handler]:
    return [Handler("perf", f"row-{i}", f"hooks/h{i}.js", 10, code, FILTER, "product.price", "Perf")
            for i, code in enumerate(CODES)]


@pytest.fixture(scope="module")
def host():
    with JsHost(LIMITS) as js:
        js.start()
        yield js


def test_cold_worker_start():
    times = []
    for _ in range(5):
        started = time.perf_counter()
        with JsHost(LIMITS) as js:
            js.call("ping")
            times.append((time.perf_counter() - started) * 1000)
    print(f"\ncold worker start (spawn + first answer): median {statistics.median(times):.0f} ms, "
          f"min {min(times):.0f} ms")


def node_applies_per_second(count: int) -> float:
    """The same chain and semantics in one Node.js process (handlers as plain functions)."""
    bodies = ["v => v * 1.01", "function (v) { return v + 1; }", "function (v, ctx) { return ctx.member ? v * 0.95 : v; }",
              "(v) => { if (v > 1e9) return 1e9; }", "async function (v) { return v - 0.5; }",
              "v => Math.round(v * 100) / 100", "function (v, ctx) { return v + ctx.shipping; }",
              "(v) => v < 0 ? 0 : v", "v => v * 1.2", "(v) => Math.round(v * 100) / 100"]
    script = f"""
const handlers = [{", ".join("(" + b + ")" for b in bodies)}];
const args = {json.dumps(ARGS)};
async function apply(value) {{
  for (const h of handlers) {{
    let r;
    try {{ r = h(value, ...args); if (r && typeof r.then === 'function') r = await r; }} catch (e) {{ continue; }}
    if (r !== undefined) value = r;
  }}
  return value;
}}
(async () => {{
  const values = Array.from({{length: {count}}}, (_, i) => i);
  await Promise.all(values.map(apply));
  const t = process.hrtime.bigint();
  const out = await Promise.all(values.map(apply));
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(JSON.stringify({{perSecond: {count} / s, sample: out[10]}}));
}})();
"""
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["perSecond"]


def test_batched_applies_per_second_against_node(host):
    handlers = chain()
    values = list(range(2000))
    expected = apply_filters(host, handlers, "product.price", 10, ARGS).final
    first = apply_filters_batch(host, handlers, "product.price", values, ARGS)
    assert first["values"][10] == expected and not first["errors"]
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        apply_filters_batch(host, handlers, "product.price", values, ARGS)
        rounds.append(len(values) / (time.perf_counter() - started))
    ours = statistics.median(rounds)
    traced = []
    for _ in range(20):
        started = time.perf_counter()
        apply_filters(host, handlers, "product.price", 10, ARGS)
        traced.append(time.perf_counter() - started)
    print(f"\n10-handler chain through the worker, batches of {len(values)}: {ours:,.0f} applies/s (target ≥ 5,000)")
    print(f"same chain traced (one worker call per handler): {1 / statistics.median(traced):,.0f} applies/s, "
          f"{statistics.median(traced) * 1000:.2f} ms per apply")
    if shutil.which("node"):
        reference = node_applies_per_second(len(values))
        print(f"Node.js reference, one process: {reference:,.0f} applies/s → worker/node ratio {ours / reference:.3f}")
    assert ours >= 5000


def test_step_latency(host):
    latencies = []
    session = None
    for _ in range(300):
        if session is None or session.finished:
            session = ChainSession(host, chain(), FILTER, "product.price", 10, ARGS).start()
        started = time.perf_counter()
        session.step()
        latencies.append((time.perf_counter() - started) * 1000)
    median, p95 = statistics.median(latencies), sorted(latencies)[int(len(latencies) * 0.95)]
    print(f"\ndebugger step: median {median:.3f} ms, p95 {p95:.3f} ms (target ≤ 5 ms)")
    assert p95 <= 5


def test_longest_qt_stall_while_plugin_code_runs_away(qtbot):
    from PySide6.QtCore import QElapsedTimer, QTimer

    from plugin_studio.ui.lanes import host_call, runner_lane

    bridge = runner_lane(Limits(timeout_ms=1000, grace_ms=1500))
    gaps: list[int] = []
    clock, ticker = QElapsedTimer(), QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    try:
        with qtbot.waitSignal(bridge.submit(host_call, "ping", {}, owner=None).finished, timeout=10000):
            pass
        runaway = [Handler("p", "r", "hooks/loop.js", 10, "v => { while (true) {} }", FILTER, "loop")]
        clock.start()
        ticker.start()
        with qtbot.waitSignal(bridge.submit(apply_filters, runaway, "loop", 1, owner=None).finished, timeout=10000):
            pass
        ticker.stop()
    finally:
        bridge.close()
    longest = max(gaps[1:])
    print(f"\nlongest Qt event-loop gap during a 1 s runaway plugin: {longest} ms over {len(gaps)} ticks (target ≤ 50)")
    assert longest <= 50
