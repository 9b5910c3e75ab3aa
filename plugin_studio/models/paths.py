"""Which path each plugin row shows as (DESIGN.md §4), and the badge it carries.

The path is for display only: an entry keeps (table, row id), and saving never finds a row by
its name. Two rows that would show the same path are both shown, the later one as ``name (2).ext``.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

from plugin_studio.db.records import EventRow, HookRow, MigrationRow, Plugin, PluginFiles, ScriptRow, WidgetRow

MANIFEST_PATH = "manifest.json"

LANGUAGE_BY_EXTENSION = {
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "jsx", ".ts": "javascript",
    ".css": "css", ".sql": "sql", ".json": "json", ".md": "markdown",
}


@dataclass(frozen=True)
class Badge:
    text: str
    kind: str  # event | hook | widget | migration | scope


@dataclass(frozen=True)
class FileEntry:
    path: str
    table: str
    row_id: str
    kind: str  # event | hook | widget | migration | script | manifest
    badge: Badge | None
    enabled: bool = True
    priority: int | None = None

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def language(self) -> str:
        return language_for(self.path)


def language_for(path: str) -> str:
    return LANGUAGE_BY_EXTENSION.get(posixpath.splitext(path)[1].lower(), "text")


def path_for_event(event_name: str, file_name: str | None = None) -> str:
    if file_name:
        return "events/" + file_name.removeprefix("events/")
    return "events/" + event_name.replace(".", "_") + ".js"


def path_for_hook(hook_name: str) -> str:
    return "hooks/" + hook_name.replace(".", "_") + ".js"


def path_for_widget(widget_id: str) -> str:
    return f"widgets/{widget_id}.jsx"


def path_for_migration(version: str, name: str) -> str:
    safe_name = name.strip().replace("/", "_").replace(" ", "_") or "migration"
    return f"migrations/{version}_{safe_name}.sql"


def event_entry(row: EventRow) -> FileEntry:
    return FileEntry(path_for_event(row.event_name, row.file_name), "plugin_events", row.id, "event",
                     Badge(row.event_name, "event"), row.is_enabled, row.priority)


def hook_entry(row: HookRow) -> FileEntry:
    return FileEntry(path_for_hook(row.hook_name), "plugin_hooks", row.id, "hook",
                     Badge(f"{row.hook_name} · {row.hook_type} · {row.priority}", "hook"), row.is_enabled, row.priority)


def widget_entry(row: WidgetRow) -> FileEntry:
    return FileEntry(path_for_widget(row.widget_id), "plugin_widgets", row.id, "widget",
                     Badge(row.widget_id, "widget"), row.is_enabled)


def migration_entry(row: MigrationRow) -> FileEntry:
    return FileEntry(path_for_migration(row.migration_version, row.migration_name), "plugin_migrations", row.id,
                     "migration", Badge(row.status, "migration"))


def script_entry(row: ScriptRow) -> FileEntry:
    return FileEntry(row.file_name, "plugin_scripts", row.id, "script", Badge(row.scope, "scope"),
                     row.is_enabled, row.load_priority)


def manifest_entry(plugin: Plugin) -> FileEntry:
    return FileEntry(MANIFEST_PATH, "plugin_registry", plugin.id, "manifest", None, plugin.is_enabled)


def entries_for(plugin: Plugin, files: PluginFiles) -> list[FileEntry]:
    """Every file of a plugin, paths made distinct, sorted by path."""
    raw = [manifest_entry(plugin)]
    raw += [script_entry(r) for r in files.scripts]
    raw += [event_entry(r) for r in files.events]
    raw += [hook_entry(r) for r in files.hooks]
    raw += [widget_entry(r) for r in files.widgets]
    raw += [migration_entry(r) for r in files.migrations]
    return sorted(disambiguate(raw), key=lambda e: sort_key(e.path))


def disambiguate(entries: list[FileEntry]) -> list[FileEntry]:
    """Give the second and later holders of a path ``name (2).ext``, ``name (3).ext``..."""
    seen: set[str] = set()
    result = []
    for entry in entries:
        path = entry.path
        n = 2
        while path in seen:
            stem, ext = posixpath.splitext(entry.path)
            path = f"{stem} ({n}){ext}"
            n += 1
        seen.add(path)
        result.append(entry if path == entry.path else _with_path(entry, path))
    return result


def _with_path(entry: FileEntry, path: str) -> FileEntry:
    return FileEntry(path, entry.table, entry.row_id, entry.kind, entry.badge, entry.enabled, entry.priority)


def sort_key(path: str) -> tuple:
    """Folders before files at each level, then case-insensitive names."""
    parts = path.split("/")
    return tuple((0, p.lower()) for p in parts[:-1]) + ((1, parts[-1].lower()),)


def handler_tree_paths(scripts_in_handler_folders, events: list[EventRow], hooks: list[HookRow]) -> dict[str, str]:
    """Row id -> the path the file tree shows for each handler (``product_price (2).js`` when two share a name).

    Per plugin, in the order ``entries_for`` takes its rows (scripts, events, hooks). Of a plugin's other
    files only scripts filed under hooks/ or events/ can take a handler's path, so only those are needed:
    ``scripts_in_handler_folders`` are objects with ``plugin_id``, ``id`` and ``file_name``.
    """
    by_plugin: dict[str, list[FileEntry]] = {}
    for script in scripts_in_handler_folders:
        by_plugin.setdefault(script.plugin_id, []).append(
            FileEntry(script.file_name, "plugin_scripts", script.id, "script", None))
    for row in events:
        by_plugin.setdefault(row.plugin_id, []).append(event_entry(row))
    for row in hooks:
        by_plugin.setdefault(row.plugin_id, []).append(hook_entry(row))
    return {e.row_id: e.path for entries in by_plugin.values() for e in disambiguate(entries)}


CHECKED_LANGUAGES = ("javascript", "jsx", "json")


def checkable_code(plugin: Plugin, files: PluginFiles) -> list[tuple[str, str, str, str]]:
    """(table, row id, language, code) of every file whose code the JS runtime can parse."""
    found = [("plugin_events", r.id, "javascript", r.listener_function) for r in files.events]
    found += [("plugin_hooks", r.id, "javascript", r.handler_function) for r in files.hooks]
    found += [("plugin_widgets", r.id, "jsx", r.component_code) for r in files.widgets]
    found += [("plugin_scripts", r.id, language_for(r.file_name), r.file_content) for r in files.scripts]
    return [item for item in found if item[2] in CHECKED_LANGUAGES and item[3] is not None]
