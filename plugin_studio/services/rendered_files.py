"""Files the IDE renders from rows rather than storing as text: an entity's JSON document
(``entities/<name>.json``, ``services.entities.entity_text``) and the plugin's ``manifest.json``.

Find and Replace in Files treat them as the editor shows them: their texts go to the server, which
matches them with the same pattern as the code columns (``db.search.search_rendered``), so a hit's
line and column are the editor's; a replacement is written as the editor saves the file
(``services.documents.write_text``: checked against the text the preview was made from).
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from plugin_studio.db import plugins
from plugin_studio.db.errors import ConflictError, NotFound, ValidationError
from plugin_studio.db.records import EntityRow
from plugin_studio.db.rows import run, select_rows
from plugin_studio.db.search import RenderedText, RowChange, RowNames
from plugin_studio.models import paths
from plugin_studio.models.documents import Document
from plugin_studio.services.documents import manifest_text, write_text
from plugin_studio.services.entities import entity_text, read_entity_text

RENDERED_TABLES = ("plugin_entities", "plugin_registry")
DOCUMENT = "document"   # a hit's column in a rendered file: the file as a whole, not a column of the row


@dataclass
class RenderedFiles:
    """The rendered files searched: their texts, the naming columns of those whose path the tree
    may tell apart (``RowNames``), and the fixed paths of the others (table, row id → path)."""
    texts: list[RenderedText] = field(default_factory=list)
    names: list[RowNames] = field(default_factory=list)
    fixed_paths: dict[tuple[str, str], str] = field(default_factory=dict)

    def names_of(self, plugin_ids: list[str]) -> list[RowNames]:
        wanted = set(plugin_ids)
        return [row for row in self.names if row.plugin_id in wanted]


def load_rendered(conn, plugin_id: str | None) -> RenderedFiles:
    """The rendered files of ``plugin_id`` (None: of every plugin)."""
    found = RenderedFiles()
    for row in _entities(conn, plugin_id):
        found.texts.append(RenderedText("plugin_entities", DOCUMENT, row.id, row.plugin_id, entity_text(row)))
        found.names.append(RowNames("plugin_entities", row.id, row.plugin_id, (row.entity_name,)))
    listed = plugins.list_plugins(conn) if plugin_id is None else [plugins.get_plugin(conn, plugin_id)]
    for plugin in listed:
        found.texts.append(RenderedText("plugin_registry", DOCUMENT, plugin.id, plugin.id, manifest_text(plugin.manifest)))
        found.fixed_paths[("plugin_registry", plugin.id)] = paths.MANIFEST_PATH
    return found


def _entities(conn, plugin_id: str | None) -> list[EntityRow]:
    if run(conn, "SELECT to_regclass('plugin_entities') IS NULL").fetchone()[0]:
        return []
    if plugin_id is None:
        return select_rows(conn, EntityRow, "plugin_entities", "true", (), "plugin_id, entity_name, created_at, id")
    return select_rows(conn, EntityRow, "plugin_entities", "plugin_id::text = %s", (plugin_id,),
                       "entity_name, created_at, id")


def write_replacement(conn, change: RowChange) -> bool:
    """Save a replacement in a rendered file as the editor would; False when the file changed or went
    since the preview. ``ValidationError`` (naming the row) for a text that cannot be stored."""
    doc = Document(change.table, change.row_id, change.plugin_id, change.table, "json", change.old_text, {})
    try:
        write_text(conn, doc, change.new_text)
    except (ConflictError, NotFound):
        return False
    except ValidationError as exc:
        raise ValidationError(f"replacing would break {change.table} row {change.row_id}: {exc}") from None
    return True


def with_refusal(change: RowChange) -> RowChange:
    """The change, refused (``RowChange.refused``: the preview shows why and leaves it out) when the
    replaced text could not be stored: not JSON, or not an entity."""
    try:
        if change.table == "plugin_entities":
            read_entity_text(change.new_text)
        else:
            json.loads(change.new_text)
    except ValidationError as exc:
        return dataclasses.replace(change, refused=str(exc))
    except ValueError as exc:
        return dataclasses.replace(change, refused=f"the result would not be valid JSON: {exc}")
    return change
