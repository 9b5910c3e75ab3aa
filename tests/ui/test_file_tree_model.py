from plugin_studio.db import files, plugins
from plugin_studio.models import paths
from plugin_studio.ui.file_tree_model import BADGE_ROLE, ENABLED_ROLE, FileTreeModel, PluginListModel


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


def _entries(conn, plugin_id):
    return paths.entries_for(plugins.get_plugin(conn, plugin_id), files.load_plugin_files(conn, plugin_id))


def test_a_reload_changes_rows_in_place_so_views_keep_expansion_and_selection(qtbot, qtmodeltester, conn, cart_viewer):
    from PySide6.QtWidgets import QTreeView

    model = FileTreeModel()
    qtmodeltester.check(model)   # pytest-qt checks every change the model announces from here on
    model.set_entries(_entries(conn, cart_viewer))
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setExpanded(model.index_for_path("hooks"), True)
    hook_id = files.load_plugin_files(conn, cart_viewer).hooks[0].id
    view.setCurrentIndex(model.index_for_row("plugin_hooks", hook_id))
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(model.index(first, 0, parent).data()))

    files.rename_hook(conn, hook_id, "product.title")                # renamed within its folder
    files.create_script(conn, cart_viewer, "utils/aaa.js", "// new")   # a new file before the others
    files.create_event(conn, cart_viewer, "order.paid", "// new", file_name="order_paid.js")
    model.set_entries(_entries(conn, cart_viewer))

    assert resets == [] and sorted(inserted) == ["aaa.js", "order_paid.js"]
    assert view.isExpanded(model.index_for_path("hooks")) and not view.isExpanded(model.index_for_path("events"))
    assert view.currentIndex() == model.index_for_row("plugin_hooks", hook_id)
    assert view.currentIndex().data() == "product_title.js"
    assert _tree_paths(model)[:4] == ["events", "  cart_viewed.js", "  order_paid.js", "hooks"]


def test_removed_rows_go_and_a_file_moving_folder_is_removed_then_inserted(qtmodeltester, conn, cart_viewer):
    model = FileTreeModel()
    qtmodeltester.check(model)
    model.set_entries(_entries(conn, cart_viewer))
    loaded = files.load_plugin_files(conn, cart_viewer)
    files.delete_row(conn, "plugin_events", loaded.events[0].id)
    util = loaded.scripts[0] if loaded.scripts[0].file_name.startswith("utils/") else loaded.scripts[1]
    files.rename_script(conn, util.id, cart_viewer, "lib/format_price.js")
    model.set_entries(_entries(conn, cart_viewer))
    shown = _tree_paths(model)
    assert "events" not in shown and "utils" not in shown
    assert shown[shown.index("lib") + 1] == "  format_price.js"
    assert model.entries() == _entries(conn, cart_viewer)


def test_the_plugin_list_updates_rows_in_place(qtmodeltester, conn, cart_viewer):
    model = PluginListModel()
    qtmodeltester.check(model)
    model.set_plugins(plugins.list_plugins(conn))
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    second = plugins.create_plugin(conn, "Another")
    model.set_plugins(plugins.list_plugins(conn))
    assert resets == [] and model.row_of(second.id) >= 0 and model.row_of(cart_viewer) >= 0
