import queue

import psycopg
import pytest

from platform_db import insert_platform_plugin, insert_row, schema_dump
from plugin_studio.db import files, notify, schema
from plugin_studio.db.connection import connect
from plugin_studio.db.errors import SchemaNotReady


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


def test_the_embedded_database_gets_its_tables_and_triggers_on_first_start(empty_dsn):
    with connect(empty_dsn) as conn:
        assert notify.prepare_for_app(conn, embedded=True) == notify.LiveUpdates(True, True)
        assert schema.plan(conn).changes == []


def test_a_server_given_by_dsn_is_checked_and_never_changed(empty_dsn):
    with connect(empty_dsn) as conn:
        with pytest.raises(SchemaNotReady, match="no plugin tables; run `plugin-studio db init`"):
            notify.prepare_for_app(conn, embedded=False)
    assert "CREATE TABLE" not in schema_dump(empty_dsn)


def test_only_a_role_that_may_create_triggers_is_offered_them(platform_dsn, dml_dsn):
    with connect(dml_dsn) as dml, connect(platform_dsn) as owner:
        assert notify.prepare_for_app(dml, embedded=False) == notify.LiveUpdates(False, False)
        assert notify.prepare_for_app(owner, embedded=False) == notify.LiveUpdates(False, True)


def test_a_dml_only_role_sees_another_clients_change_by_polling(dml_dsn, platform_conn):
    plugin = insert_platform_plugin(platform_conn, "Polled")
    changes: queue.Queue = queue.Queue()
    listener = notify.ChangeListener(dml_dsn, changes.put, use_triggers=False, poll_interval=0.2)
    listener.start()
    try:
        assert listener.ready.wait(10)
        insert_row(platform_conn, "plugin_events", plugin_id=plugin, event_name="cart.viewed", listener_function="f")
        change = changes.get(timeout=10)
    finally:
        listener.stop()
    assert (change.table, change.op) == ("plugin_events", "POLL")
