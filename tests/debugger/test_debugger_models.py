"""The debugger's pure parts: chains from the database, JSON input and diff, timing stats, stores."""
from __future__ import annotations

import json

import pytest

from plugin_studio.db import files, plugins
from plugin_studio.models.debugger import (
    BreakpointSpec, BreakpointStore, Change, InputError, Scenario, ScenarioStore, json_diff, parse_args, parse_json,
    percentile, slowest, timing_stats, upsert_scenario,
)
from plugin_studio.runner.chain_load import load_chain, load_registrations


def test_load_chain_takes_active_plugins_and_the_edited_one_in_storefront_order(conn, discounts, price_chain):
    draft = plugins.create_plugin(conn, name="Draft", status="inactive").id
    early = files.create_hook(conn, draft, "product.price", "filter", "v => v", priority=7)
    files.set_enabled(conn, "plugin_hooks", price_chain[2], False)

    assert [r.row_id for r in load_chain(conn, "hook", "product.price").rows] == price_chain[:2]
    chain = load_chain(conn, "hook", "product.price", draft)
    # plugin by plugin, newest first: the draft was created last
    assert [r.row_id for r in chain.rows] == [early, price_chain[0], price_chain[1]]
    assert [r.on_storefront for r in chain.rows] == [False, True, True]
    priority = load_chain(conn, "hook", "product.price", draft, "priority")
    assert [r.row_id for r in priority.rows] == [price_chain[0], early, price_chain[1]]
    assert {r.plugin_name for r in chain.rows} == {"Discounts", "Draft"}
    assert set(chain.modules) == {discounts, draft}
    assert load_chain(conn, "event", "nothing.here").rows == []


def test_registrations_include_disabled_rows_of_plugins_in_scope(conn, discounts, price_chain):
    files.set_enabled(conn, "plugin_hooks", price_chain[0], False)
    data = load_registrations(conn, None)
    assert [(r.row_id, r.enabled) for r in data.for_name("hook", "product.price")] == \
        [(price_chain[0], False), (price_chain[1], True), (price_chain[2], True)]
    assert data.names() == [("hook", "product.price")]
    assert data.plugins == {discounts: "Discounts"}


def test_parse_json_names_the_field_and_place():
    assert parse_json(" ", "Value") is None
    assert parse_json('{"a": [1, 2.5]}', "Value") == {"a": [1, 2.5]}
    with pytest.raises(InputError, match=r"Value is not valid JSON: .* at line 2, column 1"):
        parse_json('{"a": 1,\n}', "Value")
    assert parse_args("") == []
    with pytest.raises(InputError, match="must be a JSON array"):
        parse_args('{"id": 1}')


def test_json_diff_reports_leaf_changes_with_paths():
    before = {"price": 100, "tags": ["a", "b"], "meta": {"x": 1}, "old": True}
    after = {"price": 90, "tags": ["a"], "meta": {"x": 1, "y": None}, "new key": 1}
    assert [str(c) for c in json_diff(before, after)] == [
        "~ value.price: 100 → 90", "- value.tags[1]: \"b\"", "+ value.meta.y: null", "- value.old: true",
        '+ value["new key"]: 1']
    assert json_diff(1, 1.0) == []
    assert json_diff(1, True) == [Change("value", "changed", 1, True)]
    assert json_diff([], {}) == [Change("value", "changed", [], {})]


def test_timing_stats_median_p95_and_slowest():
    assert percentile([5, 1, 3, 2, 4], 95) == 5 and percentile(list(range(1, 101)), 95) == 95
    runs = [[("a", 1.0), ("b", 4.0)], [("a", 3.0), ("b", 6.0)], [("a", 2.0), ("c", 9.0)]]
    stats = timing_stats([("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")], runs)
    assert [(t.row_id, t.median, t.p95, len(t.samples)) for t in stats] == [
        ("a", 2.0, 3.0, 3), ("b", 5.0, 6.0, 2), ("c", 9.0, 9.0, 1), ("d", 0.0, 0.0, 0)]
    assert slowest(stats) == 2 and slowest([]) is None


def test_stores_round_trip_and_set_corrupt_files_aside(tmp_path):
    scenarios = ScenarioStore(tmp_path)
    kept = [Scenario("tea", "hook", "product.price", "filter", 100, [{"id": 1}])]
    scenarios.save("p-1", kept)
    assert scenarios.load("p-1") == kept and scenarios.load("p-2") == [] and scenarios.load(None) == []
    points = BreakpointStore(tmp_path)
    points.save(None, [BreakpointSpec("r1", "value > 1", 2)])
    assert points.load(None) == [BreakpointSpec("r1", "value > 1", 2, True)]
    for broken in ("{}", "[1]", '[{"name": "x"}]', '[{"name": "x", "target": "nope", "hook_name": "h"}]'):
        scenarios.path("p-1").write_text(broken)
        assert scenarios.load("p-1") == []
        assert not scenarios.path("p-1").exists()
    aside = sorted(p.read_text() for p in (tmp_path / "scenarios").glob("p-1.json.corrupt-*"))
    assert aside == sorted(["{}", "[1]", '[{"name": "x"}]', '[{"name": "x", "target": "nope", "hook_name": "h"}]'])
    assert scenarios.path("../evil").name == ".._evil.json"


def test_upsert_scenario_replaces_in_place():
    a, b = Scenario("a", "hook", "x"), Scenario("b", "hook", "y")
    assert [s.hook_name for s in upsert_scenario([a, b], Scenario("a", "event", "z", "event"))] == ["z", "y"]
    assert [s.name for s in upsert_scenario([a], b)] == ["a", "b"]
    assert json.loads(json.dumps([vars(a)]))[0]["target"] == "hook"
