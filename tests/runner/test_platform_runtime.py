"""Hooks, events and scripts on a database built like the platform's (PLATFORM.md appendix: varchar
plugin_id, registry is_enabled false by default, no unique constraints), read by a role that may only
SELECT/INSERT/UPDATE/DELETE; the schema is the same afterwards."""
from __future__ import annotations

import psycopg
import pytest

from plugin_studio.runner.chain import apply_filters, emit
from plugin_studio.runner.chain_load import load_chain, load_registrations
from plugin_studio.runner.scripts import run_script

from platform_db import insert_platform_plugin, insert_row, schema_dump


@pytest.fixture
def dml(dml_dsn):
    with psycopg.connect(dml_dsn, autocommit=True) as connection:
        yield connection


def platform_plugin(conn, name: str, created: str, **columns) -> str:
    return insert_platform_plugin(conn, name, status=columns.pop("status", "active"), created_at=created, **columns)


def listener(conn, plugin_id: str, event: str, code: str, **columns) -> str:
    return insert_row(conn, "plugin_events", plugin_id=plugin_id, event_name=event, listener_function=code, **columns)


def hook(conn, plugin_id: str, name: str, code: str, **columns) -> str:
    return insert_row(conn, "plugin_hooks", plugin_id=plugin_id, hook_name=name, handler_function=code, **columns)


def test_the_storefronts_listener_set_on_a_platform_database(platform_conn, dml, host):
    """Registry rows as the platform writes them leave is_enabled false: the storefront still runs them."""
    hamid = platform_plugin(platform_conn, "Cart Hamid", "2025-01-01")
    chat = platform_plugin(platform_conn, "Chat", "2025-02-01", is_enabled=True)
    starter = platform_plugin(platform_conn, "Starter", "2025-03-01", is_enabled=True, is_starter_template=True)
    draft = platform_plugin(platform_conn, "Draft", "2025-04-01", status="inactive")
    runs = [listener(platform_conn, hamid, "cart.viewed", f"d => {{ d.seen.push('hamid {i}') }}") for i in range(3)]
    runs += [listener(platform_conn, chat, "cart.viewed", f"d => {{ d.seen.push('chat {i}') }}", priority=i)
             for i in range(2)]
    listener(platform_conn, starter, "cart.viewed", "d => { d.seen.push('starter') }")
    listener(platform_conn, draft, "cart.viewed", "d => { d.seen.push('draft') }")
    listener(platform_conn, chat, "cart.viewed", "d => { d.seen.push('disabled') }", is_enabled=False)

    before = schema_dump(platform_conn.info.dsn)
    loaded = load_chain(dml, "event", "cart.viewed")
    assert sorted(h.row_id for h in loaded.rows) == sorted(runs)
    trace = emit(host, loaded.rows, "cart.viewed", {"seen": []}, loaded.modules)
    assert trace.final == {"seen": ["chat 0", "chat 1", "hamid 0", "hamid 1", "hamid 2"]}   # newest plugin first
    assert {h.plugin_id for h in load_registrations(dml).handlers} == {hamid, chat}
    assert schema_dump(platform_conn.info.dsn) == before


def test_hooks_in_storefront_and_documented_order_on_a_platform_database(platform_conn, dml, host):
    old = platform_plugin(platform_conn, "Old", "2024-01-01")
    new = platform_plugin(platform_conn, "New", "2025-01-01")
    hook(platform_conn, old, "cart.getCurrencySymbol", "s => s + 'old1'", priority=1)
    hook(platform_conn, new, "cart.getCurrencySymbol", "s => s + 'new20'", priority=20)
    hook(platform_conn, new, "cart.getCurrencySymbol", "s => s + 'new5'", priority=5)
    loaded = load_chain(dml, "hook", "cart.getCurrencySymbol")
    assert apply_filters(host, loaded.rows, "cart.getCurrencySymbol", "$:").final == "$:new5new20old1"
    documented = load_chain(dml, "hook", "cart.getCurrencySymbol", order="priority")
    assert apply_filters(host, documented.rows, "cart.getCurrencySymbol", "$:").final == "$:old1new5new20"


def test_a_backend_script_with_its_module_and_dependency_on_a_platform_database(platform_conn, dml, host):
    from plugin_studio.db.runtime import load_modules

    plugin = platform_plugin(platform_conn, "Pricing", "2025-01-01")
    insert_row(platform_conn, "plugin_scripts", plugin_id=plugin, script_type="js", scope="backend",
               file_name="services/pricing.js",
               file_content="import { rate } from './utils/rates';\nimport pad from 'left-pad';\n"
                            "export function show(amount) { return pad(String(amount * rate), 6); }\n")
    insert_row(platform_conn, "plugin_scripts", plugin_id=plugin, script_type="js", scope="backend",
               file_name="utils/rates.js", file_content="module.exports.rate = 2;")
    insert_row(platform_conn, "plugin_dependencies", id=1, plugin_id=plugin, package_name="left-pad",
               version="1.3.0", bundled_code="module.exports = (s, n) => s.padStart(n);")
    modules = load_modules(dml, [plugin])[plugin]
    host.set_modules(plugin, modules.scripts, modules.dependencies)
    result = run_script(host, plugin, "services/pricing.js", call="show", args=[21])
    assert result["value"] == "    42"
    assert result["notes"] == []  # the platform's loader resolves './utils/rates' from the root too
