"""Five stores on the embedded server: a group of saved connections, the plugin's version matrix
across it, and promote dry runs from one store to each of the others."""
from __future__ import annotations

import psycopg
import pytest

from plugin_studio.db import files
from plugin_studio.models.connections import ConnectionGroup, SavedConnection
from plugin_studio.models.templates import get_template
from plugin_studio.services import promote as service
from plugin_studio.services.connections import group_dsns
from plugin_studio.services.store_matrix import compare_across
from plugin_studio.services.templates import create_from_template

SCRIPT = "utils/format_price.js"


@pytest.fixture
def five_stores(databases, save_connections):
    """s1 holds Cart Viewer; s2–s4 got it promoted, then s2 and s3 changed its script the same way,
    s4 changed it another way and added a hook; s5 never got it. Saved as the group "tenants"."""
    dsns = databases(5)
    conns = [psycopg.connect(d, autocommit=True) for d in dsns]
    plugin = create_from_template(conns[0], get_template("cart-viewer"))
    for conn in conns[1:4]:
        service.promote(conn, service.compare_plugins(conns[0], conn, plugin))
    for conn, tail in ((conns[1], "// tax"), (conns[2], "// tax"), (conns[3], "// rounding")):
        conn.execute("UPDATE plugin_scripts SET file_content = file_content || %s WHERE file_name = %s", (tail, SCRIPT))
    plugin_s4 = conns[3].execute("SELECT id FROM plugin_registry").fetchone()[0]
    files.create_hook(conns[3], str(plugin_s4), "cart.total", "filter", "export default (t) => t;\n")
    names = [f"s{n}" for n in range(1, 6)]
    save_connections(*(SavedConnection(n, dsn=d) for n, d in zip(names, dsns)),
                     groups=[ConnectionGroup("tenants", tuple(names))])
    yield conns
    for conn in conns:
        conn.close()


def test_compare_across_the_group_shows_which_store_has_which_version(five_stores):
    matrix = compare_across(group_dsns("tenants"), "cart-viewer")
    assert matrix.stores == ("s1", "s2", "s3", "s4", "s5")
    assert matrix.plugin_versions == ("1.0.0", "1.0.0", "1.0.0", "1.0.0", None)
    assert matrix.notes == ("", "", "", "", "plugin not in this store")
    rows = {(r.table, r.name): r.versions for r in matrix.rows}
    assert rows[("plugin_scripts", SCRIPT)] == (1, 2, 2, 3, None)
    assert rows[("plugin_hooks", "cart.total filter")] == (None, None, None, 1, None)
    assert rows[("plugin_registry", "plugin")] == (1, 1, 1, 1, None)
    same = {k: v for k, v in rows.items() if k not in {("plugin_scripts", SCRIPT), ("plugin_hooks", "cart.total filter")}}
    assert same and set(same.values()) == {(1, 1, 1, 1, None)}
    assert {(r.table, r.name) for r in matrix.differing()} == set(rows)   # s5 lacks every row


def test_an_unreachable_store_is_a_column_with_a_note(five_stores, tmp_path):
    stores = group_dsns("tenants")[:2] + [("gone", f"postgresql://nobody@/nodb?host={tmp_path}")]
    matrix = compare_across(stores, "cart-viewer")
    assert matrix.notes[2].startswith("could not connect: database connection lost")
    assert {r.versions[2] for r in matrix.rows} == {None}


def test_dry_runs_from_one_store_to_each_other_list_exactly_their_differences(five_stores):
    s1, *others = five_stores
    expected = [
        {("changed", "plugin_scripts", SCRIPT)},
        {("changed", "plugin_scripts", SCRIPT)},
        {("changed", "plugin_scripts", SCRIPT), ("removed", "plugin_hooks", "cart.total filter")},
    ]
    for conn, wanted in zip(others[:3], expected):
        plan = service.compare_plugins(s1, conn, "cart-viewer")
        assert {(d.status, d.table, d.name) for d in plan.comparison.differences()} == wanted
    plan = service.compare_plugins(s1, others[3], "cart-viewer")
    assert plan.target is None
    source_rows = sum(len(rows) for rows in plan.source.rows.values())
    assert [d.status for d in plan.comparison.differences()] == ["added"] * (source_rows + 1)
    created = service.promote(others[3], plan)
    assert service.compare_plugins(s1, others[3], "cart-viewer").comparison.differences() == []
    assert created.written["insert"] == source_rows + 1
