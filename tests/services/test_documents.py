import json

import psycopg
import pytest

from plugin_studio.db import files
from plugin_studio.db.errors import ConflictError, ValidationError
from plugin_studio.models import paths
from plugin_studio.services import documents
from plugin_studio.models.recovery import RecoveredBuffer, RecoveryStore


def _entry(conn, plugin_id, path):
    from plugin_studio.db.plugins import get_plugin

    entries = paths.entries_for(get_plugin(conn, plugin_id), files.load_plugin_files(conn, plugin_id))
    return next(e for e in entries if e.path == path)


def _snapshot(conn):
    tables = ("plugin_scripts", "plugin_events", "plugin_hooks", "plugin_widgets", "plugin_registry")
    return {t: sorted(map(str, conn.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def test_saving_writes_exactly_one_row(conn, cart_viewer):
    doc = documents.open_document(conn, cart_viewer, _entry(conn, cart_viewer, "hooks/product_price.js"))
    before = _snapshot(conn)
    documents.save(conn, doc, "function (price) { return price * 2; }")
    after = _snapshot(conn)
    changed = [t for t in before if before[t] != after[t]]
    assert changed == ["plugin_hooks"]
    assert len(set(after["plugin_hooks"]) - set(before["plugin_hooks"])) == 1
    assert files.fetch_code(conn, "plugin_hooks", doc.row_id) == "function (price) { return price * 2; }"


def test_a_save_over_someone_elses_change_is_refused_and_both_versions_survive(dsn, conn, cart_viewer):
    doc = documents.open_document(conn, cart_viewer, _entry(conn, cart_viewer, "events/cart_viewed.js"))
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("UPDATE plugin_events SET listener_function = 'theirs' WHERE id = %s", (doc.row_id,))
    with pytest.raises(ConflictError) as err:
        documents.save(conn, doc, "mine")
    assert err.value.server_text == "theirs"
    copy_id = documents.save_as_copy(conn, doc, "mine")
    assert files.fetch_code(conn, "plugin_events", doc.row_id) == "theirs"
    assert files.fetch_code(conn, "plugin_events", copy_id) == "mine"


def test_manifest_must_be_valid_json_to_save(conn, cart_viewer):
    doc = documents.open_document(conn, cart_viewer, _entry(conn, cart_viewer, "manifest.json"))
    with pytest.raises(ValidationError, match="not valid JSON"):
        documents.save(conn, doc, "{nope")
    documents.save(conn, doc, json.dumps({"name": "Cart Viewer", "version": "2.0.0"}))
    row = conn.execute("SELECT manifest->>'version' FROM plugin_registry WHERE id = %s", (cart_viewer,)).fetchone()
    assert row[0] == "2.0.0"


def test_recovery_store_keeps_buffers_until_discarded(tmp_path):
    store = RecoveryStore(tmp_path)
    buffer = RecoveredBuffer("plugin_hooks", "abc", "p", "hooks/x.js", "javascript", "old", "new")
    store.write(buffer)
    assert [b.text for b in RecoveryStore(tmp_path).pending()] == ["new"]
    store.discard(buffer.key)
    assert store.pending() == []


def test_overwrite_recreates_a_row_deleted_on_the_server_with_the_same_id(conn, cart_viewer):
    doc = documents.open_document(conn, cart_viewer, _entry(conn, cart_viewer, "hooks/product_price.js"))
    conn.execute("DELETE FROM plugin_hooks WHERE id = %s", (doc.row_id,))
    with pytest.raises(ConflictError) as err:
        documents.save(conn, doc, "mine")
    assert err.value.server_text is None
    documents.overwrite(conn, doc, "mine")
    row = conn.execute("SELECT hook_name, hook_type, priority, handler_function FROM plugin_hooks WHERE id = %s",
                       (doc.row_id,)).fetchone()
    assert row == ("product.price", "filter", 10, "mine")


def test_copies_of_handlers_are_disabled_from_the_start_even_when_the_original_is_gone(conn, cart_viewer):
    doc = documents.open_document(conn, cart_viewer, _entry(conn, cart_viewer, "hooks/product_price.js"))
    conn.execute("DELETE FROM plugin_hooks WHERE id = %s", (doc.row_id,))
    copy_id = documents.save_as_copy(conn, doc, "mine")
    assert conn.execute("SELECT is_enabled, handler_function FROM plugin_hooks WHERE id = %s",
                        (copy_id,)).fetchone() == (False, "mine")


def test_manifest_save_waits_for_a_concurrent_writer_and_then_refuses_to_overwrite_it(dsn, conn, cart_viewer):
    import threading

    doc = documents.open_document(conn, cart_viewer, _entry(conn, cart_viewer, "manifest.json"))
    outcome = {}
    with psycopg.connect(dsn) as other:  # another client is mid-transaction on the same row
        other.execute("UPDATE plugin_registry SET manifest = '{\"theirs\": true}' WHERE id = %s", (cart_viewer,))

        def save_mine():
            with psycopg.connect(dsn, autocommit=True) as mine:
                try:
                    documents.save(mine, doc, json.dumps({"mine": True}))
                    outcome["result"] = "saved"
                except ConflictError:
                    outcome["result"] = "conflict"

        saver = threading.Thread(target=save_mine)
        saver.start()
        waiting = ("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                   " AND wait_event_type = 'Lock'")
        while conn.execute(waiting).fetchone()[0] == 0:  # until the save waits for the other client's row lock
            assert saver.is_alive(), outcome
            saver.join(0.02)
        assert "result" not in outcome
        other.commit()
    saver.join()
    assert outcome["result"] == "conflict"
    assert conn.execute("SELECT manifest FROM plugin_registry WHERE id = %s", (cart_viewer,)).fetchone()[0] == {
        "theirs": True}


def test_rows_with_null_code_from_the_platform_open_as_empty_and_save(conn, cart_viewer):
    conn.execute("ALTER TABLE plugin_events ALTER COLUMN listener_function DROP NOT NULL")  # as on the platform
    entry = _entry(conn, cart_viewer, "events/cart_viewed.js")
    conn.execute("UPDATE plugin_events SET listener_function = NULL WHERE id = %s", (entry.row_id,))
    doc = documents.open_document(conn, cart_viewer, entry)
    assert doc.loaded_text == ""
    documents.save(conn, doc, "function () {}")
    assert files.fetch_code(conn, "plugin_events", entry.row_id) == "function () {}"
