"""What an import creates: the plan shown first, names made unique, widget ids kept or renamed, creator set."""
from __future__ import annotations

import uuid
from decimal import Decimal

from package_samples import current_package, older_package, write

from plugin_studio.db import files, plugins
from plugin_studio.models import package as pk
from plugin_studio.services.packages import import_package, plan_import


def _load(tmp_path, package=None):
    return pk.load_package(write(tmp_path, package or current_package()))


def test_plan_lists_every_file_the_data_and_the_final_name(conn, tmp_path):
    plugins.create_plugin(conn, "Loyalty Points")
    plan = plan_import(conn, _load(tmp_path))
    assert (plan.name, plan.slug, plan.renamed) == ("Loyalty Points (2)", "loyalty-points-2", True)
    assert [i.path for i in plan.items if i.kind != "data"] == [
        "utils/points.js", "styles/points.css", "README.md",
        "events/award_points.js", "events/notify_customer.js", "events/show_balance.js",
        "hooks/product_price.js", "hooks/order_created.js",
        "widgets/points-balance.jsx",
        "migrations/1.0.0_create_points.sql", "migrations/1.1.0_add_index.sql",
        "dependencies/lodash.round",
    ]
    assert plan.plugin_data == {"api_key": "sk_live_secret_123", "settings": {"tiers": ["gold", "silver"], "rate": Decimal("0.05")}}
    assert plan.widget_clashes == {}


def test_slug_clash_alone_bumps_both_name_and_slug(conn, tmp_path):
    plugins.create_plugin(conn, "Something Else", slug="loyalty-points")
    result = import_package(conn, _load(tmp_path))
    assert (result.name, result.slug) == ("Loyalty Points (2)", "loyalty-points-2")


def test_widget_id_clash_keeps_the_id_by_default(conn, tmp_path):
    first = import_package(conn, _load(tmp_path))
    package = _load(tmp_path)
    plan = plan_import(conn, package)
    assert plan.widget_clashes == {"points-balance": ["Loyalty Points"]}
    assert plan.widget_renames == {"points-balance": "points-balance-2"}

    kept = import_package(conn, package)
    assert kept.widget_renames == {}
    assert files.load_plugin_files(conn, kept.plugin_id).widgets[0].widget_id == "points-balance"
    assert files.load_plugin_files(conn, first.plugin_id).widgets[0].widget_id == "points-balance"


def test_widget_id_clash_renamed_when_chosen(conn, tmp_path):
    import_package(conn, _load(tmp_path))
    import_package(conn, _load(tmp_path), rename_clashing_widgets=True)
    third = import_package(conn, _load(tmp_path), rename_clashing_widgets=True)
    assert third.widget_renames == {"points-balance": "points-balance-3"}
    assert files.load_plugin_files(conn, third.plugin_id).widgets[0].widget_id == "points-balance-3"


def test_widgets_without_clash_keep_their_ids_even_when_renaming(conn, tmp_path):
    result = import_package(conn, _load(tmp_path, older_package()), rename_clashing_widgets=True)
    assert result.widget_renames == {}
    assert files.load_plugin_files(conn, result.plugin_id).widgets[0].widget_id == "wishlist-button"


def test_creator_id_comes_from_the_caller_not_the_package(conn, tmp_path):
    creator = str(uuid.uuid4())
    result = import_package(conn, _load(tmp_path), creator_id=creator)
    plugin = plugins.get_plugin(conn, result.plugin_id)
    assert plugin.creator_id == creator
    assert plugin.id != current_package()["plugin"]["id"]


def test_completed_migrations_arrive_pending_with_a_warning(conn, tmp_path):
    source = current_package()
    source["migrations"][0]["status"] = "completed"
    package = _load(tmp_path, source)
    assert [str(w) for w in package.warnings if w.path.startswith("migrations")] == [
        "migrations[0] (create_points).status: 'completed' in the source store; imported as pending (not run in this database)"]
    result = import_package(conn, package)
    assert {m.status for m in files.load_plugin_files(conn, result.plugin_id).migrations} == {"pending"}


def test_unknown_row_keys_are_warnings_not_failures(conn, tmp_path):
    source = current_package()
    source["files"][0]["checksum"] = "abc"
    package = _load(tmp_path, source)
    assert "files[].checksum: unknown key, not kept" in [str(w) for w in package.warnings]


def test_result_row_ids_follow_the_package_order(conn, tmp_path):
    package = _load(tmp_path)
    result = import_package(conn, package)
    events = {e.id: e.file_name for e in files.load_plugin_files(conn, result.plugin_id).events}
    assert [events[i] for i in result.row_ids["plugin_events"]] == [
        e["file_name"] for e in package.bundle.rows["plugin_events"]]
