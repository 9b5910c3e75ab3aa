"""``plugin-studio widgets render`` against the real database and a real worker process."""
from __future__ import annotations

import json
import subprocess
import sys

from plugin_studio.cli import main
from plugin_studio.db import files
from plugin_studio.models.widget_tree import texts


def test_render_json_after_dispatching_cart_viewed(cart_viewer, capsys):
    code = main(["widgets", "render", "cart-visit-counter", "--json",
                 "--dispatch", "cart-viewed", "--dispatch", "cart-viewed"])
    out = capsys.readouterr().out
    assert code == 0
    tree = json.loads(out)
    assert tree[0]["type"] == "div" and "id" not in tree[0]
    assert texts(tree) == ["Cart Viewer", "Cart visits: 2"]
    assert tree[0]["children"][1] == {
        "type": "p", "props": {"style": {"margin": "6px 0 0 0", "color": "#374151"}}, "children": ["Cart visits: 2"],
    }


def test_render_html_with_config(cart_viewer, capsys):
    code = main(["widgets", "render", "cart-visit-counter", "--html", "--config", '{"title": "Basket <b>"}'])
    out = capsys.readouterr().out.strip()
    assert code == 0
    assert out.startswith('<div style="padding:12px 16px;border-radius:8px;border:1px solid #6d28d9;')
    assert "<strong style=\"color:#6d28d9;font-size:15px\">Basket &lt;b&gt;</strong>" in out
    assert out.endswith("Cart visits: 0</p></div>")


def test_render_outline_shows_handlers(conn, cart_viewer, capsys):
    files.create_widget(conn, cart_viewer, "buy-button", "Buy",
                        "export default function B() { return <button onClick={() => {}}>Buy now</button>; }")
    assert main(["widgets", "render", "buy-button", "--plugin", cart_viewer]) == 0
    assert capsys.readouterr().out == '<button> onClick\n  "Buy now"\n'


def test_errors_are_one_line_with_exit_status(conn, cart_viewer, capsys):
    files.create_widget(conn, cart_viewer, "broken", "Broken", "function W() {\n  return config.x.y;\n}")
    assert main(["widgets", "render", "broken"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 2" in err and "widget broken" in err
    assert main(["widgets", "render", "nope"]) == 1
    assert "no widget 'nope'" in capsys.readouterr().err
    assert main(["widgets", "render", "broken", "--config", "{bad"]) == 1
    assert "--config is not valid JSON" in capsys.readouterr().err


def test_cli_runs_as_a_program(cart_viewer, dsn):
    done = subprocess.run([sys.executable, "-m", "plugin_studio", "widgets", "render", "cart-visit-counter",
                           "--dispatch", "cart-viewed", "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Cart visits: 1" in texts(json.loads(done.stdout))
    bad = subprocess.run([sys.executable, "-m", "plugin_studio", "widgets", "render"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2
