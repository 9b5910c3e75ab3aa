"""The same limits on both sides: what an import would refuse, an export refuses, naming the row."""
from __future__ import annotations

import pytest
from package_samples import write
from platform_db import insert_platform_plugin, insert_row

from plugin_studio.cli import main
from plugin_studio.db import plugins
from plugin_studio.db.connection import connect
from plugin_studio.models import package as pk
from plugin_studio.models.package_validate import MB, Limits
from plugin_studio.services.packages import export_package


def _deep(levels: int):
    return "[" * levels + "]" * levels


def test_a_jsonb_value_nested_300_deep_is_refused_by_export_and_import(platform_dsn, platform_conn, tmp_path):
    plugin_id = insert_platform_plugin(platform_conn, "Deep", slug="deep")
    platform_conn.execute("INSERT INTO plugin_data (plugin_id, data_key, data_value) VALUES (%s, 'tree', %s::jsonb)",
                          (plugin_id, _deep(300)))
    target = tmp_path / "deep.json"
    with connect(platform_dsn) as conn, pytest.raises(pk.PackageInvalid) as caught:
        export_package(conn, plugin_id, target)
    assert str(caught.value).startswith("the package cannot be exported: pluginData[0] (tree).dataValue")
    assert "nested too deeply (more than 200 levels)" in str(caught.value)
    assert not target.exists() and not list(tmp_path.glob("*.part"))
    package = '{"plugin": {"name": "Deep"}, "pluginData": [{"dataKey": "tree", "dataValue": %s}]}' % _deep(300)
    with pytest.raises(pk.PackageInvalid, match=r"pluginData\[0\] \(tree\)\.dataValue.*nested too deeply"):
        pk.load_package(write(tmp_path, package, "in.json"))


def test_a_script_over_the_per_file_limit_is_refused_by_export_naming_it(platform_dsn, platform_conn, tmp_path):
    plugin_id = insert_platform_plugin(platform_conn, "Big", slug="big")
    insert_row(platform_conn, "plugin_scripts", plugin_id=plugin_id, file_name="vendor/big.js",
               file_content="x" * (12 * MB), script_type="js", scope="frontend", load_priority=0)
    with connect(platform_dsn) as conn, pytest.raises(pk.PackageInvalid) as caught:
        export_package(conn, plugin_id, tmp_path / "big.json")
    assert [str(p) for p in caught.value.problems] == [
        "files[0] (vendor/big.js).content: 12.0 MB is over the per-file limit of 10.0 MB"]
    with connect(platform_dsn) as conn:   # a limit the user raised in the settings holds both ways
        export_package(conn, plugin_id, tmp_path / "big.json", limits=Limits(file_bytes=13 * MB, package_bytes=50 * MB))
    pk.load_package(tmp_path / "big.json", Limits(file_bytes=13 * MB, package_bytes=50 * MB))


def test_a_name_with_a_line_break_already_stored_is_refused_by_export(platform_dsn, platform_conn, tmp_path):
    plugin_id = insert_platform_plugin(platform_conn, "Sneaky", slug="sneaky")
    insert_row(platform_conn, "plugin_migrations", plugin_id=plugin_id, plugin_name="Sneaky",
               migration_name="innocent\nDROP TABLE plugin_hooks CASCADE;", migration_version="v1", up_sql="SELECT 1;")
    with connect(platform_dsn) as conn, pytest.raises(pk.PackageInvalid) as caught:
        export_package(conn, plugin_id, tmp_path / "s.json")
    assert "migrations[0] (innocent\\nDROP TABLE plugin_hooks CASCADE;).name" in str(caught.value)
    assert "contains a line break (U+000A) at character 9" in str(caught.value)


def test_cli_export_of_an_over_limit_plugin_exits_1_naming_the_row(conn, tmp_path, capsys):
    plugin = plugins.create_plugin(conn, "Heavy")
    conn.execute("INSERT INTO plugin_scripts (plugin_id, file_name, file_content, script_type, scope, load_priority)"
                 " VALUES (%s, 'huge.js', repeat('x', 12 * 1024 * 1024), 'js', 'frontend', 0)", (plugin.id,))
    assert main(["export", "Heavy", "-o", str(tmp_path / "heavy.json")]) == 1
    err = capsys.readouterr().err
    assert "Heavy was not exported (an import would refuse it): files[0] (huge.js).content: 12.0 MB is over" in err
    assert not (tmp_path / "heavy.json").exists()
