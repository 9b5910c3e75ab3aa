from plugin_studio.db import files, plugins
from plugin_studio.models import paths
from plugin_studio.models.filetree import BADGE_ROLE, ENABLED_ROLE, FileTreeModel, PluginListModel


def _tree_paths(model, parent=None, prefix=""):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append(prefix + index.data())
        out += _tree_paths(model, index, prefix + "  ")
    return out


def test_file_tree_model_shows_folders_then_files_with_badges(qtmodeltester, conn, cart_viewer):
    plugin = plugins.get_plugin(conn, cart_viewer)
    hook = files.load_plugin_files(conn, cart_viewer).hooks[0]
    files.set_enabled(conn, "plugin_hooks", hook.id, False)
    model = FileTreeModel()
    model.set_entries(paths.entries_for(plugin, files.load_plugin_files(conn, cart_viewer)))
    qtmodeltester.check(model)
    assert _tree_paths(model) == [
        "events", "  cart_viewed.js", "hooks", "  product_price.js", "migrations",
        "  1.0.0_create_cart_views.sql", "utils", "  format_price.js", "widgets", "  cart-visit-counter.jsx",
        "manifest.json", "README.md",
    ]
    event = model.index_for_path("events/cart_viewed.js")
    assert event.data(BADGE_ROLE).text == "cart.viewed"
    hook_index = model.index_for_row("plugin_hooks", hook.id)
    assert hook_index.data() == "product_price.js"
    assert hook_index.data(ENABLED_ROLE) is False


def test_plugin_list_model_columns(qtmodeltester, conn, cart_viewer):
    model = PluginListModel()
    model.set_plugins(plugins.list_plugins(conn))
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(4)] == ["Cart Viewer", "1.0.0", "active", "yes"]
