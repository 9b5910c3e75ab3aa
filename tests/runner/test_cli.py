"""``plugin-studio hooks apply`` and ``events emit`` against the test database."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from plugin_studio.cli import main
from plugin_studio.db import files, plugins


def test_hooks_apply_json_shows_each_step_and_the_final_value(conn, cart_viewer, plugin, add_hook, capsys):
    add_hook(plugin, "export default function (p) { return Math.round(p * 0.9 * 100) / 100 }", priority=20)
    assert main(["hooks", "apply", "product.price", "100", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hook"] == "product.price" and out["final"] == 81
    assert [(s["input"], s["output"]) for s in out["steps"]] == [(100, 90), (90, 81)]
    first = out["steps"][0]
    assert {"plugin", "row_id", "path", "priority", "input", "output", "duration_ms", "console", "error"} <= set(first)
    # the storefront's order: the newest plugin (Discounts) first
    assert first["plugin"] == "Discounts" and first["path"] == "hooks/product_price.js" and first["error"] is None


def test_hooks_apply_text_and_one_plugin_only(conn, cart_viewer, plugin, add_hook, capsys):
    add_hook(plugin, "(p, who) => { console.log('for', who); return p + 1 }")
    assert main(["hooks", "apply", "product.price", "10", "--args", '"ann"', "--plugin", "Discounts"]) == 0
    out = capsys.readouterr().out
    assert "10 → 11" in out and "console.log: for ann" in out and "final: 11" in out
    assert "Cart Viewer" not in out


def test_runaway_hook_is_reported_in_its_step_and_the_command_ends(dsn, conn, plugin, add_hook, tmp_path):
    add_hook(plugin, "function (p) { while (true) {} }", priority=1)
    add_hook(plugin, "p => p * 2", priority=2)
    home = tmp_path / "home"  # the default time limit, not the test run's roomy one
    env = dict(os.environ, PLUGIN_STUDIO_HOME=str(home))
    done = subprocess.run([sys.executable, "-m", "plugin_studio", "hooks", "apply", "product.price", "5", "--json"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert out["steps"][0]["error"]["kind"] == "timeout" and out["final"] == 10
    assert "1 of 2 handlers failed" in done.stderr


def test_events_emit_prints_each_listeners_outcome(conn, cart_viewer, plugin, capsys):
    files.create_event(conn, plugin, "cart.viewed", "data => { throw new TypeError('no cart') }", priority=50)
    assert main(["events", "emit", "cart.viewed", '{"items": [{"price": 2, "quantity": 3}]}', "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["event"] == "cart.viewed"
    # newest plugin first: the listener that throws, then the Cart Viewer's
    assert out["steps"][0]["error"]["message"] == "no cart"
    assert out["steps"][1]["console"][0]["text"] == "cart viewed: 1 item(s), total 6"


def test_bad_json_argument_is_one_clear_line(conn, capsys):
    assert main(["events", "emit", "cart.viewed", "{nope"]) == 1
    assert "DATA_JSON is not valid JSON" in capsys.readouterr().err


def test_hooks_apply_of_an_action_hook_gives_handlers_the_value(conn, plugin, add_hook, capsys):
    add_hook(plugin, "function (order, channel) { console.log('order', order.id, channel); }", name="order.placed",
             hook_type="action")
    assert main(["hooks", "apply", "order.placed", '{"id": 7}', "--args", '"web"']) == 0
    assert "console.log: order 7 web" in capsys.readouterr().out


def test_order_option_and_the_warning_where_orders_differ(conn, plugin, add_hook, capsys):
    older = plugins.create_plugin(conn, name="Older").id
    conn.execute("UPDATE plugin_registry SET created_at = now() - interval '1 day' WHERE id = %s", (older,))
    files.create_hook(conn, older, "label", "filter", "v => v + 'older1 '", priority=1)
    add_hook(plugin, "v => v + 'newer50 '", name="label", priority=50)
    assert main(["hooks", "apply", "label", '""', "--json"]) == 0
    storefront = json.loads(capsys.readouterr().out)
    assert storefront["final"] == "newer50 older1 " and "order differs" in storefront["warnings"][0]
    assert main(["hooks", "apply", "label", '""', "--order", "priority", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["final"] == "older1 newer50 "


def test_fetch_file_answers_fetch_from_canned_responses(conn, plugin, tmp_path, capsys):
    files.create_event(conn, plugin, "cart.viewed",
                       "function (cart) {\n  fetch('/api/plugins/x/exec/stats').then(r => r.json())\n"
                       "    .then(s => console.log('visits', s.visits));\n  fetch('/api/other').catch(e => console.log(e.message));\n}")
    canned = tmp_path / "fetch.json"
    canned.write_text(json.dumps([{"url": "/api/plugins/x/exec/stats", "body": {"visits": 3}}]))
    assert main(["events", "emit", "cart.viewed", "{}", "--fetch", str(canned), "--plugin", plugin]) == 0
    out = capsys.readouterr().out
    assert "GET /api/plugins/x/exec/stats → 200 (canned)" in out and "console.log: visits 3" in out
    assert "GET /api/other → rejected" in out and "console.log: Failed to fetch" in out
    canned.write_text('{"fetch": "nope"}')
    assert main(["events", "emit", "cart.viewed", "{}", "--fetch", str(canned)]) == 1
    assert "every response needs a \"url\"" in capsys.readouterr().err


def test_json_output_keeps_nan_and_infinity(conn, plugin, add_hook, capsys):
    add_hook(plugin, "v => [v / 0, 0 / 0, -0]")
    assert main(["hooks", "apply", "product.price", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["final"] == [{"$js": "Infinity"}, {"$js": "NaN"}, {"$js": "-0"}]
    assert main(["hooks", "apply", "product.price", "1"]) == 0
    assert "final: [Infinity, NaN, -0]" in capsys.readouterr().out
