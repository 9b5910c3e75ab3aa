"""Names another client stored with line breaks, controls, bidi or zero-width characters: shown escaped
on one line everywhere (tree, plugin list, ``plugins list``, migration headers), never executed."""
from __future__ import annotations

from platform_db import insert_row

from plugin_studio.cli import main
from plugin_studio.db import files, migrations, plugins
from plugin_studio.models import paths
from plugin_studio.models.migration_format import parse_migration_file, render_migration_file
from plugin_studio.services.migrations import save_migration_file
from plugin_studio.ui.file_tree_model import FileTreeModel, PluginListModel

SNEAKY = "innocent\nDROP TABLE plugin_hooks CASCADE;"


def _sneaky_plugin(conn) -> str:
    plugin = plugins.create_plugin(conn, "Safe")
    conn.execute("UPDATE plugin_registry SET name = %s WHERE id = %s", ("Line\nbreak\nin\nname", plugin.id))
    insert_row(conn, "plugin_migrations", plugin_id=plugin.id, plugin_name="Safe\u202e", migration_name=SNEAKY,
               migration_version="1.0.0", up_sql="SELECT 1;", status="pending")
    insert_row(conn, "plugin_scripts", plugin_id=plugin.id, file_name="utils/\u202esj.txt", file_content="1;",
               script_type="js", scope="frontend", load_priority=0)
    return plugin.id


def test_a_migration_name_with_sql_on_a_new_line_stays_in_its_header(conn):
    plugin_id = _sneaky_plugin(conn)
    row = migrations.list_migrations(conn, plugin_id)[0]
    text = render_migration_file(row)
    assert "-- MIGRATION: innocent\\nDROP TABLE plugin_hooks CASCADE;\n" in text
    assert "\nDROP TABLE" not in text and "-- Plugin: Safe\\u202e (" in text
    parsed = parse_migration_file(text)
    assert parsed.up_sql == "SELECT 1;" and parsed.down_sql is None
    saved = save_migration_file(conn, row.id, text.replace("SELECT 1;", "SELECT 2;"), text)
    assert (saved.migration_name, saved.up_sql) == (SNEAKY, "SELECT 2;")   # the stored name is kept, not rewritten
    assert conn.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'plugin_hooks'").fetchone()[0] == 1


def test_the_tree_and_the_plugin_list_show_such_names_escaped(qtmodeltester, conn):
    plugin_id = _sneaky_plugin(conn)
    plugin = plugins.get_plugin(conn, plugin_id)
    tree = FileTreeModel()
    tree.set_entries(paths.entries_for(plugin, files.load_plugin_files(conn, plugin_id)))
    qtmodeltester.check(tree)
    shown = [tree.index(r, 0, tree.index(i, 0)).data() for i in range(tree.rowCount())
             for r in range(tree.rowCount(tree.index(i, 0)))]
    assert "\\u202esj.txt" in shown
    assert any(s.startswith("1.0.0_innocent\\nDROP_TABLE") for s in shown), shown
    assert all("\n" not in s and "\u202e" not in s for s in shown)
    listing = PluginListModel()
    listing.set_plugins(plugins.list_plugins(conn))
    names = [listing.index(r, 0).data() for r in range(listing.rowCount())]
    assert "Line\\nbreak\\nin\\nname" in names


def test_plugins_list_prints_each_plugin_on_one_line(conn, capsys):
    plugin_id = _sneaky_plugin(conn)
    assert main(["plugins", "list"]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith(plugin_id))
    assert "Line\\nbreak\\nin\\nname" in line
