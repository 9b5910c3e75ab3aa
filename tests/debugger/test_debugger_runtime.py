"""The debugger runs hooks as the storefront does, with pluginData, and stays responsive whatever the plugin throws."""
from __future__ import annotations

from PySide6.QtCore import Qt

from plugin_studio.db import files, plugin_data

from .conftest import press

F5 = Qt.Key.Key_F5


def run_to_end(qtbot, pane):
    with qtbot.waitSignal(pane.controller.session_finished, timeout=20000) as finished:
        press(qtbot, pane, F5)
    return finished.args[0]


def test_a_100_mb_error_is_shown_cut_in_the_pane(qtbot, conn, make_pane, discounts):
    # The pane once froze 128 s painting a 100 MB message; what keeps it responsive is that neither the
    # trace nor the pane ever holds more than the cut text, asserted here by size, not by a timed gap.
    files.create_hook(conn, discounts, "product.price", "filter", "function (p) {\n  throw new Error('m'.repeat(1e8));\n}")
    pane = make_pane(discounts)
    pane.set_scenario("product.price", 100, [], mode="filter")
    trace = run_to_end(qtbot, pane)
    pane.chain.select_step(trace.steps[0].handler.row_id)
    qtbot.waitUntil(lambda: "[truncated: 100000000 characters in all]" in pane.chain.details.error.toPlainText())
    error = trace.steps[0].error
    assert error.line == 2 and len(error.message) < 20_000
    assert "[truncated: 100000000 characters in all]" in error.message
    assert len(pane.chain.details.error.toPlainText()) < 50_000


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


def test_the_order_is_the_storefronts_or_the_documented_one_with_a_warning(qtbot, conn, make_pane, discounts):
    from plugin_studio.db import plugins

    older = plugins.create_plugin(conn, name="Older").id
    conn.execute("UPDATE plugin_registry SET created_at = now() - interval '1 day' WHERE id = %s", (older,))
    files.create_hook(conn, older, "label", "filter", "v => v + 'older:1 '", priority=1)
    files.create_hook(conn, discounts, "label", "filter", "v => v + 'discounts:50 '", priority=50)
    pane = make_pane(discounts)
    pane.set_scenario("label", "", [], mode="filter", order="storefront")
    assert run_to_end(qtbot, pane).final == "discounts:50 older:1 "   # the newest plugin first
    assert pane.warnings.isVisible() and "order differs" in pane.warnings.text()
    pane.set_scenario("label", "", [], mode="filter", order="priority")
    pane.chain.list.setFocus()
    assert run_to_end(qtbot, pane).final == "older:1 discounts:50 "


def test_canned_fetch_responses_belong_to_the_scenario(qtbot, conn, make_pane, discounts):
    files.create_event(conn, discounts, "cart.viewed",
                       "function (cart) {\n  fetch('/api/stats').then(r => r.json()).then(s => console.log('visits', s.visits));\n}")
    pane = make_pane(discounts)
    pane.set_scenario("cart.viewed", {}, [], mode="event", fetch=[{"url": "/api/stats", "body": {"visits": 4}}])
    [step] = run_to_end(qtbot, pane).steps
    assert [c["text"] for c in step.console] == ["GET /api/stats → 200 (canned)", "visits 4"]
    saved = pane.scenario.current_scenario()
    assert saved.fetch == [{"url": "/api/stats", "body": {"visits": 4}}]
    pane.scenario.fetch_edit.setPlainText('{"url": 1}')
    press(qtbot, pane, F5)
    assert "Fetch must be a JSON array of responses" in pane.status.text()


def test_a_plugin_the_storefront_does_not_run_is_marked_and_the_step_says_what_differs(qtbot, conn, make_pane):
    from plugin_studio.db import plugins

    draft = plugins.create_plugin(conn, name="Draft", status="inactive").id
    files.create_hook(conn, draft, "product.price", "filter", "p => { window.__seen = true; return p; }")
    pane = make_pane(draft)
    shown = pane.inspector.handlers_shown("product.price")
    assert shown[0][1] == "Draft (not active on the storefront)"
    pane.set_scenario("product.price", 1, [], mode="filter")
    trace = run_to_end(qtbot, pane)
    assert "Draft is not active on the storefront" in pane.warnings.text()
    pane.chain.select_step(trace.steps[0].handler.row_id)
    assert pane.chain.details.notes.toPlainText() == ""   # window is there on the storefront too
