"""A session of every command except ``db init`` on a database built like the platform's.

The schema (``pg_dump --schema-only``) is the same before and after, for the owner and for a role
that may only read and write rows (which could not change it even if a command tried: there the
commands must simply work).
"""
import json

import pytest

from platform_db import insert_platform_plugin, insert_row, schema_dump
from plugin_studio.cli import main
from plugin_studio.models.templates import get_template
from plugin_studio.services.templates import create_from_template

HOOK = "function (total) { pluginData.set('last_total', total); return total * 2; }"
LISTENER = "function (data) { console.log('viewed', data.items); }"
WIDGET = "function Badge() { return React.createElement('span', null, 'Sale'); }"
MIGRATION = """-- Version: 1.0.1
-- MIGRATION: Seed a greeting
-- UP Migration
UPDATE plugin_registry SET description = 'migrated' WHERE slug = 'cart-hamid';
-- DOWN Migration
UPDATE plugin_registry SET description = NULL WHERE slug = 'cart-hamid';
"""


@pytest.fixture
def platform_plugin(platform_conn) -> str:
    """A plugin written as the platform writes one: an event without file_name, a dependency with an id."""
    plugin = insert_platform_plugin(platform_conn, "Cart Hamid", slug="cart-hamid", status="active")
    insert_row(platform_conn, "plugin_hooks", plugin_id=plugin, hook_name="cart.total", handler_function=HOOK)
    insert_row(platform_conn, "plugin_events", plugin_id=plugin, event_name="cart.viewed", listener_function=LISTENER)
    insert_row(platform_conn, "plugin_widgets", plugin_id=plugin, widget_id="sale-badge", widget_name="Sale",
               component_code=WIDGET)
    insert_row(platform_conn, "plugin_scripts", plugin_id=plugin, script_type="js", scope="backend",
               file_name="utils/format.js", file_content="export const f = x => x;")
    insert_row(platform_conn, "plugin_data", plugin_id=plugin, data_key="greeting", data_value={"text": "hi"})
    insert_row(platform_conn, "plugin_dependencies", id=1, plugin_id=plugin, package_name="tiny", version="1.0.0",
               bundled_code="module.exports = 1;")
    return plugin


@pytest.mark.parametrize("role", ["owner", "dml"])
def test_every_command_leaves_the_schema_as_it_was(role, platform_dsn, dml_dsn, platform_conn, platform_plugin,
                                                   tmp_path, capsys):
    create_from_template(platform_conn, get_template("cart-viewer"))  # the IDE's own rows, written as the owner
    dsn = dml_dsn if role == "dml" else platform_dsn
    before = schema_dump(platform_dsn)

    def run(*args: str) -> str:
        code = main([*args, "--dsn", dsn])
        out, err = capsys.readouterr()
        assert code == 0, (args, err)
        return out

    listed = json.loads(run("plugins", "list", "--json"))
    assert {p["name"] for p in listed} == {"Cart Hamid", "Cart Viewer"}
    assert "Cart Hamid" in run("plugins", "list")

    assert json.loads(run("hooks", "apply", "cart.total", "21", "--plugin", "cart-hamid", "--json"))["final"] == 42
    assert platform_conn.execute("SELECT data_value FROM plugin_data WHERE data_key = 'last_total'").fetchone() == (21,)
    assert "viewed" in run("events", "emit", "cart.viewed", '{"items": 3}', "--plugin", "cart-hamid")
    assert "Sale" in run("widgets", "render", "sale-badge")

    migration = tmp_path / "1.0.1_seed.sql"
    migration.write_text(MIGRATION, encoding="utf-8")
    assert run("migrate", "run", str(migration), "--plugin", "cart-hamid").startswith("completed 1.0.1")
    assert "1.0.1" in run("migrate", "list", "cart-hamid")
    run("migrate", "validate")
    assert run("migrate", "rollback", "cart-hamid", "1.0.1").startswith("rolled back 1.0.1")

    package = tmp_path / "cart-hamid.json"
    run("export", "cart-hamid", "-o", str(package))
    imported = json.loads(run("import", str(package), "--json"))
    copies = platform_conn.execute("SELECT id, package_name FROM plugin_dependencies WHERE plugin_id = %s",
                                   (imported["id"],)).fetchall()
    assert copies == [(2, "tiny")]

    assert schema_dump(platform_dsn) == before
