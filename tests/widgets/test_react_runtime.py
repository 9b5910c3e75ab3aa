"""Our React runtime, run in real QuickJS: hooks, keys, effects, window events, virtual time."""
from __future__ import annotations

from plugin_studio.db.files import load_plugin_files

from widget_helpers import find, strip_ids, texts

COUNTER = """
function Counter({ config }) {
  const [n, setN] = React.useState(config.start || 0);
  return React.createElement('div', null,
    React.createElement('button', { onClick: () => { setN(x => x + 1); setN(x => x + 1); } }, 'add two'),
    React.createElement('span', null, 'n=' + n));
}
"""


def test_starter_visit_counter_counts_cart_viewed_and_cleans_up(engine, conn, cart_viewer):
    widget = next(w for w in load_plugin_files(conn, cart_viewer).widgets if w.widget_id == "cart-visit-counter")
    result = engine.render("starter", widget.component_code, widget.default_config)
    assert result["errors"] == []
    assert "Cart visits: 0" in texts(result["tree"])
    assert result["listeners"] == 1
    for _ in range(3):
        result = engine.dispatch_window("starter", "cart-viewed")
    assert "Cart visits: 3" in texts(result["tree"])
    gone = engine.unmount("starter")
    assert gone["listeners"] == 0, "the effect's cleanup removes its window listener"
    assert not [e for e in gone["log"] if e["kind"] == "warning"]


def test_unmount_runs_cleanup_once_and_reports_leaked_listeners(engine):
    code = """function W() {
      React.useEffect(() => { console.log('setup'); return () => console.log('cleanup'); }, []);
      React.useEffect(() => { window.addEventListener('x', () => {}); }, []);
      return React.createElement('p', null, 'hi');
    }"""
    engine.render("leak", code)
    gone = engine.unmount("leak")
    messages = [e.get("message") for e in gone["log"]]
    assert messages.count("cleanup") == 1
    assert any("1 window listener" in (m or "") for m in messages)


def test_updater_functions_apply_in_order(engine):
    result = engine.render("upd", COUNTER, {"start": 5})
    button = find(result["tree"], "button")[0]
    result = engine.event("upd", button["id"], "click")
    assert "n=7" in texts(result["tree"])
    assert result["log"][0]["handler"] == "onClick"


def test_effect_dependencies_and_cleanup_order(engine):
    code = """function W() {
      const [a, setA] = React.useState(0);
      const [b, setB] = React.useState(0);
      React.useEffect(() => { console.log('a-effect ' + a); return () => console.log('a-cleanup ' + a); }, [a]);
      React.useEffect(() => { console.log('every ' + a + b); });
      return React.createElement('div', null,
        React.createElement('button', { id: 'a', onClick: () => setA(a + 1) }, 'a'),
        React.createElement('button', { id: 'b', onClick: () => setB(b + 1) }, 'b'));
    }"""
    result = engine.render("deps", code)
    assert [e["message"] for e in result["log"]] == ["a-effect 0", "every 00"]
    a_button, b_button = find(result["tree"], "button")
    result = engine.event("deps", b_button["id"], "click")
    assert [e["message"] for e in result["log"] if e["kind"] == "console"] == ["every 01"]
    result = engine.event("deps", a_button["id"], "click")
    assert [e["message"] for e in result["log"] if e["kind"] == "console"] == ["a-cleanup 0", "a-effect 1", "every 11"]


def test_memo_callback_and_ref_keep_identity(engine):
    code = """function W() {
      const [n, setN] = React.useState(0);
      const renders = React.useRef(0);
      renders.current += 1;
      const cb = React.useCallback(() => 1, []);
      const first = React.useRef(cb);
      const doubled = React.useMemo(() => { console.log('memo'); return n * 2; }, [n]);
      const [other, setOther] = React.useState(0);
      return React.createElement('div', null,
        React.createElement('button', { onClick: () => setOther(o => o + 1) }, 'rerender'),
        'renders=' + renders.current + ' same=' + (first.current === cb) + ' doubled=' + doubled);
    }"""
    result = engine.render("memo", code)
    button = find(result["tree"], "button")[0]
    result = engine.event("memo", button["id"], "click")
    assert "renders=2 same=true doubled=0" in texts(result["tree"])
    assert not [e for e in result["log"] if e["kind"] == "console"], "useMemo did not recompute"


def test_keys_keep_state_when_items_reorder(engine):
    code = """
    function Item({ label }) {
      const [clicks, setClicks] = React.useState(0);
      return React.createElement('li', { onClick: () => setClicks(c => c + 1) }, label + ':' + clicks);
    }
    function List() {
      const [order, setOrder] = React.useState(['a', 'b']);
      return React.createElement('div', null,
        React.createElement('button', { onClick: () => setOrder(o => o.slice().reverse()) }, 'flip'),
        React.createElement('ul', null, order.map(k => React.createElement(Item, { key: k, label: k }))));
    }"""
    result = engine.render("keys", code)
    first_li = find(result["tree"], "li")[0]
    result = engine.event("keys", first_li["id"], "click")
    assert texts(find(result["tree"], "ul")) == ["a:1", "b:0"]
    result = engine.event("keys", find(result["tree"], "button")[0]["id"], "click")
    assert texts(find(result["tree"], "ul")) == ["b:0", "a:1"]


def test_timers_run_on_virtual_time(engine):
    code = """function Clock() {
      const [ticks, setTicks] = React.useState(0);
      React.useEffect(() => {
        const id = setInterval(() => setTicks(t => t + 1), 1000);
        return () => clearInterval(id);
      }, []);
      React.useEffect(() => { setTimeout(() => console.log('later'), 2500); }, []);
      return React.createElement('span', null, 'ticks ' + ticks);
    }"""
    result = engine.render("clock", code)
    assert result["next_timer_in"] == 1000
    result = engine.advance("clock", 3000)
    assert texts(result["tree"]) == ["ticks 3"]
    assert [e["at"] for e in result["log"] if e["kind"] == "console"] == [2500]
    gone = engine.unmount("clock")
    assert gone["timers_left"] == 0


def test_events_bubble_and_stop_propagation(engine):
    code = """function W() {
      return React.createElement('div', { onClick: () => console.log('outer') },
        React.createElement('button', { id: 'plain' }, 'plain'),
        React.createElement('button', { id: 'stop', onClick: e => { e.stopPropagation(); console.log('inner'); } }, 'stop'));
    }"""
    result = engine.render("bubble", code)
    plain, stop = find(result["tree"], "button")
    assert [e["message"] for e in engine.event("bubble", plain["id"], "click")["log"] if e["kind"] == "console"] == ["outer"]
    assert [e["message"] for e in engine.event("bubble", stop["id"], "click")["log"] if e["kind"] == "console"] == ["inner"]


def test_controlled_input_and_form_submit(engine):
    code = """function Form() {
      const [name, setName] = React.useState('');
      const [sent, setSent] = React.useState(null);
      return React.createElement('form', { onSubmit: e => { e.preventDefault(); setSent(name); } },
        React.createElement('input', { value: name, onChange: e => setName(e.target.value.toUpperCase()) }),
        React.createElement('p', null, sent === null ? 'not sent' : 'sent ' + sent));
    }"""
    result = engine.render("form", code)
    field = find(result["tree"], "input")[0]
    result = engine.event("form", field["id"], "change", {"value": "ada"})
    assert find(result["tree"], "input")[0]["props"]["value"] == "ADA"
    result = engine.event("form", find(result["tree"], "form")[0]["id"], "submit")
    assert "sent ADA" in texts(result["tree"])


def test_code_shapes_the_platform_and_modules_use(engine):
    shapes = {
        "expression": "function (props) { return React.createElement('b', null, 'ok'); }",
        "export-default": "// widget\nexport default function Card() { return React.createElement('b', null, 'ok'); };",
        "arrow": "({ config }) => React.createElement('b', null, 'ok')",
        "module": "const { useState } = React;\nfunction helper() { return 'ok'; }\n"
                  "function Card() { const [v] = useState(helper()); return React.createElement('b', null, v); }",
        "import": "import React, { useState as useS } from 'react';\nconst Card = () => { const [v] = useS('ok'); "
                  "return React.createElement('b', null, v); };\nexport default Card;",
        "commonjs": "module.exports = function () { return React.createElement('b', null, 'ok'); };",
    }
    for name, code in shapes.items():
        result = engine.render(f"shape-{name}", code)
        assert result["errors"] == [], name
        assert texts(result["tree"]) == ["ok"], name
    assert engine.render("shape-expression", shapes["expression"])["compiled"]["platform_compatible"]
    assert not engine.render("shape-module", shapes["module"])["compiled"]["platform_compatible"]


def test_jsx_renders_the_same_as_its_create_element_twin(engine):
    jsx = """export default function Badge({ config }) {
  const [n, setN] = React.useState(1);
  return (
    <div className="badge" style={{ padding: 8, color: config.color }}>
      <button onClick={() => setN(n + 1)}>More</button>
      <>{[1, 2].map(i => <em key={i}>{i * n}</em>)}</>
      Total: {n}
    </div>
  );
}"""
    twin = """function Badge({ config }) {
  const [n, setN] = React.useState(1);
  return React.createElement('div', { className: 'badge', style: { padding: 8, color: config.color } },
    React.createElement('button', { onClick: () => setN(n + 1) }, 'More'),
    React.createElement(React.Fragment, null, [1, 2].map(i => React.createElement('em', { key: i }, i * n))),
    'Total: ', n);
}"""
    config = {"color": "red"}
    a, b = engine.render("jsx", jsx, config), engine.render("twin", twin, config)
    assert a["errors"] == [] and a["compiled"]["jsx"]
    assert strip_ids(a["tree"]) == strip_ids(b["tree"])
    assert texts(a["tree"])[-1] == "Total: 1"


def test_errors_carry_the_editor_line(engine):
    syntax = engine.render("err-syntax", "function W() {\n  const x = ;\n  return null;\n}")
    assert syntax["errors"][0]["phase"] == "compile" and syntax["errors"][0]["line"] == 2
    runtime = engine.render("err-run", "function W({ config }) {\n  const a = 1;\n  return config.missing.deep;\n}")
    assert runtime["errors"][0]["line"] == 3
    assert "deep" in runtime["errors"][0]["message"]
    jsx = engine.render("err-jsx", "function W() {\n  return <div>\n    <span>oops</div>;\n}")
    assert jsx["errors"][0]["line"] == 3


def test_error_keeps_last_good_tree_and_edit_keeps_state(engine):
    result = engine.render("hot", COUNTER)
    result = engine.event("hot", find(result["tree"], "button")[0]["id"], "click")
    assert "n=2" in texts(result["tree"])
    broken = engine.render("hot", COUNTER.replace("'n=' + n", "'n=' + n.toFixed(1).x.y"))
    assert broken["errors"] and "n=2" in texts(broken["tree"])
    fixed = engine.render("hot", COUNTER.replace("'n=' + n", "'count ' + n"))
    assert fixed["errors"] == [] and fixed["state_kept"]
    assert "count 2" in texts(fixed["tree"])
    reshaped = engine.render("hot", COUNTER.replace("React.useState(config.start || 0);",
                                                    "React.useState(0); React.useRef(1);"))
    assert reshaped["state_reset_reason"] and "n=0" in texts(reshaped["tree"])


def test_runaway_set_state_is_reported_not_hung(engine):
    result = engine.render("loop", "function W() { const [n, setN] = React.useState(0); setN(n + 1); return null; }")
    assert "Too many re-renders" in result["errors"][0]["message"]
    effect = engine.render("loop2", "function W() { const [n, setN] = React.useState(0); "
                                    "React.useEffect(() => setN(n + 1)); return 'x' + n; }")
    assert "Maximum update depth" in effect["errors"][0]["message"]
