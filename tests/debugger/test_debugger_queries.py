"""The debugger's database reads: a fixed number of queries whatever the number of plugins, tree paths kept."""
from __future__ import annotations

import psycopg
import pytest

from plugin_studio.db import files, plugins
from plugin_studio.db.files import load_plugin_files
from plugin_studio.db.plugins import get_plugin
from plugin_studio.db.runtime import load_handler_rows
from plugin_studio.runner.chain_load import load_chain, load_registrations
from plugin_studio.models.paths import entries_for

FILTER = "export default function (price) { return price + 1; }"
LISTENER = "function (cart) {}"


class CountingCursor(psycopg.Cursor):
    """Counts every statement sent through the connection it is the cursor factory of."""

    executed: list[str] = []

    def execute(self, query, params=None, **kwargs):
        CountingCursor.executed.append(str(query))
        return super().execute(query, params, **kwargs)


@pytest.fixture
def counted(dsn):
    """``counted(fn, *args)`` -> (result, number of statements ``fn(connection, *args)`` executed)."""
    with psycopg.connect(dsn, autocommit=True, cursor_factory=CountingCursor) as connection:
        def call(fn, *args):
            CountingCursor.executed = []
            result = fn(connection, *args)
            return result, len(CountingCursor.executed)
        yield call


def add_plugin(conn, name: str, **props) -> str:
    """A plugin with two product.price filters (same tree path), one disabled, and a cart.viewed listener."""
    plugin = plugins.create_plugin(conn, name=name, **props).id
    files.create_hook(conn, plugin, "product.price", "filter", FILTER, priority=5)
    disabled = files.create_hook(conn, plugin, "product.price", "filter", FILTER, priority=20)
    files.set_enabled(conn, "plugin_hooks", disabled, False)
    files.create_event(conn, plugin, "cart.viewed", LISTENER)
    return plugin


def test_inspector_and_chain_read_as_many_queries_for_five_plugins_as_for_one(conn, counted):
    first = add_plugin(conn, "Plugin 1")
    one_inspector, inspector_queries_1 = counted(load_registrations, first)
    one_chain, chain_queries_1 = counted(load_chain, "hook", "product.price", first)
    for n in range(2, 6):
        add_plugin(conn, f"Plugin {n}")
    five_inspector, inspector_queries_5 = counted(load_registrations, first)
    five_chain, chain_queries_5 = counted(load_chain, "hook", "product.price", first)

    assert len(one_inspector.handlers) == 3 and len(five_inspector.handlers) == 15
    assert len(one_chain.rows) == 1 and len(five_chain.rows) == 5
    assert inspector_queries_5 == inspector_queries_1 <= 4
    assert chain_queries_5 == chain_queries_1 <= 8


def test_handler_rows_of_several_plugins_in_handler_order_disabled_included(conn, counted):
    a, b = add_plugin(conn, "A"), add_plugin(conn, "B")
    late = files.create_hook(conn, a, "product.price", "filter", FILTER, priority=1)
    (hooks, events), queries = counted(load_handler_rows, [a, b])
    assert queries == 2
    assert [h.priority for h in hooks] == [1, 5, 5, 20, 20] and hooks[0].id == late
    assert sum(not h.is_enabled for h in hooks) == 2
    assert sorted(e.plugin_id for e in events) == sorted([a, b])
    assert load_handler_rows(conn, []) == ([], [])


def test_handler_paths_are_the_file_trees_even_when_a_script_takes_the_name(conn):
    plugin = add_plugin(conn, "Clashes")
    files.create_hook(conn, plugin, "product_price", "action", "function () {}")     # hooks/product_price.js too
    files.create_script(conn, plugin, "hooks/product_price.js", "module.exports = {};")
    files.create_event(conn, plugin, "cart.viewed", LISTENER, file_name="cart_viewed.js")
    other = add_plugin(conn, "Other")   # its own names restart at product_price.js

    tree = {e.row_id: e.path for p in (plugin, other)
            for e in entries_for(get_plugin(conn, p), load_plugin_files(conn, p))}
    shown = {r.row_id: r.path for r in load_registrations(conn, plugin).handlers}
    assert shown == {row_id: tree[row_id] for row_id in shown}
    assert sorted(path for row_id, path in shown.items() if tree[row_id].startswith("hooks/")) == sorted([
        "hooks/product_price (2).js", "hooks/product_price (3).js", "hooks/product_price (4).js",
        "hooks/product_price.js", "hooks/product_price (2).js"])
    chain = load_chain(conn, "hook", "product.price", plugin)
    assert [r.path for r in chain.rows] == [tree[r.row_id] for r in chain.rows]


def test_reader_answers_reach_plain_callables_on_the_gui_thread(qtbot, dsn, discounts, price_chain):
    import threading

    from plugin_studio.ui.lanes import DbSession, Lane

    reader = Lane("debugger-db", DbSession(dsn))
    answers = []
    try:
        job = reader.submit(load_registrations, discounts, owner=None, on_done=lambda result: answers.append((
            len(result.handlers), threading.current_thread() is threading.main_thread())))
        with qtbot.waitSignal(job.ended):
            pass
    finally:
        reader.close()
    assert answers == [(3, True)]
