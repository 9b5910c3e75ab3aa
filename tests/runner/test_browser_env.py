"""The browser frontend code runs in (DESIGN §5, Environment): what real storefront listeners use.

7 of 21 real listeners failed on a missing ``window``, ``document``, ``localStorage``,
``sessionStorage``, ``navigator``, ``fetch`` or ``alert`` alone, and 6 did their work in a timer that
never ran. Each is run here as a listener or filter would use it, with what a browser gives back.
"""
from __future__ import annotations

from plugin_studio.models.chain import EVENT, TABLES, Handler, hook_handler
from plugin_studio.runner.chain import apply_filters, emit


def listener(code: str, row: str = "listener-1", plugin: str = "shop") -> Handler:
    return Handler(TABLES[EVENT], row, plugin, "Shop", "cart.viewed", EVENT, 10, True, "events/cart_viewed.js", code)


def run_listener(host, code: str, data=None, **scenario):
    trace = emit(host, [listener(code)], "cart.viewed", {"items": [1, 2]} if data is None else data, **scenario)
    [step] = trace.steps
    assert step.error is None, step.error
    return trace, step


def texts(step) -> list[str]:
    return [line["text"] for line in step.console]


def test_window_is_the_global_object_and_an_event_target(host):
    _, step = run_listener(host, """function (cart) {
  window.cartCount = cart.items.length;
  window.addEventListener('cart:updated', e => console.log('heard', e.detail.count, typeof cartCount));
  window.dispatchEvent(new CustomEvent('cart:updated', {detail: {count: window.cartCount}}));
  console.log(window === globalThis, window.location.pathname, window.innerWidth > 0);
}""")
    assert texts(step) == ["heard 2 number", "true /cart true"]


def test_document_builds_and_queries_elements(host):
    _, step = run_listener(host, """function (cart) {
  const badge = document.createElement('span');
  badge.className = 'cart-badge';
  badge.textContent = String(cart.items.length);
  document.body.appendChild(badge);
  const found = document.querySelector('.cart-badge');
  console.log(found.outerHTML, document.title, document.querySelectorAll('span').length);
}""")
    assert texts(step) == ['<span class="cart-badge">2</span> Storefront 1']


def test_local_and_session_storage_keep_strings_for_the_run(host):
    _, step = run_listener(host, """function (cart) {
  localStorage.setItem('lastCart', JSON.stringify(cart));
  sessionStorage.setItem('views', 1 + Number(sessionStorage.getItem('views') || 0));
  console.log(JSON.parse(localStorage.getItem('lastCart')).items.length, typeof sessionStorage.getItem('views'),
              sessionStorage.getItem('views'), localStorage.getItem('missing'), localStorage.length);
}""")
    assert texts(step) == ["2 string 1 null 1"]


def test_storage_starts_as_the_scenario_gives_it(host):
    trace = emit(host, [listener("function () { console.log(localStorage.getItem('selectedStoreId')); }")],
                 "cart.viewed", {}, env={"localStorage": {"selectedStoreId": "store-7"}})
    assert texts(trace.steps[0]) == ["store-7"]


def test_navigator_says_what_a_desktop_chrome_says(host):
    _, step = run_listener(host, "() => console.log(navigator.language, /Chrome/.test(navigator.userAgent), "
                                 "navigator.onLine, navigator.cookieEnabled)")
    assert texts(step) == ["en-US true true true"]


def test_alert_confirm_and_prompt_are_recorded_and_answered_as_nobody_is_there(host):
    _, step = run_listener(host, """function (cart) {
  alert('You have ' + cart.items.length + ' items');
  const sure = confirm('Proceed?');
  const code = prompt('Coupon?');
  console.log('answers', sure, code);
}""")
    assert texts(step) == ["alert: You have 2 items", "confirm: Proceed? → false (no one to click OK)",
                           "prompt: Coupon? → null (no one to type)", "answers false null"]


def test_fetch_without_a_canned_response_is_rejected_as_a_browser_rejects_a_failed_request(host):
    _, step = run_listener(host, """function () {
  fetch('/api/recommendations').then(r => console.log('got', r.status))
    .catch(e => console.log(e.name + ': ' + e.message));
}""")
    assert texts(step) == ["GET /api/recommendations → rejected: no canned response (TypeError: Failed to fetch)",
                           "TypeError: Failed to fetch"]


def test_fetch_answers_from_a_canned_response_with_status_and_headers(host):
    code = """async function (cart) {
  const response = await fetch('/api/cart/summary?id=1', {method: 'POST', body: JSON.stringify(cart)});
  console.log(response.ok, response.status, response.headers.get('content-type'), (await response.json()).total);
}"""
    trace = emit(host, [listener(code)], "cart.viewed", {"items": []},
                 env={"fetch": [{"url": "/api/cart/summary", "method": "POST", "status": 201, "body": {"total": 9}}]})
    assert texts(trace.steps[0]) == ["POST /api/cart/summary?id=1 → 201 (canned)", "true 201 application/json 9"]


def test_work_done_in_a_timer_runs_and_is_the_listeners(host):
    trace, step = run_listener(host, """function (cart) {
  setTimeout(() => {
    localStorage.setItem('seen', cart.items.length);
    console.log('tracked after delay', localStorage.getItem('seen'));
  }, 2000);
}""")
    assert texts(step) == ["tracked after delay 2"]
    assert trace.timers["fired"] == 1


def test_an_error_thrown_in_a_timer_is_the_step_that_set_it(host):
    trace = emit(host, [listener("function () {\n  setTimeout(() => {\n    missing.call();\n  }, 10);\n}")],
                 "cart.viewed", {})
    [step] = trace.steps
    assert step.error is None  # the listener itself returned; its timer failed later, uncaught, as in a browser
    [line] = step.console
    assert line["level"] == "error" and line["text"].startswith("Uncaught (in a timer at 10 ms) ")
    assert "missing is not defined" in line["text"] and "events/cart_viewed.js:3" in line["text"], line
    assert any("a timer it set threw" in note for note in step.notes)


def test_requestanimationframe_runs_on_the_virtual_clock(host):
    _, step = run_listener(host, "() => { requestAnimationFrame(t => console.log('frame at', t)); }")
    assert texts(step) == ["frame at 16"]


def test_a_filter_sees_the_same_browser(host):
    handler = hook_handler("shop", "hook-1", "hooks/cart_getCurrencySymbol.js",
                           "function (symbol) { return navigator.language === 'en-US' && window.document ? '$' : symbol; }")
    assert apply_filters(host, [handler], "cart.getCurrencySymbol", "?").final == "$"


def test_structured_clone_url_search_params_and_abort_controller(host):
    """Web APIs Chrome has and QuickJS lacks (browser_builtins.js, from pinned npm packages)."""
    _, step = run_listener(host, """function (cart) {
  const copy = structuredClone({items: cart.items, at: new Date(0), seen: new Set([1])});
  copy.items.push(3);
  const query = new URLSearchParams(new URL('https://storefront.example/cart?coupon=SAVE%2020&x=1').search);
  query.delete('x');
  const controller = new AbortController();
  controller.abort();
  console.log(cart.items.length, copy.items.length, copy.at.getTime(), copy.seen.has(1), query.get('coupon'),
              String(query), controller.signal.aborted, controller.signal.reason.name, typeof AbortSignal.timeout);
}""")
    assert texts(step) == ["2 3 0 true SAVE 20 coupon=SAVE+20 true AbortError function"]
