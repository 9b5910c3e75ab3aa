from plugin_studio.db import schema


def test_schema_creates_every_plugin_table_and_is_idempotent(conn):
    assert schema.missing_tables(conn) == []
    schema.ensure_schema(conn)
    schema.ensure_schema(conn)
    assert schema.missing_tables(conn) == []


def test_deleting_a_plugin_deletes_its_rows_in_every_table(conn, cart_viewer):
    counts_before = _counts(conn)
    assert all(counts_before[t] > 0 for t in ("plugin_scripts", "plugin_events", "plugin_hooks",
                                              "plugin_widgets", "plugin_migrations"))
    conn.execute("INSERT INTO plugin_data (plugin_id, data_key, data_value) VALUES (%s, 'k', '1')", (cart_viewer,))
    conn.execute("DELETE FROM plugin_registry WHERE id = %s", (cart_viewer,))
    assert all(n == 0 for n in _counts(conn).values())


def _counts(conn):
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in schema.PLUGIN_TABLES}
