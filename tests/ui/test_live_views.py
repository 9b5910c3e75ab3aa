"""Views follow the change stream: another client's insert, remap or delete shows in the debugger's
inspector, the migrations dock, the tree and the open tabs without anyone pressing Refresh."""
from __future__ import annotations

import time

import psycopg
from PySide6.QtCore import QObject

from plugin_studio.db.notify import Change
from plugin_studio.ui.live_views import RESYNC, ChangeStream

SETTLED = 5000   # ms: only turns a view that never follows into a clear failure (the figure is printed)


def _workbench(qtbot, window):
    qtbot.waitUntil(lambda: window.workbench is not None and window.workbench.debugger is not None)
    return window.workbench


def test_the_inspector_shows_another_clients_new_handler_without_refresh(qtbot, dsn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    inspector = _workbench(qtbot, window).debugger.inspector
    qtbot.waitUntil(lambda: len(inspector.handlers_shown("product.price")) == 1)
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("INSERT INTO plugin_hooks (plugin_id, hook_name, hook_type, handler_function, priority)"
                      " VALUES (%s, 'product.price', 'filter', 'function (v) { return v; }', 20)", (cart_viewer,))
        started = time.perf_counter()
    qtbot.waitUntil(lambda: len(inspector.handlers_shown("product.price")) == 2, timeout=SETTLED)
    print(f"inspector followed the insert in {(time.perf_counter() - started) * 1000:.0f} ms")


def test_the_inspector_follows_a_remapped_event(qtbot, dsn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    inspector = _workbench(qtbot, window).debugger.inspector
    qtbot.waitUntil(lambda: "cart.viewed" in inspector.visible_names())
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("UPDATE plugin_events SET event_name = 'checkout.started' WHERE plugin_id = %s"
                      " AND event_name = 'cart.viewed'", (cart_viewer,))
    qtbot.waitUntil(lambda: "checkout.started" in inspector.visible_names() and
                    "cart.viewed" not in inspector.visible_names(), timeout=SETTLED)


def test_the_migrations_dock_shows_another_clients_new_migration(qtbot, dsn, cart_viewer, make_window):
    window = make_window(select_plugin=cart_viewer)
    panel = _workbench(qtbot, window).migrations
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 1)
    before = panel.model.rowCount()
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("INSERT INTO plugin_migrations (plugin_id, plugin_name, migration_name, migration_version,"
                      " up_sql) VALUES (%s, 'Cart Viewer', 'theirs', '9.9.9', 'SELECT 1')", (cart_viewer,))
    qtbot.waitUntil(lambda: panel.model.rowCount() == before + 1, timeout=SETTLED)


def test_a_burst_of_changes_reloads_a_view_once_and_a_resync_reloads_it_again(qtbot):
    stream, owner = ChangeStream(), QObject()
    reloads = []
    stream.follow(owner, {"plugin_hooks"}, lambda: reloads.append(1))
    for n in range(50):
        stream.publish(Change("plugin_hooks", "INSERT", str(n), "p"))
    stream.publish(Change("plugin_widgets", "UPDATE", "w", "p"))
    qtbot.waitUntil(lambda: reloads == [1])
    stream.publish(Change("plugin_widgets", "UPDATE", "w", "p"))
    stream.publish(Change("*", RESYNC, None, None))
    qtbot.waitUntil(lambda: reloads == [1, 1])
