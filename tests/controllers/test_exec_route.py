"""Requests to a plugin's controllers answered as the platform's exec route answers them."""
from __future__ import annotations

import pytest
from platform_db import insert_row

from plugin_studio.db import controllers, plugins
from plugin_studio.db.runtime import load_modules
from plugin_studio.models.controller_requests import ControllerRequest, RequestError
from plugin_studio.runner.controllers import send_request


def send(js, conn, plugin_id, method, target, **more):
    plugin = plugins.get_plugin(conn, plugin_id)
    modules = load_modules(conn, [plugin_id])[plugin_id]
    js.set_modules(plugin_id, modules.scripts, modules.dependencies)
    return send_request(js, plugin, controllers.controllers_of(conn, plugin_id),
                        ControllerRequest(method, target, **more))


def test_a_parameterised_route_gets_the_platforms_req_with_body_and_query(js, platform_conn, visits):
    answer = send(js, platform_conn, visits["plugin"], "GET", "/visits/42?sort=desc&tag=a&tag=b&f[x]=1",
                  body='{"note": "hi", "n": 1.50}', role="customer")
    assert (answer.status, answer.controller, answer.sent_by) == (200, "get-visit", "handler")
    body = answer.body
    assert body["keys"] == ["body", "query", "params", "headers", "ip", "user", "method"]
    assert body["params"] == {"0": "/visits/42", "pluginId": "visits", "id": "42"}
    assert body["body"] == {"note": "hi", "n": 1.5}
    assert body["query"] == {"sort": "desc", "tag": ["a", "b"], "f": {"x": "1"}}
    assert (body["user"], body["method"], body["id"]) == ("customer", "GET", "42")
    assert answer.console == [{"level": "log", "text": "looking up 42"}]
    assert answer.url == "/api/plugins/visits/exec/visits/42?sort=desc&tag=a&tag=b&f[x]=1"
    assert any("requires_auth is set" in n for n in answer.notes)


def test_status_then_json_is_the_status_and_that_body(js, platform_conn, visits):
    answer = send(js, platform_conn, visits["plugin"], "GET", "/visits/missing")
    assert answer.status == 404
    assert answer.body == {"success": False, "error": "no visit missing"}


def test_an_exact_route_wins_and_a_request_without_body_has_an_empty_object(js, platform_conn, visits):
    answer = send(js, platform_conn, visits["plugin"], "GET", "/visits")
    assert (answer.status, answer.controller, answer.body) == (200, "list-visits", {"visits": [], "query": {}})


def test_a_handler_that_sends_nothing_gets_the_platforms_default_answer(js, platform_conn, visits):
    answer = send(js, platform_conn, visits["plugin"], "POST", "/visits", body="{}")
    assert (answer.status, answer.sent_by) == (200, "default")
    assert answer.body_text == '{"success":true,"message":"Controller executed successfully"}'
    assert platform_conn.execute("SELECT data_value FROM plugin_data WHERE data_key = 'visits'").fetchone() == (1,)
    assert any("pluginData is not defined where the platform runs controllers" in n for n in answer.notes)


def add(conn, plugin, name, code, method="GET", path=None):
    return insert_row(conn, "plugin_controllers", plugin_id=plugin, controller_name=name, method=method,
                      path=path or f"/{name}", handler_code=code)


def test_a_throw_is_a_500_with_its_message_and_the_line_it_came_from(js, platform_conn, visits):
    add(platform_conn, visits["plugin"], "boom", "(req, res) => {\n  const x = 1;\n  throw new Error('kaput ' + x);\n}")
    answer = send(js, platform_conn, visits["plugin"], "GET", "/boom")
    assert (answer.status, answer.sent_by) == (500, "error")
    assert answer.body == {"success": False, "error": "kaput 1"}
    assert (answer.error["path"], answer.error["line"]) == ("controllers/boom.js", 3)


def test_an_async_rejection_after_a_timer_is_a_500_and_a_status_without_json_keeps_its_status(js, platform_conn, visits):
    add(platform_conn, visits["plugin"], "late", "async (req, res) => {\n  await new Promise(r => setTimeout(r, 50));\n"
                                                  "  throw new TypeError('late');\n}")
    add(platform_conn, visits["plugin"], "created", "(req, res) => { res.status(201); }")
    assert send(js, platform_conn, visits["plugin"], "GET", "/late").body == {"success": False, "error": "late"}
    created = send(js, platform_conn, visits["plugin"], "GET", "/created")
    assert (created.status, created.body["message"]) == (201, "Controller executed successfully")


def test_code_the_route_cannot_compile_is_a_500_as_on_the_platform(js, platform_conn, visits):
    add(platform_conn, visits["plugin"], "commented", "(req, res) => res.json({ ok: true }) // done")
    add(platform_conn, visits["plugin"], "exported", "export default function (req, res) { res.json(1); }")
    for name in ("commented", "exported"):
        answer = send(js, platform_conn, visits["plugin"], "GET", f"/{name}")
        assert (answer.status, answer.sent_by) == (500, "error"), name
        assert any("one function expression" in n for n in answer.notes)
        assert answer.error["path"] == f"controllers/{name}.js"


def test_no_matching_route_is_the_platforms_404(js, platform_conn, visits):
    answer = send(js, platform_conn, visits["plugin"], "DELETE", "/visits/1")
    assert answer.status == 404 and answer.controller is None
    assert answer.body == {"success": False, "error": "Controller not found: DELETE /visits/1", "pluginId": "visits",
                           "availableControllers": []}


def test_supabase_is_refused_with_a_message_and_sequelize_is_noted(js, platform_conn, visits):
    add(platform_conn, visits["plugin"], "query", "async (req, res, { supabase, sequelize }) => {\n"
                                                  "  const rows = await supabase.from('orders').select('*');\n  res.json(rows);\n}")
    answer = send(js, platform_conn, visits["plugin"], "GET", "/query")
    assert answer.status == 500 and "tenant database client" in answer.body["error"]
    assert any("sequelize is undefined there" in n for n in answer.notes)


def test_an_inactive_plugin_runs_here_with_the_storefronts_403_noted(js, platform_conn):
    from plugin_parts import add_visits_plugin

    ids = add_visits_plugin(platform_conn, "Drafts", "drafts", status="inactive")
    answer = send(js, platform_conn, ids["plugin"], "GET", "/visits")
    assert answer.status == 200
    assert any("answers 403" in n for n in answer.notes)


@pytest.mark.parametrize("body, message", [("{oops", "not valid JSON"), ('"text"', "only an object or an array")])
def test_a_body_the_platforms_parser_refuses_is_a_request_error(js, platform_conn, visits, body, message):
    with pytest.raises(RequestError, match=message):
        send(js, platform_conn, visits["plugin"], "POST", "/visits", body=body)
