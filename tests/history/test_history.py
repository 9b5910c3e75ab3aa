"""Version history as the platform's editor keeps it: every save, rename, delete, import and restore
records a version in plugin_version_history (number bumped, parent, snapshot every 10th or on a tag,
patches in between, one current, lines added/deleted), and any version can be rebuilt and restored."""
from __future__ import annotations

import datetime as dt

import pytest
from platform_db import insert_platform_plugin, insert_row

from plugin_studio.cli import main
from plugin_studio.db import exact_json, files
from plugin_studio.db import history as db_history
from plugin_studio.db.jsonb import exact_jsonb
from plugin_studio.models import history as rules
from plugin_studio.models import paths
from plugin_studio.services import documents, history


def _script(conn, plugin_id: str, name: str = "utils/price.js", text: str = "export const v = 0;\n") -> str:
    return files.create_script(conn, plugin_id, name, text)


def _open(conn, plugin_id: str, path: str):
    plugin = next(p for p in __import__("plugin_studio.db.plugins", fromlist=["x"]).list_plugins(conn)
                  if p.id == plugin_id)
    entry = next(e for e in paths.entries_for(plugin, files.load_plugin_files(conn, plugin_id)) if e.path == path)
    return documents.open_document(conn, plugin_id, entry)


def _text(i: int) -> str:
    return f"// save {i}\nexport const v = {i};\n" + "".join(f"// line {n}\n" for n in range(i))


def _twelve_saves(conn, plugin_id: str) -> list[str]:
    _script(conn, plugin_id)
    doc = _open(conn, plugin_id, "utils/price.js")
    texts = []
    for i in range(1, 13):
        texts.append(_text(i))
        documents.save(conn, doc, texts[-1])
    return texts


@pytest.fixture
def plugin_id(conn) -> str:
    from plugin_studio.db import plugins
    return plugins.create_plugin(conn, "Prices").id


def test_twelve_saves_give_twelve_versions_as_the_platform_records_them(conn, plugin_id):
    texts = _twelve_saves(conn, plugin_id)
    versions = list(reversed(history.versions(conn, plugin_id)))
    assert [v.version_number for v in versions] == [f"1.0.{n}" for n in range(1, 13)]
    assert [v.is_current for v in versions] == [False] * 11 + [True]
    # a snapshot first, then patches until the current one is 9 from its snapshot: the 11th is one again
    assert [v.version_type for v in versions] == ["snapshot"] + ["patch"] * 9 + ["snapshot", "patch"]
    assert [v.snapshot_distance for v in versions] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
    assert [v.parent_version_id for v in versions] == [None] + [v.id for v in versions[:-1]]
    assert {v.commit_message for v in versions} == {"Updated utils/price.js"}
    # a patch replaces file_content (its new lines added, one deleted, as the platform counts) and updated_at
    for n, v in enumerate(versions, start=1):
        if v.version_type == "patch":
            assert (v.files_changed, v.lines_added, v.lines_deleted) == (1, texts[n - 1].count("\n") + 1 + 1, 2)
        else:
            assert (v.files_changed, v.lines_added, v.lines_deleted) == (0, 0, 0)
    assert conn.execute("SELECT count(*) FROM plugin_version_snapshots WHERE plugin_id = %s",
                        (plugin_id,)).fetchone()[0] == 2
    assert conn.execute("SELECT count(DISTINCT version_id) FROM plugin_version_patches WHERE plugin_id = %s",
                        (plugin_id,)).fetchone()[0] == 10
    for n, v in enumerate(versions, start=1):   # every version rebuilds to what was saved
        assert history.file_at(conn, plugin_id, v.version_number, "utils/price.js") == texts[n - 1]


def test_restore_of_version_3_gives_its_text_back_byte_for_byte_as_a_new_version(conn, plugin_id):
    texts = _twelve_saves(conn, plugin_id)
    restored = history.restore(conn, plugin_id, "1.0.3")
    assert files.load_plugin_files(conn, plugin_id).scripts[0].file_content == texts[2]
    assert (restored.version_number, restored.version_type, restored.commit_message) == (
        "1.0.13", "snapshot", "Restored to version 1.0.3")
    current = [v for v in history.versions(conn, plugin_id) if v.is_current]
    assert [v.id for v in current] == [restored.id] and current[0].tags == ("restored-from-1.0.3",)
    assert history.file_at(conn, plugin_id, "restored-from-1.0.3", "utils/price.js") == texts[2]
    doc = _open(conn, plugin_id, "utils/price.js")   # and the editor saves on from there
    documents.save(conn, doc, "after the restore\n")
    assert history.versions(conn, plugin_id)[0].version_number == "1.0.14"


def test_restore_brings_back_a_deleted_file_and_removes_a_later_one(conn, plugin_id):
    _script(conn, plugin_id, "a.js", "a\n")
    history.record_version(conn, plugin_id, message="start", author=history.default_author())
    b = _script(conn, plugin_id, "b.js", "b\n")
    a = files.load_plugin_files(conn, plugin_id).scripts[0].id
    with history.recorded_change(conn, plugin_id, "Deleted a.js"):
        files.delete_row(conn, "plugin_scripts", a)
    history.restore(conn, plugin_id, "1.0.1")
    scripts = files.load_plugin_files(conn, plugin_id).scripts
    assert [(s.id, s.file_name, s.file_content) for s in scripts] == [(a, "a.js", "a\n")]
    assert b not in {s.id for s in scripts}


def test_renames_deletes_and_imports_record_versions(conn, plugin_id):
    row = _script(conn, plugin_id, "old.js")
    history.recorded(files.rename_script, plugin_id, "Renamed old.js to new.js")(conn, row, plugin_id, "new.js")
    history.recorded(files.delete_row, plugin_id, "Deleted new.js")(conn, "plugin_scripts", row)
    assert [v.commit_message for v in history.versions(conn, plugin_id)] == [
        "Deleted new.js", "Renamed old.js to new.js"]
    assert [(f.version.version_number, f.text) for f in history.file_history(conn, plugin_id, "new.js")] == [
        ("1.0.2", None), ("1.0.1", "export const v = 0;\n")]


def test_a_failed_save_records_no_version(conn, plugin_id):
    _script(conn, plugin_id)
    doc = _open(conn, plugin_id, "utils/price.js")
    conn.execute("UPDATE plugin_scripts SET file_content = 'someone else'")
    with pytest.raises(Exception, match="changed"):
        documents.save(conn, doc, "mine\n")
    assert history.versions(conn, plugin_id) == []


def test_a_tag_makes_a_snapshot_and_names_the_version(conn, plugin_id):
    _twelve_saves(conn, plugin_id)
    history.tag(conn, plugin_id, "1.0.5", "beta")
    assert history.find_version(conn, plugin_id, "beta").version_number == "1.0.5"
    tagged = history.record_version(conn, plugin_id, message="Release", author=history.default_author(), tag="v1")
    assert (tagged.version_type, tagged.is_published, tagged.snapshot_distance) == ("snapshot", True, 0)
    assert history.versions(conn, plugin_id)[0].tags == ("v1",)
    assert history.untag(conn, plugin_id, "beta") and not history.untag(conn, plugin_id, "beta")


def test_a_version_the_platform_wrote_appears_and_the_next_save_patches_on_it(platform_conn, platform_dsn):
    from plugin_studio.db.connection import connect

    plugin_id = insert_platform_plugin(platform_conn, "Wrapped", slug="wrapped")
    script = insert_row(platform_conn, "plugin_scripts", plugin_id=plugin_id, file_name="components/Wrap.jsx",
                        file_content="export default () => null;\n", script_type="js", scope="frontend",
                        load_priority=0)
    # What the platform's POST /versions leaves after its editor's first save (its rules, its columns).
    state = exact_json.loads(platform_conn.execute(
        "SELECT json_build_object('registry', (SELECT to_json(r) FROM plugin_registry r WHERE id = %s),"
        " 'hooks', '[]'::json, 'events', '[]'::json, 'scripts', (SELECT json_agg(s) FROM plugin_scripts s),"
        " 'widgets', '[]'::json, 'controllers', '[]'::json, 'entities', '[]'::json)::text", (plugin_id,)).fetchone()[0])
    version_id = insert_row(platform_conn, "plugin_version_history", plugin_id=plugin_id, version_number="1.0.1",
                            version_type="snapshot", commit_message="Updated components/Wrap.jsx",
                            created_by_name="Hamid", is_current=True, snapshot_distance=0,
                            created_at=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    platform_conn.execute("INSERT INTO plugin_version_snapshots (version_id, plugin_id, snapshot_data, scripts,"
                          " registry) VALUES (%s, %s, %s, %s, %s)",
                          (version_id, plugin_id, exact_jsonb(state), exact_jsonb(state["scripts"]),
                           exact_jsonb(state["registry"])))
    with connect(platform_dsn) as conn:
        listed = history.versions(conn, plugin_id)
        assert [(v.version_number, v.created_by_name, v.commit_message) for v in listed] == [
            ("1.0.1", "Hamid", "Updated components/Wrap.jsx")]
        doc = _open(conn, plugin_id, "components/Wrap.jsx")
        documents.save(conn, doc, "export default () => 'wrapped';\n")
        mine = history.versions(conn, plugin_id)[0]
        assert (mine.version_number, mine.version_type, mine.parent_version_id) == ("1.0.2", "patch", version_id)
        patch = conn.execute("SELECT component_type, patch_operations::text FROM plugin_version_patches"
                             " WHERE version_id = %s", (mine.id,)).fetchall()
        assert [p[0] for p in patch] == ["scripts"]
        assert [(f.version.version_number, f.text) for f in history.file_history(conn, plugin_id, "components/Wrap.jsx")] \
            == [("1.0.2", "export default () => 'wrapped';\n"), ("1.0.1", "export default () => null;\n")]
    assert script


def test_compare_makes_fast_json_patch_operations():
    old = [{"id": "a", "file_content": "x", "n": 1}, {"id": "b", "file_content": "y"}]
    new = [{"id": "a", "file_content": "x\ny", "n": 1, "extra": True}]
    assert rules.compare(old, new) == [
        {"op": "remove", "path": "/1"},
        {"op": "replace", "path": "/0/file_content", "value": "x\ny"},
        {"op": "add", "path": "/0/extra", "value": True},
    ]
    patches = [("scripts", rules.compare(old, new))]
    assert rules.calculate_stats(patches) == (1, 3, 2)
    assert rules.apply_patches({"scripts": old}, patches) == {"scripts": new}


def test_cli_history_restore_and_tag(conn, plugin_id, capsys):
    texts = _twelve_saves(conn, plugin_id)
    assert main(["history", "Prices"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 12 and lines[0].startswith("* 1.0.12") and "Updated utils/price.js" in lines[0]
    assert main(["history", "Prices", "utils/price.js", "--diff", "1.0.2", "1.0.3"]) == 0
    diff = capsys.readouterr().out
    assert "-export const v = 2;" in diff and "+export const v = 3;" in diff
    assert main(["tag", "Prices", "1.0.3", "good"]) == 0
    assert main(["restore", "Prices", "good"]) == 0
    assert "Restored to version 1.0.3 (new version 1.0.13)" in capsys.readouterr().out
    assert files.load_plugin_files(conn, plugin_id).scripts[0].file_content == texts[2]
    assert main(["restore", "Prices", "9.9.9"]) == 1
    assert "no version, version number or tag '9.9.9'" in capsys.readouterr().err


def test_an_import_records_the_plugins_first_version(conn, tmp_path):
    import json

    from plugin_studio.models import package as pk
    from plugin_studio.services.packages import import_package

    path = tmp_path / "p.json"
    path.write_text(json.dumps({"plugin": {"name": "Imported"}, "files": [{"name": "a.js", "content": "1;"}]}))
    result = import_package(conn, pk.load_package(path))
    versions = history.versions(conn, result.plugin_id)
    assert [(v.version_number, v.version_type, v.commit_message, v.is_current) for v in versions] == [
        ("1.0.1", "snapshot", "Imported Imported", True)]
    assert result.version.id == versions[0].id
    assert history.file_at(conn, result.plugin_id, "1.0.1", "a.js") == "1;"
