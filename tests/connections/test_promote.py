"""Compare and promote a plugin between two stores on the embedded server: the dry run lists exactly
the rows that differ; promote writes them in one transaction, records the target's version and
lists its pending migrations; a failure half-way, or a target changed since the comparison, writes
nothing."""
from __future__ import annotations

import json

import psycopg
import pytest

from plugin_studio.cli import main
from plugin_studio.db import files
from plugin_studio.db.errors import SqlError
from plugin_studio.models.connections import ConnectionList, SavedConnection
from plugin_studio.models.templates import get_template
from plugin_studio.services import connections as saved
from plugin_studio.services import history
from plugin_studio.services import promote as service
from plugin_studio.services.templates import create_from_template


@pytest.fixture
def stores(databases):
    """Store A with Cart Viewer, store B with the same plugin promoted once (so both start equal)."""
    a, b = databases(2)
    with psycopg.connect(a, autocommit=True) as conn_a, psycopg.connect(b, autocommit=True) as conn_b:
        plugin_a = create_from_template(conn_a, get_template("cart-viewer"))
        first = service.promote(conn_b, service.compare_plugins(conn_a, conn_b, plugin_a, labels=("A", "B")))
        yield conn_a, conn_b, plugin_a, first.plugin_id


def _differences(plan) -> set[tuple[str, str, str, tuple]]:
    return {(d.status, d.table, d.name, d.columns) for d in plan.comparison.differences()}


def _change_a(conn, plugin_id: str) -> None:
    """One change of each kind on A."""
    conn.execute("UPDATE plugin_scripts SET file_content = file_content || '// v2'"
                 " WHERE plugin_id = %s AND file_name = 'utils/format_price.js'", (plugin_id,))
    files.create_hook(conn, plugin_id, "cart.total", "filter", "export default (total) => total;\n")
    conn.execute("DELETE FROM plugin_events WHERE plugin_id = %s", (plugin_id,))
    conn.execute("""UPDATE plugin_widgets SET default_config = '{"limit": 3, "ratio": 1.50}' WHERE plugin_id = %s""",
                 (plugin_id,))
    conn.execute("UPDATE plugin_registry SET version = '1.1.0' WHERE id = %s", (plugin_id,))
    conn.execute("INSERT INTO plugin_data (plugin_id, data_key, data_value) VALUES (%s, 'theme', '{\"dark\": true}')",
                 (plugin_id,))
    conn.execute("INSERT INTO plugin_migrations (plugin_id, plugin_name, migration_name, migration_version, up_sql)"
                 " VALUES (%s, 'Cart Viewer', 'add_totals', '1.1.0', 'SELECT 1')", (plugin_id,))


EXPECTED = {
    ("changed", "plugin_registry", "cart-viewer", ("version",)),
    ("changed", "plugin_scripts", "utils/format_price.js", ("file_content",)),
    ("added", "plugin_hooks", "cart.total filter", ()),
    ("removed", "plugin_events", "cart.viewed cart_viewed.js", ()),
    ("changed", "plugin_widgets", "cart-visit-counter", ("default_config",)),
    ("added", "plugin_data", "theme", ()),
    ("added", "plugin_migrations", "1.1.0 add_totals", ()),
}


def test_two_stores_start_equal_and_b_has_the_import_version(stores):
    conn_a, conn_b, plugin_a, plugin_b = stores
    plan = service.compare_plugins(conn_a, conn_b, plugin_a)
    assert plan.comparison.differences() == [] and plan.comparison.counts()["same"] > 5
    assert [v.commit_message for v in history.versions(conn_b, plugin_b)] == ["Promoted from A"]


def test_dry_run_lists_exactly_the_rows_that_differ_and_writes_nothing(stores, tmp_path, capsys, monkeypatch,
                                                                     own_home):
    conn_a, conn_b, plugin_a, plugin_b = stores
    _change_a(conn_a, plugin_a)
    plan = service.compare_plugins(conn_a, conn_b, plugin_a)
    assert _differences(plan) == EXPECTED
    before = service.read_side(conn_b, plugin_b)
    listing = ConnectionList()
    listing.put(SavedConnection("A", dsn=conn_a.info.dsn))
    listing.put(SavedConnection("B", dsn=conn_b.info.dsn))
    saved.save_connections(listing)
    assert main(["promote", "cart-viewer", "--from", "A", "--to", "B", "--dry-run", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["dry_run"] is True and shown["from"] == "A" and shown["to"] == "B"
    assert {(d["status"], d["table"], d["name"], tuple(d["columns"])) for d in shown["differences"]} == EXPECTED
    assert main(["promote", "cart-viewer", "--from", "A", "--to", "B", "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "7 row(s) differ" in text and "dry run: nothing was written" in text
    assert service.read_side(conn_b, plugin_b) == before


def test_promote_writes_the_differences_records_a_version_and_lists_pending_migrations(stores):
    conn_a, conn_b, plugin_a, plugin_b = stores
    script_id = conn_b.execute("SELECT id FROM plugin_scripts WHERE plugin_id = %s", (plugin_b,)).fetchone()[0]
    _change_a(conn_a, plugin_a)
    plan = service.compare_plugins(conn_a, conn_b, plugin_a, labels=("Staging", "Live"))
    result = service.promote(conn_b, plan)
    assert result.written == {"insert": 3, "update": 3, "delete": 1}
    assert service.compare_plugins(conn_a, conn_b, plugin_a).comparison.differences() == []
    assert conn_b.execute("SELECT id FROM plugin_scripts WHERE plugin_id = %s", (plugin_b,)).fetchone()[0] == script_id
    assert [v.commit_message for v in history.versions(conn_b, plugin_b)] == ["Promoted from Staging", "Promoted from A"]
    assert [(v, n, s) for _i, v, n, s in result.pending_migrations] == [
        ("1.0.0", "create_cart_views", "pending"), ("1.1.0", "add_totals", "pending")]
    assert conn_b.execute("SELECT is_enabled, status FROM plugin_registry WHERE id = %s", (plugin_b,)).fetchone() \
        == conn_a.execute("SELECT is_enabled, status FROM plugin_registry WHERE id = %s", (plugin_a,)).fetchone()


def test_only_the_chosen_rows_are_promoted(stores):
    conn_a, conn_b, plugin_a, _plugin_b = stores
    _change_a(conn_a, plugin_a)
    plan = service.compare_plugins(conn_a, conn_b, plugin_a)
    chosen = {(d.table, d.key, d.occurrence) for d in plan.comparison.differences() if d.table == "plugin_hooks"}
    assert service.promote(conn_b, plan, chosen).written == {"insert": 1, "update": 0, "delete": 0}
    assert _differences(service.compare_plugins(conn_a, conn_b, plugin_a)) == {
        d for d in EXPECTED if d[1] != "plugin_hooks"}


def _snapshot(conn, plugin_id):
    return service.read_side(conn, plugin_id), [v.id for v in history.versions(conn, plugin_id)]


def test_a_failure_half_way_leaves_b_unchanged(stores):
    conn_a, conn_b, plugin_a, plugin_b = stores
    _change_a(conn_a, plugin_a)
    conn_b.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                   " $$BEGIN RAISE EXCEPTION 'hooks are frozen here'; END$$")
    conn_b.execute("CREATE TRIGGER frozen BEFORE INSERT ON plugin_hooks FOR EACH ROW EXECUTE FUNCTION refuse()")
    before = _snapshot(conn_b, plugin_b)
    plan = service.compare_plugins(conn_a, conn_b, plugin_a)
    written = []
    with pytest.raises(SqlError, match="the promote was rolled back, nothing was written: hooks are frozen here"):
        service.promote(conn_b, plan, after_each=written.append)
    assert [w.table for w in written][:2] == ["plugin_registry", "plugin_scripts"]   # these ran, then rolled back
    assert _snapshot(conn_b, plugin_b) == before


def test_a_target_changed_since_the_comparison_is_refused(stores):
    conn_a, conn_b, plugin_a, plugin_b = stores
    _change_a(conn_a, plugin_a)
    plan = service.compare_plugins(conn_a, conn_b, plugin_a, labels=("A", "Live"))
    conn_b.execute("UPDATE plugin_scripts SET file_content = 'edited on live' WHERE plugin_id = %s", (plugin_b,))
    before = _snapshot(conn_b, plugin_b)
    with pytest.raises(service.PromoteConflict, match="Cart Viewer changed on Live since the comparison"):
        service.promote(conn_b, plan)
    assert _snapshot(conn_b, plugin_b) == before


def test_a_completed_migration_is_never_rewritten(stores):
    conn_a, conn_b, plugin_a, plugin_b = stores
    conn_b.execute("UPDATE plugin_migrations SET status = 'completed' WHERE plugin_id = %s", (plugin_b,))
    conn_a.execute("UPDATE plugin_migrations SET up_sql = up_sql || ' -- changed' WHERE plugin_id = %s", (plugin_a,))
    plan = service.compare_plugins(conn_a, conn_b, plugin_a)
    assert plan.comparison.differences() == []
    [blocked] = plan.comparison.blocked()
    assert blocked.name == "1.0.0 create_cart_views" and "add a new migration" in blocked.reason
    before = _snapshot(conn_b, plugin_b)
    assert service.promote(conn_b, plan).written == {"insert": 0, "update": 0, "delete": 0}
    assert _snapshot(conn_b, plugin_b) == before


def test_a_cancel_between_writes_rolls_everything_back(stores):
    from plugin_studio.ui.jobs import JobCancelled

    conn_a, conn_b, plugin_a, plugin_b = stores
    _change_a(conn_a, plugin_a)
    before = _snapshot(conn_b, plugin_b)
    plan = service.compare_plugins(conn_a, conn_b, plugin_a)

    def cancel_after_the_third(write, seen=[]):
        seen.append(write)
        if len(seen) == 3:
            raise JobCancelled()

    with pytest.raises(JobCancelled):
        service.promote(conn_b, plan, after_each=cancel_after_the_third)
    assert _snapshot(conn_b, plugin_b) == before
