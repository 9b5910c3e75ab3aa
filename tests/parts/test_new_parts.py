"""New File for every part: the row it becomes, shown in the tree, with starter code that runs."""
from __future__ import annotations

import json

import pytest
from platform_db import insert_platform_plugin
from plugin_parts import ROOMY

from plugin_studio.db import controllers, cron, plugins
from plugin_studio.db.errors import ValidationError
from plugin_studio.db.files import load_plugin_files
from plugin_studio.models import paths
from plugin_studio.models.controller_requests import ControllerRequest
from plugin_studio.models.new_files import NewFileRequest
from plugin_studio.runner.controllers import run_cron_job, send_request
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services
from plugin_studio.services.entities import generate_migration
from plugin_studio.services.new_files import create_new_file


@pytest.fixture
def shop(platform_conn):
    return insert_platform_plugin(platform_conn, "Shop Tools", slug="shop-tools", status="active")


def new(conn, plugin, kind, **fields):
    return create_new_file(conn, plugin, "Shop Tools", NewFileRequest(kind, **fields))


def test_every_part_kind_becomes_its_row_and_shows_in_the_tree(platform_conn, shop):
    new(platform_conn, shop, "Controller", name="list-orders", method="GET", route="/orders/:id")
    new(platform_conn, shop, "Entity", name="OrderNote")
    new(platform_conn, shop, "Cron Job", name="nightly", schedule="0 3 * * *", timezone="Europe/Berlin")
    new(platform_conn, shop, "Document", name="CHANGELOG.md")
    new(platform_conn, shop, "Admin Page", name="orders-board")
    new(platform_conn, shop, "Admin Script", name="admin-menu")
    plugin = plugins.get_plugin(platform_conn, shop)
    shown = {e.path: e.badge.text if e.badge else None
             for e in paths.entries_for(plugin, load_plugin_files(platform_conn, shop))}
    assert shown["controllers/list-orders.js"] == "GET /orders/:id"
    assert shown["entities/OrderNote.json"] == "order_notes · pending"
    assert shown["cron/nightly.js"].startswith("At 03:00 · next ")
    assert shown["CHANGELOG.md"] == "changelog"
    assert shown["admin/orders-board.jsx"] == "/admin/plugins/shop-tools/orders-board"
    assert "admin/scripts/admin-menu.js" in shown


def test_the_starter_controller_and_cron_job_run(platform_conn, shop):
    new(platform_conn, shop, "Controller", name="get-order", method="GET", route="/orders/:id")
    new(platform_conn, shop, "Cron Job", name="nightly", schedule="0 3 * * *")
    plugin = plugins.get_plugin(platform_conn, shop)
    with JsHost(ROOMY, plugin_data_services(lambda: platform_conn)) as host:
        answer = send_request(host, plugin, controllers.controllers_of(platform_conn, shop),
                              ControllerRequest("GET", "/orders/7?full=1"))
        job = run_cron_job(host, plugin, cron.find_cron(platform_conn, shop, "nightly"))
    assert answer.status == 200 and answer.body == {"success": True, "params": {"0": "/orders/7",
                                                                                "pluginId": "shop-tools", "id": "7"},
                                                    "query": {"full": "1"}}
    assert job.status == "ok" and json.loads(job.result_text)["result"]["ok"] is True


def test_the_starter_entity_generates_a_migration(platform_conn, shop):
    _table, row_id = new(platform_conn, shop, "Entity", name="OrderNote")
    made = generate_migration(platform_conn, row_id)
    assert made.migration.up_sql.startswith("CREATE TABLE order_notes (")
    platform_conn.execute(made.migration.up_sql)
    platform_conn.execute(made.migration.down_sql)


@pytest.mark.parametrize("kind, fields, message", [
    ("Controller", dict(name="x", method="FETCH"), "method"),
    ("Cron Job", dict(name="x", schedule="61 * * * *"), "minute"),
    ("Cron Job", dict(name="x", timezone="Mars/Olympus"), "timezone"),
    ("Document", dict(name="NOTES.txt"), "README.md"),
    ("Entity", dict(name="!!!"), "name"),
])
def test_bad_new_parts_say_what_is_wrong(platform_conn, shop, kind, fields, message):
    with pytest.raises(ValidationError, match=message):
        new(platform_conn, shop, kind, **fields)


def test_a_second_readme_or_taken_admin_route_is_refused(platform_conn, shop):
    new(platform_conn, shop, "Document", name="README.md")
    with pytest.raises(ValidationError, match="already has a README.md"):
        new(platform_conn, shop, "Document", name="readme.md")
    new(platform_conn, shop, "Admin Page", name="board", route="/admin/x")
    other = insert_platform_plugin(platform_conn, "Other")
    with pytest.raises(ValidationError, match="/admin/x"):
        create_new_file(platform_conn, other, "Other", NewFileRequest("Admin Page", name="b", route="/admin/x"))
