"""Which path each plugin row shows as (DESIGN.md §4), and the badge it carries.

The path is for display only: an entry keeps (table, row id), and saving never finds a row by
its name. Two rows that would show the same path are both shown, the later one as ``name (2).ext``.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime, timezone

from plugin_studio.db.records import (
    AdminPageRow, AdminScriptRow, ControllerRow, CronRow, DocRow, EntityRow, EventRow, HookRow, MigrationRow, Plugin,
    PluginFiles, ScriptRow, WidgetRow,
)
from plugin_studio.models import cron_schedule
from plugin_studio.models.routes import admin_route_clashes, route_clashes

MANIFEST_PATH = "manifest.json"

LANGUAGE_BY_EXTENSION = {
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "jsx", ".ts": "javascript",
    ".css": "css", ".sql": "sql", ".json": "json", ".md": "markdown",
}


@dataclass(frozen=True)
class Badge:
    text: str
    kind: str  # event | hook | widget | migration | scope | controller | entity | cron | doc | admin


@dataclass(frozen=True)
class FileEntry:
    path: str
    table: str
    row_id: str
    kind: str  # event | hook | widget | migration | script | manifest | controller | entity | cron | doc
    #            | admin_page | admin_script
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


def path_for_controller(controller_name: str) -> str:
    return f"controllers/{controller_name}.js"


def path_for_entity(entity_name: str) -> str:
    return f"entities/{entity_name}.json"


def path_for_cron(cron_name: str) -> str:
    return f"cron/{cron_name}.js"


# The four documents the platform's editor saves by name (PLATFORM.md §4.2), by doc_type.
DOC_PATHS = {"readme": "README.md", "changelog": "CHANGELOG.md", "license": "LICENSE", "contributing": "CONTRIBUTING.md"}


def path_for_doc(doc_type: str, file_name: str | None) -> str:
    """README.md, CHANGELOG.md, LICENSE, CONTRIBUTING.md; other kinds of doc under docs/ by their file name."""
    known = DOC_PATHS.get(doc_type.lower())
    if known:
        return known
    return "docs/" + ((file_name or "").strip("/") or f"{doc_type}.md")


def path_for_admin_page(page_key: str) -> str:
    return f"admin/{page_key}.jsx"


def path_for_admin_script(script_name: str) -> str:
    name = script_name.strip("/")
    return f"admin/scripts/{name}" if name.endswith(".js") else f"admin/scripts/{name}.js"


def controller_badge(row: ControllerRow) -> Badge:
    return Badge(f"{row.method} {row.path}" + (" 🔒" if row.requires_auth else ""), "controller")


def controller_entry(row: ControllerRow, clashes: dict[str, str] | None = None) -> FileEntry:
    """``clashes``: row id → what it clashes with (``controller_clashes``), shown in the badge."""
    badge = controller_badge(row)
    clash = (clashes or {}).get(row.id)
    if clash:
        badge = Badge(f"{badge.text} ⚠ {clash}", "clash")
    return FileEntry(path_for_controller(row.controller_name), "plugin_controllers", row.id, "controller", badge,
                     row.is_enabled is True)


def controller_clashes(rows: list[ControllerRow]) -> dict[str, str]:
    """Controllers that can answer the same request (``models.routes``): row id → "clashes with <other>"."""
    found: dict[str, str] = {}
    for clash in route_clashes(rows):
        found.setdefault(clash.first.id, f"clashes with {clash.second.controller_name}")
        found.setdefault(clash.second.id, f"clashes with {clash.first.controller_name}")
    return found


def admin_page_clashes(pages: list, all_routes: list) -> dict[str, str]:
    """This plugin's pages whose route another page (any plugin) also has: row id → "route also used by …"."""
    found: dict[str, str] = {}
    ours = {p.id for p in pages}
    for clash in admin_route_clashes(all_routes):
        for mine, other in ((clash.first, clash.second), (clash.second, clash.first)):
            if mine.id in ours:
                found.setdefault(mine.id, f"route also used by {other.plugin_name}: {other.page_key}")
    return found


def entity_entry(row: EntityRow) -> FileEntry:
    return FileEntry(path_for_entity(row.entity_name), "plugin_entities", row.id, "entity",
                     Badge(f"{row.table_name} · {row.migration_status or 'pending'}", "entity"), row.is_enabled is True)


def cron_badge(row: CronRow, now: datetime) -> Badge:
    """The schedule in words and the next run in the job's timezone; what is wrong when it can't run."""
    schedule = cron_schedule.Schedule(row.cron_schedule, row.timezone or "UTC")
    try:
        words = cron_schedule.describe(row.cron_schedule)
        upcoming = cron_schedule.next_run(schedule, now)
    except cron_schedule.ScheduleError as exc:
        return Badge(f"⚠ {exc}", "cron")
    return Badge(f"{words} · next {upcoming:%a %d %b %H:%M} {schedule.timezone}", "cron")


def cron_entry(row: CronRow, now: datetime) -> FileEntry:
    return FileEntry(path_for_cron(row.cron_name), "plugin_cron", row.id, "cron", cron_badge(row, now),
                     row.is_enabled is True, row.priority)


def doc_entry(row: DocRow) -> FileEntry:
    hidden = "" if row.is_visible is not False else " · hidden"
    return FileEntry(path_for_doc(row.doc_type, row.file_name), "plugin_docs", row.id, "doc",
                     Badge(f"{row.doc_type}{hidden}", "doc"))


def admin_page_entry(row: AdminPageRow, clashes: dict[str, str] | None = None) -> FileEntry:
    clash = (clashes or {}).get(row.id)
    badge = Badge(f"{row.route} ⚠ {clash}", "clash") if clash else Badge(row.route, "admin")
    return FileEntry(path_for_admin_page(row.page_key), "plugin_admin_pages", row.id, "admin_page", badge,
                     row.is_enabled is True, row.order_position)


def admin_script_entry(row: AdminScriptRow) -> FileEntry:
    return FileEntry(path_for_admin_script(row.script_name), "plugin_admin_scripts", row.id, "admin_script",
                     Badge(f"admin script · {row.load_order}", "admin"), row.is_enabled is True, row.load_order)


def entries_for(plugin: Plugin, files: PluginFiles, now: datetime | None = None,
                admin_routes: list | None = None) -> list[FileEntry]:
    """Every file of a plugin, paths made distinct, sorted by path. ``now``: when cron badges count from;
    ``admin_routes``: every plugin's admin pages (``db.admin.AdminRoute``), to flag shared routes."""
    now = now or datetime.now(timezone.utc)
    controller_clash = controller_clashes(files.controllers)
    page_clash = admin_page_clashes(files.admin_pages, admin_routes or [])
    raw = [manifest_entry(plugin)]
    raw += [script_entry(r) for r in files.scripts]
    raw += [event_entry(r) for r in files.events]
    raw += [hook_entry(r) for r in files.hooks]
    raw += [widget_entry(r) for r in files.widgets]
    raw += [migration_entry(r) for r in files.migrations]
    raw += [controller_entry(r, controller_clash) for r in files.controllers]
    raw += [entity_entry(r) for r in files.entities]
    raw += [cron_entry(r, now) for r in files.cron]
    raw += [doc_entry(r) for r in files.docs]
    raw += [admin_page_entry(r, page_clash) for r in files.admin_pages]
    raw += [admin_script_entry(r) for r in files.admin_scripts]
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
    found += [("plugin_admin_pages", r.id, "jsx", r.component_code) for r in files.admin_pages]
    found += [("plugin_admin_scripts", r.id, "javascript", r.script_code) for r in files.admin_scripts]
    return [item for item in found if item[2] in CHECKED_LANGUAGES and item[3] is not None]
