"""``plugin-studio controllers call`` answers as the request pane does; ``controllers list`` shows clashes."""
from __future__ import annotations

import json

import pytest

from plugin_studio.cli import main
from plugin_studio.db import controllers, plugins
from plugin_studio.db.runtime import load_modules
from plugin_studio.models.controller_requests import ControllerRequest
from plugin_studio.runner.controllers import send_request


def call(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_gives_the_same_answer_as_the_pane_path(capsys, platform_dsn, platform_conn, visits, js):
    code, out, err = call(capsys, "controllers", "call", "visits", "GET", "/visits/42?tag=a", "--body", '{"x": 1}',
                        "--role", "admin", "--json", "--dsn", platform_dsn)
    assert code == 0, err
    from_cli = json.loads(out)
    plugin = plugins.get_plugin(platform_conn, visits["plugin"])
    modules = load_modules(platform_conn, [plugin.id])[plugin.id]
    js.set_modules(plugin.id, modules.scripts, modules.dependencies)
    direct = send_request(js, plugin, controllers.controllers_of(platform_conn, plugin.id),
                          ControllerRequest("GET", "/visits/42?tag=a", body='{"x": 1}', role="admin")).to_json()
    for key in ("status", "body", "controller", "url", "params", "sent_by", "console", "notes", "error"):
        assert from_cli[key] == direct[key], key
    assert from_cli["body"]["user"] == "admin" and from_cli["body"]["query"] == {"tag": "a"}


def test_the_text_output_shows_status_body_console_and_notes(capsys, platform_dsn, visits):
    code, out, _ = call(capsys, "controllers", "call", "Visits", "get", "/visits/missing", "--dsn", platform_dsn)
    assert code == 0
    assert out.startswith("HTTP 404 · get-visit · /api/plugins/visits/exec/visits/missing")
    assert '"error": "no visit missing"' in out and "console.log: looking up missing" in out
    assert "note: requires_auth is set" in out


def test_a_500_exits_1_and_bad_arguments_exit_2(capsys, platform_dsn, platform_conn, visits):
    from platform_db import insert_row

    insert_row(platform_conn, "plugin_controllers", plugin_id=visits["plugin"], controller_name="boom", method="GET",
               path="/boom", handler_code="() => { throw new Error('x'); }")
    code, out, _ = call(capsys, "controllers", "call", "visits", "GET", "/boom", "--dsn", platform_dsn)
    assert code == 1 and out.startswith("HTTP 500")
    with pytest.raises(SystemExit) as exited:
        main(["controllers", "call", "visits", "POST", "/visits", "--body", "{nope", "--dsn", platform_dsn])
    assert exited.value.code == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_list_shows_routes_and_clashes(capsys, platform_dsn, platform_conn, visits):
    from platform_db import insert_row

    insert_row(platform_conn, "plugin_controllers", plugin_id=visits["plugin"], controller_name="get-visit-2",
               method="GET", path="/visits/:visitId", handler_code="(req, res) => res.json(2)")
    code, out, _ = call(capsys, "controllers", "list", "visits", "--dsn", platform_dsn)
    assert code == 0 and "GET    /visits/:id" in out
    assert "clash: get-visit and get-visit-2 both answer GET /visits/:id" in out
