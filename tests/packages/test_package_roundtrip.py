"""Export → import → export keeps everything but ids, name/slug and timestamps; older packages import."""
from __future__ import annotations

import json

from package_samples import current_package, older_package, write

from plugin_studio.db import files, plugins
from plugin_studio.db.plugin_data import list_data, list_dependencies
from plugin_studio.models import package as pk
from plugin_studio.services.packages import export_package, import_package


def _import_file(conn, path):
    return import_package(conn, pk.load_package(path))


def _comparable(path) -> dict:
    package = json.loads(path.read_text(encoding="utf-8"))
    package.pop("exportedAt")
    package["plugin"].pop("name")
    package["plugin"].pop("slug")
    return package


def test_export_import_export_gives_the_same_package(conn, tmp_path):
    first = _import_file(conn, write(tmp_path, current_package()))
    export_package(conn, first.plugin_id, tmp_path / "a.json")
    second = _import_file(conn, tmp_path / "a.json")
    export_package(conn, second.plugin_id, tmp_path / "b.json")

    assert (second.name, second.slug) == ("Loyalty Points (2)", "loyalty-points-2")
    assert _comparable(tmp_path / "a.json") == _comparable(tmp_path / "b.json")
    a_lines = (tmp_path / "a.json").read_text().splitlines()
    b_lines = (tmp_path / "b.json").read_text().splitlines()
    differing = {a.split(":")[0].strip() for a, b in zip(a_lines, b_lines) if a != b}
    assert len(a_lines) == len(b_lines) and differing <= {'"exportedAt"', '"name"', '"slug"'}


def test_export_keeps_what_the_platform_loses_and_keys_we_have_no_table_for(conn, tmp_path):
    source = current_package()
    result = _import_file(conn, write(tmp_path, source))
    export_package(conn, result.plugin_id, tmp_path / "out.json")
    out = json.loads((tmp_path / "out.json").read_text())

    migrations = {m["name"]: m for m in out["migrations"]}   # the platform's order: by name
    assert migrations["create_points"] == {
        "name": "create_points", "pluginName": "Loyalty Points", "migrationVersion": "1.0.0",
        "code": source["migrations"][0]["upSql"], "description": "Points ledger",
        "downSql": "DROP TABLE loyalty_points;", "checksum": "c0ffee"}
    assert migrations["add_index"]["downSql"] == "DROP INDEX lp_customer;"
    assert [(f["name"], f["enabled"]) for f in out["files"]] == [
        ("README.md", True), ("styles/points.css", False), ("utils/points.js", True)]
    assert [(e["fileName"], e["enabled"]) for e in out["events"]] == [
        ("show_balance.js", True), ("award_points.js", True), ("notify_customer.js", False)]
    assert out["hooks"][0]["enabled"] is False and out["hooks"][0]["hookName"] == "order.created"
    for key in ("entities", "controllers", "pluginDocs", "cronJobs", "marketplace"):
        assert out[key] == source[key], key
    assert out["installation"]["installedAt"] == "2024-12-01T00:00:00Z"
    assert out["plugin"]["marketplaceListing"] == {"id": 42, "featured": True}
    assert out["plugin"]["manifest"] == source["plugin"]["manifest"]  # the stash is not shown in exports
    assert out["pluginData"] == [{"dataKey": "api_key", "dataValue": "sk_live_secret_123"},
                                 {"dataKey": "settings", "dataValue": source["pluginData"]["settings"]}]
    assert out["pluginDependencies"] == source["pluginDependencies"]


def test_import_creates_every_row_with_its_flags_and_order(conn, tmp_path):
    result = _import_file(conn, write(tmp_path, current_package()))
    loaded = files.load_plugin_files(conn, result.plugin_id)

    completed = [e for e in loaded.events if e.event_name == "order.completed"]
    assert [e.file_name for e in completed] == ["award_points.js", "notify_customer.js"]  # tie keeps order
    assert [e.is_enabled for e in completed] == [True, False]
    css = next(s for s in loaded.scripts if s.file_name == "styles/points.css")
    assert (css.script_type, css.is_enabled) == ("css", False)
    backend = next(s for s in loaded.scripts if s.file_name == "utils/points.js")
    assert (backend.scope, backend.load_priority) == ("backend", 5)
    assert loaded.widgets[0].default_config == {"label": "Your points"}
    assert [(m.migration_version, m.status, m.down_sql is not None) for m in loaded.migrations] == [
        ("1.0.0", "pending", True), ("1.1.0", "pending", True)]
    assert {d.data_key: d.data_value for d in list_data(conn, result.plugin_id)}["api_key"] == "sk_live_secret_123"
    assert list_dependencies(conn, result.plugin_id)[0].version == "4.0.4"
    assert plugins.get_plugin(conn, result.plugin_id).tags == ["loyalty", "orders"]


def test_export_can_leave_out_plugin_data(conn, tmp_path):
    result = _import_file(conn, write(tmp_path, current_package()))
    export_package(conn, result.plugin_id, tmp_path / "out.json", include_data=False)
    text = (tmp_path / "out.json").read_text()
    assert json.loads(text)["pluginData"] == []   # the platform's importer iterates it: an array, empty
    assert "sk_live_secret_123" not in text


def test_older_package_imports_with_events_given_file_names(conn, tmp_path):
    package = pk.load_package(write(tmp_path, older_package()))
    assert package.format == "older"
    result = import_package(conn, package)
    loaded = files.load_plugin_files(conn, result.plugin_id)

    assert sorted((e.event_name, e.file_name) for e in loaded.events) == [
        ("cart.item_added", "cart_item_added.js"), ("product.viewed", "product_viewed.js")]
    assert loaded.widgets[0].default_config == {"color": "red"}  # the platform stores it as a JSON string
    plugin = plugins.get_plugin(conn, result.plugin_id)
    assert (plugin.name, plugin.version, plugin.is_enabled) == ("Wishlist", "0.9.0", False)  # from installation
    assert loaded.migrations == [] and list_data(conn, result.plugin_id) == []


def test_starter_template_exports_and_reimports_identically(conn, cart_viewer, tmp_path):
    export_package(conn, cart_viewer, tmp_path / "a.json")
    again = _import_file(conn, tmp_path / "a.json")
    export_package(conn, again.plugin_id, tmp_path / "b.json")
    assert _comparable(tmp_path / "a.json") == _comparable(tmp_path / "b.json")
    assert again.name == "Cart Viewer (2)"


def test_default_export_file_name_is_slug_and_version():
    assert pk.default_file_name("cart-viewer", "1.0.0") == "cart-viewer-1.0.0.json"
    assert pk.default_file_name("a/b", "1 beta") == "a-b-1-beta.json"
