"""The platform's migration file format: parsing, writing back, the commented-out DOWN section."""
import hashlib

import pytest
from migration_samples import PLATFORM_FILE

from plugin_studio.db.migration_file import (
    MigrationFile, MigrationFormatError, checksum, parse_migration_file, rollback_plan, write_migration_file,
)
from plugin_studio.db.migration_sql import ScriptError, plan_script, split_statements

PLUGIN_ID = "6f1c2d3e-1111-2222-3333-444455556666"


def platform_file():
    return PLATFORM_FILE.format(name="Loyalty", id=PLUGIN_ID)


def test_header_and_sections_are_read_from_the_platform_file():
    m = parse_migration_file(platform_file())
    assert (m.title, m.plugin_name, m.plugin_id, m.version, m.description) == (
        "Create loyalty points", "Loyalty", PLUGIN_ID, "2.0.0", "Points per customer")
    assert m.up_sql.startswith("CREATE TABLE loyalty_points (")
    assert m.up_sql.endswith("END $body$;")
    # the marker text inside a string and a comment inside a function body are not section markers
    assert "'earned; -- DOWN Migration'" in m.up_sql
    assert "-- a comment inside the body; stays SQL" in m.up_sql
    assert m.down_sql.splitlines() == [
        "-- Undo the UP section:",
        "-- DROP FUNCTION IF EXISTS loyalty_total();",
        "-- DROP TABLE IF EXISTS loyalty_points;",
    ]


def test_commented_out_down_section_is_offered_uncommented_keeping_prose_as_comments():
    plan = rollback_plan(parse_migration_file(platform_file()).down_sql)
    assert plan.commented_out
    assert plan.sql.splitlines() == [
        "-- Undo the UP section:",
        "DROP FUNCTION IF EXISTS loyalty_total();",
        "DROP TABLE IF EXISTS loyalty_points;",
    ]


def test_uncommenting_keeps_strings_indentation_and_multi_line_statements_intact():
    down = ("-- Drop the table first (prose, not SQL)\n"
            "-- CREATE TABLE restore (\n"
            "--     a int,\n"
            "--     b text DEFAULT ';--'\n"
            "-- );\n"
            "-- DELETE FROM log WHERE msg = 'x'; -- trailing note")
    plan = rollback_plan(down)
    assert plan.sql.splitlines() == [
        "-- Drop the table first (prose, not SQL)",
        "CREATE TABLE restore (",
        "    a int,",
        "    b text DEFAULT ';--'",
        ");",
        "DELETE FROM log WHERE msg = 'x'; -- trailing note",
    ]
    assert [s.words[:2] for s in split_statements(plan.sql)] == [["CREATE", "TABLE"], ["DELETE", "FROM"]]


def test_executable_down_sql_is_used_as_is_and_prose_only_down_is_no_rollback():
    assert rollback_plan("DROP TABLE t;").sql == "DROP TABLE t;"
    assert not rollback_plan("DROP TABLE t;").commented_out
    assert rollback_plan("-- nothing to undo, this migration only adds data").sql is None
    assert rollback_plan(None).sql is None
    assert rollback_plan("   \n").sql is None


def test_writing_back_gives_the_same_migration_and_a_canonical_file_round_trips_exactly():
    m = parse_migration_file(platform_file())
    text = write_migration_file(m)
    assert parse_migration_file(text) == m
    assert write_migration_file(parse_migration_file(text)) == text
    assert "-- UP Migration\nCREATE TABLE loyalty_points (" in text
    assert text.rstrip().endswith("-- DROP TABLE IF EXISTS loyalty_points;")


def test_multi_line_description_and_missing_down_round_trip():
    m = MigrationFile(version="3", up_sql="SELECT 1;", description="first line\nsecond line", title="t")
    assert parse_migration_file(write_migration_file(m)) == m


def test_checksum_is_md5_of_the_text_with_crlf_as_lf():
    text = platform_file()
    assert checksum(text) == hashlib.md5(text.encode()).hexdigest()
    assert checksum(text.replace("\n", "\r\n")) == checksum(text)
    assert parse_migration_file(text.replace("\n", "\r\n")) == parse_migration_file(text)


def test_version_and_name_come_from_the_file_name_when_the_header_lacks_them():
    m = parse_migration_file("-- UP Migration\nCREATE TABLE a();\n", "migrations/004_add_a.sql")
    assert (m.version, m.migration_name("migrations/004_add_a.sql")) == ("004", "add_a")


@pytest.mark.parametrize("text, message", [
    ("-- Version: 1\n-- UP Migration\nSELECT 'oops;\n-- DOWN Migration\n", "line 3: a string literal"),
    ("-- Version: 1\n-- UP Migration\nDO $$ BEGIN\n-- DOWN Migration\nSELECT 1;\n", "line 3: a dollar-quoted body"),
    ("-- Version: 1\n-- DOWN Migration\nSELECT 1;\n-- UP Migration\n", "line 2: '-- DOWN Migration' comes before"),
    ("-- Version: 1\n-- UP Migration\n-- UP Migration\n", "line 3: a second '-- UP Migration'"),
    ("-- UP Migration\nSELECT 1;\n", "no '-- Version: ...' line"),
    ("SELECT 1;\n-- Version: 1\n-- UP Migration\n", "line 1: SQL before '-- UP Migration'"),
])
def test_malformed_files_are_refused_with_the_line(text, message):
    with pytest.raises(MigrationFormatError, match=message.replace("(", r"\(").replace("$", r"\$")):
        parse_migration_file(text)


def test_risky_and_non_transactional_statements_are_flagged_by_line():
    plan = plan_script(
        "DELETE FROM logs WHERE id IN (SELECT 1);\n"
        "DELETE FROM carts;\n"
        "ALTER TABLE orders DROP COLUMN legacy;\n"
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);\n"
        "ALTER TABLE orders DROP CONSTRAINT orders_ck;\n"
        "TRUNCATE sessions;\n"
        "DROP TABLE old_things;\n"
        "CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);\n"
        "UPDATE t SET note = 'DROP TABLE x; TRUNCATE y';\n"
        "VACUUM orders;\n")
    assert [(f.line, f.message.split(" ")[0]) for f in plan.risky] == [
        (2, "DELETE"), (3, "ALTER"), (4, "ALTER"), (6, "TRUNCATE"), (7, "DROP")]
    assert [f.line for f in plan.outside_transaction] == [8, 10]
    assert not plan.in_transaction


def test_a_begin_commit_wrapper_is_left_to_the_runner_but_a_commit_inside_is_refused():
    plan = plan_script("BEGIN;\nCREATE TABLE a();\nCOMMIT;\n")
    assert plan.sql.strip() == "CREATE TABLE a();" and plan.notes
    with pytest.raises(ScriptError, match="line 2: COMMIT would end the runner's transaction"):
        plan_script("CREATE TABLE a();\nCOMMIT;\nCREATE TABLE b();")
