"""Packages that travel both ways with the platform: its current export read in full, our exports
read by (a model of) its importer, round trips without loss, numbers as jsonb keeps them."""
from __future__ import annotations

from decimal import Decimal

import pytest
from package_samples import EXACT_NUMBERS, head_package_text, write
from platform_db import insert_platform_plugin, insert_row
from platform_import_model import platform_import, run_inserts

from plugin_studio.db import exact_json
from plugin_studio.db.connection import connect
from plugin_studio.models import package as pk
from plugin_studio.models.package_sections import SECTIONS
from plugin_studio.services.packages import export_package, import_package, read_plugin

VOLATILE = ("exportedAt",)


def _import_head(platform_dsn, tmp_path):
    with connect(platform_dsn) as conn:
        return import_package(conn, pk.load_package(write(tmp_path, head_package_text(), "head.json")))


def _export(platform_dsn, plugin_id, path, format="studio") -> dict:
    with connect(platform_dsn) as conn:
        export_package(conn, plugin_id, path, format=format)
    return exact_json.loads(path.read_text(encoding="utf-8"))


def _without(package: dict, *keys: str) -> dict:
    return {k: v for k, v in package.items() if k not in keys}


def test_head_format_package_imports_every_row_and_field(platform_dsn, tmp_path):
    source = exact_json.loads(head_package_text())
    result = _import_head(platform_dsn, tmp_path)
    with connect(platform_dsn) as conn:
        bundle = read_plugin(conn, result.plugin_id)
    for section in SECTIONS:
        rows = bundle.rows[section.table]
        assert len(rows) == len(source[section.key]), section.key
        for item, row in zip(source[section.key], rows):
            for f in section.fields:
                if f.key in item:
                    assert row[f.column] == item[f.key], f"{section.key}.{f.key}"
    plugin = source["plugin"]
    assert {k: bundle.plugin[k] for k in plugin} == plugin
    files = {r["file_name"]: (r["script_type"], r["load_priority"]) for r in bundle.rows["plugin_scripts"]}
    assert files == {"components/WrapOption.jsx": ("jsx", 0), "services/pricing.js": ("js", 2),
                     "styles/wrap.css": ("css", 1)}   # type and priority kept: 0, 1 and 2, not 10
    assert bundle.rows["plugin_cron"][0]["is_enabled"] is False


def test_platform_format_export_of_it_is_the_platforms_own_export(platform_dsn, tmp_path):
    result = _import_head(platform_dsn, tmp_path)
    out = _export(platform_dsn, result.plugin_id, tmp_path / "out.json", format="platform")
    assert _without(out, *VOLATILE) == _without(exact_json.loads(head_package_text()), *VOLATILE)
    assert list(out) == list(exact_json.loads(head_package_text()))   # the platform's keys, in its order


@pytest.mark.parametrize("format", ["platform", "studio"])
def test_the_platforms_importer_takes_every_row_of_our_export(platform_dsn, platform_conn, tmp_path, format):
    result = _import_head(platform_dsn, tmp_path)
    package = _export(platform_dsn, result.plugin_id, tmp_path / "out.json", format=format)
    with connect(platform_dsn) as conn:
        ours = read_plugin(conn, result.plugin_id)
    _delete_plugin(platform_conn, result.plugin_id)   # a store without it: no "(2)" names, no "_2" tables
    # G5's plugin_dependencies.id has no default, so the platform's import loses every dependency
    # whatever the package says (PLATFORM.md §1.7); a store with a sequence there keeps them.
    platform_conn.execute("CREATE SEQUENCE dep_ids; ALTER TABLE plugin_dependencies ALTER id SET DEFAULT nextval('dep_ids')")
    imported = platform_import(package, set(platform_conn.execute("SELECT name, slug FROM plugin_registry").fetchall()))
    assert run_inserts(platform_conn, imported) == []
    for section in SECTIONS:
        assert len(imported.rows(section.table)) == len(package[section.key]), section.key
    with connect(platform_dsn) as conn:
        theirs = read_plugin(conn, imported.plugin_id)
    for section in SECTIONS:
        platform_columns = [f.column for f in section.fields if f.platform]
        keep = lambda rows: [{c: r[c] for c in platform_columns if c != "widget_id"} for r in rows]  # noqa: E731
        assert keep(theirs.rows[section.table]) == keep(ours.rows[section.table]), section.key
    assert theirs.rows["plugin_widgets"][0]["widget_id"] == f"wrap-option-{imported.plugin_id[:8]}"
    assert (imported.name, imported.slug) == ("Gift Wrap", "gift-wrap")


def test_numbers_keep_the_value_jsonb_holds_both_ways(platform_dsn, platform_conn, tmp_path):
    result = _import_head(platform_dsn, tmp_path)
    as_jsonb = platform_conn.execute(
        "SELECT (%s::jsonb)::text", (f"[{', '.join(EXACT_NUMBERS)}]",)).fetchone()[0]
    stored = platform_conn.execute("SELECT data_value::text FROM plugin_data WHERE plugin_id = %s AND data_key = 'fees'",
                                   (result.plugin_id,)).fetchone()[0]
    assert stored == as_jsonb   # what PostgreSQL makes of the package's text, nothing rounded on the way
    text = (tmp_path / "out.json")
    out = _export(platform_dsn, result.plugin_id, text)
    fees = next(d["dataValue"] for d in out["pluginData"] if d["dataKey"] == "fees")
    assert [Decimal(str(n)) for n in fees] == [Decimal(n) for n in EXACT_NUMBERS]
    written = text.read_text(encoding="utf-8")
    for number in exact_json.loads(as_jsonb):
        assert str(number) in written
    assert "19.990000000000000001" in written and "0.12345678901234567890123" in written
    assert "9007199254740993" in written and "19.99," not in written and "0.12345678901234568" not in written


def test_a_number_another_client_stored_is_exported_as_stored(platform_dsn, platform_conn, tmp_path):
    plugin_id = insert_platform_plugin(platform_conn, "Prices", slug="prices")
    platform_conn.execute("INSERT INTO plugin_data (plugin_id, data_key, data_value) VALUES (%s, 'p', %s::jsonb)",
                          (plugin_id, '{"a": 0.12345678901234567890123, "b": 1e400}'))
    stored = exact_json.loads(platform_conn.execute("SELECT data_value::text FROM plugin_data").fetchone()[0])
    out = _export(platform_dsn, plugin_id, tmp_path / "p.json")
    assert exact_json.dumps(out["pluginData"][0]["dataValue"]) == exact_json.dumps(stored)
    written = (tmp_path / "p.json").read_text()
    assert "0.12345678901234567890123" in written and "1" + "0" * 400 in written


def _platform_created_plugin(conn) -> str:
    """A plugin as the platform's own tools leave one: NULL file names and descriptions, disabled rows,
    priorities 0, a completed migration, every section."""
    plugin_id = insert_platform_plugin(conn, "Loyalty", slug="loyalty", status="active", is_enabled=True,
                                       manifest={"rate": 1}, tags=["a"])
    insert_row(conn, "plugin_scripts", plugin_id=plugin_id, file_name="utils/a.js", file_content="export const a = 1;",
               script_type="js", scope="frontend", load_priority=0, is_enabled=False)
    insert_row(conn, "plugin_events", plugin_id=plugin_id, event_name="cart.viewed", file_name=None,
               listener_function="function (d) { return d; }", priority=0)
    insert_row(conn, "plugin_hooks", plugin_id=plugin_id, hook_name="cart.total", hook_type="filter",
               handler_function="function (t) { return t; }", priority=5)
    insert_row(conn, "plugin_widgets", plugin_id=plugin_id, widget_id="badge", widget_name="Badge",
               component_code="function B() { return null; }", default_config={"x": 1}, category=None, icon=None)
    insert_row(conn, "plugin_entities", plugin_id=plugin_id, entity_name="Point", table_name="points",
               schema_definition={"columns": []}, migration_status="migrated", create_table_sql="CREATE TABLE points ();")
    insert_row(conn, "plugin_migrations", plugin_id=plugin_id, plugin_name="Loyalty", migration_name="create_points",
               migration_version="v1", up_sql="CREATE TABLE points ();", down_sql="DROP TABLE points;",
               status="completed", checksum="abc")
    insert_row(conn, "plugin_controllers", plugin_id=plugin_id, controller_name="points", method="POST",
               path="/api/plugins/loyalty/exec/points", handler_code="async function h() {}", requires_auth=True,
               request_schema={"type": "object"}, rate_limit=7)
    insert_row(conn, "plugin_data", plugin_id=plugin_id, data_key="k", data_value=[1, "two", None])
    insert_row(conn, "plugin_docs", plugin_id=plugin_id, doc_type="license", file_name="LICENSE", title=None,
               content="MIT", display_order=0)
    insert_row(conn, "plugin_admin_pages", plugin_id=plugin_id, page_key="points", page_name="Points",
               route="/admin/points", component_code="export default () => null;", order_position=0, is_enabled=False)
    insert_row(conn, "plugin_admin_scripts", plugin_id=plugin_id, script_name="s", script_code="1;", load_order=0)
    insert_row(conn, "plugin_cron", plugin_id=plugin_id, cron_name="daily", cron_schedule="0 0 * * *",
               handler_method="run", handler_code="async function run() {}", handler_params={"n": 2},
               timezone="Europe/Paris", is_enabled=False, max_failures=3)
    return plugin_id


def _delete_plugin(conn, plugin_id: str) -> None:
    for (table,) in conn.execute("SELECT table_name FROM information_schema.columns WHERE column_name = 'plugin_id'"
                                 " AND table_schema = 'public' AND table_name LIKE 'plugin\\_%'").fetchall():
        conn.execute(f'DELETE FROM "{table}" WHERE plugin_id::text = %s', (plugin_id,))
    conn.execute("DELETE FROM plugin_registry WHERE id = %s", (plugin_id,))


@pytest.mark.parametrize("format", ["studio", "platform"])
def test_platform_created_plugin_round_trips_identically(platform_dsn, platform_conn, tmp_path, format):
    plugin_id = _platform_created_plugin(platform_conn)
    first = _export(platform_dsn, plugin_id, tmp_path / "first.json", format=format)
    _delete_plugin(platform_conn, plugin_id)
    with connect(platform_dsn) as conn:
        again = import_package(conn, pk.load_package(tmp_path / "first.json"))
    second = _export(platform_dsn, again.plugin_id, tmp_path / "second.json", format=format)
    assert _without(second, *VOLATILE) == _without(first, *VOLATILE)
    if format == "studio":   # what the platform's format loses is in ours
        assert first["migrations"][0]["downSql"] == "DROP TABLE points;"
        assert first["controllers"][0]["requiresAuth"] is True and first["controllers"][0]["rateLimit"] == 7
        assert first["cronJobs"][0]["handlerCode"] == "async function run() {}"
        assert first["cronJobs"][0]["timezone"] == "Europe/Paris"
        assert first["files"][0]["enabled"] is False and first["adminPages"][0]["enabled"] is False
        assert first["entities"][0]["createTableSql"] == "CREATE TABLE points ();"
    assert first["events"][0]["priority"] == 0 and first["files"][0]["priority"] == 0
