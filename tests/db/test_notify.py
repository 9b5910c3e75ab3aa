import queue

import psycopg
import pytest

from plugin_studio.db import files, notify


@pytest.mark.parametrize("use_triggers", [True, False], ids=["listen", "poll"])
def test_a_write_from_another_connection_is_reported(dsn, conn, cart_viewer, use_triggers):
    if use_triggers:
        notify.install_triggers(conn)
        assert notify.triggers_installed(conn)
    changes: queue.Queue = queue.Queue()
    listener = notify.ChangeListener(dsn, changes.put, use_triggers=use_triggers, poll_interval=0.2)
    listener.start()
    try:
        assert listener.ready.wait(60)
        event = files.load_plugin_files(conn, cart_viewer).events[0]
        with psycopg.connect(dsn, autocommit=True) as other:
            other.execute("UPDATE plugin_events SET listener_function = 'function () {}' WHERE id = %s", (event.id,))
        change = changes.get(timeout=60)
    finally:
        listener.stop()
    assert change.table == "plugin_events"
    if use_triggers:
        assert (change.op, change.row_id, change.plugin_id) == ("UPDATE", event.id, cart_viewer)
