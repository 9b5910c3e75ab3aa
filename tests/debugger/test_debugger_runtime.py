"""The debugger runs hooks as the storefront does, with pluginData, and stays responsive whatever the plugin throws."""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer, Qt

from plugin_studio.db import files, plugin_data

from .conftest import press

F5 = Qt.Key.Key_F5


def run_to_end(qtbot, pane):
    with qtbot.waitSignal(pane.controller.session_finished, timeout=20000) as finished:
        press(qtbot, pane, F5)
    return finished.args[0]


def test_a_100_mb_error_is_shown_cut_and_the_pane_stays_responsive(qtbot, conn, make_pane, discounts):
    files.create_hook(conn, discounts, "product.price", "filter", "function (p) {\n  throw new Error('m'.repeat(1e8));\n}")
    pane = make_pane(discounts)
    pane.set_scenario("product.price", 100, [], mode="filter")
    gaps, clock, ticker = [], QElapsedTimer(), QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    clock.start()
    ticker.start()
    try:
        trace = run_to_end(qtbot, pane)
        pane.chain.select_step(trace.steps[0].handler.row_id)
        qtbot.waitUntil(lambda: len(gaps) >= 5, timeout=5000)   # the event loop ticks on after the answer
    finally:
        ticker.stop()
    error = trace.steps[0].error
    assert error.line == 2 and len(error.message) < 20_000
    assert "[truncated: 100000000 characters in all]" in error.message
    assert len(pane.chain.details.error.toPlainText()) < 50_000
    assert max(gaps[1:]) < 1000   # no frame held for seconds painting 100 MB (it was 128 s)


def test_plugin_data_works_in_the_debugger(qtbot, conn, make_pane, discounts):
    plugin_data.set_value(conn, discounts, "rate", 0.5)
    files.create_event(conn, discounts, "cart.viewed",
                       "function (cart) {\n  pluginData.get('rate').then(rate => console.log('rate', rate));\n}")
    pane = make_pane(discounts)
    pane.set_scenario("cart.viewed", {"items": []}, [], mode="event")
    trace = run_to_end(qtbot, pane)
    [step] = trace.steps
    assert step.error is None
    assert [c["text"] for c in step.console] == ["rate 0.5"]
    assert any("pluginData is not defined in the storefront's browser code" in n for n in step.notes)
