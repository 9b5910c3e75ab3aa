"""One interpreter per plugin (DESIGN.md §3): a widget of plugin B can neither read, change nor
unmount plugin A's preview, nor see its config or what was typed into it; a runaway widget of B
costs B's previews only. Run through a real worker process, as the IDE runs previews."""
from __future__ import annotations

import time

import pytest

from plugin_studio.runner.errors import JsTimeout
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.limits import Limits

from widget_helpers import find, texts

SECRET = "sk_live_51SECRETkey"
CARD = "4111 1111 1111 1111"

CHECKOUT = """function Checkout({ config }) {
  const [card, setCard] = React.useState('');
  const [paid, setPaid] = React.useState(0);
  return React.createElement('form', { onSubmit: (e) => { e.preventDefault(); setPaid(paid + 1); } },
    React.createElement('input', { name: 'card', value: card, onChange: (e) => setCard(e.target.value) }),
    React.createElement('input', { name: 'note' }),
    React.createElement('span', null, 'merchant ' + config.merchantKey.slice(0, 7) + ' paid ' + paid),
    React.createElement('button', null, 'Pay'));
}"""

# Everything a widget can reach from the global object, a few levels deep, as one string.
SPY = """function Spy() {
  const h = React.createElement, seen = new Set(), found = [];
  function walk(value, depth) {
    if (value === null || depth > 5) return;
    if (typeof value === 'string') { found.push(value); return; }
    if ((typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(value);
    if (typeof value === 'function') { try { found.push(String(value)); } catch (e) {} }
    let names = [];
    try { names = Object.getOwnPropertyNames(value); } catch (e) { return; }
    for (const name of names) {
      let child;
      try { child = value[name]; } catch (e) { continue; }
      walk(child, depth + 1);
    }
  }
  walk(globalThis, 0);
  try { for (let i = 0; i < localStorage.length; i++) found.push(localStorage.getItem(localStorage.key(i))); } catch (e) {}
  const attempts = [];
  for (const guess of ['', 'token', '0']) {
    try { __studioPreview(guess, 'unmount', { root: 'victim' }); attempts.push('unmounted'); } catch (e) { attempts.push('refused'); }
  }
  React.createElement = function () { return null; };
  globalThis.fetch = function () { throw new Error('hijacked'); };
  window.dispatchEvent(new CustomEvent('submit'));
  const text = found.join('\\n');
  return h('p', null, [text.indexOf('SECRET') >= 0, text.indexOf('4111') >= 0, attempts.join(',')].join(' '));
}"""


@pytest.fixture
def host():
    with JsHost(Limits(timeout_ms=1000, grace_ms=3000)) as worker:
        yield worker


def render(host: JsHost, root: str, plugin: str, code: str, config=None) -> dict:
    host.call("widget.prepare", plugin=plugin, timeout_ms=20_000)
    return host.call("widget.render", root=root, plugin=plugin, code=code, config=config or {})


def test_another_plugins_widget_cannot_see_or_touch_a_preview(host):
    victim = render(host, "victim", "plugin-a", CHECKOUT, {"merchantKey": SECRET})
    assert "merchant sk_live paid 0" in texts(victim["tree"])
    card = find(victim["tree"], "input")[0]
    victim = host.call("widget.event", root="victim", node=card["id"], type="input", data={"value": CARD})
    assert find(victim["tree"], "input")[0]["dom"] == {"value": CARD}
    leak = "function L() { window.cardCopy = '" + CARD + "'; localStorage.setItem('k', '" + SECRET + "'); return null; }"
    render(host, "leaker", "plugin-a", leak)  # A's own code puts both where A's widgets can reach them
    spy = render(host, "spy", "plugin-b", SPY)
    assert texts(spy["tree"]) == ["false false refused,refused,refused"], "nothing of plugin A is in reach"
    after = host.call("widget.event", root="victim", node=find(victim["tree"], "button")[0]["id"], type="click")
    assert "merchant sk_live paid 1" in texts(after["tree"]), "A's React and A's state are untouched"
    assert find(after["tree"], "input")[0]["dom"] == {"value": CARD}
    same = render(host, "same-plugin-spy", "plugin-a", SPY)
    assert texts(same["tree"]) == ["true true refused,refused,refused"], "the spy does find what is in its reach"


def test_the_same_widget_in_two_plugins_shares_nothing(host):
    counter = """function C() {
      const [n, setN] = React.useState(() => Number(localStorage.getItem('n') || 0));
      React.useEffect(() => { localStorage.setItem('n', String(n)); window.shared = (window.shared || 0) + 1; }, [n]);
      return React.createElement('button', { onClick: () => setN(n + 1) }, 'n ' + n + ' shared ' + window.shared);
    }"""
    a = render(host, "a", "plugin-a", counter)
    for _ in range(2):
        a = host.call("widget.event", root="a", node=find(a["tree"], "button")[0]["id"], type="click")
    assert texts(a["tree"]) == ["n 2 shared 2"]
    b = render(host, "b", "plugin-b", counter)
    assert texts(b["tree"]) == ["n 0 shared undefined"], "B has its own window and storage"


def test_a_runaway_widget_costs_only_its_own_plugins_previews(host):
    victim = render(host, "victim", "plugin-a", CHECKOUT, {"merchantKey": SECRET})
    card = find(victim["tree"], "input")[0]
    host.call("widget.event", root="victim", node=card["id"], type="input", data={"value": CARD})
    render(host, "sibling", "plugin-b", "function S() { return React.createElement('i', null, 'sibling'); }")
    with pytest.raises(JsTimeout):
        render(host, "loop", "plugin-b", "function L() { while (true) {} }")
    assert host.restarts == 0, "the worker stopped the loop itself"
    gone = host.call("widget.event", root="sibling", node=1, type="click")
    assert gone.get("missing_root"), "plugin B's interpreter was reset with its previews"
    still = host.call("widget.event", root="victim", node=find(victim["tree"], "button")[0]["id"], type="click")
    assert "merchant sk_live paid 1" in texts(still["tree"])
    assert find(still["tree"], "input")[0]["dom"] == {"value": CARD}, "A's typed input survived"


def test_a_runaway_promise_job_is_stopped_and_costs_only_its_plugins_previews(host):
    """Promise jobs run after the call that started them, still under its time limit."""
    a = render(host, "jobs-a", "plugin-a", "function A() { return React.createElement('b', null, 'a'); }")
    with pytest.raises(JsTimeout):
        render(host, "jobs-b", "plugin-b", "function B() {\n  React.useEffect(() => { Promise.resolve().then(() => "
                                         "{ while (true) {} }); }, []);\n  return null;\n}")
    still = host.call("widget.event", root="jobs-a", node=find(a["tree"], "b")[0]["id"], type="click")
    assert texts(still["tree"]) == ["a"]


def test_a_previews_heap_is_collected_while_the_worker_is_idle(host):
    """Calls leave React's garbage to the collector, which the worker runs once no request waits."""
    shown = render(host, "idle", "plugin-idle", "function W() { const [n, setN] = React.useState(0); "
                                                "return React.createElement('button', { onClick: () => setN(n + 1) }, 'n ' + n); }")
    done = host.call("widget.status")["collections"]
    for _ in range(3):
        shown = host.call("widget.event", root="idle", node=find(shown["tree"], "button")[0]["id"], type="click")
    assert texts(shown["tree"]) == ["n 3"]
    for _ in range(400):  # each status call is a request: the worker is idle between them
        if host.call("widget.status")["collections"] > done:
            break
        time.sleep(0.05)
    assert host.call("widget.status")["collections"] > done
    again = host.call("widget.event", root="idle", node=find(shown["tree"], "button")[0]["id"], type="click")
    assert texts(again["tree"]) == ["n 4"], "the preview goes on after its heap was collected"
