"""``plugin-studio export`` and ``plugin-studio import`` as a script would use them."""
from __future__ import annotations

import json
import uuid

import pytest

from package_samples import current_package, write

from plugin_studio.cli import main
from plugin_studio.db import plugins


def test_export_by_slug_then_import_prints_the_new_identity(conn, cart_viewer, tmp_path, capsys):
    out = tmp_path / "cart.json"
    assert main(["export", "cart-viewer", "-o", str(out)]) == 0
    assert "exported Cart Viewer" in capsys.readouterr().out
    assert json.loads(out.read_text())["plugin"]["slug"] == "cart-viewer"

    assert main(["import", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["name"], printed["slug"]) == ("Cart Viewer (2)", "cart-viewer-2")
    assert plugins.get_plugin(conn, printed["id"]).name == "Cart Viewer (2)"
    assert printed["rows"]["plugin_events"] == 1


def test_import_plain_output_is_id_name_slug(conn, tmp_path, capsys):
    assert main(["import", str(write(tmp_path, current_package()))]) == 0
    plugin_id, name, slug = capsys.readouterr().out.strip().split("  ")
    assert (name, slug) == ("Loyalty Points", "loyalty-points")
    assert plugins.get_plugin(conn, plugin_id).slug == "loyalty-points"


def test_export_by_name_without_data(conn, tmp_path, capsys):
    main(["import", str(write(tmp_path, current_package()))])
    out = tmp_path / "out.json"
    assert main(["export", "Loyalty Points", "-o", str(out), "--without-data"]) == 0
    assert json.loads(out.read_text())["pluginData"] == []


def test_bad_package_exits_1_with_the_problem_on_stderr(conn, tmp_path, capsys):
    package = current_package()
    package["files"][0]["name"] = "../../etc/passwd"
    assert main(["import", str(write(tmp_path, package))]) == 1
    err = capsys.readouterr().err
    assert "files[0] (../../etc/passwd).name: '../../etc/passwd' contains '..'" in err
    assert plugins.list_plugins(conn) == []


def test_export_of_unknown_plugin_exits_1(conn, tmp_path, capsys):
    assert main(["export", "nope", "-o", str(tmp_path / "x.json")]) == 1
    assert "no plugin with id, slug or name 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_export_to_a_missing_folder_exits_1(conn, cart_viewer, tmp_path, capsys):
    assert main(["export", "cart-viewer", "-o", str(tmp_path / "no" / "x.json")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_import_uses_creator_and_limits_from_settings(conn, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PLUGIN_STUDIO_HOME", str(tmp_path / "home"))
    creator = str(uuid.uuid4())
    (tmp_path / "home" / "config").mkdir(parents=True)
    (tmp_path / "home" / "config" / "settings.json").write_text(
        json.dumps({"creator_id": creator, "package_file_limit_mb": 1}))
    package = current_package()
    package["files"][0]["content"] = "x" * (2 * 1024 * 1024)
    assert main(["import", str(write(tmp_path, package))]) == 1
    assert "files[0] (utils/points.js).content: 2.0 MB is over the per-file limit of 1.0 MB" in capsys.readouterr().err

    assert main(["import", str(write(tmp_path, current_package())), "--json"]) == 0
    plugin_id = json.loads(capsys.readouterr().out)["id"]
    assert plugins.get_plugin(conn, plugin_id).creator_id == creator


def test_several_problems_are_each_printed(conn, tmp_path, capsys):
    package = current_package()
    del package["events"][0]["eventName"]
    package["hooks"][0]["hookType"] = "both"
    assert main(["import", str(write(tmp_path, package))]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "plugin-studio: events[0].eventName: missing",
        "plugin-studio: hooks[0] (product.price).hookType: 'both' is not one of filter, action",
        f"plugin-studio: error: {tmp_path / 'package.json'} was not imported: 2 problems (above)",
    ]


def test_import_without_file_argument_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["import"])
    assert caught.value.code == 2
    assert "FILE" in capsys.readouterr().err
