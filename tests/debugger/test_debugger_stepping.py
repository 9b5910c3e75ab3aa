"""Stepping through hook chains with the pane's own shortcuts, as a QA engineer would."""
from __future__ import annotations

import pytest

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QApplication

from plugin_studio.db import files
from plugin_studio.ui.debugger.stepping import MS, STATUS, VALUES

from .conftest import press

F5, F9, F10, F11 = Qt.Key.Key_F5, Qt.Key.Key_F9, Qt.Key.Key_F10, Qt.Key.Key_F11
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


def price_scenario(pane, value=100):
    pane.set_scenario("product.price", value, [{"id": "prod_tea"}], mode="filter")


def step(qtbot, pane, key=F10):
    with qtbot.waitSignal(pane.controller.session_paused) as paused:
        press(qtbot, pane, key)
    return paused.args


def run_to_end(qtbot, pane, key=F5, modifiers=Qt.KeyboardModifier.NoModifier):
    with qtbot.waitSignal(pane.controller.session_finished) as finished:
        press(qtbot, pane, key, modifiers)
    return finished.args[0]


def test_f10_steps_through_handlers_in_priority_then_registration_order(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    focused = []
    pane.handler_focused.connect(lambda *a: focused.append(a))

    assert step(qtbot, pane) == ["entry", 0]
    assert pane.chain.highlighted_rows() == [0]
    assert [r.row_id for r in pane.chain.rows] == price_chain
    assert focused[-1] == ("plugin_hooks", price_chain[0], 1)

    shown = []
    for expected_position in (1, 2):
        assert step(qtbot, pane) == ["step", expected_position]
        assert pane.chain.highlighted_rows() == [expected_position]
        assert focused[-1] == ("plugin_hooks", price_chain[expected_position], 1)
        shown.append(pane.chain.row_text(expected_position - 1)[VALUES])
    trace = run_to_end(qtbot, pane, F10)
    shown.append(pane.chain.row_text(2)[VALUES])

    assert shown == ["100 → 90", "90 → 81", "81 → 72.9"]
    assert trace.final == 72.9
    assert pane.chain.highlighted_rows() == []
    assert "final value 72.9" in pane.status.text()
    assert all(float(pane.chain.row_text(i)[MS]) >= 0 for i in range(3))
    # the last step's details: in, out and the diff between them
    assert pane.chain.details.value_in.toPlainText() == "81"
    assert pane.chain.details.value_out.toPlainText() == "72.9"
    assert pane.chain.details.diff.item(0).text() == "~ value: 81 → 72.9"


def test_breakpoint_on_the_second_handler_stops_there_on_run(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    pane.toggle_breakpoint_for_row(price_chain[1])
    assert pane.breakpoint_rows() == {price_chain[1]}

    reason, position = step(qtbot, pane, F5)
    assert (reason, position) == ("breakpoint", 1)
    assert pane.chain.highlighted_rows() == [1]
    assert pane.chain.row_text(0)[VALUES] == "100 → 90"
    assert pane.chain.row_text(1)[VALUES] == ""   # not run yet
    assert "breakpoint" in pane.status.text() and "value now 90" in pane.status.text()

    assert run_to_end(qtbot, pane).final == 72.9


def test_breakpoint_toggled_from_the_list_and_with_f9(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    assert pane.inspector.choose("product.price")
    row_rect = pane.chain.list.visualItemRect(pane.chain.list.topLevelItem(2))
    with qtbot.waitSignal(pane.breakpoints_changed):   # a click in the breakpoint column
        qtbot.mouseClick(pane.chain.list.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(6, row_rect.center().y()))
    assert pane.breakpoint_rows() == {price_chain[2]}
    assert pane.chain.row_text(2)[0] == "●"
    pane.chain.list.setCurrentItem(pane.chain.list.topLevelItem(2))
    press(qtbot, pane, F9)
    assert pane.breakpoint_rows() == set()
    assert run_to_end(qtbot, pane).final == 72.9


def test_conditional_breakpoint_stops_only_when_its_condition_holds(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    assert pane.inspector.choose("product.price")
    pane.chain.list.setCurrentItem(pane.chain.list.topLevelItem(1))
    bar = pane.chain.breakpoint_bar
    qtbot.keyClicks(bar.condition, "value < 50 && args[0].id === 'prod_tea'")
    with qtbot.waitSignal(pane.breakpoints_changed):
        qtbot.mouseClick(bar.apply, Qt.MouseButton.LeftButton)
    assert pane.chain.row_text(1)[0] == "●"

    pane.chain.list.setFocus()
    trace = run_to_end(qtbot, pane)   # value is 90 at the second handler: no stop
    assert trace.final == 72.9 and len(trace.steps) == 3

    price_scenario(pane, 40)          # 40 → 36 < 50: stops
    assert step(qtbot, pane, F5) == ["breakpoint", 1]
    assert run_to_end(qtbot, pane).final == 29.16


def test_hit_count_stops_from_the_nth_time(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    pane.set_breakpoint(price_chain[0], hit_count=2)
    assert len(run_to_end(qtbot, pane).steps) == 3
    assert step(qtbot, pane, F5) == ["breakpoint", 0]


def test_a_throwing_handler_shows_its_error_and_line_and_the_chain_goes_on(qtbot, conn, make_pane, discounts,
                                                                            price_chain):
    files.save_code(conn, "plugin_hooks", price_chain[1],
                    "export default function (price) {\n  const limit = 10;\n  throw new Error('no discount today');\n}\n",
                    files.fetch_code(conn, "plugin_hooks", price_chain[1]))
    pane = make_pane(discounts)
    price_scenario(pane)
    failures = []
    pane.handler_failed.connect(lambda *a: failures.append(a))
    focused = []
    pane.handler_focused.connect(lambda *a: focused.append(a))

    trace = run_to_end(qtbot, pane)

    assert trace.final == 81   # 100 → 90, the thrower keeps 90, → 81
    status = pane.chain.row_text(1)[STATUS]
    assert "no discount today" in status and "line 3" in status
    [(table, row_id, line, column, message)] = failures
    assert (table, row_id, line) == ("plugin_hooks", price_chain[1], 3) and column >= 1
    # the path is the one the file tree shows for this row: the plugin's second product.price file
    assert message == "Error: no discount today (hooks/product_price (2).js:3:13)"
    assert ("plugin_hooks", price_chain[1], 3) in focused
    pane.chain.select_step(price_chain[1])
    error_text = pane.chain.details.error.toPlainText()
    assert "Error: no discount today" in error_text and "line 3" in error_text and "hooks/product_price (2).js:3" in error_text
    assert "failed" in pane.status.text()


def test_pause_on_exceptions_stops_after_the_failing_handler(qtbot, conn, make_pane, discounts, price_chain):
    files.save_code(conn, "plugin_hooks", price_chain[0], "v => { throw new TypeError('bad price') }",
                    files.fetch_code(conn, "plugin_hooks", price_chain[0]))
    pane = make_pane(discounts)
    price_scenario(pane)
    pane.pause_on_exception.setChecked(True)
    pane.chain.list.setFocus()
    assert step(qtbot, pane, F5) == ["exception", 1]
    assert "TypeError" in pane.chain.row_text(0)[STATUS]
    assert run_to_end(qtbot, pane).final == 81


def test_stop_leaves_the_pane_ready_for_the_next_run(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    step(qtbot, pane)
    step(qtbot, pane)
    with qtbot.waitSignal(pane.controller.session_finished) as stopped:
        press(qtbot, pane, F5, SHIFT)
    assert stopped.args[0].stopped and len(stopped.args[0].steps) == 1
    assert pane.controller.state == "idle" and pane.chain.highlighted_rows() == []
    assert "Stopped after 1 of 3" in pane.status.text()

    trace = run_to_end(qtbot, pane)
    assert trace.final == 72.9 and len(trace.steps) == 3 and not trace.stopped
    assert [pane.chain.row_text(i)[VALUES] for i in range(3)] == ["100 → 90", "90 → 81", "81 → 72.9"]


def test_restart_runs_the_scenario_again_from_the_start(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    pane.toggle_breakpoint_for_row(price_chain[2])
    assert step(qtbot, pane, F5) == ["breakpoint", 2]
    price_scenario(pane, 200)
    with qtbot.waitSignal(pane.controller.session_paused) as paused:
        press(qtbot, pane, F5, CTRL | SHIFT)
    assert paused.args == ["breakpoint", 2]
    assert pane.chain.row_text(0)[VALUES] == "200 → 180"


def test_step_into_shows_the_handlers_console_and_focuses_it(qtbot, conn, make_pane, discounts, price_chain):
    files.save_code(conn, "plugin_hooks", price_chain[0],
                    "export default function (price) {\n  console.log('price in', price);\n  return price * 0.9;\n}\n",
                    files.fetch_code(conn, "plugin_hooks", price_chain[0]))
    pane = make_pane(discounts)
    price_scenario(pane)
    step(qtbot, pane, F11)    # start: paused before the first handler
    focused = []
    pane.handler_focused.connect(lambda *a: focused.append(a))
    step(qtbot, pane, F11)
    assert focused == [("plugin_hooks", price_chain[0], 1)]
    details = pane.chain.details
    assert details.currentIndex() == 1 and details.tabText(1) == "Console (1)"
    assert details.console.toPlainText() == "[log] price in 100"


def test_watch_expressions_are_evaluated_after_each_step(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    for expression in ("value * 2", "args[0].id", "value.nope.deeper"):
        qtbot.keyClicks(pane.watch.entry, expression)
        qtbot.keyClick(pane.watch.entry, Qt.Key.Key_Return)
    pane.chain.list.setFocus()
    with qtbot.waitSignal(pane.controller.watches_evaluated):
        step(qtbot, pane)
    assert pane.watch.value_text("value * 2") == "200"
    assert pane.watch.value_text("args[0].id") == '"prod_tea"'
    assert "TypeError" in pane.watch.value_text("value.nope.deeper")
    step(qtbot, pane)
    assert pane.watch.value_text("value * 2") == "180"


def test_a_name_nothing_registers_for_can_be_typed_and_run(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    pane.set_scenario("checkout.total", {"total": 12}, [], mode="filter")
    trace = run_to_end(qtbot, pane)
    assert trace.steps == [] and trace.final == {"total": 12}
    assert 'final value {"total": 12}' in pane.status.text()


def test_bad_json_is_refused_with_where_it_is_wrong_and_kept(qtbot, make_pane, discounts, price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    pane.scenario.value_edit.setPlainText('{"price": 100,,}')
    press(qtbot, pane, F5)
    assert pane.controller.state == "idle"
    assert "Value is not valid JSON" in pane.status.text() and "line 1, column 15" in pane.status.text()
    assert pane.scenario.value_edit.toPlainText() == '{"price": 100,,}'


def test_events_are_emitted_to_their_listeners(qtbot, make_pane, cart_viewer):
    pane = make_pane(cart_viewer)
    assert pane.inspector.choose("cart.viewed")
    assert pane.scenario.mode_combo.currentText() == "event"
    pane.scenario.apply_sample("A cart with items")
    pane.chain.list.setFocus()
    trace = run_to_end(qtbot, pane)
    assert [s.returned for s in trace.steps] == [{"itemCount": 2, "total": 57.5}]   # EventSystem ignores it
    pane.chain.select_step(trace.steps[0].handler.row_id)
    assert pane.chain.details.console.toPlainText() == "[log] cart viewed: 2 item(s), total 57.5"


@pytest.mark.time_limit
def test_a_runaway_handler_is_stopped_by_the_time_limit_and_the_chain_goes_on(qtbot, conn, make_pane, discounts,
                                                                              price_chain):
    files.save_code(conn, "plugin_hooks", price_chain[0], "v => { while (true) {} }",
                    files.fetch_code(conn, "plugin_hooks", price_chain[0]))
    pane = make_pane(discounts)
    price_scenario(pane)
    press(qtbot, pane, F5)
    press(qtbot, pane, F5, SHIFT)          # stop while the handler still runs: the pane is free at once
    assert pane.controller.state == "idle"
    trace = run_to_end(qtbot, pane)        # queued behind the runaway call, then runs in a fresh worker
    assert trace.final == 81
    assert "JsTimeout" in pane.chain.row_text(0)[STATUS] or "timeout" in pane.chain.row_text(0)[STATUS].lower()


def test_actions_get_the_value_first_then_the_extra_args(qtbot, conn, make_pane, discounts):
    files.create_hook(conn, discounts, "order.created", "action",
                      "export default function (order, customer) {\n  console.log(order.id, customer);\n  return 'ignored';\n}")
    pane = make_pane(discounts)
    assert pane.inspector.choose("order.created")
    assert pane.scenario.mode_combo.currentText() == "action"
    assert pane.scenario.value_edit.isEnabled()
    pane.scenario.value_edit.setPlainText('{"id": "ord_1"}')
    pane.scenario.args_edit.setPlainText('["ada"]')
    trace = run_to_end(qtbot, pane)
    assert trace.kind == "action" and trace.steps[0].status == "ok"
    assert [(c["level"], c["text"]) for c in trace.steps[0].console] == [("log", "ord_1 ada")]
    assert "1 ran" in pane.status.text()


def test_a_pane_without_a_bridge_makes_and_closes_its_own(qtbot, dsn, discounts, price_chain):
    from plugin_studio.ui.debugger import DebuggerPane

    pane = DebuggerPane(dsn)
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.registrations_loaded):
        pane.set_plugin(discounts)
    price_scenario(pane)
    with qtbot.waitSignal(pane.controller.session_finished) as finished:
        pane.run_or_continue()
    assert finished.args[0].final == 72.9
    worker = pane.runner.resource.host.pid
    pane.shutdown()
    assert worker is not None and not pane.runner.resource.host.running



class LayoutRequests(QObject):
    """Records re-layouts (LayoutRequest events) of widgets, all of the application's or only ``widgets``:
    a step that causes one moves and repaints far more than it changed."""

    def __init__(self, *widgets):
        super().__init__()
        self.seen: list[str] = []
        self.watched = widgets
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.LayoutRequest and (not self.watched or watched in self.watched):
            self.seen.append(type(watched).__name__)
        return False

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)


def deliver_pending_layout_requests() -> None:
    """Deliver every LayoutRequest still queued, and those they queue in turn, until none is left.

    Qt queues a re-layout as a posted event; delivering them all now is what makes "no re-layout
    happened" provable without waiting some milliseconds for one that might still come.
    """
    delivered = LayoutRequests()
    try:
        while True:
            before = len(delivered.seen)
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            if len(delivered.seen) == before:
                return
    finally:
        delivered.stop()


def test_a_step_repaints_what_changed_without_re_laying_out_the_chain_or_toolbar(qtbot, make_pane, discounts,
                                                                                 price_chain):
    pane = make_pane(discounts)
    price_scenario(pane)
    step(qtbot, pane)
    deliver_pending_layout_requests()  # the first pause lays out the chain; count from the next steps on
    requests = LayoutRequests(pane.chain, pane.chain.breakpoint_bar, pane.toolbar)
    assert step(qtbot, pane) == ["step", 1]
    assert step(qtbot, pane) == ["step", 2]
    deliver_pending_layout_requests()
    requests.stop()
    assert pane.chain.breakpoint_bar.label.text() == "Breakpoint on product_price (2).js:"  # the step just run
    assert pane.actions_by_name["run"].text() == "▶ Continue"
    assert requests.seen == []
