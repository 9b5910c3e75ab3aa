"""The debugger's API: step one handler at a time, breakpoints (conditional, hit counts), stop."""
from __future__ import annotations

import pytest

from plugin_studio.models.chain import hook_handler
from plugin_studio.runner.chain import FILTER, Breakpoints, ChainSession, Handler
from plugin_studio.runner.errors import JsError, PayloadError


def chain() -> list[Handler]:
    codes = ["v => v + 1", "function (v, factor) { return v * factor }", "v => { if (v > 20) throw new Error('too big: ' + v); }",
             "v => v - 3"]
    return [hook_handler("p", f"row-{i}", f"hooks/h{i}.js", code, name="price", plugin_name="P")
            for i, code in enumerate(codes)]


def test_step_runs_one_handler_at_a_time_with_the_trace_so_far(host):
    session = ChainSession(host, chain(), FILTER, "price", 4, [3]).start()
    assert session.next_handler.row_id == "row-0"
    first = session.step()
    assert (first.input, first.output) == (4, 5) and session.value == 5
    assert len(session.trace.steps) == 1 and session.next_handler.row_id == "row-1"
    assert session.step().output == 15
    assert session.step().status == "kept"
    assert session.step().output == 12
    assert session.step() is None and session.finished
    assert session.trace.final == 12


def test_continue_pauses_before_a_breakpoint_then_runs_on(host):
    points = Breakpoints()
    points.add("row-2")
    session = ChainSession(host, chain(), FILTER, "price", 4, [3], breakpoints=points)
    pause = session.continue_()
    assert pause.reason == "breakpoint" and pause.handler.row_id == "row-2"
    assert [s.handler.row_id for s in session.trace.steps] == ["row-0", "row-1"]
    assert session.continue_().reason == "finished"
    assert session.trace.final == 12


def test_conditional_breakpoint_sees_value_and_args(host):
    points = Breakpoints()
    points.add("row-1", condition="value > 10 && args[0] === 3")
    assert ChainSession(host, chain(), FILTER, "price", 4, [3], breakpoints=points).continue_().reason == "finished"
    pause = ChainSession(host, chain(), FILTER, "price", 20, [3], breakpoints=points).continue_()
    assert pause.reason == "breakpoint" and pause.handler.row_id == "row-1"


def test_broken_condition_pauses_with_its_error(host):
    points = Breakpoints()
    points.add("row-1", condition="value.nope.deeper")
    pause = ChainSession(host, chain(), FILTER, "price", 4, [3], breakpoints=points).continue_()
    assert pause.reason == "condition_error" and isinstance(pause.error, JsError)
    assert "breakpoint condition failed" in str(pause.error)


def test_hit_count_pauses_from_the_nth_time(host):
    points = Breakpoints()
    bp = points.add("row-0", hit_count=3)
    reasons = [ChainSession(host, chain(), FILTER, "price", 1, [1], breakpoints=points).continue_().reason
               for _ in range(4)]
    assert reasons == ["finished", "finished", "breakpoint", "breakpoint"]
    assert bp.hits == 4


def test_pause_on_exception_and_stop(host):
    session = ChainSession(host, chain(), FILTER, "price", 10, [3], pause_on_exception=True)
    pause = session.continue_()
    assert pause.reason == "exception" and pause.handler.row_id == "row-2"
    assert "too big: 33" in str(pause.error)
    trace = session.stop()
    assert trace.stopped and [s.handler.row_id for s in trace.steps] == ["row-0", "row-1", "row-2"]
    assert session.step() is None


def test_unserialisable_value_fails_at_start(host):
    with pytest.raises(PayloadError):
        ChainSession(host, chain(), FILTER, "price", {1, 2}).start()


def test_infinity_goes_in_and_comes_out(host):
    session = ChainSession(host, chain(), FILTER, "price", float("inf"), [3]).start()
    assert session.step().output == float("inf")
