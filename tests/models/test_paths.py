from plugin_studio.db import files, plugins
from plugin_studio.models import paths


def test_paths_follow_the_design_mapping_and_tell_duplicates_apart(conn):
    p = plugins.create_plugin(conn, "Mapping")
    files.create_event(conn, p.id, "cart.viewed", "function () {}")  # NULL file_name
    files.create_event(conn, p.id, "cart.viewed", "function () {}")  # same derived path
    files.create_event(conn, p.id, "product.before_save", "function () {}", file_name="before_save.js")
    files.create_hook(conn, p.id, "product.price", "filter", "function (v) { return v; }", priority=5)
    files.create_widget(conn, p.id, "promo-banner", "Promo", "function () { return null; }")
    files.create_script(conn, p.id, "utils/format.js", "export const x = 1;")
    files.create_script(conn, p.id, "README.md", "# hi")
    entries = paths.entries_for(plugins.get_plugin(conn, p.id), files.load_plugin_files(conn, p.id))
    by_path = {e.path: e for e in entries}
    assert list(by_path) == [
        "events/before_save.js", "events/cart_viewed (2).js", "events/cart_viewed.js", "hooks/product_price.js",
        "utils/format.js", "widgets/promo-banner.jsx", "manifest.json", "README.md",
    ]
    assert by_path["events/before_save.js"].badge.text == "product.before_save"
    assert by_path["hooks/product_price.js"].badge.text == "product.price · filter · 5"
    assert by_path["utils/format.js"].badge.text == "frontend"


def test_handler_paths_are_the_trees_paths_for_hooks_sharing_a_name(conn):
    from plugin_studio.db import runtime

    p = plugins.create_plugin(conn, "Twins")
    first = files.create_hook(conn, p.id, "product.price", "filter", "function (v) { return v; }", priority=5)
    second = files.create_hook(conn, p.id, "product.price", "filter", "function (v) { return v; }", priority=10)
    hooks, events = runtime.load_handler_rows(conn, [p.id])
    handler_paths = paths.handler_tree_paths(runtime.scripts_in_handler_folders(conn, [p.id]), events, hooks)
    tree = {e.row_id: e.path for e in paths.entries_for(plugins.get_plugin(conn, p.id), files.load_plugin_files(conn, p.id))}
    assert handler_paths == {first: tree[first], second: tree[second]}
    assert sorted(handler_paths.values()) == ["hooks/product_price (2).js", "hooks/product_price.js"]
