"""Search and replace across plugins, done by PostgreSQL: what is found, where, and what is written."""
import pytest

from plugin_studio.db import files, plugins
from plugin_studio.db.errors import SqlError, ValidationError
from plugin_studio.db.search import ReplaceConflict, SearchQuery, apply_replace, server_replacement
from plugin_studio.models import paths
from plugin_studio.services.documents import load_text
from plugin_studio.models.migration_format import rendered_layout
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.rows import select_one
from plugin_studio.services import code_search
from plugin_studio.services.plugin_tree import load_plugin_view
from platform_db import insert_platform_plugin, insert_row


def _plugin(conn, name):
    return plugins.create_plugin(conn, name).id


def _found(conn, text, **options):
    """{(plugin name, path): [(line, column, shown text)]}"""
    results = code_search.run_search(conn, SearchQuery(text, **options))
    return {(p.plugin_name, f.path): [(m.line, m.column, m.text) for m in f.lines]
            for p in results.plugins for f in p.files}


@pytest.fixture
def two_plugins(conn):
    shop = _plugin(conn, "Shop Tools")
    cart = _plugin(conn, "Cart Bits")
    files.create_hook(conn, shop, "product.price", "filter", "function (price) {\n  return price * 2; // Price\n}\n")
    files.create_script(conn, shop, "utils/format.js", "export const priceTotal = 1;\nconst price_x = 2;\n")
    files.create_event(conn, cart, "cart.viewed", "function () {\n\tconsole.log('PRICE');\n}\n")
    files.create_widget(conn, cart, "badge", "Badge", "const Badge = () => null;\n")
    return shop, cart


def test_plain_search_is_case_insensitive_and_grouped_by_plugin_file_and_line(conn, two_plugins):
    found = _found(conn, "price")
    assert found == {
        ("Cart Bits", "events/cart_viewed.js"): [(2, 15, "console.log('PRICE');")],
        ("Shop Tools", "hooks/product_price.js"): [(1, 11, "function (price) {"), (2, 10, "return price * 2; // Price")],
        ("Shop Tools", "utils/format.js"): [(1, 14, "export const priceTotal = 1;"), (2, 7, "const price_x = 2;")],
    }
    results = code_search.run_search(conn, SearchQuery("price"))
    assert [p.plugin_name for p in results.plugins] == ["Cart Bits", "Shop Tools"]
    assert results.match_count == 6 and results.file_count == 3 and not results.truncated
    hook_lines = results.plugins[1].files[0].lines
    assert [hook_lines[1].text[a:b] for a, b in hook_lines[1].spans] == ["price", "Price"]


def test_case_sensitive_whole_word_and_regex(conn, two_plugins):
    assert set(_found(conn, "PRICE", case_sensitive=True)) == {("Cart Bits", "events/cart_viewed.js")}
    whole = _found(conn, "price", whole_word=True)
    assert set(whole) == {("Cart Bits", "events/cart_viewed.js"), ("Shop Tools", "hooks/product_price.js")}
    regex = _found(conn, r"price\w+", regex=True, case_sensitive=True)
    assert regex == {("Shop Tools", "utils/format.js"): [(1, 14, "export const priceTotal = 1;"),
                                                         (2, 7, "const price_x = 2;")]}
    assert set(_found(conn, r"^\s*return", regex=True)) == {("Shop Tools", "hooks/product_price.js")}


def test_whole_word_follows_the_editor_rule_for_words_starting_with_a_symbol(conn):
    plugin = _plugin(conn, "Symbols")
    files.create_script(conn, plugin, "a.js", "$el.x;\na$el;\n$elements;\n")
    assert _found(conn, "$el", whole_word=True) == {("Symbols", "a.js"): [(1, 1, "$el.x;"), (2, 2, "a$el;")]}
    assert _found(conn, r"\$el", regex=True, whole_word=True) == {("Symbols", "a.js"): [(1, 1, "$el.x;"),
                                                                                        (2, 2, "a$el;")]}


def test_regex_metacharacters_are_plain_text_in_a_plain_search(conn):
    plugin = _plugin(conn, "Meta")
    files.create_script(conn, plugin, "a.js", "a.b(1)\naxb(1)\n50%_off\n")
    assert _found(conn, "a.b(1)") == {("Meta", "a.js"): [(1, 1, "a.b(1)")]}
    assert _found(conn, "50%_") == {("Meta", "a.js"): [(3, 1, "50%_off")]}


def test_a_bad_regular_expression_is_the_servers_message_and_empty_text_is_refused(conn, two_plugins):
    with pytest.raises(SqlError) as error:
        code_search.run_search(conn, SearchQuery("price(", regex=True))
    assert error.value.problem.sqlstate == "2201B" and "parentheses" in str(error.value)
    with pytest.raises(ValidationError):
        code_search.run_search(conn, SearchQuery(""))


def test_search_in_the_current_plugin_only(conn, two_plugins):
    shop, cart = two_plugins
    results = code_search.run_search(conn, SearchQuery("price", plugin_id=cart))
    assert [(p.plugin_name, [f.path for f in p.files]) for p in results.plugins] == [("Cart Bits",
                                                                                      ["events/cart_viewed.js"])]


def test_paths_are_the_trees_even_for_two_rows_with_one_name(conn):
    plugin = _plugin(conn, "Twins")
    files.create_event(conn, plugin, "cart.viewed", "track(1)", priority=1)
    files.create_event(conn, plugin, "cart.viewed", "track(2)", priority=2)
    found = _found(conn, "track")
    tree = paths.entries_for(plugins.get_plugin(conn, plugin), files.load_plugin_files(conn, plugin))
    assert sorted(path for _name, path in found) == sorted(e.path for e in tree if e.kind == "event")
    assert found[("Twins", "events/cart_viewed (2).js")] == [(1, 1, "track(2)")]


def test_a_migration_match_is_on_the_line_the_editor_shows(conn):
    from plugin_studio.db import migrations

    plugin = plugins.create_plugin(conn, "Migrating")
    row_id = migrations.create_migration(conn, plugin.id, plugin.name, "1.0.0", "views",
                                         "\n\nCREATE TABLE cart_views (id int);\n", "DROP TABLE cart_views;")
    found = _found(conn, "cart_views")
    editor_lines = load_text(conn, "plugin_migrations", row_id).split("\n")
    [(path, lines)] = [(path, lines) for (_n, path), lines in found.items()]
    assert path == "migrations/1.0.0_views.sql" and len(lines) == 2
    for line, column, text in lines:
        assert editor_lines[line - 1].strip() == text and editor_lines[line - 1][column - 1:].startswith("cart_views")


def test_a_long_line_comes_as_a_snippet_around_its_first_match(conn):
    plugin = _plugin(conn, "Minified")
    code = "var a=1;" * 20_000 + "needle();" + "b=2;" * 1000
    files.create_script(conn, plugin, "bundle.min.js", code)
    [(_key, [(line, column, text)])] = _found(conn, "needle").items()
    assert line == 1 and column == code.index("needle") + 1
    assert len(text) <= 400 and "needle();" in text


def test_too_many_matches_are_cut_and_said_to_be(conn):
    plugin = _plugin(conn, "Many")
    files.create_script(conn, plugin, "many.js", "x\n" * 50)
    results = code_search.run_search(conn, SearchQuery("x"), limit=10)
    assert results.truncated and results.match_count == 10


def test_the_platforms_other_code_tables_are_searched(platform_conn):
    plugin = insert_platform_plugin(platform_conn, "Platform One")
    insert_row(platform_conn, "plugin_controllers", plugin_id=plugin, controller_name="stats", method="GET",
               path="/stats", handler_code="return res.json({ coupon: 1 });")
    insert_row(platform_conn, "plugin_cron", plugin_id=plugin, cron_name="nightly", cron_schedule="0 3 * * *",
               handler_method="run", handler_code="// coupon cleanup")
    insert_row(platform_conn, "plugin_docs", plugin_id=plugin, doc_type="readme", file_name="README.md",
               title="Readme", content="# Coupons\n\nA coupon.")
    insert_row(platform_conn, "plugin_scripts", plugin_id=plugin, file_name="a.js", file_content="coupon()",
               script_type="js", scope="frontend")
    found = _found(platform_conn, "coupon")
    assert set(found) == {("Platform One", p) for p in ("controllers/stats.js", "cron/nightly.js", "README.md", "a.js")}
    assert found[("Platform One", "README.md")] == [(1, 3, "# Coupons"), (3, 3, "A coupon.")]
    _plugin, entries = load_plugin_view(platform_conn, plugin)   # the paths are the tree's own
    assert {path for _name, path in found} <= {entry.path for entry in entries}


# ---- replace ------------------------------------------------------------------------------------------

def _code(conn, table, row_id):
    return files.fetch_code(conn, table, row_id)


def test_replace_previews_each_file_then_writes_all_in_one_go(conn, two_plugins):
    shop, cart = two_plugins
    query = SearchQuery("price", whole_word=True)
    preview = code_search.preview_replace(conn, query, "cost")
    assert [(f.plugin_name, f.path) for f in preview] == [("Cart Bits", "events/cart_viewed.js"),
                                                          ("Shop Tools", "hooks/product_price.js")]
    [hook_change] = preview[1].changes
    assert hook_change.new_text == "function (cost) {\n  return cost * 2; // cost\n}\n"
    assert apply_replace(conn, [c for f in preview for c in f.changes]) == 2
    assert _code(conn, "plugin_hooks", hook_change.row_id) == hook_change.new_text
    assert code_search.run_search(conn, query).plugins == []


def test_a_row_changed_after_the_preview_is_a_conflict_and_nothing_is_written(conn, two_plugins):
    preview = code_search.preview_replace(conn, SearchQuery("price"), "cost")
    changes = [c for f in preview for c in f.changes]
    before = {c.row_id: _code(conn, c.table, c.row_id) for c in changes}
    script = next(c for c in changes if c.table == "plugin_scripts")
    conn.execute("UPDATE plugin_scripts SET file_content = file_content || '// edited' WHERE id = %s", (script.row_id,))
    before[script.row_id] += "// edited"
    with pytest.raises(ReplaceConflict) as conflict:
        apply_replace(conn, changes)
    assert [c.row_id for c in conflict.value.changes] == [script.row_id]
    assert {c.row_id: _code(conn, c.table, c.row_id) for c in changes} == before


def test_regex_replacement_takes_javascripts_group_references(conn):
    plugin = _plugin(conn, "Groups")
    row = files.create_script(conn, plugin, "a.js", "get(price) get(cost)\n")
    query = SearchQuery(r"get\((\w+)\)", regex=True)
    [file_change] = code_search.preview_replace(conn, query, "read('$1') /* $& costs $$1 */")
    assert file_change.changes[0].new_text == ("read('price') /* get(price) costs $1 */ "
                                               "read('cost') /* get(cost) costs $1 */\n")
    [plain] = code_search.preview_replace(conn, SearchQuery("get(price)"), r"a\1 $1")
    assert plain.changes[0].new_text == r"a\1 $1 get(cost)" + "\n"
    assert server_replacement(SearchQuery("x"), "\\") == "\\\\"
    assert _code(conn, "plugin_scripts", row) == "get(price) get(cost)\n"   # previews write nothing


def test_regex_replace_is_line_by_line_like_the_search(conn):
    plugin = _plugin(conn, "Lines")
    files.create_script(conn, plugin, "a.js", "one\ntwo\n")
    [change] = [f for f in code_search.preview_replace(conn, SearchQuery("^", regex=True), "// ")
                if f.table == "plugin_scripts" and f.plugin_id == plugin]
    assert change.changes[0].new_text == "// one\n// two\n// "


def test_replace_in_a_migration_that_ran_is_refused(conn):
    from plugin_studio.db import migrations

    plugin = plugins.create_plugin(conn, "Ran")
    ran = migrations.create_migration(conn, plugin.id, plugin.name, "1.0.0", "a", "CREATE TABLE t1 (x int);", None)
    pending = migrations.create_migration(conn, plugin.id, plugin.name, "1.1.0", "b", "CREATE TABLE t2 (x int);", None)
    conn.execute("UPDATE plugin_migrations SET status = 'completed' WHERE id = %s", (ran,))
    preview = code_search.preview_replace(conn, SearchQuery("CREATE TABLE"), "CREATE TABLE IF NOT EXISTS")
    refused = {f.row_id: f.refused for f in preview}
    assert refused[pending] is None and "completed" in refused[ran]
    with pytest.raises(ValidationError):
        apply_replace(conn, [c for f in preview for c in f.changes])
    apply_replace(conn, [c for f in preview if not f.refused for c in f.changes])
    row = select_one(conn, MigrationRow, "plugin_migrations", pending)
    assert row.up_sql == "CREATE TABLE IF NOT EXISTS t2 (x int);"
    assert rendered_layout(row).up_sql == row.up_sql
