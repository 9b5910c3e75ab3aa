"""Every bad package is refused before the database is touched, with a message saying what is wrong and
where in the package (its path, e.g. ``events[3].eventName``).

Refusal happens while the package is read (``load_package``), so these tests need no database. What
fails later, inside the import transaction, is in test_package_import_failures.py."""
from __future__ import annotations

import copy
import json

import pytest
from package_samples import current_package, older_package, write

from plugin_studio.db.errors import SqlError
from plugin_studio.db.packages import ImportCancelled
from plugin_studio.models import package as pk
from plugin_studio.models.package_validate import MB, Limits
from plugin_studio.services.packages import import_package


def _mutated(change) -> dict:
    package = copy.deepcopy(current_package())
    change(package)
    return package


def _set(path: str, value):
    """A change that sets package[a][b]... (ints index arrays)."""
    def change(package):
        *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]
        target = package
        for key in parents:
            target = target[key]
        target[last] = value
    return change


def _delete(path: str):
    def change(package):
        *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]
        target = package
        for key in parents:
            target = target[key]
        del target[last]
    return change


def _four_events(package):
    package["events"].append({"eventName": "order.refunded", "listenerCode": "function () {}"})


def _missing_fourth_event_name(package):
    _four_events(package)
    del package["events"][3]["eventName"]


def _duplicate_file(package):
    package["files"].append({"name": "utils/points.js", "content": "again"})


def _duplicate_widget(package):
    package["widgets"].append(dict(package["widgets"][0]))


def _duplicate_migration(package):
    package["migrations"][1]["version"] = "1.0.0"


def _big_file(package):
    package["files"][0]["content"] = "x" * (50 * MB)


CASES = [
    # (case id, package as dict/str/bytes, limits, path of the problem, expected text of its message)
    ("malformed-json", '{"plugin": {"name": "A"', None, "package", "is not valid JSON"),
    ("empty-file", b"", None, "package", "is not valid JSON: Expecting value at line 1 column 1"),
    ("not-utf8", b'{"plugin": {"name": "\xff\xfe"}}', None, "package", "is not UTF-8 text"),
    ("top-level-array", "[1, 2]", None, "package", "expected a JSON object at the top level, got an array"),
    ("nan-number", '{"plugin": {"name": "A", "starterOrder": NaN}}', None, "package", "NaN is not a JSON number"),
    ("duplicate-json-key", '{"plugin": {"name": "A"}, "plugin": {"name": "B"}}', None,
     "package", "the key 'plugin' appears twice in one object"),
    ("missing-plugin", _mutated(_delete("plugin")), None, "plugin", "missing"),
    ("plugin-not-object", _mutated(_set("plugin", "Loyalty")), None, "plugin", "expected an object, got a string"),
    ("missing-plugin-name", _mutated(_delete("plugin/name")), None, "plugin.name", "missing"),
    ("blank-plugin-name", _mutated(_set("plugin/name", "   ")), None, "plugin.name", "is empty"),
    ("name-too-long", _mutated(_set("plugin/name", "n" * 300)), None, "plugin.name", "is 300 characters, longer than the platform's column allows (255)"),
    ("missing-event-name", _mutated(_missing_fourth_event_name), None, "events[3].eventName", "missing"),
    ("events-not-array", _mutated(_set("events", {"a": 1})), None, "events", "expected an array, got an object"),
    ("priority-is-string", _mutated(_set("events/0/priority", "10")), None,
     "events[0] (order.completed).priority", "expected an integer, got a string"),
    ("priority-out-of-range", _mutated(_set("hooks/0/priority", 2**40)), None,
     "hooks[0] (product.price).priority", "1099511627776 is out of range"),
    ("enabled-not-boolean", _mutated(_set("files/0/enabled", "yes")), None,
     "files[0] (utils/points.js).enabled", "expected true or false, got a string"),
    ("unknown-hook-type", _mutated(_set("hooks/1/hookType", "middleware")), None,
     "hooks[1] (order.created).hookType", "'middleware' is not one of filter, action"),
    ("missing-handler-code", _mutated(_delete("hooks/0/handlerCode")), None, "hooks[0] (product.price).handlerCode", "missing"),
    ("dotdot-file-name", _mutated(_set("files/0/name", "../../etc/passwd")), None,
     "files[0] (../../etc/passwd).name", "'../../etc/passwd' contains '..'"),
    ("absolute-file-name", _mutated(_set("files/1/name", "/etc/passwd")), None,
     "files[1] (/etc/passwd).name", "'/etc/passwd' is an absolute path"),
    ("windows-absolute-file-name", _mutated(_set("files/1/name", "C:/evil.js")), None, "files[1] (C:/evil.js).name", "is an absolute path"),
    ("backslash-file-name", _mutated(_set("files/0/name", "utils\\points.js")), None, "files[0] (utils\\points.js).name", "contains a backslash"),
    ("control-char-file-name", _mutated(_set("files/0/name", "utils/po\x07ints.js")), None,
     "files[0] (utils/po\\x07ints.js).name", "'utils/po\\x07ints.js' contains the control character U+0007 at character 9"),
    ("dotdot-event-file-name", _mutated(_set("events/0/fileName", "../x.js")), None,
     "events[0] (order.completed).fileName", "'../x.js' contains '..'"),
    ("nul-in-content", _mutated(_set("files/0/content", "a\x00b")), None,
     "files[0] (utils/points.js).content", "contains a NUL byte at character 1, which PostgreSQL cannot store"),
    ("nul-in-plugin-data", _mutated(_set("pluginData/settings", {"tiers": ["go\x00ld"]})), None,
     "pluginData[1] (settings).dataValue.tiers[0]", "contains a NUL byte"),
    ("nul-in-entity-schema", _mutated(_set("entities", [{"name": "Account", "tableName": "account",
                                                          "schemaDefinition": {"columns": ["ba\x00lance"]}}])), None,
     "entities[0] (Account).schemaDefinition.columns[0]", "contains a NUL byte"),
    ("lone-surrogate", '{"plugin": {"name": "A"}, "hooks": [{"hookName": "a.b", "handlerCode": "\\ud800"}]}',
     None, "hooks[0] (a.b).handlerCode", "contains an unpaired surrogate"),
    ("duplicate-file-path", _mutated(_duplicate_file), None,
     "files[3] (utils/points.js).name", "duplicate file name 'utils/points.js' (also files[0])"),
    ("duplicate-widget-id", _mutated(_duplicate_widget), None, "widgets[1] (points-balance).widgetId", "duplicate widget id"),
    ("duplicate-migration-version", _mutated(_duplicate_migration), None,
     "migrations[1] (add_index).migrationVersion", "duplicate migration version '1.0.0'"),
    ("default-config-not-json", _mutated(_set("widgets/0/defaultConfig", "{label: x}")), None,
     "widgets[0] (points-balance).defaultConfig", "is a string but not valid JSON"),
    ("default-config-array", _mutated(_set("widgets/0/defaultConfig", [1, 2])), None,
     "widgets[0] (points-balance).defaultConfig", "expected a JSON object, got an array"),
    ("plugin-data-not-object", _mutated(_set("pluginData", "secret")), None,
     "pluginData", "expected an array, got a string"),
    ("bad-deprecated-at", _mutated(_set("plugin/deprecatedAt", "yesterday")), None,
     "plugin.deprecatedAt", "'yesterday' is not an ISO 8601 date and time"),
    ("oversize-file-configured-limit", current_package(), Limits(file_bytes=90, package_bytes=MB),
     "widgets[0] (points-balance).componentCode", "92 bytes is over the per-file limit of 90 bytes"),
    ("oversize-package", current_package(), Limits(file_bytes=MB, package_bytes=1000),
     "package", "KB is over the package limit of 1000 bytes"),
    # Names that reach a label, a path or a file header: no control, bidi, zero-width or separator character.
    ("newline-in-plugin-name", _mutated(_set("plugin/name", "Loyalty\nPoints\nPlus")), None,
     "plugin.name", "contains a line break (U+000A) at character 8"),
    ("zero-width-in-slug", _mutated(_set("plugin/slug", "loyalty\u200bpoints")), None,
     "plugin.slug", "contains U+200B ZERO WIDTH SPACE at character 8"),
    ("sql-in-migration-name", _mutated(_set("migrations/0/name", "innocent\nDROP TABLE plugin_hooks CASCADE;")), None,
     "migrations[0] (innocent\\nDROP TABLE plugin_hooks CASCADE;).name", "contains a line break (U+000A)"),
    ("line-separator-in-migration-description", _mutated(_set("migrations/0/description", "Points\u2028ledger")), None,
     "migrations[0] (create_points).description", "contains a line separator (U+2028)"),
    ("bidi-override-in-file-name", _mutated(_set("files/0/name", "utils/\u202esj.txt")), None,
     "files[0] (utils/\\u202esj.txt).name", "contains U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("zero-width-joiner-in-file-name", _mutated(_set("files/1/name", "styles/po\u200dints.css")), None,
     "files[1] (styles/po\\u200dints.css).name", "contains U+200D ZERO WIDTH JOINER"),
    ("tab-in-event-name", _mutated(_set("events/0/eventName", "order.\tcompleted")), None,
     "events[0] (order.\\tcompleted).eventName", "contains a tab (U+0009)"),
    ("bidi-isolate-in-widget-id", _mutated(_set("widgets/0/widgetId", "points\u2066balance")), None,
     "widgets[0] (points\\u2066balance).widgetId", "contains U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("fifty-mb-file", lambda: _mutated(_big_file), None, "files[0] (utils/points.js).content", "50.0 MB is over the per-file limit of 10.0 MB"),
]


@pytest.mark.parametrize("case, package, limits, where, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_package_is_refused_naming_the_problem_and_where_it_is(tmp_path, case, package, limits, where, expected):
    path = write(tmp_path, package() if callable(package) else package)
    with pytest.raises(pk.PackageInvalid) as caught:
        pk.load_package(path, limits)
    problems = [(p.path, p.message) for p in caught.value.problems]
    assert any(p == where and expected in message for p, message in problems), problems
    assert str(caught.value).startswith("the package cannot be imported: ")
    assert f"{where}: " in str(caught.value)  # the message the user reads says where, too


def test_corpus_has_at_least_twenty_cases():
    assert len(CASES) >= 20


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    package = older_package()
    del package["events"][0]["eventName"]
    package["files"][0]["name"] = "../x.js"
    package["hooks"][0]["hookType"] = "both"
    with pytest.raises(pk.PackageInvalid) as caught:
        pk.load_package(write(tmp_path, package))
    assert [str(p) for p in caught.value.problems] == [
        "files[0] (../x.js).name: '../x.js' contains '..'",
        "events[0].eventName: missing",
        "hooks[0] (product.price).hookType: 'both' is not one of filter, action",
    ]


def test_package_over_the_limit_is_refused_before_it_is_read(tmp_path):
    path = write(tmp_path, json.dumps(current_package()))
    with pytest.raises(pk.PackageInvalid, match="KB is over the package limit of 10 bytes"):
        pk.load_package(path, Limits(package_bytes=10))


def test_missing_package_file_is_a_clear_error(tmp_path):
    with pytest.raises(pk.PackageInvalid, match="package: cannot read .*nope.json: No such file"):
        pk.load_package(tmp_path / "nope.json")


def test_server_refusing_a_row_half_way_rolls_everything_back(conn, cart_viewer, tmp_path, db_snapshot):
    conn.execute("""
        CREATE FUNCTION refuse_hook() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'hooks are frozen in this store'; END $$;
        CREATE TRIGGER refuse_hook BEFORE INSERT ON plugin_hooks FOR EACH ROW EXECUTE FUNCTION refuse_hook();
    """)
    package = pk.load_package(write(tmp_path, current_package()))
    before = db_snapshot(conn)
    with pytest.raises(SqlError, match="hooks are frozen in this store"):
        import_package(conn, package)
    assert db_snapshot(conn) == before


def test_cancel_during_import_rolls_everything_back(conn, cart_viewer, tmp_path, db_snapshot):
    package = pk.load_package(write(tmp_path, current_package()))
    before = db_snapshot(conn)
    steps = []
    with pytest.raises(ImportCancelled, match="nothing was written"):
        import_package(conn, package, progress=lambda done, total: steps.append(done),
                          is_cancelled=lambda: len(steps) >= 3)
    assert steps and db_snapshot(conn) == before
