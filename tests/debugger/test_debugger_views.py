"""The inspector, saved scenarios and breakpoints, timing and compare, through the pane."""
from __future__ import annotations

import json
import statistics

from PySide6.QtCore import Qt

from plugin_studio.db import files, plugins
from plugin_studio.models.debugger import BreakpointStore, ScenarioStore, percentile

SLOW = "// slow on purpose\nexport default function (price) {\n  let x = 0;\n  for (let i = 0; i < 200000; i++) x += i;\n  return price * 0.9;\n}\n"


def test_inspector_lists_every_name_with_handlers_in_execution_order(qtbot, conn, make_pane, discounts, price_chain,
                                                                     cart_viewer):
    files.set_enabled(conn, "plugin_hooks", price_chain[2], False)
    idle = plugins.create_plugin(conn, name="Idle", status="inactive").id
    files.create_hook(conn, idle, "product.price", "filter", "v => v", priority=1)
    files.create_event(conn, idle, "order.created", "d => d")
    pane = make_pane(discounts)

    assert pane.inspector.visible_names() == ["cart.viewed", "product.price"]   # not the inactive plugin's
    shown = pane.inspector.handlers_shown("product.price")
    assert [row[0] for row in shown] == [   # as the file tree names them, in the storefront's order
        "product_price.js", "product_price.js", "product_price (2).js", "product_price (3).js"]
    assert [row[1:] for row in shown] == [   # the newest plugin (Cart Viewer, cloned last) first
        ["Cart Viewer", "10", "filter", "yes"],
        ["Discounts", "5", "filter", "yes"], ["Discounts", "10", "filter", "yes"], ["Discounts", "10", "filter", "no"]]
    order = [r.row_id for r in pane.inspector.registrations().for_name("hook", "product.price")]
    assert order[1:] == price_chain

    qtbot.keyClicks(pane.inspector.filter_edit, "cart")
    assert pane.inspector.visible_names() == ["cart.viewed"]
    pane.inspector.filter_edit.clear()
    pane.inspector.plugin_combo.setCurrentIndex(pane.inspector.plugin_combo.findText("Discounts"))
    assert pane.inspector.visible_names() == ["product.price"]
    assert len(pane.inspector.handlers_shown("product.price")) == 3

    pane.inspector.plugin_combo.setCurrentIndex(0)   # all plugins
    with qtbot.waitSignal(pane.registrations_loaded):
        pane.set_plugin(idle)   # the plugin being edited counts even when inactive
    assert pane.inspector.visible_names() == ["cart.viewed", "order.created", "product.price"]
    assert pane.inspector.handlers_shown("product.price")[0][1:] == [
        "Idle (not active on the storefront)", "1", "filter", "yes"]


def test_inspector_choice_fills_the_scenario_and_shows_the_chain(qtbot, conn, make_pane, discounts, price_chain):
    files.set_enabled(conn, "plugin_hooks", price_chain[1], False)
    pane = make_pane(discounts)
    assert pane.inspector.choose("product.price")
    assert pane.scenario.name_combo.currentText() == "product.price"
    assert pane.scenario.mode_combo.currentText() == "filter"
    assert [r.row_id for r in pane.chain.rows] == [price_chain[0], price_chain[2]]   # what will run


def test_refresh_shows_handlers_added_since(qtbot, conn, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    files.create_hook(conn, discounts, "cart.total", "action", "() => {}")
    with qtbot.waitSignal(pane.registrations_loaded):
        pane.refresh()
    assert "cart.total" in pane.inspector.visible_names()
    assert pane.inspector.handlers_shown("cart.total")[0][3] == "action"


def test_scenarios_are_saved_per_plugin_and_reused(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    pane.set_scenario("product.price", None, mode="filter")
    pane.scenario.apply_sample("Price 100 with its product")
    pane.scenario.scenario_name.setText("full price tea")
    qtbot.mouseClick(pane.scenario.save_button, Qt.MouseButton.LeftButton)
    saved = json.loads(ScenarioStore().path(discounts).read_text())
    assert saved[0]["name"] == "full price tea" and saved[0]["value"] == 100 and saved[0]["args"][0]["id"] == "prod_tea"

    again = make_pane(discounts)
    assert [s.name for s in again.scenario.scenarios()] == ["full price tea"]
    again.scenario.saved_combo.setCurrentIndex(0)
    again.scenario.saved_combo.activated.emit(0)
    assert again.scenario.request(discounts).value == 100
    other = make_pane(None)
    assert other.scenario.scenarios() == []

    again.scenario.saved_combo.setCurrentIndex(0)
    qtbot.mouseClick(again.scenario.delete_button, Qt.MouseButton.LeftButton)
    assert again.scenario.scenarios() == [] and json.loads(ScenarioStore().path(discounts).read_text()) == []


def test_saving_a_scenario_with_bad_json_says_why(qtbot, make_pane, discounts):
    pane = make_pane(discounts)
    pane.set_scenario("product.price", 1)
    pane.scenario.args_edit.setPlainText("{}")
    qtbot.mouseClick(pane.scenario.save_button, Qt.MouseButton.LeftButton)
    assert "Extra args must be a JSON array" in pane.status.text()
    assert not ScenarioStore().path(discounts).exists()


def test_a_corrupt_scenario_file_is_ignored_and_kept_aside(qtbot, make_pane, discounts, caplog):
    path = ScenarioStore().path(discounts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[{not json")
    pane = make_pane(discounts)
    assert pane.scenario.scenarios() == []
    assert "unreadable" in caplog.text
    assert [p.read_text() for p in path.parent.glob(path.name + ".corrupt-*")] == ["[{not json"]


def test_breakpoints_persist_per_plugin_and_tell_the_editor(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    with qtbot.waitSignal(pane.breakpoints_changed):
        pane.toggle_breakpoint_for_row(price_chain[1])
    pane.set_breakpoint(price_chain[2], "value > 1", 3)
    stored = json.loads(BreakpointStore().path(discounts).read_text())
    assert stored[1] == {"row_id": price_chain[2], "condition": "value > 1", "hit_count": 3, "enabled": True}

    again = make_pane(discounts)
    assert again.breakpoint_rows() == {price_chain[1], price_chain[2]}
    assert again.breakpoints.get(price_chain[2]).condition == "value > 1"
    assert make_pane(None).breakpoint_rows() == set()


def test_timing_run_draws_medians_from_the_runners_traces(qtbot, conn, make_pane, discounts, price_chain):
    files.save_code(conn, "plugin_hooks", price_chain[1], SLOW, files.fetch_code(conn, "plugin_hooks", price_chain[1]))
    pane = make_pane(discounts)
    pane.set_scenario("product.price", 100, [], mode="filter")
    pane.timing.iterations.setValue(100)
    with qtbot.waitSignal(pane.measure.timing_finished):
        qtbot.mouseClick(pane.timing.run_button, Qt.MouseButton.LeftButton)

    traces = pane.last_timing.traces
    assert len(traces) == 100 and all(t.final == 72.9 for t in traces)
    per_handler = [[t.steps[i].duration_ms for t in traces] for i in range(3)]
    assert [t.steps[1].handler.row_id for t in traces] == [price_chain[1]] * 100
    medians = [statistics.median(d) for d in per_handler]
    assert pane.timing.chart_heights() == medians
    cells = pane.timing.table_cells()
    assert [c[1] for c in cells] == ["100"] * 3
    assert [c[2] for c in cells] == [f"{m:.3f}" for m in medians]
    assert [c[3] for c in cells] == [f"{percentile(d, 95):.3f}" for d in per_handler]
    colours = pane.timing.chart_colours()
    assert colours[1] != colours[0] == colours[2]   # the slow loop stands out
    assert "slowest: #2" in pane.timing.summary.text()


def test_compare_shows_the_chain_with_and_without_a_handler(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    pane.set_scenario("product.price", 100, [], mode="filter")
    assert pane.inspector.choose("product.price")
    pane.tabs.setCurrentWidget(pane.compare)
    assert pane.compare.choose("row", price_chain[1])
    with qtbot.waitSignal(pane.measure.compare_finished):
        qtbot.mouseClick(pane.compare.run_button, Qt.MouseButton.LeftButton)
    assert pane.compare.left.toPlainText().startswith("final value:\n72.9\n")
    assert pane.compare.right.toPlainText().startswith("final value:\n81\n")
    assert pane.compare.diff.item(0).text() == "~ final: 72.9 → 81"

    assert pane.compare.choose("plugin", discounts)
    with qtbot.waitSignal(pane.measure.compare_finished):
        qtbot.mouseClick(pane.compare.run_button, Qt.MouseButton.LeftButton)
    assert pane.compare.right.toPlainText().startswith("final value:\n100\n")
    assert "(no handler ran)" in pane.compare.right.toPlainText()
