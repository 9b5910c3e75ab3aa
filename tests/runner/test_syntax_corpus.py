"""Check and run agree: every handler the syntax check accepts also loads in the runner, and every
JSX widget it accepts also compiles in the preview (one transform for both, DESIGN §2).

A corpus of handler code (every shape the runner takes, modern syntax in plain and module code),
and for each of them seeded mutations (a character dropped, a `;`, `)` or `}` put in, a line
removed...), so the two are compared on code nobody wrote on purpose too. Whatever the check
accepts must load: no load-phase error. (What it rejects may or may not load; the check is allowed
to be stricter than nothing, never more lenient than the runner.)
"""
from __future__ import annotations

import random

from plugin_studio.models.chain import hook_handler
from plugin_studio.runner.chain import apply_filters
from plugin_studio.runner.syntax import check_syntax_many

CORPUS = [
    "function (p) { return p + 1 }",
    "async function (items) { return items; }",
    "(p) => p * 2",
    "p => p;",
    "export default function (cart) { return cart?.items?.length ?? 0; }",
    "export default (d) => ({ ...d, seen: true });",
    "// comment\nexport default function named(d) {\n  const { a = 1, ...rest } = d || {};\n  return [a, rest];\n}",
    "export const RATE = 0.5;\nexport default function (cart) { return (cart?.total ?? 0) * RATE; }",
    "import { helper } from './utils/helper';\nexport default function (v) { return helper(v); }",
    "const table = new Map([[1, 'a']]);\nexport default function (v) { return table.get(v) ?? 'none'; }",
    "class Counter { count = 0; #secret = 1; bump() { return ++this.count + this.#secret; } }\n"
    "export default function (v) { return new Counter().bump() + v; }",
    "export function f(x) { return x; }\nexport default function (v) { return f(v); }",
    "module.exports = function (v) { return `value: ${v}`; };",
    "module.exports = async (v) => { await null; return v; };",
    "function (v) {\n  label: for (const x of [1, 2]) { if (x > v) break label; }\n  return v ** 2;\n}",
    "(v) => { try { return JSON.parse(v); } catch { return null; } }",
    "function (v) { return v.replace(/a(?<name>b)/g, '$<name>'); }",
    "export default function (v) { const big = 10n ** 20n; return String(big) + v; }",
    "function (v) {\n  const obj = { get x() { return 1; }, [`k${v}`]: 2 };\n  return obj;\n}",
    "export default function* gen(v) { yield v; }",
    "function (items, context) {\n  if (items.length >= 3) return items.map(i => ({...i, price: i.price * 0.9}));\n  return items;\n}",
]
MUTATIONS = 25  # per corpus entry


def mutate(code: str, rng: random.Random) -> str:
    choice = rng.randrange(6)
    at = rng.randrange(len(code) + 1)
    if choice == 0 and code:
        return code[:at] + code[at + 1:]
    if choice == 1:
        return code[:at] + rng.choice(";)}]({[,.=`'\"") + code[at:]
    if choice == 2:
        lines = code.split("\n")
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if choice == 3:
        return code + rng.choice([";", " // done", "\n;", "}"])
    if choice == 4:
        return rng.choice(["// header\n", "'use strict';\n", "export default ", "export "]) + code
    return code.replace(rng.choice(["return", "const", "function", "=>", "export", "default"]), "", 1)


def corpus() -> list[str]:
    rng = random.Random(1729)
    codes = list(CORPUS)
    for code in CORPUS:
        codes += [mutate(code, rng) for _ in range(MUTATIONS)]
    return list(dict.fromkeys(codes))


def test_every_handler_the_check_accepts_also_loads(host):
    codes = corpus()
    problems = check_syntax_many(host, [(code, "javascript", True) for code in codes])  # strict, as handlers run
    accepted = [code for code, found in zip(codes, problems) if not found]
    assert len(accepted) >= len(CORPUS)  # every unmutated entry, and some mutations
    failures = []
    for i, code in enumerate(accepted):
        handler = hook_handler("corpus", f"row-{i}", f"hooks/corpus_{i}.js", code, name="corpus")
        step = apply_filters(host, [handler], "corpus", 1).steps[0]
        if step.error is not None and step.error.kind == "syntax":  # other load errors (a missing module) are not the check's
            failures.append((code, str(step.error)))
    assert failures == []


WIDGETS = [
    "function Badge() { return <span className='badge'>Sale</span>; }",
    "export default function Cart({ config }) {\n  const n = config?.count ?? 0;\n  return <>{n} items</>;\n}",
    "const Item = ({ name }) => <li>{name}</li>;\n"
    "export default function List() { return <ul>{['a', 'b'].map(n => <Item key={n} name={n} />)}</ul>; }",
    "function Counter() {\n  const [n, setN] = React.useState(0);\n"
    "  return <button onClick={() => setN(n + 1)}>Clicked {n}&nbsp;times</button>;\n}",
    "function Card(props) {\n  const p = { ...props, title: 'x' };\n  return <div {...p}><h3>{p.title}</h3></div>;\n}",
    "class Panel extends React.Component {\n  state = { open: false };\n"
    "  render() { return <div>{this.props.config?.title}</div>; }\n}\nexport default Panel;",
    "function Slot({ slotData }) {\n  return slotData?.items?.length ? <p data-count={slotData.items.length}>Has</p> : <p>Empty</p>;\n}",
    "import React, { useEffect } from 'react';\nexport default function Timer() {\n"
    "  useEffect(() => { const id = setInterval(() => {}, 1000); return () => clearInterval(id); }, []);\n"
    "  return <React.Fragment><i /><b>{`t ${1 + 1}`}</b></React.Fragment>;\n}",
]


def test_every_widget_the_check_accepts_also_goes_through_the_previews_jsx_transform(host):
    """The check and the preview compile JSX with the same transform: whatever JSX the check accepts, the
    preview's JSX compile takes (Babel 6, which the preview used, knew no object spread or ?. in JSX)."""
    from plugin_studio.runner.widget_compile import WidgetCompiler

    rng = random.Random(1730)
    codes = list(WIDGETS)
    for code in WIDGETS:
        codes += [mutate(code, rng) for _ in range(MUTATIONS)]
    codes = list(dict.fromkeys(codes))
    problems = check_syntax_many(host, [(code, "jsx") for code in codes])
    accepted = [code for code, found in zip(codes, problems) if not found]
    assert set(WIDGETS) <= set(accepted) and len(accepted) > len(WIDGETS)
    compiler = WidgetCompiler()
    refused = [(code, str(compiler.compile(code).jsx_error)) for code in accepted if compiler.compile(code).jsx_error]
    assert refused == []


def test_every_corpus_widget_renders_in_the_worker(host):
    for i, code in enumerate(WIDGETS):
        answer = host.call("widget.render", root=f"corpus-{i}", code=code, plugin="corpus")
        assert answer["errors"] == [] and answer["tree"], (code, answer["errors"])
        host.call("widget.unmount", root=f"corpus-{i}")
