"""Hook and event chains against real PostgreSQL and real QuickJS, as the storefront runs them (DESIGN §5)."""
from __future__ import annotations

import math

import pytest

from plugin_studio.db import files, plugins
from plugin_studio.models.chain import PRIORITY
from plugin_studio.models.js_value import UNDEFINED
from plugin_studio.runner.chain import apply_filters, apply_filters_batch, do_action, emit
from plugin_studio.runner.chain_load import load_chain
from plugin_studio.runner.errors import JsError, PayloadError

TEN_PERCENT = "export default function (price) { return Math.round(price * 0.9 * 100) / 100; }"


def chain(conn, name="product.price", plugin=None, target="hook", order="storefront"):
    loaded = load_chain(conn, target, name, plugin, order)
    rows = loaded.rows if plugin is None else [h for h in loaded.rows if h.plugin_id == plugin]
    return rows, loaded.modules


def created(conn, plugin_id: str, when: str) -> None:
    conn.execute("UPDATE plugin_registry SET created_at = %s WHERE id = %s", (when, plugin_id))


def test_documented_example_chain_takes_two_ten_percent_discounts(conn, host, add_hook, cart_viewer, plugin):
    add_hook(plugin, TEN_PERCENT)
    handlers, modules = chain(conn)
    trace = apply_filters(host, handlers, "product.price", 100, modules=modules)
    assert [(s.input, s.output) for s in trace.steps] == [(100, 90), (90, 81)]
    assert trace.final == 81
    # newest plugin first: "Discounts" was created after the Cart Viewer starter
    assert [s.handler.plugin_name for s in trace.steps] == ["Discounts", "Cart Viewer"]


def test_storefront_runs_active_plugins_whatever_their_registry_flag_and_never_starter_templates(conn, host):
    """The platform leaves plugin_registry.is_enabled false by default; the storefront never reads it."""
    shown = []
    for name, props, listeners in (("Defaults", {"is_enabled": False}, 3), ("Enabled", {"is_enabled": True}, 2),
                                   ("Starter", {"is_starter_template": True}, 1), ("Draft", {"status": "inactive"}, 1)):
        plugin_id = plugins.create_plugin(conn, name=name, **props).id
        rows = [files.create_event(conn, plugin_id, "cart.viewed", f"d => {{ console.log('{name} {i}') }}")
                for i in range(listeners)]
        if name in ("Defaults", "Enabled"):
            shown += rows
    disabled = files.create_event(conn, plugins.find_plugin(conn, "Enabled").id, "cart.viewed", "d => d", enabled=False)
    handlers, modules = chain(conn, "cart.viewed", target="event")
    assert sorted(h.row_id for h in handlers) == sorted(shown) and len(handlers) == 5
    assert disabled not in [h.row_id for h in handlers]
    trace = emit(host, handlers, "cart.viewed", {}, modules)
    assert len(trace.steps) == 5 and not trace.errors


def test_storefront_order_is_plugin_by_plugin_newest_first_then_priority(conn, host):
    ids = {}
    for name, when in (("Oldest", "2024-01-01"), ("Middle", "2024-06-01"), ("Newest", "2025-01-01")):
        ids[name] = plugins.create_plugin(conn, name=name).id
        created(conn, ids[name], when)
    for name, priority in (("Oldest", 1), ("Newest", 50), ("Middle", 20), ("Newest", 5), ("Oldest", 30), ("Middle", 10)):
        files.create_hook(conn, ids[name], "cart.total", "filter", f"v => v + ' {name}:{priority}'", priority=priority)
    handlers, _ = chain(conn, "cart.total")
    trace = apply_filters(host, handlers, "cart.total", "")
    assert trace.final.split() == ["Newest:5", "Newest:50", "Middle:10", "Middle:20", "Oldest:1", "Oldest:30"]
    assert any("order differs" in w for w in trace.warnings)
    documented, _ = chain(conn, "cart.total", order=PRIORITY)
    assert apply_filters(host, documented, "cart.total", "").final.split() == [
        "Oldest:1", "Newest:5", "Middle:10", "Middle:20", "Oldest:30", "Newest:50"]


def test_ties_keep_registration_order_within_a_plugin(conn, host, add_hook, plugin):
    for letter in "CAB":
        add_hook(plugin, f"v => v + '{letter}'", priority=7)
    assert apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", "").final == "CAB"


def test_in_place_push_is_seen_downstream_and_in_the_final_value(conn, host):
    first = plugins.create_plugin(conn, name="Pusher").id
    second = plugins.create_plugin(conn, name="Reader").id
    created(conn, first, "2025-02-01")
    created(conn, second, "2025-01-01")
    files.create_hook(conn, first, "cart.processLoadedItems", "filter", "function (items) { items.push({sku: 'gift'}); }",
                      priority=1)
    files.create_hook(conn, first, "cart.processLoadedItems", "filter", "items => { console.log(items.length); }",
                      priority=2)
    files.create_hook(conn, second, "cart.processLoadedItems", "filter", "items => { items.push({sku: 'bag'}); }")
    handlers, modules = chain(conn, "cart.processLoadedItems")
    trace = apply_filters(host, handlers, "cart.processLoadedItems", [{"sku": "tea"}], modules=modules)
    assert trace.steps[0].status == "kept" and trace.steps[0].output == [{"sku": "tea"}, {"sku": "gift"}]
    assert trace.steps[1].console[0]["text"] == "2"
    assert trace.final == [{"sku": "tea"}, {"sku": "gift"}, {"sku": "bag"}]


def test_listeners_share_the_payload_object(conn, host, plugin):
    files.create_event(conn, plugin, "cart.viewed", "d => { d.seen = (d.seen || 0) + 1; }", priority=1)
    files.create_event(conn, plugin, "cart.viewed", "d => { console.log('seen', d.seen); }", priority=2)
    trace = emit(host, chain(conn, "cart.viewed", plugin, "event")[0], "cart.viewed", {"items": []})
    assert trace.steps[1].console[0]["text"] == "seen 1"
    assert trace.final == {"items": [], "seen": 1}


def test_action_hook_receives_the_value_first(conn, host, add_hook, plugin):
    add_hook(plugin, "function (order, ctx) { console.log('order', order.id, ctx); return 'ignored'; }",
             name="order.placed", hook_type="action")
    trace = do_action(host, chain(conn, "order.placed", plugin)[0], "order.placed", {"id": 7}, ["web"])
    assert trace.steps[0].console[0]["text"] == "order 7 web"
    assert trace.steps[0].returned == "ignored"


def test_an_action_row_in_a_filter_chain_is_used_like_a_filter_with_a_warning(conn, host, add_hook, plugin):
    add_hook(plugin, "v => v * 2", hook_type="action")
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 21)
    assert trace.final == 42
    assert any("`action` row in a chain applied as a filter" in w for w in trace.warnings)


def test_undefined_keeps_the_value(conn, host, add_hook, plugin):
    add_hook(plugin, "function (v) { console.log('saw', v); }", priority=1)
    add_hook(plugin, "v => v * 2", priority=2)
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 21)
    assert trace.steps[0].status == "kept" and trace.steps[0].output == 21
    assert [c["text"] for c in trace.steps[0].console] == ["saw 21"]
    assert trace.final == 42


def test_throwing_handler_is_skipped_and_reported_with_its_file_line(conn, host, add_hook, plugin):
    add_hook(plugin, "v => v + 1", priority=1)
    add_hook(plugin, "function (v) {\n  const limit = 10;\n  throw new Error('price too high: ' + v);\n}", priority=2)
    add_hook(plugin, "v => v * 10", priority=3)
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 1)
    failed = trace.steps[1]
    assert isinstance(failed.error, JsError)
    assert failed.error.message == "price too high: 2"
    assert failed.error.line == 3
    assert 9 <= failed.error.column <= len("  throw new Error('price too high: ' + v);")
    assert failed.handler.path == "hooks/product_price (2).js"
    assert f"hooks/product_price (2).js:3:{failed.error.column}" in failed.error.stack
    assert failed.output == 2 and trace.final == 20


def test_runtime_error_in_a_module_is_placed_on_its_own_line(conn, host, add_hook, plugin):
    add_hook(plugin, "import { x } from './nowhere';\nexport const RATE = 2;\nexport default function (v) {\n"
                     "  const cart = null;\n  return cart.total * RATE;\n}")
    step = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 1).steps[0]
    assert "nowhere" in step.error.message  # the import runs first: Module not found
    add_hook(plugin, "export const RATE = 2;\nexport default function (v) {\n  const cart = null;\n"
                     "  return cart.total * RATE;\n}", name="other.hook")
    step = apply_filters(host, chain(conn, "other.hook", plugin)[0], "other.hook", 1).steps[0]
    assert isinstance(step.error, JsError) and step.error.name == "TypeError"
    assert step.error.line == 4 and step.error.path == "hooks/other_hook.js"


def test_optional_chaining_and_nullish_coalescing_run_in_a_module(conn, host, add_hook, plugin):
    add_hook(plugin, "export const RATE = 0.5; export default function (cart) { return (cart?.total ?? 0) * RATE; }")
    handlers = chain(conn, plugin=plugin)[0]
    assert apply_filters(host, handlers, "product.price", {"total": 10}).final == 5
    assert apply_filters(host, handlers, "product.price", None).final == 0


def test_strict_mode_makes_an_implicit_global_a_reference_error(conn, host, add_hook, plugin):
    add_hook(plugin, "function (v) {\n  total = v * 2;\n  return total;\n}")
    step = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 1).steps[0]
    assert step.error.name == "ReferenceError" and step.error.message == "total is not defined"
    assert step.error.line == 2


def test_async_filter_hands_its_promise_on_with_a_note(conn, host, add_hook, plugin):
    add_hook(plugin, "async function (v) { return v + 1; }", priority=1)
    add_hook(plugin, "v => typeof v + ':' + String(v)", priority=2)
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 1)
    assert trace.final == "object:[object Promise]"
    assert any("hands the Promise itself on" in n for n in trace.steps[0].notes)


def test_timer_console_lines_belong_to_the_step_that_set_them(conn, host, add_hook, plugin):
    add_hook(plugin, "function (v) {\n  setTimeout(() => console.log('after 500 ms:', v), 500);\n  return v + 1;\n}",
             priority=1)
    add_hook(plugin, "v => { console.log('second'); return v; }", priority=2)
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 1)
    assert [c["text"] for c in trace.steps[0].console] == ["after 500 ms: 1"]
    assert [c["text"] for c in trace.steps[1].console] == ["second"]
    assert trace.timers["fired"] == 1


def test_intl_formats_as_a_browser_does(conn, host, add_hook, plugin):
    add_hook(plugin, "v => [new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD'}).format(v),\n"
                     "      new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR'}).format(v),\n"
                     "      v.toLocaleString('de-DE'),\n"
                     "      new Date(Date.UTC(2024, 0, 15, 12)).toLocaleDateString('de-DE', {timeZone: 'UTC'}),\n"
                     "      new Intl.DateTimeFormat('en-US', {dateStyle: undefined, year: 'numeric', month: 'long',"
                     " day: 'numeric', timeZone: 'UTC'}).format(new Date(Date.UTC(2024, 0, 15, 12)))]")
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 1234.5)
    assert trace.steps[0].error is None
    assert trace.final == ["$1,234.50", "1.234,50\u00a0€", "1.234,5", "15.1.2024", "January 15, 2024"]


def test_nan_infinity_and_negative_zero_survive_the_trace(conn, host, add_hook, plugin):
    add_hook(plugin, "v => [v / 0, -v / 0, 0 / 0, -0 * v, undefined]")
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 1)
    inf, neg_inf, nan, neg_zero, undefined = trace.final
    assert inf == math.inf and neg_inf == -math.inf and math.isnan(nan)
    assert neg_zero == 0 and math.copysign(1, neg_zero) < 0 and undefined == UNDEFINED
    assert trace.as_dict()["final"] == [{"$js": "Infinity"}, {"$js": "-Infinity"}, {"$js": "NaN"}, {"$js": "-0"},
                                        {"$js": "undefined"}]


def test_nan_goes_in_as_well(conn, host, add_hook, plugin):
    add_hook(plugin, "v => Number.isNaN(v.total) ? 'nan' : 'number'")
    assert apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", {"total": math.nan}).final == "nan"


def test_inactive_plugin_runs_only_when_asked_for_and_is_marked(conn, host, add_hook, cart_viewer, plugin):
    add_hook(plugin, "v => v + 1000")
    plugins.update_plugin(conn, plugin, {"status": "inactive"})
    assert [h.plugin_id for h in chain(conn)[0]] == [cart_viewer]
    handlers = chain(conn, plugin=plugin)[0]
    trace = apply_filters(host, handlers, "p", 1)
    assert trace.final == 1001
    assert any("not active on the storefront" in w for w in trace.warnings)


def test_one_failing_listener_does_not_stop_the_others(conn, host, cart_viewer, plugin):
    files.create_event(conn, plugin, "cart.viewed", "function (data) { return data.items.length.foo.bar; }", priority=1)
    handlers, modules = chain(conn, "cart.viewed", target="event")
    trace = emit(host, handlers, "cart.viewed", {"items": [{"price": 5, "quantity": 2}]}, modules)
    assert trace.steps[0].error is not None and "bar" in trace.steps[0].error.message
    assert trace.steps[1].returned == {"itemCount": 1, "total": 10}
    assert trace.steps[1].console[0]["text"] == "cart viewed: 1 item(s), total 10"


def test_unserialisable_payload_is_an_error_before_any_listener_runs(conn, host, cart_viewer):
    handlers, _ = chain(conn, "cart.viewed", target="event")
    with pytest.raises(PayloadError, match="event payload"):
        emit(host, handlers, "cart.viewed", {"when": object()})


def test_a_circular_return_value_is_kept_and_described(conn, host, add_hook, plugin):
    add_hook(plugin, "v => { const o = {n: 1}; o.self = o; return o; }", priority=1)
    add_hook(plugin, "o => o.self.self.n + 1", priority=2)
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 3)
    assert trace.steps[0].output["$js"] == "unserializable"  # shown as such; the next handler still gets the object
    assert trace.final == 2



def test_every_step_of_a_plain_run_keeps_its_values_time_and_console(host):
    """A run with no error, timer or Promise is answered by the runtime's own text: each step's value in
    and out as it was (numbers of every shape, strings that need escaping, objects changed in place)."""
    from plugin_studio.models.chain import hook_handler

    codes = ["v => -0", "v => { console.log('is', v); }", "v => -1.5e-7", "v => 1e21", "v => NaN",
             r"v => 'say \"hi\"\n\u00e9\u2028 \ud800'", "v => ({list: [v]})", "o => { o.list.push(2); }", "v => v"]
    handlers = [hook_handler("plain", f"r{i}", f"hooks/h{i}.js", code) for i, code in enumerate(codes)]
    trace = apply_filters(host, handlers, "p", 7)
    outputs = [s.output for s in trace.steps]
    assert [math.copysign(1, x) for x in outputs[:2]] == [-1, -1] and outputs[2:4] == [-1.5e-7, 1e21]
    assert math.isnan(outputs[4]) and outputs[5] == 'say "hi"\n\u00e9\u2028 \ud800'
    assert outputs[6:] == [{"list": [outputs[5]]}, {"list": [outputs[5], 2]}, {"list": [outputs[5], 2]}]
    assert [s.input for s in trace.steps][1:4] == [outputs[0], outputs[1], outputs[2]]
    assert trace.steps[1].status == "kept" and trace.steps[1].console[0]["text"] == "is -0"
    assert all(0 <= s.duration_ms < 1000 for s in trace.steps) and trace.final == outputs[-1]


def test_batch_gives_the_same_values_as_the_traced_chain(conn, host, add_hook, cart_viewer, plugin):
    add_hook(plugin, "v => { if (v === 100) throw new Error('hundred'); return v + 1; }", priority=20)
    add_hook(plugin, "function (v) { }", priority=30)
    handlers, modules = chain(conn)
    values = [100, 55.56, 7]
    traced = [apply_filters(host, handlers, "product.price", v, modules=modules).final for v in values]
    batch = apply_filters_batch(host, handlers, "product.price", values)
    assert batch["values"] == traced == [90, 50.9, 7.2]
    [(item, [(row_id, error)])] = batch["errors"]
    assert item == 0 and row_id == handlers[0].row_id and error.message == "hundred"



def test_batch_across_plugins_keeps_values_arguments_and_load_failures_per_value(host):
    """Each value has arguments of its own; what a plugin did to them reaches the next plugin; special
    values survive; a handler that does not load is an error of every value."""
    from plugin_studio.models.chain import hook_handler

    first = [hook_handler("batch-a", "a1", "hooks/a.js", "(v, ctx) => { ctx.seen = (ctx.seen || 0) + 1; "
                          "return typeof v === 'number' ? v * ctx.k : v; }"),
             hook_handler("batch-a", "a2", "hooks/b.js", "v => {")]
    second = [hook_handler("batch-b", "b1", "hooks/c.js", "(v, ctx) => (typeof v === 'number' ? v + ctx.seen : [v])")]
    values = [1, -0.0, math.inf, UNDEFINED, {"$js": "x"}]
    batch = apply_filters_batch(host, first + second, "p", values, [{"k": 10}])
    out = batch["values"]
    assert out[0] == 11 and out[2] == math.inf and out[3] == [UNDEFINED] and out[4] == [{"$js": "x"}]
    assert out[1] == 1  # -0 * 10 + 1: one "seen" per value, not counted across values
    assert [item for item, _ in batch["errors"]] == [0, 1, 2, 3, 4]
    assert all([row for row, _error in errors] == ["a2"] for _, errors in batch["errors"])


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
    trace = apply_filters(host, chain(conn, plugin=plugin)[0], "product.price", 41)
    assert trace.steps[0].error is None
    final = trace.final
    if "async" in code:  # the storefront hands the Promise on; in a chain of one that is the final value
        assert final.kind == "Promise"
    else:
        assert final == 42
