import pytest

from plugin_studio.db import plugins
from plugin_studio.db.errors import NotFound, ValidationError


def test_names_and_slugs_are_made_unique_the_platform_way(conn):
    first = plugins.create_plugin(conn, "Cart Viewer")
    second = plugins.create_plugin(conn, "Cart Viewer")
    third = plugins.create_plugin(conn, "Other", slug="cart-viewer")
    assert (first.name, first.slug) == ("Cart Viewer", "cart-viewer")
    assert (second.name, second.slug) == ("Cart Viewer (2)", "cart-viewer-2")
    assert (third.name, third.slug) == ("Other (3)", "cart-viewer-3")


def test_find_plugin_by_id_slug_or_name(conn):
    p = plugins.create_plugin(conn, "Loyalty Points")
    assert plugins.find_plugin(conn, p.id).id == p.id
    assert plugins.find_plugin(conn, "loyalty-points").id == p.id
    assert plugins.find_plugin(conn, "loyalty points").id == p.id
    with pytest.raises(NotFound):
        plugins.find_plugin(conn, "nope")


def test_update_refuses_a_name_another_plugin_has(conn):
    plugins.create_plugin(conn, "A")
    b = plugins.create_plugin(conn, "B")
    with pytest.raises(ValidationError, match="already has the name"):
        plugins.update_plugin(conn, b.id, {"name": "a"})
    assert plugins.update_plugin(conn, b.id, {"version": "2.0.0", "tags": ["x"]}).tags == ["x"]


def test_a_lock_timeout_is_a_sql_error_not_a_lost_connection(dsn, conn, cart_viewer):
    import psycopg

    from plugin_studio.db import files
    from plugin_studio.db.errors import ConnectionLost, SqlError

    hook = files.load_plugin_files(conn, cart_viewer).hooks[0]
    with psycopg.connect(dsn) as other:
        other.execute("SELECT 1 FROM plugin_hooks WHERE id = %s FOR UPDATE", (hook.id,))
        conn.execute("SET lock_timeout = '100ms'")
        with pytest.raises(SqlError) as err:
            files.set_priority(conn, "plugin_hooks", hook.id, 3)
    assert not isinstance(err.value, ConnectionLost)
    assert err.value.problem.sqlstate == "55P03"
    assert conn.execute("SELECT 1").fetchone() == (1,), "the connection is still usable"


def test_properties_save_refuses_when_another_client_changed_the_same_property(conn):
    from plugin_studio.db.errors import ConflictError

    loaded = plugins.create_plugin(conn, "Shared")
    conn.execute("UPDATE plugin_registry SET version = '9.9.9' WHERE id = %s", (loaded.id,))
    with pytest.raises(ConflictError):
        plugins.update_plugin_checked(conn, loaded, {"version": "2.0.0"})
    assert plugins.get_plugin(conn, loaded.id).version == "9.9.9"
