"""Opening the comparison dialogs from the window's Plugin menu, for the plugin shown."""
from __future__ import annotations


def open_promote(window):
    """Compare and Promote… for the current plugin; the window's database is the source."""
    from plugin_studio.ui.promote.dialog import PromoteDialog

    plugin = window.current_plugin
    if plugin is None or window.db.dsn is None:
        window.show_status("Choose a plugin first", 4000)
        return None
    source = window.connection.name if window.connection else None
    dialog = PromoteDialog(window, plugin.id, plugin.name, window.db.dsn, source)
    dialog.show()
    return dialog


def open_group_compare(window):
    """Compare Across Group… for the current plugin, matched in each store by its slug."""
    from plugin_studio.ui.promote.matrix import GroupCompareDialog

    plugin = window.current_plugin
    if plugin is None:
        window.show_status("Choose a plugin first", 4000)
        return None
    dialog = GroupCompareDialog(window, plugin.slug or plugin.name, plugin.name)
    dialog.show()
    return dialog
