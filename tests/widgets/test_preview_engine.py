"""The preview's engine in real QuickJS with React 18 itself: the storefront's compile and what it
says when the storefront would do otherwise, error positions, Fast Refresh, virtual time, and
runaway renders stopped. React's own semantics are pinned by the conformance corpus."""
from __future__ import annotations

from plugin_studio.db.files import load_plugin_files

from widget_helpers import find, strip_ids, texts

COUNTER = """function Counter({ config }) {
  const [n, setN] = React.useState(config.start || 0);
  return React.createElement('div', null,
    React.createElement('button', { onClick: () => { setN(x => x + 1); setN(x => x + 1); } }, 'add two'),
    React.createElement('span', null, 'n=' + n));
}"""


def console(result) -> list[str]:
    return [e["message"] for e in result["log"] if e["kind"] == "console"]


def test_starter_visit_counter_counts_cart_viewed_and_cleans_up(engine, conn, cart_viewer):
    widget = next(w for w in load_plugin_files(conn, cart_viewer).widgets if w.widget_id == "cart-visit-counter")
    result = engine.render("starter", widget.component_code, "cart-viewer", widget.default_config)
    assert result["errors"] == [] and result["warnings"] == []
    assert result["compiled"]["platform_compatible"]
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
    assert console(engine.render("leak", code)) == ["setup"]
    gone = engine.unmount("leak")
    assert console(gone) == ["cleanup"]
    assert any("1 window listener" in (e.get("message") or "") for e in gone["log"])


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
    result = engine.render("clock", code, "timers")
    assert result["next_timer_in"] == 1000
    result = engine.advance("clock", 3000)
    assert texts(result["tree"]) == ["ticks 3"]
    assert [e["at"] for e in result["log"] if e["kind"] == "console"] == [2500]
    assert engine.unmount("clock")["timers_left"] == 0


def test_code_shapes_and_what_the_storefront_does_with_them(engine):
    shapes = {
        "expression": ("function (props) { return React.createElement('b', null, 'ok'); }", None),
        "export-default": ("export default function Card() { return React.createElement('b', null, 'ok'); }", None),
        "arrow": ("({ config }) => React.createElement('b', null, 'ok')", None),
        "comment-first": ("// widget\nfunction Card() { return React.createElement('b', null, 'ok'); }",
                          "Widget not found"),
        "semicolon": ("function Card() { return React.createElement('b', null, 'ok'); };",
                      "Failed to load plugin widget: Invalid widget code:"),
        "module": ("const { useState } = React;\nfunction helper() { return 'ok'; }\n"
                   "function Card() { const [v] = useState(helper()); return React.createElement('b', null, v); }",
                   "Failed to load plugin widget: Invalid widget code:"),
        "import": ("import React, { useState as useS } from 'react';\nconst Card = () => { const [v] = useS('ok'); "
                   "return React.createElement('b', null, v); };\nexport default Card;",
                   "Failed to load plugin widget: Invalid widget code:"),
        "commonjs": ("module.exports = function () { return React.createElement('b', null, 'ok'); };",
                     "Failed to load plugin widget: Invalid widget code:"),
    }
    for name, (code, storefront) in shapes.items():
        result = engine.render(f"shape-{name}", code, "shapes")
        assert result["errors"] == [], name
        assert texts(result["tree"]) == ["ok"], name
        shown = result["compiled"]["storefront"]
        assert (shown is None) if storefront is None else shown.startswith(storefront), (name, shown)
        assert result["compiled"]["platform_compatible"] == (storefront is None), name
        assert bool(result["warnings"]) == (storefront is not None), name
        engine.unmount(f"shape-{name}")


def test_jsx_renders_the_same_as_its_create_element_twin_and_is_warned_about(engine):
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
    a, b = engine.render("jsx", jsx, "jsx", config), engine.render("twin", twin, "jsx", config)
    assert a["errors"] == [] and a["compiled"]["jsx"]
    assert strip_ids(a["tree"]) == strip_ids(b["tree"])
    assert "it is JSX" in a["warnings"][0] and not b["warnings"]


def test_errors_carry_the_editor_line(engine):
    syntax = engine.render("err-syntax", "function W() {\n  const x = ;\n  return null;\n}", "errors")
    assert syntax["errors"][0]["phase"] == "compile" and syntax["errors"][0]["line"] == 2
    runtime = engine.render("err-run", "function W({ config }) {\n  const a = 1;\n  return config.missing.deep;\n}", "errors")
    assert runtime["errors"][0]["line"] == 3 and "deep" in runtime["errors"][0]["message"]
    leading = engine.render("err-lead", "\n\n  function W() {\n    return nothing;\n  }", "errors")
    assert leading["errors"][0]["line"] == 4, "the storefront's trim() does not move the lines"
    jsx = engine.render("err-jsx", "function W() {\n  return <div>\n    <span>oops</div>;\n}", "errors")
    assert jsx["errors"][0]["line"] == 3


def test_a_crash_shows_the_storefronts_box_and_an_edit_renders_again(engine):
    result = engine.render("hot", COUNTER, "hot")
    result = engine.event("hot", find(result["tree"], "button")[0]["id"], "click")
    assert "n=2" in texts(result["tree"])
    broken = engine.render("hot", COUNTER.replace("'n=' + n", "'n=' + n.toFixed(1).x.y"), "hot")
    assert broken["errors"][0]["phase"] == "render" and broken["errors"][0]["line"] == 5
    assert texts(broken["tree"]) == ["Widget crashed: cannot read property 'y' of undefined"]
    fixed = engine.render("hot", COUNTER.replace("'n=' + n", "'count ' + n"), "hot")
    assert fixed["errors"] == [] and "count 0" in texts(fixed["tree"]), "the boundary that failed mounts again"


def test_fast_refresh_keeps_state_and_remounts_when_hooks_change(engine):
    result = engine.render("refresh", COUNTER, "refresh")
    engine.event("refresh", find(result["tree"], "button")[0]["id"], "click")
    kept = engine.render("refresh", COUNTER.replace("'n=' + n", "'count ' + n"), "refresh")
    assert kept["state_kept"] and "count 2" in texts(kept["tree"])
    reshaped = engine.render("refresh", COUNTER.replace("React.useState(config.start || 0);",
                                                        "React.useState(0); React.useRef(1);"), "refresh")
    assert not reshaped["state_kept"] and "n=0" in texts(reshaped["tree"])
    assert reshaped["state_reset_reason"].startswith("the hooks changed (useState → useState, useRef)")


def test_runaway_renders_are_stopped_and_reported_not_hung(engine):
    result = engine.render("loop", "function W() { const [n, setN] = React.useState(0); setN(n + 1); return null; }", "loops")
    assert "Too many re-renders" in result["errors"][0]["message"]
    effect = engine.render("loop2", "function W() { const [n, setN] = React.useState(0); "
                                    "React.useEffect(() => setN(n + 1)); return 'x' + n; }", "loops")
    assert "still rendering" in effect["errors"][0]["message"]
    assert any("Maximum update depth exceeded" in line for line in console(effect))


def test_strict_mode_and_only_react_in_scope(engine):
    strict = engine.render("strict", "function W() { undeclared = 5; return null; }", "scope")
    assert texts(strict["tree"]) == ["Widget crashed: undeclared is not defined"]
    scope = engine.render("scope", "function W() { return React.createElement('p', null, [typeof require, "
                                   "typeof module, typeof exports, typeof process, typeof dukpy, typeof __studioBoot, "
                                   "typeof window, typeof this].join(' ')); }", "scope")
    assert texts(scope["tree"]) == ["undefined undefined undefined undefined undefined undefined object undefined"]


def test_widget_code_cannot_call_the_preview_runtime(engine):
    engine.render("victim", COUNTER, "same-plugin")
    probe = engine.render("probe", """function W() {
      let out;
      try { out = JSON.stringify(__studioPreview('guess', 'roots')); } catch (e) { out = e.message; }
      return React.createElement('p', null, out);
    }""", "same-plugin")
    assert texts(probe["tree"]) == ["not available to widget code"]


def test_jsx_and_module_syntax_go_through_the_runners_transform_not_a_regex(engine):
    """sucrase parses the code, so text that only looks like syntax stays text; the save check uses
    the same transform, so what the preview accepts the editor accepts."""
    template = engine.render("tpl", "const note = `\nexport default nothing`;\n"
                                    "export default function W() { return React.createElement('p', null, note); }", "tr")
    assert template["errors"] == [] and texts(template["tree"]) == ["\nexport default nothing"]
    strings = engine.render("frag-str", "export default function W() {\n  return <p title=\"<>x</>\">{'a <> b'}</p>;\n}", "tr")
    assert strings["errors"] == [] and texts(strings["tree"]) == ["a <> b"]
    assert find(strings["tree"], "p")[0]["props"]["title"] == "<>x</>"
    fragment = engine.render("frag", "export default function W() {\n  return <><b>x</b><i>y</i></>;\n}", "tr")
    assert fragment["errors"] == [] and [n["type"] for n in fragment["tree"]] == ["b", "i"]
    helper = engine.render("mod", "import { useState as useS } from 'react';\nexport const label = (n) => `n=${n}`;\n"
                                  "const W = React.memo(function W() { const [n] = useS(4); return <b>{label(n)}</b>; });\n"
                                  "export default W;", "tr")
    assert helper["errors"] == [] and texts(helper["tree"]) == ["n=4"], "the default export (a memo object) is the widget"
    other = engine.render("lodash", "// needs lodash\nimport _ from 'lodash';\nexport default () => <b>{_.x}</b>;", "tr")
    assert "import from 'lodash' is not available to a widget" in other["errors"][0]["message"]
    assert other["errors"][0]["line"] == 2


def test_the_save_check_accepts_what_the_preview_renders():
    from plugin_studio.runner.host import JsHost
    from plugin_studio.runner.syntax import check_syntax

    code = "export default function W() {\n  return <><b title=\"<>\">x</b>{'</>'}</>;\n}"
    with JsHost() as host:
        assert check_syntax(host, code, "jsx") == []


def test_the_storefronts_compile_error_is_worded_as_chrome_words_it(engine):
    """The storefront runs in Chrome: its alert quotes V8's message, not QuickJS's."""
    shown = {
        "export default function W() {\n  return <p>x</p>;\n}": "Unexpected token '<'",
        "function Card() { return React.createElement('b', null, 'ok'); };": "Unexpected token ';'",
        "const { useState } = React;\nfunction Card() { return React.createElement('b', null, 'ok'); }":
            "Unexpected token 'const'",
    }
    for code, message in shown.items():
        result = engine.render("v8", code, "v8")
        assert result["compiled"]["storefront"] == f"Failed to load plugin widget: Invalid widget code: {message}"
        assert f"“Failed to load plugin widget: Invalid widget code: {message}”" in result["warnings"][0]


def test_intl_and_locale_formatting_as_the_storefronts_browser_has_them(engine):
    """Chrome formats with Intl (QuickJS has none): the preview uses the frontend's browser_builtins.js."""
    code = """function Price({ config }) {
      const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
      return React.createElement('p', null, [usd.format(config.total), config.total.toLocaleString(),
        config.total.toLocaleString('de-DE'), (0.5).toLocaleString('en-US', { style: 'percent' }),
        new Date(Date.UTC(2024, 0, 15)).toLocaleDateString('en-US', { timeZone: 'UTC' })].join(' | '));
    }"""
    result = engine.render("intl", code, "intl", {"total": 1234567.891})
    assert result["errors"] == []
    assert texts(result["tree"]) == ["$1,234,567.89 | 1,234,567.891 | 1.234.567,891 | 50% | 1/15/2024"]


def test_only_a_component_is_rendered_and_a_directive_first_is_what_the_storefront_returns(engine):
    """The storefront's compile returns whatever the code's first expression is: a directive
    returns a string, which react-dom makes an element of (Chrome refuses the name); the preview
    renders the component the code defines and names what the storefront shows."""
    crash = "Widget crashed: Failed to execute 'createElement' on 'Document': The tag name provided ('use strict') " \
            "is not a valid name."
    cases = {
        "directive": ("'use strict';\nfunction Card() { return React.createElement('b', null, 'ok'); }", crash),
        "directive-comments": ("'use strict';\n// the card\n/* shows ok */\nexport default function Card() {\n"
                               "  return React.createElement('b', null, 'ok');\n}",
                               "Failed to load plugin widget: Invalid widget code: Unexpected token 'export'"),
        "use-client": ('"use client"\nconst Card = () => React.createElement(\'b\', null, \'ok\');',
                       crash.replace("'use strict'", "'use client'")),
        "value-first": ("export const LABEL = 'ok';\nexport const Theme = { color: 'red' };\n"
                        "export function Card() { return React.createElement('b', null, LABEL); }",
                        "Failed to load plugin widget: Invalid widget code: Unexpected token 'export'"),
        "value-default": ("const Card = () => React.createElement('b', null, 'ok');\nexport default { title: 'Card' };",
                          "Failed to load plugin widget: Invalid widget code: Unexpected token 'const'"),
    }
    for name, (code, storefront) in cases.items():
        result = engine.render(f"shape-{name}", code, "component-kinds")
        assert result["errors"] == [] and texts(result["tree"]) == ["ok"], (name, result["errors"])
        assert result["compiled"]["storefront"] == storefront, name
        assert f"“{storefront}”" in result["warnings"][0], name
        engine.unmount(f"shape-{name}")


def test_memo_forward_ref_and_lazy_components_are_widgets(engine):
    cases = {
        "memo": "React.memo(function Card() { return React.createElement('b', null, 'ok'); })",
        "forward-ref": "export default React.forwardRef(function Card(props, ref) {\n"
                       "  return React.createElement('b', { ref }, 'ok');\n})",
        "memo-module": "const Card = React.memo(() => React.createElement('b', null, 'ok'));\nconst size = 3;",
        "forward-ref-module": "export const Card = React.forwardRef((props, ref) => React.createElement('b', { ref }, 'ok'));",
        "class": "class Card extends React.Component { render() { return React.createElement('b', null, 'ok'); } }",
        "lazy": "React.lazy(() => Promise.resolve({ default: () => React.createElement('b', null, 'ok') }))",
    }
    for name, code in cases.items():
        result = engine.render(f"kind-{name}", code, "component-kinds")
        assert result["errors"] == [] and texts(result["tree"]) == ["ok"], (name, result["errors"])
        assert result["compiled"]["platform_compatible"] == (name in ("memo", "forward-ref", "class", "lazy")), name
        engine.unmount(f"kind-{name}")


def test_code_that_gives_no_component_says_so_and_what_the_storefront_shows(engine):
    number = engine.render("none-number", "42", "component-kinds")
    assert texts(number["tree"]) == [] and number["errors"][0]["phase"] == "shape"
    assert "the storefront's compile gives 42 (a number), not a component" in number["errors"][0]["message"]
    assert "a blank page: React throws 'Element type is invalid" in number["warnings"][0]
    directive = engine.render("none-directive", "'use strict';\nconst size = 3;", "component-kinds")
    assert 'gives "use strict" (a string)' in directive["errors"][0]["message"]
    assert "Widget crashed: Failed to execute 'createElement'" in directive["warnings"][0]
    module = engine.render("none-module", "const size = 3;\nexport default size;", "component-kinds")
    assert module["errors"][0]["message"].startswith("the code defines no component: its default export is 3 (a number)")
    nothing = engine.render("none-comment", "// later\nfunction Card() { return null; }\nCard = 0;", "component-kinds")
    assert "Widget not found" in nothing["warnings"][0]


def test_an_invalid_element_name_crashes_as_chrome_refuses_it(engine):
    result = engine.render("bad-tag", "function W() { return React.createElement('my widget', null, 'x'); }", "tags")
    assert texts(result["tree"]) == ["Widget crashed: Failed to execute 'createElement' on 'Document': The tag name "
                                     "provided ('my widget') is not a valid name."]
    fine = engine.render("ok-tag", "function W() { return React.createElement('x-card', null, 'x'); }", "tags")
    assert fine["errors"] == [] and texts(fine["tree"]) == ["x"]


def test_a_module_that_throws_while_loading_reports_its_own_error_not_a_fallbacks(engine):
    """The storefront's compile fails on `import`; the module compiles and throws at line 2: that is
    the error of the code that would run, at its line, and the storefront's own text is the warning."""
    code = ("import React from 'react';\nclass Card extends Ract.Component {\n  render() { return 'x'; }\n}\n"
            "export default Card;")
    result = engine.render("ract", code, "loading")
    error = result["errors"][0]
    assert (error["phase"], error["name"], error["message"], error["line"]) == \
        ("load", "ReferenceError", "Ract is not defined", 2)
    assert "“Failed to load plugin widget: Invalid widget code: Cannot use import statement outside a module”" \
        in result["warnings"][0]
    late = engine.render("late-throw", "const n = React.missing.size;\nfunction Card() { return null; }\n"
                                       "export default Card;", "loading")
    assert (late["errors"][0]["phase"], late["errors"][0]["line"]) == ("load", 1)
    assert "size" in late["errors"][0]["message"]


def test_the_browser_page_picks_the_component_the_preview_renders(engine):
    """The Open-in-browser page runs the same candidates with widget_shell.js's choice: run here in
    QuickJS with React's browser build, up to the element it hands react-dom."""
    import dukpy

    from plugin_studio.runner import npm_packages
    from plugin_studio.runner.widget_page import REACT_UMD, browser_page

    engine.render("page", "'use strict';\nconst Card = React.memo(() => React.createElement('b', null, 'ok'));", "page")
    page = browser_page(engine.source("page")["candidates"], {}, {}, [], "page")
    boot = page.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    js = dukpy.JSInterpreter()
    js.evaljs("var window = globalThis, self = globalThis;" + npm_packages.read_text(*REACT_UMD) + ";0")
    shown = js.evaljs("var out = null; var document = { getElementById: function () { return {}; } };"
                      "var ReactDOM = { createRoot: function () { return { render: function (e) { out = e; } }; } };"
                      + boot + "; [typeof out.props.widget, out.props.widget.$$typeof === React.memo(function () {}).$$typeof]")
    assert shown == ["object", True]
    engine.unmount("page")


def test_structured_clone_url_search_params_and_abort_controller_as_chrome_has_them(engine):
    """Web APIs the storefront's browser has and QuickJS lacks, from pinned npm packages."""
    code = """function Filters({ config }) {
      const [state, setState] = React.useState('waiting');
      React.useEffect(() => {
        const controller = new AbortController();
        controller.signal.addEventListener('abort', (e) => setState(e.type + ': ' + controller.signal.reason.name));
        const timer = setTimeout(() => controller.abort(), 100);
        return () => clearTimeout(timer);
      }, []);
      const copy = structuredClone(config);
      copy.tags.push('copied');
      const query = new URLSearchParams({ q: 'red shoes', page: '2' });
      query.append('tag', 'a&b');
      const url = new URL('/search?' + query, 'https://shop.example/cart');
      const fails = (() => { try { structuredClone(() => 1); return 'cloned'; } catch (e) { return e.name; } })();
      return React.createElement('p', null, [config.tags.join('+'), copy.tags.join('+'), copy.when instanceof Date,
        query.toString(), url.pathname + url.search, new URLSearchParams(url.search).get('tag'), fails, state].join(' | '));
    }"""
    config = {"tags": ["a"], "when": None}
    result = engine.render("web-apis", code.replace("structuredClone(config)",
                                                    "structuredClone(Object.assign({}, config, { when: new Date(0) }))"),
                           "web-apis", config)
    assert result["errors"] == [], result["errors"]
    expected = ["a", "a+copied", "true", "q=red+shoes&page=2&tag=a%26b", "/search?q=red+shoes&page=2&tag=a%26b", "a&b",
                "DataCloneError"]
    assert texts(result["tree"]) == [" | ".join(expected + ["waiting"])]
    later = engine.advance("web-apis", 150)
    assert texts(later["tree"]) == [" | ".join(expected + ["abort: AbortError"])]
    engine.unmount("web-apis")


def test_widget_code_replacing_json_neither_reaches_the_runtime_nor_breaks_the_preview(engine):
    """The runner's calls arrive as JSON text with the token, parsed by a JSON.parse taken before any
    widget code ran; a widget that replaces the global one sees nothing and breaks nothing."""
    spy = engine.render("json-spy", """function W() {
      const [seen] = React.useState(() => {
        const seen = [];
        JSON.parse = (text) => { seen.push(text); return {}; };
        JSON.stringify = () => { seen.push('stringify'); return '{}'; };
        Object.prototype.toJSON = undefined;
        try { __studioPreview.dispatch('roots', '["guess", {}]'); } catch (e) { seen.push(e.message); }
        return seen;
      });
      return React.createElement('p', { onClick: () => {} }, 'seen: ' + seen.join(', '));
    }""", "json-spy")
    assert texts(spy["tree"]) == ["seen: not available to widget code"]
    clicked = engine.event("json-spy", find(spy["tree"], "p")[0]["id"], "click")
    assert clicked["errors"] == [] and texts(clicked["tree"]) == ["seen: not available to widget code"]
    engine.unmount("json-spy")


def test_what_the_preview_shows_follows_every_change_of_props(engine):
    """Serialised props are kept while a re-render shows the same; a change of a style value,
    a prop or a handler's presence is shown."""
    code = """function W({ config }) {
      const [n, setN] = React.useState(0);
      return React.createElement('button', Object.assign({ style: { color: config.color, padding: 4 },
        title: 'n' + (n > 1 ? 2 : 0), onClick: () => setN(n + 1) }, n === 1 ? { onMouseEnter: () => {} } : {}), 'n=' + n);
    }"""
    first = engine.render("props", code, "props", {"color": "red"})
    button = find(first["tree"], "button")[0]
    assert button["props"] == {"style": {"color": "red", "padding": 4}, "title": "n0", "onClick": {"$handler": "onClick"}}
    shown = [engine.event("props", button["id"], "click")["tree"]]
    shown.append(engine.event("props", button["id"], "click")["tree"])
    assert find(shown[0], "button")[0]["props"]["onMouseEnter"] == {"$handler": "onMouseEnter"}
    assert "onMouseEnter" not in find(shown[1], "button")[0]["props"] and find(shown[1], "button")[0]["props"]["title"] == "n2"
    blue = engine.render("props", code, "props", {"color": "blue"})
    assert find(blue["tree"], "button")[0]["props"]["style"] == {"color": "blue", "padding": 4}
    engine.unmount("props")
