"""Search results as the Search view shows them: by plugin, then file (the path the FileTree shows),
then line, each line with its matches; and the replace preview's per-file changes.

The matching itself is the server's (``db/search.py``); here hits become files and lines. A line
number is the editor's: a migration's SQL sits below the file's header in the editor, so its
lines are shifted to where the editor shows them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from plugin_studio.db import search
from plugin_studio.db.errors import ValidationError
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.rows import select_rows
from plugin_studio.db.search import LineHit, ReplaceConflict, RowChange, RowNames, SearchQuery
from plugin_studio.models import paths
from plugin_studio.models.migration_format import rendered_layout
from plugin_studio.services import history
from plugin_studio.services.rendered_files import (
    RENDERED_TABLES, RenderedFiles, load_rendered, with_refusal, write_replacement,
)

KIND = {"plugin_scripts": "script", "plugin_events": "event", "plugin_hooks": "hook", "plugin_widgets": "widget",
        "plugin_migrations": "migration", "plugin_controllers": "controller", "plugin_cron": "cron",
        "plugin_admin_pages": "admin_page", "plugin_admin_scripts": "admin_script", "plugin_docs": "doc",
        "plugin_entities": "entity"}


@dataclass(frozen=True)
class LineMatch:
    """A line with matches: ``line`` and ``column`` (of the first match) 1-based as the editor counts
    them, ``text`` the line as shown (indentation dropped), ``spans`` the matches in ``text``."""
    line: int
    column: int
    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass
class FileMatches:
    plugin_id: str
    table: str
    row_id: str
    path: str
    lines: list[LineMatch] = field(default_factory=list)

    @property
    def match_count(self) -> int:
        return sum(max(1, len(line.spans)) for line in self.lines)


@dataclass
class PluginMatches:
    plugin_id: str
    plugin_name: str
    files: list[FileMatches] = field(default_factory=list)

    @property
    def match_count(self) -> int:
        return sum(f.match_count for f in self.files)


@dataclass
class SearchResults:
    query: SearchQuery
    plugins: list[PluginMatches]
    truncated: bool
    elapsed_ms: float

    @property
    def match_count(self) -> int:
        return sum(p.match_count for p in self.plugins)

    @property
    def file_count(self) -> int:
        return sum(len(p.files) for p in self.plugins)


def run_search(conn, query: SearchQuery, limit: int = search.MAX_LINE_HITS) -> SearchResults:
    """Search on the server and group the hits (errors: see ``db.search.search_lines``).

    Files the IDE renders (an entity's JSON, manifest.json: ``services.rendered_files``) are searched
    as the editor shows them, so a hit's line is the editor's line."""
    started = time.perf_counter()
    hits, truncated = search.search_lines(conn, query, limit)
    # Results already cut at the limit have no room left for more (nor the time to look).
    rendered = RenderedFiles() if truncated else load_rendered(conn, query.plugin_id)
    rendered_hits, more = search.search_rendered(conn, query, rendered.texts, limit - len(hits))
    hits, truncated = hits + rendered_hits, truncated or more
    plugin_ids = sorted({h.plugin_id for h in hits})
    path_of = _paths(conn, rendered, plugin_ids) if hits else {}
    shifts = _migration_shifts(conn, hits)
    plugins = group_hits(hits, path_of, search.plugin_names(conn, plugin_ids) if hits else {}, shifts)
    return SearchResults(query, plugins, truncated, (time.perf_counter() - started) * 1000)


def _paths(conn, rendered: RenderedFiles, plugin_ids: list[str]) -> dict[tuple[str, str], str]:
    """(table, row id) → the path the FileTree shows, for every file of these plugins."""
    path_of = tree_paths(search.row_names(conn, plugin_ids) + rendered.names_of(plugin_ids))
    path_of.update(rendered.fixed_paths)
    return path_of


def group_hits(hits: list[LineHit], path_of: dict[tuple[str, str], str], plugin_name: dict[str, str],
               shifts: dict[tuple[str, str, str], int]) -> list[PluginMatches]:
    """Hits grouped by plugin (by name), file (by path) and line (in order)."""
    files: dict[tuple[str, str], FileMatches] = {}
    for hit in hits:
        key = (hit.table, hit.row_id)
        if key not in files:
            path = path_of.get(key) or f"{hit.table}/{hit.row_id}"
            files[key] = FileMatches(hit.plugin_id, hit.table, hit.row_id, path)
        files[key].lines.append(_line_match(hit, shifts.get((hit.table, hit.row_id, hit.column), 0)))
    by_plugin: dict[str, PluginMatches] = {}
    for f in files.values():
        by_plugin.setdefault(f.plugin_id, PluginMatches(f.plugin_id, plugin_name.get(f.plugin_id, f.plugin_id)))
        by_plugin[f.plugin_id].files.append(f)
    for plugin in by_plugin.values():
        plugin.files.sort(key=lambda f: paths.sort_key(f.path))
        for f in plugin.files:
            f.lines.sort(key=lambda line: line.line)
    return sorted(by_plugin.values(), key=lambda p: (p.plugin_name.lower(), p.plugin_id))


def _line_match(hit: LineHit, shift: int) -> LineMatch:
    indent = len(hit.text) - len(hit.text.lstrip()) if hit.offset == 0 else 0
    text = hit.text[indent:]
    spans = tuple((max(0, a - indent), max(0, b - indent)) for a, b in hit.spans)
    column = hit.offset + (hit.spans[0][0] if hit.spans else 0) + 1
    return LineMatch(hit.line + shift, column, text, spans)


def tree_paths(names: list[RowNames]) -> dict[tuple[str, str], str]:
    """(table, row id) → the path the FileTree shows, two same-named rows told apart as it does
    (``paths.disambiguate``, run only for the plugins where two paths do coincide)."""
    by_plugin: dict[str, list[RowNames]] = {}
    for row in names:
        by_plugin.setdefault(row.plugin_id, []).append(row)
    result: dict[tuple[str, str], str] = {}
    for plugin_id, rows in by_plugin.items():
        base = [path_for(row.table, row.names) for row in rows]
        if len(set(base)) < len(base) or paths.MANIFEST_PATH in base:
            entries = [paths.FileEntry(paths.MANIFEST_PATH, "plugin_registry", plugin_id, "manifest", None)]
            entries += [paths.FileEntry(path, row.table, row.row_id, KIND[row.table], None)
                        for row, path in zip(rows, base)]
            base = [entry.path for entry in paths.disambiguate(entries)[1:]]
        result.update(((row.table, row.row_id), path) for row, path in zip(rows, base))
    return result


def path_for(table: str, names: tuple) -> str:
    """The file path of a row from its naming columns (``db.search.CODE_SOURCES``): the tree's own
    (``models.paths``, DESIGN.md §4)."""
    first = names[0] or ""
    if table == "plugin_scripts":
        return first
    if table == "plugin_events":
        return paths.path_for_event(first, names[1])
    if table == "plugin_migrations":
        return paths.path_for_migration(first, names[1] or "")
    if table == "plugin_docs":
        return paths.path_for_doc(first, names[1])
    return _PATH_BY_NAME[table](first)


_PATH_BY_NAME = {
    "plugin_hooks": paths.path_for_hook, "plugin_widgets": paths.path_for_widget,
    "plugin_controllers": paths.path_for_controller, "plugin_cron": paths.path_for_cron,
    "plugin_admin_pages": paths.path_for_admin_page, "plugin_admin_scripts": paths.path_for_admin_script,
    "plugin_entities": paths.path_for_entity,
}


def _migration_shifts(conn, hits: list[LineHit]) -> dict[tuple[str, str, str], int]:
    """How far each migration section's line 1 is from the editor's line 1 (the file's header)."""
    ids = sorted({h.row_id for h in hits if h.table == "plugin_migrations"})
    if not ids:
        return {}
    rows = select_rows(conn, MigrationRow, "plugin_migrations", "id::text = ANY(%s)", (ids,))
    shifts = {}
    for row in rows:
        layout = rendered_layout(row)
        shifts[("plugin_migrations", row.id, "up_sql")] = _section_shift(row.up_sql, layout.up_sql, layout.up_line)
        shifts[("plugin_migrations", row.id, "down_sql")] = _section_shift(row.down_sql, layout.down_sql,
                                                                           layout.down_line)
    return shifts


def _section_shift(stored: str | None, rendered: str | None, first_line: int) -> int:
    """The editor shows the section trimmed of leading blank lines, from ``first_line`` on."""
    text = (stored or "").replace("\r\n", "\n")
    skipped = text[:text.find(rendered)].count("\n") if rendered and rendered in text else 0
    return first_line - 1 - skipped


# ---- replace preview ---------------------------------------------------------------------------------

@dataclass
class FileChange:
    """The replacement in one file: its row's change(s) (a migration may change in both sections)."""
    plugin_id: str
    plugin_name: str
    table: str
    row_id: str
    path: str
    changes: list[RowChange]

    @property
    def refused(self) -> str | None:
        return next((c.refused for c in self.changes if c.refused), None)


def preview_replace(conn, query: SearchQuery, replacement: str) -> list[FileChange]:
    """Each file the replacement would change, with its text before and after, by plugin and path
    (rendered files as the editor shows them, as ``run_search`` finds them)."""
    rendered = load_rendered(conn, query.plugin_id)
    changes = search.preview_replace(conn, query, replacement)
    changes += [with_refusal(c) for c in search.preview_rendered(conn, query, replacement, rendered.texts)]
    plugin_ids = sorted({c.plugin_id for c in changes})
    path_of = _paths(conn, rendered, plugin_ids) if changes else {}
    plugin_name = search.plugin_names(conn, plugin_ids) if changes else {}
    files: dict[tuple[str, str], FileChange] = {}
    for change in changes:
        key = (change.table, change.row_id)
        if key not in files:
            files[key] = FileChange(change.plugin_id, plugin_name.get(change.plugin_id, change.plugin_id), change.table,
                                    change.row_id, path_of.get(key, f"{change.table}/{change.row_id}"), [])
        files[key].changes.append(change)
    return sorted(files.values(), key=lambda f: (f.plugin_name.lower(), paths.sort_key(f.path)))


def apply_replace(conn, changes: list[RowChange]) -> int:
    """Write every change in one transaction (``db.search.apply_replace``; a rendered file is saved as
    its editor saves it, ``rendered_files.write_replacement``); each changed plugin records its next
    version. Returns how many were written.

    Errors, nothing written: ``ReplaceConflict`` naming the rows changed or gone since the preview;
    ``ValidationError`` for a refused change or a rendered file the replacement would make unreadable."""
    refused = next((c for c in changes if c.refused), None)
    if refused is not None:
        raise ValidationError(f"cannot replace in {refused.table} row {refused.row_id}: {refused.refused}")
    rendered = [c for c in changes if c.table in RENDERED_TABLES]
    code = [c for c in changes if c.table not in RENDERED_TABLES]
    with conn.transaction():
        written = search.apply_replace(conn, code) if code else 0
        conflicts = [c for c in rendered if not write_replacement(conn, c)]
        if conflicts:
            raise ReplaceConflict(conflicts)
        _record_versions(conn, changes)
    return written + len(rendered)


def _record_versions(conn, changes: list[RowChange]) -> None:
    """Each plugin changed records its next version, as a save does ("Replaced in 3 files")."""
    files_by_plugin: dict[str, set[tuple[str, str]]] = {}
    for change in changes:
        files_by_plugin.setdefault(change.plugin_id, set()).add((change.table, change.row_id))
    author = history.default_author()
    for plugin_id, changed in sorted(files_by_plugin.items()):
        message = f"Replaced in {len(changed)} file{'' if len(changed) == 1 else 's'}"
        history.record_version(conn, plugin_id, message=message, author=author)
