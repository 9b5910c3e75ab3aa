"""What the tree's commands do: ask with a dialog, then hand the write to the window's database lane.

Each write names its row by (table, id); the tree reloads when it is done (and again when the
change notification comes back, which is harmless).
"""
from __future__ import annotations

import posixpath

from PySide6.QtWidgets import QInputDialog

from plugin_studio.db import files, migrations, plugins
from plugin_studio.db.records import EventRow
from plugin_studio.models.new_file_names import TakenNames, free_event_file_name
from plugin_studio.services import part_renames
from plugin_studio.services.history import recorded
from plugin_studio.services.new_files import create_new_file
from plugin_studio.ui.confirm import confirm_destructive
from plugin_studio.ui.dialogs import EditEventDialog, NewFileDialog, RenameDialog


def _require_plugin(window) -> bool:
    if window.current_plugin is None:
        window.show_status("Choose or create a plugin first")
        return False
    return True


def _after_write(window, select: tuple[str, str] | None = None, open_it: bool = False):
    """Reload the tree once the write is done, then select ``select`` (or the row the write returned)."""
    def done(result=None):
        target = result if select is None and isinstance(result, tuple) else select
        window.reload_tree(select=target, open_it=open_it)
    return done


def _fail(window, title):
    return lambda error: window.report_error(title, error)


def new_file(window, kind: str = "Event Listener") -> None:
    """Ask for a new file; what the plugin already has is loaded first, so that no proposal clashes."""
    if not _require_plugin(window) or not window.db.may_write("create a file"):
        return
    plugin = window.current_plugin
    paths = frozenset(entry.path for entry in window.tree_model.entries())
    window.db.submit(_names_in_use, plugin.id,
                     on_done=lambda found: _new_file_dialog(window, plugin, kind, paths, *found),
                     on_error=_fail(window, "Could not read the plugin's files"))


def _names_in_use(conn, plugin_id: str) -> tuple[list[str], frozenset[str]]:
    versions = frozenset(row.migration_version for row in migrations.list_migrations(conn, plugin_id))
    return files.known_event_names(conn), versions


def _new_file_dialog(window, plugin, kind: str, paths: frozenset[str], known: list[str],
                     versions: frozenset[str]) -> None:
    window.remember_event_names(known)

    def submit(request, on_done, on_error) -> None:
        window.db.submit_write(create_new_file, plugin.id, plugin.name, request, action="create a file", on_error=on_error,
                               on_done=lambda created: (on_done(created), _after_write(window, created, open_it=True)()))

    dialog = NewFileDialog(known, window, kind, TakenNames(paths, versions), submit)
    dialog.setObjectName("new-file-dialog")
    dialog.exec()


def edit_event(window) -> None:
    entry = window.tree.current_entry()
    if entry is None or entry.kind != "event":
        window.show_status("Edit Event works on an event file (events/…)")
        return
    if not window.db.may_write(f"edit the event of {entry.path}"):
        return
    window.db.submit(lambda conn: (files.get_event(conn, entry.row_id), files.known_event_names(conn)),
                     on_done=lambda r: _edit_event_dialog(window, entry, *r),
                     on_error=_fail(window, "Could not load the event"))


def _edit_event_dialog(window, entry, row: EventRow | None, known: list[str]) -> None:
    if row is None:
        window.report_error("Edit Event", LookupError(f"{entry.path} no longer exists"))
        return
    window.remember_event_names(known)
    others = frozenset(e.path for e in window.tree_model.entries() if e.row_id != row.id)

    def submit(choice, on_done, on_error) -> None:
        event_name, file_name, priority = choice
        # An emptied file name would be NULL, which the platform's editor duplicates on save: derive one.
        file_name = file_name or free_event_file_name(event_name, others)
        changed_file = file_name if file_name != (row.file_name or "") else None
        changed_priority = priority if priority != row.priority else None
        remap = lambda conn: files.remap_event(conn, row.id, event_name, file_name=changed_file,  # noqa: E731
                                               priority=changed_priority)
        window.db.submit_write(recorded(remap, window.current_plugin.id, f"Edited event {entry.path}"),
                               action=f"edit the event of {entry.path}", on_error=on_error,
                               on_done=lambda _r: (on_done(None), _after_write(window, ("plugin_events", row.id))()))

    dialog = EditEventDialog(row.event_name, row.file_name, row.priority, known, window, submit)
    dialog.setObjectName("edit-event-dialog")
    dialog.exec()


def rename(window) -> None:
    entry = window.tree.current_entry()
    if entry is None or entry.kind == "manifest":
        return
    plan = _rename_plan(window, entry)
    if plan is None:
        window.show_status(f"{entry.path} is named by its kind of document; it has no name to change")
        return
    label, current, write = plan
    if not window.db.may_write(f"rename {entry.path}"):
        return

    def submit(new_name, on_done, on_error) -> None:
        recorded_write = recorded(write, window.current_plugin.id, f"Renamed {entry.path} to {new_name}")
        window.db.submit_write(recorded_write, new_name, action=f"rename {entry.path}", on_error=on_error,
                               on_done=lambda _r: (on_done(None), _after_write(window, (entry.table, entry.row_id))()))

    dialog = RenameDialog(label, current, window, submit)
    dialog.setObjectName("rename-dialog")
    dialog.exec()


def _rename_plan(window, entry):
    plugin_id = window.current_plugin.id
    if entry.kind == "script":
        return "File path:", entry.path, lambda conn, name: files.rename_script(conn, entry.row_id, plugin_id, name)
    if entry.kind == "event":
        return ("File name (the event it listens to stays the same):", posixpath.basename(entry.path),
                lambda conn, name: files.rename_event_file(conn, entry.row_id, name))
    if entry.kind == "hook":
        return ("Hook name (the file's name follows it; the handler will then run for the new hook):",
                entry.badge.text.split(" · ")[0], lambda conn, name: files.rename_hook(conn, entry.row_id, name))
    if entry.kind == "widget":
        return ("Widget id (pages that place the old id lose the widget):", entry.badge.text,
                lambda conn, name: files.rename_widget(conn, entry.row_id, plugin_id, name))
    if entry.kind in part_renames.RENAMES:
        return part_renames.rename_plan(entry, plugin_id)
    name = posixpath.basename(entry.path).removesuffix(".sql").split("_", 1)[-1]
    return "Migration name:", name, lambda conn, new: files.rename_migration(conn, entry.row_id, new)


def delete(window) -> None:
    entry = window.tree.current_entry()
    if entry is None or entry.kind == "manifest":
        return
    if not confirm_destructive(window, "Delete", f"Delete {entry.path}?\n\nThis deletes its {entry.table} row."):
        return
    window.db.submit_write(recorded(files.delete_row, window.current_plugin.id, f"Deleted {entry.path}"), entry.table, entry.row_id,
                           action=f"delete {entry.path}",
                           on_done=lambda _r: (window.editors.close_tabs_of_rows({(entry.table, entry.row_id)}),
                                               _after_write(window)()),
                           on_error=_fail(window, f"Could not delete {entry.path}"))


def toggle_enabled(window) -> None:
    entry = window.tree.current_entry()
    if entry is None or entry.kind in ("manifest", "migration"):
        return
    message = f"{'Disabled' if entry.enabled else 'Enabled'} {entry.path}"
    window.db.submit_write(recorded(part_renames.set_enabled, window.current_plugin.id, message), entry.table, entry.row_id,
                           not entry.enabled, action=message[0].lower() + message[1:],
                           on_done=_after_write(window, (entry.table, entry.row_id)),
                           on_error=_fail(window, "Could not change enabled"))


def edit_priority(window) -> None:
    entry = window.tree.current_entry()
    if entry is None or entry.priority is None or not window.db.may_write(f"change the priority of {entry.path}"):
        return
    value, ok = QInputDialog.getInt(window, "Priority", f"Priority of {entry.path} (lower runs first):",
                                    entry.priority, -10000, 10000)
    if ok and value != entry.priority:
        message = f"Priority of {entry.path} set to {value}"
        window.db.submit_write(recorded(files.set_priority, window.current_plugin.id, message), entry.table, entry.row_id, value,
                               action=f"change the priority of {entry.path}",
                               on_done=_after_write(window, (entry.table, entry.row_id)),
                               on_error=_fail(window, "Could not change the priority"))


def delete_plugin(window) -> None:
    plugin = window.current_plugin
    if plugin is None:
        return
    if confirm_destructive(window, "Delete Plugin", f"Delete {plugin.name} and every row it has in every plugin table?",
                           "Delete Plugin"):
        window.db.submit_write(plugins.delete_plugin, plugin.id, action=f"delete {plugin.name}",
                               on_done=lambda _r: window.forget_plugin(),
                               on_error=_fail(window, "Could not delete the plugin"))


def plugin_properties(window) -> None:
    from plugin_studio.ui.plugin_views import PluginPropertiesDialog

    if _require_plugin(window):
        PluginPropertiesDialog.edit(window, window.current_plugin)


def plugin_data(window) -> None:
    from plugin_studio.ui.plugin_views import PluginDataDialog

    if _require_plugin(window):
        PluginDataDialog(window, window.current_plugin).exec()


def plugin_dependencies(window) -> None:
    from plugin_studio.ui.plugin_views import DependenciesDialog

    if _require_plugin(window):
        DependenciesDialog(window, window.current_plugin).exec()
