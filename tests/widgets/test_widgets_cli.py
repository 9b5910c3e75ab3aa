"""``plugin-studio widgets render`` against the real database and a real worker process."""
from __future__ import annotations

import json
import subprocess
import sys

from plugin_studio.cli import main
from plugin_studio.db import files
from plugin_studio.models.widget_tree import texts

LISTENERS = """function Pings() {
  const [n, setN] = React.useState(0);
  React.useEffect(() => {
    const bad = () => { throw new Error('listener failed'); };
    const good = () => setN(x => x + 1);
    window.addEventListener('ping', bad);
    window.addEventListener('ping', good);
    return () => { window.removeEventListener('ping', bad); window.removeEventListener('ping', good); };
  }, []);
  return React.createElement('p', null, 'pings ' + n, '', '');
}"""


def test_render_json_after_dispatching_cart_viewed(cart_viewer, capsys):
    code = main(["widgets", "render", "cart-visit-counter", "--json",
                 "--dispatch", "cart-viewed", "--dispatch", "cart-viewed"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    tree = out["tree"]
    assert tree[0]["type"] == "div" and "id" not in tree[0]
    assert texts(tree) == ["Cart Viewer", "Cart visits: 2"]
    assert tree[0]["children"][1] == {
        "type": "p", "props": {"style": {"margin": "6px 0 0 0", "color": "#374151"}}, "children": ["Cart visits: 2"],
    }
    assert out["errors"] == [] and out["warnings"] == [] and out["storefront"] is None


def test_render_html_is_react_dom_servers(cart_viewer, capsys):
    code = main(["widgets", "render", "cart-visit-counter", "--html", "--config", '{"title": "Basket <b>"}'])
    out = capsys.readouterr().out.strip()
    assert code == 0
    assert out == ('<div style="padding:12px 16px;border-radius:8px;border:1px solid #6d28d9;background:#f5f3ff">'
                   '<strong style="color:#6d28d9;font-size:15px">Basket &lt;b&gt;</strong>'
                   '<p style="margin:6px 0 0 0;color:#374151">Cart visits: 0</p></div>')


def test_html_writes_what_react_writes_for_props_a_look_alike_got_wrong(conn, cart_viewer, capsys):
    files.create_widget(conn, cart_viewer, "props", "Props", """function P() {
  return React.createElement('div', { className: ['a', 'b'], 'aria-hidden': true, 'data-on': false,
      style: { gridColumn: 2, WebkitLineClamp: 3, width: 1234567.89, '--gap': 4 } },
    React.createElement('svg', { strokeWidth: 2 }));
}""")
    assert main(["widgets", "render", "props", "--html"]) == 0
    assert capsys.readouterr().out.strip() == (
        '<div class="a,b" aria-hidden="true" data-on="false" '
        'style="grid-column:2;-webkit-line-clamp:3;width:1234567.89px;--gap:4"><svg stroke-width="2"></svg></div>')


def test_outline_shows_handlers_and_a_jsx_widget_is_warned_about(conn, cart_viewer, capsys):
    files.create_widget(conn, cart_viewer, "buy-button", "Buy",
                        "export default function B() { return <button onClick={() => {}}>Buy now</button>; }")
    assert main(["widgets", "render", "buy-button", "--plugin", cart_viewer]) == 0
    captured = capsys.readouterr()
    assert captured.out == '<button> onClick\n  "Buy now"\n'
    assert "warning: The storefront can't run this widget as stored (it is JSX)" in captured.err
    assert "Failed to load plugin widget: Invalid widget code:" in captured.err


def test_json_has_no_empty_texts_and_a_throwing_listener_is_reported_beside_the_tree(conn, cart_viewer, capsys):
    files.create_widget(conn, cart_viewer, "pings", "Pings", LISTENERS)
    code = main(["widgets", "render", "pings", "--json", "--dispatch", "ping", "--dispatch", "ping"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, "a browser reports the listener's error and keeps rendering"
    assert out["tree"] == [{"type": "p", "props": {}, "children": ["pings 2"]}]
    assert [e["message"] for e in out["errors"]] == ["listener failed", "listener failed"]
    assert out["errors"][0]["line"] == 4


def test_a_crash_prints_the_storefronts_box_and_exits_1(conn, cart_viewer, capsys):
    files.create_widget(conn, cart_viewer, "broken", "Broken", "function W() {\n  return config.x.y;\n}")
    assert main(["widgets", "render", "broken"]) == 1
    captured = capsys.readouterr()
    assert "Widget crashed: config is not defined" in captured.out
    assert captured.err.count("\n") == 1 and "line 2" in captured.err and "widget broken" in captured.err


def test_errors_are_one_line_with_exit_status(conn, cart_viewer, capsys):
    files.create_widget(conn, cart_viewer, "unparsable", "Unparsable", "function W() {\n  return (;\n}")
    assert main(["widgets", "render", "unparsable"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 2" in err and "widget unparsable" in err
    assert main(["widgets", "render", "nope"]) == 1
    assert "no widget 'nope'" in capsys.readouterr().err
    assert main(["widgets", "render", "unparsable", "--config", "{bad"]) == 1
    assert "--config is not valid JSON" in capsys.readouterr().err


def test_cli_runs_as_a_program(cart_viewer, dsn):
    done = subprocess.run([sys.executable, "-m", "plugin_studio", "widgets", "render", "cart-visit-counter",
                           "--dispatch", "cart-viewed", "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Cart visits: 1" in texts(json.loads(done.stdout)["tree"])
    bad = subprocess.run([sys.executable, "-m", "plugin_studio", "widgets", "render"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2
