"""Find and replace in the files the IDE renders (entities' JSON, manifest.json): as the editor shows
them, found and replaced by the server's pattern, saved as the editor saves them (nothing written
when the result is unreadable or the file changed since the preview)."""
from __future__ import annotations

import pytest

from plugin_studio.db import entities, files, plugins
from plugin_studio.db.errors import ValidationError
from plugin_studio.db.search import ReplaceConflict, SearchQuery
from plugin_studio.services import history
from plugin_studio.services.code_search import apply_replace, preview_replace, run_search
from plugin_studio.services.documents import load_text
from plugin_studio.services.entities import load_entity_text

SCHEMA = ('{"columns": [{"name": "id", "type": "UUID", "primaryKey": true},'
          ' {"name": "member_price", "type": "DECIMAL(10,2)", "nullable": false}]}')


@pytest.fixture
def entity(conn, cart_viewer):
    return entities.create_entity(conn, cart_viewer, "MemberPrice", "member_prices", SCHEMA)


def test_a_match_in_an_entity_is_on_the_line_the_editor_shows(conn, cart_viewer, entity):
    results = run_search(conn, SearchQuery("member_price", whole_word=True, plugin_id=cart_viewer))
    [found] = [f for p in results.plugins for f in p.files]
    assert (found.table, found.row_id, found.path) == ("plugin_entities", entity, "entities/MemberPrice.json")
    shown = load_entity_text(conn, entity).splitlines()
    for line in found.lines:
        assert shown[line.line - 1][line.column - 1:].startswith("member_price")
    assert len(found.lines) == 1                 # whole word: not "member_prices" (the table's name)


def test_replace_in_an_entity_file_and_in_code_is_one_transaction(conn, cart_viewer, entity):
    script = files.create_script(conn, cart_viewer, "utils/member.js", "export const field = 'member_price';\n")
    query = SearchQuery("member_price", whole_word=True, plugin_id=cart_viewer)
    changes = preview_replace(conn, query, "club_price")
    assert sorted(f.path for f in changes) == ["entities/MemberPrice.json", "utils/member.js"]
    versions_before = len(history.versions(conn, cart_viewer))
    assert apply_replace(conn, [c for f in changes for c in f.changes]) == 2
    assert '"club_price"' in entities.get_entity(conn, entity).schema_text
    versions = history.versions(conn, cart_viewer)     # recorded as a save is, one version for both files
    assert len(versions) == versions_before + 1
    assert versions[0].commit_message == "Replaced in 2 files" and versions[0].is_current
    assert files.fetch_code(conn, "plugin_scripts", script) == "export const field = 'club_price';\n"


def test_a_replacement_that_breaks_the_json_is_refused_in_the_preview_and_writes_nothing(conn, cart_viewer, entity):
    script = files.create_script(conn, cart_viewer, "utils/member.js", "// \"name\": here too\n")
    changes = preview_replace(conn, SearchQuery('"name"', plugin_id=cart_viewer), '"name')
    refused = {f.path: f.refused for f in changes}
    assert "JSON" in refused["entities/MemberPrice.json"] and "JSON" in refused["manifest.json"]
    assert refused["utils/member.js"] is None
    before = load_entity_text(conn, entity)
    with pytest.raises(ValidationError, match="cannot replace in plugin_entities row"):   # if sent anyway
        apply_replace(conn, [c for f in changes for c in f.changes])
    assert load_entity_text(conn, entity) == before
    assert files.fetch_code(conn, "plugin_scripts", script) == "// \"name\": here too\n"


def test_an_entity_changed_since_the_preview_is_a_conflict(conn, cart_viewer, entity):
    changes = preview_replace(conn, SearchQuery("member_price", whole_word=True, plugin_id=cart_viewer), "club_price")
    row = entities.get_entity(conn, entity)
    entities.update_entity(conn, row, row.entity_name, row.table_name, "changed elsewhere", row.schema_text)
    with pytest.raises(ReplaceConflict):
        apply_replace(conn, [c for f in changes for c in f.changes])
    assert '"member_price"' in entities.get_entity(conn, entity).schema_text


def test_the_manifest_is_found_and_replaced_as_manifest_json_shows_it(conn, cart_viewer):
    plugins.update_plugin(conn, cart_viewer, {"manifest": {"name": "Cart Viewer", "scopes": ["loyalty_read"]}})
    results = run_search(conn, SearchQuery("loyalty_read"))
    [found] = [f for p in results.plugins for f in p.files]
    assert (found.table, found.row_id, found.path) == ("plugin_registry", cart_viewer, "manifest.json")
    [line] = found.lines
    assert load_text(conn, "plugin_registry", cart_viewer).splitlines()[line.line - 1][line.column - 1:] \
        .startswith("loyalty_read")
    changes = preview_replace(conn, SearchQuery("loyalty_read"), "loyalty_write")
    assert [f.path for f in changes] == ["manifest.json"]
    apply_replace(conn, [c for f in changes for c in f.changes])
    assert plugins.get_plugin(conn, cart_viewer).manifest["scopes"] == ["loyalty_write"]
