"""``plugin-studio hooks apply`` and ``events emit`` against the test database."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from plugin_studio.cli import main
from plugin_studio.db import files


def test_hooks_apply_json_shows_each_step_and_the_final_value(conn, cart_viewer, plugin, add_hook, capsys):
    add_hook(plugin, "export default function (p) { return Math.round(p * 0.9 * 100) / 100 }", priority=20)
    assert main(["hooks", "apply", "product.price", "100", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hook"] == "product.price" and out["final"] == 81
    assert [(s["input"], s["output"]) for s in out["steps"]] == [(100, 90), (90, 81)]
    first = out["steps"][0]
    assert {"plugin", "row_id", "path", "priority", "input", "output", "duration_ms", "console", "error"} <= set(first)
    assert first["plugin"] == "Cart Viewer" and first["path"] == "hooks/product_price.js" and first["error"] is None


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
    assert out["steps"][0]["output"] == {"itemCount": 1, "total": 6}
    assert out["steps"][1]["error"]["message"] == "no cart"


def test_bad_json_argument_is_one_clear_line(conn, capsys):
    assert main(["events", "emit", "cart.viewed", "{nope"]) == 1
    assert "DATA_JSON is not valid JSON" in capsys.readouterr().err
