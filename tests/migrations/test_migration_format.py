"""The platform's migration file format: parsing, writing back, the commented-out DOWN section."""
import hashlib

import pytest
from migration_samples import PLATFORM_FILE

from plugin_studio.models.migration_file import (
    MigrationFile, MigrationFormatError, checksum, parse_migration_file, rollback_plan, write_migration_file,
)
from plugin_studio.models.migration_sql import ScriptError, plan_script, split_statements

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
    assert (m.up_line, m.down_line) == (9, 23)


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
    assert [s.kind for s in split_statements(plan.sql)] == ["CreateStmt", "DeleteStmt"]


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


@pytest.mark.parametrize("convert", [
    lambda t: t.replace("\n", "\r\n"), lambda t: t.replace("\n", "\r"), lambda t: "\ufeff" + t,
    lambda t: "\ufeff" + t.replace("\n", "\r"),
], ids=["crlf", "cr-only", "bom", "bom-cr-only"])
def test_bom_and_every_line_ending_read_as_the_same_migration_at_the_same_lines(convert):
    text = platform_file()
    plain, converted = parse_migration_file(text), parse_migration_file(convert(text))
    assert converted == plain
    assert (converted.up_line, converted.down_line) == (plain.up_line, plain.down_line)
    assert checksum(convert(text)) == checksum(text) == hashlib.md5(text.encode()).hexdigest()


def test_version_and_name_come_from_the_file_name_when_the_header_lacks_them():
    m = parse_migration_file("-- UP Migration\nCREATE TABLE a();\n", "migrations/004_add_a.sql")
    assert (m.version, m.migration_name("migrations/004_add_a.sql")) == ("004", "add_a")
    assert MigrationFile("1", "", title="create.sql").migration_name() == "create"   # ….sql is the platform's


@pytest.mark.parametrize("text, message", [
    ("-- Version: 1\n-- UP Migration\nSELECT 'oops;\n-- DOWN Migration\n", "line 3: a string literal"),
    ("-- Version: 1\n-- UP Migration\nDO $$ BEGIN\n-- DOWN Migration\nSELECT 1;\n", "line 3: a dollar-quoted body"),
    ("-- Version: 1\n-- UP Migration\nSELECT 1; /* never\n closed\n", "line 3: a /* comment */"),
    ("-- Version: 1\n-- DOWN Migration\nSELECT 1;\n-- UP Migration\n", "line 2: '-- DOWN Migration' comes before"),
    ("-- Version: 1\n-- UP Migration\n-- UP Migration\n", "line 3: a second '-- UP Migration'"),
    ("-- UP Migration\nSELECT 1;\n", "no '-- Version: ...' line"),
    ("SELECT 1;\n-- Version: 1\n-- UP Migration\n", "line 1: SQL before '-- UP Migration'"),
    ("-- Version: 1\r-- UP Migration\rSELECT 'oops;\r", "line 3: a string literal"),
])
def test_malformed_files_are_refused_with_the_line(text, message):
    with pytest.raises(MigrationFormatError, match=message.replace("(", r"\(").replace("$", r"\$")
                       .replace("*", r"\*")):
        parse_migration_file(text)


# ---- statements, by PostgreSQL's parser ----------------------------------------------------

BEGIN_ATOMIC = ("CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE SQL IMMUTABLE\n"
                "BEGIN ATOMIC\n  SELECT a + b;\nEND;")
RETURN_FORM = "CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE SQL IMMUTABLE RETURN a + b;"


@pytest.mark.parametrize("body", [
    BEGIN_ATOMIC, RETURN_FORM,
    "CREATE FUNCTION f(x int) RETURNS text LANGUAGE SQL BEGIN ATOMIC\n SELECT CASE WHEN x > 0 THEN 'p' ELSE 'n' END;\n"
    " SELECT 'second; statement';\nEND;",
    "CREATE PROCEDURE p() LANGUAGE SQL BEGIN ATOMIC INSERT INTO t VALUES (1); END;",
    "CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;",
    "CREATE FUNCTION h() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN COMMIT; END $fn$;",
    "DO $$ BEGIN IF true THEN RAISE NOTICE 'x; END'; END IF; END $$;",
    "SELECT CASE WHEN 1 = 1 THEN 'BEGIN' ELSE 'END' END;",
], ids=["begin-atomic", "return", "case-in-atomic", "procedure", "plpgsql", "plpgsql-commit-text", "do", "case"])
def test_every_function_body_form_is_one_statement_and_not_transaction_control(body):
    plan = plan_script(body + "\nSELECT 1;")
    assert len(plan.statements) == 2 and plan.transactional
    assert plan.statements[0].sql == body.rstrip(";") or plan.statements[0].sql + ";" == body


def test_positions_are_file_lines_and_columns_even_after_multibyte_text():
    script = "-- é è 😀 comments first\nSELECT '😀😀😀';   SELECT 'ü',\n       nosuchcol;\n"
    first, second = split_statements(script, first_line=10)
    assert (first.line, first.column) == (11, 1)
    assert (second.line, second.column) == (11, 17)
    assert second.sql == "SELECT 'ü',\n       nosuchcol"
    assert second.place(len("SELECT 'ü',\n       ") + 1) == (12, 8)
    with pytest.raises(ScriptError) as caught:
        split_statements("SELECT '😀😀';\n\n  SELEC 1;", first_line=5)
    assert (caught.value.line, caught.value.column) == (7, 3)
    assert "syntax error at or near \"SELEC\"" in str(caught.value)


def test_risky_and_non_transactional_statements_are_flagged_by_file_line():
    plan = plan_script(
        "DELETE FROM logs WHERE id IN (SELECT 1);\n"
        "DELETE FROM carts;\n"
        "ALTER TABLE orders DROP COLUMN legacy;\n"
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);\n"
        "ALTER TABLE orders DROP CONSTRAINT orders_ck;\n"
        "TRUNCATE sessions;\n"
        "DROP TABLE old_things;\n"
        "CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);\n"
        "UPDATE t SET note = 'DROP TABLE x; TRUNCATE y' WHERE id = 1;\n"
        "VACUUM orders;\n", first_line=20)
    assert [(f.line, f.message.split(" ")[0]) for f in plan.risky] == [
        (21, "DELETE"), (22, "ALTER"), (23, "ALTER"), (25, "TRUNCATE"), (26, "DROP")]
    assert [f.line for f in plan.outside_transaction] == [27, 29]
    assert not plan.transactional
    assert len(plan.warnings()) == len(set(plan.warnings())) == 7


@pytest.mark.parametrize("sql, reason", [
    ("CREATE INDEX CONCURRENTLY i ON t (x)", "CREATE INDEX CONCURRENTLY"),
    ("DROP INDEX CONCURRENTLY i", "DROP INDEX CONCURRENTLY"),
    ("REINDEX INDEX CONCURRENTLY i", "REINDEX … CONCURRENTLY"),
    ("REINDEX DATABASE d", "REINDEX DATABASE"),
    ("VACUUM (ANALYZE) t", "VACUUM"),
    ("ALTER SYSTEM SET work_mem = '8MB'", "ALTER SYSTEM"),
    ("CREATE DATABASE other", "CREATE DATABASE"),
    ("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", "DETACH PARTITION … CONCURRENTLY"),
    ("CLUSTER", "CLUSTER without a table"),
])
def test_statements_the_server_refuses_in_a_transaction_are_told_from_the_ast(sql, reason):
    plan = plan_script(f"SELECT 'CONCURRENTLY VACUUM';\n{sql};")
    assert [f.message for f in plan.outside_transaction] == [f"{reason} cannot run inside a transaction"]


def test_alter_type_add_value_runs_in_a_transaction_only_from_postgresql_12():
    sql = "ALTER TYPE mood ADD VALUE 'meh';"
    assert plan_script(sql, server_version=160004).transactional
    assert not plan_script(sql, server_version=110022).transactional
    assert plan_script("ANALYZE t;").transactional


def test_a_begin_commit_wrapper_is_left_to_the_runner_but_transaction_control_inside_is_refused():
    plan = plan_script("BEGIN;\nCREATE TABLE a();\nCOMMIT;\n")
    assert [s.sql for s in plan.statements] == ["CREATE TABLE a()"] and plan.notes
    with pytest.raises(ScriptError, match="line 2: COMMIT would end the runner's transaction"):
        plan_script("CREATE TABLE a();\nCOMMIT;\nCREATE TABLE b();")
    with pytest.raises(ScriptError, match="line 3: ROLLBACK would end"):
        plan_script("SELECT 1;\n\n  ROLLBACK;")
    savepoints = plan_script("SAVEPOINT s;\nCREATE TABLE a();\nROLLBACK TO s;\nRELEASE s;")
    assert len(savepoints.statements) == 4 and savepoints.transactional
    with pytest.raises(ScriptError, match="COPY … FROM STDIN"):
        plan_script("COPY t FROM STDIN;")
