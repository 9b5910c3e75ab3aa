from plugin_studio.db import plugins
from plugin_studio.models.new_files import NewFileRequest
from plugin_studio.services.new_files import create_new_file


def test_a_new_migration_only_ever_touches_the_plugins_own_table(conn):
    p = plugins.create_plugin(conn, "Loyalty Points")
    table, row_id = create_new_file(conn, p.id, p.name, NewFileRequest("Migration", name="orders", version="1.0.1"))
    up, down = conn.execute("SELECT up_sql, down_sql FROM plugin_migrations WHERE id = %s", (row_id,)).fetchone()
    assert table == "plugin_migrations"
    assert 'CREATE TABLE IF NOT EXISTS "loyalty_points_orders"' in up
    assert down.strip() == 'DROP TABLE IF EXISTS "loyalty_points_orders";'
