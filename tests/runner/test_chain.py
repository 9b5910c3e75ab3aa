"""Hook and event chains against real PostgreSQL and real QuickJS (DESIGN §5)."""
from __future__ import annotations

import math

import pytest

from plugin_studio.db import files, plugins
from plugin_studio.runner.chain import apply_filters, do_action, emit, handlers_from_db
from plugin_studio.runner.errors import JsError, PayloadError

TEN_PERCENT = "export default function (price) { return Math.round(price * 0.9 * 100) / 100; }"


def test_documented_example_chain_takes_two_ten_percent_discounts(conn, host, add_hook, cart_viewer, plugin):
    add_hook(plugin, TEN_PERCENT)
    handlers, modules = handlers_from_db(conn, "hook", "product.price")
    trace = apply_filters(host, handlers, "product.price", 100, modules=modules)
    assert [(s.input, s.output) for s in trace.steps] == [(100, 90), (90, 81)]
    assert trace.final == 81
    assert [s.handler.plugin_name for s in trace.steps] == ["Cart Viewer", "Discounts"]
    assert trace.steps[0].handler.path == "hooks/product_price.js"


def test_lower_priority_runs_first(conn, host, add_hook, plugin):
    add_hook(plugin, "(v) => v + 'B'", priority=10)
    add_hook(plugin, "(v) => v + 'A'", priority=5)
    handlers, _ = handlers_from_db(conn, "hook", "product.price", plugin)
    trace = apply_filters(host, handlers, "product.price", "x")
    assert trace.final == "xAB"
    assert [s.handler.priority for s in trace.steps] == [5, 10]


def test_ties_run_in_registration_order(conn, host, add_hook, plugin):
    for letter in "CAB":
        add_hook(plugin, f"v => v + '{letter}'", priority=7)
    trace = apply_filters(host, handlers_from_db(conn, "hook", "product.price", plugin)[0], "product.price", "")
    assert trace.final == "CAB"


def test_undefined_keeps_the_value(conn, host, add_hook, plugin):
    add_hook(plugin, "function (v) { console.log('saw', v); }", priority=1)
    add_hook(plugin, "v => v * 2", priority=2)
    trace = apply_filters(host, handlers_from_db(conn, "hook", "product.price", plugin)[0], "product.price", 21)
    assert trace.steps[0].status == "kept" and trace.steps[0].output == 21
    assert trace.steps[0].console == [{"level": "log", "text": "saw 21"}]
    assert trace.final == 42


def test_throwing_handler_is_skipped_and_reported_with_its_line(conn, host, add_hook, plugin):
    add_hook(plugin, "v => v + 1", priority=1)
    add_hook(plugin, "function (v) {\n  const limit = 10;\n  throw new Error('price too high: ' + v);\n}",
             priority=2)
    add_hook(plugin, "v => v * 10", priority=3)
    trace = apply_filters(host, handlers_from_db(conn, "hook", "product.price", plugin)[0], "product.price", 1)
    failed = trace.steps[1]
    assert isinstance(failed.error, JsError)
    assert failed.error.message == "price too high: 2"
    assert failed.error.line == 3  # QuickJS places the column somewhere inside the throwing expression
    assert 9 <= failed.error.column <= len("  throw new Error('price too high: ' + v);")
    # The stack names the file as the tree shows it: the second product.price hook is "product_price (2).js".
    assert failed.handler.path == "hooks/product_price (2).js"
    assert f"hooks/product_price (2).js:3:{failed.error.column}" in failed.error.stack
    assert failed.output == 2
    assert trace.final == 20


def test_async_filter_is_awaited_with_timers_in_virtual_time(conn, host, add_hook, plugin):
    add_hook(plugin, "async function (v) {\n  await new Promise(r => setTimeout(r, 600000));\n  return v + 1;\n}")
    add_hook(plugin, "async (v) => (await Promise.resolve(v)) * 3")
    trace = apply_filters(host, handlers_from_db(conn, "hook", "product.price", plugin)[0], "product.price", 1)
    assert [s.output for s in trace.steps] == [2, 6]
    # Ten minutes of virtual time, not real time: waiting them out would have hit the time limit.
    assert [s.error for s in trace.steps] == [None, None]
    assert host.limits.timeout_ms < 600_000


SHAPES = {
    "anonymous function": "function (p) { return p + 1 }",
    "named function": "function addOne(p) { return p + 1 }",
    "async function": "async function (p) { return p + 1 }",
    "arrow function": "(p) => p + 1",
    "arrow without parentheses, semicolon": "p => p + 1;",
    "export default function": "export default function (p) { return p + 1 }",
    "export default async named": "export default async function addOne(p) { return p + 1 };",
    "export default arrow": "export default (p) => p + 1;",
    "module.exports": "module.exports = function (p) { return p + 1 };",
    "module.exports with helper": "const one = 1;\nfunction add(p) { return p + one }\nmodule.exports = add;",
    "leading comments": "// adds one\n/* block\n comment */\nfunction (p) { return p + 1 };;",
    "export default with helper after": "export default function (p) { return helper(p) }\nfunction helper(p) { return p + 1 }",
    "helpers then export default": "const one = 1;\nexport default function (p) { return p + one }",
    "exports.default": "exports.default = p => p + 1;",
}


@pytest.mark.parametrize("code", SHAPES.values(), ids=SHAPES.keys())
def test_every_code_shape_loads(conn, host, add_hook, plugin, code):
    add_hook(plugin, code)
    trace = apply_filters(host, handlers_from_db(conn, "hook", "product.price", plugin)[0], "product.price", 41)
    assert trace.steps[0].error is None
    assert trace.final == 42


def test_handlers_of_inactive_and_disabled_plugins_do_not_run(conn, host, add_hook, cart_viewer, plugin):
    add_hook(plugin, "v => v + 1000")
    plugins.update_plugin(conn, plugin, {"status": "inactive"})
    row = handlers_from_db(conn, "hook", "product.price")[0][0].row_id
    assert [h.plugin_id for h in handlers_from_db(conn, "hook", "product.price")[0]] == [cart_viewer]
    files.set_enabled(conn, "plugin_hooks", row, False)
    assert handlers_from_db(conn, "hook", "product.price")[0] == []
    # one plugin asked for by id runs even when inactive
    assert apply_filters(host, handlers_from_db(conn, "hook", "product.price", plugin)[0], "p", 1).final == 1001


def test_action_return_value_is_ignored(conn, host, add_hook, plugin):
    add_hook(plugin, "function (order) { console.log('order', order.id); return 'ignored'; }",
             name="order.placed", hook_type="action")
    trace = do_action(host, handlers_from_db(conn, "hook", "order.placed", plugin)[0], "order.placed", [{"id": 7}])
    assert trace.steps[0].console[0]["text"] == "order 7"
    assert trace.final is None


def test_one_failing_listener_does_not_stop_the_others(conn, host, add_hook, cart_viewer, plugin):
    files.create_event(conn, plugin, "cart.viewed", "function (data) { return data.items.length.foo.bar; }", priority=1)
    handlers, modules = handlers_from_db(conn, "event", "cart.viewed")
    trace = emit(host, handlers, "cart.viewed", {"items": [{"price": 5, "quantity": 2}]}, modules)
    assert trace.steps[0].error is not None and "bar" in trace.steps[0].error.message
    assert trace.steps[1].output == {"itemCount": 1, "total": 10}
    assert trace.steps[1].console[0]["text"] == "cart viewed: 1 item(s), total 10"


def test_unserialisable_payload_is_an_error_before_any_listener_runs(conn, host, add_hook, cart_viewer):
    handlers, _ = handlers_from_db(conn, "event", "cart.viewed")
    before = host.call("ping")["contexts"]
    with pytest.raises(PayloadError, match="event payload"):
        emit(host, handlers, "cart.viewed", {"total": math.nan})
    with pytest.raises(PayloadError):
        emit(host, handlers, "cart.viewed", {"when": object()})
    assert host.call("ping")["contexts"] == before


def test_unserialisable_return_value_is_reported_and_value_kept(conn, host, add_hook, plugin):
    add_hook(plugin, "v => { const o = {}; o.self = o; return o; }")
    trace = apply_filters(host, handlers_from_db(conn, "hook", "product.price", plugin)[0], "product.price", 3)
    assert "can't be serialised" in trace.steps[0].error.message
    assert trace.final == 3


def test_batch_gives_the_same_values_as_the_traced_chain(conn, host, add_hook, cart_viewer, plugin):
    from plugin_studio.runner.chain import apply_filters_batch

    add_hook(plugin, "v => { if (v === 50) throw new Error('fifty'); return v + 1; }", priority=20)
    add_hook(plugin, "async function (v) { await null; }", priority=30)
    handlers, modules = handlers_from_db(conn, "hook", "product.price")
    values = [100, 55.56, 7]  # 55.56 is 50 after the template's 10% off
    traced = [apply_filters(host, handlers, "product.price", v, modules=modules).final for v in values]
    batch = apply_filters_batch(host, handlers, "product.price", values)
    assert batch["values"] == traced == [91, 50, 7.3]
    [(item, [(row_id, error)])] = batch["errors"]
    assert item == 1 and row_id == handlers[1].row_id and error.message == "fifty"
