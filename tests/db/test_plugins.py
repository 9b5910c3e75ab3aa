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
